"""The fake's getCustomerSession, reopenCustomerSession, returnCartItems, trackEventV2,
trackEventV3 and getEventV3 as raw HTTP: every answer, success or error, is checked
against the current spec (``tests/spec.py``), and request validation against the spec's
request schemas.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest

from talon_async.testing import EffectSpec, FakeTalon, RuleContext, coupon_codes, loyalty_points

from ..spec import request_schema
from .conformance import answer_problems
from .conftest import Raw


def _effect(effect_type: str, props: dict[str, Any]) -> dict[str, Any]:
    return {
        "campaignId": 1,
        "rulesetId": 2,
        "ruleIndex": 0,
        "ruleName": "r",
        "effectType": effect_type,
        "props": props,
    }


@pytest.mark.parametrize(
    ("operation_id", "status", "body", "problem"),
    [
        (
            "reopenCustomerSession", 200,
            {"effects": [_effect("setDiscount", {"name": "x"})]},
            "setDiscount props: 'value' is a required property",
        ),
        (
            "reopenCustomerSession", 200,
            {"effects": [_effect("rollbackCoupon", {"value": 7})]},
            "rollbackCoupon props: 7 is not of type 'string'",
        ),
        (
            "reopenCustomerSession", 200,
            {"effects": [_effect("madeUp", {"value": 7})]},
            "the spec has no props schema for madeUp",
        ),
        (
            "getCustomerSession", 200,
            {"customerSession": {"id": 1}},
            "customerSession: 'state' is a required property",
        ),
        ("getCustomerSession", 404, {"errors": []}, "<root>: 'message' is a required property"),
        ("trackEventV2", 204, {}, "a 204 answer with a body"),
    ],
)  # fmt: skip
def test_the_spec_check_makes_narrow_exceptions_only(
    operation_id: str, status: int, body: Any, problem: str
) -> None:
    assert problem in answer_problems(operation_id, status, json.dumps(body).encode())
    valid = {"effects": [_effect("rollbackDiscount", {"name": "x", "value": 1.5})]}
    assert answer_problems("reopenCustomerSession", 200, json.dumps(valid).encode()) == []


class Api:
    """Sends raw requests; checks each answer's status, Talon error body and spec fit."""

    def __init__(self, raw: Raw) -> None:
        self.raw = raw

    async def __call__(
        self,
        operation_id: str,
        status: int,
        method: str,
        path: str,
        body: Any = None,
        **options: Any,
    ) -> Any:
        reply = await self.raw(method, path, body, **options)
        assert reply.status == status, reply.body
        assert answer_problems(operation_id, status, reply.body) == []
        if status >= 400:
            assert reply.json["StatusCode"] == status
            assert reply.json["message"] and reply.json["errors"]
        return reply.json if reply.body else None


@pytest.fixture
def api(raw: Raw) -> Api:
    return Api(raw)


CONTENT = [
    "customerSession",
    "customerProfile",
    "coupons",
    "triggeredCampaigns",
    "referral",
    "loyalty",
    "event",
    "previousReturns",
]
CART = [
    {"sku": "shoe", "quantity": 2, "price": 40.0},
    {"sku": "sock", "quantity": 4, "price": 5.0},
]  # 100.0 in all
S1 = "/v2/customer_sessions/s-1"


def session(state: str, **extra: Any) -> dict[str, Any]:
    return {
        "customerSession": {"profileId": "alice", "state": state, "cartItems": CART, **extra},
        "responseContent": ["customerSession"],
    }


def returning(*lines: dict[str, Any], content: list[str] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"return": {"returnedCartItems": list(lines)}}
    if content is not None:
        body["responseContent"] = content
    return body


def effects(body: Any) -> list[tuple[str, dict[str, Any]]]:
    return [(effect["effectType"], effect["props"]) for effect in body["effects"]]


def points_of(fake: FakeTalon, profile: str = "alice") -> float:
    return fake.loyalty_balance(1, profile)


@pytest.fixture
def shop(talon_fake: FakeTalon) -> FakeTalon:
    """10% off with the coupon SPRING10 and a point per currency unit in program 1."""
    talon_fake.add_coupon("SPRING10")
    talon_fake.add_rule(coupon_codes(percent=10))
    talon_fake.add_rule(loyalty_points(1, 1))
    return talon_fake


async def close_s1(api: Api) -> None:
    await api(
        "updateCustomerSessionV2", 200, "PUT", S1, session("closed", couponCodes=["SPRING10"])
    )


