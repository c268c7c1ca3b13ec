"""Integration state models: the answers of session, profile and event updates."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from uuid import UUID

from talon_async._convert import decode_json, encode, structure
from talon_async.models.coupons import Coupon, IntegrationCoupon, LimitConfig
from talon_async.models.effects import (
    AcceptCouponEffectProps,
    AddLoyaltyPointsEffectProps,
    CouponCreatedEffectProps,
    Effect,
    SetDiscountEffectProps,
    SetDiscountPerItemEffectProps,
)
from talon_async.models.events import Event
from talon_async.models.loyalty_embedded import Loyalty
from talon_async.models.profiles import AudienceMembership, CustomerProfile
from talon_async.models.sessions import (
    AdditionalCost,
    CartItem,
    CustomerSession,
    CustomerSessionV2,
    PriceDetail,
    Return,
)
from talon_async.models.state import (
    Campaign,
    CampaignBudget,
    CampaignEligibility,
    CampaignEligibilityDetails,
    CampaignEligibilityExperiment,
    CampaignEligibilityFailureDetails,
    CodeGeneratorSettings,
    CustomerProfileUpdateV2Response,
    IntegrationCustomerSessionResponse,
    IntegrationState,
    IntegrationStateV2,
    MultipleCustomerProfileIntegrationResponseV2,
    RuleFailureReason,
    RuleMetadataEligibility,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "integration_state_v2.json"


def state_json() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return loaded


def profile_json() -> dict[str, Any]:
    return {
        "id": 6,
        "created": "2023-02-07T08:15:22+00:00",
        "integrationId": "URNGV8294NV",
        "attributes": {"Language": "english"},
        "accountId": 31,
        "closedSessions": 3,
        "totalSales": 299.99,
        "lastActivity": "2024-03-18T10:45:31+00:00",
    }


def test_integration_state_v2_decodes_to_typed_models() -> None:
    state = structure(state_json(), IntegrationStateV2)

    session = state.customer_session
    assert isinstance(session, CustomerSessionV2)
    assert session.created == datetime(2024, 3, 18, 10, 42, 7, 519843, tzinfo=timezone.utc)
    assert session.store_integration_id == "STORE-001"
    assert session.cart_items is not None
    assert len(session.cart_items) == 3
    assert all(isinstance(item, CartItem) for item in session.cart_items)
    shoes = session.cart_items[0]
    assert shoes.catalog_item_id == 4011
    assert shoes.adjustment_reference_id == UUID("68851723-e6fa-488f-ace9-112581e6c19b")
    assert shoes.additional_costs == {"shipping": AdditionalCost(price=9)}
    assert shoes.prices is not None
    assert isinstance(shoes.prices["member"], PriceDetail)
    assert shoes.prices["member"].price == 89.99
    assert session.experiment_variant_allocations is not None
    assert session.experiment_variant_allocations[0].variant_id == 2

    profile = state.customer_profile
    assert isinstance(profile, CustomerProfile)
    assert profile.integration_id == "URNGV8294NV"
    assert profile.attributes["ShippingCountry"] == "DE"
    assert profile.audience_memberships == [AudienceMembership(id=2, name="Travel audience")]

    assert isinstance(state.loyalty, Loyalty)
    assert state.loyalty.programs["45"].ledger.current_balance == 120

    effects = state.effects
    assert all(isinstance(effect, Effect) for effect in effects)
    assert [type(effect.props) for effect in effects] == [
        AcceptCouponEffectProps,
        SetDiscountEffectProps,
        SetDiscountPerItemEffectProps,
        AddLoyaltyPointsEffectProps,
        CouponCreatedEffectProps,
    ]
    assert effects[0].evaluation_group_id == 3
    loyalty_points = effects[3].props
    assert isinstance(loyalty_points, AddLoyaltyPointsEffectProps)
    assert loyalty_points.transaction_uuid == "8b4e6c0f-6f0a-4c53-9b2c-5a0f1d7e2e11"

    assert state.triggered_campaigns is not None
    spring, socks = state.triggered_campaigns
    assert isinstance(spring, Campaign)
    assert spring.start_time == datetime(2024, 3, 1, tzinfo=timezone.utc)
    assert isinstance(spring.coupon_settings, CodeGeneratorSettings)
    assert spring.coupon_settings.coupon_pattern == "SPRING-####"
    assert spring.limits == [
        LimitConfig(action="setDiscount", limit=10000, period="daily", entities=["Coupon"])
    ]
    assert spring.budgets == [CampaignBudget(action="setDiscount", limit=10000, counter=1873.5)]
    assert socks.budgets is None
    assert socks.reevaluate_on_return is False

    assert state.rule_failure_reasons is not None
    failure = state.rule_failure_reasons[0]
    assert isinstance(failure, RuleFailureReason)
    assert (failure.campaign_id, failure.ruleset_id, failure.evaluation_group_id) == (7, 9, 3)

    assert len(state.created_coupons) == 1
    created = state.created_coupons[0]
    assert isinstance(created, Coupon)
    assert created.value == "THANKS-7Q2K"
    assert state.created_referrals == []
    assert state.coupons is not None
    assert isinstance(state.coupons[0], IntegrationCoupon)
    assert state.coupons[0].profile_redemption_count == 1

    assert state.event is None
    assert state.return_ is None


def test_integration_state_v2_round_trips() -> None:
    data = state_json()
    state = structure(data, IntegrationStateV2)
    assert decode_json(encode(state)) == data


def test_minimal_integration_state_v2_encodes_only_its_fields() -> None:
    data: dict[str, Any] = {"effects": [], "createdCoupons": [], "createdReferrals": []}
    state = structure(data, IntegrationStateV2)
    assert state.customer_session is None
    assert decode_json(encode(state)) == data


def test_unknown_members_and_effect_types_survive() -> None:
    data = state_json()
    data["loyaltyTiers"] = ["silver"]
    data["effects"].append(
        {
            "campaignId": 4,
            "rulesetId": 6,
            "ruleIndex": 4,
            "ruleName": "Future effect",
            "effectType": "someEffectFromTomorrow",
            "props": {"anything": [1, 2]},
        }
    )
    data["triggeredCampaigns"][0]["loyaltyProgramIds"] = [45]
    state = structure(data, IntegrationStateV2)
    assert state.extra_fields == {"loyaltyTiers": ["silver"]}
    assert state.effects[-1].props == {"anything": [1, 2]}
    assert state.triggered_campaigns is not None
    assert state.triggered_campaigns[0].extra_fields == {"loyaltyProgramIds": [45]}
    assert decode_json(encode(state)) == data


def test_returns_use_the_return_key() -> None:
    returned = {
        "id": 2,
        "created": "2024-03-20T09:00:00+00:00",
        "applicationId": 322,
        "accountId": 31,
        "returnedCartItems": [{"position": 0, "quantity": 1}],
        "eventId": 781,
        "sessionId": 5837,
        "sessionIntegrationId": "sess-8f3a2c71",
    }
    data = {
        "effects": [],
        "createdCoupons": [],
        "createdReferrals": [],
        "return": returned,
        "previousReturns": [returned],
    }
    state = structure(data, IntegrationStateV2)
    assert isinstance(state.return_, Return)
    assert state.return_.event_id == 781
    assert state.previous_returns == [state.return_]
    assert decode_json(encode(state)) == data


def test_campaign_eligibility_structures_and_round_trips() -> None:
    data = {
        "effects": [],
        "createdCoupons": [],
        "createdReferrals": [],
        "campaignEligibility": [
            {
                "applicationId": 322,
                "id": 4,
                "name": "Spring promotions",
                "state": "enabled",
                "tags": ["spring"],
                "features": ["coupons"],
                "startTime": "2024-03-01T00:00:00+00:00",
                "eligibility": [
                    {"passed": True, "couponCode": "SPRING-20-2024"},
                    {"passed": False, "details": {"failureCode": "CampaignLimitReached"}},
                ],
                "rules": [
                    {
                        "title": "10% off",
                        "displayName": "Spring discount",
                        "eligibility": [{"passed": True}],
                    }
                ],
                "experiment": {"id": 8, "variantId": 2},
            }
        ],
    }
    state = structure(data, IntegrationStateV2)
    assert state.campaign_eligibility is not None
    campaign = state.campaign_eligibility[0]
    assert isinstance(campaign, CampaignEligibility)
    assert campaign.eligibility[1] == CampaignEligibilityDetails(
        passed=False,
        details=CampaignEligibilityFailureDetails(failure_code="CampaignLimitReached"),
    )
    assert isinstance(campaign.rules[0], RuleMetadataEligibility)
    assert campaign.rules[0].display_name == "Spring discount"
    assert campaign.experiment == CampaignEligibilityExperiment(id=8, variant_id=2)
    assert decode_json(encode(state)) == data


def test_legacy_integration_state_round_trips() -> None:
    data = {
        "session": {
            "integrationId": "sess-1",
            "created": "2019-05-01T12:00:00+00:00",
            "applicationId": 17,
            "profileId": "URNGV8294NV",
            "coupon": "XMAS-20-2021",
            "referral": "",
            "state": "open",
            "cartItems": [
                {"name": "Air Glide", "sku": "SKU1241028", "quantity": 1, "price": 99.99}
            ],
            "total": 99.99,
            "attributes": {},
            "firstSession": True,
            "discounts": {"Xmas": 20},
        },
        "profile": profile_json(),
        "event": {
            "id": 781,
            "created": "2019-05-01T12:00:01+00:00",
            "applicationId": 17,
            "profileId": "URNGV8294NV",
            "type": "talon_session_updated",
            "attributes": {},
            "sessionId": "sess-1",
            "effects": [[4, 6, 0, ["acceptCoupon", "XMAS-20-2021"]]],
            "ledgerEntries": [],
        },
        "coupon": {
            "id": 4928,
            "created": "2019-01-01T00:00:00+00:00",
            "campaignId": 4,
            "value": "XMAS-20-2021",
            "usageLimit": 100,
            "usageCounter": 11,
        },
    }
    state = structure(data, IntegrationState)
    assert isinstance(state.session, CustomerSession)
    assert state.session.discounts == {"Xmas": 20.0}
    assert isinstance(state.profile, CustomerProfile)
    assert isinstance(state.event, Event)
    assert state.event.effects[0][3] == ["acceptCoupon", "XMAS-20-2021"]
    assert isinstance(state.coupon, Coupon)
    assert state.loyalty is None
    assert decode_json(encode(state)) == data


def test_multiple_profile_response_round_trips() -> None:
    data = {"integrationStates": [{"customerProfile": profile_json()}]}
    response = structure(data, MultipleCustomerProfileIntegrationResponseV2)
    assert response.integration_states is not None
    item = response.integration_states[0]
    assert isinstance(item, CustomerProfileUpdateV2Response)
    assert item.customer_profile.total_sales == 299.99
    assert decode_json(encode(response)) == data
    assert decode_json(encode(MultipleCustomerProfileIntegrationResponseV2())) == {}


def test_customer_session_response_round_trips() -> None:
    full = state_json()
    data = {"customerSession": full["customerSession"], "effects": full["effects"][:2]}
    response = structure(data, IntegrationCustomerSessionResponse)
    assert isinstance(response.customer_session, CustomerSessionV2)
    assert response.effects is not None
    assert isinstance(response.effects[1].props, SetDiscountEffectProps)
    assert decode_json(encode(response)) == data
