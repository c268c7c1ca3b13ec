"""The rule engine shared by sessions, profiles and events: evaluate, commit, roll back.

An evaluation runs the registered rules on an :class:`Outcome` (the session and profile
as they would be stored) and fills in its effects, triggered campaigns and rule failure
reasons. :func:`apply` writes the lasting consequences of effects (coupon redemptions,
loyalty points, see ``_ledger``; achievement progress) to the state, or undoes them;
:func:`rollback_of` gives the effect that announces such an undo, and
:func:`returned_share` how much of an effect a return of cart items takes back.
:func:`state_v2` and :func:`state_v1` shape the answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import uuid4

from ._ledger import apply_effect, standing
from ._state import (
    FakeState,
    RegisteredRule,
    RuleContext,
    campaign_running,
    change_progress,
    coupon_view,
    new_id,
    store_profile,
)
from ._wire import (
    ApiError,
    JsonObject,
    discounts_of,
    legacy_effect,
    legacy_session,
    new_profile,
    parse_timestamp,
    timestamp,
    utc_now,
)

_EMPTY_PARTS = ("awardedGiveaways", "campaignEligibility")
# Props the fake reads from the effects whose consequences it stores.
_COMMITTED_PROPS = {
    "acceptCoupon": ("value",),
    "addLoyaltyPoints": ("programId", "value"),
    "deductLoyaltyPoints": ("programId", "value"),
    "increaseAchievementProgress": ("achievementId", "achievementName", "delta", "value", "target"),
}
_ROLLBACK_PROPS = (
    "programId",
    "subLedgerId",
    "value",
    "recipientIntegrationId",
    "transactionUUID",
    "cartItemPosition",
    "cartItemSubPosition",
    "cardIdentifier",
)
# Effects whose value a return takes back in part: the prop naming the one cart item they
# were granted on, or None when they were granted on the whole cart.
RETURNABLE = {
    "setDiscount": None,
    "setDiscountPerItem": "position",
    "addLoyaltyPoints": "cartItemPosition",
}
_LOYALTY = ("addLoyaltyPoints", "deductLoyaltyPoints")


@dataclass
class Outcome:
    """The result of evaluating one request: what would be stored and what to answer."""

    session: JsonObject | None
    profile: JsonObject | None
    effects: list[JsonObject] = field(default_factory=list)
    campaigns: list[JsonObject] = field(default_factory=list)
    failures: list[JsonObject] = field(default_factory=list)
    event: JsonObject = field(default_factory=dict)
    returned: JsonObject | None = None
    """The return (Return) a returnCartItems request made."""


def evaluate(
    state: FakeState,
    outcome: Outcome,
    now: datetime,
    *,
    event: JsonObject | None = None,
    campaign_ids: list[int] | None = None,
) -> None:
    """Run the rules (of ``campaign_ids`` only, when given, and of campaigns running at
    ``now``) and fill the outcome's effects, campaigns and failure reasons."""
    session = outcome.session
    context = RuleContext(
        session=session,
        profile=outcome.profile,
        event=event,
        coupon_codes=tuple(session.get("couponCodes") or ()) if session else (),
        fake=state,
        now=now,
    )
    for rule in state._rules:
        if campaign_ids and rule.campaign_id not in campaign_ids:
            continue
        campaign = state.campaigns[rule.campaign_id]
        if not campaign_running(campaign, now):
            continue
        try:
            specs = list(rule.rule(context) or ())
        except Exception as exc:
            raise ApiError(
                500, f"fake rule {rule.name!r} raised {type(exc).__name__}: {exc}"
            ) from exc
        if not specs:
            outcome.failures.append(
                {
                    "campaignID": rule.campaign_id,
                    "campaignName": campaign["name"],
                    "rulesetID": campaign["activeRulesetId"],
                    "ruleIndex": rule.rule_index,
                    "ruleName": rule.name,
                    "details": "the rule returned no effects",
                }
            )
            continue
        if campaign not in outcome.campaigns:
            outcome.campaigns.append(campaign)
        for spec in specs:
            outcome.effects.append(_effect(state, rule, campaign, spec))


