"""Campaigns as the Integration API lists them: what a customer-facing app may show."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ._base import Model, define

__all__ = [
    "IntegrationCampaign",
    "IntegrationGetAllCampaigns200Response",
    "RuleMetadata",
]


@define(kw_only=True)
class RuleMetadata(Model):
    """The customer-facing texts of one rule of a campaign."""

    title: str
    display_name: str | None = None
    display_description: str | None = None
    related_data: str | None = None


@define(kw_only=True)
class IntegrationCampaign(Model):
    """An enabled campaign of the Application, with the customer-facing texts of its rules."""

    application_id: int
    id: int
    name: str
    state: str
    tags: list[str]
    features: list[str]
    rules: list[RuleMetadata]
    description: str | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    attributes: dict[str, Any] | None = None
    linked_store_ids: list[int] | None = None
    linked_audience_ids: list[int] | None = None


@define(kw_only=True)
class IntegrationGetAllCampaigns200Response(Model):
    """One page of the campaign list; ``has_more`` says whether another page follows."""

    has_more: bool
    data: list[IntegrationCampaign]
