"""getCustomerSession, reopenCustomerSession, returnCartItems, trackEventV2, trackEventV3
and getEventV3 against a real local server: what goes on the wire, what comes back, what
is refused before any I/O, per-session ordering and the replay rules of the retry policy."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import attrs
import pytest
from aiohttp import web

from talon_async import (
    ApiKeyV1,
    AuthConfigurationError,
    AuthStrategy,
    ContentSignature,
    ServerError,
    TalonClient,
)
from talon_async.models import (
    EventV3,
    IntegrationCustomerSessionResponse,
    IntegrationEventV2Request,
    IntegrationEventV2Response,
    IntegrationEventV3Request,
    IntegrationEventV3Response,
    IntegrationRequest,
    IntegrationStateV2,
    NewCustomerSessionV2,
    NewReturn,
    ReopenSessionResponse,
    ReturnedCartItem,
    ReturnIntegrationRequest,
)

from .conftest import API_KEY, RecordingServer
from .models.test_sessions_events_v2 import spec_answers

ANSWERS = {name: answer for name, (_, answer) in spec_answers().items()}

RETURN = ReturnIntegrationRequest(
    return_=NewReturn(returned_cart_items=[ReturnedCartItem(position=0, quantity=1)]),
    response_content=["customerSession"],
)
RETURN_JSON = {
    "return": {"returnedCartItems": [{"position": 0, "quantity": 1}]},
    "responseContent": ["customerSession"],
}
EVENT_V2 = IntegrationEventV2Request(
    type="pageViewed",
    profile_id="URNGV8294NV",
    attributes={"myAttribute": "myValue"},
    response_content=["triggeredCampaigns"],
)
EVENT_V2_JSON = {
    "type": "pageViewed",
    "profileId": "URNGV8294NV",
    "attributes": {"myAttribute": "myValue"},
    "responseContent": ["triggeredCampaigns"],
}
EVENT_V3 = IntegrationEventV3Request(
    profile_id="URNGV8294NV",
    type="pageViewed",
    integration_id="evt-1",
    connected_session_id="s-1",
)
EVENT_V3_JSON = {
    "profileId": "URNGV8294NV",
    "type": "pageViewed",
    "integrationId": "evt-1",
    "connectedSessionId": "s-1",
}

Call = Callable[[TalonClient], Awaitable[Any]]


@attrs.frozen
class Case:
    call: Call
    method: str
    path: str
    query: str  # the exact query string sent
    body: Any  # the JSON expected on the wire, or None for no body
    status: int
    answer: Any  # JSON the server answers with, or None for no body
    returns: type | None


CASES: dict[str, Case] = {
    "getCustomerSession": Case(
        lambda c: c.sessions.get("s-1"),
        "GET", "/v2/customer_sessions/s-1", "", None,
        200, ANSWERS["getCustomerSession"], IntegrationCustomerSessionResponse,
    ),
    "getCustomerSession-escaped": Case(
        lambda c: c.get_customer_session("order 7/ü"),
        "GET", "/v2/customer_sessions/order%207%2F%C3%BC", "", None,
        200, {}, IntegrationCustomerSessionResponse,
    ),
    "reopenCustomerSession": Case(
        lambda c: c.sessions.reopen("s-1"),
        "PUT", "/v2/customer_sessions/s-1/reopen", "", None,
        200, ANSWERS["reopenCustomerSession"], ReopenSessionResponse,
    ),
    "returnCartItems": Case(
        lambda c: c.sessions.return_items("s-1", RETURN),
        "POST", "/v2/customer_sessions/s-1/returns", "", RETURN_JSON,
        200, ANSWERS["returnCartItems"], IntegrationStateV2,
    ),
    "returnCartItems-dry": Case(
        lambda c: c.sessions.return_items("s-1", RETURN, dry=True),
        "POST", "/v2/customer_sessions/s-1/returns", "dry=true", RETURN_JSON,
        200, ANSWERS["returnCartItems"], IntegrationStateV2,
    ),
    "returnCartItems-runRuleEngine": Case(
        lambda c: c.sessions.return_items("s-1", RETURN, run_rule_engine=True),
        "POST", "/v2/customer_sessions/s-1/returns", "runRuleEngine=true", RETURN_JSON,
        200, ANSWERS["returnCartItems"], IntegrationStateV2,
    ),
    "returnCartItems-both": Case(
        lambda c: c.return_cart_items("s-1", RETURN, dry=True, run_rule_engine=True),
        "POST", "/v2/customer_sessions/s-1/returns", "dry=true&runRuleEngine=true", RETURN_JSON,
        200, ANSWERS["returnCartItems"], IntegrationStateV2,
    ),
    "trackEventV2": Case(
        lambda c: c.events.track_v2(EVENT_V2),
        "POST", "/v2/events", "silent=no", EVENT_V2_JSON,
        200, ANSWERS["trackEventV2"], IntegrationEventV2Response,
    ),
    "trackEventV2-silent": Case(
        lambda c: c.events.track_v2(EVENT_V2, silent=True),
        "POST", "/v2/events", "silent=yes", EVENT_V2_JSON, 204, None, None,
    ),
    "trackEventV2-dry": Case(
        lambda c: c.events.track_v2(EVENT_V2, dry=True),
        "POST", "/v2/events", "silent=no&dry=true", EVENT_V2_JSON,
        200, ANSWERS["trackEventV2"], IntegrationEventV2Response,
    ),
    "trackEventV2-forceCompleteEvaluation": Case(
        lambda c: c.track_event_v2(EVENT_V2, dry=True, force_complete_evaluation=True),
        "POST", "/v2/events", "silent=no&dry=true&forceCompleteEvaluation=true", EVENT_V2_JSON,
        200, ANSWERS["trackEventV2"], IntegrationEventV2Response,
    ),
    "trackEventV3": Case(
        lambda c: c.events.track_v3(EVENT_V3),
        "POST", "/v3/events", "silent=no", EVENT_V3_JSON,
        200, ANSWERS["trackEventV3"], IntegrationEventV3Response,
    ),
    "trackEventV3-silent": Case(
        lambda c: c.events.track_v3(EVENT_V3, silent=True),
        "POST", "/v3/events", "silent=yes", EVENT_V3_JSON, 204, None, None,
    ),
    # The spec lists no 204 answer for trackEventV3: a silent call ignores any body.
    "trackEventV3-silent-answered-200": Case(
        lambda c: c.events.track_v3(EVENT_V3, silent=True),
        "POST", "/v3/events", "silent=yes", EVENT_V3_JSON,
        200, ANSWERS["trackEventV3"], None,
    ),
    "trackEventV3-dry": Case(
        lambda c: c.events.track_v3(EVENT_V3, dry=True),
        "POST", "/v3/events", "silent=no&dry=true", EVENT_V3_JSON,
        200, ANSWERS["trackEventV3"], IntegrationEventV3Response,
    ),
    "trackEventV3-forceCompleteEvaluation": Case(
        lambda c: c.track_event_v3(EVENT_V3, dry=True, force_complete_evaluation=True),
        "POST", "/v3/events", "silent=no&dry=true&forceCompleteEvaluation=true", EVENT_V3_JSON,
        200, ANSWERS["trackEventV3"], IntegrationEventV3Response,
    ),
    "getEventV3": Case(
        lambda c: c.events.get_v3("evt-1"),
        "GET", "/v3/events/evt-1", "", None, 200, ANSWERS["getEventV3"], EventV3,
    ),
}  # fmt: skip


def _answering(status: int, answer: Any, query_strings: list[str]) -> Any:
    body = b"" if answer is None else json.dumps(answer).encode()

    async def handler(request: web.Request) -> web.StreamResponse:
        query_strings.append(request.query_string)
        return web.Response(status=status, body=body, content_type="application/json")

    return handler


@pytest.mark.parametrize("name", list(CASES))
async def test_operation_on_the_wire(server: RecordingServer, name: str) -> None:
    case = CASES[name]
    query_strings: list[str] = []
    server.handle(_answering(case.status, case.answer, query_strings))
    # The integration signature comes first: these operations accept only the API key.
    auth: list[AuthStrategy] = [ContentSignature(7, "ab12"), ApiKeyV1(API_KEY)]
    async with TalonClient(server.url, auth=auth) as client:
        result = await case.call(client)
    (received,) = server.received
    assert received.method == case.method
    assert received.raw_path == case.path
    assert query_strings == [case.query]
    assert received.headers["Authorization"] == f"ApiKey-v1 {API_KEY}"
    assert "Content-Signature" not in received.headers
    assert received.headers["Accept"] == "application/json"
    if case.body is None:
        assert received.body == b""
        assert "Content-Type" not in received.headers  # no body, so no label for one
    else:
        assert received.headers["Content-Type"] == "application/json"
        assert json.loads(received.body) == case.body
    if case.returns is None:
        assert result is None
    else:
        assert type(result) is case.returns


async def test_official_names_take_the_official_argument_order(server: RecordingServer) -> None:
    query_strings: list[str] = []
    server.handle(_answering(200, ANSWERS["reopenCustomerSession"], query_strings))
    async with TalonClient(server.url, auth=ApiKeyV1(API_KEY)) as client:
        reopened = await client.reopen_customer_session("s-2")
        server.handle(_answering(200, ANSWERS["getEventV3"], query_strings))
        event = await client.get_event_v3("evt-2")
    assert isinstance(reopened, ReopenSessionResponse)
    assert isinstance(event, EventV3)
    assert [r.raw_path for r in server.received] == [
        "/v2/customer_sessions/s-2/reopen",
        "/v3/events/evt-2",
    ]


async def test_api_key_is_required(server: RecordingServer) -> None:
    async with TalonClient(server.url, auth=ContentSignature(7, "ab12")) as client:
        with pytest.raises(AuthConfigurationError, match="api_key_v1"):
            await client.sessions.get("s-1")
        with pytest.raises(AuthConfigurationError, match="api_key_v1"):
            await client.events.track_v2(EVENT_V2)
    assert server.received == []


BAD_CALLS: dict[str, tuple[type[Exception], str, Call]] = {
    "session id not a str": (
        TypeError, "customer_session_id must be a str, got int",
        lambda c: c.sessions.get(7),  # type: ignore[arg-type]
    ),
    "reopen id not a str": (
        TypeError, "customer_session_id must be a str, got NoneType",
        lambda c: c.sessions.reopen(None),  # type: ignore[arg-type]
    ),
    "return id not a str": (
        TypeError, "customer_session_id must be a str, got bytes",
        lambda c: c.sessions.return_items(b"s-1", RETURN),  # type: ignore[arg-type]
    ),
    "event id not a str": (
        TypeError, "integration_id must be a str, got int",
        lambda c: c.events.get_v3(5),  # type: ignore[arg-type]
    ),
    "empty session id": (
        ValueError, "customer_session_id must not be empty", lambda c: c.sessions.get(""),
    ),
    "dry not a bool": (
        TypeError, "dry must be True or False, got str",
        lambda c: c.sessions.return_items("s-1", RETURN, dry="yes"),  # type: ignore[arg-type]
    ),
    "run_rule_engine not a bool": (
        TypeError, "run_rule_engine must be True or False, got int",
        lambda c: c.sessions.return_items("s-1", RETURN, run_rule_engine=1),  # type: ignore[arg-type]
    ),
    "silent not a bool": (
        TypeError, "silent must be True or False, got str",
        lambda c: c.events.track_v2(EVENT_V2, silent="no"),  # type: ignore[call-overload]
    ),
    "v3 dry not a bool": (
        TypeError, "dry must be True or False, got int",
        lambda c: c.events.track_v3(EVENT_V3, dry=0),  # type: ignore[call-overload]
    ),
    "force_complete_evaluation not a bool": (
        TypeError, "force_complete_evaluation must be True or False, got str",
        lambda c: c.events.track_v2(
            EVENT_V2, dry=True, force_complete_evaluation="true"  # type: ignore[call-overload]
        ),
    ),
    "force_complete_evaluation without dry": (
        ValueError, "only accepted together with dry=True",
        lambda c: c.events.track_v3(EVENT_V3, force_complete_evaluation=True),
    ),
    "return body of the wrong model": (
        TypeError, "must be a ReturnIntegrationRequest, got IntegrationRequest",
        lambda c: c.sessions.return_items(
            "s-1", IntegrationRequest(customer_session=NewCustomerSessionV2())  # type: ignore[arg-type]
        ),
    ),
    "v2 event body of the v3 model": (
        TypeError, "must be an IntegrationEventV2Request, got IntegrationEventV3Request",
        lambda c: c.events.track_v2(EVENT_V3),  # type: ignore[call-overload]
    ),
    "v3 event body as a dict": (
        TypeError, "must be an IntegrationEventV3Request, got dict",
        lambda c: c.events.track_v3(EVENT_V3_JSON),  # type: ignore[call-overload]
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(BAD_CALLS))
async def test_bad_input_is_refused_before_io(
    server: RecordingServer, client: TalonClient, name: str
) -> None:
    error, message, call = BAD_CALLS[name]
    with pytest.raises(error, match=message):
        await call(client)
    assert server.received == []


class SessionRecorder:
    """Holds each call on session s-1 until a probe call on session s-2 has arrived, and
    records the calls on s-1 in flight when that happens."""

    def __init__(self) -> None:
        self.arrived: list[str] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.in_flight_at_probe: int | None = None
        self.first_arrived = asyncio.Event()
        self.probe_arrived = asyncio.Event()

    async def __call__(self, request: web.Request) -> web.StreamResponse:
        if request.path == "/v2/customer_sessions/s-2":
            self.in_flight_at_probe = self.in_flight
            self.probe_arrived.set()
            return _json(ANSWERS["getCustomerSession"])
        self.arrived.append(f"{request.method} {request.path}")
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        self.first_arrived.set()
        try:
            await self.probe_arrived.wait()
        finally:
            self.in_flight -= 1
        if request.path.endswith("/reopen"):
            return _json(ANSWERS["reopenCustomerSession"])
        return _json(ANSWERS["returnCartItems"])


def _json(data: Any) -> web.Response:
    return web.Response(body=json.dumps(data), content_type="application/json")


async def test_return_reopen_and_update_of_one_session_run_one_at_a_time_in_call_order(
    server: RecordingServer, client: TalonClient
) -> None:
    recorder = SessionRecorder()
    server.handle(recorder)
    update = IntegrationRequest(customer_session=NewCustomerSessionV2(state="closed"))
    calls = asyncio.gather(
        client.sessions.return_items("s-1", RETURN),
        client.sessions.reopen("s-1"),
        client.sessions.update_v2("s-1", update),
        client.sessions.get("s-1"),
    )
    await recorder.first_arrived.wait()
    # Calls on another session are not held up: this one passes while s-1's first call
    # is still being answered, long after the other calls on s-1 were made.
    probe = await client.sessions.get("s-2")
    returned, reopened, updated, read = await calls
    assert recorder.in_flight_at_probe == 1
    assert recorder.most_in_flight == 1
    assert recorder.arrived == [
        "POST /v2/customer_sessions/s-1/returns",
        "PUT /v2/customer_sessions/s-1/reopen",
        "PUT /v2/customer_sessions/s-1",
        "GET /v2/customer_sessions/s-1",
    ]
    assert isinstance(returned, IntegrationStateV2)
    assert isinstance(reopened, ReopenSessionResponse)
    assert isinstance(updated, IntegrationStateV2)
    assert isinstance(read, IntegrationCustomerSessionResponse)
    assert isinstance(probe, IntegrationCustomerSessionResponse)
    assert len(client._transport._order) == 0


def _502_then_answer(answer: Any) -> Any:
    """502 (inviting an immediate retry) once, then the answer."""
    sent = 0

    async def handler(request: web.Request) -> web.StreamResponse:
        nonlocal sent
        sent += 1
        if sent == 1:
            return web.Response(status=502, headers={"Retry-After": "0"})
        return _json(answer)

    return handler


REPLAYED_ON_502: dict[str, tuple[Call, Any, bool]] = {
    "trackEventV2": (lambda c: c.events.track_v2(EVENT_V2), ANSWERS["trackEventV2"], False),
    # The API keeps one advanced event per integrationId, and applies a return once per
    # Idempotency-Key (which the client sends, the same on each retry): both are replayed.
    "trackEventV3": (lambda c: c.events.track_v3(EVENT_V3), ANSWERS["trackEventV3"], True),
    "returnCartItems": (
        lambda c: c.sessions.return_items("s-1", RETURN), ANSWERS["returnCartItems"], True,
    ),
    "getCustomerSession": (
        lambda c: c.sessions.get("s-1"), ANSWERS["getCustomerSession"], True,
    ),
    "reopenCustomerSession": (
        lambda c: c.sessions.reopen("s-1"), ANSWERS["reopenCustomerSession"], True,
    ),
    "getEventV3": (lambda c: c.events.get_v3("evt-1"), ANSWERS["getEventV3"], True),
}  # fmt: skip


@pytest.mark.parametrize("name", list(REPLAYED_ON_502))
async def test_default_policy_replays_only_what_is_safe_to_replay(
    server: RecordingServer, name: str
) -> None:
    call, answer, replayed = REPLAYED_ON_502[name]
    server.handle(_502_then_answer(answer))
    async with TalonClient(server.url, auth=ApiKeyV1(API_KEY)) as client:
        if replayed:
            assert await call(client) is not None
        else:
            with pytest.raises(ServerError) as info:
                await call(client)
            assert info.value.status == 502
            assert info.value.attempts == 1
    assert len(server.received) == (2 if replayed else 1)
    keys = {r.headers.get("Idempotency-Key") for r in server.received}
    if name == "returnCartItems":
        [key] = keys  # one key, the same on the retry
        assert key is not None and len(key) == 36
    else:
        assert keys == {None}


async def test_a_callers_idempotency_key_wins_and_each_call_gets_its_own(
    server: RecordingServer,
) -> None:
    server.respond(200, json.dumps(ANSWERS["returnCartItems"]))
    async with TalonClient(server.url, auth=ApiKeyV1(API_KEY)) as client:
        await client.sessions.return_items("s-1", RETURN)
        await client.sessions.return_items("s-1", RETURN)
        await client.sessions.return_items(
            "s-1", RETURN, extra_headers={"idempotency-key": "job-7-line-3"}
        )
    first, second, own = (
        {k.lower(): v for k, v in r.headers.items()}["idempotency-key"] for r in server.received
    )
    assert first != second
    assert own == "job-7-line-3"
    assert ["idempotency-key" in {k.lower() for k in r.headers} for r in server.received] == [
        True
    ] * 3


async def test_track_event_v2_opted_in_for_replay_is_retried(server: RecordingServer) -> None:
    server.handle(_502_then_answer(ANSWERS["trackEventV2"]))
    async with TalonClient(server.url, auth=ApiKeyV1(API_KEY)) as client:
        state = await client.events.track_v2(EVENT_V2, allow_replay=True)
    assert isinstance(state, IntegrationEventV2Response)
    assert len(server.received) == 2
    assert all(json.loads(r.body) == EVENT_V2_JSON for r in server.received)
