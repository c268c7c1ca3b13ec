"""A customer's inventory: profile, loyalty, coupons, referrals, giveaways, achievements."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ._base import Model, define
from .coupons import InventoryCoupon
from .loyalty_embedded import Loyalty
from .profiles import CustomerProfile
from .referrals import InventoryReferral

__all__ = [
    "AchievementProgress",
    "AchievementProgressWithDefinition",
    "CustomerAchievement",
    "CustomerInventory",
    "Giveaway",
]


@define(kw_only=True)
class Giveaway(Model):
    """A giveaway code from a pool, possibly awarded to a customer."""

    id: int
    created: datetime
    code: str
    pool_id: int
    start_date: datetime | None = None
    end_date: datetime | None = None
    attributes: dict[str, Any] | None = None
    used: bool | None = None
    import_id: int | None = None
    profile_integration_id: str | None = None
    profile_id: int | None = None


@define(kw_only=True)
class AchievementProgress(Model):
    """How far a customer has come in one achievement."""

    status: str
    progress: float
    start_date: datetime | None = None
    completion_date: datetime | None = None
    end_date: datetime | None = None


@define(kw_only=True)
class AchievementProgressWithDefinition(AchievementProgress):
    """A customer's achievement progress together with the achievement's settings."""

    achievement_id: int
    name: str
    title: str
    description: str
    campaign_id: int
    achievement_recurrence_policy: str
    achievement_activation_policy: str
    target: float | None = None
    achievement_fixed_start_date: datetime | None = None
    achievement_end_date: datetime | None = None
    achievement_allow_rollback_after_completion: bool | None = None


@define(kw_only=True)
class CustomerAchievement(Model):
    """An achievement's settings with the customer's current progress in it."""

    id: int
    name: str
    title: str
    description: str
    target: float
    recurrence_policy: str
    activation_policy: str
    allow_rollback_after_completion: bool
    fixed_start_date: datetime | None = None
    end_date: datetime | None = None
    current_progress: AchievementProgress | None = None


@define(kw_only=True)
class CustomerInventory(Model):
    """Everything a customer holds; each part is present only when requested."""

    profile: CustomerProfile | None = None
    loyalty: Loyalty | None = None
    referrals: list[InventoryReferral] | None = None
    coupons: list[InventoryCoupon] | None = None
    giveaways: list[Giveaway] | None = None
    achievements: list[AchievementProgressWithDefinition] | None = None
