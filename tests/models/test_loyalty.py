"""Loyalty operation models against the examples of the current spec (strict decoding)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar
from uuid import UUID

import orjson
import pytest

from talon_async import TalonDecodeError, from_json, to_json
from talon_async.models import (
    ActivateLoyaltyPoints,
    ActivateLoyaltyPointsResponse,
    CardLedgerPointsEntryIntegrationAPI,
    CardLedgerTransactionLogEntryIntegrationAPI,
    DeleteLoyaltyTransactionsRequest,
    GenerateLoyaltyCard,
    GetLoyaltyCardPoints200Response,
    GetLoyaltyCardTransactions200Response,
    GetLoyaltyProgramProfilePoints200Response,
    GetLoyaltyProgramProfileTransactions200Response,
    LedgerInfo,
    LedgerPointsEntryIntegrationAPI,
    LedgerTransactionLogEntryIntegrationAPI,
    LoyaltyBalance,
    LoyaltyBalancesWithTiers,
    LoyaltyBalanceWithTier,
    LoyaltyCard,
    LoyaltyCardBalances,
    LoyaltyCardProfileRegistration,
    LoyaltyCardRegistration,
    LoyaltyLedgerEntry,
    LoyaltyLedgerEntryFlags,
    Model,
    ProjectedTier,
    Tier,
)

from .. import loyalty_examples as ex

M = TypeVar("M")


def decode(model: type[M], data: Any) -> M:
    """Strictly decoded, and unchanged by a round trip through the wire format."""
    value = from_json(model, orjson.dumps(data), strict=True)
    assert from_json(model, to_json(value), strict=True) == value
    return value


EXAMPLES: list[tuple[type[Model], Any]] = [
    (LoyaltyBalancesWithTiers, ex.LOYALTY_BALANCES_WITH_TIERS),
    (LoyaltyCardBalances, ex.LOYALTY_CARD_BALANCES),
    (GetLoyaltyProgramProfilePoints200Response, ex.PROFILE_POINTS_PAGE),
    (GetLoyaltyCardPoints200Response, ex.CARD_POINTS_PAGE),
    (GetLoyaltyProgramProfileTransactions200Response, ex.PROFILE_TRANSACTIONS_PAGE),
    (GetLoyaltyCardTransactions200Response, ex.CARD_TRANSACTIONS_PAGE),
    (ActivateLoyaltyPointsResponse, ex.ACTIVATE_LOYALTY_POINTS_RESPONSE),
    (LoyaltyCard, ex.LOYALTY_CARD),
    (ActivateLoyaltyPoints, ex.ACTIVATE_BY_UUIDS),
    (ActivateLoyaltyPoints, ex.ACTIVATE_BY_SESSION),
    (ActivateLoyaltyPoints, ex.ACTIVATE_FULL),
    (DeleteLoyaltyTransactionsRequest, ex.DELETE_SELECTED),
    (GenerateLoyaltyCard, ex.GENERATE_CARD),
    (LoyaltyCardRegistration, ex.CARD_REGISTRATION),
]


@pytest.mark.parametrize(("model", "data"), EXAMPLES, ids=lambda v: getattr(v, "__name__", ""))
def test_every_example_decodes_strictly_and_loses_nothing(model: type[Model], data: Any) -> None:
    value = decode(model, data)
    assert type(value) is model
    assert value.extra_fields == (
        {"attributes": data["attributes"]} if "attributes" in data else {}
    )


def test_balances_with_tiers() -> None:
    balances = decode(LoyaltyBalancesWithTiers, ex.LOYALTY_BALANCES_WITH_TIERS)
    balance = balances.balance
    assert isinstance(balance, LoyaltyBalanceWithTier)
    assert isinstance(balance, LoyaltyBalance)
    assert balance.active_points == 286.0
    assert balance.negative_points == 286.0
    assert balance.current_tier == Tier(
        id=11,
        name="bronze",
        start_date=datetime(2021, 5, 3, 12, 32, tzinfo=timezone(timedelta(hours=7))),
        expiry_date=datetime(2022, 8, 2, 15, 4, 5, tzinfo=timezone(timedelta(hours=7))),
        downgrade_policy="one_down",
    )
    assert balance.projected_tier == ProjectedTier(
        projected_active_points=198, stay_in_tier_points=2, projected_tier_name="Tier 1"
    )
    assert balance.points_to_next_tier == 20
    assert balance.next_tier_name == "Silver"
    assert balances.subledger_balances is not None
    sub = balances.subledger_balances["mysubledger"]
    assert type(sub) is LoyaltyBalanceWithTier
    assert (sub.expired_points, sub.negative_points, sub.current_tier) == (25, 0, None)


def test_balances_without_tiers_and_empty() -> None:
    balances = decode(LoyaltyBalancesWithTiers, {"balance": ex.BALANCE})
    assert balances.balance is not None and balances.balance.current_tier is None
    assert balances.subledger_balances is None
    assert decode(LoyaltyBalancesWithTiers, {}) == LoyaltyBalancesWithTiers()
    assert to_json(LoyaltyBalancesWithTiers()) == b"{}"


def test_card_balances_with_linked_profiles() -> None:
    balances = decode(LoyaltyCardBalances, ex.LOYALTY_CARD_BALANCES)
    assert type(balances.balance) is LoyaltyBalance
    assert balances.profiles == [
        LoyaltyCardProfileRegistration(
            integration_id="R195412",
            timestamp=datetime(2021, 9, 12, 10, 12, 42, tzinfo=timezone.utc),
        )
    ]


def test_point_entries_keep_start_and_expiry_as_sent() -> None:
    page = decode(GetLoyaltyProgramProfilePoints200Response, ex.PROFILE_POINTS_PAGE)
    assert page.has_more is True
    (entry,) = page.data
    assert type(entry) is LedgerPointsEntryIntegrationAPI
    assert entry.transaction_uuid == "ce59f12a-f53b-4014-a745-636d93f2bd3f"
    assert entry.created == datetime(2022, 1, 2, 8, 4, 5, tzinfo=timezone.utc)
    # "immediate", "unlimited" or a timestamp: kept as the string the API sent.
    assert entry.start_date == "2022-01-02T15:04:05Z07:00"
    assert entry.amount == 10.25
    card_page = decode(GetLoyaltyCardPoints200Response, ex.CARD_POINTS_PAGE)
    (card_entry,) = card_page.data
    assert type(card_entry) is CardLedgerPointsEntryIntegrationAPI
    assert card_entry.customer_profile_id == "URNGV8294NV"
    unlimited = decode(
        LedgerPointsEntryIntegrationAPI, {**ex.POINTS_ENTRY, "expiryDate": "unlimited"}
    )
    assert unlimited.expiry_date == "unlimited"


def test_transaction_entries() -> None:
    page = decode(GetLoyaltyProgramProfileTransactions200Response, ex.PROFILE_TRANSACTIONS_PAGE)
    (entry,) = page.data
    assert type(entry) is LedgerTransactionLogEntryIntegrationAPI
    assert (entry.type, entry.ruleset_id, entry.rule_name) == ("addition", 11, "Add 2 points")
    assert entry.flags == LoyaltyLedgerEntryFlags(creates_negative_balance=False)
    card_page = decode(GetLoyaltyCardTransactions200Response, ex.CARD_TRANSACTIONS_PAGE)
    (card_entry,) = card_page.data
    assert type(card_entry) is CardLedgerTransactionLogEntryIntegrationAPI
    assert card_entry.card_identifier == "summer-loyalty-card-0543"
    subtraction = {
        **ex.TRANSACTION_ENTRY,
        "type": "subtraction",
        "amount": -5,
        "startDate": "on_action",
    }
    del subtraction["flags"], subtraction["rulesetId"], subtraction["ruleName"]
    entry = decode(LedgerTransactionLogEntryIntegrationAPI, subtraction)
    assert (entry.type, entry.amount, entry.start_date, entry.flags) == (
        "subtraction",
        -5.0,
        "on_action",
        None,
    )


def test_card_transaction_needs_its_card_identifier() -> None:
    data = {k: v for k, v in ex.CARD_TRANSACTION_ENTRY.items() if k != "cardIdentifier"}
    with pytest.raises(
        TalonDecodeError, match="card_identifier: the required member 'cardIdentifier' is missing"
    ):
        from_json(CardLedgerTransactionLogEntryIntegrationAPI, data, strict=True)


def test_page_needs_has_more_and_data() -> None:
    with pytest.raises(
        TalonDecodeError, match="has_more: the required member 'hasMore' is missing"
    ):
        from_json(GetLoyaltyCardPoints200Response, {"data": []}, strict=True)
    with pytest.raises(TalonDecodeError, match="data: the required member 'data' is missing"):
        from_json(GetLoyaltyCardPoints200Response, {"hasMore": False}, strict=True)


def test_ledger_entries_of_every_type_after_activation() -> None:
    response = decode(ActivateLoyaltyPointsResponse, ex.ACTIVATE_LOYALTY_POINTS_RESPONSE)
    assert response.ledger_entries is not None
    (entry,) = response.ledger_entries
    assert type(entry) is LoyaltyLedgerEntry
    assert (entry.program_id, entry.card_id, entry.event_id, entry.user_id) == (5, 241, 5, 499)
    assert (entry.customer_profile_id, entry.customer_session_id) == ("URNGV8294NV", "t2gy5s-47274")
    assert entry.sub_ledger_id == "mysubledger"
    assert entry.expiry_date == datetime(2022, 7, 20, 22, tzinfo=timezone.utc)
    for kind in ("addition", "subtraction", "expire", "expiring"):
        minimal = {
            "created": "2021-07-20T22:00:00Z",
            "programID": 5,
            "type": kind,
            "amount": 100,
            "name": "Add points on purchase",
            "subLedgerID": "",
        }
        assert decode(LoyaltyLedgerEntry, minimal).type == kind


def test_loyalty_card_with_ledgers() -> None:
    card = decode(LoyaltyCard, ex.LOYALTY_CARD)
    assert (card.program_id, card.status, card.users_per_card_limit) == (125, "active", 111)
    assert card.created == datetime(2020, 6, 10, 9, 5, 27, 993483, tzinfo=timezone.utc)
    assert isinstance(card.ledger, LedgerInfo)
    assert card.ledger.current_tier is not None and card.ledger.current_tier.id == 11
    assert card.subledgers is not None
    assert card.subledgers["mysubledger"].tentative_pending_balance == 20
    assert card.new_card_identifier == "autumn-loyalty-card-5822"
    inactive = decode(LoyaltyCard, {**ex.LOYALTY_CARD, "status": "inactive"})
    assert inactive.status == "inactive"


def test_request_bodies_encode_as_the_spec_shows() -> None:
    assert (
        orjson.loads(
            to_json(
                ActivateLoyaltyPoints(
                    transaction_uuids=[
                        UUID("8f1a8d7c-9c3e-4a5e-9f0d-2c5f7a3b1cde"),
                        UUID("12b3c456-78d9-4e0f-a1b2-3456789abcde"),
                    ]
                )
            )
        )
        == ex.ACTIVATE_BY_UUIDS
    )
    assert (
        orjson.loads(
            to_json(ActivateLoyaltyPoints(session_id="ac08cc3c43470426591ad75b2d685ec04_v2"))
        )
        == ex.ACTIVATE_BY_SESSION
    )
    assert (
        orjson.loads(
            to_json(
                DeleteLoyaltyTransactionsRequest(
                    scope="SelectedSubledgers", subledger_ids=["subledger1", "subledger2"]
                )
            )
        )
        == ex.DELETE_SELECTED
    )
    assert to_json(DeleteLoyaltyTransactionsRequest(scope="AllSubledgers")) == (
        b'{"scope":"AllSubledgers"}'
    )
    assert to_json(GenerateLoyaltyCard()) == b"{}"
    assert to_json(LoyaltyCardRegistration(integration_id="R195412")) == (
        b'{"integrationId":"R195412"}'
    )


def test_activation_uuids_must_be_uuids() -> None:
    with pytest.raises(TalonDecodeError, match="UUID"):
        from_json(ActivateLoyaltyPoints, {"transactionUUIDs": ["not-a-uuid"]}, strict=True)
    with pytest.raises(TypeError, match="UUID"):
        to_json(ActivateLoyaltyPoints(transaction_uuids=["8f1a8d7c-9c3e-4a5e-9f0d-2c5f7a3b1cde"]))  # type: ignore[list-item]


@pytest.mark.parametrize("written", ex.SPEC_TIMESTAMPS)
def test_spec_example_timestamps_are_not_rfc3339_and_are_refused(written: str) -> None:
    # The spec's examples of tier dates and entry creation times; see loyalty_examples.
    with pytest.raises(TalonDecodeError, match="not a Tier"):
        from_json(Tier, {"id": 11, "name": "bronze", "startDate": written}, strict=True)
    with pytest.raises(TalonDecodeError, match="created: expected an RFC 3339 timestamp"):
        from_json(
            LedgerPointsEntryIntegrationAPI, {**ex.POINTS_ENTRY, "created": written}, strict=True
        )
    # Decoded leniently (the default for answers), the text is kept as it came.
    entry = from_json(LedgerPointsEntryIntegrationAPI, {**ex.POINTS_ENTRY, "created": written})
    assert entry.created == written
