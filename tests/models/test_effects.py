"""Effects decode into typed props by effect type and encode back unchanged."""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import Any
from uuid import UUID

import pytest

from talon_async._convert import converter, decode_json, encode, structure
from talon_async.models._base import Model
from talon_async.models.effects import (
    EFFECT_PROPS_TYPES,
    AddLoyaltyPointsEffectProps,
    CustomEffectProps,
    Effect,
    ExtendLoyaltyPointsExpiryDateEffectProps,
    LoyaltyLedgerEntryExpiryDateChange,
    RejectCouponEffectProps,
    SetDiscountEffectProps,
    SetDiscountPerItemEffectProps,
    UpdateAttributeEffectProps,
)

AFFECTED = [
    {
        "transactionUUID": "8c2d3670-6ea5-4e9e-b5c6-e7e7b4a10111",
        "previousExpiryDate": "2025-01-01T00:00:00+00:00",
        "newExpiryDate": "2025-07-01T00:00:00+00:00",
    },
    {
        "transactionUUID": "9f3e4781-7fb6-4f0f-86d7-f8f8c5b21222",
        "newExpiryDate": "2025-07-01T00:00:00+00:00",
    },
]

PROPS: dict[str, dict[str, Any]] = {
    "acceptCoupon": {"value": "COUP-XYZ789"},
    "acceptReferral": {"value": "REF-ABC123"},
    "addFreeItem": {"sku": "SKU1241028", "name": "Free gift", "desiredQuantity": 1},
    "addLoyaltyPoints": {
        "name": "Points for purchase",
        "programId": 5,
        "subLedgerId": "main",
        "value": 100.5,
        "desiredValue": 120.0,
        "recipientIntegrationId": "URNGV8294NV",
        "startDate": "2024-01-01T00:00:00+00:00",
        "expiryDate": "2025-01-01T00:00:00+00:00",
        "transactionUUID": "8c2d3670-6ea5-4e9e-b5c6-e7e7b4a10111",
        "cartItemPosition": 1.0,
        "cartItemSubPosition": 0.0,
        "cardIdentifier": "loyalty-card-001",
        "bundleIndex": 1,
        "bundleName": "my_bundle",
        "awaitsActivation": False,
        "validityDuration": "12M",
    },
    "addToAudience": {"audienceId": 10, "audienceName": "VIP", "profileIntegrationId": "URNGV"},
    "awardGiveaway": {
        "poolId": 2,
        "poolName": "My pool",
        "recipientIntegrationId": "URNGV8294NV",
        "giveawayId": 5,
        "code": "57638t-67439hty",
    },
    "changeLoyaltyTierLevel": {
        "ruleTitle": "Tier upgrade",
        "programId": 5,
        "subLedgerId": "main",
        "previousTierName": "Silver",
        "newTierName": "Gold",
        "expiryDate": "2025-12-31T23:59:59+00:00",
    },
    "couponCreated": {"value": "COUP-NEW123", "profileId": "customer_profile_id_1"},
    "customEffect": {
        "effectId": 1,
        "name": "my_custom_effect",
        "cartItemPosition": 1.0,
        "payload": {"key": "value", "nested": {"n": [1, 2]}},
    },
    "deductLoyaltyPoints": {
        "ruleTitle": "Redeem points",
        "programId": 5,
        "subLedgerId": "main",
        "value": 50.0,
        "transactionUUID": "9f3e4781-7fb6-5f0f-c6d7-f8f8c5b21222",
        "name": "Points spent",
        "cardIdentifier": "loyalty-card-001",
    },
    "error": {"message": "An unexpected error occurred during rule evaluation."},
    "extendLoyaltyPointsExpiryDate": {
        "programId": 5,
        "subLedgerId": "main",
        "extensionDuration": "12h",
        "affectedTransactions": AFFECTED,
    },
    "increaseAchievementProgress": {
        "achievementId": 10,
        "achievementName": "FreeCoffee10Orders",
        "progressTrackerId": 42,
        "delta": 1.0,
        "value": 7.0,
        "target": 10.0,
        "isJustCompleted": False,
    },
    "redeemReferral": {"id": 12, "value": "REF-ABC123"},
    "referralCreated": {"value": "REF-NEW456"},
    "rejectCoupon": {
        "value": "COUP-XYZ789",
        "rejectionReason": "CouponRejectedCondition",
        "conditionIndex": 2,
        "details": "Coupon usage limit reached",
    },
    "rejectReferral": {
        "value": "REF-ABC123",
        "rejectionReason": "ReferralRejectedCondition",
        "effectIndex": 0,
        "campaignExclusionReason": "CampaignGaveLowerDiscount",
    },
    "removeFromAudience": {"audienceId": 10, "profileId": 150},
    "reserveCoupon": {
        "couponValue": "COUP-XYZ789",
        "profileIntegrationId": "customer_profile_id_1",
        "isNewReservation": True,
    },
    "rollbackAddedLoyaltyPoints": {
        "programId": 5,
        "subLedgerId": "main",
        "value": 100.0,
        "recipientIntegrationId": "URNGV8294NV",
        "transactionUUID": "8c2d3670-6ea5-4e9e-b5c6-e7e7b4a10111",
        "cartItemPosition": 1.0,
    },
    "rollbackCoupon": {"value": "COUP-XYZ789"},
    "rollbackDeductedLoyaltyPoints": {
        "programId": 5,
        "subLedgerId": "main",
        "value": 50.0,
        "recipientIntegrationId": "URNGV8294NV",
        "startDate": "2024-01-01T00:00:00+00:00",
        "transactionUUID": "9f3e4781-7fb6-5f0f-c6d7-f8f8c5b21222",
    },
    "rollbackDiscount": {
        "name": "10% Off",
        "value": 2.5,
        "additionalCostId": 1,
        "additionalCost": "shipping",
        "scope": "additionalCosts",
    },
    "rollbackIncreasedAchievementProgress": {
        "achievementId": 10,
        "achievementName": "FreeCoffee10Orders",
        "progressTrackerId": 42,
        "decreaseProgressBy": 1.0,
        "currentProgress": 6.0,
        "target": 10.0,
    },
    "rollbackReferral": {"value": "REF-ABC123"},
    "setDiscount": {"name": "10% Off", "value": 2.5, "scope": "sessionTotal"},
    "setDiscountPerAdditionalCost": {
        "name": "Shipping discount",
        "additionalCostId": 1,
        "additionalCost": "shipping",
        "value": 4.99,
    },
    "setDiscountPerAdditionalCostPerItem": {
        "name": "Shipping discount on item #1",
        "additionalCostId": 1,
        "value": 4.99,
        "position": 1.0,
        "subPosition": 0.0,
        "additionalCost": "shipping",
    },
    "setDiscountPerItem": {
        "name": "Discount on item #1",
        "value": 1.5,
        "position": 1.0,
        "subPosition": 1.0,
        "scope": "price",
        "bundleIndex": 1,
        "bundleName": "my_bundle",
        "excludedFromPriceHistory": False,
    },
    "setLoyaltyPointsExpiryDate": {
        "programId": 5,
        "subLedgerId": "main",
        "newExpiryDate": "2024-07-24T14:15:22+00:00",
        "affectedTransactions": [],
    },
    "showBundleMetadata": {
        "description": "Buy 2 get 1 free bundle",
        "bundleAttributes": ["category", "brand"],
        "itemsIndices": [0.0, 1.0, 2.0],
    },
    "showNotification": {
        "notificationType": "Info",
        "title": "Discount applied",
        "body": "You received 10% off.",
    },
    "strikethroughSetDiscountPerItem": {
        "name": "Discount on item",
        "value": 3.5,
        "excludedFromPriceHistory": True,
    },
    "strikethroughSetDiscountPerItemMember": {"name": "Member price", "value": 2.0},
    "triggerWebhook": {"webhookId": 7.0, "webhookName": "My Webhook"},
    "updateAttribute": {"path": "Session.Attributes.loyaltyTier", "value": "Gold"},
    "willAwardGiveaway": {
        "poolId": 2,
        "poolName": "My pool",
        "recipientIntegrationId": "URNGV8294NV",
    },
}


