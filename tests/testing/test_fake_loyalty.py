"""The fake's loyalty programs: every answer of the eleven operations checked against the
spec, and the client (strict decoding) end to end: points from sessions, pending points
and their activation, paged and filtered history, cards, deletion, tiers, typed errors."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import UUID

import pytest

from talon_async import BadRequestError, NotFoundError, TalonClient
from talon_async.models import (
    ActivateLoyaltyPoints,
    CartItem,
    CustomerProfileIntegrationRequestV2,
    DeleteLoyaltyTransactionsRequest,
    GenerateLoyaltyCard,
    IntegrationRequest,
    LoyaltyCardRegistration,
    NewCustomerSessionV2,
)
from talon_async.testing import FakeTalon, loyalty_points

from .conformance import answer_problems
from .conftest import Raw

PROFILE = "/v1/loyalty_programs/7/profile/alice"
CARD = "/v1/loyalty_programs/8/cards/CARD-0001"
CARD_V2 = "/v2/loyalty_programs/8/cards/CARD-0001"
CARDS = "/v1/loyalty_programs/8/cards"
ACTIVATE_PATH = "/v1/loyalty_programs/7/activate_points"
GHOST_UUID = "00000000-0000-4000-8000-000000000000"
NOW = datetime.now(timezone.utc)


@pytest.fixture
async def client(talon_fake: FakeTalon) -> AsyncIterator[TalonClient]:
    async with talon_fake.client(strict_responses=True) as talon:
        yield talon


def seed_ledgers(fake: FakeTalon) -> str:
    """Program 7 (profiles) and 8 (cards) with points in every state; returns the UUID of
    alice's points that wait for an activation."""
    fake.add_loyalty_program(
        7, name="coffee", subledgers=["drinks"], tiers=[("Silver", 50), ("Gold", 200)]
    )
    fake.add_loyalty_program(8, name="cards", card_based=True, users_per_card_limit=2)
    fake.add_profile("bob")
    fake.add_profile("dave")
    fake.add_loyalty_card(8, "CARD-0001", profiles=["alice"])
    fake.add_loyalty_points(7, "alice", 100)
    fake.add_loyalty_points(7, "alice", 30, expiry_date=NOW - timedelta(days=1))
    fake.add_loyalty_points(7, "alice", 20, start_date=NOW + timedelta(days=10))
    waiting = fake.add_loyalty_points(7, "alice", 15, awaits_activation=True)
    fake.add_loyalty_points(7, "alice", -40)
    fake.add_loyalty_points(7, "alice", 10, subledger_id="drinks", transaction_type="import")
    fake.add_loyalty_points(8, "CARD-0001", 50, expiry_date=NOW + timedelta(days=30))
    fake.add_loyalty_points(8, "CARD-0001", -60)  # 10 points below zero
    return str(waiting["transactionUUID"])


# -- every answer fits the spec --------------------------------------------------------

# (operation, path, body, expected status), sent in this order to one seeded fake.
Case = tuple[str, str, Any, int]
BALANCES = "getLoyaltyBalances"
CARD_BALANCES = "getLoyaltyCardBalances"
POINTS = "getLoyaltyProgramProfilePoints"
CARD_POINTS = "getLoyaltyCardPoints"
HISTORY = "getLoyaltyProgramProfileTransactions"
CARD_HISTORY = "getLoyaltyCardTransactions"
DELETE = "deleteLoyaltyTransactionsFromLedgers"
ACTIVATE = "activateLoyaltyPoints"
GENERATE = "generateLoyaltyCard"
LINK = "linkLoyaltyCardToProfile"
UNLINK = "unlinkLoyaltyCardFromProfile"
CHANGES = (DELETE, ACTIVATE, GENERATE, LINK, UNLINK)  # sent with POST, the others with GET


