"""The single request path: build the URL, encode, authenticate, send, map the answer.

Resource modules describe operations as :class:`Operation` values and hand them to
:meth:`Transport.send`; nothing else in the package touches aiohttp. This module is
imported by the first :class:`TalonClient` made, not by ``import talon_async``.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import platform
import re
import socket
import ssl
import sys
import time
import uuid
import zlib
from collections.abc import AsyncIterator, Hashable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from types import NoneType
from typing import Any, TypeVar, cast
from urllib.parse import urlencode, urlsplit

import aiohttp
import attrs
from attrs import define
from yarl import URL

from ._convert import decode_json, structure
from ._operation import CallOptions, Request
from ._version import __version__
from .auth import AuthStrategy
from .errors import (
    AuthConfigurationError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConflictError,
    ErrorBody,
    EventLoopError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    ServerError,
    TalonConnectionError,
    TalonDecodeError,
    TalonError,
    TalonStatusError,
    TalonTimeoutError,
    one_line,
    with_article,
)
from .observe import (
    SECRET_HEADERS,
    Hooks,
    RawResponse,
    RequestEvent,
    ResponseEvent,
    RetryEvent,
    current_capture,
    redact_headers,
)
from .operations import Operation
from .retry import RetryPolicy

T = TypeVar("T")

logger = logging.getLogger("talon_async")

USER_AGENT = (
    f"talon-async/{__version__} aiohttp/{aiohttp.__version__} Python/{platform.python_version()}"
)

_STATUS_ERRORS: dict[int, type[TalonStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}

_ERROR_BODY_PARSED_UP_TO = 1024 * 1024
"""Talon.One error bodies are small; a larger one (a proxy's page) is only excerpted."""

_OPTIONS = frozenset(CallOptions.__annotations__)
_NO_BODY_HEADERS = frozenset({"Content-Type"})
"""aiohttp labels the empty body of a PUT or POST as application/octet-stream; the API
gets no Content-Type for a request without a body."""

_RESERVED_HEADERS = frozenset(
    {
        # how the request is framed and where it goes: the client's own business
        "content-length",
        "transfer-encoding",
        "content-encoding",
        "content-type",
        "accept-encoding",
        "connection",
        "host",
        "te",
        "trailer",
        "upgrade",
        "expect",
        # credentials come from the client's auth strategies only
        *SECRET_HEADERS,
    }
)
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_HEADER_VALUE = re.compile(r"[^\x00-\x08\x0a-\x1f\x7f]*")


def check_seconds(name: str, value: object) -> float:
    """A positive, finite number of seconds; anything else is a TypeError or ValueError."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, got {type(value).__name__}")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive, finite number of seconds, got {value}")
    return float(value)


def check_headers(headers: object) -> dict[str, str]:
    """Extra headers of a call: valid names and values, none the client sets itself."""
    if not isinstance(headers, Mapping):
        raise TypeError(f"extra_headers must be a mapping, got {type(headers).__name__}")
    checked = {}
    for name, value in headers.items():
        if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
            raise ValueError(f"extra_headers: {name!r} is not a valid header name")
        if name.lower() in _RESERVED_HEADERS:
            raise ValueError(
                f"extra_headers: {name} is set by the client itself and cannot be overridden"
            )
        if not isinstance(value, str):
            raise TypeError(f"extra_headers[{name!r}] must be a str, got {type(value).__name__}")
        if not _HEADER_VALUE.fullmatch(value):
            raise ValueError(f"extra_headers[{name!r}] contains a line break or control character")
        checked[name] = value
    return checked


@define
class _Settings:
    """What one call uses of the client's settings, as the call's options change them."""

    timeout: aiohttp.ClientTimeout
    total_timeout: float | None
    policy: RetryPolicy
    allow_replay: bool
    headers: dict[str, str]


class _DeadlinePassed(Exception):
    """The whole call ran out of its ``total_timeout`` (raised and handled in ``send``)."""

    def __init__(self, may_have_reached_server: bool) -> None:
        self.may_have_reached_server = may_have_reached_server


class _KeyedOrder:
    """One FIFO lock per key, dropped again when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[Hashable, tuple[asyncio.Lock, list[int]]] = {}

    def hold(
        self, key: Hashable | None, timeout: float | None = None
    ) -> AbstractAsyncContextManager[None]:
        """Wait (at most ``timeout`` seconds) for the turn of ``key``; calls without a key
        never wait. Raises ``_DeadlinePassed`` when the turn does not come in time."""
        return _UNORDERED if key is None else self._hold(key, timeout)

    @asynccontextmanager
    async def _hold(self, key: Hashable, timeout: float | None) -> AsyncIterator[None]:
        lock, users = self._locks.setdefault(key, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            if timeout is None or not lock.locked():
                await lock.acquire()
            else:
                try:
                    await asyncio.wait_for(lock.acquire(), timeout)
                except asyncio.TimeoutError:
                    raise _DeadlinePassed(may_have_reached_server=False) from None
            try:
                yield
            finally:
                lock.release()
        finally:
            users[0] -= 1
            if not users[0]:
                del self._locks[key]

    def __len__(self) -> int:
        return len(self._locks)


_UNORDERED: AbstractAsyncContextManager[None] = nullcontext()


def _shown_url(text: str) -> str:
    """A URL as error messages may quote it: no user, password, query or fragment."""
    try:
        parts = urlsplit(text.strip())
        host = parts.netloc.rpartition("@")[2]
    except ValueError:
        return "<not a URL>"
    return one_line(f"{parts.scheme}://{host}{parts.path}" if parts.scheme else host, 100)


def normalize_base_url(base_url: str) -> str:
    """Check a base URL (http/https with a host) and drop trailing slashes."""
    if not isinstance(base_url, str):
        raise TypeError(f"base_url must be a str, got {type(base_url).__name__}")
    shown = _shown_url(base_url)
    try:
        parts = urlsplit(base_url.strip())
        parts.port  # noqa: B018  (raises ValueError for a malformed port)
    except ValueError:
        raise ValueError(f"base_url {shown} is not a valid URL") from None
    if parts.username is not None or parts.password is not None:
        raise ValueError(
            f"base_url {shown}... must not carry a user or password; pass credentials as auth="
        )
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(
            f"base_url {shown} must be an http:// or https:// URL with a host, "
            "e.g. https://mycompany.europe-west1.talon.one"
        )
    if parts.query or parts.fragment:
        raise ValueError(f"base_url {shown} must not carry a query or a fragment")
    if not _HEADER_VALUE.fullmatch(base_url):
        raise ValueError("base_url contains a line break or control character")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def status_error(
    status: int, method: str, url: str, headers: Mapping[str, str], raw: bytes
) -> TalonStatusError:
    """The typed error for a non-success answer, whatever its body looks like."""
    body = None
    if len(raw) <= _ERROR_BODY_PARSED_UP_TO and raw.lstrip()[:1] == b"{":
        try:
            body = ErrorBody.from_json(decode_json(raw))
        except ValueError:
            body = None
    error_type = _STATUS_ERRORS.get(status) or (ServerError if status >= 500 else TalonStatusError)
    return error_type(
        status=status,
        method=method,
        url=url,
        request_id=headers.get("X-Request-Id"),
        body=body,
        raw=raw,
        retry_after=parse_retry_after(headers.get("Retry-After")),
    )


def connection_error(
    method: str, url: str, exc: BaseException, secrets: Sequence[str]
) -> TalonConnectionError:
    """The typed error for a failure below HTTP, and whether the request may have gone out.

    The low-level exception is described, never kept: aiohttp's errors hold the request's
    headers, credentials included.
    """
    error_type: type[TalonConnectionError] = TalonConnectionError
    message = str(exc)
    for secret in secrets:
        message = message.replace(secret, "<redacted>")
    message = one_line(message)
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        error_type, reason, sent = TalonTimeoutError, "timed out connecting", False
    elif isinstance(exc, asyncio.TimeoutError):
        error_type, reason, sent = TalonTimeoutError, "timed out waiting for the response", True
    elif isinstance(exc, aiohttp.ClientConnectorError):
        reason, sent = f"cannot connect: {_why_not_connected(exc, secrets)}", False
    else:
        reason, sent = f"connection failed: {type(exc).__name__}: {message}", True
    return error_type(
        f"{method} {url}: {reason}",
        method=method,
        url=url,
        may_have_reached_server=sent,
        cause_type=type(exc).__name__,
        cause_message=message,
    )


def _why_not_connected(exc: aiohttp.ClientConnectorError, secrets: Sequence[str]) -> str:
    """What the system said when connecting failed ("Connection refused", "Name or service
    not known", a certificate problem), without aiohttp's "Cannot connect to host ...
    ssl:default" wrapping, which repeats the URL and names TLS settings of http URLs too."""
    cause: BaseException | None = getattr(exc, "certificate_error", None) or getattr(
        exc, "os_error", None
    )
    if isinstance(cause, OSError) and not isinstance(cause, ssl.SSLError):
        # A resolver's error has its own numbers: its strerror says it; else errno does.
        known = cause.strerror if isinstance(cause, socket.gaierror) else None
        text = known or (os.strerror(cause.errno) if cause.errno else str(cause))
    else:
        text = str(cause or exc) or type(cause or exc).__name__
    for secret in secrets:
        text = text.replace(secret, "<redacted>")
    return one_line(text)


def decode_success(
    returns: type[T], status: int, method: str, url: str, raw: bytes, strict: bool
) -> T:
    """Decode a 2xx body into the operation's model (None for bodiless operations)."""
    if returns is NoneType:
        return cast(T, None)
    try:
        data = decode_json(raw)
    except ValueError as exc:
        reason = f"not JSON: {exc}" if raw.strip() else "empty body"
    else:
        try:
            return structure(data, returns, strict=strict)
        except Exception as exc:  # not an object, or (strict) a deviation from the spec
            problem = str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}"
            reason = f"not {with_article(returns.__name__)}: {problem}"
    raise TalonDecodeError(reason, status=status, method=method, url=url, raw=raw)


class _Inflater:
    """Decompresses a gzip or deflate body a bounded slice at a time."""

    def __init__(self, *, gzip: bool) -> None:
        self._gzip = gzip
        self._inflater: Any = None

    def __call__(self, data: bytes, budget: int) -> list[bytes]:
        """What ``data`` inflates to, in pieces of at most ``budget`` bytes each; the
        caller stops asking once it has more than it accepts."""
        pieces = []
        while data:
            if self._inflater is None:
                wbits = 31 if self._gzip else (15 if data[0] & 0x0F == 8 else -15)
                self._inflater = zlib.decompressobj(wbits)
            piece = self._inflater.decompress(data, budget)
            pieces.append(piece)
            budget -= len(piece)
            if budget <= 0:
                break
            data = self._inflater.unconsumed_tail
            if self._inflater.eof:  # a gzip body may hold several members
                data, self._inflater = self._inflater.unused_data, None
        return pieces


class Transport:
    """Owns (or borrows) the aiohttp session and performs every request."""

    def __init__(
        self,
        base_url: str,
        auth: Sequence[AuthStrategy],
        *,
        session: aiohttp.ClientSession | None,
        timeout: float,
        connect_timeout: float,
        total_timeout: float | None,
        max_connections: int,
        max_response_bytes: int,
        strict_responses: bool,
        retry: RetryPolicy,
        hooks: Hooks,
        trace_configs: Sequence[aiohttp.TraceConfig],
    ) -> None:
        self.base_url: str = normalize_base_url(base_url)
        self._hooks = hooks
        self._trace_configs = list(trace_configs)
        self._order = _KeyedOrder()
        self._auth = tuple(auth)
        self._session = session
        self._owns_session = session is None
        self._timeout = aiohttp.ClientTimeout(total=timeout, sock_connect=connect_timeout)
        self._max_connections = max_connections
        self._max_response_bytes = max_response_bytes
        self._strict = strict_responses
        self._defaults = _Settings(self._timeout, total_timeout, retry, False, {})
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False

    @property
    def auth(self) -> tuple[AuthStrategy, ...]:
        return self._auth

    @property
    def closed(self) -> bool:
        return self._closed

    def _check_loop(self) -> asyncio.AbstractEventLoop:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            if self._loop is not None:
                raise EventLoopError(
                    "this TalonClient was first used in another event loop; a client (and "
                    "its connections) belongs to one loop: create it inside the coroutine "
                    "that the loop runs (each asyncio.run() starts a new loop)"
                )
            self._loop = loop
        return loop

    def _get_session(self) -> aiohttp.ClientSession:
        if self._closed:
            raise ClientClosedError("this TalonClient is closed; create a new one")
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(
                    limit=self._max_connections, limit_per_host=self._max_connections
                ),
                timeout=self._timeout,
                headers={"User-Agent": USER_AGENT},
                trace_configs=self._trace_configs or None,
            )
            # aiohttp silently resends a PUT/DELETE/GET once when the connection drops.
            # Whether a call is replayed is this library's decision, made visibly, so the
            # session it owns never does that on its own. (A borrowed session is left as is.)
            self._session._retry_connection = False
        elif self._session.closed:
            raise ClientClosedError("the aiohttp session given to this TalonClient is closed")
        return self._session

    def _strategy_for(self, operation: Operation[Any]) -> AuthStrategy:
        for strategy in self._auth:
            if strategy.scheme in operation.auth:
                return strategy
        configured = ", ".join(s.scheme for s in self._auth) or "none"
        raise AuthConfigurationError(
            f"{operation.http_method} {operation.path} needs auth scheme "
            f"{' or '.join(operation.auth)}; this client has: {configured}"
        )

    def url_for(self, request: Request[Any]) -> str:
        url = self.base_url + request.path
        if request.query:
            # Commas stay literal: they separate the items of a list the API reads as one
            # comma-separated value (and an item cannot hold one, see _operation).
            url += "?" + urlencode(request.query, doseq=True, safe=",")
        return url

    def _settings(self, options: CallOptions) -> _Settings:
        """The client's settings for one call, as its options change them."""
        if not options:
            return self._defaults  # never changed: a call's options change a copy
        settings = attrs.evolve(self._defaults, headers={})
        unknown = options.keys() - _OPTIONS
        if unknown:
            raise TypeError(f"unknown call option(s): {', '.join(sorted(unknown))}")
        if "timeout" in options:
            seconds = check_seconds("timeout", options["timeout"])
            settings.timeout = aiohttp.ClientTimeout(
                total=seconds, sock_connect=self._timeout.sock_connect
            )
        if options.get("total_timeout") is not None:
            settings.total_timeout = check_seconds("total_timeout", options["total_timeout"])
        settings.policy = options.get("retry", settings.policy)
        if not isinstance(settings.policy, RetryPolicy):
            raise TypeError(f"retry must be a RetryPolicy, got {type(settings.policy).__name__}")
        settings.allow_replay = options.get("allow_replay", False)
        if type(settings.allow_replay) is not bool:
            raise TypeError(
                f"allow_replay must be a bool, got {type(settings.allow_replay).__name__}"
            )
        if "extra_headers" in options:
            settings.headers = check_headers(options["extra_headers"])
        return settings

    @staticmethod
    def _headers(request: Request[Any], settings: _Settings) -> dict[str, str]:
        """The request's headers, but for those of its auth strategy."""
        headers = {"Accept": "application/json", "Accept-Encoding": "gzip, deflate"}
        if request.body is not None:
            headers["Content-Type"] = "application/json"
        headers.update(settings.headers)
        if request.operation.idempotency_key and not any(
            name.lower() == "idempotency-key" for name in settings.headers
        ):
            # One key per call, the same on each of its retries: the API applies it once.
            headers["Idempotency-Key"] = str(uuid.uuid4())
        return headers

    async def send(self, request: Request[T], options: CallOptions) -> T:
        """Send one request, retrying as the policy allows, and return its answer.

        Everything that can be wrong with the input (options, auth) fails here, before
        any I/O; the request itself was checked when it was built.
        """
        settings = self._settings(options)
        strategy = self._strategy_for(request.operation)
        headers = self._headers(request, settings)
        replay_safe = request.operation.replay_safe or settings.allow_replay
        url = self.url_for(request)
        loop = self._check_loop()
        deadline = None if settings.total_timeout is None else loop.time() + settings.total_timeout
        try:
            async with self._order.hold(request.order_key, settings.total_timeout):
                return await self._attempts(
                    request, url, headers, strategy, settings, replay_safe, deadline
                )
        except _DeadlinePassed as passed:
            reached = passed.may_have_reached_server
        method = request.operation.http_method
        raise TalonTimeoutError(
            f"{method} {url}: the call did not complete within its total_timeout of "
            f"{settings.total_timeout}s",
            method=method,
            url=url,
            may_have_reached_server=reached,
        )

    async def _attempts(
        self,
        request: Request[T],
        url: str,
        headers: dict[str, str],
        strategy: AuthStrategy,
        settings: _Settings,
        replay_safe: bool,
        deadline: float | None,
    ) -> T:
        """The attempts of one call, until one succeeds or the policy gives up."""
        method = request.operation.http_method
        attempt = 0
        while True:
            attempt += 1
            timeout = self._attempt_timeout(settings.timeout, deadline, attempt)
            try:
                status, raw = await self._exchange(
                    method, url, headers, request.body, timeout, attempt, strategy
                )
                return decode_success(request.returns, status, method, url, raw, self._strict)
            except TalonError as error:
                delay = self._retry_delay(error, settings.policy, attempt, replay_safe, deadline)
                if delay is None:
                    error.attempts = attempt
                    raise
                logger.info(
                    "retrying %s %s in %.2fs after attempt %d failed: %s",
                    method,
                    request.operation.path,
                    delay,
                    attempt,
                    error,
                )
                if self._hooks.on_retry is not None:
                    await self._hooks.on_retry(RetryEvent(method, url, attempt, delay, error))
                await asyncio.sleep(delay)

    def _attempt_timeout(
        self, timeout: aiohttp.ClientTimeout, deadline: float | None, attempt: int
    ) -> aiohttp.ClientTimeout:
        """The timeout of one attempt: the call's, cut to what is left of its deadline."""
        if deadline is None:
            return timeout
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0:
            raise _DeadlinePassed(may_have_reached_server=attempt > 1)
        if timeout.total is None or remaining < timeout.total:
            return aiohttp.ClientTimeout(total=remaining, sock_connect=timeout.sock_connect)
        return timeout

    @staticmethod
    def _retry_delay(
        error: TalonError,
        policy: RetryPolicy,
        attempt: int,
        replay_safe: bool,
        deadline: float | None,
    ) -> float | None:
        """Seconds to wait before the next attempt, or None to give up with ``error``."""
        now = asyncio.get_running_loop().time()
        if deadline is not None and isinstance(error, TalonTimeoutError) and now >= deadline:
            raise _DeadlinePassed(error.may_have_reached_server) from None
        delay = policy.delay_before_retry(attempt, error, replay_safe=replay_safe)
        if delay is not None and deadline is not None and now + delay >= deadline:
            return None  # the next attempt would start too late
        return delay

    async def _exchange(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: bytes | None,
        timeout: aiohttp.ClientTimeout,
        attempt: int,
        strategy: AuthStrategy,
    ) -> tuple[int, bytes]:
        """One HTTP exchange: the status and body of a 2xx answer, else a typed error."""
        session = self._get_session()
        sent = dict(headers)
        await strategy.apply(method, url, sent, body or b"")
        if self._hooks.on_request is not None:
            await self._hooks.on_request(RequestEvent(method, url, attempt, redact_headers(sent)))
        secrets = [v for k, v in sent.items() if k.lower() in SECRET_HEADERS]
        started = time.perf_counter()
        failure = None
        try:
            async with session.request(
                method,
                URL(url, encoded=True),
                data=body,
                headers=sent,
                timeout=timeout,
                allow_redirects=False,
                skip_auto_headers=None if body is not None else _NO_BODY_HEADERS,
                auto_decompress=False,  # _read inflates, within max_response_bytes
            ) as response:
                status = response.status
                response_headers = response.headers
                raw = await self._read(response, method, url)
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            failure = connection_error(method, url, exc, secrets)
        finally:
            # No credential stays in this frame's locals (error trackers collect those).
            sent.clear()
            secrets.clear()
        if failure is not None:
            if sys.version_info < (3, 11):
                # 3.10 resumes a task inside an except block after a failed await, which
                # would chain aiohttp's error; one clean step of the loop leaves it.
                await asyncio.sleep(0)
            raise failure  # outside the except block: nothing of aiohttp's is chained
        elapsed = time.perf_counter() - started
        logger.debug(
            "%s %s -> %d in %.1f ms (attempt %d)", method, url, status, elapsed * 1000, attempt
        )
        capture = current_capture()
        if capture is not None:
            capture.append(RawResponse(method, url, attempt, status, response_headers, raw))
        if self._hooks.on_response is not None:
            await self._hooks.on_response(
                ResponseEvent(method, url, attempt, status, response_headers, elapsed)
            )
        if 200 <= status < 300:
            return status, raw
        raise status_error(status, method, url, response_headers, raw)

    async def _read(self, response: aiohttp.ClientResponse, method: str, url: str) -> bytes:
        """The whole body, decompressed, unless that is more than ``max_response_bytes``.

        Decompression is done here rather than by aiohttp, a slice at a time, so that a
        small compressed body cannot inflate into more than the limit in memory.
        """
        limit = self._max_response_bytes
        encoding = response.headers.get("Content-Encoding", "").strip().lower()
        inflate: Any = None
        if encoding in ("gzip", "x-gzip", "deflate"):
            inflate = _Inflater(gzip=encoding != "deflate")
        elif response.content_length is not None:
            if response.content_length <= limit:
                return await response.read()  # announced, and aiohttp reads no more
            response.close()
            raise ResponseTooLargeError(status=response.status, method=method, url=url, limit=limit)
        chunks: list[bytes] = []
        size = 0
        while chunk := await response.content.readany():
            try:
                pieces = [chunk] if inflate is None else inflate(chunk, limit - size + 1)
            except zlib.error as exc:
                problem = f"the {encoding} body cannot be decompressed: {exc}"
                break
            for piece in pieces:
                size += len(piece)
                if size > limit:
                    chunks.clear()
                    response.close()  # the rest is never read: the connection goes
                    raise ResponseTooLargeError(
                        status=response.status, method=method, url=url, limit=limit
                    )
                chunks.append(piece)
        else:
            return b"".join(chunks)
        response.close()
        raise TalonDecodeError(problem, status=response.status, method=method, url=url)

    async def aclose(self) -> None:
        """Close the session if this transport created it; borrowed sessions stay open."""
        self._closed = True
        session, self._session = self._session, None
        if session is not None and self._owns_session:
            await session.close()
