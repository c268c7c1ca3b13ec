"""The state core of the fake: everything it knows, in one place, and the rule types.

:class:`State` holds the data of one fake Application as plain JSON (wire names). It
knows nothing of HTTP: the router and the areas' handlers read and change it, always
holding :attr:`State.lock`, as do the seeding methods (so a test's thread may seed a
fake that serves from another thread). The helpers below are the small queries and
updates several areas share.
"""

from __future__ import annotations

import copy
import random
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeAlias

from ._wire import JsonObject, new_profile, new_session, parse_timestamp, timestamp

EffectSpec: TypeAlias = tuple[str, Mapping[str, Any]]
"""An effect a rule produces: its ``effectType`` and its ``props`` (wire names)."""


class State:
    """The data of one fake Application; :class:`FakeTalon` is one.

    Public collections (wire dicts): ``profiles``, ``sessions``, ``events``, ``coupons``,
    ``reservations``, ``referrals``, ``audiences``, ``campaigns``, ``loyalty_programs``,
    ``loyalty_cards`` and ``loyalty_transactions``. A new area adds its collections in
    :meth:`clear_state`.
    """

    def __init__(self, *, application_id: int, account_id: int) -> None:
        self.application_id = application_id
        self.account_id = account_id
        self.lock = threading.RLock()
        """Held by every handler and seeding method; hold it to read a consistent state."""
        self.clear_state()

    def clear_state(self) -> None:
        """Forget every entity, rule and counter."""
        self.profiles: dict[str, JsonObject] = {}
        self.sessions: dict[str, JsonObject] = {}
        self.events: list[JsonObject] = []
        self.coupons: dict[str, JsonObject] = {}
        self.reservations: dict[str, list[str]] = {}
        self.referrals: dict[str, JsonObject] = {}
        self.audiences: dict[int, JsonObject] = {}
        self.campaigns: dict[int, JsonObject] = {}
        self.loyalty_programs: dict[int, JsonObject] = {}
        self.loyalty_cards: dict[tuple[int, str], JsonObject] = {}
        self.loyalty_transactions: list[JsonObject] = []
        self._rules: list[RegisteredRule] = []
        self._ids: dict[str, int] = {}
        self._random = random.Random(0)
        # Effects committed when a session closed, undone if it is cancelled later.
        self._committed: dict[str, list[JsonObject]] = {}
        # Redemptions per (coupon code, profile integration ID).
        self._redemptions: dict[tuple[str, str], int] = {}


@dataclass(frozen=True)
class RuleContext:
    """What a rule sees when the fake evaluates a request.

    ``session`` and ``profile`` are the wire dicts as they will be stored (already
    updated by the request; None for profile updates and anonymous sessions);
    ``event`` is the tracked event's body for ``trackEvent``, else None; ``fake`` is the
    :class:`FakeTalon` (its state). Treat them as read-only: the fake decides what to
    persist.
    """

    session: JsonObject | None
    profile: JsonObject | None
    event: JsonObject | None
    coupon_codes: tuple[str, ...]
    fake: State
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

    def loyalty_card(self, program_id: int) -> str | None:
        """The first active card of card-based program ``program_id`` that the session
        names in ``loyaltyCards``, or None."""
        for identifier in (self.session or {}).get("loyaltyCards") or ():
            card = self.fake.loyalty_cards.get((program_id, identifier))
            if card is not None and card["status"] == "active":
                return str(identifier)
        return None

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


def new_id(state: State, kind: str) -> int:
    """The next ID of an entity kind (1, 2, ...)."""
    state._ids[kind] = state._ids.get(kind, 0) + 1
    return state._ids[kind]


def profile_for(state: State, integration_id: str, now: datetime) -> JsonObject:
    """A working copy of the profile, or a new one (stored only by :func:`store_profile`)."""
    stored = state.profiles.get(integration_id)
    if stored is not None:
        return copy.deepcopy(stored)
    return new_profile(new_id(state, "profile"), integration_id, state.account_id, now)


def store_profile(state: State, profile: JsonObject, now: datetime) -> None:
    """Store a profile, marking it active now."""
    profile["lastActivity"] = timestamp(now)
    state.profiles[profile["integrationId"]] = profile


def new_session_for(state: State, integration_id: str, now: datetime) -> JsonObject:
    """A new open session with the next ID (stored only when the caller stores it)."""
    return new_session(new_id(state, "session"), integration_id, state.application_id, now)


def ensure_profile(state: State, integration_id: str, now: datetime) -> None:
    """Create the profile if it does not exist yet, as the API does on first use."""
    if integration_id not in state.profiles:
        store_profile(state, profile_for(state, integration_id, now), now)


def coupon_view(state: State, coupon: JsonObject, profile_id: str) -> JsonObject:
    """A coupon with the profile's redemption count (IntegrationCoupon)."""
    count = state._redemptions.get((coupon["value"], profile_id), 0)
    return {**coupon, "profileRedemptionCount": count}


def coupon_state(state: State, coupon: JsonObject, profile_id: str, now: datetime) -> str:
    """``used``, ``expired``, ``pending`` or ``active``, as a profile's inventory says."""
    used = state._redemptions.get((coupon["value"], profile_id), 0) > 0
    if used or 0 < coupon["usageLimit"] <= coupon["usageCounter"]:
        return "used"
    if coupon.get("expiryDate") and parse_timestamp(coupon["expiryDate"]) <= now:
        return "expired"
    if coupon.get("startDate") and parse_timestamp(coupon["startDate"]) > now:
        return "pending"
    return "active"