def cases(waiting: str) -> list[Case]:
    """The requests, ``waiting`` being the UUID of points waiting for an activation."""
    return [
        (BALANCES, f"{PROFILE}/balances", None, 200),
        (
            BALANCES,
            f"{PROFILE}/balances?includeTiers=true&includeProjectedTier=true",
            None,
            200,
        ),
        (BALANCES, f"{PROFILE}/balances?subledgerId=drinks&includeTiers=true", None, 200),
        (BALANCES, f"{PROFILE}/balances?endDate=2099-01-01", None, 200),
        (BALANCES, f"{PROFILE}/balances?endDate=2001-01-01T00:00:00%2B02:00", None, 200),
        (BALANCES, "/v1/loyalty_programs/7/profile/bob/balances", None, 200),
        (BALANCES, f"{PROFILE}/balances?endDate=yesterday", None, 400),
        (BALANCES, f"{PROFILE}/balances?includeTiers=yes", None, 400),
        (BALANCES, "/v1/loyalty_programs/seven/profile/alice/balances", None, 400),
        (BALANCES, "/v1/loyalty_programs/8/profile/alice/balances", None, 400),
        (BALANCES, "/v1/loyalty_programs/99/profile/alice/balances", None, 404),
        (BALANCES, "/v1/loyalty_programs/7/profile/ghost/balances", None, 404),
        (BALANCES, f"{PROFILE}/balances", "no-auth", 401),
        (CARD_BALANCES, f"{CARD}/balances", None, 200),
        (CARD_BALANCES, f"{CARD}/balances?subledgerId=&subledgerId=drinks", None, 200),
        (CARD_BALANCES, f"{CARD}/balances?endDate=2099-01-01T00:00:00Z", None, 200),
        (CARD_BALANCES, f"{CARD}/balances?endDate=2099-13-01", None, 400),
        (CARD_BALANCES, "/v1/loyalty_programs/8/cards/abc/balances", None, 400),
        (CARD_BALANCES, "/v1/loyalty_programs/8/cards/CARD-9999/balances", None, 404),
        (CARD_BALANCES, "/v1/loyalty_programs/7/cards/CARD-0001/balances", None, 404),
        (CARD_BALANCES, f"{CARD}/balances", "no-auth", 401),
        (POINTS, f"{PROFILE}/points", None, 200),
        (POINTS, f"{PROFILE}/points?status=pending&sort=-startDate", None, 200),
        (POINTS, f"{PROFILE}/points?status=expired&sort=expiryDate", None, 200),
        (POINTS, f"{PROFILE}/points?subledgerId=drinks&subledgerId=", None, 200),
        (POINTS, f"{PROFILE}/points?pageSize=1&skip=1", None, 200),
        (POINTS, f"{PROFILE}/points?transactionUUIDs={GHOST_UUID}", None, 200),
        (POINTS, f"{PROFILE}/points?customerSessionIDs=s-1&pageSize=1000", None, 200),
        (POINTS, f"{PROFILE}/points?status=spent", None, 400),
        (POINTS, f"{PROFILE}/points?pageSize=0", None, 400),
        (POINTS, f"{PROFILE}/points?pageSize=1001", None, 400),
        (POINTS, f"{PROFILE}/points?pageSize=ten", None, 400),
        (POINTS, f"{PROFILE}/points?skip=-1", None, 400),
        (POINTS, f"{PROFILE}/points?sort=amount", None, 400),
        (POINTS, "/v1/loyalty_programs/7/profile/ghost/points", None, 404),
        (POINTS, f"{PROFILE}/points", "no-auth", 401),
        (CARD_POINTS, f"{CARD}/points", None, 200),
        (
            CARD_POINTS,
            f"{CARD}/points?status=expired&sort=-expiryDate&pageSize=5",
            None,
            200,
        ),
        (CARD_POINTS, f"{CARD}/points?status=Active", None, 400),
        (CARD_POINTS, "/v1/loyalty_programs/99/cards/CARD-0001/points", None, 404),
        (CARD_POINTS, f"{CARD}/points", "no-auth", 401),
        (HISTORY, f"{PROFILE}/transactions", None, 200),
        (HISTORY, f"{PROFILE}/transactions?loyaltyTransactionType=import", None, 200),
        (HISTORY, f"{PROFILE}/transactions?awaitsActivation=true", None, 200),
        (
            HISTORY,
            f"{PROFILE}/transactions?startDate=2000-01-01&endDate=2099-01-01",
            None,
            200,
        ),
        (HISTORY, f"{PROFILE}/transactions?subledgerId=drinks&pageSize=1&skip=0", None, 200),
        (HISTORY, f"{PROFILE}/transactions?awaitsActivation=false", None, 400),
        (HISTORY, f"{PROFILE}/transactions?loyaltyTransactionType=refund", None, 400),
        (HISTORY, f"{PROFILE}/transactions?startDate=soon", None, 400),
        (HISTORY, f"{PROFILE}/transactions?pageSize=-5", None, 400),
        (HISTORY, "/v1/loyalty_programs/99/profile/alice/transactions", None, 404),
        (HISTORY, f"{PROFILE}/transactions", "no-auth", 401),
        (CARD_HISTORY, f"{CARD}/transactions", None, 200),
        (
            CARD_HISTORY,
            f"{CARD}/transactions?subledgerId=&loyaltyTransactionType=manual",
            None,
            200,
        ),
        (CARD_HISTORY, f"{CARD}/transactions?endDate=31.12.2099", None, 400),
        (CARD_HISTORY, "/v1/loyalty_programs/8/cards/CARD-9999/transactions", None, 404),
        (CARD_HISTORY, f"{CARD}/transactions", "no-auth", 401),
        (ACTIVATE, ACTIVATE_PATH, {"transactionUUIDs": [waiting]}, 200),
        (ACTIVATE, ACTIVATE_PATH, {"transactionUUIDs": [waiting]}, 200),
        (ACTIVATE, ACTIVATE_PATH, {"transactionUUIDs": [GHOST_UUID]}, 404),
        (ACTIVATE, ACTIVATE_PATH, {"sessionId": "s-404"}, 404),
        (ACTIVATE, "/v1/loyalty_programs/99/activate_points", {"sessionId": "s-1"}, 404),
        (ACTIVATE, ACTIVATE_PATH, {}, 400),
        (
            ACTIVATE,
            ACTIVATE_PATH,
            {"sessionId": "s", "transactionUUIDs": [GHOST_UUID]},
            400,
        ),
        (ACTIVATE, ACTIVATE_PATH, {"sessionId": ""}, 400),
        (ACTIVATE, ACTIVATE_PATH, {"transactionUUIDs": []}, 400),
        (ACTIVATE, ACTIVATE_PATH, {"transactionUUIDs": ["not-a-uuid"]}, 400),
        (ACTIVATE, ACTIVATE_PATH, {"transactionUUIDs": [GHOST_UUID] * 2}, 400),
        (
            ACTIVATE,
            ACTIVATE_PATH,
            {"transactionUUIDs": [str(UUID(int=n)) for n in range(51)]},
            400,
        ),
        (ACTIVATE, ACTIVATE_PATH, {"sessionId": "s-1", "dry": True}, 400),
        (ACTIVATE, ACTIVATE_PATH, "no-auth", 401),
        (GENERATE, CARDS, {}, 200),
        (
            GENERATE,
            CARDS,
            {
                "cardIdentifier": "summer-card.2+x@y%z",
                "status": "inactive",
                "customerProfileIds": ["alice", "bob"],
            },
            200,
        ),
        (GENERATE, CARDS, {"cardIdentifier": "summer-card.2+x@y%z"}, 400),
        (GENERATE, CARDS, {"cardIdentifier": "a card"}, 400),
        (GENERATE, CARDS, {"cardIdentifier": "abc"}, 400),
        (GENERATE, CARDS, {"cardIdentifier": "x" * 109}, 400),
        (GENERATE, CARDS, {"status": "lost"}, 400),
        (GENERATE, CARDS, {"customerProfileIds": ["ghost"]}, 400),
        (GENERATE, CARDS, {"customerProfileIds": ["alice", "bob", "dave"]}, 400),
        (GENERATE, "/v1/loyalty_programs/7/cards", {}, 400),
        (GENERATE, CARDS, "no-auth", 401),
        (LINK, f"{CARD_V2}/link_profile", {"integrationId": "bob"}, 200),
        (LINK, f"{CARD_V2}/link_profile", {"integrationId": "bob"}, 200),
        (LINK, f"{CARD_V2}/link_profile", {"integrationId": "dave"}, 400),
        (LINK, f"{CARD_V2}/link_profile", {"integrationId": "carol"}, 404),
        (LINK, f"{CARD_V2}/link_profile", {}, 400),
        (
            LINK,
            "/v2/loyalty_programs/8/cards/CARD-9999/link_profile",
            {"integrationId": "bob"},
            404,
        ),
        (LINK, f"{CARD_V2}/link_profile", "no-auth", 401),
        (UNLINK, f"{CARD_V2}/unlink_profile", {"integrationId": "bob"}, 200),
        (UNLINK, f"{CARD_V2}/unlink_profile", {"integrationId": "bob"}, 400),
        (UNLINK, f"{CARD_V2}/unlink_profile", {"integrationId": 7}, 400),
        (
            UNLINK,
            "/v2/loyalty_programs/x/cards/CARD-0001/unlink_profile",
            {"integrationId": "bob"},
            400,
        ),
        (UNLINK, f"{CARD_V2}/unlink_profile", {"integrationId": "ghost"}, 404),
        (UNLINK, f"{CARD_V2}/unlink_profile", "no-auth", 401),
        (DELETE, f"{PROFILE}/delete_transactions", {"scope": "SelectedSubledgers"}, 400),
        (DELETE, f"{PROFILE}/delete_transactions", {"scope": "Everything"}, 400),
        (
            DELETE,
            f"{PROFILE}/delete_transactions",
            {"scope": "AllSubledgers", "force": 1},
            400,
        ),
        (DELETE, f"{PROFILE}/delete_transactions", {}, 400),
        (
            DELETE,
            "/v1/loyalty_programs/7/profile/ghost/delete_transactions",
            {"scope": "AllSubledgers"},
            404,
        ),
        (
            DELETE,
            "/v1/loyalty_programs/99/profile/alice/delete_transactions",
            {"scope": "AllSubledgers"},
            404,
        ),
        (DELETE, f"{PROFILE}/delete_transactions", "no-auth", 401),
        (
            DELETE,
            f"{PROFILE}/delete_transactions",
            {"scope": "SelectedSubledgers", "subledgerIds": ["drinks"]},
            204,
        ),
        (
            DELETE,
            f"{PROFILE}/delete_transactions",
            {"scope": "AllSubledgers", "subledgerIds": None},
            204,
        ),
    ]