# -- getCustomerSession ---------------------------------------------------------------


async def test_get_customer_session_reads_back_what_updates_stored(
    api: Api, shop: FakeTalon
) -> None:
    await api("updateCustomerSessionV2", 200, "PUT", S1, session("open", attributes={"a": 1}))
    read = await api("getCustomerSession", 200, "GET", S1)
    assert read["customerSession"] == shop.sessions["s-1"]
    assert read["customerSession"]["attributes"] == {"a": 1}
    # An open session has the effects of its latest update.
    assert [kind for kind, _ in effects(read)] == ["addLoyaltyPoints"]
    await close_s1(api)
    read = await api("getCustomerSession", 200, "GET", S1)
    assert read["customerSession"]["state"] == "closed"
    assert [kind for kind, _ in effects(read)] == [
        "acceptCoupon",
        "setDiscount",
        "addLoyaltyPoints",
    ]
    await api("updateCustomerSessionV2", 200, "PUT", S1, session("cancelled"))
    read = await api("getCustomerSession", 200, "GET", S1)
    assert read["customerSession"]["state"] == "cancelled" and read["effects"] == []


async def test_get_customer_session_errors(api: Api) -> None:
    await api("getCustomerSession", 404, "GET", "/v2/customer_sessions/nobody")
    await api("updateCustomerSessionV2", 200, "PUT", S1, session("open"))
    await api("getCustomerSession", 401, "GET", S1, auth=False)


async def test_a_session_tracked_by_a_legacy_event_has_no_effects(
    api: Api, raw: Raw, shop: FakeTalon
) -> None:
    event = {"type": "visit", "attributes": {}, "sessionId": "s-1", "profileId": "alice"}
    assert (await raw("POST", "/v1/events", event)).status == 201
    read = await api("getCustomerSession", 200, "GET", S1)
    assert read["effects"] == [] and read["customerSession"]["profileId"] == "alice"


# -- returnCartItems ------------------------------------------------------------------


async def test_returns_take_back_the_returned_share(api: Api, shop: FakeTalon) -> None:
    await close_s1(api)
    assert points_of(shop) == 100.0

    first = await api(
        "returnCartItems", 200, "POST", f"{S1}/returns",
        returning({"position": 0, "quantity": 1}, content=CONTENT),
    )  # fmt: skip
    # One shoe is 40% of the cart's value: 40% of the discount and of the points.
    assert effects(first) == [
        ("rollbackDiscount", {"name": "SPRING10", "value": 4.0}),
        ("rollbackAddedLoyaltyPoints", first["effects"][1]["props"]),
    ]
    assert first["effects"][1]["props"]["value"] == 40.0
    assert first["effects"][1]["campaignId"] == 2
    returned_session = first["customerSession"]
    assert returned_session["state"] == "partially_returned"
    assert [
        (item["returnedQuantity"], item["remainingQuantity"])
        for item in returned_session["cartItems"]
    ] == [(1, 1), (0, 4)]
    assert first["return"]["returnedCartItems"] == [{"position": 0, "quantity": 1, "sku": "shoe"}]
    assert first["return"]["sessionIntegrationId"] == "s-1"
    assert first["return"]["profileIntegrationId"] == "alice"
    assert first["return"]["eventId"] == first["event"]["id"]
    assert first["event"]["type"] == "talon_session_partially_returned"
    assert first["previousReturns"] == []
    assert first["loyalty"]["programs"]["1"]["ledger"]["currentBalance"] == 60.0
    assert first["customerProfile"]["totalSales"] == 60.0
    assert [c["value"] for c in first["coupons"]] == ["SPRING10"]
    assert points_of(shop) == 60.0 and shop.returns == [first["return"]]

    # By SKU, without a quantity: every remaining sock (20 of the remaining 60).
    second = await api(
        "returnCartItems", 200, "POST", f"{S1}/returns",
        returning({"sku": "sock"}, content=["previousReturns", "customerSession"]),
    )  # fmt: skip
    assert [props["value"] for _, props in effects(second)] == [2.0, 20.0]
    assert second["previousReturns"] == [first["return"]]
    assert second["return"]["returnedCartItems"] == [{"position": 1, "quantity": 4, "sku": "sock"}]
    read = await api("getCustomerSession", 200, "GET", S1)
    assert effects(read)[:2] == [
        ("acceptCoupon", {"value": "SPRING10"}),
        ("setDiscount", {"name": "SPRING10", "value": 4.0}),
    ]
    assert effects(read)[2][1]["value"] == 40.0

    # The last shoe: everything left is taken back; the coupon stays redeemed.
    last = await api("returnCartItems", 200, "POST", f"{S1}/returns", returning({"position": 0}))
    assert [(kind, props["value"]) for kind, props in effects(last)] == [
        ("rollbackDiscount", 4.0),
        ("rollbackAddedLoyaltyPoints", 40.0),
    ]
    read = await api("getCustomerSession", 200, "GET", S1)
    assert effects(read) == [("acceptCoupon", {"value": "SPRING10"})]
    assert read["customerSession"]["state"] == "partially_returned"
    assert all(item["remainingQuantity"] == 0 for item in read["customerSession"]["cartItems"])
    assert points_of(shop) == 0.0 and shop.profiles["alice"]["totalSales"] == 0.0
    assert shop.coupons["SPRING10"]["usageCounter"] == 1
    await api("returnCartItems", 400, "POST", f"{S1}/returns", returning({"position": 1}))

    # Cancelling now rolls back what is left: the coupon.
    cancelled = await api("updateCustomerSessionV2", 200, "PUT", S1, session("cancelled"))
    assert effects(cancelled) == [("rollbackCoupon", {"value": "SPRING10"})]
    assert shop.coupons["SPRING10"]["usageCounter"] == 0
    assert shop.profiles["alice"]["closedSessions"] == 0
    assert shop.profiles["alice"]["totalSales"] == 0.0


