"""Job lines: every write operation is accepted and goes out exactly as the line says; bad
lines are refused with their number and reason, and nothing of such a job is sent."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import orjson
import pytest

from talon_async import TalonClient
from talon_async.bulk import JobError, LineError, parse_line, run_job
from talon_async.operations import OPERATIONS
from tests.conftest import RecordingServer

from .conftest import write_job
from .lines import LINES, line


def method_and_path(operation_id: str) -> tuple[str, str]:
    operation = OPERATIONS[operation_id]
    return operation.http_method, operation.path


WRITES = [op for op in OPERATIONS if method_and_path(op)[0] != "GET"]
READS = [op for op in OPERATIONS if method_and_path(op)[0] == "GET"]


def test_every_operation_has_a_line_and_the_table_matches_the_spec() -> None:
    assert set(LINES) == set(OPERATIONS)
    assert len(WRITES) == 28 and len(READS) == 14


@pytest.mark.parametrize("operation_id", READS)
def test_reads_are_refused(operation_id: str) -> None:
    with pytest.raises(LineError, match=f"^{operation_id} is a read \\(GET\\); a bulk job"):
        parse_line(1, orjson.dumps(line(operation_id)))


async def test_every_write_operation_is_sent_as_its_line_says(
    server: RecordingServer, client: TalonClient, tmp_path: Path
) -> None:
    job = write_job(tmp_path / "job.jsonl", [line(op) for op in WRITES])
    with pytest.warns(DeprecationWarning):  # the three v1 operations say so when sent
        summary = await run_job(client, job, concurrency=1)
    assert summary.lines == len(WRITES) and summary.sent == len(WRITES)
    received_by_path = {(r.method, r.path): r for r in server.received}
    assert len(received_by_path) == len(server.received) == len(WRITES)
    by_operation = {}
    for operation_id in WRITES:
        wanted = LINES[operation_id]
        method, path = method_and_path(operation_id)
        for name, value in wanted.get("path", {}).items():
            path = path.replace(f"{{{name}}}", str(value))
        received = by_operation[operation_id] = received_by_path[method, path]
        body = json.loads(received.body) if received.body else None
        assert body == wanted.get("body"), operation_id
    # Query values reach the wire in the API's own spelling.
    assert by_operation["updateCustomerSessionV2"].query == {
        "dry": "true",
        "now": "2024-05-01T12:00:00+00:00",
    }
    assert by_operation["trackEventV2"].query == {"silent": "yes"}
    assert by_operation["updateCustomerProfilesV2"].query == {"silent": "yes"}
    assert by_operation["createReferralsForMultipleAdvocates"].query == {"silent": "no"}
    assert by_operation["returnCartItems"].query == {"runRuleEngine": "true"}
    assert by_operation["trackEvent"].query == {}  # dry=false is the API's default
    assert by_operation["trackEventV3"].query == {"silent": "no"}  # the API's default is yes


def test_query_values_take_the_parameters_python_types() -> None:
    call = parse_line(3, orjson.dumps(line("updateCustomerSessionV2")))
    assert call.line == 3 and call.operation_id == "updateCustomerSessionV2"
    assert call.request.path == "/v2/customer_sessions/s-1"
    assert call.request.query == {"dry": "true", "now": "2024-05-01T12:00:00+00:00"}
    for silent, expected in [("yes", "yes"), ("no", "no"), (True, "yes"), ("false", "no")]:
        events = parse_line(1, orjson.dumps(line("trackEventV2", query={"silent": silent})))
        assert events.request.query == {"silent": expected}
    card = parse_line(1, orjson.dumps(line("linkLoyaltyCardToProfile")))
    assert card.request.path == "/v2/loyalty_programs/7/cards/CARD-1/link_profile"


def test_dry_is_added_where_the_operation_has_it() -> None:
    with pytest.deprecated_call():
        session = parse_line(1, orjson.dumps(line("trackEvent")), dry=True)
    assert session.request.query == {"dry": "true"} and session.dry_runnable
    referral = parse_line(1, orjson.dumps(line("createReferral")), dry=True)
    assert referral.request.query == {} and not referral.dry_runnable


BAD_LINES: list[tuple[Any, str]] = [
    ("{not json", "not JSON: "),
    ("[1, 2]", "a line must be a JSON object, got an array"),
    ({**line("deleteCustomerData"), "headers": {}}, "unknown member 'headers' (a line has"),
    ({"path": {}}, "operationId is missing or not a string"),
    ({"operationId": "updateCustomerSessionV3"}, "unknown operationId 'updateCustomerSessionV3'"),
    ({"operationId": "updateCustomerSessionv2"}, "(did you mean 'updateCustomerSessionV2'?)"),
    (line("deleteCustomerData", path={}), "path parameter 'integrationId' is missing"),
    (
        line("deleteCustomerData", path={"integrationId": "p", "id": 1}),
        "unknown path parameter 'id' (deleteCustomerData takes: integrationId)",
    ),
    (
        line("deleteCustomerData", path={"integrationId": 5}),
        "path parameter 'integrationId' must be a non-empty string, got a number",
    ),
    (
        line("updateAudienceV2", path={"audienceId": "3"}),
        "path parameter 'audienceId' must be an integer, got a string",
    ),
    (line("deleteCustomerData", path=[]), "path must be an object, got an array"),
    (
        line("trackEventV2", query={"silently": True}),
        "unknown query parameter 'silently' (trackEventV2 takes: silent, dry, "
        "forceCompleteEvaluation)",
    ),
    (
        line("trackEventV2", query={"silent": "maybe"}),
        "query parameter 'silent' must be true or false",
    ),
    (
        line("updateCustomerSessionV2", query={"dry": True, "now": "2024-05-01"}),
        "query parameter 'now' must be an RFC 3339 date and time with an offset",
    ),
    (
        line("updateCustomerSessionV2", query={"dry": True, "now": "2024-05-01T12:00:00"}),
        "query parameter 'now' must be an RFC 3339 date and time with an offset",
    ),
    (line("deleteCustomerData", body={}), "deleteCustomerData takes no body"),
    ({"operationId": "createReferral"}, "body is missing"),
    (
        line("createReferral", body={"campaignId": "1", "advocateProfileIntegrationId": "p"}),
        "body: not a NewReferral: NewReferral.campaign_id: expected an integer, got a string",
    ),
    (
        line("createReferral", body={"campaignId": 1}),
        "body: not a NewReferral: NewReferral.advocate_profile_integration_id: the required "
        "member 'advocateProfileIntegrationId' is missing",
    ),
    (
        line("updateCustomerProfileV2", query={"dry": True}),
        "dry= is only accepted together with run_rule_engine=True",
    ),
    (
        line(
            "updateCustomerProfilesV2",
            body={"customerProfiles": [{"integrationId": f"p-{n}"} for n in range(1001)]},
        ),
        "customer_profiles takes 0 to 1000 items in one request, got 1001",
    ),
    (line("getCustomerInventory"), "getCustomerInventory is a read (GET)"),
]


@pytest.mark.parametrize(("text", "reason"), BAD_LINES)
def test_a_bad_line_has_a_clear_reason(text: Any, reason: str) -> None:
    with pytest.raises(LineError) as raised:
        parse_line(1, text if isinstance(text, str) else json.dumps(text))
    assert reason in str(raised.value)


async def test_a_job_with_bad_lines_sends_nothing_and_names_every_bad_line(
    server: RecordingServer, client: TalonClient, tmp_path: Path
) -> None:
    good = line("deleteCustomerData")
    job = write_job(
        tmp_path / "job.jsonl",
        [good, "", *(text for text, _ in BAD_LINES), good],
    )
    with pytest.raises(JobError) as raised:
        await run_job(client, job)
    problems = raised.value.problems
    assert [problem.line for problem in problems] == list(range(3, 3 + len(BAD_LINES)))
    for problem, (_, reason) in zip(problems, BAD_LINES, strict=True):
        assert reason in problem.reason
    assert str(raised.value).startswith(f"{job}: {len(BAD_LINES)} bad line(s), nothing was sent")
    assert "  line 3: not JSON: " in str(raised.value)
    assert server.received == []
    assert os.listdir(tmp_path) == ["job.jsonl"]  # no checkpoint either


def test_a_line_of_a_failures_file_is_a_job_line() -> None:
    failed = {**line("deleteCustomerData"), "error": {"class": "NotFoundError", "status": 404}}
    call = parse_line(1, json.dumps(failed))
    assert call.operation_id == "deleteCustomerData"


@pytest.mark.parametrize(
    ("operation_id", "key"),
    [
        ("updateCustomerSessionV2", ("session", "s-1")),
        ("returnCartItems", ("session", "s-1")),
        ("trackEvent", ("session", "s-1")),  # it names a session and a profile: the session
        ("activateLoyaltyPoints", ("session", "s-1")),
        ("updateCustomerProfileV2", ("profile", "p-1")),
        ("deleteLoyaltyTransactionsFromLedgers", ("profile", "p-1")),
        ("trackEventV2", ("profile", "p-1")),
        ("createReferral", ("profile", "p-1")),
        ("createCouponReservation", ("coupon", "C-1")),
        ("linkLoyaltyCardToProfile", ("loyalty card", "CARD-1")),
        ("syncCatalog", ("catalog", "5")),
        ("generateLoyaltyCard", None),  # a new card of the program: nothing to wait for
        ("updateCustomerProfilesV2", None),
        ("createAudienceV2", None),
    ],
)
def test_the_ordering_key_of_a_line(operation_id: str, key: tuple[str, str] | None) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        call = parse_line(1, orjson.dumps(line(operation_id)))
    assert call.key == key


def test_the_core_install_needs_no_taskiq_nor_redis() -> None:
    code = (
        "import sys, talon_async.bulk, talon_async.__main__\n"
        "assert not {'taskiq', 'taskiq_redis', 'redis'} & set(sys.modules), sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
