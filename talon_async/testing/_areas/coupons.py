"""Coupons and their reservations: who holds which coupon code.

Coupons are seeded (:meth:`Coupons.add_coupon`); reserving one for an unknown profile
creates the profile. A ``reservation_mandatory`` coupon is only redeemable by the
profiles holding a reservation of it (see the ``coupon_codes`` rule).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from .._area import Area, Handlers, Seeds, seed_items
from .._http import HandlerCall, Handling
from .._schema import INTEGRATION_ID, Arr, obj
from .._state import FakeState, coupon_state, ensure_profile, new_id
from .._wire import Answer, JsonObject, not_found, optional_timestamp, timestamp, utc_now

COUPON_RESERVATIONS = obj(("integrationIDs",), integrationIDs=Arr(INTEGRATION_ID, max_items=1000))
SEED_COUPON = obj(
    ("value",),
    value="string",
    campaignId="integer",
    usageLimit="integer",
    startDate="date-time",
    expiryDate="date-time",
    recipientIntegrationId="string",
    isReservationMandatory="boolean",
    attributes="object",
)


def _coupon(state: FakeState, call: HandlerCall) -> JsonObject:
    value = call.params["couponValue"]
    coupon = state.coupons.get(value)
    if coupon is None:
        raise not_found("Coupon", value, "couponValue")
    return coupon


def create_reservation(state: FakeState, call: HandlerCall) -> Answer:
    """POST /v1/coupon_reservations/{couponValue} (createCouponReservation)."""
    coupon = _coupon(state, call)
    now = utc_now()
    holders = state.reservations.setdefault(coupon["value"], [])
    for integration_id in call.body["integrationIDs"]:
        ensure_profile(state, integration_id, now)
        if integration_id not in holders:
            holders.append(integration_id)
    coupon["reservationCounter"] = len(holders)
    return Answer(201, coupon)


def delete_reservation(state: FakeState, call: HandlerCall) -> Answer:
    """DELETE /v1/coupon_reservations/{couponValue} (deleteCouponReservation)."""
    coupon = _coupon(state, call)
    removed = set(call.body["integrationIDs"])
    holders = state.reservations.get(coupon["value"], [])
    holders[:] = [holder for holder in holders if holder not in removed]
    coupon["reservationCounter"] = len(holders)
    return Answer(204)


def reserved_coupons(state: FakeState, call: HandlerCall) -> Answer:
    """GET /v1/coupon_reservations/coupons/{integrationId}: valid reserved coupons."""
    integration_id = call.params["integrationId"]
    now = utc_now()
    coupons = [
        coupon
        for value, coupon in state.coupons.items()
        if integration_id in state.reservations.get(value, ())
        and coupon_state(state, coupon, integration_id, now) == "active"
    ]
    return Answer(200, {"totalResultSize": len(coupons), "data": coupons})


def reserved_customers(state: FakeState, call: HandlerCall) -> Answer:
    """GET /v1/coupon_reservations/customerprofiles/{couponValue}."""
    coupon = _coupon(state, call)
    profiles = [
        state.profiles[holder]
        for holder in state.reservations.get(coupon["value"], [])
        if holder in state.profiles
    ]
    return Answer(200, {"totalResultSize": len(profiles), "data": profiles})


def _seed_coupons(fake: Coupons, value: Any) -> None:
    """``coupons``: ``[{"value": "WELCOME10", "usageLimit": 100, ...}]`` (Coupon names)."""
    for item in seed_items(value, "coupons", SEED_COUPON):
        fake.add_coupon(
            item["value"],
            campaign_id=item.get("campaignId", 1),
            usage_limit=item.get("usageLimit", 0),
            start_date=optional_timestamp(item.get("startDate")),
            expiry_date=optional_timestamp(item.get("expiryDate")),
            recipient_integration_id=item.get("recipientIntegrationId"),
            reservation_mandatory=item.get("isReservationMandatory", False),
            attributes=item.get("attributes"),
        )


class Coupons(Area):
    """Coupons (seeded) and coupon reservations."""

    HANDLERS: ClassVar[Handlers] = {
        "createCouponReservation": Handling(create_reservation, COUPON_RESERVATIONS),
        "deleteCouponReservation": Handling(delete_reservation, COUPON_RESERVATIONS),
        "getReservedCoupons": Handling(reserved_coupons),
        "getReservedCustomers": Handling(reserved_customers),
    }
    SEEDS: ClassVar[Seeds] = {"coupons": _seed_coupons}

    def add_coupon(
        self,
        value: str,
        *,
        campaign_id: int = 1,
        usage_limit: int = 0,
        start_date: datetime | None = None,
        expiry_date: datetime | None = None,
        recipient_integration_id: str | None = None,
        reservation_mandatory: bool = False,
        attributes: Mapping[str, Any] | None = None,
    ) -> JsonObject:
        """Create (or replace) a coupon; returns its stored dict.

        ``usage_limit`` 0 means unlimited redemptions. A ``reservation_mandatory`` coupon
        is only redeemable by profiles holding a reservation of it.
        """
        with self.lock:
            coupon: JsonObject = {
                "id": new_id(self, "coupon"),
                "created": timestamp(utc_now()),
                "campaignId": campaign_id,
                "value": value,
                "usageLimit": usage_limit,
                "usageCounter": 0,
                "reservationCounter": 0,
                "attributes": dict(attributes or {}),
                "reservation": True,
                "isReservationMandatory": reservation_mandatory,
                "implicitlyReserved": False,
            }
            if start_date is not None:
                coupon["startDate"] = timestamp(start_date)
            if expiry_date is not None:
                coupon["expiryDate"] = timestamp(expiry_date)
            if recipient_integration_id is not None:
                coupon["recipientIntegrationId"] = recipient_integration_id
            self.coupons[value] = coupon
            return coupon