async def test_cancelling_a_partially_returned_session_rolls_back_the_rest(
    api: Api, shop: FakeTalon
) -> None:
    await close_s1(api)
    await api("returnCartItems", 200, "POST", f"{S1}/returns", returning({"position": 1}))
    cancelled = await api("updateCustomerSessionV2", 200, "PUT", S1, session("cancelled"))
    assert [(kind, props.get("value")) for kind, props in effects(cancelled)] == [
        ("rollbackCoupon", "SPRING10"),
        ("rollbackDiscount", 8.0),
        ("rollbackAddedLoyaltyPoints", 80.0),
    ]
    assert points_of(shop) == 0.0
    assert shop.profiles["alice"]["totalSales"] == 0.0


async def test_a_dry_return_stores_nothing(api: Api, shop: FakeTalon) -> None:
    await close_s1(api)
    before = json.dumps([shop.sessions, shop.profiles, shop.loyalty_transactions, shop._committed])
    dry = await api(
        "returnCartItems", 200, "POST", f"{S1}/returns?dry=true",
        returning({"position": 1, "quantity": 2}, content=CONTENT),
    )  # fmt: skip
    assert [props["value"] for _, props in effects(dry)] == [1.0, 10.0]
    assert dry["customerSession"]["state"] == "partially_returned"
    assert dry["return"]["returnedCartItems"] == [{"position": 1, "quantity": 2, "sku": "sock"}]
    assert (
        json.dumps([shop.sessions, shop.profiles, shop.loyalty_transactions, shop._committed])
        == before
    )
    assert shop.returns == []
    read = await api("getCustomerSession", 200, "GET", S1)
    assert read["customerSession"]["state"] == "closed"


def at_least_100_off_10(context: RuleContext) -> Iterator[EffectSpec]:
    if context.cart_total >= 100:
        yield "setDiscount", {"name": "10 off 100", "value": 10.0}


@pytest.mark.parametrize(
    ("reevaluate_on_return", "query", "rolled_back"),
    [(True, "?runRuleEngine=true", 10.0), (True, "", 4.0), (False, "?runRuleEngine=true", 4.0)],
)
async def test_run_rule_engine_reevaluates_the_campaigns_set_to(
    api: Api,
    talon_fake: FakeTalon,
    reevaluate_on_return: bool,
    query: str,
    rolled_back: float,
) -> None:
    campaign_id = talon_fake.add_rule(at_least_100_off_10)
    talon_fake.campaigns[campaign_id]["reevaluateOnReturn"] = reevaluate_on_return
    await api("updateCustomerSessionV2", 200, "PUT", S1, session("closed"))
    answer = await api(
        "returnCartItems", 200, "POST", f"{S1}/returns{query}",
        returning({"position": 0, "quantity": 1}, content=["triggeredCampaigns"]),
    )  # fmt: skip
    # 60 remain: the rule grants nothing any more, so a re-evaluation takes it all back;
    # otherwise the returned 40% of it.
    assert effects(answer) == [("rollbackDiscount", {"name": "10 off 100", "value": rolled_back})]
    read = await api("getCustomerSession", 200, "GET", S1)
    left = [props["value"] for kind, props in effects(read) if kind == "setDiscount"]
    assert left == ([] if rolled_back == 10.0 else [6.0])


