"""Customer sessions: updateCustomerSessionV2 and the legacy updateCustomerSession.

A session goes open -> closed -> cancelled or open -> cancelled; repeating the state of
a closed or cancelled session changes nothing. Closing commits the effects (coupons
redeemed, points credited, the sale counted on the profile); cancelling a closed
session undoes them and answers with rollback effects. A dry run evaluates the payload
alone and stores nothing.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import ClassVar

from .._area import Area, Routes
from .._engine import Outcome, apply, evaluate, new_event, rollback_of, state_v1, state_v2
from .._http import Call, route
from .._schema import ADDITIONAL_COSTS, CART_ITEM, STRINGS, Arr, OneOf, obj
from .._state import State, new_session_for, profile_for, store_profile
from .._wire import (
    Answer,
    ApiError,
    JsonObject,
    error_item,
    parse_timestamp,
    session_totals,
    timestamp,
    utc_now,
)

SESSION_STATES = ("open", "closed", "partially_returned", "cancelled")
SESSION_CONTENT = (
    "customerSession",
    "customerProfile",
    "coupons",
    "triggeredCampaigns",
    "referral",
    "loyalty",
    "event",
    "awardedGiveaways",
    "ruleFailureReasons",
    "previousReturns",
    "campaignEligibility",
)
NEW_CUSTOMER_SESSION_V2 = obj(
    profileId="string",
    storeIntegrationId="string",
    evaluableCampaignIds=Arr("integer"),
    couponCodes=Arr("string", max_items=100),
    referralCode="string",
    loyaltyCards=STRINGS,
    state=OneOf(SESSION_STATES),
    cartItems=Arr(CART_ITEM),
    experimentVariantAllocations=Arr("object"),
    additionalCosts=ADDITIONAL_COSTS,
    identifiers=STRINGS,
    attributes="object",
)
INTEGRATION_REQUEST = obj(
    ("customerSession",),
    customerSession=NEW_CUSTOMER_SESSION_V2,
    responseContent=Arr(OneOf(SESSION_CONTENT)),
)
NEW_CUSTOMER_SESSION = obj(
    profileId="string",
    coupon="string",
    referral="string",
    state=OneOf(SESSION_STATES),
    cartItems=Arr(CART_ITEM),
    identifiers=STRINGS,
    total="number",
    attributes="object",
)

_TRANSITIONS = {
    ("open", "closed"),
    ("open", "cancelled"),
    ("closed", "cancelled"),
    ("partially_returned", "cancelled"),
}


def _check_transition(current: str | None, target: str) -> None:
    if current is None:
        allowed = target in ("open", "closed")
        reason = f"a new session must be open or closed, not {target}"
    else:
        allowed = current == target or (current, target) in _TRANSITIONS
        reason = f"a session cannot go from {current} to {target}"
    if not allowed:
        raise ApiError(
            400,
            "Invalid session state transition",
            [error_item("Invalid state", reason, pointer="/customerSession/state")],
        )


def _update_session(
    state: State, session_id: str, changes: JsonObject, *, dry: bool, now: datetime
) -> Outcome:
    """Create or update a session (v2 wire names) following the state machine."""
    # A dry run evaluates the payload alone, as if it were the whole session.
    stored = None if dry else state.sessions.get(session_id)
    current = stored["state"] if stored else None
    target = changes.get("state") or current or "open"
    _check_transition(current, target)
    if stored is not None and current == target and current != "open":
        # Repeating the state of a finished session changes nothing.
        outcome = Outcome(stored, state.profiles.get(stored["profileId"]))
    elif stored is not None and target == "cancelled":
        outcome = _cancel_session(state, stored, dry=dry, now=now)
    else:
        outcome = _evaluate_session(state, session_id, stored, changes, target, dry=dry, now=now)
    session = outcome.session
    assert session is not None
    outcome.event = new_event(
        state,
        "talon_session_updated",
        session_id=session_id,
        profile_id=session["profileId"],
        effects=outcome.effects,
        now=now,
    )
    return outcome


def _cancel_session(state: State, stored: JsonObject, *, dry: bool, now: datetime) -> Outcome:
    session = copy.deepcopy(stored)
    session["state"] = "cancelled"
    session["updateCount"] += 1
    session["updated"] = timestamp(now)
    stored_profile = state.profiles.get(session["profileId"])
    profile = copy.deepcopy(stored_profile) if stored_profile else None
    outcome = Outcome(session, profile)
    committed = state._committed.get(session["integrationId"], [])
    for effect in committed:
        rollback = rollback_of(effect)
        if rollback is not None:
            outcome.effects.append(rollback)
    if not dry:
        if stored["state"] != "open":
            apply(
                state,
                committed,
                profile,
                -1,
                coupons=True,
                session_id=session["integrationId"],
                now=now,
            )
            if profile is not None:
                profile["closedSessions"] -= 1
                profile["totalSales"] = round(profile["totalSales"] - session["total"], 2)
        state._committed.pop(session["integrationId"], None)
        state.sessions[session["integrationId"]] = session
        if profile is not None:
            store_profile(state, profile, now)
    return outcome


def _evaluate_session(
    state: State,
    session_id: str,
    stored: JsonObject | None,
    changes: JsonObject,
    target: str,
    *,
    dry: bool,
    now: datetime,
) -> Outcome:
    session = copy.deepcopy(stored) if stored else new_session_for(state, session_id, now)
    for key, value in changes.items():
        if key == "attributes" and value is not None:
            session["attributes"].update(value)
        elif value is not None and key != "total":
            session[key] = copy.deepcopy(value)
    if stored is None and session["profileId"]:
        session["firstSession"] = all(
            other["profileId"] != session["profileId"] for other in state.sessions.values()
        )
    session["state"] = target
    session["updateCount"] += 1
    session["updated"] = timestamp(now)
    session_totals(session)
    if changes.get("total") is not None:  # the legacy endpoint takes the total as given
        session["total"] = changes["total"]
    profile = profile_for(state, session["profileId"], now) if session["profileId"] else None
    outcome = Outcome(session, profile)
    evaluate(state, outcome, now, campaign_ids=session.get("evaluableCampaignIds"))
    if dry:
        return outcome
    if target == "closed":
        apply(state, outcome.effects, profile, 1, coupons=True, session_id=session_id, now=now)
        state._committed[session_id] = copy.deepcopy(outcome.effects)
        if profile is not None:
            profile["closedSessions"] += 1
            profile["totalSales"] = round(profile["totalSales"] + session["total"], 2)
    state.sessions[session_id] = session
    if profile is not None:
        store_profile(state, profile, now)
    return outcome


def _moment(call: Call, dry: bool, now: datetime) -> datetime:
    """The ``now`` query parameter: a future moment to evaluate a dry run at."""
    if "now" not in call.query:
        return now
    if not dry:
        raise ApiError(
            400,
            "Invalid query parameter",
            [error_item("Invalid parameter", "now needs dry=true", parameter="now")],
        )
    try:
        when = parse_timestamp(call.query["now"])
    except ValueError:
        when = now
    if when <= now:
        raise ApiError(
            400,
            "Invalid query parameter",
            [
                error_item(
                    "Invalid parameter",
                    "now must be an RFC 3339 timestamp in the future",
                    parameter="now",
                )
            ],
        )
    return when


def update_session_v2(state: State, call: Call) -> Answer:
    """PUT /v2/customer_sessions/{customerSessionId} (updateCustomerSessionV2)."""
    dry = call.flag("dry")
    now = _moment(call, dry, utc_now())
    changes = {
        key: value
        for key, value in call.body["customerSession"].items()
        if key in NEW_CUSTOMER_SESSION_V2.fields
    }
    outcome = _update_session(state, call.params["customerSessionId"], changes, dry=dry, now=now)
    content = set(call.body.get("responseContent") or ())
    return Answer(200, state_v2(state, outcome, content))


def update_session(state: State, call: Call) -> Answer:
    """PUT /v1/customer_sessions/{customerSessionId} (updateCustomerSession, legacy)."""
    body: JsonObject = call.body
    changes: JsonObject = {
        key: body[key]
        for key in ("profileId", "state", "cartItems", "identifiers", "attributes", "total")
        if key in body
    }
    if "coupon" in body:
        changes["couponCodes"] = [body["coupon"]] if body["coupon"] else []
    if "referral" in body:
        changes["referralCode"] = body["referral"]
    outcome = _update_session(
        state, call.params["customerSessionId"], changes, dry=call.flag("dry"), now=utc_now()
    )
    assert outcome.session is not None
    return Answer(200, state_v1(state, outcome, outcome.session))


class Sessions(Area):
    """Customer sessions (no seeding of their own: sessions come from requests)."""

    ROUTES: ClassVar[Routes] = (
        route(
            "PUT",
            "/v1/customer_sessions/{customerSessionId}",
            update_session,
            NEW_CUSTOMER_SESSION,
            exclusive="customerSessionId",
        ),
        route(
            "PUT",
            "/v2/customer_sessions/{customerSessionId}",
            update_session_v2,
            INTEGRATION_REQUEST,
            exclusive="customerSessionId",
        ),
    )
