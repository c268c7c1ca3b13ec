"""The fake's first fifteen operations against the spec: coupon reservations, referrals,
customer data, inventory, profiles (v1, v2, bulk), customer audiences and session and
event updates (v1, v2).

Every answer, success or error, is checked with ``conformance.answer_problems``; the
request bodies the fake refuses are compared with those the spec's request schemas
refuse, on bodies generated from the spec's own constraints. The legacy operations
(getReservedCoupons, updateCustomerProfile, updateCustomerSession, trackEvent) are not in
the current spec: their answers are checked against the spec's schemas of the same
entities (see ``conformance.py``) and they have no request schema to compare with.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest

from talon_async.testing import FakeTalon, coupon_codes, loyalty_points

from ..spec import operations, request_schema, response_schema
from .conformance import LEGACY, answer_problems, deprecated_problems, documented_statuses
from .conftest import Raw, Reply


class Api:
    """Sends raw requests; checks each answer's status, error body and fit to the spec."""

    def __init__(self, raw: Raw) -> None:
        self.raw = raw

    async def send(
        self, operation_id: str, method: str, path: str, body: Any = None, **options: Any
    ) -> Reply:
        reply = await self.raw(method, path, body, **options)
        if operation_id not in LEGACY:
            assert reply.status in documented_statuses(operation_id), reply.body
        assert answer_problems(operation_id, reply.status, reply.body) == []
        if reply.status >= 400:
            assert reply.json["StatusCode"] == reply.status
            assert reply.json["message"] and reply.json["errors"]
        return reply

    async def __call__(
        self,
        operation_id: str,
        status: int,
        method: str,
        path: str,
        body: Any = None,
        **options: Any,
    ) -> Any:
        reply = await self.send(operation_id, method, path, body, **options)
        assert reply.status == status, reply.body
        return reply.json if reply.body else None


@pytest.fixture
def api(raw: Raw) -> Api:
    return Api(raw)


@pytest.fixture
def shop(talon_fake: FakeTalon) -> FakeTalon:
    """A coupon, 10% off with it, a point per currency unit in program 1, audience 7."""
    talon_fake.add_coupon("SPRING10", usage_limit=5, attributes={"kind": "spring"})
    talon_fake.add_rule(coupon_codes(percent=10))
    talon_fake.add_rule(loyalty_points(1, 1))
    talon_fake.add_audience(7, "Newsletter")
    return talon_fake


SESSION_CONTENT = [
    "customerSession",
    "customerProfile",
    "coupons",
    "triggeredCampaigns",
    "referral",
    "loyalty",
    "event",
    "awardedGiveaways",
    "ruleFailureReasons",
    "previousReturns",
    "campaignEligibility",
]
PROFILE_CONTENT = [
    "customerProfile",
    "triggeredCampaigns",
    "loyalty",
    "event",
    "awardedGiveaways",
    "ruleFailureReasons",
    "campaignEligibility",
]
CART = [{"sku": "shoe", "quantity": 2, "price": 50.0}]


def session(state: str = "open", profile: str = "alice", **extra: Any) -> dict[str, Any]:
    return {
        "customerSession": {"profileId": profile, "state": state, "cartItems": CART, **extra},
        "responseContent": SESSION_CONTENT,
    }


# -- coupon reservations ------------------------------------------------------------------


async def test_coupon_reservations(api: Api, shop: FakeTalon) -> None:
    reserve = "/v1/coupon_reservations/SPRING10"
    coupon = await api(
        "createCouponReservation", 201, "POST", reserve, {"integrationIDs": ["alice", "bob"]}
    )
    assert coupon["value"] == "SPRING10" and coupon["reservationCounter"] == 2
    again = await api("createCouponReservation", 201, "POST", reserve, {"integrationIDs": ["bob"]})
    assert again["reservationCounter"] == 2
    holders = await api(
        "getReservedCustomers", 200, "GET", "/v1/coupon_reservations/customerprofiles/SPRING10"
    )
    assert [p["integrationId"] for p in holders["data"]] == ["alice", "bob"]
    assert holders["totalResultSize"] == 2
    reserved = await api("getReservedCoupons", 200, "GET", "/v1/coupon_reservations/coupons/alice")
    assert [c["value"] for c in reserved["data"]] == ["SPRING10"]
    assert (
        await api("deleteCouponReservation", 204, "DELETE", reserve, {"integrationIDs": ["bob"]})
        is None
    )
    holders = await api(
        "getReservedCustomers", 200, "GET", "/v1/coupon_reservations/customerprofiles/SPRING10"
    )
    assert holders["totalResultSize"] == 1
    nobody = await api("getReservedCoupons", 200, "GET", "/v1/coupon_reservations/coupons/bob")
    assert nobody == {"totalResultSize": 0, "data": []}


