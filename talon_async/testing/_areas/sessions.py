"""Customer sessions: updateCustomerSessionV2, the legacy updateCustomerSession,
getCustomerSession, reopenCustomerSession and returnCartItems.

A session goes open -> closed -> cancelled or open -> cancelled by updates, closed ->
partially_returned by returns (further returns keep it there), partially_returned ->
cancelled by an update and closed -> open by a reopen; repeating the state of a finished
session changes nothing. Closing commits the effects (coupons redeemed, points credited,
the sale counted on the profile); cancelling or reopening undoes what is still committed
and answers with rollback effects; a return takes back the returned items' share. A dry
run evaluates the payload alone and stores nothing.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import ClassVar

from .._area import Area, Handlers
from .._engine import (
    RETURNABLE,
    Outcome,
    apply,
    evaluate,
    grant_key,
    new_event,
    remaining_quantity,
    returned_share,
    rollback_of,
    state_v1,
    state_v2,
)
from .._http import HandlerCall, Handling
from .._schema import (
    ADDITIONAL_COSTS,
    CART_ITEM,
    INTEGRATION_ID,
    LOYALTY_CARDS,
    NON_EMPTY,
    STORE_INTEGRATION_ID,
    STRINGS,
    Arr,
    OneOf,
    Text,
    obj,
)
from .._state import FakeState, new_id, new_session_for, profile_for, store_profile
from .._wire import (
    Answer,
    ApiError,
    JsonObject,
    error_item,
    not_found,
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
    profileId=INTEGRATION_ID,
    storeIntegrationId=STORE_INTEGRATION_ID,
    evaluableCampaignIds=Arr("integer"),
    couponCodes=Arr(Text(max_length=100)),
    referralCode=Text(max_length=100),
    loyaltyCards=LOYALTY_CARDS,
    state=OneOf(SESSION_STATES),
    cartItems=Arr(CART_ITEM),
    experimentVariantAllocations=Arr(
        obj(("experimentID", "variantID"), experimentID="integer", variantID="integer")
    ),
    additionalCosts=ADDITIONAL_COSTS,
    identifiers=Arr("string", max_items=5),
    attributes="object",
)
INTEGRATION_REQUEST = obj(
    ("customerSession",),
    customerSession=NEW_CUSTOMER_SESSION_V2,
    responseContent=Arr(OneOf(SESSION_CONTENT)),
)
RETURN_CONTENT = (
    "customerSession",
    "customerProfile",
    "coupons",
    "triggeredCampaigns",
    "referral",
    "loyalty",
    "event",
    "previousReturns",
)
RETURN_INTEGRATION_REQUEST = obj(
    ("return",),
    responseContent=Arr(OneOf(RETURN_CONTENT)),
    **{
        "return": obj(
            ("returnedCartItems",),
            returnedCartItems=Arr(obj(position="integer", quantity="integer", sku=NON_EMPTY)),
        )
    },
)
NEW_CUSTOMER_SESSION = obj(
    profileId=INTEGRATION_ID,
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
    state: FakeState, session_id: str, changes: JsonObject, *, dry: bool, now: datetime
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


def _cancel_session(state: FakeState, stored: JsonObject, *, dry: bool, now: datetime) -> Outcome:
    session = copy.deepcopy(stored)
    session["state"] = "cancelled"
    session["updateCount"] += 1
    session["updated"] = timestamp(now)
    outcome = Outcome(session, _stored_profile(state, session))
    if stored["state"] != "open":
        outcome.effects = _undo_closing(state, stored, outcome.profile, dry=dry, now=now)
    if not dry:
        state._committed.pop(session["integrationId"], None)
        _store(state, outcome, now)
    return outcome


def _stored_profile(state: FakeState, session: JsonObject) -> JsonObject | None:
    """A working copy of the session's profile (None for anonymous sessions)."""
    stored = state.profiles.get(session["profileId"])
    return copy.deepcopy(stored) if stored else None


def _store(state: FakeState, outcome: Outcome, now: datetime) -> None:
    session = outcome.session
    assert session is not None
    state.sessions[session["integrationId"]] = session
    if outcome.profile is not None:
        store_profile(state, outcome.profile, now)