def per_item(context: RuleContext) -> Iterator[EffectSpec]:
    yield "setDiscountPerItem", {"name": "socks", "value": 4.0, "position": 1}
    yield (
        "addLoyaltyPoints",
        {
            "name": "sock points",
            "programId": 1,
            "subLedgerId": "",
            "value": 8.0,
            "recipientIntegrationId": context.profile_id,
            "transactionUUID": "t-1",
            "cartItemPosition": 1,
        },
    )


async def test_effects_on_one_item_are_taken_back_by_its_returned_units(
    api: Api, talon_fake: FakeTalon
) -> None:
    talon_fake.add_rule(per_item)
    await api("updateCustomerSessionV2", 200, "PUT", S1, session("closed"))
    shoes = await api("returnCartItems", 200, "POST", f"{S1}/returns", returning({"position": 0}))
    assert shoes["effects"] == []
    socks = await api(
        "returnCartItems", 200, "POST", f"{S1}/returns", returning({"sku": "sock", "quantity": 1})
    )
    assert effects(socks) == [
        ("rollbackDiscount", {"name": "socks", "value": 1.0, "cartItemPosition": 1}),
        ("rollbackAddedLoyaltyPoints", socks["effects"][1]["props"]),
    ]
    assert socks["effects"][1]["props"]["value"] == 2.0
    assert socks["effects"][1]["props"]["cartItemPosition"] == 1
    assert points_of(talon_fake) == 6.0


INVALID_RETURNS: dict[str, tuple[dict[str, Any], str]] = {
    "no such position": ({"position": 2}, "/return/returnedCartItems/0/position"),
    "negative position": ({"position": -1}, "/return/returnedCartItems/0/position"),
    "more than bought": ({"position": 0, "quantity": 3}, "/return/returnedCartItems/0/quantity"),
    "no units": ({"position": 0, "quantity": 0}, "/return/returnedCartItems/0/quantity"),
    "unknown SKU": ({"sku": "hat"}, "/return/returnedCartItems/0/sku"),
    "SKU of another item": ({"position": 0, "sku": "sock"}, "/return/returnedCartItems/0/sku"),
    "no item named": ({"quantity": 1}, "/return/returnedCartItems/0"),
    "position as a string": ({"position": "0"}, "/return/returnedCartItems/0/position"),
    "empty SKU": ({"sku": ""}, "/return/returnedCartItems/0/sku"),
}


@pytest.mark.parametrize("name", list(INVALID_RETURNS))
async def test_invalid_returns_answer_400_and_change_nothing(
    api: Api, shop: FakeTalon, name: str
) -> None:
    line, pointer = INVALID_RETURNS[name]
    await close_s1(api)
    before = json.dumps([shop.sessions, shop.loyalty_transactions])
    error = await api("returnCartItems", 400, "POST", f"{S1}/returns", returning(line))
    assert error["errors"][0]["source"] == {"pointer": pointer}
    assert json.dumps([shop.sessions, shop.loyalty_transactions]) == before


async def test_more_than_bought_counts_every_line_of_a_return(api: Api, shop: FakeTalon) -> None:
    await close_s1(api)
    body = returning({"position": 0, "quantity": 1}, {"sku": "shoe", "quantity": 2})
    error = await api("returnCartItems", 400, "POST", f"{S1}/returns", body)
    assert error["errors"][0]["source"] == {"pointer": "/return/returnedCartItems/1/quantity"}
    both = returning({"position": 0, "quantity": 1}, {"sku": "shoe", "quantity": 1})
    answer = await api("returnCartItems", 200, "POST", f"{S1}/returns", both)
    assert answer["return"]["returnedCartItems"] == [{"position": 0, "quantity": 2, "sku": "shoe"}]


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({}, "/return"),
        ({"return": {}}, "/return/returnedCartItems"),
        ({"return": {"returnedCartItems": []}}, "/return/returnedCartItems"),
        ({"return": {"returnedCartItems": {}}}, "/return/returnedCartItems"),
        (
            {**returning({"position": 0}), "responseContent": ["ruleFailureReasons"]},
            "/responseContent/0",
        ),
    ],
)
async def test_malformed_return_bodies_answer_400(
    api: Api, shop: FakeTalon, body: dict[str, Any], pointer: str
) -> None:
    await close_s1(api)
    error = await api("returnCartItems", 400, "POST", f"{S1}/returns", body)
    assert error["errors"][0]["source"] == {"pointer": pointer}


