"""Integration state: what the rule engine answers after a session, profile or event update."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from attrs import field

from ._base import Model, define, wire
from .coupons import Coupon, IntegrationCoupon, LimitConfig
from .effects import Effect
from .events import Event, EventV3
from .inventory import CustomerAchievement, Giveaway
from .loyalty_embedded import Loyalty
from .profiles import CustomerProfile
from .referrals import InventoryReferral, Referral
from .sessions import CustomerSession, CustomerSessionV2, Return

__all__ = [
    "Campaign",
    "CampaignBudget",
    "CampaignEligibility",
    "CampaignEligibilityDetails",
    "CampaignEligibilityExperiment",
    "CampaignEligibilityFailureDetails",
    "CodeGeneratorSettings",
    "CustomerProfileUpdateV2Response",
    "IntegrationCustomerSessionResponse",
    "IntegrationEventV2Response",
    "IntegrationEventV3Response",
    "IntegrationState",
    "IntegrationStateV2",
    "MultipleCustomerProfileIntegrationResponseV2",
    "ReopenSessionResponse",
    "RuleEligibility",
    "RuleEligibilityFailureDetails",
    "RuleFailureReason",
    "RuleMetadataEligibility",
]


@define(kw_only=True)
class CodeGeneratorSettings(Model):
    """How a campaign generates coupon or referral codes."""

    valid_characters: list[str]
    coupon_pattern: str


@define(kw_only=True)
class CampaignBudget(Model):
    """One budget of a campaign and how much of it has been used."""

    action: str
    limit: float
    counter: float


@define(kw_only=True)
class Campaign(Model):
    """A campaign, as listed among the campaigns a request triggered."""

    id: int
    created: datetime
    application_id: int
    user_id: int
    name: str
    description: str
    state: str
    tags: list[str]
    features: list[str]
    limits: list[LimitConfig]
    reevaluate_on_return: bool
    type: str
    frontend_state: str
    stores_imported: bool
    start_time: datetime | None = None
    end_time: datetime | None = None
    attributes: dict[str, Any] | None = None
    active_ruleset_id: int | None = None
    coupon_settings: CodeGeneratorSettings | None = None
    referral_settings: CodeGeneratorSettings | None = None
    campaign_groups: list[int] | None = None
    linked_store_ids: list[int] | None = None
    coupon_attributes: dict[str, Any] | None = None
    budgets: list[CampaignBudget] | None = None
    coupon_redemption_count: int | None = None
    referral_redemption_count: int | None = None
    discount_count: float | None = None
    discount_effect_count: int | None = None
    coupon_creation_count: int | None = None
    custom_effect_count: int | None = None
    referral_creation_count: int | None = None
    add_free_item_effect_count: int | None = None
    awarded_giveaways_count: int | None = None
    created_loyalty_points_count: float | None = None
    created_loyalty_points_effect_count: int | None = None
    redeemed_loyalty_points_count: float | None = None
    redeemed_loyalty_points_effect_count: int | None = None
    call_api_effect_count: int | None = None
    reservecoupon_effect_count: int | None = None
    last_activity: datetime | None = None
    updated: datetime | None = None
    created_by: str | None = None
    updated_by: str | None = None
    template_id: int | None = None
    value_maps_ids: list[int] | None = None
    experiment_id: int | None = None
    revision_frontend_state: str | None = None
    active_revision_id: int | None = None
    active_revision_version_id: int | None = None
    version: int | None = None
    current_revision_id: int | None = None
    current_revision_version_id: int | None = None
    stage_revision: bool | None = None


@define(kw_only=True)
class CampaignEligibilityFailureDetails(Model):
    """The code saying why a customer did not qualify."""

    failure_code: str


@define(kw_only=True)
class CampaignEligibilityDetails(Model):
    """Whether the customer qualifies, optionally for one coupon code."""

    passed: bool
    coupon_code: str | None = None
    details: CampaignEligibilityFailureDetails | None = None


@define(kw_only=True)
class RuleEligibilityFailureDetails(Model):
    """Why a rule did not apply, and which code, condition or effect it failed on."""

    failure_code: str
    details: str
    coupon_id: int | None = field(default=None, metadata=wire("couponID"))
    coupon_value: str | None = None
    referral_id: int | None = field(default=None, metadata=wire("referralID"))
    referral_value: str | None = None
    condition_index: int | None = None
    effect_index: int | None = None


@define(kw_only=True)
class RuleEligibility(Model):
    """Whether all conditions of one rule held, optionally for one coupon code."""

    passed: bool
    coupon_code: str | None = None
    details: RuleEligibilityFailureDetails | None = None


@define(kw_only=True)
class RuleMetadataEligibility(Model):
    """A rule's customer-facing texts and whether the customer qualifies for it."""

    title: str
    eligibility: list[RuleEligibility]
    display_name: str | None = None
    display_description: str | None = None
    related_data: str | None = None


