"""The loyalty models other answers embed: a customer's programs and balances, cards and
tiers (profiles, session and profile states, inventories) and ledger entries (events).

They live apart from :mod:`talon_async.models.loyalty`, which holds the bodies of the
loyalty operations themselves, so that decoding a session or a profile does not load those.
"""

from __future__ import annotations

from datetime import datetime

from attrs import field

from ._base import Model, define, wire

__all__ = [
    "LedgerEntry",
    "LedgerInfo",
    "Loyalty",
    "LoyaltyCard",
    "LoyaltyCardProfileRegistration",
    "LoyaltyMembership",
    "LoyaltyProgramLedgers",
    "Tier",
]


@define(kw_only=True)
class Tier(Model):
    """A loyalty tier a customer or card currently holds."""

    id: int
    name: str
    start_date: datetime | None = None
    expiry_date: datetime | None = None
    downgrade_policy: str | None = None


@define(kw_only=True)
class LedgerInfo(Model):
    """Point balances of one loyalty ledger (or sub-ledger), with tier progress."""

    current_balance: float
    pending_balance: float
    expired_balance: float
    spent_balance: float
    tentative_current_balance: float
    negative_balance: float | None = None
    tentative_pending_balance: float | None = None
    tentative_negative_balance: float | None = None
    current_tier: Tier | None = None
    points_to_next_tier: float | None = None
    next_tier_name: str | None = None


@define(kw_only=True)
class LoyaltyProgramLedgers(Model):
    """A customer's balances in one profile-based loyalty program."""

    id: int
    title: str
    name: str
    ledger: LedgerInfo
    join_date: datetime | None = None
    sub_ledgers: dict[str, LedgerInfo] | None = None


@define(kw_only=True)
class LoyaltyCardProfileRegistration(Model):
    """A customer profile linked to a loyalty card, and when it was linked."""

    integration_id: str
    timestamp: datetime


@define(kw_only=True)
class LoyaltyCard(Model):
    """A card in a card-based loyalty program, with its balances."""

    id: int
    created: datetime
    program_id: int = field(metadata=wire("programID"))
    status: str
    identifier: str
    users_per_card_limit: int
    program_name: str | None = None
    program_title: str | None = None
    block_reason: str | None = None
    profiles: list[LoyaltyCardProfileRegistration] | None = None
    ledger: LedgerInfo | None = None
    subledgers: dict[str, LedgerInfo] | None = None
    modified: datetime | None = None
    old_card_identifier: str | None = None
    new_card_identifier: str | None = None
    batch_id: str | None = None


@define(kw_only=True)
class Loyalty(Model):
    """A customer's loyalty standing: programs keyed by program ID, plus linked cards."""

    programs: dict[str, LoyaltyProgramLedgers]
    cards: list[LoyaltyCard] | None = None


@define(kw_only=True)
class LoyaltyMembership(Model):
    """A loyalty program a customer profile has joined."""

    loyalty_program_id: int
    joined: datetime | None = None


@define(kw_only=True)
class LedgerEntry(Model):
    """One change of a customer's loyalty points recorded by an event."""

    id: int
    created: datetime
    profile_id: str
    account_id: int
    loyalty_program_id: int
    event_id: int
    amount: int
    reason: str
    expiry_date: datetime
    reference_id: int | None = None