def _effect(state: FakeState, rule: RegisteredRule, campaign: JsonObject, spec: Any) -> JsonObject:
    if not (
        isinstance(spec, tuple)
        and len(spec) == 2
        and isinstance(spec[0], str)
        and isinstance(spec[1], Mapping)
    ):
        raise ApiError(
            500, f"fake rule {rule.name!r} returned {spec!r}, not an (effect_type, props) pair"
        )
    effect_type, props = spec
    needed = _COMMITTED_PROPS.get(effect_type, ())
    if any(key not in props for key in needed):
        raise ApiError(
            500,
            f"fake rule {rule.name!r} returned a {effect_type} effect without "
            + " or ".join(needed),
        )
    effect: JsonObject = {
        "campaignId": rule.campaign_id,
        "rulesetId": campaign["activeRulesetId"],
        "ruleIndex": rule.rule_index,
        "ruleName": rule.name,
        "effectType": effect_type,
        "props": dict(props),
    }
    if effect_type in _LOYALTY:  # the ledger and a later rollback find points by their UUID
        effect["props"].setdefault("transactionUUID", str(uuid4()))
    if effect_type == "acceptCoupon" and props["value"] in state.coupons:
        effect["triggeredByCoupon"] = state.coupons[props["value"]]["id"]
    return effect


def apply(
    state: FakeState,
    effects: list[JsonObject],
    profile: JsonObject | None,
    sign: int,
    *,
    coupons: bool,
    session_id: str,
    now: datetime,
) -> None:
    """Write the lasting consequences of effects to the state (``sign=-1`` undoes them).

    Accepted coupons count as redeemed (only when ``coupons``), loyalty points move in
    the ledgers (as transactions of session ``session_id``; undoing an effect of a smaller
    value than it had gives back that much), and achievement progress moves.
    """
    profile_id = profile["integrationId"] if profile else ""
    for effect in effects:
        props = effect["props"]
        kind = effect["effectType"]
        if kind == "acceptCoupon" and coupons and props["value"] in state.coupons:
            state.coupons[props["value"]]["usageCounter"] += sign
            key = (props["value"], profile_id)
            state._redemptions[key] = state._redemptions.get(key, 0) + sign
        elif kind in _LOYALTY:
            apply_effect(state, effect, profile_id, sign, session_id, now)
        elif kind == "increaseAchievementProgress" and profile_id:
            change_progress(state, profile_id, props["achievementId"], sign * props["delta"], now)


def commit_now(state: FakeState, outcome: Outcome, now: datetime) -> None:
    """Persist an event or profile evaluation: loyalty moves at once, no coupon use."""
    session_id = outcome.session["integrationId"] if outcome.session else ""
    apply(state, outcome.effects, outcome.profile, 1, coupons=False, session_id=session_id, now=now)
    if outcome.profile is not None:
        store_profile(state, outcome.profile, now)


def rollback_of(effect: JsonObject, value: float | None = None) -> JsonObject | None:
    """The effect undoing a committed effect (its ``value`` only, when given), or None
    when the fake does not undo such effects."""
    props = dict(effect["props"])
    if value is not None:
        props["value"] = value
    kind = effect["effectType"]
    if kind == "acceptCoupon":
        rollback: JsonObject = {"effectType": "rollbackCoupon", "props": {"value": props["value"]}}
    elif kind in ("setDiscount", "setDiscountPerItem"):
        rollback = {
            "effectType": "rollbackDiscount",
            "props": {"name": props["name"], "value": props["value"]},
        }
        if "position" in props:
            rollback["props"]["cartItemPosition"] = props["position"]
    elif kind in ("addLoyaltyPoints", "deductLoyaltyPoints"):
        added = kind == "addLoyaltyPoints"
        rollback = {
            "effectType": "rollbackAddedLoyaltyPoints"
            if added
            else "rollbackDeductedLoyaltyPoints",
            "props": {key: props[key] for key in _ROLLBACK_PROPS if key in props},
        }
    elif kind == "increaseAchievementProgress":
        rollback = {
            "effectType": "rollbackIncreasedAchievementProgress",
            "props": {
                "achievementId": props["achievementId"],
                "achievementName": props["achievementName"],
                "progressTrackerId": props.get("progressTrackerId", 0),
                "decreaseProgressBy": props["delta"],
                "currentProgress": round(props["value"] - props["delta"], 2),
                "target": props["target"],
            },
        }
    else:
        return None
    for key in ("campaignId", "rulesetId", "ruleIndex", "ruleName"):
        rollback[key] = effect[key]
    return rollback


