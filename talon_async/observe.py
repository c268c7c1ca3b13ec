"""Seeing what the client does: request hooks, raw responses, and header redaction.

* :class:`Hooks` holds async callables the transport awaits when a request is about to be
  sent, when a response arrived, and when a retry is scheduled (for tracing and metrics).
* :func:`capture_responses` records the raw responses of the calls made inside it, in the
  current task only, without changing what the calls return.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from attrs import frozen

from .errors import TalonError

__all__ = [
    "Hooks",
    "RawResponse",
    "RequestEvent",
    "ResponseEvent",
    "RetryEvent",
    "capture_responses",
    "redact_headers",
]

SECRET_HEADERS = frozenset({"authorization", "content-signature"})


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """A copy of ``headers`` with every credential value replaced by ``<redacted>``."""
    return {
        name: "<redacted>" if name.lower() in SECRET_HEADERS else value
        for name, value in headers.items()
    }


@frozen
class RequestEvent:
    """A request about to be sent (headers redacted)."""

    method: str
    url: str
    attempt: int
    headers: Mapping[str, str]


@frozen
class ResponseEvent:
    """A response whose body has been read, whatever its status."""

    method: str
    url: str
    attempt: int
    status: int
    headers: Mapping[str, str]
    elapsed: float
    """Seconds from sending the request to reading the whole body."""


@frozen
class RetryEvent:
    """An attempt failed and another one is scheduled after ``delay`` seconds."""

    method: str
    url: str
    attempt: int
    delay: float
    error: TalonError


@frozen
class Hooks:
    """Async callables awaited by the client around each attempt; any may be None.

    A hook that raises makes the call fail with that exception, so keep them simple.
    """

    on_request: Callable[[RequestEvent], Awaitable[None]] | None = None
    on_response: Callable[[ResponseEvent], Awaitable[None]] | None = None
    on_retry: Callable[[RetryEvent], Awaitable[None]] | None = None


@frozen
class RawResponse:
    """What came back for one attempt of a call, before decoding."""

    method: str
    url: str
    attempt: int
    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def request_id(self) -> str | None:
        """The server's request id header, if it sent one."""
        return next((v for k, v in self.headers.items() if k.lower() == "x-request-id"), None)


_captured: ContextVar[list[RawResponse] | None] = ContextVar("talon_async_captured", default=None)


@contextmanager
def capture_responses() -> Iterator[list[RawResponse]]:
    """Collect the raw response of every attempt made inside the block, in this task.

    ::

        with capture_responses() as responses:
            state = await client.sessions.update_v2("s-1", request)
        print(responses[-1].status, responses[-1].request_id, len(responses[-1].body))

    Tasks started inside the block capture into the same list.
    """
    responses: list[RawResponse] = []
    token = _captured.set(responses)
    try:
        yield responses
    finally:
        _captured.reset(token)


def current_capture() -> list[RawResponse] | None:
    """The list that responses of the current context go to, if a capture is active."""
    return _captured.get()
