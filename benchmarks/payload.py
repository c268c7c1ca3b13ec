"""The request and the response the benchmarks exchange.

The response starts from the small, valid example in ``tests/data`` and is grown
deterministically into what a busy shop sees after a session update: a 30-line cart,
a profile carrying a dozen attributes, 25 effects of 12 types and 3 coupons created by
rules. Nothing is random, so every run (and every library) sees the same bytes.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

EXAMPLE = Path(__file__).resolve().parent.parent / "tests" / "data" / "integration_state_v2.json"

CART_SIZE = 30
EFFECT_COUNT = 25
CREATED_COUPONS = 3
PROFILE_ID = "URNGV8294NV"
SESSION_ID = "bench-session-0001"
RESPONSE_CONTENT = [
    "customerSession",
    "customerProfile",
    "triggeredCampaigns",
    "loyalty",
    "ruleFailureReasons",
    "coupons",
]

_CATEGORIES = ("shoes", "apparel", "accessories", "outdoor", "nutrition")
_MATERIALS = ("leather", "cotton", "nylon", "merino", "steel")
_ADJUSTMENT = "68851723-e6fa-488f-ace9-112581e6c19b"


def _sku(index: int) -> str:
    return f"SKU{1240000 + index * 37:07d}"


def cart_items(count: int = CART_SIZE) -> list[dict[str, Any]]:
    """Cart lines as the shop sends them (the response echoes them with the same shape)."""
    items = []
    for i in range(count):
        price = round(9.99 + (i * 7.31) % 140, 2)
        item: dict[str, Any] = {
            "name": f"Product {i:02d} {_CATEGORIES[i % 5].title()}",
            "sku": _sku(i),
            "quantity": 1 + i % 3,
            "price": price,
            "category": _CATEGORIES[i % 5],
            "product": {"name": f"Product family {i // 3:02d}"},
            "weight": 150 + i * 20,
            "position": i,
            "attributes": {
                "image": f"{_sku(i)}.jpeg",
                "material": _MATERIALS[i % 5],
                "color": "black" if i % 2 else "white",
                "size": str(36 + i % 12),
                "brand": f"Brand {i % 7}",
                "gtin": f"40{i * 7919:011d}",
            },
            "catalogItemID": 4000 + i,
        }
        if i % 3 == 0:
            item["additionalCosts"] = {"shipping": {"price": 4.9}}
        if i % 2 == 0:
            item["selectedPriceType"] = "member"
            item["adjustmentReferenceId"] = _ADJUSTMENT
            item["adjustmentEffectiveFrom"] = "2024-03-01T00:00:00+00:00"
            item["prices"] = {
                "member": {
                    "price": round(price * 0.9, 2),
                    "adjustmentReferenceId": _ADJUSTMENT,
                    "adjustmentEffectiveFrom": "2024-03-01T00:00:00+00:00",
                    "adjustmentEffectiveUntil": "2024-03-31T23:59:59+00:00",
                },
                "base": {"price": price},
            }
        items.append(item)
    return items


def request_body() -> dict[str, Any]:
    """The JSON body of ``PUT /v2/customer_sessions/{id}`` with a 30-item cart."""
    return {
        "customerSession": {
            "profileId": PROFILE_ID,
            "storeIntegrationId": "STORE-001",
            "couponCodes": ["SPRING-20-2024"],
            "referralCode": "NT2K54D9",
            "loyaltyCards": ["loyalty-card-1"],
            "state": "open",
            "cartItems": cart_items(),
            "additionalCosts": {"shipping": {"price": 4.9}},
            "identifiers": ["d41306257915f83fe01e54092ae470f631161ea16fcf4415842eed41470386ea"],
            "attributes": {"ShippingCity": "Berlin", "PaymentMethod": "card"},
        },
        "responseContent": list(RESPONSE_CONTENT),
    }


def _effect(
    campaign: int, rule: int, name: str, kind: str, props: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    effect = {
        "campaignId": campaign,
        "rulesetId": campaign + 2,
        "ruleIndex": rule,
        "ruleName": name,
        "effectType": kind,
        "campaignRevisionId": campaign + 100,
        "campaignRevisionVersionId": 3,
        "props": props,
    }
    effect.update(extra)
    return effect


def _effects(coupon_values: list[str]) -> list[dict[str, Any]]:
    effects = [
        _effect(
            4,
            0,
            "Accept spring coupon",
            "acceptCoupon",
            {"value": "SPRING-20-2024"},
            triggeredByCoupon=4928,
            evaluationGroupID=3,
            evaluationGroupMode="stackable",
        ),
        _effect(
            4,
            0,
            "Accept spring coupon",
            "setDiscount",
            {"name": "Spring 10% off", "value": 14.99},
            triggeredByCoupon=4928,
        ),
        _effect(9, 0, "Referral welcome", "acceptReferral", {"value": "NT2K54D9"}),
    ]
    for i in range(11):
        effects.append(
            _effect(
                7,
                1,
                "Category markdown",
                "setDiscountPerItem",
                {
                    "name": f"Markdown line {i * 3}",
                    "value": round(1.5 + i, 2),
                    "position": i * 3,
                    "subPosition": 0,
                    "desiredValue": round(1.5 + i, 2),
                    "totalDiscount": round(1.5 + i, 2),
                },
                conditionIndex=0,
                triggeredForCatalogItem=4000 + i * 3,
            )
        )
    effects += [
        _effect(
            4,
            2,
            "Points per euro",
            "addLoyaltyPoints",
            {
                "name": "1 point per euro",
                "programId": 45,
                "subLedgerId": "",
                "value": 149.89,
                "recipientIntegrationId": PROFILE_ID,
                "transactionUUID": "8b4e6c0f-6f0a-4c53-9b2c-5a0f1d7e2e11",
                "expiryDate": "2025-03-18T00:00:00+00:00",
            },
        ),
        _effect(
            4,
            2,
            "Points per euro",
            "addLoyaltyPoints",
            {
                "name": "Bonus points weekend",
                "programId": 45,
                "subLedgerId": "",
                "value": 50,
                "recipientIntegrationId": PROFILE_ID,
                "transactionUUID": "0d3c1f8a-77e3-4bb4-8a55-0e3c9f2b6a10",
                "startDate": "2024-03-18T00:00:00+00:00",
            },
        ),
        _effect(
            11,
            0,
            "Free shipping over 100",
            "setDiscountPerAdditionalCost",
            {
                "name": "Free shipping",
                "additionalCostId": 1,
                "additionalCost": "shipping",
                "value": 4.9,
            },
        ),
        _effect(
            12, 0, "Gift with big carts", "addFreeItem", {"sku": "SKU9990001", "name": "Tote bag"}
        ),
        _effect(
            12,
            1,
            "Tell the customer",
            "showNotification",
            {
                "notificationType": "info",
                "title": "A gift for you",
                "body": "A free tote bag was added to your cart.",
            },
        ),
        _effect(
            13,
            0,
            "Push to CRM",
            "customEffect",
            {
                "effectId": 2,
                "name": "crm_sync",
                "payload": {"segment": "frequent", "score": 87, "tags": ["spring", "shoes"]},
            },
        ),
        _effect(
            13, 1, "Count big carts", "updateAttribute", {"path": "Profile.BigCarts", "value": 4}
        ),
        _effect(
            14,
            0,
            "Old coupon",
            "rejectCoupon",
            {"value": "WINTER-2023", "rejectionReason": "CouponExpired"},
        ),
    ]
    effects += [
        _effect(
            4, 3, "Thank-you coupon", "couponCreated", {"value": value, "profileId": PROFILE_ID}
        )
        for value in coupon_values
    ]
    return effects


def _created_coupons(template: dict[str, Any], count: int) -> list[dict[str, Any]]:
    coupons = []
    for i in range(count):
        coupon = copy.deepcopy(template)
        coupon["id"] = template["id"] + i
        coupon["value"] = f"THANKS-7Q2K-{i}"
        coupons.append(coupon)
    return coupons


def response_document() -> dict[str, Any]:
    """The IntegrationStateV2 the server answers, as a JSON document."""
    state: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))

    session = state["customerSession"]
    session["cartItems"] = [
        dict(item, returnedQuantity=0, remainingQuantity=item["quantity"]) for item in cart_items()
    ]
    session["total"] = round(sum(i["price"] * i["quantity"] for i in session["cartItems"]), 2)
    session["cartItemTotal"] = session["total"]

    profile = state["customerProfile"]
    profile["attributes"].update(
        {
            "Name": "Alex Example",
            "Email": "alex@example.com",
            "Phone": "+49 30 1234567",
            "ShippingCity": "Berlin",
            "ShippingPostalCode": "10115",
            "NewsletterOptIn": True,
            "PreferredCategories": ["shoes", "outdoor"],
            "LifetimeOrders": 17,
            "SignupChannel": "mobile-app",
            "Gender": "unspecified",
            "LastOrderDate": "2024-02-28T17:04:11Z",
            "FavoriteStore": "STORE-001",
            "MarketingConsent": {"email": True, "sms": False, "push": True},
            "Interests": ["running", "hiking", "cycling", "yoga"],
            "CustomerTier": "silver",
            "AverageBasket": 87.45,
        }
    )

    # The example's limit says ``"period": "overall"``, which is not among the API's
    # values (daily, weekly, monthly, yearly) and which the official SDK refuses. No
    # period means "overall", so the member is left out.
    for campaign in state["triggeredCampaigns"]:
        for limit in campaign["limits"]:
            if limit.get("period") == "overall":
                del limit["period"]

    state["createdCoupons"] = _created_coupons(state["createdCoupons"][0], CREATED_COUPONS)
    state["effects"] = _effects([c["value"] for c in state["createdCoupons"]])
    _expect(len(state["effects"]) == EFFECT_COUNT, "wrong number of effects")
    return state


def _expect(condition: bool, problem: str) -> None:
    # Not ``assert``: these checks must also run under ``python -O``.
    if not condition:
        raise RuntimeError(f"benchmark payload check failed: {problem}")


def response_bytes() -> bytes:
    """The exact response body: compact UTF-8 JSON, as the API sends it."""
    return json.dumps(response_document(), separators=(",", ":")).encode()


def effect_types(document: dict[str, Any]) -> list[str]:
    """The distinct effect types in a response document, in order of appearance."""
    return list(dict.fromkeys(e["effectType"] for e in document["effects"]))


def check_talon_async(body: bytes) -> None:
    """Decode the body exactly as the transport does; raise if anything is off."""
    from talon_async._convert import decode_json, structure
    from talon_async.models import IntegrationStateV2
    from talon_async.models.effects import EFFECT_PROPS_TYPES

    state = structure(decode_json(body), IntegrationStateV2)
    session = state.customer_session
    _expect(session is not None and len(session.cart_items or ()) == CART_SIZE, "cart items")
    _expect(len(state.effects) == EFFECT_COUNT, "effects")
    _expect(len(state.created_coupons) == CREATED_COUPONS, "created coupons")
    for effect in state.effects:
        props = effect.props
        _expect(type(props) is EFFECT_PROPS_TYPES[effect.effect_type], effect.effect_type)
        _expect(not getattr(props, "extra_fields", None), f"unknown props: {effect.effect_type}")


def check_official(body: bytes) -> None:
    """Decode the body with the official SDK's own deserializer; raise if it refuses."""
    from talon_one.api_client import ApiClient

    state = ApiClient().deserialize(body.decode(), "IntegrationStateV2", "application/json")
    session = state.customer_session
    _expect(session is not None and len(session.cart_items or ()) == CART_SIZE, "cart items")
    _expect(len(state.effects) == EFFECT_COUNT, "effects")
    _expect(len(state.created_coupons) == CREATED_COUPONS, "created coupons")
