"""Events: the legacy trackEvent, which evaluates the rules for a custom event.

Points move at once; the event is kept in ``fake.events`` and its session is created
(empty) if it does not exist yet. A dry run stores nothing.
"""

from __future__ import annotations

import copy
from typing import ClassVar

from .._area import Area, Routes
from .._engine import Outcome, commit_now, evaluate, new_event, state_v1
from .._http import Call, route
from .._schema import obj
from .._state import State, new_session_for, profile_for
from .._wire import Answer, JsonObject, session_totals, utc_now

NEW_EVENT = obj(
    ("type", "attributes", "sessionId"),
    profileId="string",
    storeIntegrationId="string",
    type="string",
    attributes="object",
    sessionId="string",
)


def track_event(state: State, call: Call) -> Answer:
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


class Events(Area):
    """Events (their log is ``fake.events``)."""

    ROUTES: ClassVar[Routes] = (route("POST", "/v1/events", track_event, NEW_EVENT),)
