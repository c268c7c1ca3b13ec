"""Customer profiles: updates (v1, v2, bulk), audience memberships, inventory, deletion.

Profiles are created on first use. Both single-profile updates may run the rules (v1
always does, v2 with ``runRuleEngine=true``), whose points move at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from .._area import Area, Handlers, Seeds, seed_items
from .._engine import Outcome, commit_now, evaluate, new_event, state_v1, state_v2
from .._http import HandlerCall, Handling
from .._ledger import forget_profile, standing
from .._schema import INTEGRATION_ID, Arr, OneOf, obj
from .._state import (
    FakeState,
    achievement_inventory,
    coupon_state,
    coupon_view,
    new_id,
    new_session_for,
    profile_for,
    store_profile,
)
from .._wire import (
    Answer,
    ApiError,
    JsonObject,
    error_item,
    new_profile,
    not_found,
    session_totals,
    utc_now,
)

PROFILE_CONTENT = (
    "customerProfile",
    "triggeredCampaigns",
    "loyalty",
    "event",
    "awardedGiveaways",
    "ruleFailureReasons",
    "campaignEligibility",
)
NEW_CUSTOMER_PROFILE = obj(attributes="object")
CUSTOMER_PROFILE_REQUEST_V2 = obj(
    attributes="object",
    evaluableCampaignIds=Arr("integer"),
    responseContent=Arr(OneOf(PROFILE_CONTENT)),
    audiencesChanges=obj(("adds", "deletes"), adds=Arr("integer"), deletes=Arr("integer")),
)
MULTIPLE_PROFILES_REQUEST = obj(
    customerProfiles=Arr(
        obj(("integrationId",), integrationId=INTEGRATION_ID, attributes="object"),
        max_items=1000,
    ),
)
AUDIENCE_REQUEST = obj(
    data=Arr(
        obj(
            ("action", "profileIntegrationId", "audienceId"),
            action=OneOf(("add", "delete")),
            profileIntegrationId=INTEGRATION_ID,
            audienceId="integer",
        ),
        max_items=1000,
    ),
)
SEED_PROFILE = obj(("integrationId",), integrationId="string", attributes="object")
_INVENTORY_PARTS = ("profile", "referrals", "coupons", "loyalty", "giveaways", "achievements")


def _check_audiences(state: FakeState, changes: JsonObject) -> None:
    """A 400 naming the first unknown audience of a profile's ``audiencesChanges`` (the
    operation documents no 404)."""
    for key in ("adds", "deletes"):
        for index, audience_id in enumerate(changes[key]):
            if audience_id not in state.audiences:
                raise ApiError(
                    400,
                    "Audience not found",
                    [
                        error_item(
                            "Audience not found",
                            f"no audience {audience_id}",
                            pointer=f"/audiencesChanges/{key}/{index}",
                        )
                    ],
                )


def _apply_audience_changes(state: FakeState, profile: JsonObject, changes: JsonObject) -> None:
    memberships = [m for m in profile["audienceMemberships"] if m["id"] not in changes["deletes"]]
    for audience_id in changes["adds"]:
        if all(m["id"] != audience_id for m in memberships):
            memberships.append({"id": audience_id, "name": state.audiences[audience_id]["name"]})
    profile["audienceMemberships"] = memberships


def _update_profile(
    state: FakeState, integration_id: str, body: JsonObject, now: datetime, *, run: bool, dry: bool
) -> Outcome:
    """What both profile updates do: attributes and audiences, rules, event, commit."""
    if body.get("audiencesChanges"):
        _check_audiences(state, body["audiencesChanges"])
    profile = profile_for(state, integration_id, now)
    profile["attributes"].update(body.get("attributes") or {})
    if body.get("audiencesChanges"):
        _apply_audience_changes(state, profile, body["audiencesChanges"])
    outcome = Outcome(None, profile)
    if run:
        evaluate(state, outcome, now, campaign_ids=body.get("evaluableCampaignIds"))
    outcome.event = new_event(
        state,
        "talon_profile_updated",
        session_id="",
        profile_id=integration_id,
        effects=outcome.effects,
        now=now,
    )
    if not dry:
        commit_now(state, outcome, now)
    return outcome


def update_profile_v2(state: FakeState, call: HandlerCall) -> Answer:
    """PUT /v2/customer_profiles/{integrationId} (updateCustomerProfileV2)."""
    body: JsonObject = call.body
    run = call.flag("runRuleEngine")
    dry = call.flag("dry")
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
    outcome = _update_profile(
        state, call.params["integrationId"], body, utc_now(), run=run, dry=dry
    )
    content = set(body.get("responseContent") or ()) if run else {"customerProfile"}
    return Answer(200, state_v2(state, outcome, content))


def update_profile(state: FakeState, call: HandlerCall) -> Answer:
    """PUT /v1/customer_profiles/{integrationId} (updateCustomerProfile, legacy)."""
    now = utc_now()
    integration_id = call.params["integrationId"]
    legacy = {"attributes": call.body.get("attributes")}  # v1 knows nothing else
    outcome = _update_profile(state, integration_id, legacy, now, run=True, dry=call.flag("dry"))
    # The legacy state always has a session; a profile update has none of its own.
    session = new_session_for(state, "", now)
    session.update(profileId=integration_id, firstSession=False)
    session_totals(session)
    return Answer(200, state_v1(state, outcome, session))


def update_profiles_v2(state: FakeState, call: HandlerCall) -> Answer:
    """PUT /v2/customer_profiles (updateCustomerProfilesV2): up to 1000, no rules."""
    silent = call.yes_no("silent", "yes")
    now = utc_now()
    states = []
    for item in call.body.get("customerProfiles") or []:
        profile = profile_for(state, item["integrationId"], now)
        profile["attributes"].update(item.get("attributes") or {})
        store_profile(state, profile, now)
        states.append({"customerProfile": profile})
    return Answer(204) if silent else Answer(200, {"integrationStates": states})


def update_audiences(state: FakeState, call: HandlerCall) -> Answer:
    """POST /v2/customer_audiences (updateCustomerProfileAudiences)."""
    items = call.body.get("data") or []
    for index, item in enumerate(items):
        if item["audienceId"] not in state.audiences:
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
        if item["action"] == "delete" and integration_id not in state.profiles:
            continue
        profile = profile_for(state, integration_id, now)
        key = "adds" if item["action"] == "add" else "deletes"
        changes = {"adds": [], "deletes": [], key: [item["audienceId"]]}
        _apply_audience_changes(state, profile, changes)
        store_profile(state, profile, now)
    return Answer(204)


def get_inventory(state: FakeState, call: HandlerCall) -> Answer:
    """GET /v1/customer_profiles/{integrationId}/inventory (getCustomerInventory)."""
    integration_id = call.params["integrationId"]
    parts = {name: call.flag(name) for name in _INVENTORY_PARTS}
    profile = state.profiles.get(integration_id)
    if profile is None:
        raise not_found("Customer profile", integration_id, "integrationId")
    now = utc_now()
    inventory: JsonObject = {}
    if parts["profile"]:
        inventory["profile"] = profile
    if parts["loyalty"]:
        inventory["loyalty"] = standing(state, integration_id, now)
    if parts["referrals"]:
        inventory["referrals"] = [
            {**referral, "referredCustomers": []}
            for referral in state.referrals.values()
            if referral["advocateProfileIntegrationId"] == integration_id
        ]
    if parts["coupons"]:
        inventory["coupons"] = [
            {
                **coupon_view(state, coupon, integration_id),
                "state": coupon_state(state, coupon, integration_id, now),
            }
            for value, coupon in state.coupons.items()
            if integration_id in state.reservations.get(value, ())
            or coupon.get("recipientIntegrationId") == integration_id
        ]
    if parts["giveaways"]:
        inventory["giveaways"] = []
    if parts["achievements"]:
        inventory["achievements"] = achievement_inventory(state, integration_id, now)
    return Answer(200, inventory)


def delete_customer_data(state: FakeState, call: HandlerCall) -> Answer:
    """DELETE /v1/customer_data/{integrationId}: the profile and what refers to it."""
    integration_id = call.params["integrationId"]
    if state.profiles.pop(integration_id, None) is None:
        raise not_found("Customer profile", integration_id, "integrationId")
    for session_id in [k for k, s in state.sessions.items() if s["profileId"] == integration_id]:
        del state.sessions[session_id]
        state._committed.pop(session_id, None)
    for holders in state.reservations.values():
        if integration_id in holders:
            holders.remove(integration_id)
    forget_profile(state, integration_id)
    state.achievement_progress.pop(integration_id, None)
    state.events[:] = [e for e in state.events if e.get("profileId") != integration_id]
    for key in [k for k in state._redemptions if k[1] == integration_id]:
        del state._redemptions[key]
    return Answer(204)


def _seed_profiles(fake: Profiles, value: Any) -> None:
    """``profiles``: ``[{"integrationId": "alice", "attributes": {...}}]``."""
    for item in seed_items(value, "profiles", SEED_PROFILE):
        fake.add_profile(item["integrationId"], item.get("attributes"))


class Profiles(Area):
    """Customer profiles, their audiences and inventory; customer data deletion."""

    HANDLERS: ClassVar[Handlers] = {
        "updateCustomerProfileV2": Handling(update_profile_v2, CUSTOMER_PROFILE_REQUEST_V2),
        "updateCustomerProfilesV2": Handling(update_profiles_v2, MULTIPLE_PROFILES_REQUEST),
        "updateCustomerProfile": Handling(update_profile, NEW_CUSTOMER_PROFILE),
        "getCustomerInventory": Handling(get_inventory),
        "updateCustomerProfileAudiences": Handling(update_audiences, AUDIENCE_REQUEST),
        "deleteCustomerData": Handling(delete_customer_data),
    }
    SEEDS: ClassVar[Seeds] = {"profiles": _seed_profiles}

    def add_profile(
        self, integration_id: str, attributes: Mapping[str, Any] | None = None
    ) -> JsonObject:
        """Create (or replace) a customer profile; returns its stored dict."""
        with self.lock:
            profile = new_profile(
                new_id(self, "profile"), integration_id, self.account_id, utc_now()
            )
            profile["attributes"] = dict(attributes or {})
            self.profiles[integration_id] = profile
            return profile
