"""talon_async's client against the fake: every operation, decoded by the client's models.

The fake builds its answers as plain JSON, so these tests cross-check the models.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest

from talon_async import (
    NO_RETRY,
    ApiKeyV1,
    AuthenticationError,
    BadRequestError,
    Bearer,
    ContentSignature,
    NotFoundError,
    RateLimitError,
    TalonClient,
    TalonConnectionError,
)
from talon_async.models.coupons import CouponReservations
from talon_async.models.effects import AddLoyaltyPointsEffectProps, SetDiscountEffectProps
from talon_async.models.events import NewEvent
from talon_async.models.profiles import (
    CustomerProfileAudienceRequest,
    CustomerProfileAudienceRequestItem,
    CustomerProfileIntegrationRequestV2,
    MultipleCustomerProfileIntegrationRequest,
    MultipleCustomerProfileIntegrationRequestItem,
    NewCustomerProfile,
    ProfileAudiencesChanges,
)
from talon_async.models.referrals import NewReferral, NewReferralsForMultipleAdvocates
from talon_async.models.sessions import (
    AdditionalCost,
    CartItem,
    IntegrationRequest,
    NewCustomerSession,
    NewCustomerSessionV2,
)
from talon_async.testing import FakeTalon, coupon_codes, loyalty_points, percent_off_cart

EVERYTHING = [
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


def session_request(state: str | None = None, *codes: str) -> IntegrationRequest:
    return IntegrationRequest(
        customer_session=NewCustomerSessionV2(
            profile_id="alice",
            state=state,
            coupon_codes=list(codes) or None,
            referral_code="REF-1",
            cart_items=[
                CartItem(
                    sku="shoe",
                    quantity=2,
                    price=60.0,
                    additional_costs={"wrap": AdditionalCost(price=2.5)},
                )
            ],
            additional_costs={"shipping": AdditionalCost(price=5.0)},
            attributes={"channel": "web"},
        ),
        response_content=EVERYTHING,
    )


async def test_update_customer_session_v2(talon_fake: FakeTalon, talon_client: TalonClient) -> None:
    talon_fake.add_coupon("SUMMER10")
    talon_fake.add_referral("REF-1", "bob")
    talon_fake.add_rule(percent_off_cart(10))
    talon_fake.add_rule(coupon_codes())
    talon_fake.add_rule(loyalty_points(7, 1))
    state = await talon_client.update_customer_session_v2(
        "s-1", session_request(None, "SUMMER10", "NOPE")
    )
    session = state.customer_session
    assert session is not None and session.integration_id == "s-1" and session.state == "open"
    assert (session.cart_item_total, session.cart_item_additional_cost_total) == (120.0, 5.0)
    assert (session.additional_cost_total, session.total) == (5.0, 130.0)
    assert session.created.tzinfo is not None
    kinds = [effect.effect_type for effect in state.effects]
    assert kinds == ["setDiscount", "acceptCoupon", "rejectCoupon", "addLoyaltyPoints"]
    assert isinstance(state.effects[0].props, SetDiscountEffectProps)
    assert state.effects[0].props.value == 12.0
    assert isinstance(state.effects[3].props, AddLoyaltyPointsEffectProps)
    assert state.customer_profile is not None and state.customer_profile.integration_id == "alice"
    assert [c.value for c in state.coupons or []] == ["SUMMER10"]
    assert state.referral is not None and state.referral.advocate_profile_integration_id == "bob"
    assert [c.id for c in state.triggered_campaigns or []] == [1, 2, 3]
    assert state.event is not None and state.event.type == "talon_session_updated"
    assert state.loyalty is not None and state.loyalty.programs == {}
    assert state.rule_failure_reasons == [] and state.awarded_giveaways == []
    assert state.extra_fields == {} and session.extra_fields == {}

    closed = await talon_client.sessions.update_v2("s-1", session_request("closed", "SUMMER10"))
    assert closed.customer_session is not None and closed.customer_session.state == "closed"
    assert closed.loyalty is not None
    assert closed.loyalty.programs["7"].ledger.current_balance == 120.0
    assert talon_fake.coupons["SUMMER10"]["usageCounter"] == 1


async def test_update_customer_session_v2_dry(
    talon_fake: FakeTalon, talon_client: TalonClient
) -> None:
    when = datetime(2099, 5, 1, tzinfo=timezone.utc)
    state = await talon_client.sessions.update_v2("s-1", session_request(), dry=True, now=when)
    assert state.customer_session is not None
    assert talon_fake.sessions == {} and talon_fake.profiles == {}
    assert talon_fake.requests[-1].query == {"dry": "true", "now": when.isoformat()}


async def test_invalid_session_transition_raises_bad_request(
    talon_fake: FakeTalon, talon_client: TalonClient
) -> None:
    await talon_client.sessions.update_v2("s-1", session_request("open"))
    await talon_client.sessions.update_v2("s-1", session_request("cancelled"))
    with pytest.raises(BadRequestError) as caught:
        await talon_client.sessions.update_v2("s-1", session_request("open"))
    assert caught.value.body is not None
    (detail,) = caught.value.body.errors
    assert detail.source is not None and detail.source.pointer == "/customerSession/state"
    assert talon_fake.sessions["s-1"]["state"] == "cancelled"


async def test_update_customer_session_v1(talon_fake: FakeTalon, talon_client: TalonClient) -> None:
    talon_fake.add_coupon("SUMMER10")
    talon_fake.add_rule(coupon_codes(percent=10))
    body = NewCustomerSession(
        profile_id="alice",
        coupon="SUMMER10",
        state="open",
        cart_items=[CartItem(sku="shoe", quantity=1, price=80.0)],
    )
    with pytest.deprecated_call():
        state = await talon_client.update_customer_session("s-1", body)
    assert state.session.integration_id == "s-1" and state.session.coupon == "SUMMER10"
    assert state.session.discounts == {"SUMMER10": 8.0}
    assert state.profile.integration_id == "alice"
    assert state.coupon is not None and state.coupon.value == "SUMMER10"
    assert state.event.effects[0][3] == ["acceptCoupon", "SUMMER10"]
    assert talon_fake.sessions["s-1"]["couponCodes"] == ["SUMMER10"]


async def test_track_event(talon_fake: FakeTalon, talon_client: TalonClient) -> None:
    talon_fake.add_profile("alice")
    talon_fake.add_loyalty_points(7, "alice", 3.0)
    event = NewEvent(
        type="viewed", attributes={"page": "home"}, session_id="s-1", profile_id="alice"
    )
    with pytest.deprecated_call():
        state = await talon_client.track_event(event)
    assert (state.event.type, state.event.attributes) == ("viewed", {"page": "home"})
    assert state.event.session_id == "s-1" and state.profile.integration_id == "alice"
    assert state.loyalty is not None and state.loyalty.programs["7"].ledger.current_balance == 3.0
    assert [e["type"] for e in talon_fake.events] == ["viewed"]
    with pytest.deprecated_call():
        await talon_client.events.track(event, dry=True)
    assert len(talon_fake.events) == 1


async def test_update_customer_profile_v1(talon_fake: FakeTalon, talon_client: TalonClient) -> None:
    with pytest.deprecated_call():
        state = await talon_client.update_customer_profile(
            "alice", NewCustomerProfile(attributes={"tier": "gold"})
        )
    assert state.profile.attributes == {"tier": "gold"}
    assert state.session.profile_id == "alice" and state.event.type == "talon_profile_updated"
    assert talon_fake.profiles["alice"]["attributes"] == {"tier": "gold"}
    with pytest.deprecated_call():
        await talon_client.profiles.update(
            "alice", NewCustomerProfile(attributes={"x": 1}), dry=True
        )
    assert talon_fake.profiles["alice"]["attributes"] == {"tier": "gold"}


async def test_update_customer_profile_v2(talon_fake: FakeTalon, talon_client: TalonClient) -> None:
    talon_fake.add_audience(5, "Newsletter")
    talon_fake.add_rule(percent_off_cart(10))
    plain = await talon_client.update_customer_profile_v2(
        "alice", CustomerProfileIntegrationRequestV2(attributes={"tier": "gold"})
    )
    assert plain.effects == [] and plain.customer_profile is not None
    assert plain.customer_profile.attributes == {"tier": "gold"}
    body = CustomerProfileIntegrationRequestV2(
        audiences_changes=ProfileAudiencesChanges(adds=[5], deletes=[]),
        response_content=["customerProfile", "triggeredCampaigns", "ruleFailureReasons", "event"],
    )
    state = await talon_client.profiles.update_v2("alice", body, run_rule_engine=True)
    assert state.customer_profile is not None
    memberships = state.customer_profile.audience_memberships or []
    assert [(m.id, m.name) for m in memberships] == [(5, "Newsletter")]
    assert state.triggered_campaigns == [] and state.event is not None
    assert [r.rule_name for r in state.rule_failure_reasons or []] == ["10% off the cart"]
    # An unknown audience is a bad request: the operation documents no 404.
    with pytest.raises(BadRequestError):
        await talon_client.profiles.update_v2(
            "alice",
            CustomerProfileIntegrationRequestV2(
                audiences_changes=ProfileAudiencesChanges(adds=[99], deletes=[])
            ),
        )


async def test_update_customer_profiles_v2(
    talon_fake: FakeTalon, talon_client: TalonClient
) -> None:
    body = MultipleCustomerProfileIntegrationRequest(
        customer_profiles=[
            MultipleCustomerProfileIntegrationRequestItem(integration_id="a", attributes={"n": 1}),
            MultipleCustomerProfileIntegrationRequestItem(integration_id="b"),
        ]
    )
    result = await talon_client.update_customer_profiles_v2(body)
    assert result is not None
    states = result.integration_states or []
    assert [s.customer_profile.integration_id for s in states] == ["a", "b"]
    await talon_client.profiles.update_many_v2(body, silent=True)
    assert talon_fake.requests[-1].query == {"silent": "yes"}
    assert talon_fake.requests[-1].status == 204
    assert sorted(talon_fake.profiles) == ["a", "b"]


async def test_bulk_update_larger_than_one_request(
    talon_fake: FakeTalon, talon_client: TalonClient
) -> None:
    items = [
        MultipleCustomerProfileIntegrationRequestItem(integration_id=f"p{i}") for i in range(2500)
    ]
    body = MultipleCustomerProfileIntegrationRequest(customer_profiles=items)
    result = await talon_client.profiles.update_many_v2(body)
    assert result is not None and len(result.integration_states or []) == 2500
    assert len(talon_fake.profiles) == 2500
    assert all(r.status == 200 for r in talon_fake.requests) and len(talon_fake.requests) == 3


async def test_update_customer_profile_audiences(
    talon_fake: FakeTalon, talon_client: TalonClient
) -> None:
    talon_fake.add_audience(5)
    talon_fake.add_profile("bob")
    item = CustomerProfileAudienceRequestItem
    body = CustomerProfileAudienceRequest(
        data=[
            item(action="add", profile_integration_id="alice", audience_id=5),
            item(action="add", profile_integration_id="bob", audience_id=5),
            item(action="delete", profile_integration_id="bob", audience_id=5),
        ]
    )
    await talon_client.update_customer_profile_audiences(body)
    assert talon_fake.requests[-1].headers["Authorization"] == "ApiKey-v1 fake-api-key"
    assert talon_fake.profiles["alice"]["audienceMemberships"] == [{"id": 5, "name": "Audience 5"}]
    assert talon_fake.profiles["bob"]["audienceMemberships"] == []
    async with talon_fake.client(auth=Bearer(talon_fake.manager_token)) as manager:
        await manager.profiles.update_audiences(body)
    assert talon_fake.requests[-1].headers["Authorization"] == "Bearer fake-manager-token"
    assert talon_fake.requests[-1].status == 204


async def test_coupon_reservations(talon_fake: FakeTalon, talon_client: TalonClient) -> None:
    talon_fake.add_coupon(
        "SUMMER10", usage_limit=5, expiry_date=datetime.now(timezone.utc) + timedelta(days=3)
    )
    talon_fake.add_coupon("OLD", expiry_date=datetime.now(timezone.utc) - timedelta(days=3))
    reservation = CouponReservations(integration_ids=["alice", "bob"])
    coupon = await talon_client.create_coupon_reservation("SUMMER10", reservation)
    assert (coupon.value, coupon.usage_limit, coupon.reservation_counter) == ("SUMMER10", 5, 2)
    await talon_client.coupon_reservations.create(
        "OLD", CouponReservations(integration_ids=["alice"])
    )
    with pytest.deprecated_call():
        reserved = await talon_client.get_reserved_coupons("alice")
    assert (reserved.total_result_size, [c.value for c in reserved.data]) == (1, ["SUMMER10"])
    customers = await talon_client.get_reserved_customers("SUMMER10")
    assert sorted(p.integration_id for p in customers.data) == ["alice", "bob"]
    deleted = CouponReservations(integration_ids=["bob"])
    await talon_client.delete_coupon_reservation("SUMMER10", deleted)
    customers = await talon_client.coupon_reservations.list_customers("SUMMER10")
    assert [p.integration_id for p in customers.data] == ["alice"]
    with pytest.deprecated_call():
        assert (await talon_client.coupon_reservations.list_coupons("nobody")).data == []
    with pytest.raises(NotFoundError):
        await talon_client.create_coupon_reservation("NOPE", reservation)
    assert "NOPE" not in talon_fake.reservations


async def test_referrals(talon_fake: FakeTalon, talon_client: TalonClient) -> None:
    expiry = datetime(2031, 1, 1, tzinfo=timezone.utc)
    referral = await talon_client.create_referral(
        NewReferral(campaign_id=4, advocate_profile_integration_id="alice", expiry_date=expiry)
    )
    assert (referral.campaign_id, referral.usage_counter, referral.expiry_date) == (4, 0, expiry)
    assert len(referral.code) == 12 and talon_fake.referrals[referral.code]["campaignId"] == 4
    body = NewReferralsForMultipleAdvocates(
        campaign_id=4, advocate_profile_integration_ids=["bob", "carol"], usage_limit=3
    )
    created = await talon_client.create_referrals_for_multiple_advocates(body)
    assert created.total_result_size == 2
    assert [r.advocate_profile_integration_id for r in created.data] == ["bob", "carol"]
    await talon_client.referrals.create_for_multiple_advocates(body, silent=True)
    assert talon_fake.requests[-1].status == 204
    assert len(talon_fake.referrals) == 5


async def test_customer_inventory(talon_fake: FakeTalon, talon_client: TalonClient) -> None:
    talon_fake.add_coupon("SUMMER10")
    talon_fake.add_profile("alice", {"tier": "gold"})
    talon_fake.reservations["SUMMER10"] = ["alice"]
    talon_fake.add_referral("REF-1", "alice")
    talon_fake.add_loyalty_points(7, "alice", 12.5)
    nothing = await talon_client.get_customer_inventory("alice")
    assert (nothing.profile, nothing.coupons, nothing.loyalty) == (None, None, None)
    inventory = await talon_client.profiles.get_inventory(
        "alice",
        profile=True,
        referrals=True,
        coupons=True,
        loyalty=True,
        giveaways=True,
        achievements=True,
    )
    assert inventory.profile is not None and inventory.profile.attributes == {"tier": "gold"}
    assert [(c.value, c.state) for c in inventory.coupons or []] == [("SUMMER10", "active")]
    assert [r.code for r in inventory.referrals or []] == ["REF-1"]
    assert inventory.loyalty is not None
    assert inventory.loyalty.programs["7"].ledger.current_balance == 12.5
    assert (inventory.giveaways, inventory.achievements) == ([], [])
    with pytest.raises(NotFoundError):
        await talon_client.get_customer_inventory("ghost")


async def test_delete_customer_data(talon_fake: FakeTalon, talon_client: TalonClient) -> None:
    talon_fake.add_coupon("C")
    await talon_client.sessions.update_v2("s-1", session_request())
    await talon_client.coupon_reservations.create(
        "C", CouponReservations(integration_ids=["alice"])
    )
    await talon_client.delete_customer_data("alice")
    assert talon_fake.profiles == {} and talon_fake.sessions == {}
    assert talon_fake.reservations == {"C": []}
    with pytest.raises(NotFoundError):
        await talon_client.customer_data.delete("alice")


# -- authentication and faults, seen by the client ---------------------------------------


async def test_content_signature_client(talon_fake: FakeTalon) -> None:
    auth = ContentSignature(talon_fake.application_id, talon_fake.application_key)
    async with talon_fake.client(auth=auth) as client:
        state = await client.sessions.update_v2("s-1", session_request())
    assert state.customer_session is not None
    assert "Content-Signature" in talon_fake.requests[-1].headers


async def test_wrong_credentials_raise_authentication_error(talon_fake: FakeTalon) -> None:
    async with talon_fake.client(auth=[ApiKeyV1("wrong"), Bearer("wrong")]) as client:
        with pytest.raises(AuthenticationError):
            await client.customer_data.delete("alice")


async def test_rate_limit_is_retried_after_the_servers_delay(
    talon_fake: FakeTalon, talon_client: TalonClient
) -> None:
    talon_fake.faults.fail_next(429, retry_after=0)
    state = await talon_client.sessions.update_v2("s-1", session_request())
    assert state.customer_session is not None
    assert [r.status for r in talon_fake.requests] == [429, 200]
    talon_fake.faults.fail_next(429, retry_after=2)
    with pytest.raises(RateLimitError) as caught:
        await talon_client.sessions.update_v2("s-1", session_request(), retry=NO_RETRY)
    assert caught.value.retry_after == 2


async def test_lost_answer_of_a_post_is_not_replayed(
    talon_fake: FakeTalon, talon_client: TalonClient
) -> None:
    talon_fake.faults.drop_next(after_apply=True)
    with pytest.raises(TalonConnectionError) as caught:
        await talon_client.create_referral(
            NewReferral(campaign_id=4, advocate_profile_integration_id="alice")
        )
    assert caught.value.may_have_reached_server
    assert len(talon_fake.referrals) == 1 and len(talon_fake.requests) == 1


async def test_lost_answer_of_a_put_is_not_resent_behind_the_policys_back(
    talon_fake: FakeTalon,
) -> None:
    talon_fake.faults.drop_next(after_apply=True)
    async with talon_fake.client(retry=NO_RETRY) as client:
        with pytest.raises(TalonConnectionError):
            await client.sessions.update_v2("s-1", session_request())
    assert len(talon_fake.requests) == 1
    assert talon_fake.sessions["s-1"]["updateCount"] == 1


async def test_the_client_serializes_updates_of_one_session(
    talon_fake: FakeTalon, talon_client: TalonClient
) -> None:
    talon_fake.faults.delay(0.05, times=2)
    await asyncio.gather(
        *(talon_client.sessions.update_v2("s-1", session_request()) for _ in range(3))
    )
    assert [r.status for r in talon_fake.requests] == [200, 200, 200]
    assert talon_fake.sessions["s-1"]["updateCount"] == 3