async def test_coupon_reservation_errors(api: Api, shop: FakeTalon) -> None:
    body = {"integrationIDs": ["alice"]}
    for operation_id, method in (
        ("createCouponReservation", "POST"),
        ("deleteCouponReservation", "DELETE"),
    ):
        await api(operation_id, 404, method, "/v1/coupon_reservations/NOPE1", body)
        await api(operation_id, 400, method, "/v1/coupon_reservations/SPRING10", {})
        await api(
            operation_id,
            400,
            method,
            "/v1/coupon_reservations/SPRING10",
            {"integrationIDs": "alice"},
        )
        await api(operation_id, 401, method, "/v1/coupon_reservations/SPRING10", body, auth=False)
    path = "/v1/coupon_reservations/customerprofiles/"
    await api("getReservedCustomers", 404, "GET", f"{path}NOPE1")
    await api("getReservedCustomers", 401, "GET", f"{path}SPRING10", auth=False)
    await api("getReservedCoupons", 401, "GET", "/v1/coupon_reservations/coupons/alice", auth=False)
    assert shop.reservations == {} and shop.profiles == {}


# -- referrals ---------------------------------------------------------------------------


async def test_referrals(api: Api, shop: FakeTalon) -> None:
    minimal = await api(
        "createReferral", 201, "POST", "/v1/referrals",
        {"campaignId": 1, "advocateProfileIntegrationId": "alice"},
    )  # fmt: skip
    assert minimal["usageLimit"] == 0 and len(minimal["code"]) == 12
    full = await api(
        "createReferral", 201, "POST", "/v1/referrals",
        {
            "campaignId": 2,
            "advocateProfileIntegrationId": "alice",
            "friendProfileIntegrationId": "bob",
            "usageLimit": 999999,
            "startDate": "2024-01-01T00:00:00Z",
            "expiryDate": "2030-01-01T00:00:00.5+02:00",
            "attributes": {"channel": "mail"},
        },
    )  # fmt: skip
    assert (full["friendProfileIntegrationId"], full["usageLimit"]) == ("bob", 999999)
    many = {
        "campaignId": 1,
        "advocateProfileIntegrationIds": ["alice", "carol"],
        "usageLimit": 3,
        "referralPattern": "REF-###",
        "validCharacters": ["A", "B", "C"],
        "attributes": {"channel": "shop"},
    }
    created = await api(
        "createReferralsForMultipleAdvocates", 201, "POST",
        "/v1/referrals_for_multiple_advocates?silent=no", many,
    )  # fmt: skip
    assert [r["advocateProfileIntegrationId"] for r in created["data"]] == ["alice", "carol"]
    assert all(r["code"].startswith("REF-") for r in created["data"])
    silent = await api(
        "createReferralsForMultipleAdvocates", 204, "POST",
        "/v1/referrals_for_multiple_advocates", many,
    )  # fmt: skip
    assert silent is None and len(shop.referrals) == 6
    inventory = await api(
        "getCustomerInventory", 200, "GET", "/v1/customer_profiles/alice/inventory?referrals=true"
    )
    assert len(inventory["referrals"]) == 4


async def test_referral_errors(api: Api, shop: FakeTalon) -> None:
    one = {"campaignId": 1, "advocateProfileIntegrationId": "alice"}
    await api("createReferral", 401, "POST", "/v1/referrals", one, auth=False)
    await api("createReferral", 400, "POST", "/v1/referrals", {"campaignId": 1})
    await api("createReferral", 400, "POST", "/v1/referrals", {**one, "usageLimit": -1})
    many = {"campaignId": 1, "advocateProfileIntegrationIds": ["alice"], "usageLimit": 1}
    path = "/v1/referrals_for_multiple_advocates"
    await api("createReferralsForMultipleAdvocates", 401, "POST", path, many, auth=False)
    await api("createReferralsForMultipleAdvocates", 400, "POST", f"{path}?silent=maybe", many)
    await api(
        "createReferralsForMultipleAdvocates", 400, "POST", path,
        {**many, "advocateProfileIntegrationIds": []},
    )  # fmt: skip
    # A pattern may be 3 characters long, but a referral code is at least 4.
    short = await api(
        "createReferralsForMultipleAdvocates", 400, "POST", path, {**many, "referralPattern": "###"}
    )
    assert short["errors"][0]["source"] == {"pointer": "/referralPattern"}
    # Every code of a pattern without placeholders but one is taken.
    fixed = {**many, "referralPattern": "FIXED"}
    await api("createReferralsForMultipleAdvocates", 204, "POST", path, fixed)
    exhausted = await api("createReferralsForMultipleAdvocates", 400, "POST", path, fixed)
    assert exhausted["errors"][0]["title"] == "Pattern exhausted"
    assert list(shop.referrals) == ["FIXED"]


