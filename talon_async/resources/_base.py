"""What every resource module shares: sending a call of an operation, and paging."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from .._pagination import Page, Pager

if TYPE_CHECKING:
    from .._operation import CallOptions
    from .._transport import Transport
    from ..operations import Operation

T = TypeVar("T")


class Resource:
    """Base of the resource classes: holds the transport of the client it belongs to.

    A resource method is a typed signature over its operation's record
    (:mod:`talon_async.operations`): it hands its arguments to :meth:`_send` (or
    :meth:`_pager`), which builds the request from the record and sends it.
    """

    __slots__ = ("_transport",)

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    async def _send(
        self, operation: Operation[T], options: CallOptions, *args: Any, **query: Any
    ) -> T:
        """One call of ``operation``: path values and body in ``args``, query parameters
        by Python name in ``query``."""
        operation.warn_if_deprecated(stacklevel=3)
        return await self._transport.send(operation.request(*args, **query), options)

    def _pager(
        self,
        operation: Operation[Page[T]],
        options: CallOptions,
        page_size: int | None,
        limit: int | None,
        *args: Any,
        **query: Any,
    ) -> Pager[T]:
        """Every item of the paged list ``operation`` answers, ``page_size`` (default: the
        API's) per request; the arguments are checked now, before any request."""
        assert operation.paging is not None, operation.operation_id
        size = operation.paging.default_size if page_size is None else page_size
        operation.request(*args, page_size=size, skip=0, **query)
        transport = self._transport

        async def fetch(skip: int, size: int) -> Page[T]:
            request = operation.request(*args, page_size=size, skip=skip, **query)
            return await transport.send(request, options)

        return Pager(fetch, page_size=size, limit=limit)
