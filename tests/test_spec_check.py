"""The library against the spec kept in the repository: the table of operations and the
models differ from it exactly by the accepted differences below, each with its reason; the
check finds what a changed spec changes; ``python -m tests.spec_diff`` prints it."""

from __future__ import annotations

import copy
import functools
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from talon_async.operations import OPERATIONS

from . import spec, spec_diff
from .spec_check import Accepted, Difference, SpecOperations, check, legacy
from .testing.conformance import LEGACY

_NEWEST_SDK = (
    "Talon.One's newest official SDK models it and the published spec does not (yet); the "
    "model keeps it, so an answer that has it decodes typed"
)
_SESSION_ANSWER_ONLY = (
    "the table answers the v2 profile update with IntegrationStateV2, the model of the v2 "
    "session update and the return (as the SDKs of the seed documents did); the spec's "
    "answer of the profile update is the subset without the session's members"
)

ACCEPTED = (
    # The spec's contradictions (see also tests/testing/conformance.py).
    *(
        Accepted(
            f"CustomerSessionV2.{member}",
            "required by the spec, which does not define it",
            "a member of the v1 session: this schema does not define it, no example of the "
            "spec and no official model of the v2 session has it",
        )
        for member in ("coupon", "referral")
    ),
    Accepted(
        "ExtendLoyaltyPointsExpiryDateEffectProps.previousExpirationDate",
        "required by the spec, which does not define it",
        "not defined by the schema, in no example and no official model (the expiry dates "
        "are in affectedTransactions)",
    ),
    # Deliberate: what a request does with None.
    Accepted(
        "NewPriceAdjustment.price",
        "nullable in the spec, not in the model",
        "None leaves the member out; null (which ends the price type) is sent with "
        "extra_fields={'price': None}, as the model's docstring says",
    ),
    Accepted(
        "DeleteLoyaltyTransactionsRequest.subledgerIds",
        "nullable in the spec, not in the model",
        "null and absent mean the same (no ledger named, as scope AllSubledgers needs); "
        "None leaves the member out",
    ),
    # Deliberate: the table is stricter than the spec where the API is.
    Accepted(
        "query.skip",
        "minimum: spec None, table 0",
        "a negative number of items to skip means nothing; the table refuses it before "
        "anything is sent",
    ),
    Accepted(
        "body.customerProfiles",
        "items: spec 0 to None, table 0 to 1000",
        "Talon.One documents at most 1000 profiles per request; the schema states no bound",
        ("updateCustomerProfilesV2",),
    ),
    # Members and kinds of Talon.One's newest official SDK that the spec lacks.
    *(
        Accepted("Effect.props", f"kind {kind} in the model, not in the spec", _NEWEST_SDK)
        for kind in ("strikethroughSetDiscountPerItem", "strikethroughSetDiscountPerItemMember")
    ),
    *(
        Accepted(f"IntegrationCampaign.{member}", "not in the spec", _NEWEST_SDK)
        for member in ("linkedStoreIds", "linkedAudienceIds")
    ),
    *(
        Accepted(f"{model}.achievements", "not in the spec", _NEWEST_SDK)
        for model in (
            "IntegrationStateV2",
            "IntegrationEventV2Response",
            "IntegrationEventV3Response",
        )
    ),
    # A legacy shape: one answer model for the three v2 updates.
    *(
        Accepted(
            f"IntegrationStateV2.{member}",
            "not in the spec",
            _SESSION_ANSWER_ONLY,
            ("updateCustomerProfileV2",),
        )
        for member in (
            "customerSession",
            "coupons",
            "referral",
            "advancedEvent",
            "return",
            "previousReturns",
        )
    ),
)
"""The differences between the library and the kept spec that are known and accepted."""


@functools.cache
def _kept() -> tuple[Difference, ...]:
    return tuple(check(spec.operations(), spec.security()))


def _accepted(difference: Difference) -> bool:
    return any(accepted.covers(difference) for accepted in ACCEPTED)


def test_the_library_differs_from_the_kept_spec_only_as_accepted() -> None:
    differences = _kept()
    assert [str(d) for d in differences if not _accepted(d)] == []
    for accepted in ACCEPTED:
        covered = {d.operation for d in differences if accepted.covers(d)}
        assert covered, f"accepted, but no longer found: {accepted}"
        assert covered >= set(accepted.operations), accepted


def test_the_records_the_spec_lacks_are_the_deprecated_v1_operations() -> None:
    assert set(legacy(spec.operations())) == set(LEGACY)
    assert all(OPERATIONS[name].deprecated for name in LEGACY)


