"""The loyalty operations' bodies as the current spec's examples describe them.

Each answer is put together from the examples the spec gives for its members. Where an
example contradicts the spec's own schema, the schema wins here and the example is kept
in ``SPEC_TIMESTAMPS`` for a test that shows what happens to it:

* every ``date-time`` member of the tier (``startDate``, ``expiryDate``) and the
  ``created`` member of point and transaction entries show ``2022-01-02T15:04:05Z07:00``
  (Go's layout string with a ``Z`` *and* an offset), which is no RFC 3339 timestamp;
  ``+07:00`` is used instead;
* ``currentTier`` has the example ``bronze``, a string for an object; the tier object
  below is built from the examples of its members instead.

``startDate``/``expiryDate`` of point and transaction entries are plain strings in the
schema (a timestamp or a word like ``immediate``), so their examples are used as given.
"""

from __future__ import annotations

from typing import Any

SPEC_TIMESTAMPS = ("2021-05-03T12:32:00Z07:00", "2022-08-02T15:04:05Z07:00")
"""Timestamps as the spec's examples write them (not RFC 3339)."""

TIER = {
    "id": 11,
    "name": "bronze",
    "startDate": "2021-05-03T12:32:00+07:00",
    "expiryDate": "2022-08-02T15:04:05+07:00",
    "downgradePolicy": "one_down",
}

# The spec's example of ``subledgerBalances``, used as it is.
SUBLEDGER_BALANCES = {
    "mysubledger": {
        "activePoints": 286,
        "pendingPoints": 50,
        "spentPoints": 150,
        "expiredPoints": 25,
        "negativePoints": 0,
    }
}

BALANCE = {
    "activePoints": 286,
    "pendingPoints": 50,
    "spentPoints": 150,
    "expiredPoints": 286,
    "negativePoints": 286,
}

LOYALTY_BALANCES_WITH_TIERS: dict[str, Any] = {
    "balance": {
        **BALANCE,
        "currentTier": TIER,
        "projectedTier": {
            "projectedActivePoints": 198,
            "stayInTierPoints": 2,
            "projectedTierName": "Tier 1",
        },
        "pointsToNextTier": 20,
        "nextTierName": "Silver",
    },
    "subledgerBalances": SUBLEDGER_BALANCES,
}

PROFILE_REGISTRATION = {"integrationId": "R195412", "timestamp": "2021-09-12T10:12:42Z"}

LOYALTY_CARD_BALANCES: dict[str, Any] = {
    "balance": BALANCE,
    "subledgerBalances": SUBLEDGER_BALANCES,
    "profiles": [PROFILE_REGISTRATION],
}

POINTS_ENTRY: dict[str, Any] = {
    "id": 123,
    "transactionUUID": "ce59f12a-f53b-4014-a745-636d93f2bd3f",
    "created": "2022-01-02T15:04:05+07:00",
    "programId": 324,
    "customerSessionId": "05c2da0d-48fa-4aa1-b629-898f58f1584d",
    "name": "Reward 10% points of a purchase's current total",
    "startDate": "2022-01-02T15:04:05Z07:00",
    "expiryDate": "2022-08-02T15:04:05Z07:00",
    "subledgerId": "sub-123",
    "amount": 10.25,
    "validityDuration": "30D",
}

CARD_POINTS_ENTRY: dict[str, Any] = {**POINTS_ENTRY, "customerProfileID": "URNGV8294NV"}

TRANSACTION_ENTRY: dict[str, Any] = {
    "transactionUUID": "ce59f12a-f53b-4014-a745-636d93f2bd3f",
    "created": "2022-01-02T15:04:05+07:00",
    "programId": 324,
    "customerSessionId": "05c2da0d-48fa-4aa1-b629-898f58f1584d",
    "type": "addition",
    "name": "Reward 10% points of a purchase's current total",
    "startDate": "2022-01-02T15:04:05Z07:00",
    "expiryDate": "2022-08-02T15:04:05Z07:00",
    "subledgerId": "sub-123",
    "amount": 10.25,
    "id": 123,
    "rulesetId": 11,
    "ruleName": "Add 2 points",
    "flags": {"createsNegativeBalance": False},  # the spec gives no example value
    "validityDuration": "30D",
}