def _undo_closing(
    state: FakeState, stored: JsonObject, profile: JsonObject | None, *, dry: bool, now: datetime
) -> list[JsonObject]:
    """Undo what closing a session committed and returns left (unless ``dry``); the
    rollback effects saying so."""
    committed = state._committed.get(stored["integrationId"], [])
    rollbacks = [rollback for e in committed if (rollback := rollback_of(e)) is not None]
    if not dry:
        session_id = stored["integrationId"]
        apply(state, committed, profile, -1, coupons=True, session_id=session_id, now=now)
        if profile is not None:
            profile["closedSessions"] -= 1
            profile["totalSales"] = round(profile["totalSales"] - _sale(stored), 2)
    return rollbacks


def _sale(session: JsonObject) -> float:
    """What a closed session sold: its total less the items returned (with their costs)."""
    returned = sum(
        (
            (item.get("price") or 0)
            + sum(cost["price"] for cost in (item.get("additionalCosts") or {}).values())
        )
        * (item.get("returnedQuantity") or 0)
        for item in session["cartItems"]
    )
    return float(session["total"] - returned)


def _evaluate_session(
    state: FakeState,
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
        if profile is not None:
            profile["closedSessions"] += 1
            profile["totalSales"] = round(profile["totalSales"] + session["total"], 2)
    state._committed[session_id] = copy.deepcopy(outcome.effects)
    _store(state, outcome, now)
    return outcome


def _evaluation_time(call: HandlerCall, dry: bool, now: datetime) -> datetime:
    """When a session update is evaluated: now, or the future moment a dry run gives as
    its ``now`` query parameter."""
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


def update_session_v2(state: FakeState, call: HandlerCall) -> Answer:
    """PUT /v2/customer_sessions/{customerSessionId} (updateCustomerSessionV2)."""
    dry = call.flag("dry")
    now = _evaluation_time(call, dry, utc_now())
    changes = {
        key: value
        for key, value in call.body["customerSession"].items()
        if key in NEW_CUSTOMER_SESSION_V2.fields
    }
    outcome = _update_session(state, call.params["customerSessionId"], changes, dry=dry, now=now)
    content = set(call.body.get("responseContent") or ())
    return Answer(200, state_v2(state, outcome, content))


def update_session(state: FakeState, call: HandlerCall) -> Answer:
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


def _stored_session(state: FakeState, call: HandlerCall) -> JsonObject:
    session_id = call.params["customerSessionId"]
    stored = state.sessions.get(session_id)
    if stored is None:
        raise not_found("Customer session", session_id, "customerSessionId")
    return stored


def _refused(message: str, reason: str, pointer: str | None = None) -> ApiError:
    """A 400 about the session named in the path, or about a member of the body."""
    where = {"pointer": pointer} if pointer else {"parameter": "customerSessionId"}
    return ApiError(400, message, [error_item(message, reason, **where)])


def get_session(state: FakeState, call: HandlerCall) -> Answer:
    """GET /v2/customer_sessions/{customerSessionId} (getCustomerSession)."""
    stored = _stored_session(state, call)
    effects = state._committed.get(stored["integrationId"], [])
    return Answer(200, {"customerSession": stored, "effects": effects})


def reopen_session(state: FakeState, call: HandlerCall) -> Answer:
    """PUT /v2/customer_sessions/{customerSessionId}/reopen (reopenCustomerSession)."""
    stored = _stored_session(state, call)
    if stored["state"] != "closed":
        raise _refused(
            "Invalid session state transition",
            f"only a closed session can be reopened, not a {stored['state']} one",
        )
    now = utc_now()
    session = copy.deepcopy(stored)
    session["state"] = "open"
    session["updated"] = timestamp(now)
    outcome = Outcome(session, _stored_profile(state, session))
    outcome.effects = _undo_closing(state, stored, outcome.profile, dry=False, now=now)
    state._committed[session["integrationId"]] = []
    _store(state, outcome, now)
    return Answer(200, {"effects": outcome.effects})


def return_cart_items(state: FakeState, call: HandlerCall) -> Answer:
    """POST /v2/customer_sessions/{customerSessionId}/returns (returnCartItems)."""
    dry = call.flag("dry")
    reevaluate = call.flag("runRuleEngine")
    stored = _stored_session(state, call)
    if stored["state"] not in ("closed", "partially_returned"):
        raise _refused(
            "Invalid session state transition",
            f"only the items of a closed session can be returned, not of a {stored['state']} one",
        )
    returned = _returned_units(stored["cartItems"], call.body["return"]["returnedCartItems"])
    outcome = _return_items(state, stored, returned, reevaluate=reevaluate, dry=dry, now=utc_now())
    content = set(call.body.get("responseContent") or ())
    return Answer(200, state_v2(state, outcome, content))


def _returned_units(items: list[JsonObject], lines: list[JsonObject]) -> dict[int, int]:
    """Units returned per cart item position; a 400 naming the first impossible line."""
    if not lines:
        raise _refused("Invalid return", "nothing to return", "/return/returnedCartItems")
    units: dict[int, int] = {}
    for index, line in enumerate(lines):
        where = f"/return/returnedCartItems/{index}"
        position = _returned_position(items, line, units, where)
        left = remaining_quantity(items[position]) - units.get(position, 0)
        if left == 0:
            raise _refused(
                "Invalid return", f"cart item {position} has been returned in full", where
            )
        quantity = line.get("quantity")
        quantity = left if quantity is None else quantity
        if not 1 <= quantity <= left:
            raise _refused(
                "Invalid return",
                f"between 1 and {left} units of cart item {position} can be returned",
                f"{where}/quantity",
            )
        units[position] = units.get(position, 0) + quantity
    return units


def _returned_position(
    items: list[JsonObject], line: JsonObject, units: dict[int, int], where: str
) -> int:
    """The cart item a returned line names by its position, its SKU or both."""
    position: int | None = line.get("position")
    sku: str | None = line.get("sku")
    if position is not None:
        if not 0 <= position < len(items):
            raise _refused(
                "Invalid return",
                f"the session has no cart item at position {position}",
                f"{where}/position",
            )
        if sku is not None and items[position]["sku"] != sku:
            raise _refused(
                "Invalid return",
                f"the SKU of cart item {position} is {items[position]['sku']!r}, not {sku!r}",
                f"{where}/sku",
            )
        return position
    if sku is None:
        raise _refused("Invalid return", "a returned item needs a position or a sku", where)
    matching = [p for p, item in enumerate(items) if item["sku"] == sku]
    if not matching:
        raise _refused("Invalid return", f"no cart item has the SKU {sku!r}", f"{where}/sku")
    # The first cart item of that SKU with units left to return.
    left = [p for p in matching if remaining_quantity(items[p]) > units.get(p, 0)]
    return (left or matching)[0]


def _return_items(
    state: FakeState,
    stored: JsonObject,
    returned: dict[int, int],
    *,
    reevaluate: bool,
    dry: bool,
    now: datetime,
) -> Outcome:
    """Return ``returned`` units of a closed session's items and take back their share."""
    session_id = stored["integrationId"]
    session = copy.deepcopy(stored)
    for position, item in enumerate(session["cartItems"]):
        item["returnedQuantity"] = (item.get("returnedQuantity") or 0) + returned.get(position, 0)
        item["remainingQuantity"] = item["quantity"] - item["returnedQuantity"]
    session["state"] = "partially_returned"
    session["updated"] = timestamp(now)
    outcome = Outcome(session, _stored_profile(state, session))
    committed = state._committed.get(session_id, [])
    targets = _reevaluated(state, outcome, committed, now) if reevaluate else {}
    kept, taken = [], []
    for effect in committed:
        share = _taken_back(effect, stored["cartItems"], returned, targets)
        if not share:
            kept.append(effect)
            continue
        rollback = rollback_of(effect, share)
        assert rollback is not None
        outcome.effects.append(rollback)
        taken.append(_with_value(effect, share))
        left = round(effect["props"]["value"] - share, 2)
        if left > 0:
            kept.append(_with_value(effect, left))
    outcome.event = new_event(
        state,
        "talon_session_partially_returned",
        session_id=session_id,
        profile_id=session["profileId"],
        effects=outcome.effects,
        now=now,
    )
    outcome.returned = _new_return(state, session, outcome, returned, now)
    if not dry:
        apply(state, taken, outcome.profile, -1, coupons=False, session_id=session_id, now=now)
        if outcome.profile is not None:
            sold = _sale(stored) - _sale(session)
            outcome.profile["totalSales"] = round(outcome.profile["totalSales"] - sold, 2)
        state._committed[session_id] = kept
        state.returns.append(outcome.returned)
        _store(state, outcome, now)
    return outcome


Targets = dict[int, dict[tuple[object, ...], float]]
"""What the re-evaluated campaigns grant after a return, by campaign ID and grant_key."""


def _taken_back(
    effect: JsonObject, items: list[JsonObject], returned: dict[int, int], targets: Targets
) -> float:
    """How much of a committed effect's value a return takes back: the returned share, or
    for a re-evaluated campaign all it granted beyond what it grants now."""
    share = returned_share(effect, items, returned)
    granted_now = targets.get(effect["campaignId"])
    if share is None or granted_now is None:
        return share or 0.0
    value: float = effect["props"]["value"]
    return round(max(value - granted_now.get(grant_key(effect), 0.0), 0.0), 2)


def _with_value(effect: JsonObject, value: float) -> JsonObject:
    return {**effect, "props": {**effect["props"], "value": value}}


def _reevaluated(
    state: FakeState, outcome: Outcome, committed: list[JsonObject], now: datetime
) -> Targets:
    """runRuleEngine: the values the campaigns set to re-evaluate on return (and which gave
    effects on close) grant on what remains of the cart, per campaign and grant."""
    campaign_ids = sorted(
        {
            effect["campaignId"]
            for effect in committed
            if state.campaigns.get(effect["campaignId"], {}).get("reevaluateOnReturn")
        }
    )
    if not campaign_ids:
        return {}
    assert outcome.session is not None
    remaining = copy.deepcopy(outcome.session)
    for item in remaining["cartItems"]:
        item["quantity"] = item.pop("remainingQuantity")
        del item["returnedQuantity"]
    evaluation = Outcome(remaining, outcome.profile)
    evaluate(state, evaluation, now, campaign_ids=campaign_ids)
    outcome.campaigns, outcome.failures = evaluation.campaigns, evaluation.failures
    targets: Targets = {campaign_id: {} for campaign_id in campaign_ids}
    for effect in evaluation.effects:
        if effect["effectType"] in RETURNABLE:
            targets[effect["campaignId"]][grant_key(effect)] = effect["props"]["value"]
    return targets


def _new_return(
    state: FakeState,
    session: JsonObject,
    outcome: Outcome,
    returned: dict[int, int],
    now: datetime,
) -> JsonObject:
    """The record (Return) of one return of cart items."""
    items = session["cartItems"]
    record: JsonObject = {
        "id": new_id(state, "return"),
        "created": timestamp(now),
        "applicationId": state.application_id,
        "accountId": state.account_id,
        "returnedCartItems": [
            {
                "position": position,
                "quantity": units,
                **({"sku": items[position]["sku"]} if items[position]["sku"] else {}),
            }
            for position, units in sorted(returned.items())
        ],
        "eventId": outcome.event["id"],
        "sessionId": session["id"],
        "sessionIntegrationId": session["integrationId"],
    }
    if outcome.profile is not None:
        record["profileId"] = outcome.profile["id"]
        record["profileIntegrationId"] = outcome.profile["integrationId"]
    return record


class Sessions(Area):
    """Customer sessions (no seeding of their own: sessions come from requests)."""

    HANDLERS: ClassVar[Handlers] = {
        "updateCustomerSessionV2": Handling(update_session_v2, INTEGRATION_REQUEST),
        "getCustomerSession": Handling(get_session),
        "reopenCustomerSession": Handling(reopen_session),
        "returnCartItems": Handling(return_cart_items, RETURN_INTEGRATION_REQUEST),
        "updateCustomerSession": Handling(update_session, NEW_CUSTOMER_SESSION),
    }
