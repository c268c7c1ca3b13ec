"""Achievements: their settings, and the customers' progress in them, read back page by page.

Progress comes from :meth:`Achievements.add_achievement_progress` and from the
``increaseAchievementProgress`` effects of rules (e.g. the ready-made
``achievement_progress``), which count when the fake commits effects: on closing a
session, at once for events and profile updates. A record runs for the achievement's
period (none: until it is completed or the achievement ends); the recurrence policy
says whether a customer may start again after completing it or after it expired.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, ClassVar

from .._area import Area, Handlers, Seeds, seed_items
from .._http import HandlerCall, Handling
from .._schema import MapOf, OneOf, Text, obj
from .._state import (
    FakeState,
    achievement_status,
    campaign_for,
    change_progress,
    ensure_profile,
    period_length,
    progress_view,
)
from .._wire import (
    Answer,
    JsonObject,
    not_found,
    optional_timestamp,
    parse_timestamp,
    timestamp,
    utc_now,
)

RECURRENCE_POLICIES = ("no_recurrence", "on_expiration", "on_completion")
ACTIVATION_POLICIES = ("user_action", "fixed_schedule")
_NAME = re.compile(r"[a-zA-Z]\w{1,999}")
SEED_ACHIEVEMENT = obj(
    ("name", "target"),
    id="integer",
    name="string",
    target="number",
    campaignId="integer",
    title="string",
    description=Text(),
    period="string",
    recurrencePolicy=OneOf(RECURRENCE_POLICIES),
    activationPolicy=OneOf(ACTIVATION_POLICIES),
    fixedStartDate="date-time",
    endDate="date-time",
    allowRollbackAfterCompletion="boolean",
    progress=MapOf("number"),
)


def _profile(state: FakeState, call: HandlerCall) -> str:
    integration_id = call.params["integrationId"]
    if integration_id not in state.profiles:
        raise not_found("Customer profile", integration_id, "integrationId")
    return integration_id


def get_customer_achievements(state: FakeState, call: HandlerCall) -> Answer:
    """GET /v1/customer_profiles/{integrationId}/achievements (getCustomerAchievements)."""
    campaign_ids = call.id_list("campaignIds")
    achievement_ids = call.id_list("achievementIds")
    wanted = call.listed("achievementStatus", ("active", "scheduled")) or ["active"]
    progress = call.listed("currentProgressStatus", ("inprogress", "completed", "not_started"))
    integration_id = _profile(state, call)
    now = utc_now()
    entries = []
    for achievement_id, achievement in sorted(state.achievements.items()):
        status = achievement_status(achievement, now)
        if (
            status not in wanted
            or (campaign_ids is not None and achievement["campaignId"] not in campaign_ids)
            or (achievement_ids is not None and achievement_id not in achievement_ids)
        ):
            continue
        records = state.achievement_progress.get(integration_id, {}).get(achievement_id)
        current = (
            progress_view(records[-1], now)
            if records
            else {"status": "not_started", "progress": 0.0}
        )
        if progress is None or current["status"] in progress:
            entries.append({**achievement, "status": status, "currentProgress": current})
    page, _ = call.page(entries, 1000)
    return Answer(200, {"totalResultSize": len(entries), "data": page})


def get_achievement_history(state: FakeState, call: HandlerCall) -> Answer:
    """GET /v1/customer_profiles/{integrationId}/achievements/{achievementId}
    (getCustomerAchievementHistory): the customer's records, newest first."""
    statuses = call.listed("progressStatus", ("inprogress", "completed", "expired"))
    start, end = call.date_time("startDate"), call.date_time("endDate")
    integration_id = _profile(state, call)
    achievement_id = call.ids["achievementId"]
    if achievement_id not in state.achievements:
        raise not_found("Achievement", achievement_id, "achievementId")
    now = utc_now()
    records = [
        record
        for record in (
            progress_view(stored, now)
            for stored in reversed(
                state.achievement_progress.get(integration_id, {}).get(achievement_id, [])
            )
        )
        if (statuses is None or record["status"] in statuses)
        and (start is None or parse_timestamp(record["startDate"]) >= start)
        and (end is None or parse_timestamp(record["startDate"]) <= end)
    ]
    page, _ = call.page(records, 1000)
    return Answer(200, {"totalResultSize": len(records), "data": page})