CARD_TRANSACTION_ENTRY: dict[str, Any] = {
    **{k: v for k, v in TRANSACTION_ENTRY.items() if k != "flags"},
    "cardIdentifier": "summer-loyalty-card-0543",
}

PROFILE_POINTS_PAGE = {"hasMore": True, "data": [POINTS_ENTRY]}
CARD_POINTS_PAGE = {"hasMore": True, "data": [CARD_POINTS_ENTRY]}
PROFILE_TRANSACTIONS_PAGE = {"hasMore": True, "data": [TRANSACTION_ENTRY]}
CARD_TRANSACTIONS_PAGE = {"hasMore": True, "data": [CARD_TRANSACTION_ENTRY]}

LEDGER_INFO = {
    "currentBalance": 100,
    "pendingBalance": 10,
    "negativeBalance": 10,
    "expiredBalance": 0,
    "spentBalance": 0,
    "tentativeCurrentBalance": 100,
    "tentativePendingBalance": 20,
    "tentativeNegativeBalance": 100,
    "currentTier": TIER,
    "pointsToNextTier": 20,
    "nextTierName": "Silver",
}

# The answer of generateLoyaltyCard, linkLoyaltyCardToProfile and unlinkLoyaltyCardFromProfile.
LOYALTY_CARD: dict[str, Any] = {
    "id": 6,
    "created": "2020-06-10T09:05:27.993483Z",
    "programID": 125,
    "programName": "Loyalty_program",
    "programTitle": "Loyalty program",
    "status": "active",
    "blockReason": "Current card lost. Customer needs a new card.",
    "identifier": "summer-loyalty-card-0543",
    "usersPerCardLimit": 111,
    "profiles": [PROFILE_REGISTRATION],
    "ledger": LEDGER_INFO,
    "subledgers": {"mysubledger": LEDGER_INFO},
    "modified": "2021-09-12T10:12:42Z",
    "oldCardIdentifier": "summer-loyalty-card-0543",
    "newCardIdentifier": "autumn-loyalty-card-5822",
    "batchId": "wdefpov",
}

ACTIVATE_LOYALTY_POINTS_RESPONSE: dict[str, Any] = {
    "ledgerEntries": [
        {
            "created": "2021-07-20T22:00:00Z",
            "programID": 5,
            "customerProfileID": "URNGV8294NV",
            "cardID": 241,
            "customerSessionID": "t2gy5s-47274",
            "eventID": 5,
            "type": "addition",
            "amount": 100,
            "startDate": "2021-07-20T22:00:00Z",
            "expiryDate": "2022-07-20T22:00:00Z",
            "name": "Add points on purchase",
            "subLedgerID": "mysubledger",
            "userID": 499,
            "archived": False,
            "flags": {"createsNegativeBalance": False},  # no example in the spec
            "validityDuration": "30D",
        }
    ]
}

# Request bodies: the spec's named examples where it has them.
ACTIVATE_BY_UUIDS = {
    "transactionUUIDs": [
        "8f1a8d7c-9c3e-4a5e-9f0d-2c5f7a3b1cde",
        "12b3c456-78d9-4e0f-a1b2-3456789abcde",
    ]
}
ACTIVATE_BY_SESSION = {"sessionId": "ac08cc3c43470426591ad75b2d685ec04_v2"}
# The spec's "Full request" example sets both members, although each one's description
# says not to send the other along.
ACTIVATE_FULL = {
    "transactionUUIDs": ["8f1a8d7c-9c3e-4a5e-9f0d-2c5f7a3b1cde"],
    "sessionId": "ac08cc3c43470426591ad75b2d685ec04_v2",
}
DELETE_SELECTED = {"scope": "SelectedSubledgers", "subledgerIds": ["subledger1", "subledger2"]}
# The spec's example has ``attributes``, a member its schema does not declare.
GENERATE_CARD = {
    "status": "inactive",
    "customerProfileIds": ["R195412", "G244519"],
    "cardIdentifier": "summer-loyalty-card-0543",
    "attributes": {"preferredReward": "discount", "enrollmentSource": "mobile"},
}
CARD_REGISTRATION = {"integrationId": "R195412"}
