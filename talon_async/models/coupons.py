"""Coupons, their redemption limits and reservation requests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from attrs import field

from ._base import Model, define, wire

__all__ = [
    "Coupon",
    "CouponList",
    "CouponReservations",
    "IntegrationCoupon",
    "InventoryCoupon",
    "LimitConfig",
]


@define(kw_only=True)
class LimitConfig(Model):
    """A cap on how often an action may happen, per entity and optionally per period."""

    action: str
    limit: float
    entities: list[str]
    period: str | None = None


@define(kw_only=True)
class Coupon(Model):
    """A coupon code together with its limits and usage counters."""

    id: int
    created: datetime
    campaign_id: int
    value: str
    usage_counter: int
    usage_limit: int
    discount_limit: float | None = None
    reservation_limit: int | None = None
    start_date: datetime | None = None
    expiry_date: datetime | None = None
    limits: list[LimitConfig] | None = None
    discount_counter: float | None = None
    discount_remainder: float | None = None
    reservation_counter: float | None = None
    attributes: dict[str, Any] | None = None
    referral_id: int | None = None
    recipient_integration_id: str | None = None
    import_id: int | None = None
    reservation: bool | None = None
    batch_id: str | None = None
    is_reservation_mandatory: bool | None = None
    implicitly_reserved: bool | None = None


@define(kw_only=True)
class IntegrationCoupon(Coupon):
    """A coupon processed by an integration request, with the profile's redemption count."""

    profile_redemption_count: int


@define(kw_only=True)
class InventoryCoupon(Coupon):
    """A coupon in a customer's inventory, with its state and the profile's redemptions."""

    profile_redemption_count: int
    state: str


@define(kw_only=True)
class CouponReservations(Model):
    """The customer profiles for which a coupon reservation is created or removed."""

    integration_ids: list[str] = field(metadata=wire("integrationIDs"))


@define(kw_only=True)
class CouponList(Model):
    """A page of coupons along with the total number that matched."""

    total_result_size: int
    data: list[Coupon]