@pytest.mark.parametrize("state", ["open", "cancelled"])
async def test_only_closed_sessions_have_returns(api: Api, shop: FakeTalon, state: str) -> None:
    await api("updateCustomerSessionV2", 200, "PUT", S1, session("open"))
    if state == "cancelled":
        await api("updateCustomerSessionV2", 200, "PUT", S1, session("cancelled"))
    error = await api("returnCartItems", 400, "POST", f"{S1}/returns", returning({"position": 0}))
    assert error["errors"][0]["source"] == {"parameter": "customerSessionId"}
    assert shop.sessions["s-1"]["state"] == state


async def test_return_errors_of_auth_and_unknown_sessions(api: Api, shop: FakeTalon) -> None:
    body = returning({"position": 0})
    await api("returnCartItems", 404, "POST", "/v2/customer_sessions/nobody/returns", body)
    await close_s1(api)
    await api("returnCartItems", 401, "POST", f"{S1}/returns", body, auth=False)
    await api("returnCartItems", 400, "POST", f"{S1}/returns?dry=maybe", body)
    await api("returnCartItems", 400, "POST", f"{S1}/returns?runRuleEngine=1", body)
    assert shop.sessions["s-1"]["state"] == "closed"


# -- reopenCustomerSession ------------------------------------------------------------


async def test_reopening_a_closed_session_rolls_back_its_close(api: Api, shop: FakeTalon) -> None:
    await close_s1(api)
    reopened = await api("reopenCustomerSession", 200, "PUT", f"{S1}/reopen")
    assert [(kind, props.get("value")) for kind, props in effects(reopened)] == [
        ("rollbackCoupon", "SPRING10"),
        ("rollbackDiscount", 10.0),
        ("rollbackAddedLoyaltyPoints", 100.0),
    ]
    assert shop.sessions["s-1"]["state"] == "open"
    assert shop.coupons["SPRING10"]["usageCounter"] == 0 and points_of(shop) == 0.0
    assert shop.profiles["alice"]["closedSessions"] == 0
    assert shop.profiles["alice"]["totalSales"] == 0.0
    read = await api("getCustomerSession", 200, "GET", S1)
    assert read["effects"] == [] and read["customerSession"]["state"] == "open"
    # An open session cannot be reopened; closing it again commits its effects again.
    await api("reopenCustomerSession", 400, "PUT", f"{S1}/reopen")
    await close_s1(api)
    assert shop.coupons["SPRING10"]["usageCounter"] == 1 and points_of(shop) == 100.0


@pytest.mark.parametrize("states", [["open"], ["open", "cancelled"], ["closed", "cancelled"]])
async def test_only_closed_sessions_reopen(api: Api, shop: FakeTalon, states: list[str]) -> None:
    for state in states:
        await api("updateCustomerSessionV2", 200, "PUT", S1, session(state))
    error = await api("reopenCustomerSession", 400, "PUT", f"{S1}/reopen")
    assert error["errors"][0]["source"] == {"parameter": "customerSessionId"}
    assert shop.sessions["s-1"]["state"] == states[-1]


async def test_a_partially_returned_session_does_not_reopen(api: Api, shop: FakeTalon) -> None:
    await close_s1(api)
    await api("returnCartItems", 200, "POST", f"{S1}/returns", returning({"position": 0}))
    await api("reopenCustomerSession", 400, "PUT", f"{S1}/reopen")


async def test_reopen_errors_of_auth_and_unknown_sessions(api: Api, shop: FakeTalon) -> None:
    await api("reopenCustomerSession", 404, "PUT", "/v2/customer_sessions/nobody/reopen")
    await close_s1(api)
    await api("reopenCustomerSession", 401, "PUT", f"{S1}/reopen", auth=False)
    assert shop.sessions["s-1"]["state"] == "closed"


# -- trackEventV2, trackEventV3, getEventV3 ---------------------------------------------

EVENT_V2_CONTENT = [
    "customerProfile",
    "triggeredCampaigns",
    "loyalty",
    "event",
    "awardedGiveaways",
    "ruleFailureReasons",
    "campaignEligibility",
]
EVENT_V3_CONTENT = [
    "customerProfile",
    "triggeredCampaigns",
    "loyalty",
    "advancedEvent",
    "awardedGiveaways",
    "ruleFailureReasons",
]