def effect_json(effect_type: str, props: Any) -> dict[str, Any]:
    """A response-shaped effect around ``props``."""
    return {
        "campaignId": 244,
        "rulesetId": 73,
        "ruleIndex": 2,
        "ruleName": "Give 20% discount",
        "effectType": effect_type,
        "triggeredByCoupon": 4928,
        "conditionIndex": 1,
        "evaluationGroupMode": "stackable",
        "campaignRevisionId": 1,
        "selectedPriceType": "member",
        "selectedPrice": 100.0,
        "adjustmentReferenceId": "68851723-e6fa-488f-ace9-112581e6c19b",
        "props": props,
    }


def test_every_props_class_is_mapped() -> None:
    assert len(EFFECT_PROPS_TYPES) == 37
    assert set(PROPS) == set(EFFECT_PROPS_TYPES)
    assert len(set(EFFECT_PROPS_TYPES.values())) == 37


@pytest.mark.parametrize("effect_type", sorted(EFFECT_PROPS_TYPES))
def test_known_effect_round_trips(effect_type: str) -> None:
    original = effect_json(effect_type, PROPS[effect_type])
    snapshot = copy.deepcopy(original)

    effect = structure(original, Effect)

    assert effect.effect_type == effect_type
    assert isinstance(effect.props, EFFECT_PROPS_TYPES[effect_type])
    assert effect.props.extra_fields == {}
    assert effect.adjustment_reference_id == UUID("68851723-e6fa-488f-ace9-112581e6c19b")
    assert decode_json(encode(effect)) == original
    assert original == snapshot


