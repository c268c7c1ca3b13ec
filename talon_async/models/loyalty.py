"""The bodies of the loyalty operations: balances, unused points and transaction pages,
activation, deletion and card requests. The models these share with profiles and states
(``LoyaltyCard``, ``Tier``, ...) are in :mod:`talon_async.models.loyalty_embedded`."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from attrs import field

from ._base import Model, define, wire
from .loyalty_embedded import LoyaltyCardProfileRegistration, Tier

__all__ = [
    "ActivateLoyaltyPoints",
    "ActivateLoyaltyPointsResponse",
    "CardLedgerPointsEntryIntegrationAPI",
    "CardLedgerTransactionLogEntryIntegrationAPI",
    "DeleteLoyaltyTransactionsRequest",
    "GenerateLoyaltyCard",
    "GetLoyaltyCardPoints200Response",
    "GetLoyaltyCardTransactions200Response",
    "GetLoyaltyProgramProfilePoints200Response",
    "GetLoyaltyProgramProfileTransactions200Response",
    "LedgerPointsEntryIntegrationAPI",
    "LedgerTransactionLogEntryIntegrationAPI",
    "LoyaltyBalance",
    "LoyaltyBalanceWithTier",
    "LoyaltyBalances",
    "LoyaltyBalancesWithTiers",
    "LoyaltyCardBalances",
    "LoyaltyCardRegistration",
    "LoyaltyLedgerEntry",
    "LoyaltyLedgerEntryFlags",
    "ProjectedTier",
]


# Balances, as the balance operations compute them at the moment asked for.


@define(kw_only=True)
class ProjectedTier(Model):
    """Where a customer is heading when their current tier expires."""

    projected_active_points: float
    stay_in_tier_points: float | None = None
    projected_tier_name: str | None = None


@define(kw_only=True)
class LoyaltyBalance(Model):
    """Point totals of one ledger or sub-ledger, split by the state of the points."""

    active_points: float | None = None
    pending_points: float | None = None
    spent_points: float | None = None
    expired_points: float | None = None
    negative_points: float | None = None


@define(kw_only=True)
class LoyaltyBalanceWithTier(LoyaltyBalance):
    """Point totals of one ledger with the customer's tier standing, when asked for."""

    current_tier: Tier | None = None
    projected_tier: ProjectedTier | None = None
    points_to_next_tier: float | None = None
    next_tier_name: str | None = None


@define(kw_only=True)
class LoyaltyBalancesWithTiers(Model):
    """A customer's balances: the main ledger, and each sub-ledger by its ID."""

    balance: LoyaltyBalanceWithTier | None = None
    subledger_balances: dict[str, LoyaltyBalanceWithTier] | None = None


@define(kw_only=True)
class LoyaltyBalances(Model):
    """Balances of the main ledger, and of each sub-ledger by its ID."""

    balance: LoyaltyBalance | None = None
    subledger_balances: dict[str, LoyaltyBalance] | None = None


@define(kw_only=True)
class LoyaltyCardBalances(LoyaltyBalances):
    """A loyalty card's balances, with the customer profiles linked to the card."""

    profiles: list[LoyaltyCardProfileRegistration] | None = None


# Unused points and the transaction history, one page at a time.


@define(kw_only=True)
class LedgerPointsEntryIntegrationAPI(Model):
    """Points a customer has not used yet, from one addition.

    ``start_date`` and ``expiry_date`` are kept as sent: a timestamp, or a word such as
    ``immediate`` or ``unlimited``.
    """

    id: int
    transaction_uuid: str = field(metadata=wire("transactionUUID"))
    created: datetime
    program_id: int
    name: str
    start_date: str
    expiry_date: str
    subledger_id: str
    amount: float
    customer_session_id: str | None = None
    validity_duration: str | None = None


@define(kw_only=True)
class CardLedgerPointsEntryIntegrationAPI(LedgerPointsEntryIntegrationAPI):
    """Points on a loyalty card not used yet, from one addition."""

    customer_profile_id: str | None = field(default=None, metadata=wire("customerProfileID"))


@define(kw_only=True)
class LoyaltyLedgerEntryFlags(Model):
    """Extra facts about a ledger entry."""

    creates_negative_balance: bool | None = None


