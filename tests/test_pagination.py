"""The pager: how it decides whether another page follows, for every page shape, and
that a server which lies about its pages cannot make it loop or yield what it should not."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timezone
from typing import Any

import attrs
import pytest
from aiohttp import web

from talon_async import PaginationError, TalonClient, TalonDecodeError
from talon_async._pagination import Pager
from talon_async.models import Referral, ReferralList

from .conftest import RecordingServer


@attrs.frozen
class DataOnly:
    """A page that tells nothing but its items."""

    data: Sequence[int] | None


@attrs.frozen
class MaybeMore:
    """A page whose ``has_more`` may be missing (None)."""

    data: Sequence[int]
    has_more: bool | None = None
    total_result_size: int | None = None


Fetch = Callable[[int, int], Awaitable[Any]]


def recording(page: Callable[[int, int], Any]) -> tuple[Fetch, list[tuple[int, int]]]:
    """A fetch that answers with ``page(skip, size)`` and records its calls."""
    calls: list[tuple[int, int]] = []

    async def fetch(skip: int, size: int) -> Any:
        calls.append((skip, size))
        return page(skip, size)

    return fetch, calls


async def items_of(pager: Pager[Any]) -> list[Any]:
    return [item async for item in pager]


async def test_total_result_size_ends_the_walk() -> None:
    # A model of the API whose pages carry a total instead of hasMore.
    referrals = [
        Referral(
            id=number,
            created=datetime(2024, 5, 2, tzinfo=timezone.utc),
            campaign_id=78,
            advocate_profile_integration_id="URNGV8294NV",
            code=f"CODE-{number}",
            usage_counter=0,
            usage_limit=1,
        )
        for number in range(5)
    ]
    fetch, calls = recording(
        lambda skip, size: ReferralList(total_result_size=5, data=referrals[skip : skip + size])
    )
    pager: Pager[Referral] = Pager(fetch, page_size=2)
    assert [referral.id for referral in await items_of(pager)] == [0, 1, 2, 3, 4]
    assert calls == [(0, 2), (2, 2), (4, 2)]


async def test_total_that_is_a_multiple_of_the_page_size() -> None:
    fetch, calls = recording(
        lambda skip, size: MaybeMore(data=list(range(4))[skip : skip + size], total_result_size=4)
    )
    assert await items_of(Pager(fetch, page_size=2)) == [0, 1, 2, 3]
    assert calls == [(0, 2), (2, 2)]


@pytest.mark.parametrize(("total", "calls_made"), [(5, 3), (4, 3), (0, 1)])
async def test_pages_without_has_more_end_on_a_short_page(total: int, calls_made: int) -> None:
    # Without hasMore or a total, only a page shorter than asked for (or empty) is the last.
    fetch, calls = recording(lambda skip, size: DataOnly(list(range(total))[skip : skip + size]))
    assert await items_of(Pager(fetch, page_size=2)) == list(range(total))
    assert calls == [(skip, 2) for skip in range(0, 2 * calls_made, 2)]


async def test_missing_data_is_an_empty_last_page() -> None:
    fetch, calls = recording(lambda skip, size: DataOnly(None))
    assert await items_of(Pager(fetch, page_size=2)) == []
    assert calls == [(0, 2)]


async def test_has_more_of_none_falls_back_to_the_total() -> None:
    fetch, calls = recording(
        lambda skip, size: MaybeMore(data=list(range(3))[skip : skip + size], total_result_size=3)
    )
    assert await items_of(Pager(fetch, page_size=2)) == [0, 1, 2]
    assert calls == [(0, 2), (2, 2)]


async def test_has_more_wins_over_a_full_page() -> None:
    fetch, calls = recording(lambda skip, size: MaybeMore(data=[skip, skip + 1], has_more=skip < 2))
    assert await items_of(Pager(fetch, page_size=2)) == [0, 1, 2, 3]
    assert calls == [(0, 2), (2, 2)]


async def test_each_iteration_starts_over() -> None:
    fetch, calls = recording(lambda skip, size: MaybeMore(data=[1], has_more=False))
    pager = Pager(fetch, page_size=5)
    assert await items_of(pager) == [1]
    assert await items_of(pager) == [1]
    assert calls == [(0, 5), (0, 5)]


@pytest.mark.parametrize(
    ("page_size", "limit"), [(0, None), (-1, None), (True, None), (2, -1), (2, 1.5)]
)
def test_bad_page_size_or_limit(page_size: Any, limit: Any) -> None:
    fetch, _ = recording(lambda skip, size: DataOnly([]))
    with pytest.raises(ValueError):
        Pager(fetch, page_size=page_size, limit=limit)


# -- a server that lies about its pages ---------------------------------------------------


def campaign(number: int) -> dict[str, Any]:
    return {
        "applicationId": 322,
        "id": number,
        "name": f"Campaign {number}",
        "state": "enabled",
        "tags": [],
        "features": [],
        "rules": [],
    }


def lying(server: RecordingServer, page: Callable[[int, int], dict[str, Any]]) -> None:
    """Answer each campaign list request with ``page(skip, page_size)``; from the 20th
    request on with a 500, which ends the walk of a pager that would go on forever."""

    async def handler(request: web.Request) -> web.Response:
        if len(server.received) >= 20:
            return web.json_response({"message": "the pager did not stop"}, status=500)
        return web.json_response(page(int(request.query["skip"]), int(request.query["pageSize"])))

    server.handle(handler)


async def campaign_ids(client: TalonClient, **options: Any) -> list[int]:
    return [item.id async for item in client.campaigns.iter_all(**options)]


@pytest.mark.parametrize("has_more", ["false", "true", 0, 1, None, [], {}])
async def test_has_more_that_is_not_a_boolean_is_a_decode_error(
    server: RecordingServer, client: TalonClient, has_more: Any
) -> None:
    # Lenient decoding keeps such a value (and logs it), but the pager steers by it.
    lying(server, lambda skip, size: {"hasMore": has_more, "data": [campaign(skip + 1)]})
    if has_more is None:  # null is no answer: a short page is the last
        assert await campaign_ids(client, page_size=2) == [1]
        return
    with pytest.raises(TalonDecodeError, match="hasMore must be a boolean"):
        await campaign_ids(client, page_size=2)
    assert len(server.received) == 1


async def test_limit_holds_when_the_server_ignores_the_page_size(
    server: RecordingServer, client: TalonClient
) -> None:
    lying(server, lambda skip, size: {"hasMore": True, "data": [campaign(n) for n in range(100)]})
    assert await campaign_ids(client, page_size=2, limit=3) == [0, 1, 2]
    assert len(server.received) == 1


async def test_a_page_that_repeats_the_previous_one_ends_the_walk(
    server: RecordingServer, client: TalonClient
) -> None:
    # The server ignores skip: every page is the first one, and says more follow.
    lying(server, lambda skip, size: {"hasMore": True, "data": [campaign(1), campaign(2)]})
    seen: list[int] = []
    with pytest.raises(PaginationError, match="repeats the previous page") as caught:
        async for item in client.campaigns.iter_all(page_size=2):
            seen.append(item.id)
    assert isinstance(caught.value, TalonDecodeError) and caught.value.skip == 2
    assert seen == [1, 2]  # yielded once
    assert [r.query["skip"] for r in server.received] == ["0", "2"]


async def test_an_empty_page_that_says_more_follow_is_a_decode_error(
    server: RecordingServer, client: TalonClient
) -> None:
    lying(server, lambda skip, size: {"hasMore": True, "data": []})
    with pytest.raises(TalonDecodeError, match="empty but says more follow"):
        await campaign_ids(client, page_size=2)
    assert len(server.received) == 1


@pytest.mark.parametrize("data", ["oops", {"id": 1}, 5, True])
async def test_data_that_is_not_an_array_is_a_decode_error(
    server: RecordingServer, client: TalonClient, data: Any
) -> None:
    lying(server, lambda skip, size: {"hasMore": False, "data": data})
    with pytest.raises(TalonDecodeError, match="data must be an array"):
        await campaign_ids(client, page_size=2)
    assert len(server.received) == 1


async def test_an_honest_server_is_walked_to_the_end(
    server: RecordingServer, client: TalonClient
) -> None:
    lying(
        server,
        lambda skip, size: {
            "hasMore": skip + size < 5,
            "data": [campaign(n) for n in range(skip, min(skip + size, 5))],
        },
    )
    assert await campaign_ids(client, page_size=2) == [0, 1, 2, 3, 4]
    assert await campaign_ids(client, page_size=2, limit=3) == [0, 1, 2]


@pytest.mark.parametrize("total", ["5", 5.0, True])
async def test_a_total_that_is_not_an_integer_is_a_decode_error(total: Any) -> None:
    fetch, calls = recording(lambda skip, size: MaybeMore(data=[1], total_result_size=total))
    with pytest.raises(TalonDecodeError, match="totalResultSize must be an integer"):
        await items_of(Pager(fetch, page_size=2))
    assert len(calls) == 1
