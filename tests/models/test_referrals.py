"""Referral models against the examples of the referral endpoints."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from talon_async._convert import decode_json, encode, structure
from talon_async.models.referrals import (
    InventoryReferral,
    NewReferral,
    NewReferralsForMultipleAdvocates,
    Referral,
    ReferralList,
)


def referral_json() -> dict[str, Any]:
    return {
        "id": 6,
        "created": "2020-06-10T09:05:27.993483+00:00",
        "startDate": "2020-11-10T23:00:00+00:00",
        "expiryDate": "2021-11-10T23:00:00+00:00",
        "usageLimit": 1,
        "campaignId": 78,
        "advocateProfileIntegrationId": "URNGV8294NV",
        "friendProfileIntegrationId": "BZGGC2454PA",
        "attributes": {"channel": "web"},
        "importId": 4,
        "code": "27G47Y54VH9L",
        "usageCounter": 1,
        "batchId": "tqyrgahe",
    }


def test_new_referral_round_trips() -> None:
    data = {
        "startDate": "2020-11-10T23:00:00+00:00",
        "expiryDate": "2021-11-10T23:00:00+00:00",
        "usageLimit": 1,
        "campaignId": 78,
        "advocateProfileIntegrationId": "URNGV8294NV",
        "friendProfileIntegrationId": "BZGGC2454PA",
        "attributes": {"channel": "web"},
    }
    body = structure(data, NewReferral)
    assert body.campaign_id == 78
    assert body.start_date == datetime(2020, 11, 10, 23, tzinfo=timezone.utc)
    assert decode_json(encode(body)) == data


def test_new_referral_required_only() -> None:
    body = NewReferral(campaign_id=78, advocate_profile_integration_id="URNGV8294NV")
    assert decode_json(encode(body)) == {
        "campaignId": 78,
        "advocateProfileIntegrationId": "URNGV8294NV",
    }


def test_new_referral_encodes_aware_datetime() -> None:
    start = datetime(2024, 3, 1, 8, 30, tzinfo=timezone.utc)
    body = NewReferral(campaign_id=1, advocate_profile_integration_id="a", start_date=start)
    assert decode_json(encode(body))["startDate"] == "2024-03-01T08:30:00+00:00"


def test_referrals_for_multiple_advocates_round_trip() -> None:
    data = {
        "startDate": "2020-11-10T23:00:00+00:00",
        "usageLimit": 1,
        "campaignId": 45,
        "advocateProfileIntegrationIds": ["URNGV8294NV", "DRPVV9476AF"],
        "attributes": {"channel": "web"},
        "validCharacters": ["A", "B", "C"],
        "referralPattern": "REF-###-###",
    }
    body = structure(data, NewReferralsForMultipleAdvocates)
    assert body.advocate_profile_integration_ids == ["URNGV8294NV", "DRPVV9476AF"]
    assert body.expiry_date is None
    assert decode_json(encode(body)) == data

    minimal = NewReferralsForMultipleAdvocates(
        campaign_id=45, advocate_profile_integration_ids=["a"], usage_limit=2
    )
    assert decode_json(encode(minimal)) == {
        "campaignId": 45,
        "advocateProfileIntegrationIds": ["a"],
        "usageLimit": 2,
    }


def test_referral_response_round_trips() -> None:
    data = referral_json()
    referral = structure(data, Referral)
    assert referral.code == "27G47Y54VH9L"
    assert referral.created.tzinfo is not None
    assert referral.import_id == 4
    assert decode_json(encode(referral)) == data


def test_referral_list_round_trips() -> None:
    second = referral_json() | {"id": 7, "code": "XY12", "advocateProfileIntegrationId": "DRPV"}
    data = {"totalResultSize": 2, "data": [referral_json(), second]}
    page = structure(data, ReferralList)
    assert page.total_result_size == 2
    assert [r.code for r in page.data] == ["27G47Y54VH9L", "XY12"]
    assert all(isinstance(r, Referral) for r in page.data)
    assert decode_json(encode(page)) == data


def test_inventory_referral_has_referred_customers() -> None:
    data = referral_json() | {"referredCustomers": ["BZGGC2454PA"]}
    referral = structure(data, InventoryReferral)
    assert referral.referred_customers == ["BZGGC2454PA"]
    assert decode_json(encode(referral)) == data


def test_unknown_members_survive() -> None:
    data = referral_json() | {"channelScore": 0.5}
    referral = structure(data, Referral)
    assert referral.extra_fields == {"channelScore": 0.5}
    assert decode_json(encode(referral)) == data
