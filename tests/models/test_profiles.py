"""Customer profile models against the examples of the profile and audience endpoints."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from talon_async._convert import decode_json, encode, structure
from talon_async.models.loyalty_embedded import LoyaltyMembership
from talon_async.models.profiles import (
    AudienceMembership,
    CustomerProfile,
    CustomerProfileAudienceRequest,
    CustomerProfileAudienceRequestItem,
    CustomerProfileIntegrationRequestV2,
    CustomerProfileList,
    MultipleCustomerProfileIntegrationRequest,
    MultipleCustomerProfileIntegrationRequestItem,
    NewCustomerProfile,
    ProfileAudiencesChanges,
)


def profile_json() -> dict[str, Any]:
    return {
        "id": 6,
        "created": "2020-02-07T08:15:22+00:00",
        "integrationId": "URNGV8294NV",
        "attributes": {"Language": "english", "ShippingCountry": "DE"},
        "accountId": 31,
        "closedSessions": 3,
        "totalSales": 299.99,
        "loyaltyMemberships": [{"joined": "2012-03-20T14:15:22+00:00", "loyaltyProgramId": 323}],
        "audienceMemberships": [{"id": 2, "name": "Travel audience"}],
        "lastActivity": "2020-02-08T14:15:20+00:00",
        "sandbox": False,
    }


def test_customer_profile_round_trips() -> None:
    data = profile_json()
    profile = structure(data, CustomerProfile)
    assert profile.integration_id == "URNGV8294NV"
    assert profile.total_sales == 299.99
    assert profile.last_activity == datetime(2020, 2, 8, 14, 15, 20, tzinfo=timezone.utc)
    assert profile.loyalty_memberships is not None
    membership = profile.loyalty_memberships[0]
    assert isinstance(membership, LoyaltyMembership)
    assert membership.loyalty_program_id == 323
    assert membership.joined is not None and membership.joined.tzinfo is not None
    assert profile.audience_memberships == [AudienceMembership(id=2, name="Travel audience")]
    assert decode_json(encode(profile)) == data


def test_profile_with_null_loyalty_memberships() -> None:
    data = profile_json() | {"loyaltyMemberships": None}
    profile = structure(data, CustomerProfile)
    assert profile.loyalty_memberships is None
    encoded = decode_json(encode(profile))
    assert "loyaltyMemberships" not in encoded
    assert encoded == {k: v for k, v in data.items() if k != "loyaltyMemberships"}


def test_customer_profile_list_round_trips() -> None:
    data = {"totalResultSize": 1, "data": [profile_json()]}
    page = structure(data, CustomerProfileList)
    assert page.total_result_size == 1
    assert isinstance(page.data[0], CustomerProfile)
    assert decode_json(encode(page)) == data


def test_v2_profile_update_request() -> None:
    data = {
        "attributes": {"Language": "english", "ShippingCountry": "DE"},
        "evaluableCampaignIds": [10, 12],
        "responseContent": ["triggeredCampaigns", "customerProfile"],
        "audiencesChanges": {"adds": [2, 4], "deletes": [7]},
    }
    body = structure(data, CustomerProfileIntegrationRequestV2)
    assert body.evaluable_campaign_ids == [10, 12]
    assert isinstance(body.audiences_changes, ProfileAudiencesChanges)
    assert body.audiences_changes.deletes == [7]
    assert decode_json(encode(body)) == data

    assert decode_json(encode(CustomerProfileIntegrationRequestV2())) == {}
    only_attributes = CustomerProfileIntegrationRequestV2(attributes={"Language": "german"})
    assert decode_json(encode(only_attributes)) == {"attributes": {"Language": "german"}}


def test_legacy_profile_update_request() -> None:
    assert decode_json(encode(NewCustomerProfile(attributes={"Name": "Jo"}))) == {
        "attributes": {"Name": "Jo"}
    }
    assert decode_json(encode(NewCustomerProfile())) == {}


def test_bulk_profile_update_request() -> None:
    data = {
        "customerProfiles": [
            {"attributes": {"Language": "english", "ShippingCountry": "DE"}, "integrationId": "R1"},
            {"integrationId": "R2"},
        ]
    }
    body = structure(data, MultipleCustomerProfileIntegrationRequest)
    assert body.customer_profiles is not None
    assert isinstance(body.customer_profiles[1], MultipleCustomerProfileIntegrationRequestItem)
    assert body.customer_profiles[1].attributes is None
    assert decode_json(encode(body)) == data

    built = MultipleCustomerProfileIntegrationRequest(
        customer_profiles=[MultipleCustomerProfileIntegrationRequestItem(integration_id="R3")]
    )
    assert decode_json(encode(built)) == {"customerProfiles": [{"integrationId": "R3"}]}


def test_audience_request() -> None:
    data = {
        "data": [
            {"action": "add", "profileIntegrationId": "R195412", "audienceId": 748},
            {"action": "delete", "profileIntegrationId": "R195412", "audienceId": 749},
        ]
    }
    body = structure(data, CustomerProfileAudienceRequest)
    assert body.data is not None
    assert body.data[0].audience_id == 748
    assert decode_json(encode(body)) == data

    item = CustomerProfileAudienceRequestItem(
        action="add", profile_integration_id="R1", audience_id=5
    )
    assert decode_json(encode(item)) == {
        "action": "add",
        "profileIntegrationId": "R1",
        "audienceId": 5,
    }


def test_unknown_members_survive() -> None:
    data = profile_json() | {"segment": "vip"}
    data["audienceMemberships"][0]["kind"] = "static"
    profile = structure(data, CustomerProfile)
    assert profile.extra_fields == {"segment": "vip"}
    assert profile.audience_memberships is not None
    assert profile.audience_memberships[0].extra_fields == {"kind": "static"}
    assert decode_json(encode(profile)) == data
