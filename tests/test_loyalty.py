"""The loyalty operations on the wire (method, path, exact query string, auth, body), the
answers decoded into their models, bad input refused before any I/O, the official names,
and the ``iter_*`` methods walking pages served from a list."""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, Awaitable, Callable
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qsl
from uuid import UUID

import attrs
import pytest
from aiohttp import web

from talon_async import ApiKeyV1, NotFoundError, TalonClient, from_json, to_json
from talon_async.models import (
    ActivateLoyaltyPoints,
    ActivateLoyaltyPointsResponse,
    DeleteLoyaltyTransactionsRequest,
    GenerateLoyaltyCard,
    GetLoyaltyCardPoints200Response,
    GetLoyaltyCardTransactions200Response,
    GetLoyaltyProgramProfilePoints200Response,
    GetLoyaltyProgramProfileTransactions200Response,
    LoyaltyBalancesWithTiers,
    LoyaltyCard,
    LoyaltyCardBalances,
    LoyaltyCardRegistration,
)
from talon_async.resources.loyalty import LoyaltyResource

from . import loyalty_examples as ex
from .conftest import API_KEY, RecordingServer

PLUS_7 = timezone(timedelta(hours=7))
END = datetime(2024, 5, 29, 15, 4, 5, tzinfo=PLUS_7)
START = datetime(2024, 1, 1, tzinfo=timezone.utc)
END_Q = "2024-05-29T15%3A04%3A05%2B07%3A00"  # RFC 3339, percent-encoded
START_Q = "2024-01-01T00%3A00%3A00%2B00%3A00"
UUID_1 = "dc608634-0100-40d9-b371-e964476bbe0f"
UUID_2 = "9e829590-05cf-407b-b4c0-5f28468a81e1"

Call = Callable[[TalonClient], Awaitable[Any]]


@attrs.frozen
class Case:
    call: Call
    method: str
    path: str
    query: str  # the raw query string, exactly
    body: Any  # the JSON expected on the wire, or None for no body
    status: int
    answer: Any  # JSON the server answers with, or None for no body
    returns: type | None