# The spec lists no 404 for generateLoyaltyCard (see conformance.ERROR_SCHEMA_OF).
UNDOCUMENTED: Case = (GENERATE, "/v1/loyalty_programs/99/cards", {}, 404)


async def test_every_answer_fits_the_spec(raw: Raw, talon_fake: FakeTalon) -> None:
    waiting = seed_ledgers(talon_fake)
    requests = cases(waiting)
    operations = {case[0] for case in requests}
    assert len(operations) == 11
    for operation in operations:  # every operation answers each of its statuses
        assert {case[3] for case in requests if case[0] == operation} >= {200, 400, 401} - (
            {200} if operation == DELETE else set()
        )
    for operation, path, body, status in [*requests, UNDOCUMENTED]:
        method = "POST" if operation in CHANGES else "GET"
        no_auth = body == "no-auth"
        reply = await raw(method, path, None if no_auth else body, auth=not no_auth)
        where = f"{method} {path} {body}: {reply.body[:300]!r}"
        assert reply.status == status, where
        answer: Any = reply.json if reply.body else None
        assert answer_problems(operation, status, reply.body) == [], where
        if status >= 400:
            assert answer["StatusCode"] == status and answer["errors"], where


async def test_seeded_answers_hold_the_expected_numbers(raw: Raw, talon_fake: FakeTalon) -> None:
    seed_ledgers(talon_fake)
    balances = await raw("GET", f"{PROFILE}/balances?includeTiers=true&includeProjectedTier=true")
    assert balances.json["balance"] == {
        "activePoints": 60.0,  # 100 - 40 spent
        "pendingPoints": 35.0,  # 20 starting later, 15 waiting for an activation
        "spentPoints": 40.0,
        "expiredPoints": 30.0,
        "negativePoints": 0.0,
        "currentTier": {"id": 1, "name": "Silver"},
        "pointsToNextTier": 140.0,
        "nextTierName": "Gold",
        "projectedTier": {"projectedActivePoints": 60.0, "projectedTierName": "Silver"},
    }
    assert balances.json["subledgerBalances"]["drinks"]["activePoints"] == 10.0
    future = await raw("GET", f"{PROFILE}/balances?endDate=2099-01-01")
    assert (future.json["balance"]["activePoints"], future.json["balance"]["pendingPoints"]) == (
        80.0,
        15.0,
    )
    past = await raw("GET", f"{PROFILE}/balances?endDate=2001-01-01")
    assert past.json["balance"]["activePoints"] == 0.0
    card = await raw("GET", f"{CARD}/balances")
    assert card.json["balance"]["negativePoints"] == 10.0
    assert card.json["balance"]["activePoints"] == 0.0
    assert [p["integrationId"] for p in card.json["profiles"]] == ["alice"]
    expired = await raw("GET", f"{PROFILE}/points?status=expired")
    assert [entry["amount"] for entry in expired.json["data"]] == [30.0]
    pending = await raw("GET", f"{PROFILE}/points?status=pending&sort=-startDate")
    assert [entry["startDate"] for entry in pending.json["data"]][1] == "on_action"
    card_history = await raw("GET", f"{CARD}/transactions")
    spent, added = card_history.json["data"]
    assert (spent["type"], spent["amount"], added["type"]) == ("subtraction", 60.0, "addition")
    assert "flags" not in spent  # card transactions have no flags; profile ones do
    talon_fake.add_loyalty_points(7, "alice", -100)
    [debt, *_] = (await raw("GET", f"{PROFILE}/transactions")).json["data"]
    assert debt["flags"] == {"createsNegativeBalance": True}


