"""The exceptions talon_async raises.

Every failure of a call surfaces as a :class:`TalonError`; no aiohttp, asyncio or json
exception escapes the client. Messages name the method and URL but never a header value,
and an error never chains the low-level exception it replaces (whose attributes may hold
the request's headers): it keeps that exception's type and scrubbed message instead, so
API keys and signatures cannot leak through an exception or an error tracker. Text that
the server controls is quoted on one line, in bounded excerpts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from attrs import frozen

__all__ = [
    "AuthConfigurationError",
    "AuthenticationError",
    "BadRequestError",
    "BulkUpdateError",
    "ClientClosedError",
    "ConflictError",
    "ErrorBody",
    "ErrorDetail",
    "ErrorSource",
    "EventLoopError",
    "NotFoundError",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "ServerError",
    "TalonConnectionError",
    "TalonDecodeError",
    "TalonError",
    "TalonStatusError",
    "TalonTimeoutError",
]

EXCERPT_CHARS = 300
_NOT_ONE_LINE = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029\s]+")


def one_line(text: str, limit: int = EXCERPT_CHARS) -> str:
    """``text`` on one line (line breaks and control characters become one space), cut to
    ``limit`` characters: what goes into a message when the server chose the text."""
    head = text[: limit * 2]  # the same work whatever the length of text
    flat = _NOT_ONE_LINE.sub(" ", head).strip()
    return flat[:limit] + "..." if len(flat) > limit or len(text) > len(head) else flat


def with_article(name: str) -> str:
    """``name`` with its indefinite article: "a CouponList", "an IntegrationStateV2"."""
    return f"{'an' if name[:1] in 'AEIOU' else 'a'} {name}"


def excerpt(raw: bytes) -> str:
    """A one-line, bounded preview of a body, costing the same whatever the body's size."""
    return one_line(raw[: EXCERPT_CHARS * 4].decode("utf-8", "replace"))


@frozen
class ErrorSource:
    """Where in the request an error was found."""

    pointer: str | None = None
    parameter: str | None = None
    line: str | None = None
    resource: str | None = None


@frozen
class ErrorDetail:
    """One entry of the ``errors`` list of a Talon.One error body."""

    title: str | None = None
    details: str | None = None
    source: ErrorSource | None = None


@frozen
class ErrorBody:
    """A Talon.One error body; every member is optional, as the API does not promise any."""

    message: str | None = None
    errors: tuple[ErrorDetail, ...] = ()
    status_code: int | None = None

    @classmethod
    def from_json(cls, data: Any) -> ErrorBody | None:
        """Read an error body from parsed JSON, tolerating missing or mistyped members."""
        if not isinstance(data, Mapping):
            return None
        errors = data.get("errors")
        status = data.get("StatusCode")
        return cls(
            message=_text(data.get("message")),
            errors=tuple(_detail(item) for item in errors or () if isinstance(item, Mapping))
            if isinstance(errors, list)
            else (),
            status_code=status if isinstance(status, int) else None,
        )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _detail(item: Mapping[str, Any]) -> ErrorDetail:
    source = item.get("source")
    return ErrorDetail(
        title=_text(item.get("title")),
        details=_text(item.get("details")),
        source=ErrorSource(
            pointer=_text(source.get("pointer")),
            parameter=_text(source.get("parameter")),
            line=_text(source.get("line")),
            resource=_text(source.get("resource")),
        )
        if isinstance(source, Mapping)
        else None,
    )


class TalonError(Exception):
    """Base class of every error raised by talon_async.

    ``attempts`` is how many times the call was sent before this error was raised.
    """

    attempts: int = 1

    def __str__(self) -> str:
        message = super().__str__()
        return (
            message if self.attempts <= 1 else f"{message} (gave up after {self.attempts} attempts)"
        )


class ClientClosedError(TalonError, RuntimeError):
    """The client was used after ``aclose()`` (or after its ``async with`` block ended)."""


