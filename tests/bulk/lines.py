"""A job line for every operation of the library, as small as the API allows."""

from __future__ import annotations

from typing import Any

SESSION = {"customerSessionId": "s-1"}
PROFILE = {"integrationId": "p-1"}
CARD = {"loyaltyProgramId": 7, "loyaltyCardId": "CARD-1"}
PROGRAM_PROFILE = {"loyaltyProgramId": 7, "integrationId": "p-1"}

LINES: dict[str, dict[str, Any]] = {
    "createCouponReservation": {
        "path": {"couponValue": "C-1"},
        "body": {"integrationIDs": ["p-1"]},
    },
    "deleteCouponReservation": {
        "path": {"couponValue": "C-1"},
        "body": {"integrationIDs": ["p-1"]},
    },
    "getReservedCoupons": {"path": PROFILE},
    "getReservedCustomers": {"path": {"couponValue": "C-1"}},
    "createReferral": {"body": {"campaignId": 1, "advocateProfileIntegrationId": "p-1"}},
    "createReferralsForMultipleAdvocates": {
        "query": {"silent": "no"},
        "body": {"campaignId": 1, "advocateProfileIntegrationIds": ["p-1"], "usageLimit": 1},
    },
    "deleteCustomerData": {"path": PROFILE},
    "getCustomerInventory": {"path": PROFILE, "query": {"coupons": True}},
    "getLoyaltyBalances": {"path": PROGRAM_PROFILE},
    "getLoyaltyCardBalances": {"path": CARD},
    "getLoyaltyProgramProfilePoints": {"path": PROGRAM_PROFILE},
    "getLoyaltyCardPoints": {"path": CARD},
    "getLoyaltyProgramProfileTransactions": {"path": PROGRAM_PROFILE},
    "getLoyaltyCardTransactions": {"path": CARD},
    "deleteLoyaltyTransactionsFromLedgers": {"path": PROGRAM_PROFILE, "body": {"scope": "all"}},
    "activateLoyaltyPoints": {"path": {"loyaltyProgramId": 7}, "body": {"sessionId": "s-1"}},
    "generateLoyaltyCard": {"path": {"loyaltyProgramId": 7}, "body": {}},
    "linkLoyaltyCardToProfile": {"path": CARD, "body": {"integrationId": "p-1"}},
    "unlinkLoyaltyCardFromProfile": {"path": CARD, "body": {"integrationId": "p-1"}},
    "getCustomerSession": {"path": SESSION},
    "getEventV3": {"path": {"integrationId": "e-1"}},
    "reopenCustomerSession": {"path": SESSION},
    "returnCartItems": {
        "path": SESSION,
        "query": {"runRuleEngine": True},
        "body": {"return": {"returnedCartItems": [{"position": 0}]}},
    },
    "trackEvent": {
        "query": {"dry": False},
        "body": {"type": "visit", "attributes": {}, "sessionId": "s-1", "profileId": "p-1"},
    },
    "trackEventV2": {"query": {"silent": "yes"}, "body": {"type": "visit", "profileId": "p-1"}},
    "trackEventV3": {
        "body": {"profileId": "p-1", "type": "order", "integrationId": "e-1"},
    },
    "updateCustomerProfile": {"path": PROFILE, "body": {"attributes": {"tier": "gold"}}},
    "updateCustomerProfileV2": {
        "path": PROFILE,
        "query": {"runRuleEngine": True, "dry": True},
        "body": {"attributes": {"tier": "gold"}},
    },
    "updateCustomerProfilesV2": {
        "query": {"silent": True},
        "body": {"customerProfiles": [{"integrationId": "p-2"}]},
    },
    "updateCustomerProfileAudiences": {
        "body": {"data": [{"action": "add", "profileIntegrationId": "p-1", "audienceId": 3}]}
    },
    "updateCustomerSession": {"path": SESSION, "body": {"profileId": "p-1"}},
    "updateCustomerSessionV2": {
        "path": SESSION,
        "query": {"dry": True, "now": "2024-05-01T12:00:00Z"},
        "body": {"customerSession": {"profileId": "p-1", "state": "open"}},
    },
    "createAudienceV2": {"body": {"name": "VIP"}},
    "updateAudienceV2": {"path": {"audienceId": 3}, "body": {"name": "VIP"}},
    "deleteAudienceV2": {"path": {"audienceId": 3}},
    "deleteAudienceMembershipsV2": {"path": {"audienceId": 3}},
    "updateAudienceCustomersAttributes": {"path": {"audienceId": 3}, "body": {"tier": "gold"}},
    "syncCatalog": {
        "path": {"catalogId": 5},
        "body": {"actions": [{"type": "ADD", "payload": {"sku": "A", "price": 1.5}}]},
    },
    "bestPriorPrice": {
        "body": {
            "skus": ["A"],
            "timeframeEndDate": "2024-05-01T00:00:00+00:00",
            "timeframe": "30",
            "timeframeEndDateType": "custom",
        }
    },
    "integrationGetAllCampaigns": {"query": {"pageSize": 10}},
    "getCustomerAchievements": {"path": PROFILE},
    "getCustomerAchievementHistory": {"path": {"integrationId": "p-1", "achievementId": 2}},
}


def line(operation_id: str, **changes: Any) -> dict[str, Any]:
    """The line of ``operation_id``, with members replaced or added."""
    return {"operationId": operation_id, **LINES[operation_id], **changes}