# -- the client, end to end ------------------------------------------------------------


def closed_session(profile: str, price: float, *cards: str) -> IntegrationRequest:
    return IntegrationRequest(
        customer_session=NewCustomerSessionV2(
            profile_id=profile,
            state="closed",
            loyalty_cards=list(cards),
            cart_items=[CartItem(sku="BEANS", quantity=1, price=price)],
        ),
        response_content=["loyalty"],
    )


async def test_session_points_reach_balances_history_states_and_inventory(
    talon_fake: FakeTalon, client: TalonClient
) -> None:
    talon_fake.add_loyalty_program(7, title="Coffee club", tiers=[("Silver", 100)])
    talon_fake.add_rule(loyalty_points(7, 2, name="Two per euro"))
    state = await client.sessions.update_v2("s-1", closed_session("alice", 60.0))
    balances = await client.loyalty.get_balances(7, "alice", include_tiers=True)
    assert balances.balance is not None and balances.balance.active_points == 120.0
    assert balances.balance.current_tier is not None
    assert balances.balance.current_tier.name == "Silver"
    page = await client.loyalty.get_profile_transactions(7, "alice")
    [entry] = page.data
    assert (entry.type, entry.amount, entry.customer_session_id) == ("addition", 120.0, "s-1")
    assert (entry.name, entry.rule_name, page.has_more) == ("Two per euro", "Two per euro", False)
    [effect] = state.effects
    assert entry.transaction_uuid == effect.props.transaction_uuid  # type: ignore[union-attr]
    assert state.loyalty is not None
    ledger = state.loyalty.programs["7"].ledger
    assert (ledger.current_balance, ledger.current_tier) == (120.0, balances.balance.current_tier)
    inventory = await client.profiles.get_inventory("alice", loyalty=True)
    assert inventory.loyalty is not None
    assert inventory.loyalty.programs["7"].title == "Coffee club"
    assert inventory.loyalty.programs["7"].ledger.current_balance == 120.0
    await client.sessions.update_v2(
        "s-1", IntegrationRequest(customer_session=NewCustomerSessionV2(state="cancelled"))
    )
    assert talon_fake.loyalty_balance(7, "alice") == 0.0
    rollback, _ = (await client.loyalty.get_profile_transactions(7, "alice")).data
    assert (rollback.type, rollback.amount) == ("subtraction", 120.0)


