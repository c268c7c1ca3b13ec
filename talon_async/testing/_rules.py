"""Ready-made rules: plain callables that turn what the fake sees into effects.

A rule takes a :class:`RuleContext` and returns (or yields) effects as
``(effect_type, props)`` pairs, ``props`` in wire format (camelCase keys). The fake adds
the campaign, ruleset and rule fields around them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from uuid import uuid4

from ._schema import Obj, obj
from ._state import EffectSpec, Rule, RuleContext
from ._wire import timestamp


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
    pending_days: float
    expiry_days: float | None
    awaits_activation: bool

    def __call__(self, context: RuleContext) -> Iterator[EffectSpec]:
        if context.cart_total <= 0:
            return
        props: dict[str, Any] = {
            "name": self.name,
            "programId": self.program_id,
            "subLedgerId": self.sub_ledger_id,
            "value": round(context.cart_total * self.points_per_currency_unit, 2),
            "recipientIntegrationId": context.profile_id,
            "transactionUUID": str(uuid4()),
        }
        program = context.fake.loyalty_programs.get(self.program_id)
        if program is not None and program["cardBased"]:
            card = context.loyalty_card(self.program_id)
            if card is None:
                return
            props["cardIdentifier"] = card
        elif not context.profile_id:
            return
        start = context.now + timedelta(days=self.pending_days)
        if self.pending_days:
            props["startDate"] = timestamp(start)
        if self.expiry_days is not None:
            props["expiryDate"] = timestamp(start + timedelta(days=self.expiry_days))
        if self.awaits_activation:
            props["awaitsActivation"] = True
        yield "addLoyaltyPoints", props


@dataclass(frozen=True)
class _PercentOffCatalogItems:
    percent: float
    where: Mapping[str, Any] = field(hash=False)
    name: str

    def __call__(self, context: RuleContext) -> Iterator[EffectSpec]:
        for position, cart_item in enumerate(context.cart_items):
            item = context.catalog_item(cart_item["sku"])
            if item is None or any(
                item["attributes"].get(attribute) != value
                for attribute, value in self.where.items()
            ):
                continue
            price = cart_item.get("price", item.get("price")) or 0
            if price > 0:
                value = _discount(price * cart_item["quantity"], self.percent)
                yield (
                    "setDiscountPerItem",
                    {"name": self.name, "value": value, "position": position},
                )


@dataclass(frozen=True)
class _AchievementProgress:
    achievement_id: int
    delta: float
    name: str

    def __call__(self, context: RuleContext) -> Iterator[EffectSpec]:
        record = context.achievement_progress(self.achievement_id)
        if record is None:
            return
        achievement = context.fake.achievements[self.achievement_id]
        target = achievement["target"]
        value = round(record["progress"] + self.delta, 2)
        yield (
            "increaseAchievementProgress",
            {
                "achievementId": self.achievement_id,
                "achievementName": achievement["name"],
                "delta": self.delta,
                "value": value,
                "target": target,
                "isJustCompleted": record["progress"] < target <= value,
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
    pending_days: float = 0,
    expiry_days: float | None = None,
    awaits_activation: bool = False,
) -> Rule:
    """``addLoyaltyPoints`` of cart total x ``points_per_currency_unit`` in program
    ``program_id``, sub-ledger ``sub_ledger_id`` (nothing for empty carts).

    The points go to the session's profile, or in a card-based program (see
    ``FakeTalon.add_loyalty_program``) to the first active card of the program that the
    session names in ``loyaltyCards`` (nothing without one). They start ``pending_days``
    after the evaluation (pending until then), expire ``expiry_days`` after their start
    (never by default), and with ``awaits_activation`` stay pending until
    activateLoyaltyPoints activates them. As in the API, points reach the ledger when the
    session closes (at once for events and profile updates), never in dry runs.
    """
    return _LoyaltyPoints(
        program_id,
        points_per_currency_unit,
        sub_ledger_id,
        name,
        pending_days,
        expiry_days,
        awaits_activation,
    )


def percent_off_catalog_items(
    percent: float, *, where: Mapping[str, Any] | None = None, name: str | None = None
) -> Rule:
    """A ``setDiscountPerItem`` of ``percent`` % on each cart item whose SKU is in the
    fake's catalogs and whose catalog item has all the attribute values of ``where``
    (e.g. ``{"brand": "Acme"}``; every catalog item when empty). The price is the cart
    item's, or its catalog item's when the cart item has none.

    ``name`` is the discount's name and the default rule name.
    """
    return _PercentOffCatalogItems(
        percent, dict(where or {}), name or f"{percent:g}% off catalog items"
    )


def achievement_progress(
    achievement_id: int, delta: float = 1, *, name: str = "Achievement progress"
) -> Rule:
    """``increaseAchievementProgress`` by ``delta`` in the achievement ``achievement_id``
    for the profile of each evaluation that can progress in it (see
    :meth:`FakeTalon.add_achievement`).

    As with loyalty points, the progress counts when the session closes (at once for
    events and profile updates), never in dry runs; cancelling the closed session rolls
    it back where the achievement allows.
    """
    return _AchievementProgress(achievement_id, delta, name)


READY_MADE: dict[str, tuple[Callable[..., Rule], Obj]] = {
    "percent_off_cart": (percent_off_cart, obj(("percent",), percent="number", name="string")),
    "coupon_codes": (coupon_codes, obj(percent="number", name="string")),
    "loyalty_points": (
        loyalty_points,
        obj(
            ("programId", "pointsPerCurrencyUnit"),
            programId="integer",
            pointsPerCurrencyUnit="number",
            subLedgerId="string",
            name="string",
            pendingDays="number",
            expiryDays="number",
            awaitsActivation="boolean",
        ),
    ),
    "percent_off_catalog_items": (
        percent_off_catalog_items,
        obj(("percent",), percent="number", where="object", name="string"),
    ),
    "achievement_progress": (
        achievement_progress,
        obj(("achievementId",), achievementId="integer", delta="number", name="string"),
    ),
}
"""The ready-made rules a seed can name, with their parameters (camelCase wire names)."""
