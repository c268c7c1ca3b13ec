"""The 15 Integration API operations of the fake, on its in-memory state.

Each handler gets the already authenticated and validated call and returns an
:class:`Answer`, or raises :class:`ApiError`. Handlers are synchronous: an operation
never interleaves with another one. Changes are prepared on copies and written to the
fake's state only at the end (and never in a dry run), so a failed or dry request leaves
no trace.
"""

from __future__ import annotations

import copy
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from . import _schema as schemas
from ._rules import RegisteredRule, RuleContext
from ._schema import Schema
from ._wire import (
    Answer,
    ApiError,
    JsonObject,
    discounts_of,
    error_item,
    legacy_effect,
    legacy_session,
    loyalty,
    new_profile,
    parse_timestamp,
    session_totals,
    timestamp,
    utc_now,
)

if TYPE_CHECKING:
    from ._server import FakeTalon

_TRANSITIONS = {
    ("open", "closed"),
    ("open", "cancelled"),
    ("closed", "cancelled"),
    ("partially_returned", "cancelled"),
}
_REFERRAL_CHARACTERS = tuple(string.ascii_uppercase + string.digits)
_EMPTY_PARTS = ("awardedGiveaways", "campaignEligibility", "previousReturns")
# Props the fake reads from the effects whose consequences it stores.
_COMMITTED_PROPS = {
    "acceptCoupon": ("value",),
    "addLoyaltyPoints": ("programId", "value"),
    "deductLoyaltyPoints": ("programId", "value"),
}


@dataclass(frozen=True)
class Call:
    """One authenticated request: path parameters, query and the validated JSON body."""

    params: Mapping[str, str]
    query: Mapping[str, str]
    body: Any


@dataclass
class _Outcome:
    """The result of evaluating one request: what would be stored and what to answer."""

    session: JsonObject | None
    profile: JsonObject | None
    effects: list[JsonObject] = field(default_factory=list)
    campaigns: list[JsonObject] = field(default_factory=list)
    failures: list[JsonObject] = field(default_factory=list)
    event: JsonObject = field(default_factory=dict)


