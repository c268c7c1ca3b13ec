"""Customer inventory and loyalty models against the inventory endpoint's example."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from talon_async._convert import decode_json, encode, structure
from talon_async.models.coupons import InventoryCoupon, LimitConfig
from talon_async.models.inventory import (
    AchievementProgress,
    AchievementProgressWithDefinition,
    CustomerAchievement,
    CustomerInventory,
    Giveaway,
)
from talon_async.models.loyalty_embedded import (
    LedgerEntry,
    LedgerInfo,
    Loyalty,
    LoyaltyCard,
    LoyaltyCardProfileRegistration,
    LoyaltyProgramLedgers,
    Tier,
)
from talon_async.models.profiles import AudienceMembership, CustomerProfile
from talon_async.models.referrals import InventoryReferral


def ledger_json() -> dict[str, Any]:
    return {
        "currentBalance": 100,
        "pendingBalance": 10,
        "negativeBalance": 10,
        "expiredBalance": 0,
        "spentBalance": 0,
        "tentativeCurrentBalance": 100,
        "tentativePendingBalance": 20,
        "tentativeNegativeBalance": 100,
        "currentTier": {
            "id": 11,
            "name": "bronze",
            "startDate": "2024-01-01T00:00:00+00:00",
            "expiryDate": "2025-01-01T00:00:00+00:00",
            "downgradePolicy": "one_down",
        },
        "pointsToNextTier": 20,
        "nextTierName": "Silver",
    }


def inventory_json() -> dict[str, Any]:
    return {
        "profile": {
            "id": 6,
            "created": "2020-02-07T08:15:22+00:00",
            "integrationId": "URNGV8294NV",
            "attributes": {"Language": "english", "ShippingCountry": "DE"},
            "accountId": 31,
            "closedSessions": 3,
            "totalSales": 299.99,
            "audienceMemberships": [{"id": 2, "name": "Travel audience"}],
            "lastActivity": "2020-02-08T14:15:20+00:00",
            "sandbox": False,
        },
        "loyalty": {
            "cards": [
                {
                    "id": 6,
                    "created": "2020-06-10T09:05:27.993483+00:00",
                    "programID": 125,
                    "programName": "Loyalty_program",
                    "programTitle": "Loyalty program",
                    "status": "active",
                    "blockReason": "Current card lost. Customer needs a new card.",
                    "identifier": "summer-loyalty-card-0543",
                    "usersPerCardLimit": 111,
                    "profiles": [
                        {"integrationId": "R195412", "timestamp": "2021-09-12T10:12:42+00:00"}
                    ],
                    "ledger": ledger_json(),
                    "subledgers": {"coffee": ledger_json()},
                    "modified": "2021-09-12T10:12:42+00:00",
                    "oldCardIdentifier": "summer-loyalty-card-0543",
                    "newCardIdentifier": "autumn-loyalty-card-5822",
                    "batchId": "wdefpov",
                }
            ],
            "programs": {
                "5": {
                    "id": 5,
                    "title": "My loyalty program",
                    "name": "program1",
                    "joinDate": "2024-04-30T15:04:05+07:00",
                    "ledger": ledger_json(),
                    "subLedgers": {"coffee": ledger_json()},
                }
            },
        },
        "referrals": [
            {
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
                "referredCustomers": ["BZGGC2454PA"],
            }
        ],
        "coupons": [
            {
                "id": 6,
                "created": "2020-06-10T09:05:27.993483+00:00",
                "campaignId": 211,
                "value": "XMAS-20-2021",
                "usageLimit": 100,
                "discountLimit": 30,
                "reservationLimit": 45,
                "startDate": "2020-01-24T14:15:22+00:00",
                "expiryDate": "2023-08-24T14:15:22+00:00",
                "limits": [
                    {
                        "action": "createCoupon",
                        "limit": 1000,
                        "period": "yearly",
                        "entities": ["Coupon"],
                    }
                ],
                "usageCounter": 10,
                "discountCounter": 10,
                "discountRemainder": 5,
                "reservationCounter": 1,
                "attributes": {},
                "referralId": 326632952,
                "recipientIntegrationId": "URNGV8294NV",
                "importId": 4,
                "reservation": False,
                "batchId": "32535-43255",
                "isReservationMandatory": False,
                "implicitlyReserved": False,
                "profileRedemptionCount": 5,
                "state": "active",
            }
        ],
        "giveaways": [
            {
                "id": 6,
                "created": "2020-06-10T09:05:27.993483+00:00",
                "code": "GIVEAWAY1",
                "poolId": 1,
                "startDate": "2022-01-02T15:04:05+07:00",
                "endDate": "2023-01-02T15:04:05+07:00",
                "attributes": {},
                "used": True,
                "importId": 4,
                "profileIntegrationId": "R195412",
                "profileId": 1,
            }
        ],
        "achievements": [
            {
                "status": "completed",
                "progress": 10,
                "startDate": "2024-01-01T15:04:05+07:00",
                "completionDate": "2024-01-15T15:04:05+07:00",
                "endDate": "2024-02-01T15:04:05+07:00",
                "achievementId": 3,
                "name": "FreeCoffee10Orders",
                "title": "50% off on 50th purchase.",
                "description": "50% off for every 50th purchase in a year.",
                "campaignId": 3,
                "target": 10,
                "achievementRecurrencePolicy": "no_recurrence",
                "achievementActivationPolicy": "fixed_schedule",
                "achievementFixedStartDate": "2024-01-15T15:04:05+07:00",
                "achievementEndDate": "2024-02-15T15:04:05+07:00",
                "achievementAllowRollbackAfterCompletion": False,
            }
        ],
    }


def test_inventory_structures_every_part() -> None:
    inventory = structure(inventory_json(), CustomerInventory)

    assert isinstance(inventory.profile, CustomerProfile)
    assert inventory.profile.audience_memberships == [
        AudienceMembership(id=2, name="Travel audience")
    ]

    assert isinstance(inventory.loyalty, Loyalty)
    assert inventory.loyalty.cards is not None
    card = inventory.loyalty.cards[0]
    assert isinstance(card, LoyaltyCard)
    assert card.program_id == 125
    assert card.users_per_card_limit == 111
    assert card.profiles is not None
    assert isinstance(card.profiles[0], LoyaltyCardProfileRegistration)
    assert card.profiles[0].timestamp.tzinfo is not None
    assert isinstance(card.ledger, LedgerInfo)
    assert card.subledgers is not None
    assert isinstance(card.subledgers["coffee"], LedgerInfo)
    program = inventory.loyalty.programs["5"]
    assert isinstance(program, LoyaltyProgramLedgers)
    assert program.join_date is not None
    assert program.join_date.utcoffset() == timedelta(hours=7)
    assert isinstance(program.ledger.current_tier, Tier)
    assert program.ledger.current_tier.name == "bronze"
    assert program.ledger.points_to_next_tier == 20
    assert program.sub_ledgers is not None
    assert program.sub_ledgers["coffee"].tentative_current_balance == 100

    assert inventory.referrals is not None
    assert isinstance(inventory.referrals[0], InventoryReferral)
    assert inventory.referrals[0].referred_customers == ["BZGGC2454PA"]

    assert inventory.coupons is not None
    coupon = inventory.coupons[0]
    assert isinstance(coupon, InventoryCoupon)
    assert coupon.state == "active"
    assert coupon.limits is not None and isinstance(coupon.limits[0], LimitConfig)

    assert inventory.giveaways is not None
    giveaway = inventory.giveaways[0]
    assert isinstance(giveaway, Giveaway)
    assert giveaway.pool_id == 1
    assert giveaway.used is True

    assert inventory.achievements is not None
    achievement = inventory.achievements[0]
    assert isinstance(achievement, AchievementProgressWithDefinition)
    assert isinstance(achievement, AchievementProgress)
    assert achievement.achievement_id == 3
    assert achievement.achievement_activation_policy == "fixed_schedule"
    assert achievement.completion_date == datetime(2024, 1, 15, 8, 4, 5, tzinfo=timezone.utc)


def test_inventory_round_trips() -> None:
    data = inventory_json()
    assert decode_json(encode(structure(data, CustomerInventory))) == data


def test_empty_inventory() -> None:
    inventory = structure({}, CustomerInventory)
    assert inventory.profile is None
    assert inventory.coupons is None
    assert decode_json(encode(inventory)) == {}


def test_loyalty_without_cards_and_minimal_ledger() -> None:
    data = {
        "programs": {
            "7": {
                "id": 7,
                "title": "Points",
                "name": "points",
                "ledger": {
                    "currentBalance": 1.5,
                    "pendingBalance": 0,
                    "expiredBalance": 0,
                    "spentBalance": 0,
                    "tentativeCurrentBalance": 1.5,
                },
            }
        }
    }
    loyalty = structure(data, Loyalty)
    assert loyalty.cards is None
    assert loyalty.programs["7"].ledger.current_tier is None
    assert decode_json(encode(loyalty)) == data


def test_ledger_entry_round_trips() -> None:
    data = {
        "id": 123,
        "created": "2020-06-10T09:05:27.993483+00:00",
        "profileId": "URNGV8294NV",
        "accountId": 3886,
        "loyaltyProgramId": 323414846,
        "eventId": 3,
        "amount": 100,
        "reason": "Customer appeasement.",
        "expiryDate": "2022-04-26T11:02:38.993483+00:00",
        "referenceId": 0,
    }
    entry = structure(data, LedgerEntry)
    assert entry.loyalty_program_id == 323414846
    assert entry.expiry_date.tzinfo is not None
    assert decode_json(encode(entry)) == data


def test_unknown_members_survive_at_every_level() -> None:
    data = inventory_json()
    data["wallet"] = {"passes": 2}
    data["loyalty"]["cards"][0]["ledger"]["currentTier"]["colour"] = "brown"
    data["loyalty"]["programs"]["5"]["sandbox"] = True
    data["giveaways"][0]["channel"] = "app"
    inventory = structure(data, CustomerInventory)
    assert inventory.extra_fields == {"wallet": {"passes": 2}}
    assert inventory.loyalty is not None and inventory.loyalty.cards is not None
    ledger = inventory.loyalty.cards[0].ledger
    assert ledger is not None and ledger.current_tier is not None
    assert ledger.current_tier.extra_fields == {"colour": "brown"}
    assert inventory.loyalty.programs["5"].extra_fields == {"sandbox": True}
    assert decode_json(encode(inventory)) == data


def test_customer_achievement_round_trips() -> None:
    data = {
        "id": 3,
        "name": "FreeCoffee10Orders",
        "title": "Free coffee after ten orders",
        "description": "Order ten times to get a coffee on the house.",
        "target": 10,
        "recurrencePolicy": "on_completion",
        "activationPolicy": "user_action",
        "allowRollbackAfterCompletion": True,
        "endDate": "2024-12-31T23:59:59+00:00",
        "currentProgress": {
            "status": "inprogress",
            "progress": 4,
            "startDate": "2024-01-01T00:00:00+00:00",
        },
    }
    achievement = structure(data, CustomerAchievement)
    assert achievement.recurrence_policy == "on_completion"
    assert achievement.fixed_start_date is None
    assert isinstance(achievement.current_progress, AchievementProgress)
    assert achievement.current_progress.progress == 4
    assert decode_json(encode(achievement)) == data
