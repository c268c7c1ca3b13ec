"""Suite-wide: the fake serves every operation of the spec and the four legacy ones, and
each served operation answers a smoke call with a documented status and a body that
fits the spec (``conformance.answer_problems``).

An operation with an entry in ``SMOKE`` gets that call, on a fake seeded for it, and must
succeed; then every served operation of the spec is called as the spec's examples
describe it (path parameters, request body), and may answer any documented status. The
deeper per-operation tests are in test_fake_conformance.py, test_fake_sessions_events.py
and the tests of each later area.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest

from talon_async.testing import FakeTalon

from ..spec import operations, request_schema
from .conformance import LEGACY, answer_problems, documented_statuses
from .conftest import Raw

# The operations of the spec the fake does not serve yet, by the area that will add them.
# Delete an area's entries when it lands: the test below fails while an operation is both
# served and listed here.
NOT_SERVED_YET: set[str] = set()


def _endpoint(method: str, path: str) -> tuple[str, str]:
    """A method and path template, path parameters unnamed: ``/v1/referrals/{}``."""
    return method, re.sub(r"\{[^/]*\}", "{}", path)


def served_operations() -> dict[str, tuple[str, str]]:
    """operationId -> (method, path) of every route of the fake."""
    endpoints = {
        _endpoint(method, path): operation_id
        for operation_id, (method, path, _) in operations().items()
    } | {_endpoint(method, path): operation_id for operation_id, (method, path) in LEGACY.items()}
    served = {}
    for route in FakeTalon.all_routes():
        path = "/" + "/".join(route.pattern)
        operation_id = endpoints.get(_endpoint(route.method, path))
        assert operation_id is not None, f"{route.method} {path} is no operation of the spec"
        assert operation_id not in served, f"{operation_id} has two routes"
        served[operation_id] = (route.method, path)
    return served


def test_the_fake_serves_every_operation_of_the_spec_and_the_legacy_ones() -> None:
    served = set(served_operations())
    assert len(operations()) == 38 and len(LEGACY) == 4
    assert served & NOT_SERVED_YET == set(), "served now: delete them from NOT_SERVED_YET"
    assert served | NOT_SERVED_YET == set(operations()) | set(LEGACY)


@dataclass(frozen=True)
class Smoke:
    """A call that must succeed: the fake seeded with ``seed`` and sent ``before`` first."""

    method: str
    path: str
    status: int
    body: Any = None
    seed: dict[str, Any] = field(default_factory=dict)
    before: tuple[tuple[str, str, Any], ...] = ()


SEED = {
    "coupons": [{"value": "SUMMER10"}],
    "referrals": [{"code": "FRIEND-1", "advocateProfileIntegrationId": "customer1"}],
    "profiles": [{"integrationId": "customer1", "attributes": {"tier": "gold"}}],
    "audiences": [{"id": 7, "name": "Newsletter"}],
    "rules": [
        {"rule": "coupon_codes", "percent": 10},
        {"rule": "loyalty_points", "programId": 1, "pointsPerCurrencyUnit": 1},
    ],
}
SESSION = {
    "customerSession": {
        "profileId": "customer1",
        "state": "closed",
        "couponCodes": ["SUMMER10"],
        "referralCode": "FRIEND-1",
        "cartItems": [{"sku": "shoe", "quantity": 2, "price": 50.0}],
    },
    "responseContent": ["customerSession", "customerProfile", "coupons", "referral", "loyalty"],
}
CLOSE = ("PUT", "/v2/customer_sessions/session1", SESSION)
EVENT = {"type": "review", "profileId": "customer1", "attributes": {"stars": 5}}
SMOKE: dict[str, Smoke] = {
    "createCouponReservation": Smoke(
        "POST", "/v1/coupon_reservations/SUMMER10", 201, {"integrationIDs": ["customer1"]}, SEED
    ),
    "deleteCouponReservation": Smoke(
        "DELETE", "/v1/coupon_reservations/SUMMER10", 204, {"integrationIDs": ["customer1"]}, SEED
    ),
    "getReservedCustomers": Smoke(
        "GET", "/v1/coupon_reservations/customerprofiles/SUMMER10", 200, seed=SEED,
        before=(("POST", "/v1/coupon_reservations/SUMMER10", {"integrationIDs": ["customer1"]}),),
    ),
    "getReservedCoupons": Smoke(
        "GET", "/v1/coupon_reservations/coupons/customer1", 200, seed=SEED,
        before=(("POST", "/v1/coupon_reservations/SUMMER10", {"integrationIDs": ["customer1"]}),),
    ),
    "createReferral": Smoke(
        "POST", "/v1/referrals", 201, {"campaignId": 1, "advocateProfileIntegrationId": "c1"}
    ),
    "createReferralsForMultipleAdvocates": Smoke(
        "POST", "/v1/referrals_for_multiple_advocates?silent=no", 201,
        {"campaignId": 1, "advocateProfileIntegrationIds": ["c1", "c2"], "usageLimit": 1},
    ),
    "deleteCustomerData": Smoke("DELETE", "/v1/customer_data/customer1", 204, seed=SEED),
    "getCustomerInventory": Smoke(
        "GET",
        "/v1/customer_profiles/customer1/inventory?profile=true&referrals=true&coupons=true"
        "&loyalty=true&giveaways=true&achievements=true",
        200, seed=SEED, before=(CLOSE,),
    ),
    "updateCustomerProfile": Smoke(
        "PUT", "/v1/customer_profiles/customer1", 200, {"attributes": {"a": 1}}, SEED
    ),
    "updateCustomerProfileV2": Smoke(
        "PUT", "/v2/customer_profiles/customer1?runRuleEngine=true", 200,
        {
            "audiencesChanges": {"adds": [7], "deletes": []},
            "responseContent": ["customerProfile", "loyalty", "event", "triggeredCampaigns"],
        },
        SEED,
    ),
    "updateCustomerProfilesV2": Smoke(
        "PUT", "/v2/customer_profiles?silent=no", 200,
        {"customerProfiles": [{"integrationId": "customer1"}, {"integrationId": "c2"}]}, SEED,
    ),
    "updateCustomerProfileAudiences": Smoke(
        "POST", "/v2/customer_audiences", 204,
        {"data": [{"action": "add", "profileIntegrationId": "customer1", "audienceId": 7}]}, SEED,
    ),
    "updateCustomerSession": Smoke(
        "PUT", "/v1/customer_sessions/session1", 200,
        {"profileId": "customer1", "coupon": "SUMMER10", "state": "closed", "cartItems": []},
        SEED,
    ),
    "updateCustomerSessionV2": Smoke("PUT", "/v2/customer_sessions/session1", 200, SESSION, SEED),
    "getCustomerSession": Smoke(
        "GET", "/v2/customer_sessions/session1", 200, seed=SEED, before=(CLOSE,)
    ),
    "reopenCustomerSession": Smoke(
        "PUT", "/v2/customer_sessions/session1/reopen", 200, seed=SEED, before=(CLOSE,)
    ),
    "returnCartItems": Smoke(
        "POST", "/v2/customer_sessions/session1/returns", 200,
        {"return": {"returnedCartItems": [{"position": 0, "quantity": 1}]}}, SEED, (CLOSE,),
    ),
    "trackEvent": Smoke(
        "POST", "/v1/events", 201, {**EVENT, "sessionId": "session1"}, SEED
    ),
    "trackEventV2": Smoke(
        "POST", "/v2/events?silent=no", 200,
        {**EVENT, "responseContent": ["customerProfile", "loyalty", "event"]}, SEED,
    ),
    "trackEventV3": Smoke(
        "POST", "/v3/events?silent=no", 200,
        {**EVENT, "integrationId": "pe_12345", "responseContent": ["advancedEvent"]}, SEED,
    ),
    "getEventV3": Smoke(
        "GET", "/v3/events/pe_12345", 200, seed=SEED,
        before=(("POST", "/v3/events", {**EVENT, "integrationId": "pe_12345"}),),
    ),
}  # fmt: skip


def _example(schema: dict[str, Any]) -> Any:
    """A value built from the spec's examples (and the first enum value, or a plain one)."""
    if "allOf" in schema:
        parts = [_example(part) for part in schema["allOf"]]
        if all(isinstance(part, dict) for part in parts):
            return {key: value for part in parts for key, value in part.items()}
        return parts[0]
    if "example" in schema:
        return schema["example"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        wanted = set(schema.get("required", []))
        return {
            name: _example(member)
            for name, member in schema.get("properties", {}).items()
            if name in wanted or "example" in member
        }
    if kind == "array":
        return [_example(schema.get("items", {}))]
    return {"integer": 1, "number": 1.0, "boolean": False}.get(str(kind), "example")


def _spec_call(operation_id: str) -> tuple[str, str, Any]:
    """The call the spec's examples describe: path parameters and body."""
    method, path, operation = operations()[operation_id]
    for parameter in operation.get("parameters", ()):
        if parameter["in"] == "path":
            path = path.replace("{" + parameter["name"] + "}", str(parameter["example"]))
    body = None
    if request_schema(operation_id) is not None:
        media = operation["requestBody"]["content"]["application/json"]
        examples = list(media.get("examples", {}).values())
        body = examples[0]["value"] if examples else _example(media["schema"])
    return method, path, body


SERVED = sorted(served_operations())


def test_every_operation_with_a_smoke_entry_is_served() -> None:
    assert set(SMOKE) <= set(SERVED)


def test_the_spec_describes_a_call_of_every_operation() -> None:
    for operation_id in operations():
        _method, path, body = _spec_call(operation_id)
        assert "{" not in path and (body is None) == (request_schema(operation_id) is None)


@pytest.mark.parametrize("operation_id", SERVED)
async def test_each_served_operation_answers_as_the_spec_says(
    raw: Raw, talon_fake: FakeTalon, operation_id: str
) -> None:
    calls: list[tuple[str, str, Any, int | None]] = []
    smoke = SMOKE.get(operation_id)
    if smoke is not None:
        talon_fake.seed(smoke.seed)
        for before in smoke.before:
            assert (await raw(*before)).status < 300
        calls.append((smoke.method, smoke.path, smoke.body, smoke.status))
    if operation_id in LEGACY:
        assert smoke is not None, "a legacy operation needs a SMOKE entry"
    else:
        calls.append((*_spec_call(operation_id), None))
    for method, path, body, status in calls:
        reply = await raw(method, path, body)
        assert status in (None, reply.status), reply.body
        if operation_id not in LEGACY:
            assert reply.status in documented_statuses(operation_id), reply.body
        assert answer_problems(operation_id, reply.status, reply.body) == []
    unauthorized = await raw(method, path, body, auth=False)
    assert unauthorized.status == 401
    assert answer_problems(operation_id, 401, unauthorized.body) == []