async def test_pending_points_wait_for_their_start_or_their_activation(
    talon_fake: FakeTalon, client: TalonClient
) -> None:
    talon_fake.add_loyalty_program(7)
    talon_fake.add_rule(loyalty_points(7, 1, awaits_activation=True, name="On pickup"))
    talon_fake.add_rule(loyalty_points(7, 1, pending_days=14, expiry_days=30, name="Later"))
    await client.sessions.update_v2("s-1", closed_session("alice", 10.0))
    await client.sessions.update_v2("s-2", closed_session("alice", 5.0))
    balances = await client.loyalty.get_balances(7, "alice")
    assert balances.balance is not None
    assert (balances.balance.active_points, balances.balance.pending_points) == (0.0, 30.0)
    in_three_weeks = await client.loyalty.get_balances(
        7, "alice", end_date=datetime.now(timezone.utc) + timedelta(days=21)
    )
    assert in_three_weeks.balance is not None and in_three_weeks.balance.active_points == 15.0
    pending = await client.loyalty.get_profile_points(
        7, "alice", status="pending", sort="startDate"
    )
    assert [(p.name, p.start_date) for p in pending.data][:2] == [
        ("On pickup", "on_action"),
        ("On pickup", "on_action"),
    ]
    waiting = await client.loyalty.get_profile_transactions(7, "alice", awaits_activation=True)
    assert [(t.customer_session_id, t.amount) for t in waiting.data] == [
        ("s-2", 5.0),
        ("s-1", 10.0),
    ]
    by_session = await client.loyalty.activate_points(7, ActivateLoyaltyPoints(session_id="s-1"))
    assert [(e.amount, e.customer_session_id) for e in by_session.ledger_entries or ()] == [
        (10.0, "s-1")
    ]
    uuid = UUID(waiting.data[0].transaction_uuid)
    await client.loyalty.activate_points(7, ActivateLoyaltyPoints(transaction_uuids=[uuid]))
    balances = await client.loyalty.get_balances(7, "alice")
    assert balances.balance is not None
    assert (balances.balance.active_points, balances.balance.pending_points) == (15.0, 15.0)
    active = await client.loyalty.get_profile_points(7, "alice")
    assert {p.name for p in active.data} == {"On pickup"}


