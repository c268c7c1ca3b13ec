"""Reading, reopening and returning sessions, events v2 and v3: talon_async's client against
the fake, end to end, every answer decoded strictly by the client's models."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from talon_async import BadRequestError, ConflictError, NotFoundError, TalonClient
from talon_async.models import (
    AcceptCouponEffectProps,
    AddLoyaltyPointsEffectProps,
    CartItem,
    EventV3,
    IntegrationEventV2Request,
    IntegrationEventV3Request,
    IntegrationRequest,
    NewCustomerSessionV2,
    NewReturn,
    ReturnedCartItem,
    ReturnIntegrationRequest,
    RollbackAddedLoyaltyPointsEffectProps,
    RollbackCouponEffectProps,
    RollbackDiscountEffectProps,
    SetDiscountEffectProps,
)
from talon_async.testing import EffectSpec, FakeTalon, RuleContext, coupon_codes, loyalty_points


@pytest.fixture
async def client(talon_fake: FakeTalon) -> AsyncIterator[TalonClient]:
    talon_fake.add_coupon("SPRING10")
    talon_fake.add_rule(coupon_codes(percent=10))
    talon_fake.add_rule(loyalty_points(1, 1))
    async with talon_fake.client(strict_responses=True) as client:
        yield client


def update(state: str, *codes: str) -> IntegrationRequest:
    return IntegrationRequest(
        customer_session=NewCustomerSessionV2(
            profile_id="alice",
            state=state,
            coupon_codes=list(codes) or None,
            cart_items=[
                CartItem(sku="shoe", quantity=2, price=40.0),
                CartItem(sku="sock", quantity=4, price=5.0),
            ],
        ),
        response_content=["customerSession"],
    )


def returning(*items: ReturnedCartItem) -> ReturnIntegrationRequest:
    return ReturnIntegrationRequest(
        return_=NewReturn(returned_cart_items=list(items)),
        response_content=["customerSession", "previousReturns", "loyalty", "event"],
    )


async def test_update_close_return_and_read_back(
    talon_fake: FakeTalon, client: TalonClient
) -> None:
    await client.sessions.update_v2("s-1", update("open", "SPRING10"))
    closed = await client.sessions.update_v2("s-1", update("closed", "SPRING10"))
    assert closed.customer_session is not None and closed.customer_session.state == "closed"

    returned = await client.sessions.return_items(
        "s-1", returning(ReturnedCartItem(position=0, quantity=1))
    )
    discount, points = (effect.props for effect in returned.effects)
    assert discount == RollbackDiscountEffectProps(name="SPRING10", value=4.0)
    assert isinstance(points, RollbackAddedLoyaltyPointsEffectProps)
    assert (points.program_id, points.value, points.recipient_integration_id) == (1, 40.0, "alice")
    assert returned.return_ is not None and returned.return_.session_integration_id == "s-1"
    assert returned.return_.returned_cart_items == [
        ReturnedCartItem(position=0, quantity=1, sku="shoe")
    ]
    assert returned.previous_returns == []
    assert returned.event is not None and returned.event.id == returned.return_.event_id
    assert returned.loyalty is not None
    assert returned.loyalty.programs["1"].ledger.current_balance == 60.0

    again = await client.return_cart_items(
        "s-1", returning(ReturnedCartItem(sku="sock", quantity=2))
    )
    assert again.previous_returns == [returned.return_]

    read = await client.sessions.get("s-1")
    session = read.customer_session
    assert session is not None and session.state == "partially_returned"
    assert [(i.sku, i.returned_quantity, i.remaining_quantity) for i in session.cart_items] == [
        ("shoe", 1, 1),
        ("sock", 2, 2),
    ]
    assert read.effects is not None
    left = [effect.props for effect in read.effects]
    assert left[:2] == [
        AcceptCouponEffectProps(value="SPRING10"),
        SetDiscountEffectProps(name="SPRING10", value=5.0),
    ]
    assert isinstance(left[2], AddLoyaltyPointsEffectProps) and left[2].value == 50.0
    assert read.extra_fields == {} and session.extra_fields == {}
    assert talon_fake.loyalty_balance(1, "alice") == 50.0
    assert len(talon_fake.returns) == 2


async def test_a_dry_return_changes_nothing(talon_fake: FakeTalon, client: TalonClient) -> None:
    await client.sessions.update_v2("s-1", update("closed"))
    dry = await client.sessions.return_items(
        "s-1", returning(ReturnedCartItem(position=1)), dry=True
    )
    assert dry.customer_session is not None
    assert dry.customer_session.state == "partially_returned"
    read = await client.get_customer_session("s-1")
    assert read.customer_session is not None and read.customer_session.state == "closed"
    assert talon_fake.returns == [] and talon_fake.loyalty_balance(1, "alice") == 100.0


async def test_a_return_of_more_than_bought_is_a_bad_request(client: TalonClient) -> None:
    await client.sessions.update_v2("s-1", update("closed"))
    with pytest.raises(BadRequestError) as caught:
        await client.sessions.return_items(
            "s-1", returning(ReturnedCartItem(position=0, quantity=3))
        )
    assert caught.value.status == 400 and caught.value.body is not None
    (detail,) = caught.value.body.errors
    assert detail.source is not None
    assert detail.source.pointer == "/return/returnedCartItems/0/quantity"
    with pytest.raises(NotFoundError):
        await client.sessions.return_items("nobody", returning(ReturnedCartItem(position=0)))


async def test_open_cancel_then_reopen_is_refused(
    talon_fake: FakeTalon, client: TalonClient
) -> None:
    await client.sessions.update_v2("s-1", update("open"))
    await client.sessions.update_v2("s-1", update("cancelled"))
    with pytest.raises(BadRequestError) as caught:
        await client.sessions.reopen("s-1")
    assert caught.value.status == 400 and caught.value.body is not None
    assert "cancelled" in (caught.value.body.errors[0].details or "")
    assert talon_fake.sessions["s-1"]["state"] == "cancelled"
    with pytest.raises(NotFoundError):
        await client.reopen_customer_session("nobody")


async def test_closed_reopen_then_update_again(talon_fake: FakeTalon, client: TalonClient) -> None:
    await client.sessions.update_v2("s-1", update("closed", "SPRING10"))
    reopened = await client.sessions.reopen("s-1")
    rollbacks = [effect.props for effect in reopened.effects]
    assert rollbacks[:2] == [
        RollbackCouponEffectProps(value="SPRING10"),
        RollbackDiscountEffectProps(name="SPRING10", value=10.0),
    ]
    assert isinstance(rollbacks[2], RollbackAddedLoyaltyPointsEffectProps)
    assert talon_fake.coupons["SPRING10"]["usageCounter"] == 0
    read = await client.sessions.get("s-1")
    assert read.customer_session is not None and read.customer_session.state == "open"
    assert read.effects == []

    updated = await client.sessions.update_v2("s-1", update("open", "SPRING10"))
    assert updated.customer_session is not None and updated.customer_session.state == "open"
    closed = await client.sessions.update_v2("s-1", update("closed", "SPRING10"))
    assert closed.customer_session is not None and closed.customer_session.state == "closed"
    assert talon_fake.coupons["SPRING10"]["usageCounter"] == 1
    assert talon_fake.loyalty_balance(1, "alice") == 100.0
    assert talon_fake.profiles["alice"]["closedSessions"] == 1


def points_for_reviews(context: RuleContext) -> Iterator[EffectSpec]:
    if context.event is not None and context.event["type"] == "review":
        yield (
            "addLoyaltyPoints",
            {
                "name": "review",
                "programId": 2,
                "subLedgerId": "",
                "value": 5.0,
                "recipientIntegrationId": context.profile_id,
                "transactionUUID": "t-review",
            },
        )


async def test_track_event_v2_dry_silent_and_stored(
    talon_fake: FakeTalon, client: TalonClient
) -> None:
    talon_fake.add_rule(points_for_reviews)
    review = IntegrationEventV2Request(
        type="review",
        profile_id="bob",
        attributes={"stars": 5},
        response_content=["event", "customerProfile", "loyalty", "triggeredCampaigns"],
    )
    dry = await client.events.track_v2(review, dry=True)
    assert [effect.effect_type for effect in dry.effects] == ["addLoyaltyPoints"]
    assert dry.event is not None and dry.event.type == "review"
    assert talon_fake.events == [] and talon_fake.loyalty_transactions == []

    tracked = await client.track_event_v2(review)
    assert tracked.event is not None and tracked.event.attributes == {"stars": 5}
    assert tracked.customer_profile is not None
    assert tracked.customer_profile.integration_id == "bob"
    assert tracked.loyalty is not None
    assert tracked.loyalty.programs["2"].ledger.current_balance == 5.0
    # Without a cart only the review rule's campaign triggers.
    assert [c.id for c in tracked.triggered_campaigns or []] == [3]
    assert [event["id"] for event in talon_fake.events] == [tracked.event.id]

    silent = await client.events.track_v2(review, silent=True)  # type: ignore[func-returns-value]
    assert silent is None
    assert len(talon_fake.events) == 2 and talon_fake.loyalty_balance(2, "bob") == 10.0
    assert talon_fake.requests[-1].status == 204


async def test_track_event_v3_then_read_it_back(talon_fake: FakeTalon, client: TalonClient) -> None:
    talon_fake.add_rule(points_for_reviews)
    await client.sessions.update_v2("order-1", update("closed"))
    review = IntegrationEventV3Request(
        profile_id="alice",
        type="review",
        integration_id="review-1",
        connected_session_id="order-1",
        attributes={"stars": 4},
        response_content=["advancedEvent", "loyalty"],
    )
    tracked = await client.events.track_v3(review)
    event = tracked.advanced_event
    assert event is not None and event.connected_session_id == "order-1"
    assert tracked.loyalty is not None
    assert tracked.loyalty.programs["2"].ledger.current_balance == 5.0

    read = await client.events.get_v3("review-1")
    assert read == event and isinstance(read, EventV3)
    assert (read.integration_id, read.type, read.attributes) == ("review-1", "review", {"stars": 4})
    assert read.extra_fields == {}
    with pytest.raises(ConflictError):
        await client.events.track_v3(review)
    with pytest.raises(NotFoundError):
        await client.get_event_v3("review-2")

    quiet = IntegrationEventV3Request(profile_id="alice", type="review", integration_id="r-3")
    silent = await client.events.track_v3(quiet, silent=True)  # type: ignore[func-returns-value]
    assert silent is None and talon_fake.requests[-1].status == 204
    assert (await client.events.get_v3("r-3")).integration_id == "r-3"
    dry = IntegrationEventV3Request(profile_id="alice", type="review", integration_id="r-4")
    assert await client.events.track_v3(dry, dry=True, force_complete_evaluation=True) is not None
    with pytest.raises(NotFoundError):
        await client.events.get_v3("r-4")