# -- customer profiles, audiences, inventory, customer data -------------------------------


async def test_profile_updates(api: Api, shop: FakeTalon) -> None:
    plain = await api(
        "updateCustomerProfileV2",
        200,
        "PUT",
        "/v2/customer_profiles/alice",
        {"attributes": {"a": 1}},
    )
    assert plain["customerProfile"]["attributes"] == {"a": 1}
    full = await api(
        "updateCustomerProfileV2", 200, "PUT", "/v2/customer_profiles/alice?runRuleEngine=true",
        {
            "attributes": {"b": 2},
            "evaluableCampaignIds": [1, 2],
            "audiencesChanges": {"adds": [7], "deletes": []},
            "responseContent": PROFILE_CONTENT,
        },
    )  # fmt: skip
    assert full["customerProfile"]["audienceMemberships"] == [{"id": 7, "name": "Newsletter"}]
    assert set(full) >= set(PROFILE_CONTENT)
    dry = await api(
        "updateCustomerProfileV2", 200, "PUT",
        "/v2/customer_profiles/bob?runRuleEngine=true&dry=true",
        {"audiencesChanges": {"adds": [], "deletes": [7]}, "responseContent": ["customerProfile"]},
    )  # fmt: skip
    assert dry["customerProfile"]["integrationId"] == "bob" and "bob" not in shop.profiles
    legacy = await api(
        "updateCustomerProfile", 200, "PUT", "/v1/customer_profiles/carol", {"attributes": {"c": 3}}
    )
    assert legacy["profile"]["attributes"] == {"c": 3}
    bulk = {
        "customerProfiles": [
            {"integrationId": "dave", "attributes": {"d": 4}},
            {"integrationId": "alice"},
        ]
    }
    states = await api(
        "updateCustomerProfilesV2", 200, "PUT", "/v2/customer_profiles?silent=no", bulk
    )
    assert [s["customerProfile"]["integrationId"] for s in states["integrationStates"]] == [
        "dave",
        "alice",
    ]
    assert await api("updateCustomerProfilesV2", 204, "PUT", "/v2/customer_profiles", bulk) is None
    audiences = {
        "data": [
            {"action": "add", "profileIntegrationId": "erin", "audienceId": 7},
            {"action": "delete", "profileIntegrationId": "alice", "audienceId": 7},
            {"action": "delete", "profileIntegrationId": "nobody", "audienceId": 7},
        ]
    }
    assert (
        await api(
            "updateCustomerProfileAudiences", 204, "POST", "/v2/customer_audiences", audiences
        )
        is None
    )
    assert shop.profiles["erin"]["audienceMemberships"] == [{"id": 7, "name": "Newsletter"}]
    assert shop.profiles["alice"]["audienceMemberships"] == []
    manager = {"Authorization": f"Bearer {shop.manager_token}"}
    await api(
        "updateCustomerProfileAudiences", 204, "POST", "/v2/customer_audiences", audiences,
        auth=False, headers=manager,
    )  # fmt: skip


async def test_profile_update_errors(api: Api, shop: FakeTalon) -> None:
    path = "/v2/customer_profiles/alice"
    await api("updateCustomerProfileV2", 401, "PUT", path, {}, auth=False)
    await api("updateCustomerProfileV2", 400, "PUT", f"{path}?dry=true", {})
    await api("updateCustomerProfileV2", 400, "PUT", path, {"responseContent": ["loyalty"]})
    await api("updateCustomerProfileV2", 400, "PUT", f"{path}?runRuleEngine=yes", {})
    # An unknown audience: a 400, as the operation documents no 404.
    unknown = await api(
        "updateCustomerProfileV2",
        400,
        "PUT",
        path,
        {"audiencesChanges": {"adds": [7], "deletes": [99]}},
    )
    assert unknown["errors"][0]["source"] == {"pointer": "/audiencesChanges/deletes/0"}
    # An integration ID is at most 1000 characters long, in the path too.
    long = await api(
        "updateCustomerProfileV2", 400, "PUT", f"/v2/customer_profiles/{'a' * 1001}", {}
    )
    assert long["errors"][0]["source"] == {"parameter": "integrationId"}
    await api("updateCustomerProfile", 400, "PUT", f"/v1/customer_profiles/{'a' * 1001}", {})
    await api("updateCustomerProfile", 401, "PUT", "/v1/customer_profiles/alice", {}, auth=False)
    await api("updateCustomerProfile", 400, "PUT", "/v1/customer_profiles/alice", {"attributes": 1})
    bulk = "/v2/customer_profiles"
    await api("updateCustomerProfilesV2", 401, "PUT", bulk, {}, auth=False)
    await api("updateCustomerProfilesV2", 400, "PUT", f"{bulk}?silent=maybe", {})
    await api("updateCustomerProfilesV2", 400, "PUT", bulk, {"customerProfiles": [{}]})
    audiences = "/v2/customer_audiences"
    item = {"action": "add", "profileIntegrationId": "erin", "audienceId": 7}
    await api(
        "updateCustomerProfileAudiences", 401, "POST", audiences, {"data": [item]}, auth=False
    )
    await api(
        "updateCustomerProfileAudiences",
        400,
        "POST",
        audiences,
        {"data": [{**item, "action": "join"}]},
    )
    await api(
        "updateCustomerProfileAudiences",
        404,
        "POST",
        audiences,
        {"data": [{**item, "audienceId": 8}]},
    )
    assert shop.profiles == {}