class Operations:
    """The operation handlers, bound to one fake."""

    def __init__(self, fake: FakeTalon) -> None:
        self.fake = fake

    # -- query parameters ---------------------------------------------------------------

    @staticmethod
    def _flag(call: Call, name: str) -> bool:
        value = call.query.get(name, "false")
        if value not in ("true", "false"):
            raise ApiError(
                400,
                "Invalid query parameter",
                [error_item("Invalid parameter", f"{name} must be true or false", parameter=name)],
            )
        return value == "true"

    @staticmethod
    def _silent(call: Call) -> bool:
        value = call.query.get("silent", "yes")
        if value not in ("yes", "no"):
            raise ApiError(
                400,
                "Invalid query parameter",
                [error_item("Invalid parameter", "silent must be yes or no", parameter="silent")],
            )
        return value == "yes"

    # -- shared building blocks ---------------------------------------------------------

    def _profile_for(self, integration_id: str, now: datetime) -> JsonObject:
        """A working copy of the profile, or a new one (stored only when persisted)."""
        fake = self.fake
        stored = fake.profiles.get(integration_id)
        if stored is not None:
            return copy.deepcopy(stored)
        return new_profile(fake._new_id("profile"), integration_id, fake.account_id, now)

    def _store_profile(self, profile: JsonObject, now: datetime) -> None:
        profile["lastActivity"] = timestamp(now)
        self.fake.profiles[profile["integrationId"]] = profile

    def _not_found(self, what: str, value: str, parameter: str) -> ApiError:
        return ApiError(
            404,
            f"{what} not found",
            [error_item(f"{what} not found", f"no {what.lower()} {value!r}", parameter=parameter)],
        )

    def _event(
        self,
        event_type: str,
        *,
        session_id: str,
        profile_id: str,
        effects: list[JsonObject],
        now: datetime,
        attributes: JsonObject | None = None,
        store_integration_id: str | None = None,
    ) -> JsonObject:
        event: JsonObject = {
            "id": self.fake._new_id("event"),
            "created": timestamp(now),
            "applicationId": self.fake.application_id,
            "profileId": profile_id,
            "type": event_type,
            "attributes": attributes or {},
            "sessionId": session_id,
            "effects": [legacy_effect(effect) for effect in effects],
            "ledgerEntries": [],
        }
        if store_integration_id:
            event["storeIntegrationId"] = store_integration_id
        return event

    def _evaluate(
        self,
        outcome: _Outcome,
        now: datetime,
        *,
        event: JsonObject | None = None,
        campaign_ids: list[int] | None = None,
    ) -> None:
        """Run the rules and fill the outcome's effects, campaigns and failure reasons."""
        fake = self.fake
        session = outcome.session
        context = RuleContext(
            session=session,
            profile=outcome.profile,
            event=event,
            coupon_codes=tuple(session.get("couponCodes") or ()) if session else (),
            fake=fake,
            now=now,
        )
        for rule in fake._rules:
            if campaign_ids and rule.campaign_id not in campaign_ids:
                continue
            try:
                specs = list(rule.rule(context) or ())
            except Exception as exc:
                raise ApiError(
                    500, f"fake rule {rule.name!r} raised {type(exc).__name__}: {exc}"
                ) from exc
            campaign = fake.campaigns[rule.campaign_id]
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
                outcome.effects.append(self._effect(rule, campaign, spec))

    def _effect(self, rule: RegisteredRule, campaign: JsonObject, spec: Any) -> JsonObject:
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
        if effect_type == "acceptCoupon" and props["value"] in self.fake.coupons:
            effect["triggeredByCoupon"] = self.fake.coupons[props["value"]]["id"]
        return effect

    def _apply(
        self,
        effects: list[JsonObject],
        profile: JsonObject | None,
        sign: int,
        *,
        coupons: bool,
        now: datetime,
    ) -> None:
        """Write the lasting consequences of effects to the state (``sign=-1`` undoes them).

        Accepted coupons count as redeemed (only when ``coupons``), loyalty points move.
        """
        fake = self.fake
        profile_id = profile["integrationId"] if profile else ""
        for effect in effects:
            props = effect["props"]
            kind = effect["effectType"]
            if kind == "acceptCoupon" and coupons and props["value"] in fake.coupons:
                fake.coupons[props["value"]]["usageCounter"] += sign
                key = (props["value"], profile_id)
                fake._redemptions[key] = fake._redemptions.get(key, 0) + sign
            elif kind in ("addLoyaltyPoints", "deductLoyaltyPoints"):
                recipient = props.get("recipientIntegrationId") or profile_id
                points = props["value"] if kind == "addLoyaltyPoints" else -props["value"]
                balances = fake.loyalty.setdefault(recipient, {})
                program_id = props["programId"]
                balances[program_id] = round(balances.get(program_id, 0.0) + sign * points, 2)
                member = profile if recipient == profile_id else fake.profiles.get(recipient)
                memberships = member.setdefault("loyaltyMemberships", []) if member else []
                if member and all(m["loyaltyProgramId"] != program_id for m in memberships):
                    memberships.append({"loyaltyProgramId": program_id, "joined": timestamp(now)})

    def _coupon_view(self, coupon: JsonObject, profile_id: str) -> JsonObject:
        """A coupon with the profile's redemption count (IntegrationCoupon)."""
        count = self.fake._redemptions.get((coupon["value"], profile_id), 0)
        return {**coupon, "profileRedemptionCount": count}

    def _coupon_state(self, coupon: JsonObject, profile_id: str, now: datetime) -> str:
        used = self.fake._redemptions.get((coupon["value"], profile_id), 0) > 0
        if used or 0 < coupon["usageLimit"] <= coupon["usageCounter"]:
            return "used"
        if coupon.get("expiryDate") and parse_timestamp(coupon["expiryDate"]) <= now:
            return "expired"
        if coupon.get("startDate") and parse_timestamp(coupon["startDate"]) > now:
            return "pending"
        return "active"

    def _state_v2(self, outcome: _Outcome, content: set[str]) -> JsonObject:
        """An IntegrationStateV2 with the parts ``content`` (responseContent) asks for."""
        fake = self.fake
        profile = outcome.profile
        profile_id = profile["integrationId"] if profile else ""
        state: JsonObject = {
            "effects": outcome.effects,
            "createdCoupons": [],
            "createdReferrals": [],
        }
        if "customerSession" in content and outcome.session is not None:
            state["customerSession"] = outcome.session
        if "customerProfile" in content and profile is not None:
            state["customerProfile"] = profile
        if "triggeredCampaigns" in content:
            state["triggeredCampaigns"] = outcome.campaigns
        if "ruleFailureReasons" in content:
            state["ruleFailureReasons"] = outcome.failures
        if "loyalty" in content:
            state["loyalty"] = loyalty(fake.loyalty.get(profile_id, {}))
        if "event" in content:
            state["event"] = outcome.event
        session = outcome.session or {}
        if "coupons" in content:
            codes = session.get("couponCodes") or []
            state["coupons"] = [
                self._coupon_view(fake.coupons[code], profile_id)
                for code in codes
                if code in fake.coupons
            ]
        referral = fake.referrals.get(session.get("referralCode") or "")
        if "referral" in content and referral is not None:
            state["referral"] = {**referral, "referredCustomers": []}
        for part in _EMPTY_PARTS:
            if part in content:
                state[part] = []
        return state

    def _state_v1(self, outcome: _Outcome, session: JsonObject) -> JsonObject:
        """A legacy IntegrationState: session, profile and event, plus loyalty and coupon."""
        fake = self.fake
        profile = outcome.profile or new_profile(
            0, "", fake.account_id, parse_timestamp(session["created"])
        )
        state: JsonObject = {
            "session": legacy_session(session, discounts_of(outcome.effects)),
            "profile": profile,
            "event": outcome.event,
        }
        balances = fake.loyalty.get(profile["integrationId"]) if profile["integrationId"] else None
        if balances:
            state["loyalty"] = loyalty(balances)
        codes = session.get("couponCodes") or []
        if codes and codes[0] in fake.coupons:
            state["coupon"] = fake.coupons[codes[0]]
        return state

    # -- customer sessions ---------------------------------------------------------------

    def _new_session(self, session_id: str, now: datetime) -> JsonObject:
        fake = self.fake
        return {
            "id": fake._new_id("session"),
            "created": timestamp(now),
            "integrationId": session_id,
            "applicationId": fake.application_id,
            "profileId": "",
            "couponCodes": [],
            "referralCode": "",
            "loyaltyCards": [],
            "state": "open",
            "cartItems": [],
            "additionalCosts": {},
            "identifiers": [],
            "attributes": {},
            "firstSession": True,
            "updateCount": 0,
            "updated": timestamp(now),
        }

    @staticmethod
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
        self, session_id: str, changes: JsonObject, *, dry: bool, now: datetime
    ) -> _Outcome:
        """Create or update a session (v2 wire names) following the state machine."""
        fake = self.fake
        # A dry run evaluates the payload alone, as if it were the whole session.
        stored = None if dry else fake.sessions.get(session_id)
        current = stored["state"] if stored else None
        target = changes.get("state") or current or "open"
        self._check_transition(current, target)
        if stored is not None and current == target and current != "open":
            # Repeating the state of a finished session changes nothing.
            outcome = _Outcome(stored, fake.profiles.get(stored["profileId"]))
        elif stored is not None and target == "cancelled":
            outcome = self._cancel_session(stored, dry=dry, now=now)
        else:
            outcome = self._evaluate_session(session_id, stored, changes, target, dry=dry, now=now)
        session = outcome.session
        assert session is not None
        outcome.event = self._event(
            "talon_session_updated",
            session_id=session_id,
            profile_id=session["profileId"],
            effects=outcome.effects,
            now=now,
        )
        return outcome

    def _cancel_session(self, stored: JsonObject, *, dry: bool, now: datetime) -> _Outcome:
        fake = self.fake
        session = copy.deepcopy(stored)
        session["state"] = "cancelled"
        session["updateCount"] += 1
        session["updated"] = timestamp(now)
        stored_profile = fake.profiles.get(session["profileId"])
        profile = copy.deepcopy(stored_profile) if stored_profile else None
        outcome = _Outcome(session, profile)
        committed = fake._committed.get(session["integrationId"], [])
        for effect in committed:
            rollback = _rollback_of(effect)
            if rollback is not None:
                outcome.effects.append(rollback)
        if not dry:
            if stored["state"] != "open":
                self._apply(committed, profile, -1, coupons=True, now=now)
                if profile is not None:
                    profile["closedSessions"] -= 1
                    profile["totalSales"] = round(profile["totalSales"] - session["total"], 2)
            fake._committed.pop(session["integrationId"], None)
            fake.sessions[session["integrationId"]] = session
            if profile is not None:
                self._store_profile(profile, now)
        return outcome

    def _evaluate_session(
        self,
        session_id: str,
        stored: JsonObject | None,
        changes: JsonObject,
        target: str,
        *,
        dry: bool,
        now: datetime,
    ) -> _Outcome:
        fake = self.fake
        session = copy.deepcopy(stored) if stored else self._new_session(session_id, now)
        for key, value in changes.items():
            if key == "attributes" and value is not None:
                session["attributes"].update(value)
            elif value is not None and key != "total":
                session[key] = copy.deepcopy(value)
        if stored is None and session["profileId"]:
            session["firstSession"] = all(
                other["profileId"] != session["profileId"] for other in fake.sessions.values()
            )
        session["state"] = target
        session["updateCount"] += 1
        session["updated"] = timestamp(now)
        session_totals(session)
        if changes.get("total") is not None:  # the legacy endpoint takes the total as given
            session["total"] = changes["total"]
        profile = self._profile_for(session["profileId"], now) if session["profileId"] else None
        outcome = _Outcome(session, profile)
        self._evaluate(outcome, now, campaign_ids=session.get("evaluableCampaignIds"))
        if dry:
            return outcome
        if target == "closed":
            self._apply(outcome.effects, profile, 1, coupons=True, now=now)
            fake._committed[session_id] = copy.deepcopy(outcome.effects)
            if profile is not None:
                profile["closedSessions"] += 1
                profile["totalSales"] = round(profile["totalSales"] + session["total"], 2)
        fake.sessions[session_id] = session
        if profile is not None:
            self._store_profile(profile, now)
        return outcome

    def update_session_v2(self, call: Call) -> Answer:
        """PUT /v2/customer_sessions/{customerSessionId} (updateCustomerSessionV2)."""
        dry = self._flag(call, "dry")
        now = utc_now()
        if "now" in call.query:
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
            now = when
        changes = {
            key: value
            for key, value in call.body["customerSession"].items()
            if key in schemas.NEW_CUSTOMER_SESSION_V2.fields
        }
        outcome = self._update_session(call.params["customerSessionId"], changes, dry=dry, now=now)
        return Answer(200, self._state_v2(outcome, set(call.body.get("responseContent") or ())))

    def update_session(self, call: Call) -> Answer:
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
        outcome = self._update_session(
            call.params["customerSessionId"], changes, dry=self._flag(call, "dry"), now=utc_now()
        )
        assert outcome.session is not None
        return Answer(200, self._state_v1(outcome, outcome.session))

    # -- events --------------------------------------------------------------------------

    def track_event(self, call: Call) -> Answer:
        """POST /v1/events (trackEvent, legacy): evaluate rules for a custom event."""
        fake = self.fake
        body: JsonObject = call.body
        dry = self._flag(call, "dry")
        now = utc_now()
        session_id = body["sessionId"]
        stored = fake.sessions.get(session_id)
        session = copy.deepcopy(stored) if stored else self._new_session(session_id, now)
        profile_id = body.get("profileId") or session["profileId"]
        if stored is None:
            session["profileId"] = profile_id
            session["updateCount"] = 1
            session_totals(session)
        profile = self._profile_for(profile_id, now) if profile_id else None
        outcome = _Outcome(session, profile)
        self._evaluate(outcome, now, event=body)
        outcome.event = self._event(
            body["type"],
            session_id=session_id,
            profile_id=profile_id,
            effects=outcome.effects,
            now=now,
            attributes=body["attributes"],
            store_integration_id=body.get("storeIntegrationId"),
        )
        if not dry:
            self._commit_now(outcome, now)
            fake.events.append(outcome.event)
            fake.sessions.setdefault(session_id, session)
        return Answer(201, self._state_v1(outcome, session))

    def _commit_now(self, outcome: _Outcome, now: datetime) -> None:
        """Persist an event or profile evaluation: loyalty moves at once, no coupon use."""
        self._apply(outcome.effects, outcome.profile, 1, coupons=False, now=now)
        if outcome.profile is not None:
            self._store_profile(outcome.profile, now)

    # -- customer profiles ---------------------------------------------------------------

    def _apply_audience_changes(self, profile: JsonObject, changes: JsonObject) -> None:
        audiences = self.fake.audiences
        for audience_id in [*changes["adds"], *changes["deletes"]]:
            if audience_id not in audiences:
                raise self._not_found("Audience", str(audience_id), "audiencesChanges")
        memberships = [
            m for m in profile["audienceMemberships"] if m["id"] not in changes["deletes"]
        ]
        for audience_id in changes["adds"]:
            if all(m["id"] != audience_id for m in memberships):
                memberships.append(dict(audiences[audience_id]))
        profile["audienceMemberships"] = memberships

    def update_profile_v2(self, call: Call) -> Answer:
        """PUT /v2/customer_profiles/{integrationId} (updateCustomerProfileV2)."""
        body: JsonObject = call.body
        run = self._flag(call, "runRuleEngine")
        dry = self._flag(call, "dry")
        if dry and not run:
            raise ApiError(
                400,
                "Invalid query parameter",
                [error_item("Invalid parameter", "dry needs runRuleEngine=true", parameter="dry")],
            )
        if body.get("responseContent") and not run:
            raise ApiError(
                400,
                "Invalid request body",
                [
                    error_item(
                        "Invalid request body",
                        "responseContent needs runRuleEngine=true",
                        pointer="/responseContent",
                    )
                ],
            )
        outcome = self._update_profile(
            call.params["integrationId"],
            body,
            utc_now(),
            run=run,
            dry=dry,
        )
        content = set(body.get("responseContent") or ()) if run else {"customerProfile"}
        return Answer(200, self._state_v2(outcome, content))

    def _update_profile(
        self, integration_id: str, body: JsonObject, now: datetime, *, run: bool, dry: bool
    ) -> _Outcome:
        """What both profile updates do: attributes and audiences, rules, event, commit."""
        profile = self._profile_for(integration_id, now)
        profile["attributes"].update(body.get("attributes") or {})
        if body.get("audiencesChanges"):
            self._apply_audience_changes(profile, body["audiencesChanges"])
        outcome = _Outcome(None, profile)
        if run:
            self._evaluate(outcome, now, campaign_ids=body.get("evaluableCampaignIds"))
        outcome.event = self._event(
            "talon_profile_updated",
            session_id="",
            profile_id=integration_id,
            effects=outcome.effects,
            now=now,
        )
        if not dry:
            self._commit_now(outcome, now)
        return outcome

    def update_profile(self, call: Call) -> Answer:
        """PUT /v1/customer_profiles/{integrationId} (updateCustomerProfile, legacy)."""
        now = utc_now()
        integration_id = call.params["integrationId"]
        legacy = {"attributes": call.body.get("attributes")}  # v1 knows nothing else
        outcome = self._update_profile(
            integration_id, legacy, now, run=True, dry=self._flag(call, "dry")
        )
        # The legacy state always has a session; a profile update has none of its own.
        session = self._new_session("", now)
        session.update(profileId=integration_id, firstSession=False)
        session_totals(session)
        return Answer(200, self._state_v1(outcome, session))

    def update_profiles_v2(self, call: Call) -> Answer:
        """PUT /v2/customer_profiles (updateCustomerProfilesV2): up to 1000, no rules."""
        silent = self._silent(call)
        now = utc_now()
        states = []
        for item in call.body.get("customerProfiles") or []:
            profile = self._profile_for(item["integrationId"], now)
            profile["attributes"].update(item.get("attributes") or {})
            self._store_profile(profile, now)
            states.append({"customerProfile": profile})
        return Answer(204) if silent else Answer(200, {"integrationStates": states})

    def update_audiences(self, call: Call) -> Answer:
        """POST /v2/customer_audiences (updateCustomerProfileAudiences)."""
        fake = self.fake
        items = call.body.get("data") or []
        for index, item in enumerate(items):
            if item["audienceId"] not in fake.audiences:
                raise ApiError(
                    404,
                    "Audience not found",
                    [
                        error_item(
                            "Audience not found",
                            f"no audience {item['audienceId']}",
                            pointer=f"/data/{index}/audienceId",
                        )
                    ],
                )
        now = utc_now()
        for item in items:
            integration_id = item["profileIntegrationId"]
            if item["action"] == "delete" and integration_id not in fake.profiles:
                continue
            profile = self._profile_for(integration_id, now)
            key = "adds" if item["action"] == "add" else "deletes"
            changes = {"adds": [], "deletes": [], key: [item["audienceId"]]}
            self._apply_audience_changes(profile, changes)
            self._store_profile(profile, now)
        return Answer(204)

    def get_inventory(self, call: Call) -> Answer:
        """GET /v1/customer_profiles/{integrationId}/inventory (getCustomerInventory)."""
        fake = self.fake
        integration_id = call.params["integrationId"]
        parts = {
            name: self._flag(call, name)
            for name in ("profile", "referrals", "coupons", "loyalty", "giveaways", "achievements")
        }
        profile = fake.profiles.get(integration_id)
        if profile is None:
            raise self._not_found("Customer profile", integration_id, "integrationId")
        now = utc_now()
        inventory: JsonObject = {}
        if parts["profile"]:
            inventory["profile"] = profile
        if parts["loyalty"]:
            inventory["loyalty"] = loyalty(fake.loyalty.get(integration_id, {}))
        if parts["referrals"]:
            inventory["referrals"] = [
                {**referral, "referredCustomers": []}
                for referral in fake.referrals.values()
                if referral["advocateProfileIntegrationId"] == integration_id
            ]
        if parts["coupons"]:
            inventory["coupons"] = [
                {
                    **self._coupon_view(coupon, integration_id),
                    "state": self._coupon_state(coupon, integration_id, now),
                }
                for value, coupon in fake.coupons.items()
                if integration_id in fake.reservations.get(value, ())
                or coupon.get("recipientIntegrationId") == integration_id
            ]
        for name in ("giveaways", "achievements"):
            if parts[name]:
                inventory[name] = []
        return Answer(200, inventory)

    # -- customer data -------------------------------------------------------------------

    def delete_customer_data(self, call: Call) -> Answer:
        """DELETE /v1/customer_data/{integrationId}: the profile and what refers to it."""
        fake = self.fake
        integration_id = call.params["integrationId"]
        if fake.profiles.pop(integration_id, None) is None:
            raise self._not_found("Customer profile", integration_id, "integrationId")
        for session_id in [k for k, s in fake.sessions.items() if s["profileId"] == integration_id]:
            del fake.sessions[session_id]
            fake._committed.pop(session_id, None)
        for holders in fake.reservations.values():
            if integration_id in holders:
                holders.remove(integration_id)
        fake.loyalty.pop(integration_id, None)
        fake.events[:] = [e for e in fake.events if e.get("profileId") != integration_id]
        for key in [k for k in fake._redemptions if k[1] == integration_id]:
            del fake._redemptions[key]
        return Answer(204)

    # -- coupon reservations -------------------------------------------------------------

    def _coupon(self, call: Call) -> JsonObject:
        value = call.params["couponValue"]
        coupon = self.fake.coupons.get(value)
        if coupon is None:
            raise self._not_found("Coupon", value, "couponValue")
        return coupon

    def create_reservation(self, call: Call) -> Answer:
        """POST /v1/coupon_reservations/{couponValue} (createCouponReservation)."""
        coupon = self._coupon(call)
        now = utc_now()
        holders = self.fake.reservations.setdefault(coupon["value"], [])
        for integration_id in call.body["integrationIDs"]:
            if integration_id not in self.fake.profiles:
                self._store_profile(self._profile_for(integration_id, now), now)
            if integration_id not in holders:
                holders.append(integration_id)
        coupon["reservationCounter"] = len(holders)
        return Answer(201, coupon)

    def delete_reservation(self, call: Call) -> Answer:
        """DELETE /v1/coupon_reservations/{couponValue} (deleteCouponReservation)."""
        coupon = self._coupon(call)
        removed = set(call.body["integrationIDs"])
        holders = self.fake.reservations.get(coupon["value"], [])
        holders[:] = [holder for holder in holders if holder not in removed]
        coupon["reservationCounter"] = len(holders)
        return Answer(204)

    def reserved_coupons(self, call: Call) -> Answer:
        """GET /v1/coupon_reservations/coupons/{integrationId}: valid reserved coupons."""
        fake = self.fake
        integration_id = call.params["integrationId"]
        now = utc_now()
        coupons = [
            coupon
            for value, coupon in fake.coupons.items()
            if integration_id in fake.reservations.get(value, ())
            and self._coupon_state(coupon, integration_id, now) == "active"
        ]
        return Answer(200, {"totalResultSize": len(coupons), "data": coupons})

    def reserved_customers(self, call: Call) -> Answer:
        """GET /v1/coupon_reservations/customerprofiles/{couponValue}."""
        fake = self.fake
        coupon = self._coupon(call)
        profiles = [
            fake.profiles[holder]
            for holder in fake.reservations.get(coupon["value"], [])
            if holder in fake.profiles
        ]
        return Answer(200, {"totalResultSize": len(profiles), "data": profiles})

    # -- referrals -----------------------------------------------------------------------

    def _referral(self, body: JsonObject, advocate: str, code: str, now: datetime) -> JsonObject:
        fake = self.fake
        referral: JsonObject = {
            "id": fake._new_id("referral"),
            "created": timestamp(now),
            "campaignId": body["campaignId"],
            "advocateProfileIntegrationId": advocate,
            "code": code,
            "usageCounter": 0,
            "usageLimit": body.get("usageLimit") or 0,
            "attributes": body.get("attributes") or {},
        }
        for key in ("startDate", "expiryDate", "friendProfileIntegrationId"):
            if body.get(key) is not None:
                referral[key] = body[key]
        if advocate not in fake.profiles:
            self._store_profile(self._profile_for(advocate, now), now)
        fake.referrals[code] = referral
        return referral

    def _referral_code(self, pattern: str, characters: tuple[str, ...]) -> str:
        fake = self.fake
        for _ in range(1000):
            code = "".join(fake._random.choice(characters) if c == "#" else c for c in pattern)
            if code not in fake.referrals:
                return code
        raise ApiError(
            400,
            "Cannot generate a unique referral code",
            [
                error_item(
                    "Pattern exhausted",
                    "no unused code fits the pattern",
                    pointer="/referralPattern",
                )
            ],
        )

    def create_referral(self, call: Call) -> Answer:
        """POST /v1/referrals (createReferral): a referral code for one advocate."""
        code = self._referral_code("#" * 12, _REFERRAL_CHARACTERS)
        referral = self._referral(
            call.body, call.body["advocateProfileIntegrationId"], code, utc_now()
        )
        return Answer(201, referral)

    def create_referrals(self, call: Call) -> Answer:
        """POST /v1/referrals_for_multiple_advocates: one referral code per advocate."""
        body: JsonObject = call.body
        silent = self._silent(call)
        now = utc_now()
        pattern = body.get("referralPattern") or "#" * 12
        characters = tuple(body.get("validCharacters") or _REFERRAL_CHARACTERS)
        created = [
            self._referral(body, advocate, self._referral_code(pattern, characters), now)
            for advocate in body["advocateProfileIntegrationIds"]
        ]
        if silent:
            return Answer(204)
        return Answer(201, {"totalResultSize": len(created), "data": created})