async def test_history_is_walked_across_pages_and_filtered(
    talon_fake: FakeTalon, client: TalonClient
) -> None:
    talon_fake.add_loyalty_program(7, subledgers=["drinks"])
    talon_fake.add_rule(loyalty_points(7, 1))
    for n in range(7):
        await client.sessions.update_v2(f"s-{n}", closed_session("alice", 10.0 + n))
    talon_fake.add_loyalty_points(7, "alice", 5, subledger_id="drinks", name="Welcome drink")
    talon_fake.requests.clear()
    amounts = [
        tx.amount async for tx in client.loyalty.iter_profile_transactions(7, "alice", page_size=3)
    ]
    assert amounts == [5.0, 16.0, 15.0, 14.0, 13.0, 12.0, 11.0, 10.0]  # newest first
    skips = [request.query["skip"] for request in talon_fake.requests]
    assert skips == ["0", "3", "6"]
    sessions = client.loyalty.iter_profile_transactions(
        7, "alice", customer_session_ids=["s-1", "s-5"], page_size=1
    )
    assert [tx.customer_session_id async for tx in sessions] == ["s-5", "s-1"]
    drinks = client.loyalty.iter_profile_transactions(7, "alice", subledger_id="drinks")
    assert [(tx.name, tx.subledger_id) async for tx in drinks] == [("Welcome drink", "drinks")]
    manual = client.loyalty.iter_profile_transactions(7, "alice", loyalty_transaction_type="manual")
    assert [tx.amount async for tx in manual] == [5.0]
    later = client.loyalty.iter_profile_transactions(
        7, "alice", start_date=datetime.now(timezone.utc) + timedelta(minutes=1)
    )
    assert [tx async for tx in later] == []
    points = client.loyalty.iter_profile_points(7, "alice", limit=4, page_size=2)
    assert [p.amount async for p in points] == [10.0, 11.0, 12.0, 13.0]


