"""Campaigns and their rules: what the rule engine evaluates on every request.

The fake has no campaign operations yet; its campaigns come from :meth:`add_rule`.
"""

from __future__ import annotations

from .._area import Area
from .._state import RegisteredRule, Rule
from .._wire import new_campaign, utc_now


class Campaigns(Area):
    """Campaigns, created by the rules added to the fake."""

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