def _seed_achievements(fake: Achievements, value: Any) -> None:
    """``achievements``: ``[{"name": "TenOrders", "target": 10, "progress": {"alice": 3}}]``
    (``progress``: each profile's progress so far)."""
    for item in seed_items(value, "achievements", SEED_ACHIEVEMENT):
        achievement = fake.add_achievement(
            item["name"],
            item["target"],
            achievement_id=item.get("id"),
            campaign_id=item.get("campaignId"),
            title=item.get("title"),
            description=item.get("description", ""),
            period=item.get("period"),
            recurrence_policy=item.get("recurrencePolicy", "no_recurrence"),
            activation_policy=item.get("activationPolicy", "user_action"),
            fixed_start_date=optional_timestamp(item.get("fixedStartDate")),
            end_date=optional_timestamp(item.get("endDate")),
            allow_rollback_after_completion=item.get("allowRollbackAfterCompletion", False),
        )
        for integration_id, progress in (item.get("progress") or {}).items():
            fake.add_achievement_progress(integration_id, achievement["id"], progress)


class Achievements(Area):
    """Achievements of campaigns, and each customer's progress records in them."""

    HANDLERS: ClassVar[Handlers] = {
        "getCustomerAchievements": Handling(get_customer_achievements),
        "getCustomerAchievementHistory": Handling(get_achievement_history),
    }
    SEEDS: ClassVar[Seeds] = {"achievements": _seed_achievements}

    def add_achievement(
        self,
        name: str,
        target: float,
        *,
        achievement_id: int | None = None,
        campaign_id: int | None = None,
        title: str | None = None,
        description: str = "",
        period: str | None = None,
        recurrence_policy: str = "no_recurrence",
        activation_policy: str = "user_action",
        fixed_start_date: datetime | None = None,
        end_date: datetime | None = None,
        allow_rollback_after_completion: bool = False,
    ) -> JsonObject:
        """Create (or replace) an achievement; returns its stored dict (with its ``id``).

        ``name`` is its API name (a letter, then letters, digits or ``_``); ``target``
        the progress that completes it. It belongs to the campaign ``campaign_id``
        (created when unknown; None: a new campaign). ``period`` (``30s``, ``12h``,
        ``7D``, ``2W``, ``1M``, ``1Y``) limits each try; ``fixed_schedule`` activation
        starts the periods at ``fixed_start_date`` for everyone. ``end_date`` ends it.
        """
        if not _NAME.fullmatch(name):
            raise ValueError(f"name must be a letter then letters, digits or _: {name!r}")
        if recurrence_policy not in RECURRENCE_POLICIES:
            raise ValueError(f"recurrence_policy must be one of {', '.join(RECURRENCE_POLICIES)}")
        if activation_policy not in ACTIVATION_POLICIES:
            raise ValueError(f"activation_policy must be one of {', '.join(ACTIVATION_POLICIES)}")
        if (activation_policy == "fixed_schedule") != (fixed_start_date is not None):
            raise ValueError("fixed_start_date goes with activation_policy='fixed_schedule'")
        if period is not None:
            period_length(period)
        now = utc_now()
        with self.lock:
            campaign = campaign_for(self, campaign_id, now)
            if "achievements" not in campaign["features"]:
                campaign["features"].append("achievements")
            if achievement_id is None:
                achievement_id = max(self.achievements, default=0) + 1
            achievement: JsonObject = {
                "id": achievement_id,
                "created": timestamp(now),
                "name": name,
                "title": title or name,
                "description": description,
                "target": target,
                "recurrencePolicy": recurrence_policy,
                "activationPolicy": activation_policy,
                "allowRollbackAfterCompletion": allow_rollback_after_completion,
                "campaignId": campaign["id"],
            }
            for member, set_to in (
                ("period", period),
                ("fixedStartDate", fixed_start_date and timestamp(fixed_start_date)),
                ("endDate", end_date and timestamp(end_date)),
            ):
                if set_to is not None:
                    achievement[member] = set_to
            self.achievements[achievement_id] = achievement
            return achievement

    def add_achievement_progress(
        self,
        integration_id: str,
        achievement_id: int,
        progress: float,
        *,
        at: datetime | None = None,
    ) -> JsonObject:
        """Add ``progress`` to a customer's progress in an achievement, as made at ``at``
        (default: now); returns the progress record it went to.

        The profile is created when new. As with rule effects, a record is completed
        once it reaches the target, and a finished one is followed by a new record
        only as the recurrence policy allows; progress the customer cannot make (a
        scheduled or ended achievement, one done for good) raises ValueError.
        """
        if progress <= 0:
            raise ValueError(f"progress must be positive, not {progress}")
        when = at or utc_now()
        with self.lock:
            if achievement_id not in self.achievements:
                raise ValueError(f"no achievement {achievement_id}; add_achievement() first")
            ensure_profile(self, integration_id, when)
            record = change_progress(self, integration_id, achievement_id, progress, when)
            if record is None:
                raise ValueError(
                    f"{integration_id!r} cannot progress in achievement {achievement_id} at "
                    f"{timestamp(when)}: it is not active, or done for good"
                )
            return record