async def test_inventory_and_customer_data(api: Api, shop: FakeTalon) -> None:
    await api(
        "updateCustomerSessionV2",
        200,
        "PUT",
        "/v2/customer_sessions/s-1",
        session("closed", couponCodes=["SPRING10"]),
    )
    await api(
        "createCouponReservation",
        201,
        "POST",
        "/v1/coupon_reservations/SPRING10",
        {"integrationIDs": ["alice"]},
    )
    await api(
        "createReferral",
        201,
        "POST",
        "/v1/referrals",
        {"campaignId": 1, "advocateProfileIntegrationId": "alice"},
    )
    path = "/v1/customer_profiles/alice/inventory"
    assert await api("getCustomerInventory", 200, "GET", path) == {}
    parts = "profile", "referrals", "coupons", "loyalty", "giveaways", "achievements"
    everything = await api(
        "getCustomerInventory", 200, "GET", path + "?" + "&".join(f"{p}=true" for p in parts)
    )
    assert set(everything) == set(parts)
    assert everything["coupons"][0]["state"] == "used"
    assert everything["loyalty"]["programs"]["1"]["ledger"]["currentBalance"] == 100.0
    await api("getCustomerInventory", 400, "GET", f"{path}?coupons=1")
    await api("getCustomerInventory", 401, "GET", path, auth=False)
    await api("getCustomerInventory", 404, "GET", "/v1/customer_profiles/nobody/inventory")
    await api("deleteCustomerData", 401, "DELETE", "/v1/customer_data/alice", auth=False)
    assert await api("deleteCustomerData", 204, "DELETE", "/v1/customer_data/alice") is None
    await api("deleteCustomerData", 404, "DELETE", "/v1/customer_data/alice")
    await api("getCustomerInventory", 404, "GET", path)


# -- sessions and events: v2 updates and the legacy ones ------------------------------------


async def test_session_updates(api: Api, shop: FakeTalon) -> None:
    await api(
        "createReferral",
        201,
        "POST",
        "/v1/referrals",
        {"campaignId": 1, "advocateProfileIntegrationId": "bob"},
    )
    code = next(iter(shop.referrals))
    full = session(
        "closed",
        couponCodes=["SPRING10"],
        referralCode=code,
        storeIntegrationId="store-1",
        evaluableCampaignIds=[1, 2],
        loyaltyCards=["card-1"],
        experimentVariantAllocations=[{"experimentID": 1, "variantID": 2}],
        additionalCosts={"shipping": {"price": 5.0}},
        identifiers=["device-1"],
        attributes={"channel": "web"},
    )
    closed = await api("updateCustomerSessionV2", 200, "PUT", "/v2/customer_sessions/s-1", full)
    assert set(closed) >= set(SESSION_CONTENT)
    assert closed["referral"]["code"] == code and closed["coupons"][0]["usageCounter"] == 1
    assert [e["effectType"] for e in closed["effects"]] == [
        "acceptCoupon",
        "setDiscount",
        "addLoyaltyPoints",
    ]
    cancelled = await api(
        "updateCustomerSessionV2", 200, "PUT", "/v2/customer_sessions/s-1", session("cancelled")
    )
    assert next(e["effectType"] for e in cancelled["effects"]) == "rollbackCoupon"
    dry = await api(
        "updateCustomerSessionV2", 200, "PUT",
        "/v2/customer_sessions/s-2?dry=true&now=2999-01-01T00:00:00Z", session("open", profile=""),
    )  # fmt: skip
    assert "customerProfile" not in dry and "s-2" not in shop.sessions
    legacy = {
        "profileId": "carol",
        "coupon": "SPRING10",
        "referral": "",
        "state": "closed",
        "cartItems": CART,
        "total": 90.0,
    }
    answer = await api("updateCustomerSession", 200, "PUT", "/v1/customer_sessions/s-3", legacy)
    assert answer["coupon"]["value"] == "SPRING10" and answer["loyalty"]["programs"]
    assert answer["session"]["discounts"] == {"SPRING10": 10.0}
    event = {
        "type": "visit",
        "attributes": {"page": "home"},
        "sessionId": "s-4",
        "profileId": "carol",
    }
    tracked = await api("trackEvent", 201, "POST", "/v1/events", event)
    assert tracked["event"]["type"] == "visit"
    anonymous = await api(
        "trackEvent",
        201,
        "POST",
        "/v1/events?dry=true",
        {**event, "profileId": "", "sessionId": "s-5"},
    )
    assert anonymous["profile"]["integrationId"] == ""