def _rollback_of(effect: JsonObject) -> JsonObject | None:
    """The effect undoing a committed effect when its closed session is cancelled."""
    props = effect["props"]
    kind = effect["effectType"]
    if kind == "acceptCoupon":
        rollback: JsonObject = {"effectType": "rollbackCoupon", "props": {"value": props["value"]}}
    elif kind == "setDiscount":
        rollback = {
            "effectType": "rollbackDiscount",
            "props": {"name": props["name"], "value": props["value"]},
        }
    elif kind in ("addLoyaltyPoints", "deductLoyaltyPoints"):
        added = kind == "addLoyaltyPoints"
        rollback = {
            "effectType": "rollbackAddedLoyaltyPoints"
            if added
            else "rollbackDeductedLoyaltyPoints",
            "props": {
                key: props[key]
                for key in (
                    "programId",
                    "subLedgerId",
                    "value",
                    "recipientIntegrationId",
                    "transactionUUID",
                )
                if key in props
            },
        }
    else:
        return None
    for key in ("campaignId", "rulesetId", "ruleIndex", "ruleName"):
        rollback[key] = effect[key]
    return rollback


@dataclass(frozen=True)
class Route:
    """One operation: method, path pattern (``{name}`` segments), auth and body schema.

    ``exclusive`` names the path parameter of the entity the operation updates: while one
    such request is handled, another one for the same entity (same resource, v1 or v2)
    gets a 409, as the API answers parallel updates.
    """

    method: str
    pattern: tuple[str, ...]
    handler: Callable[[Operations, Call], Answer]
    schema: Schema | None = None
    manager_auth: bool = False
    exclusive: str | None = None