def review_points(context: RuleContext) -> Iterator[EffectSpec]:
    """5 points for a review; the cart total of a connected session as a discount."""
    if context.event is not None and context.event["type"] == "review":
        yield (
            "addLoyaltyPoints",
            {
                "name": "review",
                "programId": 1,
                "subLedgerId": "",
                "value": 5.0,
                "recipientIntegrationId": context.profile_id,
                "transactionUUID": "t-review",
            },
        )
    if context.session is not None:
        yield "setDiscount", {"name": "seen", "value": context.cart_total}


@pytest.fixture
def reviews(talon_fake: FakeTalon) -> FakeTalon:
    talon_fake.add_rule(review_points)
    return talon_fake


async def test_track_event_v2_is_evaluated_and_stored(api: Api, reviews: FakeTalon) -> None:
    body = {"type": "review", "profileId": "bob", "attributes": {"stars": 5}}
    answer = await api(
        "trackEventV2", 200, "POST", "/v2/events?silent=no",
        {**body, "responseContent": EVENT_V2_CONTENT},
    )  # fmt: skip
    assert [kind for kind, _ in effects(answer)] == ["addLoyaltyPoints"]
    assert answer["event"]["type"] == "review" and "sessionId" not in answer["event"]
    assert answer["event"]["attributes"] == {"stars": 5}
    assert answer["customerProfile"]["integrationId"] == "bob"
    assert answer["loyalty"]["programs"]["1"]["ledger"]["currentBalance"] == 5.0
    assert reviews.events == [answer["event"]] and points_of(reviews, "bob") == 5.0
    # The API's default is silent: a 204 without a body, and the event is stored.
    assert await api("trackEventV2", 204, "POST", "/v2/events", body) is None
    assert await api("trackEventV2", 204, "POST", "/v2/events?silent=yes", body) is None
    assert len(reviews.events) == 3 and points_of(reviews, "bob") == 15.0
    # Without responseContent: the required parts only.
    plain = await api("trackEventV2", 200, "POST", "/v2/events?silent=no", {**body, "type": "x"})
    assert set(plain) == {"effects", "createdCoupons", "createdReferrals"}


async def test_a_dry_event_v2_stores_nothing(api: Api, reviews: FakeTalon) -> None:
    body = {"type": "review", "profileId": "bob", "responseContent": ["event", "customerProfile"]}
    dry = await api("trackEventV2", 200, "POST", "/v2/events?silent=no&dry=true", body)
    assert [kind for kind, _ in effects(dry)] == ["addLoyaltyPoints"]
    assert dry["customerProfile"]["integrationId"] == "bob"
    forced = "/v2/events?silent=no&dry=true&forceCompleteEvaluation=true"
    assert (await api("trackEventV2", 200, "POST", forced, body))["effects"] == dry["effects"]
    assert await api("trackEventV2", 204, "POST", "/v2/events?dry=true", body) is None
    assert reviews.events == [] and reviews.profiles == {} and reviews.loyalty_transactions == []


async def test_event_v2_errors(api: Api, talon_fake: FakeTalon) -> None:
    body = {"type": "review", "profileId": "bob"}
    await api("trackEventV2", 401, "POST", "/v2/events", body, auth=False)
    await api("trackEventV2", 400, "POST", "/v2/events?silent=maybe", body)
    await api("trackEventV2", 400, "POST", "/v2/events?forceCompleteEvaluation=true", body)
    # The API documents profileId as required, though its schema does not.
    error = await api("trackEventV2", 400, "POST", "/v2/events", {"type": "review"})
    assert error["errors"][0]["source"] == {"pointer": "/profileId"}
    assert talon_fake.events == [] and talon_fake.profiles == {}


