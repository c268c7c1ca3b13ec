"""Coupon models against the examples of the coupon reservation endpoints."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from talon_async._convert import decode_json, encode, structure
from talon_async.models.coupons import (
    Coupon,
    CouponList,
    CouponReservations,
    IntegrationCoupon,
    InventoryCoupon,
    LimitConfig,
)


def coupon_json() -> dict[str, Any]:
    return {
        "id": 6,
        "created": "2020-06-10T09:05:27.993483+00:00",
        "campaignId": 211,
        "value": "XMAS-20-2021",
        "usageLimit": 100,
        "discountLimit": 30,
        "reservationLimit": 45,
        "startDate": "2020-01-24T14:15:22+00:00",
        "expiryDate": "2023-08-24T14:15:22+02:00",
        "limits": [
            {"action": "createCoupon", "limit": 1000, "period": "yearly", "entities": ["Coupon"]}
        ],
        "usageCounter": 10,
        "discountCounter": 10,
        "discountRemainder": 5,
        "reservationCounter": 1,
        "attributes": {"tier": "gold"},
        "referralId": 326632952,
        "recipientIntegrationId": "URNGV8294NV",
        "importId": 4,
        "reservation": False,
        "batchId": "32535-43255",
        "isReservationMandatory": False,
        "implicitlyReserved": False,
    }


def test_coupon_response_structures_and_round_trips() -> None:
    data = coupon_json()
    coupon = structure(data, Coupon)
    assert coupon.campaign_id == 211
    assert coupon.value == "XMAS-20-2021"
    assert coupon.created == datetime(2020, 6, 10, 9, 5, 27, 993483, tzinfo=timezone.utc)
    assert coupon.expiry_date is not None
    assert coupon.expiry_date.utcoffset() == timedelta(hours=2)
    assert coupon.limits is not None
    assert isinstance(coupon.limits[0], LimitConfig)
    assert coupon.limits[0].entities == ["Coupon"]
    assert coupon.reservation is False
    assert coupon.is_reservation_mandatory is False
    assert coupon.attributes == {"tier": "gold"}
    assert coupon.extra_fields == {}
    assert decode_json(encode(coupon)) == data


def test_coupon_with_only_required_fields() -> None:
    data = {
        "id": 1,
        "created": "2021-01-01T00:00:00+00:00",
        "campaignId": 2,
        "value": "CODE",
        "usageCounter": 0,
        "usageLimit": 0,
    }
    coupon = structure(data, Coupon)
    assert coupon.limits is None
    assert decode_json(encode(coupon)) == data


def test_z_suffix_timestamp_is_aware() -> None:
    data = coupon_json() | {"created": "2020-06-10T09:05:27.993483Z"}
    coupon = structure(data, Coupon)
    assert coupon.created.tzinfo is not None
    assert decode_json(encode(coupon))["created"] == "2020-06-10T09:05:27.993483+00:00"


def test_reservation_request_uses_integration_ids_wire_name() -> None:
    body = CouponReservations(integration_ids=["R195412", "G244519"])
    assert decode_json(encode(body)) == {"integrationIDs": ["R195412", "G244519"]}
    back = structure({"integrationIDs": ["R195412"]}, CouponReservations)
    assert back.integration_ids == ["R195412"]


def test_limit_config_required_only_encodes_required_keys() -> None:
    limit = LimitConfig(action="redeemCoupon", limit=3, entities=["Profile"])
    assert decode_json(encode(limit)) == {
        "action": "redeemCoupon",
        "limit": 3,
        "entities": ["Profile"],
    }


def test_coupon_list_round_trips() -> None:
    data = {"totalResultSize": 1, "data": [coupon_json()]}
    page = structure(data, CouponList)
    assert page.total_result_size == 1
    assert isinstance(page.data[0], Coupon)
    assert decode_json(encode(page)) == data


def test_inventory_and_integration_coupons_add_their_fields() -> None:
    inventory_data = coupon_json() | {"profileRedemptionCount": 5, "state": "active"}
    inventory_coupon = structure(inventory_data, InventoryCoupon)
    assert isinstance(inventory_coupon, Coupon)
    assert inventory_coupon.profile_redemption_count == 5
    assert inventory_coupon.state == "active"
    assert decode_json(encode(inventory_coupon)) == inventory_data

    integration_data = coupon_json() | {"profileRedemptionCount": 2}
    integration_coupon = structure(integration_data, IntegrationCoupon)
    assert integration_coupon.profile_redemption_count == 2
    assert decode_json(encode(integration_coupon)) == integration_data


def test_unknown_members_survive() -> None:
    data = coupon_json()
    data["futureFlag"] = {"nested": [1, 2]}
    data["limits"][0]["window"] = "rolling"
    coupon = structure(data, Coupon)
    assert coupon.extra_fields == {"futureFlag": {"nested": [1, 2]}}
    assert coupon.limits is not None
    assert coupon.limits[0].extra_fields == {"window": "rolling"}
    assert decode_json(encode(coupon)) == data

    body = structure({"integrationIDs": ["a"], "note": "x"}, CouponReservations)
    assert decode_json(encode(body)) == {"integrationIDs": ["a"], "note": "x"}
