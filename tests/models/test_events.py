"""Event models: the deprecated v1 event request and recorded events."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from talon_async._convert import decode_json, encode, structure
from talon_async.models.events import (
    CouponRejectionReason,
    Event,
    EventV3,
    Meta,
    NewEvent,
    ReferralRejectionReason,
)
from talon_async.models.loyalty_embedded import LedgerEntry


def event_json() -> dict[str, Any]:
    return {
        "id": 781,
        "created": "2024-03-18T10:45:31.204117+00:00",
        "applicationId": 322,
        "profileId": "URNGV8294NV",
        "storeIntegrationId": "STORE-001",
        "type": "talon_session_updated",
        "attributes": {"channel": "web"},
        "integrationId": "evt-1",
        "sessionId": "sess-8f3a2c71",
        "effects": [
            [4, 6, 0, ["acceptCoupon", "SPRING-20-2024"]],
            [4, 6, 0, ["setDiscount", "Spring 10% off", 14.99]],
        ],
        "ledgerEntries": [
            {
                "id": 91,
                "created": "2024-03-18T10:45:31+00:00",
                "profileId": "URNGV8294NV",
                "accountId": 31,
                "loyaltyProgramId": 45,
                "eventId": 781,
                "amount": 15,
                "reason": "Points per euro",
                "expiryDate": "2025-03-18T00:00:00+00:00",
            }
        ],
        "meta": {
            "campaigns": {"4": {"season": "spring"}},
            "coupons": {"SPRING-20-2024": {"channel": "newsletter"}},
            "couponRejectionReason": {
                "campaignId": 244,
                "couponId": 4928,
                "reason": "CouponNotFound",
            },
            "referralRejectionReason": {
                "campaignId": 244,
                "referralId": 12,
                "reason": "ReferralExpired",
            },
            "warnings": {"profileId": "deprecated"},
        },
    }


def test_event_structures_and_round_trips() -> None:
    data = event_json()
    event = structure(data, Event)
    assert event.created == datetime(2024, 3, 18, 10, 45, 31, 204117, tzinfo=timezone.utc)
    assert event.type == "talon_session_updated"
    assert event.effects[1] == [4, 6, 0, ["setDiscount", "Spring 10% off", 14.99]]
    assert event.ledger_entries is not None
    entry = event.ledger_entries[0]
    assert isinstance(entry, LedgerEntry)
    assert entry.loyalty_program_id == 45
    assert entry.expiry_date == datetime(2025, 3, 18, tzinfo=timezone.utc)
    assert isinstance(event.meta, Meta)
    assert event.meta.coupon_rejection_reason == CouponRejectionReason(
        campaign_id=244, coupon_id=4928, reason="CouponNotFound"
    )
    assert isinstance(event.meta.referral_rejection_reason, ReferralRejectionReason)
    assert event.meta.referral_rejection_reason.reason == "ReferralExpired"
    assert decode_json(encode(event)) == data


def test_minimal_event_and_unknown_members() -> None:
    data = {
        "id": 1,
        "created": "2024-01-01T00:00:00+00:00",
        "applicationId": 2,
        "type": "checkout",
        "attributes": {},
        "effects": [],
        "replayed": True,
    }
    event = structure(data, Event)
    assert event.session_id is None
    assert event.meta is None
    assert event.extra_fields == {"replayed": True}
    assert decode_json(encode(event)) == data


def test_event_v3_structures_and_round_trips() -> None:
    data = {
        "connectedSessionId": "sess-8f3a2c71",
        "id": 782,
        "created": "2024-03-18T10:50:00+01:00",
        "applicationId": 322,
        "profileId": "URNGV8294NV",
        "storeIntegrationId": "STORE-001",
        "type": "table_booked",
        "attributes": {"guests": 4},
        "integrationId": "evt-2",
        "effects": [],
    }
    event = structure(data, EventV3)
    assert event.connected_session_id == "sess-8f3a2c71"
    assert event.created.utcoffset() is not None
    assert event.attributes == {"guests": 4}
    assert decode_json(encode(event)) == data


def test_new_event_encodes_exactly_the_fields_set() -> None:
    event = NewEvent(type="pageViewed", attributes={}, session_id="sess-1")
    assert decode_json(encode(event)) == {
        "type": "pageViewed",
        "attributes": {},
        "sessionId": "sess-1",
    }
    full = {
        "profileId": "URNGV8294NV",
        "storeIntegrationId": "STORE-001",
        "type": "pageViewed",
        "attributes": {"page": "/shoes"},
        "sessionId": "sess-1",
    }
    parsed = structure(full, NewEvent)
    assert parsed.profile_id == "URNGV8294NV"
    assert decode_json(encode(parsed)) == full
