"""Events: trackEventV2, trackEventV3 (advanced events), getEventV3 and the legacy trackEvent.

Each tracked event is evaluated by the rules (they see its body as ``context.event``),
points move at once and the event is kept in ``fake.events``. A dry run stores nothing;
``silent`` (the API's default) answers 204 without a body. The legacy trackEvent also
creates its session (empty) if it does not exist yet; an advanced event may name a
closed session (``connectedSessionId``), which the rules then see as ``context.session``.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import ClassVar

from .._area import Area, Handlers
from .._engine import Outcome, commit_now, evaluate, new_event, state_v1, state_v2
from .._http import HandlerCall, Handling
from .._schema import (
    INTEGRATION_ID,
    LOYALTY_CARDS,
    NON_EMPTY,
    STORE_INTEGRATION_ID,
    Arr,
    OneOf,
    Schema,
    Text,
    obj,
)
from .._state import FakeState, new_session_for, profile_for
from .._wire import (
    Answer,
    ApiError,
    JsonObject,
    error_item,
    not_found,
    session_totals,
    utc_now,
)

NEW_EVENT = obj(
    ("type", "attributes", "sessionId"),
    profileId=INTEGRATION_ID,
    storeIntegrationId=Text(max_length=1000),
    type=NON_EMPTY,
    attributes="object",
    sessionId=INTEGRATION_ID,
)
EVENT_V2_CONTENT = (
    "customerProfile",
    "triggeredCampaigns",
    "loyalty",
    "event",
    "awardedGiveaways",
    "ruleFailureReasons",
    "campaignEligibility",
)
EVENT_V3_CONTENT = (
    "customerProfile",
    "triggeredCampaigns",
    "loyalty",
    "advancedEvent",
    "awardedGiveaways",
    "ruleFailureReasons",
)
_EVENT_FIELDS: dict[str, Schema] = {
    "profileId": INTEGRATION_ID,
    "storeIntegrationId": STORE_INTEGRATION_ID,
    "evaluableCampaignIds": Arr("integer"),
    "type": NON_EMPTY,
    "attributes": "object",
    "loyaltyCards": LOYALTY_CARDS,
}
# The API documents profileId as required although the schema leaves it optional.
INTEGRATION_EVENT_V2_REQUEST = obj(
    ("type", "profileId"), **_EVENT_FIELDS, responseContent=Arr(OneOf(EVENT_V2_CONTENT))
)
INTEGRATION_EVENT_V3_REQUEST = obj(
    ("type", "profileId", "integrationId"),
    **_EVENT_FIELDS,
    integrationId=NON_EMPTY,
    connectedSessionId=NON_EMPTY,
    responseContent=Arr(OneOf(EVENT_V3_CONTENT)),
)
_CONNECTABLE = ("closed", "partially_returned")


def track_event(state: FakeState, call: HandlerCall) -> Answer:
    """POST /v1/events (trackEvent, legacy): evaluate rules for a custom event."""
    body: JsonObject = call.body
    dry = call.flag("dry")
    now = utc_now()
    session_id = body["sessionId"]
    stored = state.sessions.get(session_id)
    session = copy.deepcopy(stored) if stored else new_session_for(state, session_id, now)
    profile_id = body.get("profileId") or session["profileId"]
    if stored is None:
        session["profileId"] = profile_id
        session["updateCount"] = 1
        session_totals(session)
    profile = profile_for(state, profile_id, now) if profile_id else None
    outcome = Outcome(session, profile)
    evaluate(state, outcome, now, event=body)
    outcome.event = new_event(
        state,
        body["type"],
        session_id=session_id,
        profile_id=profile_id,
        effects=outcome.effects,
        now=now,
        attributes=body["attributes"],
        store_integration_id=body.get("storeIntegrationId"),
    )
    if not dry:
        commit_now(state, outcome, now)
        state.events.append(outcome.event)
        state.sessions.setdefault(session_id, session)
    return Answer(201, state_v1(state, outcome, session))


def _tracking(call: HandlerCall) -> tuple[bool, bool]:
    """The ``silent`` and ``dry`` options of the v2 and v3 tracking calls."""
    silent = call.yes_no("silent", "yes")
    dry = call.flag("dry")
    if call.flag("forceCompleteEvaluation") and not dry:
        raise ApiError(
            400,
            "Invalid query parameter",
            [
                error_item(
                    "Invalid parameter",
                    "forceCompleteEvaluation needs dry=true",
                    parameter="forceCompleteEvaluation",
                )
            ],
        )
    return silent, dry


def _track(
    state: FakeState, body: JsonObject, session: JsonObject | None, now: datetime
) -> Outcome:
    """Run the rules for a tracked event (v2, v3) of the body's profile; record the event."""
    profile_id = body["profileId"]
    outcome = Outcome(session, profile_for(state, profile_id, now) if profile_id else None)
    evaluate(state, outcome, now, event=body, campaign_ids=body.get("evaluableCampaignIds"))
    outcome.event = new_event(
        state,
        body["type"],
        session_id=None,
        profile_id=profile_id,
        effects=outcome.effects,
        now=now,
        attributes=body.get("attributes"),
        store_integration_id=body.get("storeIntegrationId"),
    )
    return outcome