def _route(
    method: str,
    path: str,
    handler: Callable[[Operations, Call], Answer],
    schema: Schema | None = None,
    **options: Any,
) -> Route:
    return Route(method, tuple(path.strip("/").split("/")), handler, schema, **options)


ROUTES = (
    _route(
        "POST",
        "/v1/coupon_reservations/{couponValue}",
        Operations.create_reservation,
        schemas.COUPON_RESERVATIONS,
    ),
    _route(
        "DELETE",
        "/v1/coupon_reservations/{couponValue}",
        Operations.delete_reservation,
        schemas.COUPON_RESERVATIONS,
    ),
    _route("GET", "/v1/coupon_reservations/coupons/{integrationId}", Operations.reserved_coupons),
    _route(
        "GET",
        "/v1/coupon_reservations/customerprofiles/{couponValue}",
        Operations.reserved_customers,
    ),
    _route("POST", "/v1/referrals", Operations.create_referral, schemas.NEW_REFERRAL),
    _route(
        "POST",
        "/v1/referrals_for_multiple_advocates",
        Operations.create_referrals,
        schemas.NEW_REFERRALS_FOR_MULTIPLE_ADVOCATES,
    ),
    _route("DELETE", "/v1/customer_data/{integrationId}", Operations.delete_customer_data),
    _route("GET", "/v1/customer_profiles/{integrationId}/inventory", Operations.get_inventory),
    _route("POST", "/v1/events", Operations.track_event, schemas.NEW_EVENT),
    _route(
        "PUT",
        "/v1/customer_profiles/{integrationId}",
        Operations.update_profile,
        schemas.NEW_CUSTOMER_PROFILE,
        exclusive="integrationId",
    ),
    _route(
        "PUT",
        "/v2/customer_profiles/{integrationId}",
        Operations.update_profile_v2,
        schemas.CUSTOMER_PROFILE_REQUEST_V2,
        exclusive="integrationId",
    ),
    _route(
        "PUT",
        "/v2/customer_profiles",
        Operations.update_profiles_v2,
        schemas.MULTIPLE_PROFILES_REQUEST,
    ),
    _route(
        "POST",
        "/v2/customer_audiences",
        Operations.update_audiences,
        schemas.AUDIENCE_REQUEST,
        manager_auth=True,
    ),
    _route(
        "PUT",
        "/v1/customer_sessions/{customerSessionId}",
        Operations.update_session,
        schemas.NEW_CUSTOMER_SESSION,
        exclusive="customerSessionId",
    ),
    _route(
        "PUT",
        "/v2/customer_sessions/{customerSessionId}",
        Operations.update_session_v2,
        schemas.INTEGRATION_REQUEST,
        exclusive="customerSessionId",
    ),
)
"""Every operation the fake serves."""