# -- the check fails when the spec changes ---------------------------------------------


def _changed(operation_id: str, change: Callable[[dict[str, Any]], object]) -> SpecOperations:
    """The kept spec with one operation changed (on a copy of it)."""
    operations = dict(spec.operations())
    method, path, described = operations[operation_id]
    described = copy.deepcopy(described)
    change(described)
    operations[operation_id] = (method, path, described)
    return operations


def _new(operations: SpecOperations) -> list[str]:
    """The differences ``operations`` makes, besides those of the kept spec."""
    kept = set(_kept())
    return [str(d) for d in check(operations, spec.security()) if d not in kept]


def _schema(part: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = part["content"]["application/json"]["schema"]
    return schema


def _at(schema: dict[str, Any], *steps: str) -> dict[str, Any]:
    """The schema of a member (``[]``: of an item) of ``schema``, through ``allOf``."""
    for step in steps:
        if step == "[]":
            schema = schema["items"]
            continue
        schema = _object_with(schema, step)["properties"][step]
    return schema


def _defines(schema: dict[str, Any], member: str) -> bool:
    return member in schema.get("properties", {}) or any(
        _defines(part, member) for part in schema.get("allOf", [])
    )


def _object_with(schema: dict[str, Any], member: str) -> dict[str, Any]:
    """The part of ``schema`` (through ``allOf``) that defines ``member``."""
    while member not in schema.get("properties", {}):
        (schema,) = (p for p in schema["allOf"] if _defines(p, member))
    return schema


def _cart_item(described: dict[str, Any]) -> dict[str, Any]:
    """The cart item of the session in the session update's answer."""
    answer = _schema(described["responses"]["200"])
    return _object_with(_at(answer, "customerSession", "cartItems", "[]"), "quantity")


def _parameter(described: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(p for p in described["parameters"] if p["name"] == name)
    return found


def _new_member(described: dict[str, Any]) -> None:
    _cart_item(described)["properties"]["giftWrap"] = {"type": "boolean"}


def _new_required_member(described: dict[str, Any]) -> None:
    item = _cart_item(described)
    item["properties"]["giftWrap"] = {"type": "boolean"}
    item["required"] = [*item.get("required", []), "giftWrap"]


def _changed_type(described: dict[str, Any]) -> None:
    _cart_item(described)["properties"]["quantity"]["type"] = "string"


def _now_required(described: dict[str, Any]) -> None:
    item = _cart_item(described)
    item["required"] = [*item.get("required", []), "name"]


def _nullable(described: dict[str, Any]) -> None:
    _cart_item(described)["properties"]["quantity"]["type"] = ["integer", "null"]


def _now_optional(described: dict[str, Any]) -> None:
    item = _cart_item(described)
    item["required"] = [name for name in item["required"] if name != "sku"]


def _two_shapes(described: dict[str, Any]) -> None:
    _cart_item(described)["properties"]["quantity"] = {
        "oneOf": [{"type": "integer"}, {"type": "string"}]
    }


def _map_of_numbers(described: dict[str, Any]) -> None:
    answer = _schema(described["responses"]["200"])
    costs = _at(answer, "customerSession", "cartItems", "[]", "additionalCosts")
    costs["additionalProperties"] = {"type": "number"}


def _no_body(described: dict[str, Any]) -> None:
    answer = described["responses"].pop("200")
    del answer["content"]
    described["responses"]["204"] = answer


def _new_effect(described: dict[str, Any]) -> None:
    props = _at(_schema(described["responses"]["200"]), "effects", "[]", "props")
    props["oneOf"].append({"title": "awardBadge", "type": "object"})


CHANGES = {
    "a new member": (
        "updateCustomerSessionV2",
        _new_member,
        ["IntegrationStateV2.customerSession.cartItems[].giftWrap: missing from the model"],
    ),
    "a new required member": (
        "updateCustomerSessionV2",
        _new_required_member,
        [
            "IntegrationStateV2.customerSession.cartItems[].giftWrap: "
            "missing from the model, required in the spec"
        ],
    ),
    "a changed type": (
        "updateCustomerSessionV2",
        _changed_type,
        ["IntegrationStateV2.customerSession.cartItems[].quantity: type: spec string, model int"],
    ),
    "a member now required": (
        "updateCustomerSessionV2",
        _now_required,
        [
            "IntegrationStateV2.customerSession.cartItems[].name: "
            "required in the spec, optional in the model"
        ],
    ),
    "a member now nullable": (
        "updateCustomerSessionV2",
        _nullable,
        [
            "IntegrationStateV2.customerSession.cartItems[].quantity: "
            "nullable in the spec, not in the model"
        ],
    ),
    "a member now optional": (
        "updateCustomerSessionV2",
        _now_optional,
        [
            "IntegrationStateV2.customerSession.cartItems[].sku: "
            "optional in the spec, required in the model"
        ],
    ),
    "a member of two shapes": (
        "updateCustomerSessionV2",
        _two_shapes,
        ["IntegrationStateV2.customerSession.cartItems[].quantity: oneOf: not compared"],
    ),
    "a map of other values": (
        "updateCustomerSessionV2",
        _map_of_numbers,
        [
            "IntegrationStateV2.customerSession.cartItems[].additionalCosts{}: "
            "type: spec number, model AdditionalCost"
        ],
    ),
    "a new effect type": (
        "updateCustomerSessionV2",
        _new_effect,
        ["IntegrationStateV2.effects[].props: kind awardBadge in the spec, not in the model"],
    ),
    "a new member of one kind of a oneOf": (
        "syncCatalog",
        lambda d: _at(_schema(d["requestBody"]), "actions", "[]")["oneOf"][0]["properties"][
            "payload"
        ]["properties"].update(currency={"type": "string"}),
        ["CatalogSyncRequest.actions[](ADD).payload.currency: missing from the model"],
    ),
    "a new request member": (
        "createAudienceV2",
        lambda d: _object_with(_schema(d["requestBody"]), "name")["properties"].update(
            region={"type": "string"}
        ),
        ["NewAudience.region: missing from the model"],
    ),
    "a new query parameter": (
        "getCustomerInventory",
        lambda d: d["parameters"].append(
            {"name": "badges", "in": "query", "schema": {"type": "boolean"}}
        ),
        ["query.badges: missing from the table"],
    ),
    "a changed query type": (
        "getCustomerInventory",
        lambda d: _parameter(d, "loyalty").update(schema={"type": "string"}),
        ["query.loyalty: type: spec string, table flag"],
    ),
    "a required query parameter": (
        "getLoyaltyBalances",
        lambda d: _parameter(d, "subledgerId").update(required=True),
        ["query.subledgerId: required in the spec, optional in the table"],
    ),
    "a changed bound": (
        "getLoyaltyCardPoints",
        lambda d: _parameter(d, "pageSize")["schema"].update(maximum=500),
        ["query.pageSize: maximum: spec 500, table 1000"],
    ),
    "a changed page size": (
        "getLoyaltyCardPoints",
        lambda d: _parameter(d, "pageSize")["schema"].update(default=100),
        ["query.pageSize: default: spec 100, table 50"],
    ),
    "a list written otherwise": (
        "getCustomerAchievements",
        lambda d: _parameter(d, "campaignIds").update(explode=True),
        ["query.campaignIds: explode: spec True, table False"],
    ),
    "a changed path parameter": (
        "getLoyaltyCardBalances",
        lambda d: _parameter(d, "loyaltyProgramId").update(schema={"type": "string"}),
        ["path.loyaltyProgramId: type: spec string, table integer"],
    ),
    "a body no longer taken": (
        "createReferral",
        lambda d: d.pop("requestBody"),
        ["body: no body in the spec, the table takes NewReferral"],
    ),
    "an answer without a body": (
        "getEventV3",
        _no_body,
        ["answer: no body in the spec, the table returns EventV3"],
    ),
    "an answer also without a body": (
        "getEventV3",
        lambda d: d["responses"].update({"204": {"description": "No content"}}),
        ["answer: also answers without a body, the table has no silent parameter"],
    ),
    "a body now taken": (
        "getEventV3",
        lambda d: d.update(requestBody={"content": {"application/json": {"schema": {}}}}),
        ["body: a body in the spec, none in the table"],
    ),
    "a deprecated operation": (
        "getEventV3",
        lambda d: d.update(deprecated=True),
        ["deprecated: deprecated in the spec, not in the table"],
    ),
    "a new security scheme": (
        "getEventV3",
        lambda d: d["security"].append({"oauth2": []}),
        ["security: oauth2 in the spec, not in the record's auth"],
    ),
}


@pytest.mark.parametrize(
    ("operation_id", "change", "expected"), CHANGES.values(), ids=list(CHANGES)
)
def test_the_check_reports_a_change_of_the_spec(
    operation_id: str, change: Callable[[dict[str, Any]], object], expected: list[str]
) -> None:
    assert _new(_changed(operation_id, change)) == [f"{operation_id}: {e}" for e in expected]


def test_the_check_reports_new_operations_and_changed_request_lines() -> None:
    operations = dict(spec.operations())
    operations["getBadges"] = ("GET", "/v1/badges", {"operationId": "getBadges"})
    _, path, described = operations["getEventV3"]
    operations["getEventV3"] = ("POST", path + "/x", described)
    del operations["deleteCustomerData"]

    assert _new(operations) == [
        "getEventV3: method: spec POST, table GET",
        "getEventV3: path: spec /v3/events/{integrationId}/x, table /v3/events/{integrationId}",
        "getBadges: a new operation: GET /v1/badges",
        "deleteCustomerData: not in the spec",
    ]


# -- python -m tests.spec_diff -----------------------------------------------------------


def test_spec_diff_prints_a_difference_of_a_model_once_and_leaves_out_the_accepted() -> None:
    operations = {
        name: spec.operations()[name]
        for name in ("getCustomerSession", "reopenCustomerSession", "trackEventV2")
    }
    missing = "missing from the model"
    differences = [
        Difference("getCustomerSession", "A.effects[].props.x", missing, "P.x"),
        Difference("reopenCustomerSession", "B.effects[].props.x", missing, "P.x"),
        Difference("trackEventV2", "C.effects[].props.x", missing, "P.x"),
        Difference("getCustomerSession", "A.y", missing, "A.y"),
        Difference("reopenCustomerSession", "B.y", missing, "A.y"),
    ]
    accepted = [Accepted("A.y", missing, "a reason", ("getCustomerSession",))]

    lines, left_out = spec_diff.report(differences, accepted, operations)

    assert left_out == 0  # A.y is still shown, for reopenCustomerSession
    assert lines == [
        "getCustomerSession (GET /v2/customer_sessions/{customerSessionId}):",
        "  A.effects[].props.x: missing from the model (also in 2 more operations)",
        "",
        "reopenCustomerSession (PUT /v2/customer_sessions/{customerSessionId}/reopen):",
        "  B.y: missing from the model",
        "",
    ]
    assert spec_diff.report(differences[3:4], accepted, operations) == ([], 1)


def test_spec_diff_finds_nothing_new_in_the_kept_spec(capsys: pytest.CaptureFixture[str]) -> None:
    assert spec_diff.main([]) == 0
    first, second = capsys.readouterr().out.splitlines()
    assert first.startswith("0 differences between the library and ")
    accepted = len({d.key for d in _kept()})
    assert second.startswith(f"(left out: {accepted} accepted in tests/test_spec_check.py, ")


def _bundled(tmp_path: Path) -> Path:
    """A bundled spec of two operations: getEventV3 with a new member (and its path
    parameter given by the path), and a new one."""
    _, _, described = spec.operations()["getEventV3"]
    described = copy.deepcopy(described)
    answer = _object_with(_schema(described["responses"]["200"]), "type")
    answer["properties"]["source"] = {"$ref": "#/components/schemas/Source"}
    shared = [described["parameters"].pop()]
    assert shared[0]["name"] == "integrationId"
    document = {
        "openapi": "3.1.0",
        "security": [{"api_key_v1": []}],
        "paths": {
            "/v3/events/{integrationId}": {"get": described, "parameters": shared},
            "/v1/badges": {"get": {"operationId": "getBadges", "responses": {"204": {}}}},
        },
        "components": {"schemas": {"Source": {"type": "string"}}},
    }
    path = tmp_path / "integration-api.json"
    path.write_text(json.dumps(document), "utf-8")
    return path


def test_spec_diff_prints_what_a_newer_spec_changes(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-m", "tests.spec_diff", str(_bundled(tmp_path))],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    absent = len(OPERATIONS) - len(LEGACY) - 1  # every record but getEventV3 and the v1 ones
    assert lines[0].startswith(f"{absent + 2} differences between the library and ")
    assert lines[1].startswith("(left out: 0 accepted in tests/test_spec_check.py, and ")
    assert lines[3:11] == [
        "New operations:",
        "  getBadges: GET /v1/badges",
        "",
        "getEventV3 (GET /v3/events/{integrationId}):",
        "  EventV3.source: missing from the model",
        "",
        "Operations of the table the spec lacks:",
        "  updateCustomerSessionV2",
    ]
    assert len(lines) == 11 + absent - 1


def test_spec_diff_reads_a_directory_in_the_layout_of_the_kept_spec(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from .openapi import refresh

    refresh.write(refresh.load(_bundled(tmp_path)), tmp_path / "newer")
    assert spec_diff.main([str(tmp_path / "newer")]) == 1
    out = capsys.readouterr().out
    assert "  EventV3.source: missing from the model\n" in out
    assert "  getBadges: GET /v1/badges\n" in out