CASES: dict[str, Case] = {
    "getLoyaltyBalances": Case(
        lambda c: c.loyalty.get_balances(
            33, "customer1", end_date=END, subledger_id="subledger1", include_tiers=True,
            include_projected_tier=True,
        ),
        "GET", "/v1/loyalty_programs/33/profile/customer1/balances",
        f"endDate={END_Q}&subledgerId=subledger1&includeTiers=true&includeProjectedTier=true",
        None, 200, ex.LOYALTY_BALANCES_WITH_TIERS, LoyaltyBalancesWithTiers,
    ),
    "getLoyaltyBalances-defaults": Case(
        lambda c: c.loyalty.get_balances(33, "customer1", include_tiers=False),
        "GET", "/v1/loyalty_programs/33/profile/customer1/balances", "",
        None, 200, {"balance": ex.BALANCE}, LoyaltyBalancesWithTiers,
    ),
    "getLoyaltyCardBalances": Case(
        lambda c: c.loyalty.get_card_balances(
            33, "summer-loyalty-card-0543", end_date=END,
            subledger_id=["subledger1", "subledger2"],
        ),
        "GET", "/v1/loyalty_programs/33/cards/summer-loyalty-card-0543/balances",
        f"endDate={END_Q}&subledgerId=subledger1&subledgerId=subledger2",
        None, 200, ex.LOYALTY_CARD_BALANCES, LoyaltyCardBalances,
    ),
    "getLoyaltyCardBalances-escaped-card": Case(
        # The spec's own example of a card ID that needs escaping.
        lambda c: c.loyalty.get_card_balances(33, "NewCard2026%"),
        "GET", "/v1/loyalty_programs/33/cards/NewCard2026%25/balances", "",
        None, 200, {}, LoyaltyCardBalances,
    ),
    "getLoyaltyProgramProfilePoints": Case(
        lambda c: c.loyalty.get_profile_points(
            33, "customer1", status="pending", subledger_id=["subledger1", "subledger2"],
            customer_session_ids=["s1", "s2"], transaction_uuids=[UUID_1, UUID_2],
            page_size=1000, skip=100, sort="-expiryDate",
        ),
        "GET", "/v1/loyalty_programs/33/profile/customer1/points",
        "status=pending&subledgerId=subledger1&subledgerId=subledger2"
        "&customerSessionIDs=s1&customerSessionIDs=s2"
        f"&transactionUUIDs={UUID_1}&transactionUUIDs={UUID_2}"
        "&pageSize=1000&skip=100&sort=-expiryDate",
        None, 200, ex.PROFILE_POINTS_PAGE, GetLoyaltyProgramProfilePoints200Response,
    ),
    "getLoyaltyCardPoints": Case(
        lambda c: c.loyalty.get_card_points(
            33, "summer-loyalty-card-0543", status="active", subledger_id=["subledger1"],
            page_size=1, skip=0, sort="startDate",
        ),
        "GET", "/v1/loyalty_programs/33/cards/summer-loyalty-card-0543/points",
        "status=active&subledgerId=subledger1&pageSize=1&skip=0&sort=startDate",
        None, 200, ex.CARD_POINTS_PAGE, GetLoyaltyCardPoints200Response,
    ),
    "getLoyaltyProgramProfileTransactions": Case(
        lambda c: c.loyalty.get_profile_transactions(
            33, "customer1", customer_session_ids=["s1"], transaction_uuids=[UUID_1, UUID_2],
            subledger_id="subledger1", loyalty_transaction_type="manual", start_date=START,
            end_date=END, page_size=50, skip=100, awaits_activation=True,
        ),
        "GET", "/v1/loyalty_programs/33/profile/customer1/transactions",
        f"subledgerId=subledger1&customerSessionIDs=s1&transactionUUIDs={UUID_1}"
        f"&transactionUUIDs={UUID_2}&loyaltyTransactionType=manual&startDate={START_Q}"
        f"&endDate={END_Q}&pageSize=50&skip=100&awaitsActivation=true",
        None, 200, ex.PROFILE_TRANSACTIONS_PAGE,
        GetLoyaltyProgramProfileTransactions200Response,
    ),
    "getLoyaltyCardTransactions": Case(
        lambda c: c.loyalty.get_card_transactions(
            33, "summer-loyalty-card-0543", subledger_id=["subledger1", "subledger2"],
            loyalty_transaction_type="session", customer_session_ids=["s1", "s2"],
            awaits_activation=False,
        ),
        "GET", "/v1/loyalty_programs/33/cards/summer-loyalty-card-0543/transactions",
        "subledgerId=subledger1&subledgerId=subledger2&customerSessionIDs=s1"
        "&customerSessionIDs=s2&loyaltyTransactionType=session&awaitsActivation=false",
        None, 200, ex.CARD_TRANSACTIONS_PAGE, GetLoyaltyCardTransactions200Response,
    ),
    "deleteLoyaltyTransactionsFromLedgers": Case(
        lambda c: c.loyalty.delete_transactions(
            33, "customer1",
            DeleteLoyaltyTransactionsRequest(
                scope="SelectedSubledgers", subledger_ids=["subledger1", "subledger2"]
            ),
        ),
        "POST", "/v1/loyalty_programs/33/profile/customer1/delete_transactions", "",
        ex.DELETE_SELECTED, 204, None, None,
    ),
    "activateLoyaltyPoints": Case(
        lambda c: c.loyalty.activate_points(
            33, ActivateLoyaltyPoints(session_id="ac08cc3c43470426591ad75b2d685ec04_v2")
        ),
        "POST", "/v1/loyalty_programs/33/activate_points", "",
        ex.ACTIVATE_BY_SESSION, 200, ex.ACTIVATE_LOYALTY_POINTS_RESPONSE,
        ActivateLoyaltyPointsResponse,
    ),
    "activateLoyaltyPoints-uuids": Case(
        lambda c: c.loyalty.activate_points(
            33,
            ActivateLoyaltyPoints(
                transaction_uuids=[UUID(u) for u in ex.ACTIVATE_BY_UUIDS["transactionUUIDs"]]
            ),
        ),
        "POST", "/v1/loyalty_programs/33/activate_points", "",
        ex.ACTIVATE_BY_UUIDS, 200, {"ledgerEntries": []}, ActivateLoyaltyPointsResponse,
    ),
    "generateLoyaltyCard": Case(
        lambda c: c.loyalty.generate_card(
            33,
            GenerateLoyaltyCard(
                status="inactive", customer_profile_ids=["R195412", "G244519"],
                card_identifier="summer-loyalty-card-0543",
            ),
        ),
        "POST", "/v1/loyalty_programs/33/cards", "",
        {k: v for k, v in ex.GENERATE_CARD.items() if k != "attributes"},
        200, ex.LOYALTY_CARD, LoyaltyCard,
    ),
    "linkLoyaltyCardToProfile": Case(
        lambda c: c.loyalty.link_card(
            33, "summer-loyalty-card-0543", LoyaltyCardRegistration(integration_id="R195412")
        ),
        "POST", "/v2/loyalty_programs/33/cards/summer-loyalty-card-0543/link_profile", "",
        ex.CARD_REGISTRATION, 200, ex.LOYALTY_CARD, LoyaltyCard,
    ),
    "unlinkLoyaltyCardFromProfile": Case(
        lambda c: c.loyalty.unlink_card(
            33, "summer-loyalty-card-0543", LoyaltyCardRegistration(integration_id="R195412")
        ),
        "POST", "/v2/loyalty_programs/33/cards/summer-loyalty-card-0543/unlink_profile", "",
        ex.CARD_REGISTRATION, 200, {**ex.LOYALTY_CARD, "profiles": []}, LoyaltyCard,
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(CASES))
async def test_operation_on_the_wire(
    server: RecordingServer, client: TalonClient, name: str
) -> None:
    case = CASES[name]
    server.respond(case.status, b"" if case.answer is None else json.dumps(case.answer))
    result = await case.call(client)
    (received,) = server.received
    assert received.method == case.method
    assert received.raw_path == case.path
    assert received.raw_query == case.query
    assert received.headers["Authorization"] == f"ApiKey-v1 {API_KEY}"
    if case.body is None:
        assert received.body == b""
    else:
        assert received.headers["Content-Type"] == "application/json"
        assert json.loads(received.body) == case.body
    if case.returns is None:
        assert result is None
    else:
        assert type(result) is case.returns
        assert result == from_json(case.returns, case.answer, strict=True)
        assert from_json(case.returns, to_json(result), strict=True) == result


async def test_official_names_take_the_official_argument_order(
    server: RecordingServer, client: TalonClient
) -> None:
    server.respond(200, json.dumps(ex.LOYALTY_CARD))
    card = await client.link_loyalty_card_to_profile(
        33, "summer-loyalty-card-0543", LoyaltyCardRegistration(integration_id="R195412")
    )
    assert card.identifier == "summer-loyalty-card-0543"
    server.respond(204)
    await client.delete_loyalty_transactions_from_ledgers(
        7, "customer1", DeleteLoyaltyTransactionsRequest(scope="AllSubledgers")
    )
    server.respond(200, json.dumps(ex.PROFILE_POINTS_PAGE))
    page = await client.get_loyalty_program_profile_points(7, "customer1", page_size=10)
    assert page.has_more is True
    assert [(r.raw_path, r.raw_query) for r in server.received] == [
        ("/v2/loyalty_programs/33/cards/summer-loyalty-card-0543/link_profile", ""),
        ("/v1/loyalty_programs/7/profile/customer1/delete_transactions", ""),
        ("/v1/loyalty_programs/7/profile/customer1/points", "pageSize=10"),
    ]
    assert json.loads(server.received[1].body) == {"scope": "AllSubledgers"}


BAD_CALLS: dict[str, tuple[type[Exception], str, Callable[[LoyaltyResource], Any]]] = {
    "program id as str": (
        TypeError, "loyalty_program_id must be an int",
        lambda r: r.get_balances("33", "c"),  # type: ignore[arg-type]
    ),
    "program id as bool": (
        TypeError, "loyalty_program_id must be an int",
        lambda r: r.generate_card(True, GenerateLoyaltyCard()),
    ),
    "negative program id": (
        ValueError, r"loyalty_program_id must be from 0 to 2\*\*63 - 1, got -1",
        lambda r: r.get_card_points(-1, "card"),
    ),
    "program id over 64 bits": (
        ValueError, r"loyalty_program_id must be from 0 to 2\*\*63 - 1",
        lambda r: r.get_card_points(2**63, "card"),
    ),
    "card id shorter than the API allows": (
        ValueError, "loyalty_card_id must be 4 to 108 characters long, got 3",
        lambda r: r.get_card_points(33, "abc"),
    ),
    "card id longer than the API allows": (
        ValueError, "loyalty_card_id must be 4 to 108 characters long, got 109",
        lambda r: r.link_card(33, "c" * 109, LoyaltyCardRegistration(integration_id="p")),
    ),
    "page_size 0": (
        ValueError, "page_size must be between 1 and 1000",
        lambda r: r.get_profile_points(33, "c", page_size=0),
    ),
    "page_size over the maximum": (
        ValueError, "page_size must be between 1 and 1000",
        lambda r: r.get_card_transactions(33, "card", page_size=1001),
    ),
    "negative skip": (
        ValueError, "skip must be >= 0",
        lambda r: r.get_card_points(33, "card", skip=-1),
    ),
    "page_size as str": (
        TypeError, "page_size must be an int",
        lambda r: r.get_profile_transactions(33, "c", page_size="10"),  # type: ignore[arg-type]
    ),
    "naive end_date": (
        ValueError, "end_date must be timezone-aware",
        lambda r: r.get_balances(33, "c", end_date=datetime(2024, 5, 29)),
    ),
    "start_date as str": (
        TypeError, "start_date must be a datetime",
        lambda r: r.get_card_transactions(33, "card", start_date="2024-01-01"),  # type: ignore[arg-type]
    ),
    "str for the session list": (
        TypeError, "customer_session_ids must be a list",
        lambda r: r.get_profile_points(33, "c", customer_session_ids="s1"),
    ),
    "str for the UUID list": (
        TypeError, "transaction_uuids must be a list",
        lambda r: r.get_card_transactions(33, "card", transaction_uuids=UUID_1),
    ),
    "str for the card sub-ledger list": (
        TypeError, "subledger_id must be a list",
        lambda r: r.get_card_balances(33, "card", subledger_id="sub"),
    ),
    "list for the profile sub-ledger": (
        TypeError, "subledger_id must be a str",
        lambda r: r.get_profile_transactions(33, "c", subledger_id=["sub"]),  # type: ignore[arg-type]
    ),
    "empty status": (
        ValueError, "status must not be empty",
        lambda r: r.get_profile_points(33, "c", status=""),
    ),
    "include_tiers as int": (
        TypeError, "include_tiers must be True or False",
        lambda r: r.get_balances(33, "c", include_tiers=1),  # type: ignore[arg-type]
    ),
    "awaits_activation as str": (
        TypeError, "awaits_activation must be True or False",
        lambda r: r.get_card_transactions(33, "card", awaits_activation="yes"),  # type: ignore[arg-type]
    ),
    "wrong body type": (
        TypeError, "ActivateLoyaltyPoints",
        lambda r: r.activate_points(33, GenerateLoyaltyCard()),  # type: ignore[arg-type]
    ),
    "empty card id": (
        ValueError, "loyalty_card_id must not be empty",
        lambda r: r.link_card(33, "", LoyaltyCardRegistration(integration_id="p")),
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(BAD_CALLS))
async def test_bad_input_is_refused_before_io(
    server: RecordingServer, client: TalonClient, name: str
) -> None:
    error, message, call = BAD_CALLS[name]
    with pytest.raises(error, match=message):
        await call(client.loyalty)
    assert server.received == []


BAD_ITERATIONS: dict[str, tuple[type[Exception], str, Callable[[LoyaltyResource], Any]]] = {
    "page_size 0": (
        ValueError, "page_size must be between 1 and 1000",
        lambda r: r.iter_profile_points(33, "c", page_size=0),
    ),
    "page_size over the maximum": (
        ValueError, "page_size must be between 1 and 1000",
        lambda r: r.iter_card_points(33, "card", page_size=1001),
    ),
    "negative limit": (
        ValueError, "limit must be None or an int >= 0",
        lambda r: r.iter_profile_transactions(33, "c", limit=-1),
    ),
    "program id as str": (
        TypeError, "loyalty_program_id must be an int",
        lambda r: r.iter_card_transactions("33", "card"),  # type: ignore[arg-type]
    ),
    "naive start_date": (
        ValueError, "start_date must be timezone-aware",
        lambda r: r.iter_profile_transactions(33, "c", start_date=datetime(2024, 1, 1)),
    ),
    "str for a list": (
        TypeError, "subledger_id must be a list",
        lambda r: r.iter_card_points(33, "card", subledger_id="sub"),
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(BAD_ITERATIONS))
def test_bad_iteration_input_is_refused_when_the_pager_is_made(name: str) -> None:
    error, message, call = BAD_ITERATIONS[name]
    client = TalonClient("http://127.0.0.1:9", auth=ApiKeyV1(API_KEY))  # never sends
    with pytest.raises(error, match=message):
        call(client.loyalty)


# Pagination against a server that serves pages out of a list of items.

ITEMS = 7


def serve_pages(
    entry: dict[str, Any], total: int = ITEMS, fail_at_skip: int | None = None
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """A handler answering ``skip``/``pageSize`` with that slice of ``total`` numbered
    copies of ``entry``; the page at ``fail_at_skip`` answers 404 with an error body."""
    items = [{**entry, "id": number} for number in range(total)]

    async def handler(request: web.Request) -> web.StreamResponse:
        skip, size = int(request.query["skip"]), int(request.query["pageSize"])
        if skip == fail_at_skip:
            error = {"message": "Loyalty program not found", "StatusCode": 404}
            return web.json_response(error, status=404)
        page = items[skip : skip + size]
        return web.json_response({"hasMore": skip + size < total, "data": page})

    return handler


ITERATIONS: dict[str, tuple[Callable[..., Any], dict[str, Any], str, str]] = {
    # iter method, its entry, the path it reads, the filters it sends before the page
    "profile points": (
        lambda r, **kw: r.iter_profile_points(33, "customer1", status="active", **kw),
        ex.POINTS_ENTRY, "/v1/loyalty_programs/33/profile/customer1/points", "status=active&",
    ),
    "card points": (
        lambda r, **kw: r.iter_card_points(33, "card-0543", sort="-startDate", **kw),
        ex.CARD_POINTS_ENTRY, "/v1/loyalty_programs/33/cards/card-0543/points",
        "sort=-startDate&",
    ),
    "profile transactions": (
        lambda r, **kw: r.iter_profile_transactions(33, "customer1", end_date=END, **kw),
        ex.TRANSACTION_ENTRY, "/v1/loyalty_programs/33/profile/customer1/transactions",
        f"endDate={END_Q}&",
    ),
    "card transactions": (
        lambda r, **kw: r.iter_card_transactions(
            33, "card-0543", subledger_id=["a", "b"], **kw
        ),
        ex.CARD_TRANSACTION_ENTRY, "/v1/loyalty_programs/33/cards/card-0543/transactions",
        "subledgerId=a&subledgerId=b&",
    ),
}  # fmt: skip


async def collect(items: AsyncIterable[Any], stop_after: int | None = None) -> list[Any]:
    seen = []
    async for item in items:
        seen.append(item)
        if len(seen) == stop_after:
            break
    return seen


@pytest.mark.parametrize("name", list(ITERATIONS))
async def test_iteration_crosses_page_boundaries(
    server: RecordingServer, client: TalonClient, name: str
) -> None:
    make, entry, path, filters = ITERATIONS[name]
    server.handle(serve_pages(entry))
    items = await collect(make(client.loyalty, page_size=3))
    assert [item.id for item in items] == list(range(ITEMS))
    assert {r.raw_path for r in server.received} == {path}
    assert [sorted(parse_qsl(r.raw_query)) for r in server.received] == [
        sorted(parse_qsl(f"{filters}pageSize=3&skip={skip}")) for skip in (0, 3, 6)
    ]


async def test_default_page_size_is_the_apis(server: RecordingServer, client: TalonClient) -> None:
    server.handle(serve_pages(ex.POINTS_ENTRY, total=120))
    items = await collect(client.loyalty.iter_profile_points(33, "customer1"))
    assert len(items) == 120
    assert [r.raw_query for r in server.received] == [
        "pageSize=50&skip=0",
        "pageSize=50&skip=50",
        "pageSize=50&skip=100",
    ]


async def test_last_full_page_without_more_ends_the_walk(
    server: RecordingServer, client: TalonClient
) -> None:
    server.handle(serve_pages(ex.TRANSACTION_ENTRY, total=6))
    items = await collect(client.loyalty.iter_profile_transactions(33, "c", page_size=3))
    assert len(items) == 6
    assert [r.raw_query for r in server.received] == ["pageSize=3&skip=0", "pageSize=3&skip=3"]


async def test_break_stops_the_requests(server: RecordingServer, client: TalonClient) -> None:
    server.handle(serve_pages(ex.CARD_POINTS_ENTRY))
    items = await collect(client.loyalty.iter_card_points(33, "card-0543", page_size=3), 4)
    assert [item.id for item in items] == [0, 1, 2, 3]
    assert [r.raw_query for r in server.received] == ["pageSize=3&skip=0", "pageSize=3&skip=3"]


async def test_nothing_is_fetched_before_iteration(
    server: RecordingServer, client: TalonClient
) -> None:
    server.handle(serve_pages(ex.POINTS_ENTRY))
    pager = client.loyalty.iter_profile_points(33, "customer1")
    assert server.received == []
    assert len(await collect(pager)) == ITEMS


@pytest.mark.parametrize(
    ("limit", "queries"),
    [
        (5, ["pageSize=3&skip=0", "pageSize=2&skip=3"]),
        (3, ["pageSize=3&skip=0"]),
        (100, ["pageSize=3&skip=0", "pageSize=3&skip=3", "pageSize=3&skip=6"]),
        (0, []),
    ],
)
async def test_limit_caps_items_and_page_sizes(
    server: RecordingServer, client: TalonClient, limit: int, queries: list[str]
) -> None:
    server.handle(serve_pages(ex.CARD_TRANSACTION_ENTRY))
    pager = client.loyalty.iter_card_transactions(33, "card-0543", page_size=3, limit=limit)
    items = await collect(pager)
    assert [item.id for item in items] == list(range(min(limit, ITEMS)))
    assert [r.raw_query for r in server.received] == queries


async def test_failing_page_raises_from_the_loop(
    server: RecordingServer, client: TalonClient
) -> None:
    server.handle(serve_pages(ex.TRANSACTION_ENTRY, fail_at_skip=3))
    seen = []
    with pytest.raises(NotFoundError) as raised:
        async for item in client.loyalty.iter_profile_transactions(33, "c", page_size=3):
            seen.append(item.id)
    assert seen == [0, 1, 2]  # the first page, then the error: nothing skipped
    assert raised.value.status == 404
    assert raised.value.body is not None
    assert raised.value.body.message == "Loyalty program not found"
    assert [r.raw_query for r in server.received] == ["pageSize=3&skip=0", "pageSize=3&skip=3"]


async def test_each_page_takes_the_call_options(
    server: RecordingServer, client: TalonClient
) -> None:
    server.handle(serve_pages(ex.POINTS_ENTRY, total=4))
    pager = client.loyalty.iter_profile_points(
        33, "customer1", page_size=2, extra_headers={"X-Trace": "t-1"}
    )
    assert len(await collect(pager)) == 4
    assert [r.headers.get("X-Trace") for r in server.received] == ["t-1", "t-1"]