async def test_session_update_errors(api: Api, shop: FakeTalon) -> None:
    v2 = "/v2/customer_sessions/s-1"
    await api("updateCustomerSessionV2", 401, "PUT", v2, session(), auth=False)
    await api("updateCustomerSessionV2", 400, "PUT", v2, {})
    await api("updateCustomerSessionV2", 400, "PUT", v2, session("cancelled"))
    await api("updateCustomerSessionV2", 400, "PUT", f"{v2}?now=2999-01-01T00:00:00Z", session())
    await api(
        "updateCustomerSessionV2", 400, "PUT", f"{v2}?dry=true&now=2000-01-01T00:00:00Z", session()
    )
    long = await api(
        "updateCustomerSessionV2", 400, "PUT", f"/v2/customer_sessions/{'s' * 1001}", session()
    )
    assert long["errors"][0]["source"] == {"parameter": "customerSessionId"}
    v1 = "/v1/customer_sessions/s-1"
    await api("updateCustomerSession", 401, "PUT", v1, {}, auth=False)
    await api("updateCustomerSession", 400, "PUT", v1, {"state": "lost"})
    await api("updateCustomerSession", 400, "PUT", f"/v1/customer_sessions/{'s' * 1001}", {})
    event = {"type": "visit", "attributes": {}, "sessionId": "s-1"}
    await api("trackEvent", 401, "POST", "/v1/events", event, auth=False)
    await api("trackEvent", 400, "POST", "/v1/events", {"type": "visit"})
    await api("trackEvent", 400, "POST", "/v1/events", {**event, "profileId": "p" * 1001})
    # What the event would echo: a type and a store of the lengths its schema allows.
    await api("trackEvent", 400, "POST", "/v1/events", {**event, "type": ""})
    await api("trackEvent", 400, "POST", "/v1/events", {**event, "storeIntegrationId": "s" * 1001})
    assert shop.sessions == {} and shop.profiles == {} and shop.events == []


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("updateCustomerProfileV2", "/v2/customer_profiles/alice", {}),) * 2,
        (("updateCustomerSession", "/v1/customer_sessions/s-1", {}),) * 2,
        # v1 and v2 update the same session: they exclude each other.
        (
            ("updateCustomerSession", "/v1/customer_sessions/s-1", {}),
            ("updateCustomerSessionV2", "/v2/customer_sessions/s-1", session()),
        ),
    ],
)
async def test_parallel_updates_of_one_entity_get_409(
    api: Api, talon_fake: FakeTalon, first: tuple[str, str, Any], second: tuple[str, str, Any]
) -> None:
    talon_fake.faults.delay(0.3, times=1)
    handled = asyncio.create_task(api(first[0], 200, "PUT", *first[1:]))
    # The first update holds its entity from the moment it is recorded.
    while not talon_fake.requests:  # noqa: ASYNC110 (the fake has no arrival hook)
        await asyncio.sleep(0.001)
    await api(second[0], 409, "PUT", *second[1:])
    await handled


# -- deprecated members --------------------------------------------------------------------