def test_typed_values_and_irregular_wire_names() -> None:
    effect = structure(effect_json("addLoyaltyPoints", PROPS["addLoyaltyPoints"]), Effect)
    props = effect.props
    assert isinstance(props, AddLoyaltyPointsEffectProps)
    assert props.transaction_uuid == "8c2d3670-6ea5-4e9e-b5c6-e7e7b4a10111"
    assert props.start_date == datetime(2024, 1, 1, tzinfo=timezone.utc)
    assert props.expiry_date is not None and props.expiry_date.tzinfo is not None
    assert props.program_id == 5

    extend = structure(
        effect_json("extendLoyaltyPointsExpiryDate", PROPS["extendLoyaltyPointsExpiryDate"]),
        Effect,
    ).props
    assert isinstance(extend, ExtendLoyaltyPointsExpiryDateEffectProps)
    assert extend.affected_transactions is not None
    first, second = extend.affected_transactions
    assert isinstance(first, LoyaltyLedgerEntryExpiryDateChange)
    assert first.transaction_uuid == UUID("8c2d3670-6ea5-4e9e-b5c6-e7e7b4a10111")
    assert first.previous_expiry_date == datetime(2025, 1, 1, tzinfo=timezone.utc)
    assert second.previous_expiry_date is None

    custom = structure(effect_json("customEffect", PROPS["customEffect"]), Effect).props
    assert isinstance(custom, CustomEffectProps)
    assert custom.payload == {"key": "value", "nested": {"n": [1, 2]}}


def test_zulu_timestamps_decode_aware() -> None:
    props = dict(PROPS["addLoyaltyPoints"], startDate="2024-01-01T00:00:00Z")
    effect = structure(effect_json("addLoyaltyPoints", props), Effect)
    assert isinstance(effect.props, AddLoyaltyPointsEffectProps)
    assert effect.props.start_date == datetime(2024, 1, 1, tzinfo=timezone.utc)


def test_unknown_effect_type_keeps_raw_props() -> None:
    raw = {"someKey": 1, "nested": {"list": [1, "two", None]}, "flag": True}
    original = effect_json("someFutureEffect", raw)

    effect = structure(original, Effect)

    assert effect.effect_type == "someFutureEffect"
    assert type(effect.props) is dict
    assert effect.props == raw
    assert decode_json(encode(effect)) == original


