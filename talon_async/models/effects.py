"""Effects returned by rule evaluation, with ``props`` typed by ``effect_type``."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeAlias
from uuid import UUID

from attrs import field

from ._base import Model, define, kind_of, wire

__all__ = [
    "EFFECT_PROPS_TYPES",
    "AcceptCouponEffectProps",
    "AcceptReferralEffectProps",
    "AddFreeItemEffectProps",
    "AddLoyaltyPointsEffectProps",
    "AddToAudienceEffectProps",
    "AwardGiveawayEffectProps",
    "ChangeLoyaltyTierLevelEffectProps",
    "CouponCreatedEffectProps",
    "CustomEffectProps",
    "DeductLoyaltyPointsEffectProps",
    "Effect",
    "EffectProps",
    "ErrorEffectProps",
    "ExtendLoyaltyPointsExpiryDateEffectProps",
    "IncreaseAchievementProgressEffectProps",
    "LoyaltyLedgerEntryExpiryDateChange",
    "RedeemReferralEffectProps",
    "ReferralCreatedEffectProps",
    "RejectCouponEffectProps",
    "RejectReferralEffectProps",
    "RemoveFromAudienceEffectProps",
    "ReserveCouponEffectProps",
    "RollbackAddedLoyaltyPointsEffectProps",
    "RollbackCouponEffectProps",
    "RollbackDeductedLoyaltyPointsEffectProps",
    "RollbackDiscountEffectProps",
    "RollbackIncreasedAchievementProgressEffectProps",
    "RollbackReferralEffectProps",
    "SetDiscountEffectProps",
    "SetDiscountPerAdditionalCostEffectProps",
    "SetDiscountPerAdditionalCostPerItemEffectProps",
    "SetDiscountPerItemEffectProps",
    "SetLoyaltyPointsExpiryDateEffectProps",
    "ShowBundleMetadataEffectProps",
    "ShowNotificationEffectProps",
    "StrikethroughSetDiscountPerItemEffectProps",
    "StrikethroughSetDiscountPerItemMemberEffectProps",
    "TriggerWebhookEffectProps",
    "UpdateAttributeEffectProps",
    "WillAwardGiveawayEffectProps",
]


@define(kw_only=True)
class LoyaltyLedgerEntryExpiryDateChange(Model):
    """A loyalty transaction whose expiry date an effect moved."""

    transaction_uuid: UUID = field(metadata=wire("transactionUUID"))
    new_expiry_date: datetime
    previous_expiry_date: datetime | None = None


@define(kw_only=True)
class AcceptCouponEffectProps(Model):
    """The coupon code in the session is valid and will be redeemed on close."""

    value: str


@define(kw_only=True)
class AcceptReferralEffectProps(Model):
    """The referral code in the session is valid and will be redeemed on close."""

    value: str


@define(kw_only=True)
class AddFreeItemEffectProps(Model):
    """A free item to put into the cart."""

    sku: str
    name: str
    desired_quantity: int | None = None


@define(kw_only=True)
class AddLoyaltyPointsEffectProps(Model):
    """Loyalty points granted to a profile or a loyalty card."""

    name: str
    program_id: int
    sub_ledger_id: str
    value: float
    recipient_integration_id: str
    transaction_uuid: str = field(metadata=wire("transactionUUID"))
    desired_value: float | None = None
    start_date: datetime | None = None
    expiry_date: datetime | None = None
    cart_item_position: float | None = None
    cart_item_sub_position: float | None = None
    card_identifier: str | None = None
    bundle_index: int | None = None
    bundle_name: str | None = None
    awaits_activation: bool | None = None
    validity_duration: str | None = None


@define(kw_only=True)
class AddToAudienceEffectProps(Model):
    """A customer joined an audience."""

    audience_id: int | None = None
    audience_name: str | None = None
    profile_integration_id: str | None = None
    profile_id: int | None = None


@define(kw_only=True)
class AwardGiveawayEffectProps(Model):
    """A giveaway code handed to a customer."""

    pool_id: int
    pool_name: str
    recipient_integration_id: str
    giveaway_id: int
    code: str


@define(kw_only=True)
class ChangeLoyaltyTierLevelEffectProps(Model):
    """A customer moved up to a new loyalty tier."""

    rule_title: str
    program_id: int
    sub_ledger_id: str
    new_tier_name: str
    previous_tier_name: str | None = None
    expiry_date: datetime | None = None


@define(kw_only=True)
class CouponCreatedEffectProps(Model):
    """A new coupon code was generated for a customer."""

    value: str
    profile_id: str


@define(kw_only=True)
class CustomEffectProps(Model):
    """A user-defined effect with a free-form payload."""

    effect_id: int
    name: str
    payload: dict[str, Any]
    cart_item_position: float | None = None
    cart_item_sub_position: float | None = None
    bundle_index: int | None = None
    bundle_name: str | None = None


@define(kw_only=True)
class DeductLoyaltyPointsEffectProps(Model):
    """Loyalty points spent from the active balance."""

    rule_title: str
    program_id: int
    sub_ledger_id: str
    value: float
    transaction_uuid: str = field(metadata=wire("transactionUUID"))
    name: str
    card_identifier: str | None = None


@define(kw_only=True)
class ErrorEffectProps(Model):
    """Rule evaluation hit an error."""

    message: str


@define(kw_only=True)
class ExtendLoyaltyPointsExpiryDateEffectProps(Model):
    """Expiry of active and pending points pushed back by a duration."""

    program_id: int
    sub_ledger_id: str
    extension_duration: str
    affected_transactions: list[LoyaltyLedgerEntryExpiryDateChange] | None = None


@define(kw_only=True)
class IncreaseAchievementProgressEffectProps(Model):
    """Progress made towards an achievement."""

    achievement_id: int
    achievement_name: str
    delta: float
    value: float
    target: float
    is_just_completed: bool
    progress_tracker_id: int | None = None


@define(kw_only=True)
class RedeemReferralEffectProps(Model):
    """A referral code was redeemed."""

    id: int
    value: str


@define(kw_only=True)
class ReferralCreatedEffectProps(Model):
    """A new referral code was generated."""

    value: str


@define(kw_only=True)
class RejectCouponEffectProps(Model):
    """The coupon code in the session was refused, with the reason."""

    value: str
    rejection_reason: str
    condition_index: int | None = None
    effect_index: int | None = None
    details: str | None = None
    campaign_exclusion_reason: str | None = None


@define(kw_only=True)
class RejectReferralEffectProps(Model):
    """The referral code in the session was refused, with the reason."""

    value: str
    rejection_reason: str
    condition_index: int | None = None
    effect_index: int | None = None
    details: str | None = None
    campaign_exclusion_reason: str | None = None


@define(kw_only=True)
class RemoveFromAudienceEffectProps(Model):
    """A customer left an audience."""

    audience_id: int | None = None
    audience_name: str | None = None
    profile_integration_id: str | None = None
    profile_id: int | None = None


@define(kw_only=True)
class ReserveCouponEffectProps(Model):
    """A coupon was reserved for a customer profile."""

    coupon_value: str
    profile_integration_id: str
    is_new_reservation: bool


@define(kw_only=True)
class RollbackAddedLoyaltyPointsEffectProps(Model):
    """Previously granted loyalty points were taken back."""

    program_id: int
    sub_ledger_id: str
    value: float
    recipient_integration_id: str
    transaction_uuid: str = field(metadata=wire("transactionUUID"))
    cart_item_position: float | None = None
    cart_item_sub_position: float | None = None
    card_identifier: str | None = None


@define(kw_only=True)
class RollbackCouponEffectProps(Model):
    """A coupon redemption was undone."""

    value: str


@define(kw_only=True)
class RollbackDeductedLoyaltyPointsEffectProps(Model):
    """Previously spent loyalty points were given back."""

    program_id: int
    sub_ledger_id: str
    value: float
    recipient_integration_id: str
    transaction_uuid: str = field(metadata=wire("transactionUUID"))
    start_date: datetime | None = None
    expiry_date: datetime | None = None
    card_identifier: str | None = None


@define(kw_only=True)
class RollbackDiscountEffectProps(Model):
    """A discount granted earlier was revoked."""

    name: str
    value: float
    cart_item_position: float | None = None
    cart_item_sub_position: float | None = None
    additional_cost_id: int | None = None
    additional_cost: str | None = None
    scope: str | None = None


@define(kw_only=True)
class RollbackIncreasedAchievementProgressEffectProps(Model):
    """Achievement progress made earlier was reverted."""

    achievement_id: int
    achievement_name: str
    progress_tracker_id: int
    decrease_progress_by: float
    current_progress: float
    target: float


@define(kw_only=True)
class RollbackReferralEffectProps(Model):
    """A referral redemption was undone."""

    value: str


@define(kw_only=True)
class SetDiscountEffectProps(Model):
    """A discount on the whole session."""

    name: str
    value: float
    scope: str | None = None
    desired_value: float | None = None


@define(kw_only=True)
class SetDiscountPerAdditionalCostEffectProps(Model):
    """A discount on one session-level additional cost."""

    name: str
    additional_cost_id: int
    additional_cost: str
    value: float
    desired_value: float | None = None


@define(kw_only=True)
class SetDiscountPerAdditionalCostPerItemEffectProps(Model):
    """A discount on an additional cost of one cart item."""

    name: str
    additional_cost_id: int
    value: float
    position: float
    additional_cost: str
    sub_position: float | None = None
    desired_value: float | None = None


@define(kw_only=True)
class SetDiscountPerItemEffectProps(Model):
    """A discount on one cart item."""

    name: str
    value: float
    position: float
    sub_position: float | None = None
    desired_value: float | None = None
    scope: str | None = None
    total_discount: float | None = None
    desired_total_discount: float | None = None
    bundle_index: int | None = None
    bundle_name: str | None = None
    targeted_item_position: float | None = None
    targeted_item_sub_position: float | None = None
    excluded_from_price_history: bool | None = None


@define(kw_only=True)
class SetLoyaltyPointsExpiryDateEffectProps(Model):
    """Expiry of active, pending and unlimited points set to a fixed date."""

    program_id: int
    sub_ledger_id: str
    new_expiry_date: datetime
    affected_transactions: list[LoyaltyLedgerEntryExpiryDateChange] | None = None


@define(kw_only=True)
class ShowBundleMetadataEffectProps(Model):
    """Which cart items form a product bundle (deprecated by the API)."""

    description: str
    bundle_attributes: list[str]
    items_indices: list[float]


@define(kw_only=True)
class ShowNotificationEffectProps(Model):
    """A message to display to the customer."""

    notification_type: str
    title: str
    body: str


@define(kw_only=True)
class StrikethroughSetDiscountPerItemEffectProps(Model):
    """A per-item discount as carried in strikethrough pricing data."""

    name: str
    value: Any
    excluded_from_price_history: bool | None = None


@define(kw_only=True)
class StrikethroughSetDiscountPerItemMemberEffectProps(Model):
    """A per-item member discount as carried in strikethrough pricing data."""

    name: str
    value: Any


@define(kw_only=True)
class TriggerWebhookEffectProps(Model):
    """A webhook fired by a rule."""

    webhook_id: float
    webhook_name: str


@define(kw_only=True)
class UpdateAttributeEffectProps(Model):
    """A new value for an attribute, addressed by its path."""

    path: str
    value: Any


@define(kw_only=True)
class WillAwardGiveawayEffectProps(Model):
    """A giveaway that will be awarded once the session closes."""

    pool_id: int
    pool_name: str
    recipient_integration_id: str


EffectProps: TypeAlias = (
    AcceptCouponEffectProps
    | AcceptReferralEffectProps
    | AddFreeItemEffectProps
    | AddLoyaltyPointsEffectProps
    | AddToAudienceEffectProps
    | AwardGiveawayEffectProps
    | ChangeLoyaltyTierLevelEffectProps
    | CouponCreatedEffectProps
    | CustomEffectProps
    | DeductLoyaltyPointsEffectProps
    | ErrorEffectProps
    | ExtendLoyaltyPointsExpiryDateEffectProps
    | IncreaseAchievementProgressEffectProps
    | RedeemReferralEffectProps
    | ReferralCreatedEffectProps
    | RejectCouponEffectProps
    | RejectReferralEffectProps
    | RemoveFromAudienceEffectProps
    | ReserveCouponEffectProps
    | RollbackAddedLoyaltyPointsEffectProps
    | RollbackCouponEffectProps
    | RollbackDeductedLoyaltyPointsEffectProps
    | RollbackDiscountEffectProps
    | RollbackIncreasedAchievementProgressEffectProps
    | RollbackReferralEffectProps
    | SetDiscountEffectProps
    | SetDiscountPerAdditionalCostEffectProps
    | SetDiscountPerAdditionalCostPerItemEffectProps
    | SetDiscountPerItemEffectProps
    | SetLoyaltyPointsExpiryDateEffectProps
    | ShowBundleMetadataEffectProps
    | ShowNotificationEffectProps
    | StrikethroughSetDiscountPerItemEffectProps
    | StrikethroughSetDiscountPerItemMemberEffectProps
    | TriggerWebhookEffectProps
    | UpdateAttributeEffectProps
    | WillAwardGiveawayEffectProps
    | dict[str, Any]
)
"""Typed ``props`` of a known effect type, or the raw JSON object of an unknown one."""

EFFECT_PROPS_TYPES: dict[str, type[Model]] = {
    "acceptCoupon": AcceptCouponEffectProps,
    "acceptReferral": AcceptReferralEffectProps,
    "addFreeItem": AddFreeItemEffectProps,
    "addLoyaltyPoints": AddLoyaltyPointsEffectProps,
    "addToAudience": AddToAudienceEffectProps,
    "awardGiveaway": AwardGiveawayEffectProps,
    "changeLoyaltyTierLevel": ChangeLoyaltyTierLevelEffectProps,
    "couponCreated": CouponCreatedEffectProps,
    "customEffect": CustomEffectProps,
    "deductLoyaltyPoints": DeductLoyaltyPointsEffectProps,
    "error": ErrorEffectProps,
    "extendLoyaltyPointsExpiryDate": ExtendLoyaltyPointsExpiryDateEffectProps,
    "increaseAchievementProgress": IncreaseAchievementProgressEffectProps,
    "redeemReferral": RedeemReferralEffectProps,
    "referralCreated": ReferralCreatedEffectProps,
    "rejectCoupon": RejectCouponEffectProps,
    "rejectReferral": RejectReferralEffectProps,
    "removeFromAudience": RemoveFromAudienceEffectProps,
    "reserveCoupon": ReserveCouponEffectProps,
    "rollbackAddedLoyaltyPoints": RollbackAddedLoyaltyPointsEffectProps,
    "rollbackCoupon": RollbackCouponEffectProps,
    "rollbackDeductedLoyaltyPoints": RollbackDeductedLoyaltyPointsEffectProps,
    "rollbackDiscount": RollbackDiscountEffectProps,
    "rollbackIncreasedAchievementProgress": RollbackIncreasedAchievementProgressEffectProps,
    "rollbackReferral": RollbackReferralEffectProps,
    "setDiscount": SetDiscountEffectProps,
    "setDiscountPerAdditionalCost": SetDiscountPerAdditionalCostEffectProps,
    "setDiscountPerAdditionalCostPerItem": SetDiscountPerAdditionalCostPerItemEffectProps,
    "setDiscountPerItem": SetDiscountPerItemEffectProps,
    "setLoyaltyPointsExpiryDate": SetLoyaltyPointsExpiryDateEffectProps,
    "showBundleMetadata": ShowBundleMetadataEffectProps,
    "showNotification": ShowNotificationEffectProps,
    "strikethroughSetDiscountPerItem": StrikethroughSetDiscountPerItemEffectProps,
    "strikethroughSetDiscountPerItemMember": StrikethroughSetDiscountPerItemMemberEffectProps,
    "triggerWebhook": TriggerWebhookEffectProps,
    "updateAttribute": UpdateAttributeEffectProps,
    "willAwardGiveaway": WillAwardGiveawayEffectProps,
}
"""The props class of each ``effectType`` this library knows."""


@define(kw_only=True)
class Effect(Model):
    """One effect a campaign's rule produced; ``props`` is typed by ``effect_type``."""

    campaign_id: int
    ruleset_id: int
    rule_index: int
    rule_name: str
    effect_type: str
    props: EffectProps = field(metadata=kind_of("effectType", EFFECT_PROPS_TYPES))
    experiment_id: int | None = None
    triggered_by_coupon: int | None = None
    triggered_for_catalog_item: int | None = None
    condition_index: int | None = None
    evaluation_group_id: int | None = field(default=None, metadata=wire("evaluationGroupID"))
    evaluation_group_mode: str | None = None
    campaign_revision_id: int | None = None
    campaign_revision_version_id: int | None = None
    selected_price_type: str | None = None
    selected_price: float | None = None
    adjustment_reference_id: UUID | None = None