async def test_deprecated_members_behave_as_documented(api: Api, shop: FakeTalon) -> None:
    """loyaltyMemberships is null, a ledger's expiredBalance and spentBalance are 0 and
    a campaign's deprecated redemption counts are left out, wherever they appear."""
    closed = await api(
        "updateCustomerSessionV2", 200, "PUT", "/v2/customer_sessions/s-1",
        session("closed", couponCodes=["SPRING10"]),
    )  # fmt: skip
    assert closed["customerProfile"]["loyaltyMemberships"] is None
    ledger = closed["loyalty"]["programs"]["1"]["ledger"]
    assert (ledger["currentBalance"], ledger["expiredBalance"], ledger["spentBalance"]) == (
        100.0,
        0,
        0,
    )
    assert closed["triggeredCampaigns"] and all(
        "couponRedemptionCount" not in c for c in closed["triggeredCampaigns"]
    )
    inventory = await api(
        "getCustomerInventory", 200, "GET", "/v1/customer_profiles/alice/inventory?profile=true"
    )
    assert inventory["profile"]["loyaltyMemberships"] is None


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        (
            {"customerProfile": {"integrationId": "a", "loyaltyMemberships": []}},
            "/customerProfile/loyaltyMemberships: deprecated, always null, but []",
        ),
        ({"customerProfile": {"integrationId": "a", "loyaltyMemberships": None}}, None),
        (
            {"loyalty": {"programs": {"1": {"ledger": {"spentBalance": 3.0}}}}},
            "/loyalty/programs/1/ledger/spentBalance: deprecated, shown as 0, but 3.0",
        ),
        ({"loyalty": {"programs": {"1": {"ledger": {"expiredBalance": 0.0}}}}}, None),
        (
            {"triggeredCampaigns": [{"id": 1, "couponRedemptionCount": 2}]},
            "/triggeredCampaigns/0/couponRedemptionCount: deprecated, left out by the fake, but 2",
        ),
    ],
)
def test_the_deprecated_check_finds_a_filled_member(answer: Any, problem: str | None) -> None:
    schema = response_schema("updateCustomerProfileV2", 200)
    assert list(deprecated_problems(schema, answer)) == ([problem] if problem else [])


# -- request validation against the spec's request schemas ---------------------------------
# For each operation, a valid body holding every member its request schema declares; the
# variants below change one member at a time, to a value on each side of each of the
# spec's constraints (lengths, ranges, item counts, enums, formats, types, required). The
# fake must refuse a variant (400, an "Invalid request body" error at that member) exactly
# when the spec's schema refuses it. JSON null is left out here: test_fake_nulls.py sets
# each member of these bodies (and of the other operations') to null.

DATE = "2024-01-01T00:00:00Z"
BODIES: dict[str, tuple[str, str, dict[str, Any]]] = {
    "createCouponReservation": (
        "POST", "/v1/coupon_reservations/SPRING10", {"integrationIDs": ["alice"]},
    ),
    "deleteCouponReservation": (
        "DELETE", "/v1/coupon_reservations/SPRING10", {"integrationIDs": ["alice"]},
    ),
    "createReferral": (
        "POST", "/v1/referrals",
        {
            "campaignId": 1,
            "advocateProfileIntegrationId": "alice",
            "friendProfileIntegrationId": "bob",
            "usageLimit": 1,
            "startDate": DATE,
            "expiryDate": DATE,
            "attributes": {},
        },
    ),
    "createReferralsForMultipleAdvocates": (
        "POST", "/v1/referrals_for_multiple_advocates",
        {
            "campaignId": 1,
            "advocateProfileIntegrationIds": ["alice"],
            "usageLimit": 1,
            "referralPattern": "R-######",
            "validCharacters": ["A", "B", "C", "D"],
            "startDate": DATE,
            "expiryDate": DATE,
            "attributes": {},
        },
    ),
    "updateCustomerProfileV2": (
        "PUT", "/v2/customer_profiles/alice?runRuleEngine=true",
        {
            "attributes": {},
            "evaluableCampaignIds": [1],
            "responseContent": ["customerProfile"],
            "audiencesChanges": {"adds": [7], "deletes": [7]},
        },
    ),
    "updateCustomerProfilesV2": (
        "PUT", "/v2/customer_profiles",
        {"customerProfiles": [{"integrationId": "alice", "attributes": {}}]},
    ),
    "updateCustomerProfileAudiences": (
        "POST", "/v2/customer_audiences",
        {"data": [{"action": "add", "profileIntegrationId": "alice", "audienceId": 7}]},
    ),
    "updateCustomerSessionV2": (
        "PUT", "/v2/customer_sessions/s-1?dry=true",
        {
            "customerSession": {
                "profileId": "alice",
                "storeIntegrationId": "store-1",
                "evaluableCampaignIds": [1],
                "couponCodes": ["SPRING10"],
                "referralCode": "R-1",
                "loyaltyCards": ["card-1"],
                "state": "open",
                "cartItems": [
                    {
                        "name": "Shoe",
                        "sku": "shoe",
                        "quantity": 1,
                        "returnedQuantity": 0,
                        "remainingQuantity": 1,
                        "price": 50.0,
                        "category": "shoes",
                        "product": {"name": "Shoe"},
                        "weight": 1.0,
                        "height": 1.0,
                        "width": 1.0,
                        "length": 1.0,
                        "position": 0,
                        "attributes": {},
                        "additionalCosts": {"wrap": {"price": 1.0}},
                        "catalogItemID": 1,
                        "selectedPriceType": "member",
                        "adjustmentReferenceId": "68851723-e6fa-488f-ace9-112581e6c19b",
                        "adjustmentEffectiveFrom": DATE,
                        "adjustmentEffectiveUntil": DATE,
                        "prices": {
                            "member": {
                                "price": 45.0,
                                "adjustmentContextId": "ctx",
                                "adjustmentReferenceId": "68851723-e6fa-488f-ace9-112581e6c19b",
                                "adjustmentEffectiveFrom": DATE,
                                "adjustmentEffectiveUntil": DATE,
                            }
                        },
                    }
                ],
                "experimentVariantAllocations": [{"experimentID": 1, "variantID": 2}],
                "additionalCosts": {"shipping": {"price": 5.0}},
                "identifiers": ["device-1"],
                "attributes": {},
            },
            "responseContent": ["customerSession"],
        },
    ),
}  # fmt: skip

