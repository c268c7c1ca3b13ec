"""Achievements of a customer profile: their settings, status and progress history."""

from __future__ import annotations

from datetime import datetime

from ._base import Model, define
from .inventory import AchievementProgress

__all__ = [
    "AchievementStatusEntry",
    "GetCustomerAchievementHistory200Response",
    "GetCustomerAchievements200Response",
    "TimePoint",
]


@define(kw_only=True)
class TimePoint(Model):
    """A moment in a year, month or week (in the Application's time zone) at which an
    achievement ends and starts over."""

    hour: int
    minute: int
    second: int
    month: int | None = None
    day_of_month: int | None = None
    day_of_week: int | None = None


@define(kw_only=True)
class AchievementStatusEntry(Model):
    """An achievement, whether it is running, and the customer's progress in it."""

    id: int
    created: datetime
    name: str
    title: str
    description: str
    target: float
    period: str | None = None
    period_end_override: TimePoint | None = None
    """Deprecated by the API."""
    recurrence_policy: str | None = None
    activation_policy: str | None = None
    fixed_start_date: datetime | None = None
    end_date: datetime | None = None
    allow_rollback_after_completion: bool | None = None
    campaign_id: int | None = None
    status: str | None = None
    current_progress: AchievementProgress | None = None


@define(kw_only=True)
class GetCustomerAchievements200Response(Model):
    """One page of a customer's achievements, with the number of all of them."""

    total_result_size: int
    data: list[AchievementStatusEntry]


@define(kw_only=True)
class GetCustomerAchievementHistory200Response(Model):
    """One page of a customer's progress records in one achievement, with the number of
    all of them."""

    total_result_size: int
    data: list[AchievementProgress]
