"""Rules and effects: the ready rules, custom rules, and what effects change on close."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from talon_async.testing import (
    EffectSpec,
    FakeTalon,
    RuleContext,
    coupon_codes,
    loyalty_points,
    percent_off_cart,
)

from .conftest import Raw

SESSION = "/v2/customer_sessions/s-1"
CONTENT = ["customerSession", "triggeredCampaigns", "ruleFailureReasons", "coupons"]


def request(
    state: str = "open", codes: tuple[str, ...] = (), profile: str = "alice"
) -> dict[str, Any]:
    return {
        "customerSession": {
            "profileId": profile,
            "state": state,
            "couponCodes": list(codes),
            "cartItems": [
                {"sku": "shoe", "quantity": 2, "price": 40.0},
                {"sku": "sock", "quantity": 4, "price": 5.0},
            ],
        },
        "responseContent": CONTENT,
    }


def effects_of(body: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(effect["effectType"], effect["props"]) for effect in body["effects"]]


async def test_percent_off_cart(raw: Raw, talon_fake: FakeTalon) -> None:
    campaign_id = talon_fake.add_rule(percent_off_cart(15))
    reply = await raw("PUT", SESSION, request())
    (effect,) = reply.json["effects"]
    assert effect == {
        "campaignId": campaign_id,
        "rulesetId": talon_fake.campaigns[campaign_id]["activeRulesetId"],
        "ruleIndex": 0,
        "ruleName": "15% off the cart",
        "effectType": "setDiscount",
        "props": {"name": "15% off the cart", "value": 15.0},
    }
    assert [c["id"] for c in reply.json["triggeredCampaigns"]] == [campaign_id]
    assert reply.json["ruleFailureReasons"] == []


async def test_percent_off_an_empty_cart_fails_the_rule(raw: Raw, talon_fake: FakeTalon) -> None:
    talon_fake.add_rule(percent_off_cart(10, name="Ten off"), name="Spring sale")
    reply = await raw("PUT", SESSION, {"customerSession": {}, "responseContent": CONTENT})
    assert reply.json["effects"] == [] and reply.json["triggeredCampaigns"] == []
    (failure,) = reply.json["ruleFailureReasons"]
    assert (failure["campaignID"], failure["ruleName"]) == (1, "Spring sale")


async def test_coupon_codes_accept_and_reject(raw: Raw, talon_fake: FakeTalon) -> None:
    now = datetime.now(timezone.utc)
    talon_fake.add_coupon("GOOD")
    talon_fake.add_coupon("OLD", expiry_date=now - timedelta(days=1))
    talon_fake.add_coupon("LATER", start_date=now + timedelta(days=1))
    talon_fake.add_coupon("BOB-ONLY", recipient_integration_id="bob")
    talon_fake.add_coupon("RESERVED", reservation_mandatory=True)
    talon_fake.add_rule(coupon_codes(percent=10))
    codes = ("GOOD", "NOPE", "OLD", "LATER", "BOB-ONLY", "RESERVED")
    reply = await raw("PUT", SESSION, request(codes=codes))
    assert effects_of(reply.json) == [
        ("acceptCoupon", {"value": "GOOD"}),
        ("setDiscount", {"name": "GOOD", "value": 10.0}),
        ("rejectCoupon", {"value": "NOPE", "rejectionReason": "CouponNotFound"}),
        ("rejectCoupon", {"value": "OLD", "rejectionReason": "CouponExpired"}),
        ("rejectCoupon", {"value": "LATER", "rejectionReason": "CouponStartDateInFuture"}),
        ("rejectCoupon", {"value": "BOB-ONLY", "rejectionReason": "CouponRecipientDoesNotMatch"}),
        ("rejectCoupon", {"value": "RESERVED", "rejectionReason": "CouponReservationRequired"}),
    ]
    assert reply.json["effects"][0]["triggeredByCoupon"] == talon_fake.coupons["GOOD"]["id"]
    assert [c["value"] for c in reply.json["coupons"]] == [c for c in codes if c != "NOPE"]
    talon_fake.reservations["RESERVED"] = ["alice"]
    reserved = await raw("PUT", SESSION, request(codes=("RESERVED",)))
    assert effects_of(reserved.json)[0] == ("acceptCoupon", {"value": "RESERVED"})


async def test_closing_redeems_coupons_up_to_their_limit(raw: Raw, talon_fake: FakeTalon) -> None:
    talon_fake.add_coupon("ONCE", usage_limit=1)
    talon_fake.add_rule(coupon_codes())
    await raw("PUT", SESSION, request(codes=("ONCE",)))
    assert talon_fake.coupons["ONCE"]["usageCounter"] == 0  # open sessions redeem nothing
    await raw("PUT", f"{SESSION}?dry=true", request("closed", codes=("ONCE",)))
    assert talon_fake.coupons["ONCE"]["usageCounter"] == 0
    closed = await raw("PUT", SESSION, request("closed", codes=("ONCE",)))
    assert effects_of(closed.json) == [("acceptCoupon", {"value": "ONCE"})]
    assert talon_fake.coupons["ONCE"]["usageCounter"] == 1
    assert closed.json["coupons"][0]["profileRedemptionCount"] == 1
    other = await raw("PUT", "/v2/customer_sessions/s-2", request(codes=("ONCE",)))
    assert effects_of(other.json) == [
        ("rejectCoupon", {"value": "ONCE", "rejectionReason": "CouponLimitReached"})
    ]
    talon_fake.reservations["ONCE"] = ["alice"]
    inventory = await raw("GET", "/v1/customer_profiles/alice/inventory?coupons=true")
    assert [(c["value"], c["state"]) for c in inventory.json["coupons"]] == [("ONCE", "used")]
    reserved = await raw("GET", "/v1/coupon_reservations/coupons/alice")
    assert reserved.json == {"totalResultSize": 0, "data": []}


async def test_loyalty_points_are_credited_when_the_session_closes(
    raw: Raw, talon_fake: FakeTalon
) -> None:
    talon_fake.add_rule(loyalty_points(7, 0.5))
    opened = await raw("PUT", SESSION, request())
    [(kind, props)] = effects_of(opened.json)
    assert kind == "addLoyaltyPoints"
    assert (props["programId"], props["value"], props["recipientIntegrationId"]) == (
        7,
        50.0,
        "alice",
    )
    assert props["subLedgerId"] == "" and len(props["transactionUUID"]) == 36
    assert talon_fake.loyalty_transactions == []
    await raw("PUT", f"{SESSION}?dry=true", request("closed"))
    assert talon_fake.loyalty_transactions == []
    await raw("PUT", SESSION, request("closed"))
    assert talon_fake.loyalty_balance(7, "alice") == 50.0
    [added] = talon_fake.loyalty_transactions
    assert (added["integrationId"], added["customerSessionId"], added["amount"]) == (
        "alice",
        "s-1",
        50.0,
    )
    assert talon_fake.profiles["alice"]["loyaltyMemberships"] is None  # deprecated: null
    await raw("PUT", SESSION, request("closed"))  # a repeated close credits nothing more
    assert len(talon_fake.loyalty_transactions) == 1


async def test_anonymous_sessions_earn_no_points(raw: Raw, talon_fake: FakeTalon) -> None:
    talon_fake.add_rule(loyalty_points(7, 1))
    reply = await raw("PUT", SESSION, request("closed", profile=""))
    assert reply.json["effects"] == [] and talon_fake.loyalty_transactions == []
    assert talon_fake.profiles == {}


async def test_cancelling_a_closed_session_rolls_everything_back(
    raw: Raw, talon_fake: FakeTalon
) -> None:
    talon_fake.add_coupon("C")
    talon_fake.add_rule(coupon_codes(percent=10))
    talon_fake.add_rule(loyalty_points(7, 1))
    await raw("PUT", SESSION, request("closed", codes=("C",)))
    assert talon_fake.coupons["C"]["usageCounter"] == 1
    assert talon_fake.loyalty_balance(7, "alice") == 100.0
    cancelled = await raw("PUT", SESSION, request("cancelled", codes=("C",)))
    kinds = [kind for kind, _ in effects_of(cancelled.json)]
    assert kinds == ["rollbackCoupon", "rollbackDiscount", "rollbackAddedLoyaltyPoints"]
    assert talon_fake.coupons["C"]["usageCounter"] == 0
    assert talon_fake.loyalty_balance(7, "alice") == 0.0
    added, taken_back = talon_fake.loyalty_transactions
    assert (added["unusedAmount"], taken_back["type"], taken_back["amount"]) == (
        0.0,
        "subtraction",
        100.0,
    )


async def test_cancelling_an_open_session_has_no_effects(raw: Raw, talon_fake: FakeTalon) -> None:
    talon_fake.add_rule(percent_off_cart(10))
    await raw("PUT", SESSION, request())
    cancelled = await raw("PUT", SESSION, request("cancelled"))
    assert cancelled.json["effects"] == []
    assert talon_fake.sessions["s-1"]["state"] == "cancelled"


async def test_custom_rule_sees_the_context(raw: Raw, talon_fake: FakeTalon) -> None:
    seen: list[RuleContext] = []

    def spy(context: RuleContext) -> Iterator[EffectSpec]:
        seen.append(context)
        if context.event is not None:
            yield "showNotification", {"notificationType": "info", "title": "Hi", "body": "!"}

    talon_fake.add_profile("alice", {"tier": "gold"})
    campaign_id = talon_fake.add_rule(spy)
    await raw("PUT", SESSION, request(codes=("X",)))
    event = {"type": "viewed", "attributes": {"page": 1}, "sessionId": "s-1"}
    tracked = await raw("POST", "/v1/events", event)
    session_context, event_context = seen
    assert session_context.session is not None and session_context.session["integrationId"] == "s-1"
    assert session_context.profile is not None and session_context.profile["attributes"] == {
        "tier": "gold"
    }
    assert session_context.coupon_codes == ("X",) and session_context.event is None
    assert (session_context.cart_total, len(session_context.cart_items)) == (100.0, 2)
    assert session_context.fake is talon_fake
    assert event_context.event == event and event_context.profile_id == "alice"
    legacy = tracked.json["event"]["effects"]
    assert legacy == [[campaign_id, 1000 + campaign_id, 0, ["showNotification", "info", "Hi", "!"]]]


async def test_rules_of_one_campaign_share_it(raw: Raw, talon_fake: FakeTalon) -> None:
    first = talon_fake.add_rule(percent_off_cart(10))
    second = talon_fake.add_rule(percent_off_cart(5), campaign_id=first, name="extra")
    other = talon_fake.add_rule(percent_off_cart(1), campaign_id=40)
    assert (first, second, other) == (1, 1, 40)
    reply = await raw("PUT", SESSION, request())
    ids = [(e["campaignId"], e["ruleIndex"], e["ruleName"]) for e in reply.json["effects"]]
    assert ids == [(1, 0, "10% off the cart"), (1, 1, "extra"), (40, 0, "1% off the cart")]
    assert [c["id"] for c in reply.json["triggeredCampaigns"]] == [1, 40]
    assert talon_fake.add_rule(percent_off_cart(2)) == 41


async def test_evaluable_campaign_ids_select_the_rules(raw: Raw, talon_fake: FakeTalon) -> None:
    talon_fake.add_rule(percent_off_cart(10))
    talon_fake.add_rule(percent_off_cart(20))
    body = request()
    body["customerSession"]["evaluableCampaignIds"] = [2]
    reply = await raw("PUT", SESSION, body)
    assert [e["campaignId"] for e in reply.json["effects"]] == [2]


async def test_profile_updates_run_rules_only_when_asked(raw: Raw, talon_fake: FakeTalon) -> None:
    def welcome(context: RuleContext) -> list[EffectSpec]:
        props = {
            "name": "welcome",
            "programId": 3,
            "subLedgerId": "",
            "value": 10,
            "recipientIntegrationId": context.profile_id,
            "transactionUUID": "t-1",
        }
        return [("addLoyaltyPoints", props)]

    talon_fake.add_rule(welcome)
    quiet = await raw("PUT", "/v2/customer_profiles/alice", {})
    assert quiet.json["effects"] == [] and talon_fake.loyalty_transactions == []
    body = {"responseContent": ["loyalty"]}
    dry = await raw("PUT", "/v2/customer_profiles/alice?runRuleEngine=true&dry=true", body)
    assert len(dry.json["effects"]) == 1 and talon_fake.loyalty_transactions == []
    run = await raw("PUT", "/v2/customer_profiles/alice?runRuleEngine=true", body)
    assert run.json["loyalty"]["programs"]["3"]["ledger"]["currentBalance"] == 10
    assert talon_fake.loyalty_balance(3, "alice") == 10


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (lambda context: 1 / 0, "ZeroDivisionError"),
        (lambda context: [("setDiscount",)], "not an (effect_type, props) pair"),
        (lambda context: ["setDiscount"], "not an (effect_type, props) pair"),
        (lambda context: [("addLoyaltyPoints", {"value": 1})], "without programId or value"),
    ],
)
async def test_a_broken_rule_answers_500_and_changes_nothing(
    raw: Raw, talon_fake: FakeTalon, rule: Any, message: str
) -> None:
    talon_fake.add_rule(rule, name="broken")
    reply = await raw("PUT", SESSION, request())
    assert reply.status == 500
    assert "'broken'" in reply.json["message"] and message in reply.json["message"]
    assert talon_fake.sessions == {} and talon_fake.profiles == {}
