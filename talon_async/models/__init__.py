"""Request and response bodies of the Integration API, as attrs classes.

Every model keeps JSON members it does not know in ``extra_fields``; see
:mod:`talon_async.models._base` for the conventions all models follow.

The models are grouped in one module per API area (``sessions``, ``profiles``, ...).
``import talon_async.models`` loads none of them: a name is imported from its area
module the first time it is looked up here (``from talon_async.models import CartItem``
loads ``models.sessions`` and what it needs), so a program pays only for the areas it
uses. Type checkers and IDEs read the explicit imports below instead.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._base import (
        Model as Model,
    )
    from .achievements import (
        AchievementStatusEntry as AchievementStatusEntry,
        GetCustomerAchievementHistory200Response as GetCustomerAchievementHistory200Response,
        GetCustomerAchievements200Response as GetCustomerAchievements200Response,
        TimePoint as TimePoint,
    )
    from .audiences import (
        Audience as Audience,
        AudienceReference as AudienceReference,
        NewAudience as NewAudience,
        UpdateAudience as UpdateAudience,
    )
    from .campaigns import (
        IntegrationCampaign as IntegrationCampaign,
        IntegrationGetAllCampaigns200Response as IntegrationGetAllCampaigns200Response,
        RuleMetadata as RuleMetadata,
    )
    from .catalogs import (
        CATALOG_ACTION_PAYLOAD_TYPES as CATALOG_ACTION_PAYLOAD_TYPES,
        AddItemCatalogAction as AddItemCatalogAction,
        AddPriceAdjustmentCatalogAction as AddPriceAdjustmentCatalogAction,
        AdjustmentDetails as AdjustmentDetails,
        BestPriorPrice as BestPriorPrice,
        BestPriorPriceMetadata as BestPriorPriceMetadata,
        BestPriorPriceRequest as BestPriorPriceRequest,
        BestPriorTarget as BestPriorTarget,
        Catalog as Catalog,
        CatalogAction as CatalogAction,
        CatalogActionFilter as CatalogActionFilter,
        CatalogActionPayload as CatalogActionPayload,
        CatalogSyncRequest as CatalogSyncRequest,
        InfluencingCampaignDetails as InfluencingCampaignDetails,
        LabelTargetAudience as LabelTargetAudience,
        LabelTargetNone as LabelTargetNone,
        NewPriceAdjustment as NewPriceAdjustment,
        PatchItemCatalogAction as PatchItemCatalogAction,
        PatchManyItemsCatalogAction as PatchManyItemsCatalogAction,
        RemoveItemCatalogAction as RemoveItemCatalogAction,
        RemoveManyItemsCatalogAction as RemoveManyItemsCatalogAction,
    )
    from .coupons import (
        Coupon as Coupon,
        CouponList as CouponList,
        CouponReservations as CouponReservations,
        IntegrationCoupon as IntegrationCoupon,
        InventoryCoupon as InventoryCoupon,
        LimitConfig as LimitConfig,
    )
    from .effects import (
        EFFECT_PROPS_TYPES as EFFECT_PROPS_TYPES,
        AcceptCouponEffectProps as AcceptCouponEffectProps,
        AcceptReferralEffectProps as AcceptReferralEffectProps,
        AddFreeItemEffectProps as AddFreeItemEffectProps,
        AddLoyaltyPointsEffectProps as AddLoyaltyPointsEffectProps,
        AddToAudienceEffectProps as AddToAudienceEffectProps,
        AwardGiveawayEffectProps as AwardGiveawayEffectProps,
        ChangeLoyaltyTierLevelEffectProps as ChangeLoyaltyTierLevelEffectProps,
        CouponCreatedEffectProps as CouponCreatedEffectProps,
        CustomEffectProps as CustomEffectProps,
        DeductLoyaltyPointsEffectProps as DeductLoyaltyPointsEffectProps,
        Effect as Effect,
        EffectProps as EffectProps,
        ErrorEffectProps as ErrorEffectProps,
        ExtendLoyaltyPointsExpiryDateEffectProps as ExtendLoyaltyPointsExpiryDateEffectProps,
        IncreaseAchievementProgressEffectProps as IncreaseAchievementProgressEffectProps,
        LoyaltyLedgerEntryExpiryDateChange as LoyaltyLedgerEntryExpiryDateChange,
        RedeemReferralEffectProps as RedeemReferralEffectProps,
        ReferralCreatedEffectProps as ReferralCreatedEffectProps,
        RejectCouponEffectProps as RejectCouponEffectProps,
        RejectReferralEffectProps as RejectReferralEffectProps,
        RemoveFromAudienceEffectProps as RemoveFromAudienceEffectProps,
        ReserveCouponEffectProps as ReserveCouponEffectProps,
        RollbackAddedLoyaltyPointsEffectProps as RollbackAddedLoyaltyPointsEffectProps,
        RollbackCouponEffectProps as RollbackCouponEffectProps,
        RollbackDeductedLoyaltyPointsEffectProps as RollbackDeductedLoyaltyPointsEffectProps,
        RollbackDiscountEffectProps as RollbackDiscountEffectProps,
        RollbackIncreasedAchievementProgressEffectProps as RollbackIncreasedAchievementProgressEffectProps,
        RollbackReferralEffectProps as RollbackReferralEffectProps,
        SetDiscountEffectProps as SetDiscountEffectProps,
        SetDiscountPerAdditionalCostEffectProps as SetDiscountPerAdditionalCostEffectProps,
        SetDiscountPerAdditionalCostPerItemEffectProps as SetDiscountPerAdditionalCostPerItemEffectProps,
        SetDiscountPerItemEffectProps as SetDiscountPerItemEffectProps,
        SetLoyaltyPointsExpiryDateEffectProps as SetLoyaltyPointsExpiryDateEffectProps,
        ShowBundleMetadataEffectProps as ShowBundleMetadataEffectProps,
        ShowNotificationEffectProps as ShowNotificationEffectProps,
        StrikethroughSetDiscountPerItemEffectProps as StrikethroughSetDiscountPerItemEffectProps,
        StrikethroughSetDiscountPerItemMemberEffectProps as StrikethroughSetDiscountPerItemMemberEffectProps,
        TriggerWebhookEffectProps as TriggerWebhookEffectProps,
        UpdateAttributeEffectProps as UpdateAttributeEffectProps,
        WillAwardGiveawayEffectProps as WillAwardGiveawayEffectProps,
    )
    from .events import (
        CouponRejectionReason as CouponRejectionReason,
        Event as Event,
        EventV3 as EventV3,
        Meta as Meta,
        NewEvent as NewEvent,
        ReferralRejectionReason as ReferralRejectionReason,
    )
    from .inventory import (
        AchievementProgress as AchievementProgress,
        AchievementProgressWithDefinition as AchievementProgressWithDefinition,
        CustomerAchievement as CustomerAchievement,
        CustomerInventory as CustomerInventory,
        Giveaway as Giveaway,
    )
    from .loyalty import (
        LedgerEntry as LedgerEntry,
        LedgerInfo as LedgerInfo,
        Loyalty as Loyalty,
        LoyaltyCard as LoyaltyCard,
        LoyaltyCardProfileRegistration as LoyaltyCardProfileRegistration,
        LoyaltyMembership as LoyaltyMembership,
        LoyaltyProgramLedgers as LoyaltyProgramLedgers,
        Tier as Tier,
    )
    from .profiles import (
        AudienceMembership as AudienceMembership,
        CustomerProfile as CustomerProfile,
        CustomerProfileAudienceRequest as CustomerProfileAudienceRequest,
        CustomerProfileAudienceRequestItem as CustomerProfileAudienceRequestItem,
        CustomerProfileIntegrationRequestV2 as CustomerProfileIntegrationRequestV2,
        CustomerProfileList as CustomerProfileList,
        MultipleCustomerProfileIntegrationRequest as MultipleCustomerProfileIntegrationRequest,
        MultipleCustomerProfileIntegrationRequestItem as MultipleCustomerProfileIntegrationRequestItem,
        NewCustomerProfile as NewCustomerProfile,
        ProfileAudiencesChanges as ProfileAudiencesChanges,
    )
    from .referrals import (
        InventoryReferral as InventoryReferral,
        NewReferral as NewReferral,
        NewReferralsForMultipleAdvocates as NewReferralsForMultipleAdvocates,
        Referral as Referral,
        ReferralList as ReferralList,
    )
    from .sessions import (
        AdditionalCost as AdditionalCost,
        CartItem as CartItem,
        CustomerSession as CustomerSession,
        CustomerSessionV2 as CustomerSessionV2,
        ExperimentVariantAllocation as ExperimentVariantAllocation,
        IntegrationRequest as IntegrationRequest,
        NewCustomerSession as NewCustomerSession,
        NewCustomerSessionV2 as NewCustomerSessionV2,
        NewReturn as NewReturn,
        PriceDetail as PriceDetail,
        Product as Product,
        Return as Return,
        ReturnedCartItem as ReturnedCartItem,
        ReturnIntegrationRequest as ReturnIntegrationRequest,
    )
    from .state import (
        Campaign as Campaign,
        CampaignBudget as CampaignBudget,
        CampaignEligibility as CampaignEligibility,
        CampaignEligibilityDetails as CampaignEligibilityDetails,
        CampaignEligibilityExperiment as CampaignEligibilityExperiment,
        CampaignEligibilityFailureDetails as CampaignEligibilityFailureDetails,
        CodeGeneratorSettings as CodeGeneratorSettings,
        CustomerProfileUpdateV2Response as CustomerProfileUpdateV2Response,
        IntegrationCustomerSessionResponse as IntegrationCustomerSessionResponse,
        IntegrationState as IntegrationState,
        IntegrationStateV2 as IntegrationStateV2,
        MultipleCustomerProfileIntegrationResponseV2 as MultipleCustomerProfileIntegrationResponseV2,
        RuleFailureReason as RuleFailureReason,
        RuleMetadataEligibility as RuleMetadataEligibility,
    )

_AREAS: dict[str, tuple[str, ...]] = {
    # area module -> the names it exports (its __all__); a test keeps the two in step
    "_base": ("Model",),
    "achievements": (
        "AchievementStatusEntry",
        "GetCustomerAchievementHistory200Response",
        "GetCustomerAchievements200Response",
        "TimePoint",
    ),
    "audiences": (
        "Audience",
        "AudienceReference",
        "NewAudience",
        "UpdateAudience",
    ),
    "campaigns": (
        "IntegrationCampaign",
        "IntegrationGetAllCampaigns200Response",
        "RuleMetadata",
    ),
    "catalogs": (
        "CATALOG_ACTION_PAYLOAD_TYPES",
        "AddItemCatalogAction",
        "AddPriceAdjustmentCatalogAction",
        "AdjustmentDetails",
        "BestPriorPrice",
        "BestPriorPriceMetadata",
        "BestPriorPriceRequest",
        "BestPriorTarget",
        "Catalog",
        "CatalogAction",
        "CatalogActionFilter",
        "CatalogActionPayload",
        "CatalogSyncRequest",
        "InfluencingCampaignDetails",
        "LabelTargetAudience",
        "LabelTargetNone",
        "NewPriceAdjustment",
        "PatchItemCatalogAction",
        "PatchManyItemsCatalogAction",
        "RemoveItemCatalogAction",
        "RemoveManyItemsCatalogAction",
    ),
    "coupons": (
        "Coupon",
        "CouponList",
        "CouponReservations",
        "IntegrationCoupon",
        "InventoryCoupon",
        "LimitConfig",
    ),
    "effects": (
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
    ),
    "events": (
        "CouponRejectionReason",
        "Event",
        "EventV3",
        "Meta",
        "NewEvent",
        "ReferralRejectionReason",
    ),
    "inventory": (
        "AchievementProgress",
        "AchievementProgressWithDefinition",
        "CustomerAchievement",
        "CustomerInventory",
        "Giveaway",
    ),
    "loyalty": (
        "LedgerEntry",
        "LedgerInfo",
        "Loyalty",
        "LoyaltyCard",
        "LoyaltyCardProfileRegistration",
        "LoyaltyMembership",
        "LoyaltyProgramLedgers",
        "Tier",
    ),
    "profiles": (
        "AudienceMembership",
        "CustomerProfile",
        "CustomerProfileAudienceRequest",
        "CustomerProfileAudienceRequestItem",
        "CustomerProfileIntegrationRequestV2",
        "CustomerProfileList",
        "MultipleCustomerProfileIntegrationRequest",
        "MultipleCustomerProfileIntegrationRequestItem",
        "NewCustomerProfile",
        "ProfileAudiencesChanges",
    ),
    "referrals": (
        "InventoryReferral",
        "NewReferral",
        "NewReferralsForMultipleAdvocates",
        "Referral",
        "ReferralList",
    ),
    "sessions": (
        "AdditionalCost",
        "CartItem",
        "CustomerSession",
        "CustomerSessionV2",
        "ExperimentVariantAllocation",
        "IntegrationRequest",
        "NewCustomerSession",
        "NewCustomerSessionV2",
        "NewReturn",
        "PriceDetail",
        "Product",
        "Return",
        "ReturnedCartItem",
        "ReturnIntegrationRequest",
    ),
    "state": (
        "Campaign",
        "CampaignBudget",
        "CampaignEligibility",
        "CampaignEligibilityDetails",
        "CampaignEligibilityExperiment",
        "CampaignEligibilityFailureDetails",
        "CodeGeneratorSettings",
        "CustomerProfileUpdateV2Response",
        "IntegrationCustomerSessionResponse",
        "IntegrationState",
        "IntegrationStateV2",
        "MultipleCustomerProfileIntegrationResponseV2",
        "RuleFailureReason",
        "RuleMetadataEligibility",
    ),
}
_AREA_OF = {name: area for area, names in _AREAS.items() for name in names}

__all__ = sorted(_AREA_OF)


if not TYPE_CHECKING:  # a type checker must not see this, or a misspelt import would be Any

    def __getattr__(name: str) -> Any:
        area = _AREA_OF.get(name)
        if area is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{__name__}.{area}"), name)
        globals()[name] = value  # looked up once; later accesses are plain module attributes
        return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
