"""Pager on its own: how it decides whether another page follows, for every page shape."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timezone
from typing import Any

import attrs
import pytest

from talon_async._pagination import Pager
from talon_async.models import Referral, ReferralList


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