# Where the fake is stricter than the request schema, for an answer's schema to hold:
# * every profile and session integration ID is at most 1000 characters long (the answers'
#   CustomerProfile and CustomerSessionV2 say so), where the request sets no bound: a
#   reservation's integrationIDs, a session's profileId, the advocates of
#   createReferralsForMultipleAdvocates, and path parameters;
# * the bulk profile update and the customer audiences update take at most 1000 items, as
#   their descriptions say (their schemas set no maxItems);
# * a referral code is at least 4 characters long (Referral.code), so a pattern making
#   shorter codes is refused although referralPattern may be 3 characters long.
STRICTER: list[tuple[str, str, tuple[str | int, ...], Any]] = [
    ("createCouponReservation", "", ("integrationIDs", 0), "a" * 1001),
    ("deleteCouponReservation", "", ("integrationIDs", 0), "a" * 1001),
    ("createReferralsForMultipleAdvocates", "", ("advocateProfileIntegrationIds", 0), "a" * 1001),
    ("createReferralsForMultipleAdvocates", "", ("referralPattern",), "###"),
    ("updateCustomerSessionV2", "", ("customerSession", "profileId"), "a" * 1001),
    ("updateCustomerSessionV2", "/v2/customer_sessions/" + "s" * 1001, (), None),
    ("updateCustomerProfileV2", "/v2/customer_profiles/" + "a" * 1001, (), None),
    ("updateCustomerProfilesV2", "", ("customerProfiles",), [{"integrationId": "a"}] * 1001),
    (
        "updateCustomerProfileAudiences", "", ("data",),
        [{"action": "add", "profileIntegrationId": "a", "audienceId": 7}] * 1001,
    ),
]  # fmt: skip

Pointer = tuple[str | int, ...]
_WRONG_TYPE = {
    "string": 7,
    "integer": "1",
    "number": "1.5",
    "boolean": "true",
    "array": {},
    "object": [],
}
_INVALID_FORMAT = {"date-time": "yesterday", "uuid": "not-a-uuid"}


def _merged(schema: dict[str, Any]) -> dict[str, Any]:
    """An object schema with the properties and required lists of its allOf parts."""
    merged = {**schema, "properties": dict(schema.get("properties", {}))}
    merged["required"] = list(schema.get("required", []))
    for part in schema.get("allOf", ()):
        part = _merged(part)
        merged["properties"].update(part["properties"])
        merged["required"] += part["required"]
        merged.setdefault("type", part.get("type"))
    return merged


def _members(
    schema: dict[str, Any], value: Any, at: Pointer
) -> Iterator[tuple[Pointer, dict[str, Any], bool]]:
    """Every member the schema declares, with its pointer in ``value``, its schema and
    whether it is required; fails if the valid body lacks one."""
    schema = _merged(schema)
    for name, member in schema["properties"].items():
        assert isinstance(value, dict) and name in value, f"the valid body lacks {(*at, name)}"
        yield from _member(member, value[name], (*at, name), name in schema["required"])


def _member(
    schema: dict[str, Any], value: Any, at: Pointer, required: bool
) -> Iterator[tuple[Pointer, dict[str, Any], bool]]:
    schema = _merged(schema)
    yield at, schema, required
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        assert value, f"the valid body has no item at {at}"
        yield from _member(schema["items"], value[0], (*at, 0), False)
    elif schema.get("type") == "object":
        yield from _members(schema, value, at)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            assert value, f"the valid body has no entry at {at}"
            key = next(iter(value))
            yield from _member(extra, value[key], (*at, key), False)


