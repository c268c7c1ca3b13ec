"""Campaigns and their rules: what the rule engine evaluates on every request.

The fake has no campaign operations yet; its campaigns come from :meth:`add_rule`.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from .._area import Area, SeedError, Seeds, seed_entry, seed_list
from .._rules import READY_MADE
from .._schema import obj
from .._state import RegisteredRule, Rule
from .._wire import new_campaign, utc_now


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
    """Campaigns, created by the rules added to the fake."""

    SEEDS: ClassVar[Seeds] = {"rules": _seed_rules}

    def add_rule(
        self, rule: Rule, *, name: str | None = None, campaign_id: int | None = None
    ) -> int:
        """Evaluate ``rule`` on every session, profile and event request; return its campaign ID.

        Without ``campaign_id`` the rule gets a new campaign; rules sharing a campaign get
        increasing ``ruleIndex`` values. ``name`` (the effects' ``ruleName``) defaults to
        the rule's ``name`` attribute or function name.
        """
        with self.lock:
            if campaign_id is None:
                campaign_id = max(self.campaigns, default=0) + 1
            if campaign_id not in self.campaigns:
                self.campaigns[campaign_id] = new_campaign(
                    campaign_id, 1000 + campaign_id, self.application_id, utc_now()
                )
            default = getattr(rule, "name", None) or getattr(rule, "__name__", None)
            rule_index = sum(1 for added in self._rules if added.campaign_id == campaign_id)
            self._rules.append(
                RegisteredRule(rule, name or str(default or "Fake rule"), campaign_id, rule_index)
            )
            return campaign_id
