"""Rules: plain callables that turn what the fake sees into effects, plus a few ready ones.

A rule takes a :class:`RuleContext` and returns (or yields) effects as
``(effect_type, props)`` pairs, ``props`` in wire format (camelCase keys). The fake adds
the campaign, ruleset and rule fields around them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeAlias
from uuid import uuid4

from ._wire import JsonObject, parse_timestamp

if TYPE_CHECKING:
    from ._server import FakeTalon

EffectSpec: TypeAlias = tuple[str, Mapping[str, Any]]
"""An effect a rule produces: its ``effectType`` and its ``props`` (wire names)."""


@dataclass(frozen=True)
class RuleContext:
    """What a rule sees when the fake evaluates a request.

    ``session`` and ``profile`` are the wire dicts as they will be stored (already
    updated by the request; None for profile updates and anonymous sessions);
    ``event`` is the tracked event's body for ``trackEvent``, else None. Treat them as
    read-only: the fake decides what to persist.
    """

    session: JsonObject | None
    profile: JsonObject | None
    event: JsonObject | None
    coupon_codes: tuple[str, ...]
    fake: FakeTalon
    now: datetime

    @property
    def profile_id(self) -> str:
        """The integration ID of the customer profile ("" when there is none)."""
        return self.profile["integrationId"] if self.profile else ""

    @property
    def cart_items(self) -> list[JsonObject]:
        """The session's cart items (empty without a session)."""
        return list(self.session.get("cartItems") or []) if self.session else []

    @property
    def cart_total(self) -> float:
        """Sum of price times quantity over the cart items."""
        total: float = sum((i.get("price") or 0) * i["quantity"] for i in self.cart_items)
        return round(total, 2)

    def coupon_rejection_reason(self, code: str) -> str | None:
        """Why the fake's coupon ``code`` cannot be redeemed now by this profile, or None."""
        coupon = self.fake.coupons.get(code)
        if coupon is None:
            return "CouponNotFound"
        if coupon.get("startDate") and parse_timestamp(coupon["startDate"]) > self.now:
            return "CouponStartDateInFuture"
        if coupon.get("expiryDate") and parse_timestamp(coupon["expiryDate"]) <= self.now:
            return "CouponExpired"
        if 0 < coupon["usageLimit"] <= coupon["usageCounter"]:
            return "CouponLimitReached"
        recipient = coupon.get("recipientIntegrationId")
        if recipient and recipient != self.profile_id:
            return "CouponRecipientDoesNotMatch"
        reserved = self.profile_id in self.fake.reservations.get(code, ())
        if coupon.get("isReservationMandatory") and not reserved:
            return "CouponReservationRequired"
        return None


Rule: TypeAlias = Callable[[RuleContext], Iterable[EffectSpec]]
"""A rule: called once per evaluation, returns the effects it triggers (possibly none)."""


@dataclass(frozen=True)
class RegisteredRule:
    """A rule as added to a fake, with the campaign and position it runs under."""

    rule: Rule
    name: str
    campaign_id: int
    rule_index: int


def _discount(total: float, percent: float) -> float:
    return round(total * percent / 100, 2)


@dataclass(frozen=True)
class _PercentOffCart:
    percent: float
    name: str

    def __call__(self, context: RuleContext) -> Iterator[EffectSpec]:
        if context.cart_total > 0:
            value = _discount(context.cart_total, self.percent)
            yield "setDiscount", {"name": self.name, "value": value}


@dataclass(frozen=True)
class _CouponCodes:
    percent: float | None
    name: str

    def __call__(self, context: RuleContext) -> Iterator[EffectSpec]:
        for code in context.coupon_codes:
            reason = context.coupon_rejection_reason(code)
            if reason is not None:
                yield "rejectCoupon", {"value": code, "rejectionReason": reason}
                continue
            yield "acceptCoupon", {"value": code}
            if self.percent is not None and context.cart_total > 0:
                value = _discount(context.cart_total, self.percent)
                yield "setDiscount", {"name": code, "value": value}


@dataclass(frozen=True)
class _LoyaltyPoints:
    program_id: int
    points_per_currency_unit: float
    sub_ledger_id: str
    name: str

    def __call__(self, context: RuleContext) -> Iterator[EffectSpec]:
        if context.profile_id and context.cart_total > 0:
            yield (
                "addLoyaltyPoints",
                {
                    "name": self.name,
                    "programId": self.program_id,
                    "subLedgerId": self.sub_ledger_id,
                    "value": round(context.cart_total * self.points_per_currency_unit, 2),
                    "recipientIntegrationId": context.profile_id,
                    "transactionUUID": str(uuid4()),
                },
            )


def percent_off_cart(percent: float, *, name: str | None = None) -> Rule:
    """A ``setDiscount`` of ``percent`` % of the cart total (price x quantity of the items).

    ``name`` is the discount's name and the default rule name ("10% off the cart").
    """
    return _PercentOffCart(percent, name or f"{percent:g}% off the cart")


def coupon_codes(percent: float | None = None, *, name: str = "Coupon codes") -> Rule:
    """``acceptCoupon`` for each session coupon the fake knows and that is redeemable now,
    ``rejectCoupon`` with the ``rejectionReason`` otherwise (e.g. ``CouponNotFound``).

    With ``percent``, each accepted code also gives a ``setDiscount`` named after the code.
    """
    return _CouponCodes(percent, name)


def loyalty_points(
    program_id: int,
    points_per_currency_unit: float,
    *,
    sub_ledger_id: str = "",
    name: str = "Loyalty points",
) -> Rule:
    """``addLoyaltyPoints`` of cart total x ``points_per_currency_unit`` to the session's
    profile in program ``program_id`` (nothing for anonymous sessions or empty carts).

    As in the API, points reach the balance when the session closes (at once for events
    and profile updates), never in dry runs.
    """
    return _LoyaltyPoints(program_id, points_per_currency_unit, sub_ledger_id, name)