class EventLoopError(TalonError, RuntimeError):
    """The client was used from another event loop than the one it first ran on.

    A client belongs to one event loop (its connections do): each ``asyncio.run()`` starts
    a new loop, so create the client inside the coroutine that loop runs.
    """


class AuthConfigurationError(TalonError, ValueError):
    """No configured auth strategy is accepted by the operation being called."""


class TalonConnectionError(TalonError):
    """The request failed on the network, before a complete response was read.

    ``may_have_reached_server`` is False only when the request provably never left the
    client (for example the TCP connection could not be opened), so replaying it is safe.
    ``cause_type`` and ``cause_message`` describe the low-level failure (e.g.
    ``"ServerDisconnectedError"``), which is not chained to this error.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        url: str,
        may_have_reached_server: bool,
        cause_type: str | None = None,
        cause_message: str | None = None,
    ) -> None:
        super().__init__(message)
        self.method = method
        self.url = url
        self.may_have_reached_server = may_have_reached_server
        self.cause_type = cause_type
        self.cause_message = cause_message


class TalonTimeoutError(TalonConnectionError):
    """The request, or the whole call (``total_timeout``), did not complete in time."""


class ResponseTooLargeError(TalonError):
    """The answer was larger than the client's ``max_response_bytes`` (counted after
    decompression); reading stopped there and the connection was closed."""

    def __init__(self, *, status: int, method: str, url: str, limit: int) -> None:
        self.status = status
        self.method = method
        self.url = url
        self.limit = limit
        super().__init__(
            f"{status} from {method} {url}: the answer is larger than max_response_bytes "
            f"({limit} bytes); reading stopped"
        )


class TalonStatusError(TalonError):
    """The API answered with a status that is not a success.

    ``body`` is the parsed Talon.One error body (None when the body was not one, e.g. an
    HTML page from a proxy); ``raw`` the bytes of the answer and ``text`` the same decoded;
    ``retry_after`` is the wait in seconds the server asked for with a ``Retry-After``
    header, if it sent one.
    """

    def __init__(
        self,
        *,
        status: int,
        method: str,
        url: str,
        request_id: str | None,
        body: ErrorBody | None,
        raw: bytes = b"",
        retry_after: float | None = None,
    ) -> None:
        self.status = status
        self.retry_after = retry_after
        self.method = method
        self.url = url
        self.request_id = request_id
        self.body = body
        self.raw = raw
        super().__init__(self._describe())

    @property
    def text(self) -> str:
        """The body of the answer as text."""
        return self.raw.decode("utf-8", "replace")

    def _describe(self) -> str:
        """One sentence: the status, the call, then what the server said, each thing once."""
        said = _server_said(self.body) if self.body is not None else []
        if said:
            what = "; ".join(said)
        elif self.raw.strip():
            what = f"body {excerpt(self.raw)}"
        else:
            what = "empty body"
        request_id = f" (request id {one_line(self.request_id, 100)})" if self.request_id else ""
        return f"{self.status} from {self.method} {self.url}: {what}{request_id}"


def _server_said(body: ErrorBody) -> list[str]:
    """The message and the errors of an error body, each text once (Talon.One often repeats
    its message as the title of an error)."""
    seen: set[str] = set()

    def new(text: str | None) -> str | None:
        flat = one_line(text) if text else ""
        key = flat.casefold().strip(" .:;")
        if not key or key in seen:
            return None
        seen.add(key)
        return flat

    said = [text for text in (new(body.message),) if text]
    for index, detail in enumerate(body.errors[:5]):
        title, details = new(detail.title), new(detail.details)
        text = ": ".join(part for part in (title, details) if part)
        if not text:
            continue
        where = detail.source.pointer or detail.source.parameter if detail.source else None
        if where:
            text += f" ({one_line(where, 100)})"
        if index == 0 and said and detail.title and title is None:
            said[-1] += f": {text}"  # the first error's title was the message: go on from it
        else:
            said.append(text)
    if len(body.errors) > 5:
        said.append(f"and {len(body.errors) - 5} more errors")
    return said


class BadRequestError(TalonStatusError):
    """400: the API rejected the request as invalid."""


class AuthenticationError(TalonStatusError):
    """401: the credentials are missing or wrong."""


class PermissionDeniedError(TalonStatusError):
    """403: the credentials may not perform this operation."""


class NotFoundError(TalonStatusError):
    """404: the addressed resource does not exist."""


class ConflictError(TalonStatusError):
    """409: for a session update, another request was updating the same session."""


class RateLimitError(TalonStatusError):
    """429: too many requests; ``retry_after`` says how long the server asked to wait."""


class ServerError(TalonStatusError):
    """5xx: the API or a proxy in front of it failed."""


class TalonDecodeError(TalonError):
    """A body that is not what was expected: a success response the operation cannot
    decode (or, in strict mode, one that deviates from the spec), or JSON given to
    :func:`talon_async.from_json`. ``raw`` keeps the bytes, ``text`` the same decoded;
    ``status``, ``method`` and ``url`` are None outside a call."""

    def __init__(
        self,
        reason: str,
        *,
        status: int | None = None,
        method: str | None = None,
        url: str | None = None,
        raw: bytes = b"",
    ) -> None:
        self.status = status
        self.method = method
        self.url = url
        self.raw = raw
        shown = excerpt(raw) if raw.strip() else "<empty body>"
        where = f"{status} from {method} {url} could not be decoded" if method else "not decoded"
        super().__init__(f"{where} ({one_line(reason)}): {shown}")

    @property
    def text(self) -> str:
        """The body as text."""
        return self.raw.decode("utf-8", "replace")


class PaginationError(TalonDecodeError):
    """A paged list that cannot be followed (``iter_*``): a page whose ``hasMore`` is not
    a boolean, whose ``totalResultSize`` is not an integer or whose ``data`` is not an
    array, an empty page that says more follow, or a page that repeats the previous one
    (a server that ignores ``skip``). Iteration ends with it; ``skip`` is where that page
    starts. The page was decoded, so ``raw`` is empty."""

    def __init__(self, reason: str, *, skip: int) -> None:
        super().__init__(reason)
        self.skip: int = skip
        # Its own message: the decoder's frame ("not decoded ...: <empty body>") says nothing.
        Exception.__init__(
            self, f"the page at skip={skip} of a paged list cannot be followed: {one_line(reason)}"
        )


class BulkUpdateError(TalonError):
    """Part of a bulk update that needed several requests failed.

    ``outcomes`` holds one entry per request, in input order: the decoded answer (None
    when silent) or the exception that request ended with; request ``i`` carried the
    profiles ``parts[i][0]`` up to ``parts[i][1]`` (both included) of the input.
    ``attempts`` is the most attempts any failed request took.
    """

    def __init__(self, outcomes: Sequence[object], *, parts: Sequence[tuple[int, int]]) -> None:
        self.outcomes: list[object] = list(outcomes)
        self.parts: list[tuple[int, int]] = list(parts)
        failed = [(i, o) for i, o in enumerate(self.outcomes) if isinstance(o, BaseException)]
        self.attempts: int = max((getattr(o, "attempts", 1) for _, o in failed), default=1)
        shown = "; ".join(
            f"profiles {self.parts[i][0]}-{self.parts[i][1]}: {_plain(error)}"
            for i, error in failed[:3]
        )
        more = f"; and {len(failed) - 3} more" if len(failed) > 3 else ""
        super().__init__(
            f"{len(failed)} of {len(self.outcomes)} parts of the bulk update failed: {shown}{more}"
        )

    def __str__(self) -> str:
        return Exception.__str__(self)  # each part's error says its own attempts


def _plain(error: BaseException) -> str:
    return str(error) or type(error).__name__