async def test_track_event_v3_and_read_it_back(api: Api, reviews: FakeTalon) -> None:
    body = {"type": "review", "profileId": "bob", "integrationId": "evt-1", "attributes": {"a": 1}}
    answer = await api(
        "trackEventV3", 200, "POST", "/v3/events?silent=no",
        {**body, "storeIntegrationId": "store-1", "responseContent": EVENT_V3_CONTENT},
    )  # fmt: skip
    event = answer["advancedEvent"]
    assert (event["integrationId"], event["type"], event["profileId"]) == ("evt-1", "review", "bob")
    assert event["storeIntegrationId"] == "store-1" and "connectedSessionId" not in event
    assert answer["loyalty"]["programs"]["1"]["ledger"]["currentBalance"] == 5.0
    assert await api("getEventV3", 200, "GET", "/v3/events/evt-1") == event
    # An advanced event happens once.
    again = await api("trackEventV3", 409, "POST", "/v3/events?silent=no", body)
    assert again["errors"][0]["source"] == {"pointer": "/integrationId"}
    assert (
        await api("trackEventV3", 204, "POST", "/v3/events", {**body, "integrationId": "e-2"})
        is None
    )
    assert (await api("getEventV3", 200, "GET", "/v3/events/e-2"))["integrationId"] == "e-2"
    assert points_of(reviews, "bob") == 10.0 and len(reviews.events) == 2


async def test_an_advanced_event_sees_its_connected_closed_session(
    api: Api, reviews: FakeTalon
) -> None:
    body = {"type": "x", "profileId": "alice", "integrationId": "e-1", "connectedSessionId": "s-1"}
    error = await api("trackEventV3", 400, "POST", "/v3/events?silent=no", body)
    assert error["errors"][0]["source"] == {"pointer": "/connectedSessionId"}
    await api("updateCustomerSessionV2", 200, "PUT", S1, session("open"))
    await api("trackEventV3", 400, "POST", "/v3/events?silent=no", body)
    await api("updateCustomerSessionV2", 200, "PUT", S1, session("closed"))
    answer = await api(
        "trackEventV3", 200, "POST", "/v3/events?silent=no",
        {**body, "responseContent": ["advancedEvent"]},
    )  # fmt: skip
    assert effects(answer) == [("setDiscount", {"name": "seen", "value": 100.0})]
    assert answer["advancedEvent"]["connectedSessionId"] == "s-1"
    read = await api("getEventV3", 200, "GET", "/v3/events/e-1")
    assert read["connectedSessionId"] == "s-1"


async def test_a_dry_event_v3_stores_nothing(api: Api, reviews: FakeTalon) -> None:
    body = {"type": "review", "profileId": "bob", "integrationId": "evt-1"}
    for query in (
        "silent=no&dry=true",
        "dry=true",
        "silent=no&dry=true&forceCompleteEvaluation=true",
    ):
        status = 204 if query == "dry=true" else 200
        await api("trackEventV3", status, "POST", f"/v3/events?{query}", body)
    assert reviews.events == [] and reviews.profiles == {}
    await api("getEventV3", 404, "GET", "/v3/events/evt-1")


async def test_event_v3_errors(api: Api, talon_fake: FakeTalon) -> None:
    body = {"type": "review", "profileId": "bob", "integrationId": "evt-1"}
    await api("trackEventV3", 401, "POST", "/v3/events", body, auth=False)
    await api("trackEventV3", 400, "POST", "/v3/events?dry=yes", body)
    await api("trackEventV3", 400, "POST", "/v3/events?forceCompleteEvaluation=true", body)
    await api("trackEventV3", 400, "POST", "/v3/events", {**body, "integrationId": ""})
    await api("getEventV3", 404, "GET", "/v3/events/evt-1")
    await api("getEventV3", 401, "GET", "/v3/events/evt-1", auth=False)
    # A v2 event has no integration ID: getEventV3 does not find it.
    await api("trackEventV2", 204, "POST", "/v2/events", {"type": "x", "profileId": "bob"})
    assert len(talon_fake.events) == 1
    await api("getEventV3", 404, "GET", "/v3/events/bob")


# -- authentication and request validation, against the spec --------------------------

SIX_OPERATIONS = [
    ("getCustomerSession", "GET", S1, None),
    ("reopenCustomerSession", "PUT", f"{S1}/reopen", None),
    ("returnCartItems", "POST", f"{S1}/returns", returning({"position": 0})),
    ("trackEventV2", "POST", "/v2/events", {"type": "x", "profileId": "bob"}),
    ("trackEventV3", "POST", "/v3/events", {"type": "x", "profileId": "bob", "integrationId": "e"}),
    ("getEventV3", "GET", "/v3/events/e", None),
]


