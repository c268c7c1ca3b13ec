"""Session models against the examples of the customer session endpoints."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import UUID

from talon_async._convert import decode_json, encode, structure
from talon_async.models.sessions import (
    AdditionalCost,
    CartItem,
    CustomerSession,
    CustomerSessionV2,
    ExperimentVariantAllocation,
    IntegrationRequest,
    NewCustomerSession,
    NewCustomerSessionV2,
    NewReturn,
    PriceDetail,
    Product,
    Return,
    ReturnedCartItem,
    ReturnIntegrationRequest,
)


def integration_request_json() -> dict[str, Any]:
    return {
        "customerSession": {
            "profileId": "URNGV8294NV",
            "storeIntegrationId": "STORE-001",
            "evaluableCampaignIds": [10, 12],
            "couponCodes": ["XMAS-20-2021"],
            "referralCode": "NT2K54D9",
            "loyaltyCards": ["loyalty-card-1"],
            "state": "open",
            "cartItems": [
                {
                    "name": "Air Glide",
                    "sku": "SKU1241028",
                    "quantity": 1,
                    "price": 99.99,
                    "category": "shoes",
                    "product": {"name": "sample_product"},
                    "weight": 1130,
                    "height": 0,
                    "width": 0,
                    "length": 0,
                    "attributes": {"image": "11.jpeg", "material": "leather"},
                    "additionalCosts": {"shipping": {"price": 9}},
                },
                {"name": "USB-C Charging Cable", "sku": "CABLE-USBC-2M", "quantity": 2},
            ],
            "experimentVariantAllocations": [{"experimentID": 1, "variantID": 2}],
            "additionalCosts": {"shipping": {"price": 9}},
            "identifiers": ["d41306257915f83fe01e54092ae470f631161ea16fcf4415842eed41470386ea"],
            "attributes": {"ShippingCity": "Berlin"},
        },
        "responseContent": ["customerSession", "customerProfile"],
    }


def customer_session_v2_json() -> dict[str, Any]:
    return {
        "id": 6,
        "created": "2020-02-07T08:15:22+00:00",
        "integrationId": "URNGV8294NV",
        "applicationId": 322,
        "profileId": "URNGV8294NV",
        "storeIntegrationId": "STORE-001",
        "evaluableCampaignIds": [10, 12],
        "couponCodes": ["XMAS-20-2021"],
        "referralCode": "NT2K54D9",
        "loyaltyCards": ["loyalty-card-1"],
        "state": "open",
        "cartItems": [
            {
                "name": "Air Glide",
                "sku": "SKU1241028",
                "quantity": 1,
                "returnedQuantity": 0,
                "remainingQuantity": 1,
                "price": 99.99,
                "position": 0,
                "catalogItemID": 4011,
                "selectedPriceType": "member",
                "adjustmentReferenceId": "68851723-e6fa-488f-ace9-112581e6c19b",
                "adjustmentEffectiveFrom": "2021-09-12T10:12:42+02:00",
                "adjustmentEffectiveUntil": "2021-09-30T23:59:59+02:00",
                "prices": {
                    "member": {
                        "price": 90,
                        "adjustmentContextId": "spring-sale",
                        "adjustmentReferenceId": "68851723-e6fa-488f-ace9-112581e6c19b",
                        "adjustmentEffectiveFrom": "2021-09-12T10:12:42+02:00",
                    },
                    "base": {"price": 100},
                },
            }
        ],
        "experimentVariantAllocations": [{"experimentID": 1, "variantID": 2}],
        "additionalCosts": {"shipping": {"price": 9}},
        "identifiers": ["91d4d8a9-4cda-4b6d-8e5a-0ad1d2e0f1a7"],
        "attributes": {"ShippingCity": "Berlin"},
        "firstSession": True,
        "updateCount": 3,
        "total": 108.99,
        "cartItemTotal": 99.99,
        "additionalCostTotal": 9,
        "cartItemAdditionalCostTotal": 0,
        "updated": "2020-02-08T14:15:20+00:00",
    }


def test_integration_request_structures_and_round_trips() -> None:
    data = integration_request_json()
    request = structure(data, IntegrationRequest)
    session = request.customer_session
    assert isinstance(session, NewCustomerSessionV2)
    assert session.store_integration_id == "STORE-001"
    assert session.evaluable_campaign_ids == [10, 12]
    assert session.loyalty_cards == ["loyalty-card-1"]
    assert session.cart_items is not None
    first = session.cart_items[0]
    assert isinstance(first, CartItem)
    assert first.price == 99.99
    assert first.product == Product(name="sample_product")
    assert first.additional_costs == {"shipping": AdditionalCost(price=9)}
    assert session.cart_items[1].quantity == 2
    assert session.experiment_variant_allocations == [
        ExperimentVariantAllocation(experiment_id=1, variant_id=2)
    ]
    assert request.response_content == ["customerSession", "customerProfile"]
    assert decode_json(encode(request)) == data


def test_request_with_only_required_fields_encodes_only_those() -> None:
    request = IntegrationRequest(customer_session=NewCustomerSessionV2())
    assert decode_json(encode(request)) == {"customerSession": {}}
    item = CartItem(sku="SKU1", quantity=3)
    assert decode_json(encode(item)) == {"sku": "SKU1", "quantity": 3}


def test_request_built_in_python_uses_irregular_wire_names() -> None:
    request = IntegrationRequest(
        customer_session=NewCustomerSessionV2(
            profile_id="p-1",
            cart_items=[CartItem(sku="S", quantity=1, price=10, catalog_item_id=7)],
            experiment_variant_allocations=[
                ExperimentVariantAllocation(experiment_id=3, variant_id=4)
            ],
        )
    )
    assert decode_json(encode(request)) == {
        "customerSession": {
            "profileId": "p-1",
            "cartItems": [{"sku": "S", "quantity": 1, "price": 10, "catalogItemID": 7}],
            "experimentVariantAllocations": [{"experimentID": 3, "variantID": 4}],
        }
    }


def test_customer_session_v2_structures_and_round_trips() -> None:
    data = customer_session_v2_json()
    session = structure(data, CustomerSessionV2)
    assert session.created == datetime(2020, 2, 7, 8, 15, 22, tzinfo=timezone.utc)
    assert session.update_count == 3
    assert session.cart_item_additional_cost_total == 0
    assert session.cart_items is not None
    item = session.cart_items[0]
    assert item.catalog_item_id == 4011
    assert item.adjustment_reference_id == UUID("68851723-e6fa-488f-ace9-112581e6c19b")
    assert item.adjustment_effective_from is not None
    assert item.adjustment_effective_from.utcoffset() == timedelta(hours=2)
    assert item.prices is not None
    member = item.prices["member"]
    assert isinstance(member, PriceDetail)
    assert member.adjustment_context_id == "spring-sale"
    assert item.prices["base"].adjustment_reference_id is None
    assert decode_json(encode(session)) == data


def test_unknown_members_survive_a_round_trip() -> None:
    data = customer_session_v2_json()
    data["loyaltyProgramTier"] = {"name": "gold"}
    data["cartItems"][0]["giftWrap"] = True
    session = structure(data, CustomerSessionV2)
    assert session.extra_fields == {"loyaltyProgramTier": {"name": "gold"}}
    assert session.cart_items is not None
    assert session.cart_items[0].extra_fields == {"giftWrap": True}
    assert decode_json(encode(session)) == data


def test_legacy_new_customer_session_round_trips() -> None:
    data = {
        "profileId": "URNGV8294NV",
        "coupon": "XMAS-20-2021",
        "referral": "NT2K54D9",
        "state": "open",
        "cartItems": [{"name": "Air Glide", "sku": "SKU1241028", "quantity": 1, "price": 99.99}],
        "identifiers": ["device-1"],
        "total": 99.99,
        "attributes": {"ShippingCity": "Berlin"},
    }
    session = structure(data, NewCustomerSession)
    assert session.coupon == "XMAS-20-2021"
    assert session.total == 99.99
    assert decode_json(encode(session)) == data
    assert decode_json(encode(NewCustomerSession())) == {}


def test_legacy_customer_session_round_trips() -> None:
    data = {
        "integrationId": "sess-1",
        "created": "2019-05-01T12:00:00+00:00",
        "applicationId": 17,
        "profileId": "URNGV8294NV",
        "coupon": "",
        "referral": "",
        "state": "closed",
        "cartItems": [{"name": "Air Glide", "sku": "SKU1241028", "quantity": 1, "price": 99.99}],
        "total": 99.99,
        "attributes": {},
        "firstSession": False,
        "discounts": {"Summer sale": 10},
        "updateCount": 2,
        "updated": "2019-05-01T12:05:00+00:00",
    }
    session = structure(data, CustomerSession)
    assert session.discounts == {"Summer sale": 10.0}
    assert session.updated == datetime(2019, 5, 1, 12, 5, tzinfo=timezone.utc)
    assert session.cart_items is not None
    assert isinstance(session.cart_items[0], CartItem)
    assert decode_json(encode(session)) == data


def test_return_request_uses_the_return_key() -> None:
    request = ReturnIntegrationRequest(
        return_=NewReturn(
            returned_cart_items=[
                ReturnedCartItem(position=2, quantity=1),
                ReturnedCartItem(sku="SKU1241028"),
            ]
        ),
        response_content=["customerSession"],
    )
    data = {
        "return": {"returnedCartItems": [{"position": 2, "quantity": 1}, {"sku": "SKU1241028"}]},
        "responseContent": ["customerSession"],
    }
    assert decode_json(encode(request)) == data
    assert structure(data, ReturnIntegrationRequest) == request


def test_return_structures_and_round_trips() -> None:
    data = {
        "id": 2,
        "created": "2024-03-20T09:00:00+00:00",
        "applicationId": 322,
        "accountId": 31,
        "returnedCartItems": [{"position": 0, "quantity": 1, "sku": "SKU1241028"}],
        "eventId": 781,
        "sessionId": 5837,
        "sessionIntegrationId": "sess-8f3a2c71",
        "profileId": 6,
        "profileIntegrationId": "URNGV8294NV",
        "createdBy": 388,
    }
    returned = structure(data, Return)
    assert returned.returned_cart_items == [
        ReturnedCartItem(position=0, quantity=1, sku="SKU1241028")
    ]
    assert returned.session_integration_id == "sess-8f3a2c71"
    assert decode_json(encode(returned)) == data
