"""Models of getCustomerSession, reopenCustomerSession, returnCartItems, trackEventV2,
trackEventV3 and getEventV3 against the examples of the current spec.

``data/spec_integration_state_v2.json`` is the returnCartItems answer assembled from the
spec's own example values: every member of every object is present, arrays hold one item,
and ``effects`` holds one effect per effect type, its ``props`` being the spec's example of
that type. Members the spec gives no example for hold a placeholder of their type (the
compact effect arrays of events among them). The five other answers consist of the very
same member schemas in the spec files, so they are cut from that document.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest

from talon_async import TalonDecodeError, from_json, to_json
from talon_async.models import (
    Campaign,
    CustomerSessionV2,
    Effect,
    EventV3,
    IntegrationCustomerSessionResponse,
    IntegrationEventV2Request,
    IntegrationEventV2Response,
    IntegrationEventV3Request,
    IntegrationEventV3Response,
    IntegrationStateV2,
    Model,
    NewReturn,
    ReopenSessionResponse,
    ReturnedCartItem,
    ReturnIntegrationRequest,
    RollbackDiscountEffectProps,
    RuleEligibility,
    RuleEligibilityFailureDetails,
)
from talon_async.models.effects import EFFECT_PROPS_TYPES

DATA = Path(__file__).resolve().parent.parent / "data"

# Where the spec's examples contradict the spec's own schema:
# * Some ``format: date-time`` examples are no timestamps: Go's layout string pasted as a
#   value ("...Z07:00": loyalty tiers and ledgers, a program's join date, giveaways) and
#   day 97, hour 35 (Campaign.updated). Strict decoding refuses them (see the test below);
#   everywhere else they are replaced by these valid timestamps.
NOT_TIMESTAMPS = {
    "2021-05-03T12:32:00Z07:00": "2021-05-03T12:32:00+07:00",
    "2022-08-02T15:04:05Z07:00": "2022-08-02T15:04:05+07:00",
    "2024-04-30T15:04:05Z07:00": "2024-04-30T15:04:05+07:00",
    "2022-01-02T15:04:05Z07:00": "2022-01-02T15:04:05+07:00",
    "2023-01-02T15:04:05Z07:00": "2023-01-02T15:04:05+07:00",
    "2022-10-97T35:00:00Z": "2022-10-07T15:00:00Z",
}
# * The example of a cart item's ``prices`` names the adjustment dates ``effectiveFrom`` and
#   ``effectiveUntil``; the schema (and the official SDK) ``adjustmentEffectiveFrom`` and
#   ``adjustmentEffectiveUntil``. The example's names are unknown members, kept as such.
PRICE_EXAMPLE_MISNAMED = ["effectiveFrom", "effectiveUntil"]
# * CustomerProfile.loyaltyMemberships, deprecated and documented as always null, is null in
#   the example although the schema does not mark it nullable: it decodes as absent.
# * The schemas of CustomerSessionV2 and of the extendLoyaltyPointsExpiryDate props require
#   members they do not define (``coupon``, ``referral``; ``previousExpirationDate``): no
#   example has them and the models do not ask for them.


def _replaced(data: Any, replacements: dict[str, str]) -> Any:
    if isinstance(data, dict):
        return {key: _replaced(value, replacements) for key, value in data.items()}
    if isinstance(data, list):
        return [_replaced(item, replacements) for item in data]
    if isinstance(data, str):
        return replacements.get(data, data)
    return data


def spec_state(*, fixed: bool = True) -> dict[str, Any]:
    """The returnCartItems answer of the spec (with its broken timestamps unless fixed)."""
    text = (DATA / "spec_integration_state_v2.json").read_text(encoding="utf-8")
    state: dict[str, Any] = json.loads(text)
    return _replaced(state, NOT_TIMESTAMPS) if fixed else state


EVALUATION = [
    "customerProfile",
    "loyalty",
    "triggeredCampaigns",
    "campaignEligibility",
    "effects",
    "ruleFailureReasons",
    "createdCoupons",
    "createdReferrals",
    "awardedGiveaways",
]
"""The members every rule evaluation answers with."""


def spec_answers() -> dict[str, tuple[type[Model], Any]]:
    """operationId -> (the model of its 200 answer, the spec's example of that answer)."""
    state = spec_state()
    evaluation = {name: state[name] for name in EVALUATION}
    return {
        "getCustomerSession": (
            IntegrationCustomerSessionResponse,
            {"customerSession": state["customerSession"], "effects": state["effects"]},
        ),
        "reopenCustomerSession": (ReopenSessionResponse, {"effects": state["effects"]}),
        "returnCartItems": (IntegrationStateV2, state),
        "trackEventV2": (IntegrationEventV2Response, {**evaluation, "event": state["event"]}),
        "trackEventV3": (
            IntegrationEventV3Response,
            {**evaluation, "advancedEvent": state["advancedEvent"]},
        ),
        "getEventV3": (EventV3, state["advancedEvent"]),
    }


def unmodelled(value: Any, path: str = "$") -> list[str]:
    """Every member that decoded into ``extra_fields`` or untyped effect props."""
    found = []
    if isinstance(value, Model):
        found += [f"{path}.{name}" for name in value.extra_fields]
        if isinstance(value, Effect) and not isinstance(value.props, Model):
            found.append(f"{path}.props")
        for attribute in attrs.fields(type(value)):
            if attribute.name != "extra_fields":
                found += unmodelled(getattr(value, attribute.name), f"{path}.{attribute.name}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += unmodelled(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            found += unmodelled(item, f"{path}[{key!r}]")
    return found


@pytest.mark.parametrize("operation", list(spec_answers()))
def test_spec_example_answer_decodes_strictly_and_fully(operation: str) -> None:
    model, answer = spec_answers()[operation]
    decoded = from_json(model, json.dumps(answer), strict=True)
    assert type(decoded) is model
    expected = []
    if "customerSession" in answer:
        prices = "$.customer_session.cart_items[0].prices['member']"
        expected = [f"{prices}.{name}" for name in PRICE_EXAMPLE_MISNAMED]
    assert unmodelled(decoded) == expected
    # What the client would send back is what it received (timestamps in Python's form).
    assert from_json(model, to_json(decoded), strict=True) == decoded


def test_every_effect_type_of_the_spec_is_typed() -> None:
    decoded = from_json(IntegrationStateV2, spec_state(), strict=True)
    types = {effect.effect_type: type(effect.props) for effect in decoded.effects}
    assert len(types) == len(decoded.effects) == 35
    assert all(EFFECT_PROPS_TYPES[name] is props for name, props in types.items())
    rollback = next(e.props for e in decoded.effects if e.effect_type == "rollbackDiscount")
    assert isinstance(rollback, RollbackDiscountEffectProps)


def test_spec_timestamps_that_are_no_timestamps_are_refused() -> None:
    broken = spec_state(fixed=False)
    with pytest.raises(TalonDecodeError, match="start_date: expected an RFC 3339 timestamp"):
        from_json(IntegrationStateV2, broken, strict=True)
    assert from_json(IntegrationStateV2, broken).customer_session is not None  # lenient
    campaign = spec_state()["triggeredCampaigns"][0]
    assert from_json(Campaign, campaign, strict=True).description
    with pytest.raises(TalonDecodeError):
        from_json(Campaign, {**campaign, "updated": "2022-10-97T35:00:00Z"}, strict=True)


def test_spec_example_values_land_in_their_fields() -> None:
    answers = {name: answer for name, (_, answer) in spec_answers().items()}
    response = from_json(
        IntegrationCustomerSessionResponse, answers["getCustomerSession"], strict=True
    )
    session = response.customer_session
    assert isinstance(session, CustomerSessionV2)
    assert (session.profile_id, session.state) == ("URNGV8294NV", "open")
    assert session.cart_items[0].sku == "SKU1241028"
    event = from_json(EventV3, answers["getEventV3"], strict=True)
    assert (event.integration_id, event.connected_session_id) == ("175KJPS947296",) * 2
    assert event.effects == [[244, 73, 2, ["setDiscount", "10% Off", 2.5]]]
    state = from_json(IntegrationStateV2, answers["returnCartItems"], strict=True)
    assert state.return_ is not None
    assert state.return_.returned_cart_items == [
        ReturnedCartItem(position=2, quantity=1, sku="SKU1241028")
    ]
    assert state.campaign_eligibility is not None
    rule = state.campaign_eligibility[0].rules[0].eligibility[0]
    assert isinstance(rule, RuleEligibility)
    assert rule.details is not None
    assert (rule.details.coupon_id, rule.details.coupon_value) == (4928, "text")


def test_rule_eligibility_details_are_modelled_with_their_irregular_names() -> None:
    wire = {
        "passed": False,
        "couponCode": "SUMMER-2024",
        "details": {
            "failureCode": "CONDITION_NOT_MET",
            "couponID": 4928,
            "couponValue": "SUMMER-2024",
            "referralID": 12,
            "referralValue": "27G47Y54VH9L",
            "conditionIndex": 2,
            "effectIndex": 0,
            "details": "cart total below 50",
        },
    }
    eligibility = from_json(RuleEligibility, wire, strict=True)
    assert eligibility.details == RuleEligibilityFailureDetails(
        failure_code="CONDITION_NOT_MET",
        details="cart total below 50",
        coupon_id=4928,
        coupon_value="SUMMER-2024",
        referral_id=12,
        referral_value="27G47Y54VH9L",
        condition_index=2,
        effect_index=0,
    )
    assert json.loads(to_json(eligibility)) == wire
    with pytest.raises(TalonDecodeError, match="details"):
        from_json(RuleEligibilityFailureDetails, {"failureCode": "EFFECT_FAILED"}, strict=True)


@pytest.mark.parametrize("member", ["profileId", "state", "cartItems", "attributes"])
def test_session_members_the_spec_requires_are_required(member: str) -> None:
    session = dict(spec_state()["customerSession"])
    assert from_json(CustomerSessionV2, session, strict=True).integration_id
    del session[member]
    with pytest.raises(TalonDecodeError, match=member):
        from_json(CustomerSessionV2, session, strict=True)


def test_spec_track_event_v2_request_examples_decode_and_encode_back() -> None:
    examples = json.loads((DATA / "spec_track_event_v2_requests.json").read_text("utf-8"))
    assert len(examples) == 5
    for example in examples:
        request = from_json(IntegrationEventV2Request, example, strict=True)
        assert request.extra_fields == {}
        assert json.loads(to_json(request)) == example


def test_request_bodies_on_the_wire() -> None:
    v3 = IntegrationEventV3Request(
        profile_id="URNGV8294NV",
        type="pageViewed",
        integration_id="175KJPS947296",
        connected_session_id="session1",
        attributes={"myAttribute": "myValue"},
        loyalty_cards=["loyalty-card-1"],
        response_content=["advancedEvent"],
    )
    assert json.loads(to_json(v3)) == {
        "profileId": "URNGV8294NV",
        "type": "pageViewed",
        "integrationId": "175KJPS947296",
        "connectedSessionId": "session1",
        "attributes": {"myAttribute": "myValue"},
        "loyaltyCards": ["loyalty-card-1"],
        "responseContent": ["advancedEvent"],
    }
    assert json.loads(to_json(IntegrationEventV2Request(type="pageViewed"))) == {
        "type": "pageViewed"
    }
    returned = ReturnIntegrationRequest(
        return_=NewReturn(returned_cart_items=[ReturnedCartItem(position=0, quantity=1)]),
        response_content=["customerSession"],
    )
    assert json.loads(to_json(returned)) == {
        "return": {"returnedCartItems": [{"position": 0, "quantity": 1}]},
        "responseContent": ["customerSession"],
    }