@pytest.mark.parametrize(("operation_id", "method", "path", "body"), SIX_OPERATIONS)
async def test_the_operations_take_the_api_key_only(
    api: Api, talon_fake: FakeTalon, operation_id: str, method: str, path: str, body: Any
) -> None:
    """As the spec lists: a valid Content-Signature, which session updates accept, is
    refused here."""
    await api("updateCustomerSessionV2", 200, "PUT", S1, session("closed"))
    data = b"" if body is None else json.dumps(body).encode()
    digest = hmac.new(bytes.fromhex(talon_fake.application_key), data, hashlib.md5).hexdigest()
    signed = {
        "Content-Signature": f"signer={talon_fake.application_id}; signature={digest}",
        "Content-Type": "application/json",
    }
    await api(operation_id, 401, method, path, data=data, headers=signed, auth=False)
    assert talon_fake.sessions["s-1"]["state"] == "closed" and talon_fake.events == []


VALID_RETURN_LINES: list[dict[str, Any]] = [
    {"position": 0},
    {"position": 0, "quantity": 1, "sku": "shoe", "note": "unknown members are ignored"},
]
INVALID_RETURN_BODIES = [
    {},
    {"return": []},
    {"return": {"returnedCartItems": [{"position": 1.5}]}},
    {"return": {"returnedCartItems": [{"quantity": "1", "position": 0}]}},
    {"return": {"returnedCartItems": [{"sku": 5}]}},
    {"return": {"returnedCartItems": [{"sku": ""}]}},
    {"return": {"returnedCartItems": ["shoe"]}},
    {"return": {"returnedCartItems": [{"position": 0}]}, "responseContent": "event"},
    {"return": {"returnedCartItems": [{"position": 0}]}, "responseContent": ["advancedEvent"]},
]
EVENT = {
    "type": "review",
    "profileId": "bob",
    "storeIntegrationId": "s" * 1000,
    "evaluableCampaignIds": [1, 2],
    "attributes": {"stars": 5},
    "loyaltyCards": ["card-1"],
}
INVALID_EVENT_MEMBERS: list[dict[str, Any]] = [
    {"type": ""},
    {"type": 7},
    {"profileId": 7},
    {"storeIntegrationId": ""},
    {"storeIntegrationId": "s" * 1001},
    {"evaluableCampaignIds": ["1"]},
    {"evaluableCampaignIds": 1},
    {"attributes": ["stars"]},
    {"loyaltyCards": ["card-1", "card-2"]},
    {"loyaltyCards": [1]},
]


def _spec_accepts(operation_id: str, body: Any) -> bool:
    schema = request_schema(operation_id)
    assert schema is not None
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return validator.is_valid(body)


def _bodies() -> Iterator[tuple[str, str, Any]]:
    for line in VALID_RETURN_LINES:
        yield (
            "returnCartItems",
            "/v2/customer_sessions/nobody/returns",
            returning(line, content=CONTENT),
        )
    for body in INVALID_RETURN_BODIES:
        yield "returnCartItems", "/v2/customer_sessions/nobody/returns", body
    v3 = {**EVENT, "integrationId": "evt-1", "connectedSessionId": "s-1"}
    yield "trackEventV2", "/v2/events?dry=true", {**EVENT, "responseContent": EVENT_V2_CONTENT}
    yield "trackEventV3", "/v3/events?dry=true", {**v3, "responseContent": EVENT_V3_CONTENT}
    for members in INVALID_EVENT_MEMBERS:
        yield "trackEventV2", "/v2/events?dry=true", {**EVENT, **members}
        yield "trackEventV3", "/v3/events?dry=true", {**v3, **members}
    yield "trackEventV2", "/v2/events?dry=true", {**EVENT, "responseContent": ["advancedEvent"]}
    yield "trackEventV3", "/v3/events?dry=true", {**v3, "responseContent": ["event"]}
    for missing in ("type", "profileId", "integrationId"):
        yield "trackEventV3", "/v3/events?dry=true", {k: v for k, v in v3.items() if k != missing}
    for empty in ("integrationId", "connectedSessionId"):
        yield "trackEventV3", "/v3/events?dry=true", {**v3, empty: ""}


BODIES = list(_bodies())


@pytest.mark.parametrize(
    ("operation_id", "path", "body"),
    BODIES,
    ids=[f"{op}-{n}" for n, (op, _, _) in enumerate(BODIES)],
)
async def test_the_fake_refuses_exactly_the_bodies_the_spec_refuses(
    api: Api, talon_fake: FakeTalon, operation_id: str, path: str, body: Any
) -> None:
    await api("updateCustomerSessionV2", 200, "PUT", S1, session("closed"))
    # Valid bodies reach the operation: an unknown session (404) or a silent dry run (204).
    status = 400 if not _spec_accepts(operation_id, body) else 404 if "returns" in path else 204
    await api(operation_id, status, "POST", path, body)