def returned_share(
    effect: JsonObject, items: list[JsonObject], returned: Mapping[int, int]
) -> float | None:
    """How much of a committed effect's value a return takes back, or None for effects
    that returns leave alone (coupons, deducted points, ...).

    ``items`` are the session's cart items before the return, ``returned`` the units
    returned per cart item position. An effect on one item gives back the returned share
    of that item's remaining units; an effect on the whole cart the returned share of the
    cart's remaining value. Returning what remains takes back all that remains.
    """
    kind = effect["effectType"]
    if kind not in RETURNABLE:
        return None
    value: float = effect["props"]["value"]
    position_prop = RETURNABLE[kind]
    if position_prop is not None and position_prop in effect["props"]:
        position = int(effect["props"][position_prop])
        left = remaining_quantity(items[position]) if position < len(items) else 0
        part, whole = float(returned.get(position, 0)), float(left)
    else:
        part = sum((items[p].get("price") or 0) * units for p, units in returned.items())
        whole = sum((item.get("price") or 0) * remaining_quantity(item) for item in items)
    if part >= whole:
        return value if part else 0.0
    return round(value * part / whole, 2)


def grant_key(effect: JsonObject) -> tuple[Any, ...]:
    """What identifies a grant across evaluations: rule, effect type, name, program, item."""
    props = effect["props"]
    position_prop = RETURNABLE.get(effect["effectType"])
    return (
        effect["campaignId"],
        effect["ruleIndex"],
        effect["effectType"],
        props.get("name"),
        props.get("programId"),
        props.get(position_prop) if position_prop else None,
    )


def remaining_quantity(item: JsonObject) -> int:
    """The units of a cart item not returned yet."""
    returned: int = item.get("returnedQuantity") or 0
    return int(item["quantity"]) - returned


def new_event(
    state: FakeState,
    event_type: str,
    *,
    session_id: str | None,
    profile_id: str,
    effects: list[JsonObject],
    now: datetime,
    attributes: JsonObject | None = None,
    store_integration_id: str | None = None,
) -> JsonObject:
    """The event (Event) an evaluation records, with its effects in the compact form."""
    built: JsonObject = {
        "id": new_id(state, "event"),
        "created": timestamp(now),
        "applicationId": state.application_id,
        "profileId": profile_id,
        "type": event_type,
        "attributes": attributes or {},
        "effects": [legacy_effect(effect) for effect in effects],
        "ledgerEntries": [],
    }
    if session_id is not None:
        built["sessionId"] = session_id
    if store_integration_id:
        built["storeIntegrationId"] = store_integration_id
    return built


def state_v2(state: FakeState, outcome: Outcome, content: set[str]) -> JsonObject:
    """An IntegrationStateV2 with the parts ``content`` (responseContent) asks for."""
    profile = outcome.profile
    profile_id = profile["integrationId"] if profile else ""
    answer: JsonObject = {
        "effects": outcome.effects,
        "createdCoupons": [],
        "createdReferrals": [],
    }
    if "customerSession" in content and outcome.session is not None:
        answer["customerSession"] = outcome.session
    if "customerProfile" in content and profile is not None:
        answer["customerProfile"] = profile
    if "triggeredCampaigns" in content:
        answer["triggeredCampaigns"] = outcome.campaigns
    if "ruleFailureReasons" in content:
        answer["ruleFailureReasons"] = outcome.failures
    if "loyalty" in content:
        answer["loyalty"] = standing(state, profile_id, utc_now())
    if "event" in content:
        answer["event"] = outcome.event
    if "advancedEvent" in content:
        answer["advancedEvent"] = outcome.event
    session = outcome.session or {}
    if outcome.returned is not None:
        answer["return"] = outcome.returned
    if "previousReturns" in content:
        answer["previousReturns"] = [
            earlier
            for earlier in state.returns
            if earlier["sessionId"] == session.get("id") and earlier is not outcome.returned
        ]
    if "coupons" in content:
        codes = session.get("couponCodes") or []
        answer["coupons"] = [
            coupon_view(state, state.coupons[code], profile_id)
            for code in codes
            if code in state.coupons
        ]
    referral = state.referrals.get(session.get("referralCode") or "")
    if "referral" in content and referral is not None:
        answer["referral"] = {**referral, "referredCustomers": []}
    for part in _EMPTY_PARTS:
        if part in content:
            answer[part] = []
    return answer


def state_v1(state: FakeState, outcome: Outcome, session: JsonObject) -> JsonObject:
    """A legacy IntegrationState: session, profile and event, plus loyalty and coupon."""
    profile = outcome.profile or new_profile(
        0, "", state.account_id, parse_timestamp(session["created"])
    )
    answer: JsonObject = {
        "session": legacy_session(session, discounts_of(outcome.effects)),
        "profile": profile,
        "event": outcome.event,
    }
    loyalty = standing(state, profile["integrationId"], utc_now())
    if loyalty["programs"] or "cards" in loyalty:  # the legacy state has it only then
        answer["loyalty"] = loyalty
    codes = session.get("couponCodes") or []
    if codes and codes[0] in state.coupons:
        answer["coupon"] = state.coupons[codes[0]]
    return answer
