"""The exceptions talon_async raises.

Every failure of a call surfaces as a :class:`TalonError`; no aiohttp, asyncio or json
exception escapes the client. Messages name the method and URL but never a header value,
so API keys and signatures cannot leak through an exception.
"""

from __future__ import annotations

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
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "TalonConnectionError",
    "TalonDecodeError",
    "TalonError",
    "TalonStatusError",
    "TalonTimeoutError",
]

EXCERPT_CHARS = 300


def excerpt(text: str) -> str:
    """A one-line, bounded preview of a body for an error message."""
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT_CHARS else flat[:EXCERPT_CHARS] + "..."


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


class AuthConfigurationError(TalonError, ValueError):
    """No configured auth strategy is accepted by the operation being called."""


class TalonConnectionError(TalonError):
    """The request failed on the network, before a complete response was read.

    ``may_have_reached_server`` is False only when the request provably never left the
    client (for example the TCP connection could not be opened), so replaying it is safe.
    """

    def __init__(
        self, message: str, *, method: str, url: str, may_have_reached_server: bool
    ) -> None:
        super().__init__(message)
        self.method = method
        self.url = url
        self.may_have_reached_server = may_have_reached_server


class TalonTimeoutError(TalonConnectionError):
    """The request did not complete within its timeout."""


class TalonStatusError(TalonError):
    """The API answered with a status that is not a success.

    ``body`` is the parsed Talon.One error body (None when the body was not one, e.g. an
    HTML page from a proxy); ``text`` is the raw body; ``retry_after`` is the wait in
    seconds the server asked for with a ``Retry-After`` header, if it sent one.
    """

    def __init__(
        self,
        *,
        status: int,
        method: str,
        url: str,
        request_id: str | None,
        body: ErrorBody | None,
        text: str,
        retry_after: float | None = None,
    ) -> None:
        self.status = status
        self.retry_after = retry_after
        self.method = method
        self.url = url
        self.request_id = request_id
        self.body = body
        self.text = text
        super().__init__(self._describe())

    def _describe(self) -> str:
        parts = [f"{self.status} from {self.method} {self.url}"]
        if self.body is not None and (self.body.message or self.body.errors):
            if self.body.message:
                parts.append(self.body.message)
            for detail in self.body.errors:
                where = detail.source.pointer or detail.source.parameter if detail.source else None
                text = ": ".join(t for t in (detail.title, detail.details) if t)
                parts.append(f"{text} ({where})" if where else text)
        elif self.text.strip():
            parts.append(f"body: {excerpt(self.text)}")
        else:
            parts.append("empty body")
        if self.request_id:
            parts.append(f"request id {self.request_id}")
        return " - ".join(parts)


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
    """A success response whose body is not what the operation returns."""

    def __init__(self, reason: str, *, status: int, method: str, url: str, text: str) -> None:
        self.status = status
        self.method = method
        self.url = url
        self.text = text
        shown = excerpt(text) if text.strip() else "<empty body>"
        super().__init__(f"{status} from {method} {url} could not be decoded ({reason}): {shown}")


class BulkUpdateError(TalonError):
    """Part of a bulk update that needed several requests failed.

    ``outcomes`` holds one entry per request, in input order: the decoded answer (None
    when silent) or the exception that request ended with. Part ``i`` carried the
    profiles ``i * part_size`` up to ``(i + 1) * part_size - 1`` of the input.
    """

    def __init__(self, outcomes: Sequence[object], *, part_size: int) -> None:
        self.outcomes = list(outcomes)
        self.part_size = part_size
        failed = [(i, o) for i, o in enumerate(self.outcomes) if isinstance(o, Exception)]
        shown = "; ".join(
            f"profiles {i * part_size}-{(i + 1) * part_size - 1}: {error}"
            for i, error in failed[:3]
        )
        more = f"; and {len(failed) - 3} more" if len(failed) > 3 else ""
        super().__init__(
            f"{len(failed)} of {len(self.outcomes)} parts of the bulk update failed: {shown}{more}"
        )
