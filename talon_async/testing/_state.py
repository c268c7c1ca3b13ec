"""The state core of the fake: everything it knows, in one place, and the rule types.

:class:`FakeState` holds the data of one fake Application as plain JSON (wire names). It
knows nothing of HTTP: the router and the areas' handlers read and change it, always
holding :attr:`FakeState.lock`, as do the seeding methods (so a test's thread may seed a
fake that serves from another thread). The helpers below are the small queries and
updates several areas share.
"""

from __future__ import annotations

import copy
import random
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeAlias

from ._wire import (
    JsonObject,
    new_campaign,
    new_profile,
    new_session,
    parse_timestamp,
    timestamp,
)

EffectSpec: TypeAlias = tuple[str, Mapping[str, Any]]
"""An effect a rule produces: its ``effectType`` and its ``props`` (wire names)."""


class FakeState:
    """The data of one fake Application; :class:`FakeTalon` is one.

    Public collections (wire dicts): ``profiles``, ``sessions``, ``returns``, ``events``,
    ``coupons``, ``reservations``, ``referrals``, ``audiences``, ``campaigns``,
    ``loyalty_programs``, ``loyalty_cards``, ``loyalty_transactions``, ``catalogs``,
    ``catalog_items``, ``price_history``, ``achievements``, ``achievement_progress``. A new
    area adds its collections in :meth:`clear_state`.
    """

    def __init__(self, *, application_id: int, account_id: int) -> None:
        self.application_id = application_id
        self.account_id = account_id
        self.lock: threading.RLock = threading.RLock()
        """Held by every handler and seeding method; hold it to read a consistent state."""
        self.clear_state()

    def clear_state(self) -> None:
        """Forget every entity, rule and counter."""
        self.profiles: dict[str, JsonObject] = {}
        self.sessions: dict[str, JsonObject] = {}
        # Returns of cart items (Return), oldest first; ``sessionId`` names the session.
        self.returns: list[JsonObject] = []
        # Tracked events, oldest first: Event (v1, v2) and, with an integrationId, EventV3.
        self.events: list[JsonObject] = []
        self.coupons: dict[str, JsonObject] = {}
        self.reservations: dict[str, list[str]] = {}
        self.referrals: dict[str, JsonObject] = {}
        self.audiences: dict[int, JsonObject] = {}
        self.campaigns: dict[int, JsonObject] = {}
        self.catalogs: dict[int, JsonObject] = {}
        self.catalog_items: dict[int, dict[str, JsonObject]] = {}
        self.price_history: dict[str, list[JsonObject]] = {}
        self.achievements: dict[int, JsonObject] = {}
        # Progress records per profile integration ID and achievement ID, oldest first.
        self.achievement_progress: dict[str, dict[int, list[JsonObject]]] = {}
        self.loyalty_programs: dict[int, JsonObject] = {}
        self.loyalty_cards: dict[tuple[int, str], JsonObject] = {}
        self.loyalty_transactions: list[JsonObject] = []
        self._rules: list[RegisteredRule] = []
        self._ids: dict[str, int] = {}
        self._random = random.Random(0)
        # The effects each session has now: those of its latest evaluation, less what
        # returns rolled back. Committed (coupons redeemed, points credited) while the
        # session is closed or partially returned; undone when it is cancelled or reopened.
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
    fake: FakeState
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

    def catalog_item(self, sku: str) -> JsonObject | None:
        """The item with this SKU in the fake's catalogs (lowest catalog ID first), or None.

        Its members: ``sku``, ``price``, ``attributes``, ``product`` and ``catalogId``.
        """
        for catalog_id in sorted(self.fake.catalog_items):
            item = self.fake.catalog_items[catalog_id].get(sku)
            if item is not None:
                return item
        return None

    def achievement_progress(self, achievement_id: int) -> JsonObject | None:
        """The profile's progress record that progress made now goes to (a new, empty
        one when none is running), or None when the profile cannot progress in it now:
        no profile, an unknown, scheduled or ended achievement, or one done for good."""
        achievement = self.fake.achievements.get(achievement_id)
        if achievement is None or not self.profile_id:
            return None
        record = progress_record(self.fake, achievement, self.profile_id, self.now)
        return None if record is None else dict(record)

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


def new_id(state: FakeState, kind: str) -> int:
    """The next ID of an entity kind (1, 2, ...)."""
    state._ids[kind] = state._ids.get(kind, 0) + 1
    return state._ids[kind]


