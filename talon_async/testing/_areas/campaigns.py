"""Campaigns and their rules: what the rule engine evaluates, and the campaign list.

Campaigns come from :meth:`Campaigns.add_campaign` (with dates, state, tags ...) and
from :meth:`Campaigns.add_rule`; the rules of a campaign run while it is enabled and
between its start and end. ``integrationGetAllCampaigns`` lists the enabled ones.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, ClassVar

from .._area import Area, Handlers, SeedError, Seeds, seed_entry, seed_items, seed_list
from .._http import HandlerCall, Handling
from .._rules import READY_MADE
from .._schema import STRINGS, OneOf, obj
from .._state import FakeState, RegisteredRule, Rule, campaign_for
from .._wire import Answer, JsonObject, optional_timestamp, timestamp, utc_now

CAMPAIGN_STATES = ("enabled", "disabled", "archived")
FEATURES = ("coupons", "referrals", "loyalty", "giveaways", "strikethrough", "achievements")
SEED_CAMPAIGN = obj(
    ("id",),
    id="integer",
    name="string",
    description="string",
    state=OneOf(CAMPAIGN_STATES),
    startTime="date-time",
    endTime="date-time",
    tags=STRINGS,
    features=STRINGS,
    attributes="object",
)
# A campaign without a start started long ago; one without an end never ends.
_FILTERS = (
    ("startAfter", "startTime", lambda at, bound: at is not None and at >= bound),
    ("startBefore", "startTime", lambda at, bound: at is None or at <= bound),
    ("endAfter", "endTime", lambda at, bound: at is None or at >= bound),
    ("endBefore", "endTime", lambda at, bound: at is not None and at <= bound),
)


def get_all_campaigns(state: FakeState, call: HandlerCall) -> Answer:
    """GET /v1/integration/campaigns (integrationGetAllCampaigns): enabled campaigns by ID."""
    wanted = call.id_list("campaignIds")
    campaigns = [
        campaign
        for campaign_id, campaign in sorted(state.campaigns.items())
        if campaign["state"] == "enabled" and (wanted is None or campaign_id in wanted)
    ]
    for parameter, member, keep in _FILTERS:
        bound = call.date_time(parameter)
        if bound is not None:
            campaigns = [c for c in campaigns if keep(optional_timestamp(c.get(member)), bound)]
    page, has_more = call.page(campaigns, 50)
    return Answer(200, {"hasMore": has_more, "data": [_listed(state, c) for c in page]})


def _listed(state: FakeState, campaign: JsonObject) -> JsonObject:
    """A campaign as customer-facing apps see it (IntegrationCampaign)."""
    listed: JsonObject = {
        key: campaign[key]
        for key in (
            "applicationId",
            "id",
            "name",
            "description",
            "startTime",
            "endTime",
            "attributes",
            "state",
            "tags",
            "features",
        )
        if key in campaign
    }
    listed["rules"] = [
        {"title": rule.name} for rule in state._rules if rule.campaign_id == campaign["id"]
    ]
    return listed


def _seed_campaigns(fake: Campaigns, value: Any) -> None:
    """``campaigns``: ``[{"id": 3, "name": "Spring", "startTime": "...", "tags": [...]}]``."""
    for item in seed_items(value, "campaigns", SEED_CAMPAIGN):
        fake.add_campaign(
            item["id"],
            name=item.get("name"),
            description=item.get("description", ""),
            state=item.get("state", "enabled"),
            start_time=optional_timestamp(item.get("startTime")),
            end_time=optional_timestamp(item.get("endTime")),
            tags=item.get("tags", ()),
            features=item.get("features"),
            attributes=item.get("attributes"),
        )


def _seed_rules(fake: Campaigns, value: Any) -> None:
    """``rules``: ready-made rules by name, with their parameters, e.g.
    ``[{"rule": "coupon_codes", "percent": 10}]``; ``campaignId`` groups rules."""
    for index, item in enumerate(seed_list(value, "rules")):
        where = f"rules[{index}]"
        name = item.get("rule") if isinstance(item, dict) else None
        if name not in READY_MADE:
            raise SeedError(f"{where}.rule must be one of {', '.join(READY_MADE)}")
        factory, parameters = READY_MADE[name]
        schema = obj(
            ("rule", *parameters.required), rule="string", campaignId="integer", **parameters.fields
        )
        entry = seed_entry(item, where, schema)
        arguments = {
            re.sub("[A-Z]", lambda upper: "_" + upper[0].lower(), member): argument
            for member, argument in entry.items()
            if member in parameters.fields
        }
        fake.add_rule(factory(**arguments), campaign_id=entry.get("campaignId"))


class Campaigns(Area):
    """Campaigns: added directly or by the rules added to the fake."""

    HANDLERS: ClassVar[Handlers] = {
        "integrationGetAllCampaigns": Handling(get_all_campaigns),
    }
    SEEDS: ClassVar[Seeds] = {"campaigns": _seed_campaigns, "rules": _seed_rules}

    def add_campaign(
        self,
        campaign_id: int | None = None,
        *,
        name: str | None = None,
        description: str = "",
        state: str = "enabled",
        start_time: datetime | None = None,
        end_time: datetime | None = None,
        tags: Sequence[str] = (),
        features: Sequence[str] | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> JsonObject:
        """Create (or replace, keeping its rules) a campaign; returns its stored dict.

        Without ``campaign_id`` it gets the next free ID. Its rules run while ``state``
        is ``"enabled"`` (or ``"disabled"``, ``"archived"``), from ``start_time`` (when
        given) until before ``end_time`` (when given). ``features`` defaults to coupons,
        referrals and loyalty.
        """
        if state not in CAMPAIGN_STATES:
            raise ValueError(f"state must be one of {', '.join(CAMPAIGN_STATES)}, not {state!r}")
        if len(tags) > 50 or not all(1 <= len(tag) <= 50 for tag in tags):
            raise ValueError("a campaign has at most 50 tags of 1 to 50 characters")
        unknown = sorted(set(features or ()) - set(FEATURES))
        if unknown:
            raise ValueError(f"unknown feature {unknown[0]!r} (known: {', '.join(FEATURES)})")
        now = utc_now()
        with self.lock:
            if campaign_id is not None:
                self.campaigns.pop(campaign_id, None)
            campaign = campaign_for(self, campaign_id, now)
            campaign.update(
                name=name or campaign["name"],
                description=description,
                state=state,
                tags=list(tags),
                frontendState=_frontend_state(state, start_time, end_time, now),
            )
            if features is not None:
                campaign["features"] = list(features)
            if attributes is not None:
                campaign["attributes"] = dict(attributes)
            for member, moment in (("startTime", start_time), ("endTime", end_time)):
                if moment is not None:
                    campaign[member] = timestamp(moment)
            return campaign

    def add_rule(
        self, rule: Rule, *, name: str | None = None, campaign_id: int | None = None
    ) -> int:
        """Evaluate ``rule`` on every session, profile and event request; return its campaign ID.

        Without ``campaign_id`` the rule gets a new campaign (an unknown ID is created,
        see :meth:`add_campaign` for dates and state); rules sharing a campaign get
        increasing ``ruleIndex`` values. ``name`` (the effects' ``ruleName``) defaults to
        the rule's ``name`` attribute or function name.
        """
        with self.lock:
            campaign_id = campaign_for(self, campaign_id, utc_now())["id"]
            default = getattr(rule, "name", None) or getattr(rule, "__name__", None)
            rule_index = sum(1 for added in self._rules if added.campaign_id == campaign_id)
            self._rules.append(
                RegisteredRule(rule, name or str(default or "Fake rule"), campaign_id, rule_index)
            )
            return campaign_id


def _frontend_state(state: str, start: datetime | None, end: datetime | None, now: datetime) -> str:
    """What the Campaign Manager shows for a campaign (as of when it was added)."""
    if state != "enabled":
        return state
    if start is not None and start > now:
        return "scheduled"
    if end is not None and end <= now:
        return "expired"
    return "running"
