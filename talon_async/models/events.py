"""Custom events: the requests that track them and the events Talon.One records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ._base import Model, define
from .loyalty_embedded import LedgerEntry

__all__ = [
    "CouponRejectionReason",
    "Event",
    "EventV3",
    "IntegrationEventV2Request",
    "IntegrationEventV3Request",
    "Meta",
    "NewEvent",
    "ReferralRejectionReason",
]


@define(kw_only=True)
class NewEvent(Model):
    """Body of the deprecated v1 event tracking request."""

    type: str
    attributes: dict[str, Any]
    session_id: str
    profile_id: str | None = None
    store_integration_id: str | None = None


@define(kw_only=True)
class IntegrationEventV2Request(Model):
    """Body of the v2 event tracking request, and which extras to return.

    The API documents ``profile_id`` as needed although its schema leaves it optional.
    """

    type: str
    profile_id: str | None = None
    store_integration_id: str | None = None
    evaluable_campaign_ids: list[int] | None = None
    attributes: dict[str, Any] | None = None
    response_content: list[str] | None = None
    loyalty_cards: list[str] | None = None


@define(kw_only=True)
class IntegrationEventV3Request(Model):
    """Body of the advanced (v3) event tracking request: an event with its own unique ID,
    optionally tied to a closed session."""

    profile_id: str
    type: str
    integration_id: str
    store_integration_id: str | None = None
    evaluable_campaign_ids: list[int] | None = None
    attributes: dict[str, Any] | None = None
    connected_session_id: str | None = None
    loyalty_cards: list[str] | None = None
    response_content: list[str] | None = None


@define(kw_only=True)
class CouponRejectionReason(Model):
    """Why a coupon code in the session was refused."""

    campaign_id: int
    coupon_id: int
    reason: str


@define(kw_only=True)
class ReferralRejectionReason(Model):
    """Why a referral code in the session was refused."""

    campaign_id: int
    referral_id: int
    reason: str


@define(kw_only=True)
class Meta(Model):
    """Evaluation side information attached to an event."""

    campaigns: dict[str, Any] | None = None
    coupons: dict[str, Any] | None = None
    coupon_rejection_reason: CouponRejectionReason | None = None
    referral_rejection_reason: ReferralRejectionReason | None = None
    warnings: dict[str, Any] | None = None


@define(kw_only=True)
class Event(Model):
    """An event as recorded by Talon.One, with the effects it produced."""

    id: int
    created: datetime
    application_id: int
    type: str
    attributes: dict[str, Any]
    effects: list[list[Any]]
    """Effects in the compact legacy form (arrays), kept as decoded JSON."""
    profile_id: str | None = None
    store_integration_id: str | None = None
    integration_id: str | None = None
    session_id: str | None = None
    ledger_entries: list[LedgerEntry] | None = None
    meta: Meta | None = None


@define(kw_only=True)
class EventV3(Model):
    """An advanced (v3) event as recorded by Talon.One."""

    id: int
    created: datetime
    application_id: int
    type: str
    attributes: dict[str, Any]
    effects: list[list[Any]]
    """Effects in the compact legacy form (arrays), kept as decoded JSON."""
    connected_session_id: str | None = None
    profile_id: str | None = None
    store_integration_id: str | None = None
    integration_id: str | None = None