def profile_for(state: FakeState, integration_id: str, now: datetime) -> JsonObject:
    """A working copy of the profile, or a new one (stored only by :func:`store_profile`)."""
    stored = state.profiles.get(integration_id)
    if stored is not None:
        return copy.deepcopy(stored)
    return new_profile(new_id(state, "profile"), integration_id, state.account_id, now)


def store_profile(state: FakeState, profile: JsonObject, now: datetime) -> None:
    """Store a profile, marking it active now."""
    profile["lastActivity"] = timestamp(now)
    state.profiles[profile["integrationId"]] = profile


def new_session_for(state: FakeState, integration_id: str, now: datetime) -> JsonObject:
    """A new open session with the next ID (stored only when the caller stores it)."""
    return new_session(new_id(state, "session"), integration_id, state.application_id, now)


def campaign_for(state: FakeState, campaign_id: int | None, now: datetime) -> JsonObject:
    """The campaign ``campaign_id``, created (running) when it does not exist yet; None
    creates one with the next free ID."""
    if campaign_id is None:
        campaign_id = max(state.campaigns, default=0) + 1
    if campaign_id not in state.campaigns:
        state.campaigns[campaign_id] = new_campaign(
            campaign_id, 1000 + campaign_id, state.application_id, now
        )
    return state.campaigns[campaign_id]


def campaign_running(campaign: JsonObject, now: datetime) -> bool:
    """Whether the campaign's rules run at ``now``: enabled, started and not yet ended."""
    start, end = campaign.get("startTime"), campaign.get("endTime")
    return (
        campaign["state"] == "enabled"
        and (not start or parse_timestamp(start) <= now)
        and (not end or now < parse_timestamp(end))
    )


def ensure_profile(state: FakeState, integration_id: str, now: datetime) -> None:
    """Create the profile if it does not exist yet, as the API does on first use."""
    if integration_id not in state.profiles:
        store_profile(state, profile_for(state, integration_id, now), now)


def coupon_view(state: FakeState, coupon: JsonObject, profile_id: str) -> JsonObject:
    """A coupon with the profile's redemption count (IntegrationCoupon)."""
    count = state._redemptions.get((coupon["value"], profile_id), 0)
    return {**coupon, "profileRedemptionCount": count}


def coupon_state(state: FakeState, coupon: JsonObject, profile_id: str, now: datetime) -> str:
    """``used``, ``expired``, ``pending`` or ``active``, as a profile's inventory says."""
    used = state._redemptions.get((coupon["value"], profile_id), 0) > 0
    if used or 0 < coupon["usageLimit"] <= coupon["usageCounter"]:
        return "used"
    if coupon.get("expiryDate") and parse_timestamp(coupon["expiryDate"]) <= now:
        return "expired"
    if coupon.get("startDate") and parse_timestamp(coupon["startDate"]) > now:
        return "pending"
    return "active"


# -- achievements ------------------------------------------------------------------------

_PERIOD = re.compile(r"([0-9]+(?:\.[0-9]+)?)([smhDWMY])")
_PERIOD_UNITS = {
    "s": timedelta(seconds=1),
    "m": timedelta(minutes=1),
    "h": timedelta(hours=1),
    "D": timedelta(days=1),
    "W": timedelta(weeks=1),
    "M": timedelta(days=30),  # a month, roughly: the fake has no calendar
    "Y": timedelta(days=365),
}


def period_length(period: str) -> timedelta:
    """The length of an achievement period such as ``30s``, ``1h``, ``5D``, ``2W``, ``1M``
    or ``1Y``; ValueError for anything else."""
    match = _PERIOD.fullmatch(period)
    if match is None or float(match[1]) <= 0:
        raise ValueError(
            f"period must be a positive number and one of s, m, h, D, W, M, Y: {period!r}"
        )
    return float(match[1]) * _PERIOD_UNITS[match[2]]


def achievement_status(achievement: JsonObject, now: datetime) -> str | None:
    """``active`` or ``scheduled`` (a fixed schedule that has not started), or None once
    the achievement has ended."""
    end = achievement.get("endDate")
    if end and parse_timestamp(end) <= now:
        return None
    start = achievement.get("fixedStartDate")
    if achievement["activationPolicy"] == "fixed_schedule" and start:
        return "scheduled" if parse_timestamp(start) > now else "active"
    return "active"