@define(kw_only=True)
class _TransactionLogEntry(Model):
    """What profile and card transactions have in common."""

    transaction_uuid: str = field(metadata=wire("transactionUUID"))
    created: datetime
    program_id: int
    type: str
    name: str
    start_date: str
    expiry_date: str
    subledger_id: str
    amount: float
    id: int
    customer_session_id: str | None = None
    ruleset_id: int | None = None
    rule_name: str | None = None
    validity_duration: str | None = None


@define(kw_only=True)
class LedgerTransactionLogEntryIntegrationAPI(_TransactionLogEntry):
    """One addition or subtraction of points in a customer's ledger.

    ``type`` is ``addition`` or ``subtraction``; ``start_date`` and ``expiry_date`` are
    kept as sent (a timestamp, or a word such as ``immediate``, ``on_action`` or
    ``unlimited``).
    """

    flags: LoyaltyLedgerEntryFlags | None = None


@define(kw_only=True)
class CardLedgerTransactionLogEntryIntegrationAPI(_TransactionLogEntry):
    """One addition or subtraction of points on a loyalty card (see
    :class:`LedgerTransactionLogEntryIntegrationAPI`)."""

    card_identifier: str


@define(kw_only=True)
class GetLoyaltyProgramProfilePoints200Response(Model):
    """One page of a customer's unused points."""

    has_more: bool
    data: list[LedgerPointsEntryIntegrationAPI]


@define(kw_only=True)
class GetLoyaltyCardPoints200Response(Model):
    """One page of a loyalty card's unused points."""

    has_more: bool
    data: list[CardLedgerPointsEntryIntegrationAPI]


@define(kw_only=True)
class GetLoyaltyProgramProfileTransactions200Response(Model):
    """One page of a customer's loyalty transactions."""

    has_more: bool
    data: list[LedgerTransactionLogEntryIntegrationAPI]


@define(kw_only=True)
class GetLoyaltyCardTransactions200Response(Model):
    """One page of a loyalty card's transactions."""

    has_more: bool
    data: list[CardLedgerTransactionLogEntryIntegrationAPI]


# Changes to ledgers and cards.


@define(kw_only=True)
class DeleteLoyaltyTransactionsRequest(Model):
    """Which of a customer's ledgers to empty of transactions.

    ``scope`` is ``AllSubledgers`` or ``SelectedSubledgers``; the latter needs
    ``subledger_ids``, where ``""`` stands for the main ledger.
    """

    scope: str
    subledger_ids: list[str] | None = None


@define(kw_only=True)
class ActivateLoyaltyPoints(Model):
    """Pending points to activate: given by transaction, or all of one session.

    Set exactly one of ``transaction_uuids`` (1 to 50 of them) and ``session_id``.
    """

    transaction_uuids: list[UUID] | None = field(default=None, metadata=wire("transactionUUIDs"))
    session_id: str | None = None


@define(kw_only=True)
class LoyaltyLedgerEntry(Model):
    """One row of a loyalty ledger: points added, subtracted or expired."""

    created: datetime
    program_id: int = field(metadata=wire("programID"))
    type: str
    amount: float
    name: str
    sub_ledger_id: str = field(metadata=wire("subLedgerID"))
    customer_profile_id: str | None = field(default=None, metadata=wire("customerProfileID"))
    card_id: int | None = field(default=None, metadata=wire("cardID"))
    customer_session_id: str | None = field(default=None, metadata=wire("customerSessionID"))
    event_id: int | None = field(default=None, metadata=wire("eventID"))
    start_date: datetime | None = None
    expiry_date: datetime | None = None
    user_id: int | None = field(default=None, metadata=wire("userID"))
    archived: bool | None = None
    flags: LoyaltyLedgerEntryFlags | None = None
    validity_duration: str | None = None


@define(kw_only=True)
class ActivateLoyaltyPointsResponse(Model):
    """The ledger entries as they are after the activation."""

    ledger_entries: list[LoyaltyLedgerEntry] | None = None


@define(kw_only=True)
class GenerateLoyaltyCard(Model):
    """A new loyalty card: its status (``active`` by default, or ``inactive``), the
    profiles to link to it, and its identifier (generated by the API when left out)."""

    status: str | None = None
    customer_profile_ids: list[str] | None = None
    card_identifier: str | None = None


@define(kw_only=True)
class LoyaltyCardRegistration(Model):
    """The customer profile to link to a loyalty card, or to unlink from it."""

    integration_id: str
