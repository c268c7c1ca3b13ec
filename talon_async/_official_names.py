"""The client's methods under the official SDKs' names: GENERATED, do not edit.

Written by ``python -m tests.generate`` from the table of operations
(:mod:`talon_async.operations`) and the resource methods; each method is the
resource method of its operation under the snake_case name of its operationId.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, overload

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime
    from typing import Any, Literal

    from typing_extensions import Unpack

    from ._operation import CallOptions
    from .models import (
        ActivateLoyaltyPoints,
        ActivateLoyaltyPointsResponse,
        Audience,
        BestPriorPrice,
        BestPriorPriceRequest,
        Catalog,
        CatalogSyncRequest,
        Coupon,
        CouponList,
        CouponReservations,
        CustomerInventory,
        CustomerProfileAudienceRequest,
        CustomerProfileIntegrationRequestV2,
        CustomerProfileList,
        DeleteLoyaltyTransactionsRequest,
        EventV3,
        GenerateLoyaltyCard,
        GetCustomerAchievementHistory200Response,
        GetCustomerAchievements200Response,
        GetLoyaltyCardPoints200Response,
        GetLoyaltyCardTransactions200Response,
        GetLoyaltyProgramProfilePoints200Response,
        GetLoyaltyProgramProfileTransactions200Response,
        IntegrationCustomerSessionResponse,
        IntegrationEventV2Request,
        IntegrationEventV2Response,
        IntegrationEventV3Request,
        IntegrationEventV3Response,
        IntegrationGetAllCampaigns200Response,
        IntegrationRequest,
        IntegrationState,
        IntegrationStateV2,
        LoyaltyBalancesWithTiers,
        LoyaltyCard,
        LoyaltyCardBalances,
        LoyaltyCardRegistration,
        MultipleCustomerProfileIntegrationRequest,
        MultipleCustomerProfileIntegrationResponseV2,
        NewAudience,
        NewCustomerProfile,
        NewCustomerSession,
        NewEvent,
        NewReferral,
        NewReferralsForMultipleAdvocates,
        Referral,
        ReferralList,
        ReopenSessionResponse,
        ReturnIntegrationRequest,
        UpdateAudience,
    )
    from .resources.achievements import AchievementsResource
    from .resources.audiences import AudiencesResource
    from .resources.campaigns import CampaignsResource
    from .resources.catalogs import CatalogsResource
    from .resources.coupon_reservations import CouponReservationsResource
    from .resources.customer_data import CustomerDataResource
    from .resources.events import EventsResource
    from .resources.loyalty import LoyaltyResource
    from .resources.profiles import ProfilesResource
    from .resources.referrals import ReferralsResource
    from .resources.sessions import SessionsResource


class OfficialNames:
    """Every operation under its official name (``client.update_customer_session_v2``)."""

    __slots__ = ()

    if TYPE_CHECKING:  # the client's resources, which these methods call
        sessions: SessionsResource
        profiles: ProfilesResource
        customer_data: CustomerDataResource
        events: EventsResource
        coupon_reservations: CouponReservationsResource
        referrals: ReferralsResource
        loyalty: LoyaltyResource
        audiences: AudiencesResource
        catalogs: CatalogsResource
        campaigns: CampaignsResource
        achievements: AchievementsResource

    async def update_customer_session_v2(
        self,
        customer_session_id: str,
        integration_request: IntegrationRequest,
        *,
        dry: bool = False,
        now: datetime | None = None,
        **options: Unpack[CallOptions],
    ) -> IntegrationStateV2:
        """The same as ``client.sessions.update_v2``
        (operationId updateCustomerSessionV2)."""
        return await self.sessions.update_v2(
            customer_session_id, integration_request, dry=dry, now=now, **options
        )

    async def get_customer_session(
        self, customer_session_id: str, **options: Unpack[CallOptions]
    ) -> IntegrationCustomerSessionResponse:
        """The same as ``client.sessions.get``
        (operationId getCustomerSession)."""
        return await self.sessions.get(customer_session_id, **options)

    async def reopen_customer_session(
        self, customer_session_id: str, **options: Unpack[CallOptions]
    ) -> ReopenSessionResponse:
        """The same as ``client.sessions.reopen``
        (operationId reopenCustomerSession)."""
        return await self.sessions.reopen(customer_session_id, **options)

    async def return_cart_items(
        self,
        customer_session_id: str,
        return_integration_request: ReturnIntegrationRequest,
        *,
        dry: bool = False,
        run_rule_engine: bool = False,
        **options: Unpack[CallOptions],
    ) -> IntegrationStateV2:
        """The same as ``client.sessions.return_items``
        (operationId returnCartItems)."""
        return await self.sessions.return_items(
            customer_session_id,
            return_integration_request,
            dry=dry,
            run_rule_engine=run_rule_engine,
            **options,
        )

    async def update_customer_session(
        self,
        customer_session_id: str,
        new_customer_session: NewCustomerSession,
        *,
        dry: bool = False,
        **options: Unpack[CallOptions],
    ) -> IntegrationState:
        """The same as ``client.sessions.update``
        (operationId updateCustomerSession)."""
        return await self.sessions.update(
            customer_session_id, new_customer_session, dry=dry, **options
        )

    async def update_customer_profile_v2(
        self,
        integration_id: str,
        body: CustomerProfileIntegrationRequestV2,
        *,
        run_rule_engine: bool = False,
        dry: bool = False,
        **options: Unpack[CallOptions],
    ) -> IntegrationStateV2:
        """The same as ``client.profiles.update_v2``
        (operationId updateCustomerProfileV2)."""
        return await self.profiles.update_v2(
            integration_id, body, run_rule_engine=run_rule_engine, dry=dry, **options
        )

    @overload
    async def update_customer_profiles_v2(
        self,
        body: MultipleCustomerProfileIntegrationRequest,
        *,
        silent: Literal[False] = ...,
        **options: Unpack[CallOptions],
    ) -> MultipleCustomerProfileIntegrationResponseV2: ...
    @overload
    async def update_customer_profiles_v2(
        self,
        body: MultipleCustomerProfileIntegrationRequest,
        *,
        silent: Literal[True],
        **options: Unpack[CallOptions],
    ) -> None: ...
    @overload
    async def update_customer_profiles_v2(
        self,
        body: MultipleCustomerProfileIntegrationRequest,
        *,
        silent: bool,
        **options: Unpack[CallOptions],
    ) -> MultipleCustomerProfileIntegrationResponseV2 | None: ...
    async def update_customer_profiles_v2(
        self,
        body: MultipleCustomerProfileIntegrationRequest,
        *,
        silent: bool = False,
        **options: Unpack[CallOptions],
    ) -> MultipleCustomerProfileIntegrationResponseV2 | None:
        """The same as ``client.profiles.update_many_v2``
        (operationId updateCustomerProfilesV2)."""
        return await self.profiles.update_many_v2(body, silent=silent, **options)

    async def update_customer_profile(
        self,
        integration_id: str,
        new_customer_profile: NewCustomerProfile,
        *,
        dry: bool = False,
        **options: Unpack[CallOptions],
    ) -> IntegrationState:
        """The same as ``client.profiles.update``
        (operationId updateCustomerProfile)."""
        return await self.profiles.update(integration_id, new_customer_profile, dry=dry, **options)

    async def get_customer_inventory(
        self,
        integration_id: str,
        *,
        profile: bool = False,
        referrals: bool = False,
        coupons: bool = False,
        loyalty: bool = False,
        giveaways: bool = False,
        achievements: bool = False,
        **options: Unpack[CallOptions],
    ) -> CustomerInventory:
        """The same as ``client.profiles.get_inventory``
        (operationId getCustomerInventory)."""
        return await self.profiles.get_inventory(
            integration_id,
            profile=profile,
            referrals=referrals,
            coupons=coupons,
            loyalty=loyalty,
            giveaways=giveaways,
            achievements=achievements,
            **options,
        )

    async def update_customer_profile_audiences(
        self,
        customer_profile_audience_request: CustomerProfileAudienceRequest,
        **options: Unpack[CallOptions],
    ) -> None:
        """The same as ``client.profiles.update_audiences``
        (operationId updateCustomerProfileAudiences)."""
        await self.profiles.update_audiences(customer_profile_audience_request, **options)

    async def delete_customer_data(
        self, integration_id: str, **options: Unpack[CallOptions]
    ) -> None:
        """The same as ``client.customer_data.delete``
        (operationId deleteCustomerData)."""
        await self.customer_data.delete(integration_id, **options)

    @overload
    async def track_event_v2(
        self,
        integration_event_v2_request: IntegrationEventV2Request,
        *,
        silent: Literal[False] = ...,
        dry: bool = ...,
        force_complete_evaluation: bool = ...,
        **options: Unpack[CallOptions],
    ) -> IntegrationEventV2Response: ...
    @overload
    async def track_event_v2(
        self,
        integration_event_v2_request: IntegrationEventV2Request,
        *,
        silent: Literal[True],
        dry: bool = ...,
        force_complete_evaluation: bool = ...,
        **options: Unpack[CallOptions],
    ) -> None: ...
    @overload
    async def track_event_v2(
        self,
        integration_event_v2_request: IntegrationEventV2Request,
        *,
        silent: bool,
        dry: bool = ...,
        force_complete_evaluation: bool = ...,
        **options: Unpack[CallOptions],
    ) -> IntegrationEventV2Response | None: ...
    async def track_event_v2(
        self,
        integration_event_v2_request: IntegrationEventV2Request,
        *,
        silent: bool = False,
        dry: bool = False,
        force_complete_evaluation: bool = False,
        **options: Unpack[CallOptions],
    ) -> IntegrationEventV2Response | None:
        """The same as ``client.events.track_v2``
        (operationId trackEventV2)."""
        return await self.events.track_v2(
            integration_event_v2_request,
            silent=silent,
            dry=dry,
            force_complete_evaluation=force_complete_evaluation,
            **options,
        )

    @overload
    async def track_event_v3(
        self,
        integration_event_v3_request: IntegrationEventV3Request,
        *,
        silent: Literal[False] = ...,
        dry: bool = ...,
        force_complete_evaluation: bool = ...,
        **options: Unpack[CallOptions],
    ) -> IntegrationEventV3Response: ...
    @overload
    async def track_event_v3(
        self,
        integration_event_v3_request: IntegrationEventV3Request,
        *,
        silent: Literal[True],
        dry: bool = ...,
        force_complete_evaluation: bool = ...,
        **options: Unpack[CallOptions],
    ) -> None: ...
    @overload
    async def track_event_v3(
        self,
        integration_event_v3_request: IntegrationEventV3Request,
        *,
        silent: bool,
        dry: bool = ...,
        force_complete_evaluation: bool = ...,
        **options: Unpack[CallOptions],
    ) -> IntegrationEventV3Response | None: ...
    async def track_event_v3(
        self,
        integration_event_v3_request: IntegrationEventV3Request,
        *,
        silent: bool = False,
        dry: bool = False,
        force_complete_evaluation: bool = False,
        **options: Unpack[CallOptions],
    ) -> IntegrationEventV3Response | None:
        """The same as ``client.events.track_v3``
        (operationId trackEventV3)."""
        return await self.events.track_v3(
            integration_event_v3_request,
            silent=silent,
            dry=dry,
            force_complete_evaluation=force_complete_evaluation,
            **options,
        )

    async def get_event_v3(self, integration_id: str, **options: Unpack[CallOptions]) -> EventV3:
        """The same as ``client.events.get_v3``
        (operationId getEventV3)."""
        return await self.events.get_v3(integration_id, **options)

    async def track_event(
        self, new_event: NewEvent, *, dry: bool = False, **options: Unpack[CallOptions]
    ) -> IntegrationState:
        """The same as ``client.events.track``
        (operationId trackEvent)."""
        return await self.events.track(new_event, dry=dry, **options)

    async def create_coupon_reservation(
        self,
        coupon_value: str,
        coupon_reservations: CouponReservations,
        **options: Unpack[CallOptions],
    ) -> Coupon:
        """The same as ``client.coupon_reservations.create``
        (operationId createCouponReservation)."""
        return await self.coupon_reservations.create(coupon_value, coupon_reservations, **options)

    async def delete_coupon_reservation(
        self,
        coupon_value: str,
        coupon_reservations: CouponReservations,
        **options: Unpack[CallOptions],
    ) -> None:
        """The same as ``client.coupon_reservations.delete``
        (operationId deleteCouponReservation)."""
        await self.coupon_reservations.delete(coupon_value, coupon_reservations, **options)

    async def get_reserved_coupons(
        self, integration_id: str, **options: Unpack[CallOptions]
    ) -> CouponList:
        """The same as ``client.coupon_reservations.list_coupons``
        (operationId getReservedCoupons)."""
        return await self.coupon_reservations.list_coupons(integration_id, **options)

    async def get_reserved_customers(
        self, coupon_value: str, **options: Unpack[CallOptions]
    ) -> CustomerProfileList:
        """The same as ``client.coupon_reservations.list_customers``
        (operationId getReservedCustomers)."""
        return await self.coupon_reservations.list_customers(coupon_value, **options)

    async def create_referral(
        self, new_referral: NewReferral, **options: Unpack[CallOptions]
    ) -> Referral:
        """The same as ``client.referrals.create``
        (operationId createReferral)."""
        return await self.referrals.create(new_referral, **options)

    @overload
    async def create_referrals_for_multiple_advocates(
        self,
        body: NewReferralsForMultipleAdvocates,
        *,
        silent: Literal[False] = ...,
        **options: Unpack[CallOptions],
    ) -> ReferralList: ...
    @overload
    async def create_referrals_for_multiple_advocates(
        self,
        body: NewReferralsForMultipleAdvocates,
        *,
        silent: Literal[True],
        **options: Unpack[CallOptions],
    ) -> None: ...
    @overload
    async def create_referrals_for_multiple_advocates(
        self,
        body: NewReferralsForMultipleAdvocates,
        *,
        silent: bool,
        **options: Unpack[CallOptions],
    ) -> ReferralList | None: ...
    async def create_referrals_for_multiple_advocates(
        self,
        body: NewReferralsForMultipleAdvocates,
        *,
        silent: bool = False,
        **options: Unpack[CallOptions],
    ) -> ReferralList | None:
        """The same as ``client.referrals.create_for_multiple_advocates``
        (operationId createReferralsForMultipleAdvocates)."""
        return await self.referrals.create_for_multiple_advocates(body, silent=silent, **options)

    async def get_loyalty_balances(
        self,
        loyalty_program_id: int,
        integration_id: str,
        *,
        end_date: datetime | None = None,
        subledger_id: str | None = None,
        include_tiers: bool = False,
        include_projected_tier: bool = False,
        **options: Unpack[CallOptions],
    ) -> LoyaltyBalancesWithTiers:
        """The same as ``client.loyalty.get_balances``
        (operationId getLoyaltyBalances)."""
        return await self.loyalty.get_balances(
            loyalty_program_id,
            integration_id,
            end_date=end_date,
            subledger_id=subledger_id,
            include_tiers=include_tiers,
            include_projected_tier=include_projected_tier,
            **options,
        )

    async def get_loyalty_card_balances(
        self,
        loyalty_program_id: int,
        loyalty_card_id: str,
        *,
        end_date: datetime | None = None,
        subledger_id: Sequence[str] | None = None,
        **options: Unpack[CallOptions],
    ) -> LoyaltyCardBalances:
        """The same as ``client.loyalty.get_card_balances``
        (operationId getLoyaltyCardBalances)."""
        return await self.loyalty.get_card_balances(
            loyalty_program_id,
            loyalty_card_id,
            end_date=end_date,
            subledger_id=subledger_id,
            **options,
        )

    async def get_loyalty_program_profile_points(
        self,
        loyalty_program_id: int,
        integration_id: str,
        *,
        status: str | None = None,
        subledger_id: Sequence[str] | None = None,
        customer_session_ids: Sequence[str] | None = None,
        transaction_uuids: Sequence[str] | None = None,
        page_size: int | None = None,
        skip: int | None = None,
        sort: str | None = None,
        **options: Unpack[CallOptions],
    ) -> GetLoyaltyProgramProfilePoints200Response:
        """The same as ``client.loyalty.get_profile_points``
        (operationId getLoyaltyProgramProfilePoints)."""
        return await self.loyalty.get_profile_points(
            loyalty_program_id,
            integration_id,
            status=status,
            subledger_id=subledger_id,
            customer_session_ids=customer_session_ids,
            transaction_uuids=transaction_uuids,
            page_size=page_size,
            skip=skip,
            sort=sort,
            **options,
        )

    async def get_loyalty_card_points(
        self,
        loyalty_program_id: int,
        loyalty_card_id: str,
        *,
        status: str | None = None,
        subledger_id: Sequence[str] | None = None,
        customer_session_ids: Sequence[str] | None = None,
        transaction_uuids: Sequence[str] | None = None,
        page_size: int | None = None,
        skip: int | None = None,
        sort: str | None = None,
        **options: Unpack[CallOptions],
    ) -> GetLoyaltyCardPoints200Response:
        """The same as ``client.loyalty.get_card_points``
        (operationId getLoyaltyCardPoints)."""
        return await self.loyalty.get_card_points(
            loyalty_program_id,
            loyalty_card_id,
            status=status,
            subledger_id=subledger_id,
            customer_session_ids=customer_session_ids,
            transaction_uuids=transaction_uuids,
            page_size=page_size,
            skip=skip,
            sort=sort,
            **options,
        )

    async def get_loyalty_program_profile_transactions(
        self,
        loyalty_program_id: int,
        integration_id: str,
        *,
        customer_session_ids: Sequence[str] | None = None,
        transaction_uuids: Sequence[str] | None = None,
        subledger_id: str | None = None,
        loyalty_transaction_type: str | None = None,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        page_size: int | None = None,
        skip: int | None = None,
        awaits_activation: bool | None = None,
        **options: Unpack[CallOptions],
    ) -> GetLoyaltyProgramProfileTransactions200Response:
        """The same as ``client.loyalty.get_profile_transactions``
        (operationId getLoyaltyProgramProfileTransactions)."""
        return await self.loyalty.get_profile_transactions(
            loyalty_program_id,
            integration_id,
            customer_session_ids=customer_session_ids,
            transaction_uuids=transaction_uuids,
            subledger_id=subledger_id,
            loyalty_transaction_type=loyalty_transaction_type,
            start_date=start_date,
            end_date=end_date,
            page_size=page_size,
            skip=skip,
            awaits_activation=awaits_activation,
            **options,
        )

    async def get_loyalty_card_transactions(
        self,
        loyalty_program_id: int,
        loyalty_card_id: str,
        *,
        subledger_id: Sequence[str] | None = None,
        loyalty_transaction_type: str | None = None,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        customer_session_ids: Sequence[str] | None = None,
        transaction_uuids: Sequence[str] | None = None,
        page_size: int | None = None,
        skip: int | None = None,
        awaits_activation: bool | None = None,
        **options: Unpack[CallOptions],
    ) -> GetLoyaltyCardTransactions200Response:
        """The same as ``client.loyalty.get_card_transactions``
        (operationId getLoyaltyCardTransactions)."""
        return await self.loyalty.get_card_transactions(
            loyalty_program_id,
            loyalty_card_id,
            subledger_id=subledger_id,
            loyalty_transaction_type=loyalty_transaction_type,
            start_date=start_date,
            end_date=end_date,
            customer_session_ids=customer_session_ids,
            transaction_uuids=transaction_uuids,
            page_size=page_size,
            skip=skip,
            awaits_activation=awaits_activation,
            **options,
        )

    async def delete_loyalty_transactions_from_ledgers(
        self,
        loyalty_program_id: int,
        integration_id: str,
        body: DeleteLoyaltyTransactionsRequest,
        **options: Unpack[CallOptions],
    ) -> None:
        """The same as ``client.loyalty.delete_transactions``
        (operationId deleteLoyaltyTransactionsFromLedgers)."""
        await self.loyalty.delete_transactions(loyalty_program_id, integration_id, body, **options)

    async def activate_loyalty_points(
        self,
        loyalty_program_id: int,
        body: ActivateLoyaltyPoints,
        **options: Unpack[CallOptions],
    ) -> ActivateLoyaltyPointsResponse:
        """The same as ``client.loyalty.activate_points``
        (operationId activateLoyaltyPoints)."""
        return await self.loyalty.activate_points(loyalty_program_id, body, **options)

    async def generate_loyalty_card(
        self,
        loyalty_program_id: int,
        body: GenerateLoyaltyCard,
        **options: Unpack[CallOptions],
    ) -> LoyaltyCard:
        """The same as ``client.loyalty.generate_card``
        (operationId generateLoyaltyCard)."""
        return await self.loyalty.generate_card(loyalty_program_id, body, **options)

    async def link_loyalty_card_to_profile(
        self,
        loyalty_program_id: int,
        loyalty_card_id: str,
        body: LoyaltyCardRegistration,
        **options: Unpack[CallOptions],
    ) -> LoyaltyCard:
        """The same as ``client.loyalty.link_card``
        (operationId linkLoyaltyCardToProfile)."""
        return await self.loyalty.link_card(loyalty_program_id, loyalty_card_id, body, **options)

    async def unlink_loyalty_card_from_profile(
        self,
        loyalty_program_id: int,
        loyalty_card_id: str,
        body: LoyaltyCardRegistration,
        **options: Unpack[CallOptions],
    ) -> LoyaltyCard:
        """The same as ``client.loyalty.unlink_card``
        (operationId unlinkLoyaltyCardFromProfile)."""
        return await self.loyalty.unlink_card(loyalty_program_id, loyalty_card_id, body, **options)

    async def create_audience_v2(
        self, new_audience: NewAudience, **options: Unpack[CallOptions]
    ) -> Audience:
        """The same as ``client.audiences.create``
        (operationId createAudienceV2)."""
        return await self.audiences.create(new_audience, **options)

    async def update_audience_v2(
        self,
        audience_id: int,
        update_audience: UpdateAudience,
        **options: Unpack[CallOptions],
    ) -> Audience:
        """The same as ``client.audiences.update``
        (operationId updateAudienceV2)."""
        return await self.audiences.update(audience_id, update_audience, **options)

    async def delete_audience_v2(self, audience_id: int, **options: Unpack[CallOptions]) -> None:
        """The same as ``client.audiences.delete``
        (operationId deleteAudienceV2)."""
        await self.audiences.delete(audience_id, **options)

    async def delete_audience_memberships_v2(
        self, audience_id: int, **options: Unpack[CallOptions]
    ) -> None:
        """The same as ``client.audiences.delete_memberships``
        (operationId deleteAudienceMembershipsV2)."""
        await self.audiences.delete_memberships(audience_id, **options)

    async def update_audience_customers_attributes(
        self,
        audience_id: int,
        attributes: dict[str, Any],
        **options: Unpack[CallOptions],
    ) -> None:
        """The same as ``client.audiences.update_customers_attributes``
        (operationId updateAudienceCustomersAttributes)."""
        await self.audiences.update_customers_attributes(audience_id, attributes, **options)

    async def sync_catalog(
        self,
        catalog_id: int,
        catalog_sync_request: CatalogSyncRequest,
        **options: Unpack[CallOptions],
    ) -> Catalog:
        """The same as ``client.catalogs.sync``
        (operationId syncCatalog)."""
        return await self.catalogs.sync(catalog_id, catalog_sync_request, **options)

    async def best_prior_price(
        self,
        best_prior_price_request: BestPriorPriceRequest,
        **options: Unpack[CallOptions],
    ) -> list[BestPriorPrice]:
        """The same as ``client.catalogs.best_prior_price``
        (operationId bestPriorPrice)."""
        return await self.catalogs.best_prior_price(best_prior_price_request, **options)

    async def integration_get_all_campaigns(
        self,
        *,
        page_size: int | None = None,
        skip: int | None = None,
        campaign_ids: Sequence[int] | None = None,
        start_after: datetime | None = None,
        start_before: datetime | None = None,
        end_after: datetime | None = None,
        end_before: datetime | None = None,
        **options: Unpack[CallOptions],
    ) -> IntegrationGetAllCampaigns200Response:
        """The same as ``client.campaigns.get_all``
        (operationId integrationGetAllCampaigns)."""
        return await self.campaigns.get_all(
            page_size=page_size,
            skip=skip,
            campaign_ids=campaign_ids,
            start_after=start_after,
            start_before=start_before,
            end_after=end_after,
            end_before=end_before,
            **options,
        )

    async def get_customer_achievements(
        self,
        integration_id: str,
        *,
        campaign_ids: Sequence[int] | None = None,
        achievement_ids: Sequence[int] | None = None,
        achievement_status: Sequence[str] | None = None,
        current_progress_status: Sequence[str] | None = None,
        page_size: int | None = None,
        skip: int | None = None,
        **options: Unpack[CallOptions],
    ) -> GetCustomerAchievements200Response:
        """The same as ``client.achievements.get_for_customer``
        (operationId getCustomerAchievements)."""
        return await self.achievements.get_for_customer(
            integration_id,
            campaign_ids=campaign_ids,
            achievement_ids=achievement_ids,
            achievement_status=achievement_status,
            current_progress_status=current_progress_status,
            page_size=page_size,
            skip=skip,
            **options,
        )

    async def get_customer_achievement_history(
        self,
        integration_id: str,
        achievement_id: int,
        *,
        progress_status: Sequence[str] | None = None,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        page_size: int | None = None,
        skip: int | None = None,
        **options: Unpack[CallOptions],
    ) -> GetCustomerAchievementHistory200Response:
        """The same as ``client.achievements.get_history``
        (operationId getCustomerAchievementHistory)."""
        return await self.achievements.get_history(
            integration_id,
            achievement_id,
            progress_status=progress_status,
            start_date=start_date,
            end_date=end_date,
            page_size=page_size,
            skip=skip,
            **options,
        )
