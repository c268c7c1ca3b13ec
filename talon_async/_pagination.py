"""Paged lists: one iterator over every item, fetching a page only when it is needed.

A paged operation answers with one page as the API sends it: ``data`` plus ``hasMore``
(or ``totalResultSize``). :class:`Pager` walks such a list with ``skip`` and ``pageSize``;
every list operation of the client uses it for its ``iter_*`` method.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any, Generic, Protocol, TypeVar

from .errors import PaginationError

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Page(Protocol[T_co]):
    """What the pager reads from a page model."""

    @property
    def data(self) -> Sequence[T_co] | None: ...


class Pager(Generic[T]):
    """``async for item in pager``: every item of a paged list, in the API's order.

    ``fetch(skip, page_size)`` returns one page. The next page is requested only when the
    items of the previous one are used up, so breaking out of the loop stops the requests;
    a page that fails raises its typed error from the loop (nothing is skipped). At most
    ``limit`` items are produced when it is given, whatever the pages hold.

    The pager does not take a server's word blindly: a page whose ``hasMore`` is not a
    boolean (lenient decoding keeps what came), whose ``totalResultSize`` is not an
    integer or whose ``data`` is not an array, an empty page that says more follow, and a
    page equal to the previous one (a server ignoring ``skip``) end the iteration with
    :class:`~talon_async.errors.PaginationError`, before that page's items are produced.
    """

    def __init__(
        self,
        fetch: Callable[[int, int], Awaitable[Page[T]]],
        *,
        page_size: int,
        limit: int | None = None,
    ) -> None:
        if type(page_size) is not int or page_size < 1:
            raise ValueError(f"page_size must be a positive int, got {page_size!r}")
        if limit is not None and (type(limit) is not int or limit < 0):
            raise ValueError(f"limit must be None or an int >= 0, got {limit!r}")
        self._fetch = fetch
        self._page_size = page_size
        self._limit = limit

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()

    async def _items(self) -> AsyncIterator[T]:
        skip = 0
        remaining = self._limit
        previous: Sequence[T] = ()
        while remaining is None or remaining > 0:
            size = self._page_size if remaining is None else min(self._page_size, remaining)
            page = await self._fetch(skip, size)
            items = _items_of(page, skip)
            more = _has_more(page, skip, size, len(items))
            if not items and more:
                raise PaginationError("it is empty but says more follow", skip=skip)
            if items and len(items) == len(previous) and items == previous:
                raise PaginationError("it repeats the previous page (is skip ignored?)", skip=skip)
            for item in items if remaining is None else items[:remaining]:
                yield item
            skip += len(items)
            if remaining is not None:
                remaining -= len(items)
            if not more:
                return
            previous = items


def _items_of(page: Any, skip: int) -> Sequence[Any]:
    """The items of a page (none when it has no ``data``)."""
    items = page.data
    if items is None:
        return ()
    if not isinstance(items, (list, tuple)):
        raise PaginationError(f"data must be an array, got {_kind(items)}", skip=skip)
    return items


def _has_more(page: Any, skip: int, size: int, received: int) -> bool:
    """Whether another page follows: ``hasMore`` if the page says, else the total, else a
    full page."""
    has_more = getattr(page, "has_more", None)
    if has_more is not None:
        if has_more.__class__ is not bool:
            raise PaginationError(f"hasMore must be a boolean, got {_kind(has_more)}", skip=skip)
        return has_more
    total = getattr(page, "total_result_size", None)
    if total is not None:
        if total.__class__ is not int:
            raise PaginationError(
                f"totalResultSize must be an integer, got {_kind(total)}", skip=skip
            )
        return skip + received < total
    return received >= size


def _kind(value: Any) -> str:
    """What a message says came back (the value itself when it is short)."""
    shown = repr(value)
    return f"{type(value).__name__} {shown}" if len(shown) <= 40 else type(value).__name__
