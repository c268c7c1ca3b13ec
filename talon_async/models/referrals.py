"""Referral codes and the requests that create them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ._base import Model, define

__all__ = [
    "InventoryReferral",
    "NewReferral",
    "NewReferralsForMultipleAdvocates",
    "Referral",
    "ReferralList",
]


@define(kw_only=True)
class NewReferral(Model):
    """Request to create one referral code for an advocate."""

    campaign_id: int
    advocate_profile_integration_id: str
    start_date: datetime | None = None
    expiry_date: datetime | None = None
    usage_limit: int | None = None
    friend_profile_integration_id: str | None = None
    attributes: dict[str, Any] | None = None


@define(kw_only=True)
class NewReferralsForMultipleAdvocates(Model):
    """Request to create a referral code for each of several advocates."""

    campaign_id: int
    advocate_profile_integration_ids: list[str]
    usage_limit: int
    start_date: datetime | None = None
    expiry_date: datetime | None = None
    attributes: dict[str, Any] | None = None
    valid_characters: list[str] | None = None
    referral_pattern: str | None = None


@define(kw_only=True)
class Referral(Model):
    """A referral code owned by an advocate, with its usage counters."""

    id: int
    created: datetime
    campaign_id: int
    advocate_profile_integration_id: str
    code: str
    usage_counter: int
    usage_limit: int
    start_date: datetime | None = None
    expiry_date: datetime | None = None
    friend_profile_integration_id: str | None = None
    attributes: dict[str, Any] | None = None
    import_id: int | None = None
    batch_id: str | None = None


@define(kw_only=True)
class InventoryReferral(Referral):
    """A referral in a customer's inventory, with the customers who used it."""

    referred_customers: list[str]


@define(kw_only=True)
class ReferralList(Model):
    """The referrals created by one request, with their count."""

    total_result_size: int
    data: list[Referral]