def _variants(schema: dict[str, Any], required: bool, value: Any) -> Iterator[tuple[str, Any]]:
    """Values of one member on each side of its constraints (MISSING: left out)."""
    if required:
        yield "missing", MISSING
    kind = schema.get("type")
    if kind in _WRONG_TYPE:
        yield f"not {kind}", _WRONG_TYPE[kind]
    if "enum" in schema:
        for choice in schema["enum"]:
            yield f"enum {choice}", choice
        yield "not in enum", "unknown-choice"
    if schema.get("format") in _INVALID_FORMAT:
        yield schema["format"], _INVALID_FORMAT[schema["format"]]
    for bound, side in (("minLength", -1), ("maxLength", 1)):
        if bound in schema:
            for length in (schema[bound], schema[bound] + side):
                if length >= 0:
                    yield f"{length} characters", "x" * length
    for bound, side in (("minimum", -1), ("maximum", 1)):
        if bound in schema:
            yield f"{bound} {schema[bound]}", schema[bound]
            yield f"{bound} {schema[bound]} {'-+'[side > 0]} 1", schema[bound] + side
    for bound, side in (("minItems", -1), ("maxItems", 1)):
        if bound in schema:
            for count in (schema[bound], schema[bound] + side):
                if count >= 0:
                    yield f"{count} items", [copy.deepcopy(value[0])] * count


MISSING = object()


def _with(body: Any, at: Pointer, value: Any) -> Any:
    changed = copy.deepcopy(body)
    if not at:
        return value
    parent: Any = changed
    for key in at[:-1]:
        parent = parent[key]
    if value is MISSING:
        del parent[at[-1]]
    else:
        parent[at[-1]] = value
    return changed


def _spec_accepts(operation_id: str, body: Any) -> bool:
    schema = request_schema(operation_id)
    assert schema is not None
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return validator.is_valid(body)


def _refused(reply: Reply, at: Pointer) -> bool:
    """Whether the fake refused the body for the member at ``at`` (or its content)."""
    if reply.status != 400:
        return False
    pointer = "".join(f"/{key}" for key in at)
    return any(
        error["title"] == "Invalid request body"
        and (error["source"].get("pointer", "") + "/").startswith(pointer + "/")
        for error in reply.json["errors"]
    )


def _cases(operation_id: str) -> Iterator[tuple[str, Pointer, Any]]:
    _, _, body = BODIES[operation_id]
    schema = request_schema(operation_id)
    assert schema is not None
    yield "the valid body", (), body
    yield "not an object", (), []
    for at, member, required in _members(schema, body, ()):
        current: Any = body
        for key in at:
            current = current[key]
        for label, value in _variants(member, required, current):
            yield f"{'/'.join(map(str, at))}: {label}", at, _with(body, at, value)


def test_the_spec_has_a_request_schema_for_each_compared_operation() -> None:
    with_bodies = {op for op in operations() if request_schema(op) is not None}
    mine = {
        "createCouponReservation", "deleteCouponReservation", "createReferral",
        "createReferralsForMultipleAdvocates", "updateCustomerProfileV2",
        "updateCustomerProfilesV2", "updateCustomerProfileAudiences", "updateCustomerSessionV2",
    }  # fmt: skip
    assert set(BODIES) == mine and mine <= with_bodies


@pytest.mark.parametrize("operation_id", list(BODIES))
async def test_the_fake_refuses_exactly_the_bodies_the_spec_refuses(
    api: Api, shop: FakeTalon, operation_id: str
) -> None:
    method, path, _ = BODIES[operation_id]
    mismatches = []
    accepted = refused = 0
    for label, at, body in _cases(operation_id):
        spec_accepts = _spec_accepts(operation_id, body)
        reply = await api.send(operation_id, method, path, body)
        fake_refuses = _refused(reply, at)
        if fake_refuses == spec_accepts:
            verdict = "accepts" if spec_accepts else "refuses"
            mismatches.append(f"{label}: the spec {verdict}, the fake answers {reply.status}")
        accepted += spec_accepts
        refused += not spec_accepts
    assert mismatches == []
    assert accepted >= 2 and refused >= 2


@pytest.mark.parametrize(
    ("operation_id", "path", "at", "value"),
    STRICTER,
    ids=[f"{op}-{n}" for n, (op, *_) in enumerate(STRICTER)],
)
async def test_where_the_fake_is_stricter_than_the_request_schema(
    api: Api, shop: FakeTalon, operation_id: str, path: str, at: Pointer, value: Any
) -> None:
    method, valid_path, valid = BODIES[operation_id]
    body = _with(valid, at, value) if at else valid
    assert _spec_accepts(operation_id, body)
    await api(operation_id, 400, method, path or valid_path, body)
