"""Audiences: groups of customer profiles, created in Talon.One or mirrored from a
third-party platform."""

from __future__ import annotations

from datetime import datetime

from ._base import Model, define

__all__ = [
    "Audience",
    "AudienceReference",
    "NewAudience",
    "UpdateAudience",
]


@define(kw_only=True)
class NewAudience(Model):
    """Body of the audience creation: a name, and for an audience that comes from another
    platform, that platform and the audience's ID there."""

    name: str
    sandbox: bool | None = None
    description: str | None = None
    subscribed_applications_ids: list[int] | None = None
    integration: str | None = None
    integration_id: str | None = None
    created_in3rd_party: bool | None = None
    last_update: datetime | None = None


@define(kw_only=True)
class Audience(Model):
    """An audience as stored by Talon.One."""

    account_id: int
    id: int
    created: datetime
    name: str
    sandbox: bool | None = None
    description: str | None = None
    subscribed_applications_ids: list[int] | None = None
    integration: str | None = None
    integration_id: str | None = None
    created_in3rd_party: bool | None = None
    last_update: datetime | None = None


@define(kw_only=True)
class UpdateAudience(Model):
    """Body of the audience update: the new name and, optionally, the Applications the
    audience is connected to."""

    name: str
    subscribed_applications_ids: list[int] | None = None


@define(kw_only=True)
class AudienceReference(Model):
    """Which audience is meant: its Talon.One ID and, for a mirrored audience, its ID on
    the platform it comes from."""

    id: int
    integration: str | None = None
    integration_id: str | None = None