async def test_a_card_is_generated_linked_credited_read_and_unlinked(
    talon_fake: FakeTalon, client: TalonClient
) -> None:
    talon_fake.add_loyalty_program(8, name="Store card", card_based=True, subledgers=["fuel"])
    talon_fake.add_rule(loyalty_points(8, 1))
    talon_fake.add_profile("alice")
    card = await client.loyalty.generate_card(8, GenerateLoyaltyCard())
    assert re.fullmatch("[A-Z0-9]{12}", card.identifier) and card.status == "active"
    assert (card.program_id, card.program_name, card.profiles) == (8, "Store card", [])
    linked = await client.loyalty.link_card(
        8, card.identifier, LoyaltyCardRegistration(integration_id="alice")
    )
    assert [p.integration_id for p in linked.profiles or ()] == ["alice"]
    await client.sessions.update_v2("s-1", closed_session("alice", 42.0, card.identifier))
    await client.sessions.update_v2("s-2", closed_session("", 8.0, card.identifier))  # anonymous
    await client.sessions.update_v2("s-3", closed_session("alice", 99.0))  # no card: no points
    balances = await client.loyalty.get_card_balances(8, card.identifier)
    assert balances.balance is not None and balances.balance.active_points == 50.0
    assert balances.subledger_balances is not None and set(balances.subledger_balances) == {"fuel"}
    assert [p.integration_id for p in balances.profiles or ()] == ["alice"]
    points = await client.loyalty.get_card_points(8, card.identifier)
    assert [(p.amount, p.customer_profile_id) for p in points.data] == [
        (42.0, "alice"),
        (8.0, None),
    ]
    history = [tx async for tx in client.loyalty.iter_card_transactions(8, card.identifier)]
    assert [(tx.card_identifier, tx.amount) for tx in history] == [
        (card.identifier, 8.0),
        (card.identifier, 42.0),
    ]
    inventory = await client.profiles.get_inventory("alice", loyalty=True)
    assert inventory.loyalty is not None and inventory.loyalty.programs == {}
    assert inventory.loyalty.cards is not None
    [held] = inventory.loyalty.cards
    assert held.ledger is not None and held.ledger.current_balance == 50.0
    unlinked = await client.loyalty.unlink_card(
        8, card.identifier, LoyaltyCardRegistration(integration_id="alice")
    )
    assert unlinked.profiles == [] and unlinked.modified is not None
    inventory = await client.profiles.get_inventory("alice", loyalty=True)
    assert inventory.loyalty is not None and inventory.loyalty.cards is None
    inactive = await client.loyalty.generate_card(
        8,
        GenerateLoyaltyCard(
            card_identifier="PAPER-1", status="inactive", customer_profile_ids=["alice"]
        ),
    )
    await client.sessions.update_v2("s-4", closed_session("alice", 10.0, inactive.identifier))
    assert talon_fake.loyalty_balance(8, "PAPER-1") == 0.0  # inactive cards earn nothing


async def test_deleted_transactions_disappear_from_balances(
    talon_fake: FakeTalon, client: TalonClient
) -> None:
    talon_fake.add_loyalty_points(7, "alice", 100)
    talon_fake.add_loyalty_points(7, "alice", 20, subledger_id="drinks")
    talon_fake.add_loyalty_points(7, "bob", 1)
    await client.loyalty.delete_transactions(
        7, "alice", DeleteLoyaltyTransactionsRequest(scope="SelectedSubledgers", subledger_ids=[""])
    )
    balances = await client.loyalty.get_balances(7, "alice")
    assert balances.balance is not None and balances.balance.active_points == 0.0
    assert balances.subledger_balances is not None
    assert balances.subledger_balances["drinks"].active_points == 20.0
    await client.loyalty.delete_transactions(
        7, "alice", DeleteLoyaltyTransactionsRequest(scope="AllSubledgers")
    )
    assert (await client.loyalty.get_profile_transactions(7, "alice")).data == []
    assert (await client.loyalty.get_profile_points(7, "alice")).data == []
    state = await client.profiles.update_v2(
        "alice",
        CustomerProfileIntegrationRequestV2(response_content=["loyalty"]),
        run_rule_engine=True,
    )
    assert state.loyalty is not None and state.loyalty.programs == {}
    assert talon_fake.loyalty_balance(7, "bob") == 1.0  # other customers keep theirs


async def test_spending_below_zero_is_paid_back_by_the_next_points(talon_fake: FakeTalon) -> None:
    talon_fake.add_loyalty_points(7, "alice", 30, expiry_date=NOW + timedelta(days=2))
    talon_fake.add_loyalty_points(7, "alice", 30, expiry_date=NOW + timedelta(days=1))
    talon_fake.add_loyalty_points(7, "alice", -50)
    later, sooner, spent = talon_fake.loyalty_transactions
    assert (spent["amount"], spent["negativeAmount"]) == (50.0, 0.0)
    assert (sooner["unusedAmount"], later["unusedAmount"]) == (0.0, 10.0)  # soonest first
    talon_fake.add_loyalty_points(7, "alice", -25)
    assert talon_fake.loyalty_balance(7, "alice") == 0.0
    assert talon_fake.loyalty_transactions[-1]["negativeAmount"] == 15.0
    talon_fake.add_loyalty_points(7, "alice", 20)
    assert talon_fake.loyalty_balance(7, "alice") == 5.0
    assert talon_fake.loyalty_transactions[-2]["negativeAmount"] == 0.0