def test_unknown_members_in_known_props_survive() -> None:
    props = dict(PROPS["setDiscount"], brandNewField={"a": 1}, anotherOne="x")
    original = effect_json("setDiscount", props)
    original["topLevelNewField"] = [1, 2]

    effect = structure(original, Effect)

    assert isinstance(effect.props, SetDiscountEffectProps)
    assert effect.props.extra_fields == {"brandNewField": {"a": 1}, "anotherOne": "x"}
    assert effect.extra_fields == {"topLevelNewField": [1, 2]}
    assert decode_json(encode(effect)) == original


def describe(effect: Effect) -> str:
    match effect.props:
        case SetDiscountEffectProps(name=name, value=value):
            return f"discount {name}: {value}"
        case SetDiscountPerItemEffectProps(position=position, value=value):
            return f"item {position:g}: {value}"
        case RejectCouponEffectProps(value=code, rejection_reason=reason):
            return f"rejected {code} ({reason})"
        case UpdateAttributeEffectProps(path=path, value=value):
            return f"{path} = {value}"
        case dict() as raw:
            return f"unknown {effect.effect_type} with {sorted(raw)}"
        case _:
            return "other"


def test_structural_pattern_matching() -> None:
    data = [
        effect_json("setDiscount", {"name": "10% Off", "value": 10}),
        effect_json("setDiscountPerItem", PROPS["setDiscountPerItem"]),
        effect_json("rejectCoupon", PROPS["rejectCoupon"]),
        effect_json("updateAttribute", PROPS["updateAttribute"]),
        effect_json("someFutureEffect", {"b": 1, "a": 2}),
        effect_json("acceptCoupon", PROPS["acceptCoupon"]),
    ]
    effects = structure(data, list[Effect])
    assert [describe(e) for e in effects] == [
        "discount 10% Off: 10.0",
        "item 1: 1.5",
        "rejected COUP-XYZ789 (CouponRejectedCondition)",
        "Session.Attributes.loyaltyTier = Gold",
        "unknown someFutureEffect with ['a', 'b']",
        "other",
    ]


def test_mixed_effect_list_decodes() -> None:
    data = [effect_json(t, PROPS[t]) for t in ("acceptCoupon", "setDiscount", "addLoyaltyPoints")]
    data.append(effect_json("someFutureEffect", {"x": 1}))

    effects = converter.structure(data, list[Effect])

    assert [type(e.props) for e in effects] == [
        EFFECT_PROPS_TYPES["acceptCoupon"],
        SetDiscountEffectProps,
        AddLoyaltyPointsEffectProps,
        dict,
    ]
    assert all(isinstance(e, Effect) for e in effects)
    assert decode_json(encode(effects)) == data


def test_int_for_float_decodes() -> None:
    original = effect_json("setDiscount", {"name": "10% Off", "value": 10})
    effect = structure(original, Effect)
    assert isinstance(effect.props, SetDiscountEffectProps)
    assert effect.props.value == 10.0
    assert isinstance(effect.props.value, float)
    assert decode_json(encode(effect)) == original


def test_effect_built_in_python_encodes_only_set_fields() -> None:
    effect = Effect(
        campaign_id=1,
        ruleset_id=2,
        rule_index=0,
        rule_name="r",
        effect_type="setDiscount",
        props=SetDiscountEffectProps(name="5 off", value=5.0),
    )
    assert decode_json(encode(effect)) == {
        "campaignId": 1,
        "rulesetId": 2,
        "ruleIndex": 0,
        "ruleName": "r",
        "effectType": "setDiscount",
        "props": {"name": "5 off", "value": 5.0},
    }


def test_props_classes_are_models() -> None:
    for cls in EFFECT_PROPS_TYPES.values():
        assert issubclass(cls, Model)
        assert cls.__name__.endswith("EffectProps")