@define(kw_only=True)
class CampaignEligibilityExperiment(Model):
    """The experiment and variant a campaign was evaluated in."""

    id: int
    variant_id: int


@define(kw_only=True)
class CampaignEligibility(Model):
    """A campaign and whether the current session qualifies for it and its rules."""

    application_id: int
    id: int
    name: str
    state: str
    tags: list[str]
    features: list[str]
    eligibility: list[CampaignEligibilityDetails]
    rules: list[RuleMetadataEligibility]
    description: str | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    attributes: dict[str, Any] | None = None
    experiment: CampaignEligibilityExperiment | None = None


@define(kw_only=True)
class RuleFailureReason(Model):
    """Where and why a rule did not trigger."""

    campaign_id: int = field(metadata=wire("campaignID"))
    campaign_name: str
    ruleset_id: int = field(metadata=wire("rulesetID"))
    rule_index: int
    rule_name: str
    coupon_id: int | None = field(default=None, metadata=wire("couponID"))
    coupon_value: str | None = None
    referral_id: int | None = field(default=None, metadata=wire("referralID"))
    referral_value: str | None = None
    condition_index: int | None = None
    effect_index: int | None = None
    details: str | None = None
    evaluation_group_id: int | None = field(default=None, metadata=wire("evaluationGroupID"))
    evaluation_group_mode: str | None = None


@define(kw_only=True)
class _Evaluation(Model):
    """What every answer of a rule evaluation carries (not a model of its own in the API).

    Besides the effects and the coupons and referrals created, it holds whatever the
    request asked for in ``responseContent``.
    """

    effects: list[Effect]
    created_coupons: list[Coupon]
    created_referrals: list[Referral]
    customer_profile: CustomerProfile | None = None
    loyalty: Loyalty | None = None
    triggered_campaigns: list[Campaign] | None = None
    campaign_eligibility: list[CampaignEligibility] | None = None
    rule_failure_reasons: list[RuleFailureReason] | None = None
    awarded_giveaways: list[Giveaway] | None = None
    achievements: list[CustomerAchievement] | None = None


@define(kw_only=True)
class IntegrationStateV2(_Evaluation):
    """The rule engine's answer to a v2 session or profile update, or a return."""

    referral: InventoryReferral | None = None
    coupons: list[IntegrationCoupon] | None = None
    event: Event | None = None
    advanced_event: EventV3 | None = None
    customer_session: CustomerSessionV2 | None = None
    return_: Return | None = field(default=None, metadata=wire("return"))
    previous_returns: list[Return] | None = None


@define(kw_only=True)
class IntegrationEventV2Response(_Evaluation):
    """The rule engine's answer to a tracked custom event."""

    event: Event | None = None


@define(kw_only=True)
class IntegrationEventV3Response(_Evaluation):
    """The rule engine's answer to a tracked advanced event."""

    advanced_event: EventV3 | None = None


@define(kw_only=True)
class IntegrationState(Model):
    """The answer of the deprecated v1 session, profile and event endpoints."""

    session: CustomerSession
    profile: CustomerProfile
    event: Event
    loyalty: Loyalty | None = None
    coupon: Coupon | None = None


@define(kw_only=True)
class IntegrationCustomerSessionResponse(Model):
    """A stored session together with the effects it currently has."""

    customer_session: CustomerSessionV2 | None = None
    effects: list[Effect] | None = None


@define(kw_only=True)
class ReopenSessionResponse(Model):
    """The answer to reopening a session: the effects rolled back by it."""

    effects: list[Effect]


@define(kw_only=True)
class CustomerProfileUpdateV2Response(Model):
    """One profile's result in a bulk profile update."""

    customer_profile: CustomerProfile


@define(kw_only=True)
class MultipleCustomerProfileIntegrationResponseV2(Model):
    """The answer to a bulk profile update, one entry per profile."""

    integration_states: list[CustomerProfileUpdateV2Response] | None = None