def _commit(state: FakeState, outcome: Outcome, now: datetime, *, dry: bool) -> None:
    if not dry:
        commit_now(state, outcome, now)
        state.events.append(outcome.event)


def _answer(state: FakeState, outcome: Outcome, body: JsonObject, silent: bool) -> Answer:
    if silent:
        return Answer(204)
    return Answer(200, state_v2(state, outcome, set(body.get("responseContent") or ())))


def track_event_v2(state: FakeState, call: HandlerCall) -> Answer:
    """POST /v2/events (trackEventV2): evaluate rules for a custom event."""
    silent, dry = _tracking(call)
    now = utc_now()
    outcome = _track(state, call.body, None, now)
    _commit(state, outcome, now, dry=dry)
    return _answer(state, outcome, call.body, silent)


def track_event_v3(state: FakeState, call: HandlerCall) -> Answer:
    """POST /v3/events (trackEventV3): evaluate rules for an advanced event, once per ID."""
    silent, dry = _tracking(call)
    body: JsonObject = call.body
    if _advanced_event(state, body["integrationId"]) is not None:
        raise ApiError(
            409,
            "Advanced event already exists",
            [
                error_item(
                    "Duplicate event",
                    f"an advanced event {body['integrationId']!r} was tracked before",
                    pointer="/integrationId",
                )
            ],
        )
    connected = body.get("connectedSessionId")
    session = state.sessions.get(connected) if connected else None
    if connected and (session is None or session["state"] not in _CONNECTABLE):
        raise ApiError(
            400,
            "Invalid request body",
            [
                error_item(
                    "Invalid connected session",
                    f"no closed session {connected!r}",
                    pointer="/connectedSessionId",
                )
            ],
        )
    now = utc_now()
    outcome = _track(state, body, copy.deepcopy(session), now)
    # An advanced event (EventV3) has its own ID and no ledger entries.
    outcome.event = {key: value for key, value in outcome.event.items() if key != "ledgerEntries"}
    outcome.event["integrationId"] = body["integrationId"]
    if connected:
        outcome.event["connectedSessionId"] = connected
    _commit(state, outcome, now, dry=dry)
    return _answer(state, outcome, body, silent)


def _advanced_event(state: FakeState, integration_id: str) -> JsonObject | None:
    return next((e for e in state.events if e.get("integrationId") == integration_id), None)


def get_event_v3(state: FakeState, call: HandlerCall) -> Answer:
    """GET /v3/events/{integrationId} (getEventV3): an advanced event read back."""
    event = _advanced_event(state, call.params["integrationId"])
    if event is None:
        raise not_found("Advanced event", call.params["integrationId"], "integrationId")
    return Answer(200, event)


class Events(Area):
    """Events (their log is ``fake.events``)."""

    HANDLERS: ClassVar[Handlers] = {
        "trackEventV2": Handling(track_event_v2, INTEGRATION_EVENT_V2_REQUEST),
        "trackEventV3": Handling(track_event_v3, INTEGRATION_EVENT_V3_REQUEST),
        "getEventV3": Handling(get_event_v3),
        "trackEvent": Handling(track_event, NEW_EVENT),
    }