async def test_the_projected_tier_counts_the_points_left_when_tiers_expire(
    talon_fake: FakeTalon, client: TalonClient
) -> None:
    expiry = NOW + timedelta(days=30)
    talon_fake.add_loyalty_program(
        7, tiers=[("Silver", 100), ("Gold", 300)], tiers_expire_on=expiry
    )
    talon_fake.add_loyalty_points(7, "alice", 250, expiry_date=NOW + timedelta(days=10))
    talon_fake.add_loyalty_points(7, "alice", 120)
    balances = await client.loyalty.get_balances(
        7, "alice", include_tiers=True, include_projected_tier=True
    )
    balance = balances.balance
    assert balance is not None and balance.current_tier is not None
    assert (balance.current_tier.name, balance.current_tier.expiry_date) == ("Gold", expiry)
    assert balance.projected_tier is not None
    assert (
        balance.projected_tier.projected_active_points,
        balance.projected_tier.projected_tier_name,
        balance.projected_tier.stay_in_tier_points,
    ) == (120.0, "Silver", 180.0)
    assert (balance.points_to_next_tier, balance.next_tier_name) == (None, None)


async def test_unknown_things_are_404_and_bad_filters_400(
    talon_fake: FakeTalon, client: TalonClient
) -> None:
    seed_ledgers(talon_fake)
    loyalty = client.loyalty
    ghost = LoyaltyCardRegistration(integration_id="ghost")
    missing: list[Callable[[], Awaitable[object]]] = [
        lambda: loyalty.get_balances(99, "alice"),
        lambda: loyalty.get_balances(7, "ghost"),
        lambda: loyalty.get_card_points(8, "CARD-9999"),
        lambda: loyalty.link_card(8, "CARD-0001", ghost),
    ]
    for call in missing:
        with pytest.raises(NotFoundError) as not_found:
            await call()
        assert not_found.value.body is not None and not_found.value.body.errors
    bob = LoyaltyCardRegistration(integration_id="bob")
    bad: list[Callable[[], Awaitable[object]]] = [
        lambda: loyalty.get_profile_points(7, "alice", status="spent"),
        lambda: loyalty.get_profile_points(7, "alice", sort="amount"),
        lambda: loyalty.get_profile_transactions(7, "alice", awaits_activation=False),
        lambda: loyalty.get_card_transactions(8, "CARD-0001", loyalty_transaction_type="gift"),
        lambda: loyalty.generate_card(7, GenerateLoyaltyCard()),
        lambda: loyalty.unlink_card(8, "CARD-0001", bob),
    ]
    for call in bad:
        with pytest.raises(BadRequestError) as refused:
            await call()
        assert refused.value.body is not None and refused.value.body.errors


def test_seeding_methods_refuse_what_cannot_exist() -> None:
    fake = FakeTalon()
    fake.add_loyalty_program(8, card_based=True)
    with pytest.raises(ValueError, match="no card-based loyalty program 7"):
        fake.add_loyalty_card(7, "CARD-1")
    fake.add_loyalty_card(8, "CARD-1", profiles=["alice"])
    assert "alice" in fake.profiles
    with pytest.raises(ValueError, match="exists already"):
        fake.add_loyalty_card(8, "CARD-1")
    with pytest.raises(ValueError, match="at most 1 profiles"):
        fake.add_loyalty_card(8, "CARD-2", profiles=["alice", "bob"])
    with pytest.raises(ValueError, match="has no card 'CARD-9'"):
        fake.add_loyalty_points(8, "CARD-9", 10)
    fake.add_loyalty_points(9, "bob", 10)  # an unknown program is created, profile-based
    assert fake.loyalty_programs[9]["cardBased"] is False and "bob" in fake.profiles


async def test_deleting_customer_data_forgets_ledgers_and_card_links(
    raw: Raw, talon_fake: FakeTalon
) -> None:
    seed_ledgers(talon_fake)
    assert (await raw("DELETE", "/v1/customer_data/alice")).status == 204
    assert all(r.get("integrationId") != "alice" for r in talon_fake.loyalty_transactions)
    assert talon_fake.loyalty_cards[(8, "CARD-0001")]["profiles"] == []
    assert talon_fake.loyalty_balance(8, "CARD-0001") == 0.0  # the card keeps its ledger
    assert len([r for r in talon_fake.loyalty_transactions if "cardIdentifier" in r]) == 2
