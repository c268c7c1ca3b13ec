"""Customer profiles, and the requests that update profiles and audience memberships."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ._base import Model, define
from .loyalty_embedded import LoyaltyMembership

__all__ = [
    "AudienceMembership",
    "CustomerProfile",
    "CustomerProfileAudienceRequest",
    "CustomerProfileAudienceRequestItem",
    "CustomerProfileIntegrationRequestV2",
    "CustomerProfileList",
    "MultipleCustomerProfileIntegrationRequest",
    "MultipleCustomerProfileIntegrationRequestItem",
    "NewCustomerProfile",
    "ProfileAudiencesChanges",
]


@define(kw_only=True)
class AudienceMembership(Model):
    """An audience a customer profile belongs to."""

    id: int
    name: str


@define(kw_only=True)
class CustomerProfile(Model):
    """A customer as Talon.One stores it: attributes, sales totals, memberships."""

    id: int
    created: datetime
    integration_id: str
    attributes: dict[str, Any]
    account_id: int
    closed_sessions: int
    total_sales: float
    last_activity: datetime
    loyalty_memberships: list[LoyaltyMembership] | None = None
    audience_memberships: list[AudienceMembership] | None = None
    sandbox: bool | None = None


@define(kw_only=True)
class CustomerProfileList(Model):
    """A page of customer profiles along with the total number that matched."""

    total_result_size: int
    data: list[CustomerProfile]


@define(kw_only=True)
class NewCustomerProfile(Model):
    """Body of the legacy v1 profile update: only the attributes to set."""

    attributes: dict[str, Any] | None = None


@define(kw_only=True)
class ProfileAudiencesChanges(Model):
    """Audiences a profile should join and leave, by audience ID."""

    adds: list[int]
    deletes: list[int]


@define(kw_only=True)
class CustomerProfileIntegrationRequestV2(Model):
    """Body of the v2 update of one customer profile."""

    attributes: dict[str, Any] | None = None
    evaluable_campaign_ids: list[int] | None = None
    response_content: list[str] | None = None
    audiences_changes: ProfileAudiencesChanges | None = None


@define(kw_only=True)
class MultipleCustomerProfileIntegrationRequestItem(Model):
    """One profile of a bulk profile update."""

    integration_id: str
    attributes: dict[str, Any] | None = None


@define(kw_only=True)
class MultipleCustomerProfileIntegrationRequest(Model):
    """Body of the bulk update of customer profiles."""

    customer_profiles: list[MultipleCustomerProfileIntegrationRequestItem] | None = None


@define(kw_only=True)
class CustomerProfileAudienceRequestItem(Model):
    """Adds a profile to, or removes it from, one audience."""

    action: str
    profile_integration_id: str
    audience_id: int


@define(kw_only=True)
class CustomerProfileAudienceRequest(Model):
    """Body of a batch of audience membership changes."""

    data: list[CustomerProfileAudienceRequestItem] | None = None
