"""Audiences: created, renamed and deleted, emptied, and their members' attributes set.

An audience's members are the profiles whose ``audienceMemberships`` name it (profiles
join and leave through the profile operations). Renaming an audience renames it in
those memberships; deleting it or its memberships removes them from the profiles.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from .._area import Area, Handlers, Seeds, seed_items
from .._http import HandlerCall, Handling
from .._schema import Arr, Text, obj
from .._state import FakeState
from .._wire import Answer, ApiError, JsonObject, error_item, not_found, timestamp, utc_now

_NAME = Text(min_length=1)
_APPLICATION_IDS = Arr("integer", unique=True)
NEW_AUDIENCE = obj(
    ("name",),
    name=_NAME,
    sandbox="boolean",
    description="string",
    subscribedApplicationsIds=_APPLICATION_IDS,
    integration="string",
    integrationId=Text(min_length=1, max_length=1000),
    createdIn3rdParty="boolean",
    lastUpdate="date-time",
)
UPDATE_AUDIENCE = obj(("name",), name=_NAME, subscribedApplicationsIds=_APPLICATION_IDS)
SEED_AUDIENCE = obj(
    ("id",),
    id="integer",
    name=_NAME,
    description="string",
    integration="string",
    integrationId=Text(min_length=1, max_length=1000),
)
_OPTIONAL = (
    "sandbox",
    "description",
    "subscribedApplicationsIds",
    "integration",
    "integrationId",
    "createdIn3rdParty",
    "lastUpdate",
)


def _new_audience(
    state: FakeState, audience_id: int, name: str, now: datetime, **optional: Any
) -> JsonObject:
    """Store an audience (Audience); ``optional`` wire members are set unless None."""
    audience: JsonObject = {
        "accountId": state.account_id,
        "id": audience_id,
        "created": timestamp(now),
        "name": name,
        "sandbox": False,
    }
    audience.update({key: value for key, value in optional.items() if value is not None})
    state.audiences[audience_id] = audience
    return audience


def _audience(state: FakeState, call: HandlerCall) -> JsonObject:
    audience_id = call.ids["audienceId"]
    audience = state.audiences.get(audience_id)
    if audience is None:
        raise not_found("Audience", audience_id, "audienceId")
    return audience


def _members(state: FakeState, audience_id: int) -> list[JsonObject]:
    return [
        profile
        for profile in state.profiles.values()
        if any(m["id"] == audience_id for m in profile["audienceMemberships"])
    ]


def _rename_memberships(state: FakeState, audience: JsonObject) -> None:
    for profile in _members(state, audience["id"]):
        for membership in profile["audienceMemberships"]:
            if membership["id"] == audience["id"]:
                membership["name"] = audience["name"]


def _leave(state: FakeState, audience_id: int) -> None:
    for profile in _members(state, audience_id):
        profile["audienceMemberships"] = [
            m for m in profile["audienceMemberships"] if m["id"] != audience_id
        ]


def create_audience(state: FakeState, call: HandlerCall) -> Answer:
    """POST /v2/audiences (createAudienceV2): from scratch, or mirroring one elsewhere."""
    body: JsonObject = call.body
    integration, integration_id = body.get("integration"), body.get("integrationId")
    if integration is not None and integration_id is None:
        raise ApiError(
            400,
            "Invalid request body",
            [
                error_item(
                    "Invalid request body",
                    "an audience of an integration needs its integrationId there",
                    pointer="/integrationId",
                )
            ],
        )
    if integration_id is not None and any(
        (other.get("integration"), other.get("integrationId")) == (integration, integration_id)
        for other in state.audiences.values()
    ):
        raise ApiError(
            409,
            "Audience already exists",
            [
                error_item(
                    "Duplicate audience",
                    f"an audience with integrationId {integration_id!r} already exists"
                    + (f" for {integration}" if integration else ""),
                    pointer="/integrationId",
                )
            ],
        )
    optional = {key: body.get(key) for key in _OPTIONAL}
    if integration_id is not None and optional["createdIn3rdParty"] is None:
        optional["createdIn3rdParty"] = True
    audience = _new_audience(
        state, max(state.audiences, default=0) + 1, body["name"], utc_now(), **optional
    )
    return Answer(201, audience)


def update_audience(state: FakeState, call: HandlerCall) -> Answer:
    """PUT /v2/audiences/{audienceId} (updateAudienceV2): rename it, in memberships too."""
    audience = _audience(state, call)
    audience["name"] = call.body["name"]
    if call.body.get("subscribedApplicationsIds") is not None:
        audience["subscribedApplicationsIds"] = call.body["subscribedApplicationsIds"]
    _rename_memberships(state, audience)
    return Answer(200, audience)


def delete_audience(state: FakeState, call: HandlerCall) -> Answer:
    """DELETE /v2/audiences/{audienceId} (deleteAudienceV2): it and its memberships."""
    audience = _audience(state, call)
    _leave(state, audience["id"])
    del state.audiences[audience["id"]]
    return Answer(204)


def delete_memberships(state: FakeState, call: HandlerCall) -> Answer:
    """DELETE /v2/audiences/{audienceId}/memberships (deleteAudienceMembershipsV2)."""
    _leave(state, _audience(state, call)["id"])
    return Answer(204)


def update_members_attributes(state: FakeState, call: HandlerCall) -> Answer:
    """PUT /v2/audience_customers/{audienceId}/attributes
    (updateAudienceCustomersAttributes): set attributes on every member profile."""
    audience = _audience(state, call)
    for profile in _members(state, audience["id"]):
        profile["attributes"].update(call.body)
    return Answer(204)


def _seed_audiences(fake: Audiences, value: Any) -> None:
    """``audiences``: ``[{"id": 7, "name": "VIP"}]`` (optionally ``description``,
    ``integration`` and ``integrationId``)."""
    for item in seed_items(value, "audiences", SEED_AUDIENCE):
        fake.add_audience(
            item["id"],
            item.get("name"),
            description=item.get("description"),
            integration=item.get("integration"),
            integration_id=item.get("integrationId"),
        )


class Audiences(Area):
    """Audiences (their members are profiles: see the profile operations)."""

    HANDLERS: ClassVar[Handlers] = {
        "createAudienceV2": Handling(create_audience, NEW_AUDIENCE),
        "updateAudienceV2": Handling(update_audience, UPDATE_AUDIENCE),
        "deleteAudienceV2": Handling(delete_audience),
        "deleteAudienceMembershipsV2": Handling(delete_memberships),
        "updateAudienceCustomersAttributes": Handling(update_members_attributes, "object"),
    }
    SEEDS: ClassVar[Seeds] = {"audiences": _seed_audiences}

    def add_audience(
        self,
        audience_id: int,
        name: str | None = None,
        *,
        description: str | None = None,
        integration: str | None = None,
        integration_id: str | None = None,
    ) -> JsonObject:
        """Create (or replace) an audience profiles can join; returns its stored dict
        (Audience). ``integration`` and ``integration_id`` mirror an audience of another
        platform, as ``createAudienceV2`` does."""
        with self.lock:
            audience = _new_audience(
                self,
                audience_id,
                name or f"Audience {audience_id}",
                utc_now(),
                description=description,
                integration=integration,
                integrationId=integration_id,
                createdIn3rdParty=True if integration_id else None,
            )
            _rename_memberships(self, audience)
            return audience