def progress_view(record: JsonObject, now: datetime) -> JsonObject:
    """A progress record as the API shows it: ``expired`` once it ended unfinished."""
    end = record.get("endDate")
    if record["status"] == "inprogress" and end and parse_timestamp(end) <= now:
        return {**record, "status": "expired"}
    return dict(record)


def _new_progress(achievement: JsonObject, now: datetime) -> JsonObject:
    """A new record, running for the achievement's period (on a fixed schedule: the
    period ``now`` falls in) and no longer than the achievement."""
    start, end = now, None
    if achievement.get("period"):
        length = period_length(achievement["period"])
        origin = achievement.get("fixedStartDate")
        if achievement["activationPolicy"] == "fixed_schedule" and origin:
            first = parse_timestamp(origin)
            start = first + length * ((now - first) // length)
        end = start + length
    if achievement.get("endDate"):
        last = parse_timestamp(achievement["endDate"])
        end = last if end is None else min(end, last)
    record: JsonObject = {"status": "inprogress", "progress": 0.0, "startDate": timestamp(start)}
    if end is not None:
        record["endDate"] = timestamp(end)
    return record


def progress_record(
    state: FakeState, achievement: JsonObject, profile_id: str, now: datetime
) -> JsonObject | None:
    """The record progress made at ``now`` goes to: the running one, or a new one (not
    stored yet); None when the achievement is not active or its recurrence policy allows
    no new start after the last record (completed, or expired)."""
    if achievement_status(achievement, now) != "active":
        return None
    records = state.achievement_progress.get(profile_id, {}).get(achievement["id"])
    if records:
        last = progress_view(records[-1], now)["status"]
        if last == "inprogress":
            return records[-1]
        again = "on_completion" if last == "completed" else "on_expiration"
        if achievement["recurrencePolicy"] != again:
            return None
    return _new_progress(achievement, now)


def change_progress(
    state: FakeState, profile_id: str, achievement_id: int, delta: float, now: datetime
) -> JsonObject | None:
    """Add ``delta`` to the profile's progress in an achievement (a negative ``delta``
    rolls the latest record back, a completed one only if the achievement allows it);
    returns the record changed, or None when nothing changed."""
    achievement = state.achievements.get(achievement_id)
    if achievement is None:
        return None
    if delta < 0:
        records = state.achievement_progress.get(profile_id, {}).get(achievement_id)
        record = records[-1] if records else None
        if record is None or (
            record["status"] == "completed" and not achievement["allowRollbackAfterCompletion"]
        ):
            return None
        record["progress"] = max(0.0, round(record["progress"] + delta, 2))
        if record["progress"] < achievement["target"] and record["status"] == "completed":
            record["status"] = "inprogress"
            record.pop("completionDate", None)
        return record
    record = progress_record(state, achievement, profile_id, now)
    if record is None:
        return None
    records = state.achievement_progress.setdefault(profile_id, {}).setdefault(achievement_id, [])
    if not records or records[-1] is not record:
        records.append(record)
    record["progress"] = round(record["progress"] + delta, 2)
    if record["progress"] >= achievement["target"]:
        record["status"] = "completed"
        record["completionDate"] = timestamp(now)
    return record


def achievement_inventory(state: FakeState, profile_id: str, now: datetime) -> list[JsonObject]:
    """The profile's latest progress in each achievement, with the achievement's settings
    (AchievementProgressWithDefinition, as the inventory lists them)."""
    found = []
    for achievement_id, records in sorted(state.achievement_progress.get(profile_id, {}).items()):
        achievement = state.achievements.get(achievement_id)
        if achievement is None or not records:
            continue
        entry = progress_view(records[-1], now)
        entry.update(
            achievementId=achievement_id,
            name=achievement["name"],
            title=achievement["title"],
            description=achievement["description"],
            campaignId=achievement["campaignId"],
            target=achievement["target"],
            achievementRecurrencePolicy=achievement["recurrencePolicy"],
            achievementActivationPolicy=achievement["activationPolicy"],
            achievementAllowRollbackAfterCompletion=achievement["allowRollbackAfterCompletion"],
        )
        for member, renamed in (
            ("fixedStartDate", "achievementFixedStartDate"),
            ("endDate", "achievementEndDate"),
        ):
            if member in achievement:
                entry[renamed] = achievement[member]
        found.append(entry)
    return found
