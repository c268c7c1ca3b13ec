"""The single request path: build the URL, encode, authenticate, send, map the answer.

Resource modules describe operations as :class:`Operation` values and hand them to
:meth:`Transport.send`; nothing else in the package touches aiohttp. This module is
imported by the first :class:`TalonClient` made, not by ``import talon_async``.
"""

from __future__ import annotations

import asyncio
import logging
import platform
import time
from collections.abc import AsyncIterator, Hashable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from types import NoneType
from typing import Any, TypeVar, cast
from urllib.parse import quote, urlencode, urlsplit

import aiohttp
from yarl import URL

from ._convert import decode_json, encode, structure
from ._operation import CallOptions, Operation, snake_case
from ._version import __version__
from .auth import AuthStrategy
from .errors import (
    AuthConfigurationError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConflictError,
    ErrorBody,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    TalonConnectionError,
    TalonDecodeError,
    TalonError,
    TalonStatusError,
    TalonTimeoutError,
)
from .observe import (
    Hooks,
    RawResponse,
    RequestEvent,
    ResponseEvent,
    RetryEvent,
    current_capture,
    redact_headers,
)
from .retry import RetryPolicy

T = TypeVar("T")

logger = logging.getLogger("talon_async")

IDEMPOTENT_METHODS = frozenset({"GET", "PUT", "DELETE"})

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


_UNORDERED: AbstractAsyncContextManager[None] = nullcontext()


class _KeyedOrder:
    """One FIFO lock per key, dropped again when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[Hashable, tuple[asyncio.Lock, list[int]]] = {}

    def hold(self, key: Hashable | None) -> AbstractAsyncContextManager[None]:
        """Wait for the turn of ``key``; calls without a key never wait."""
        return _UNORDERED if key is None else self._hold(key)

    @asynccontextmanager
    async def _hold(self, key: Hashable) -> AsyncIterator[None]:
        lock, users = self._locks.setdefault(key, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            async with lock:
                yield
        finally:
            users[0] -= 1
            if not users[0]:
                del self._locks[key]

    def __len__(self) -> int:
        return len(self._locks)


def normalize_base_url(base_url: str) -> str:
    """Check a base URL (http/https with a host) and drop trailing slashes."""
    if not isinstance(base_url, str):
        raise ValueError(f"base_url must be a string, got {type(base_url).__name__}")
    try:
        parts = urlsplit(base_url.strip())
        parts.port  # noqa: B018  (raises ValueError for a malformed port)
    except ValueError as exc:
        raise ValueError(f"base_url {base_url!r} is not a valid URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(
            f"base_url {base_url!r} must be an http:// or https:// URL with a host, "
            "e.g. https://mycompany.europe-west1.talon.one"
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"base_url {base_url!r} must not carry credentials, a query or a fragment")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def encode_path_segment(name: str, value: object) -> str:
    """Percent-encode a path parameter so that it is exactly one path segment."""
    if not isinstance(value, str):
        raise TypeError(f"{snake_case(name)} must be a str, got {type(value).__name__}")
    if not value:
        raise ValueError(f"{snake_case(name)} must not be empty")
    if value in (".", ".."):
        # Dot segments would be resolved away by URL normalization; escape the dots.
        return value.replace(".", "%2E")
    return quote(value, safe="")


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
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
    text = raw.decode("utf-8", "replace")
    body = None
    if text.strip():
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
        text=text,
        retry_after=parse_retry_after(headers.get("Retry-After")),
    )


def connection_error(
    method: str, url: str, exc: aiohttp.ClientError | asyncio.TimeoutError
) -> TalonConnectionError:
    """The typed error for a failure below HTTP, and whether the request may have gone out."""
    error_type: type[TalonConnectionError] = TalonConnectionError
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        error_type, reason, sent = TalonTimeoutError, "timed out connecting", False
    elif isinstance(exc, asyncio.TimeoutError):
        error_type, reason, sent = TalonTimeoutError, "timed out waiting for the response", True
    elif isinstance(exc, aiohttp.ClientConnectorError):
        reason, sent = f"cannot connect: {exc}", False
    else:
        reason, sent = f"connection failed: {type(exc).__name__}: {exc}", True
    return error_type(
        f"{method} {url}: {reason}", method=method, url=url, may_have_reached_server=sent
    )


def decode_success(returns: type[T], status: int, method: str, url: str, raw: bytes) -> T:
    """Decode a 2xx body into the operation's model (None for bodiless operations)."""
    if returns is NoneType:
        return cast(T, None)
    if not raw.strip():
        raise TalonDecodeError("empty body", status=status, method=method, url=url, text="")
    try:
        data = decode_json(raw)
    except ValueError as exc:
        raise TalonDecodeError(
            f"not JSON: {exc}",
            status=status,
            method=method,
            url=url,
            text=raw.decode("utf-8", "replace"),
        ) from exc
    try:
        return structure(data, returns)
    except Exception as exc:  # cattrs raises KeyError, TypeError, ValueError, ...
        problem = (
            f"required member {exc.args[0]!r} is missing"
            if isinstance(exc, KeyError)
            else f"{type(exc).__name__}: {exc}"
        )
        raise TalonDecodeError(
            f"not a {returns.__name__}: {problem}",
            status=status,
            method=method,
            url=url,
            text=raw.decode("utf-8", "replace"),
        ) from exc


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
        max_connections: int,
        retry: RetryPolicy,
        hooks: Hooks,
        trace_configs: Sequence[aiohttp.TraceConfig],
    ) -> None:
        self.base_url = normalize_base_url(base_url)
        self.retry = retry
        self._hooks = hooks
        self._trace_configs = list(trace_configs)
        self._order = _KeyedOrder()
        self._auth = tuple(auth)
        self._session = session
        self._owns_session = session is None
        self._timeout = aiohttp.ClientTimeout(total=timeout, sock_connect=connect_timeout)
        self._max_connections = max_connections
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

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
            f"{operation.method} {operation.path} needs auth scheme "
            f"{' or '.join(operation.auth)}; this client has: {configured}"
        )

    def url_for(self, operation: Operation[Any]) -> str:
        path = operation.path
        if operation.path_params:
            path = path.format_map(
                {k: encode_path_segment(k, v) for k, v in operation.path_params.items()}
            )
        url = self.base_url + path
        if operation.query:
            url += "?" + urlencode(operation.query, doseq=True)
        return url

    async def send(self, operation: Operation[T], options: CallOptions) -> T:
        """Send one operation, retrying as the policy allows, and return its result.

        Everything that can be wrong with the input (path parameters, auth, the body)
        fails here, before any I/O.
        """
        method = operation.method
        url = self.url_for(operation)
        strategy = self._strategy_for(operation)
        body = None
        if operation.body_type is not None:
            if not isinstance(operation.body, operation.body_type):
                raise TypeError(
                    f"{method} {operation.path}: the request body must be a "
                    f"{operation.body_type.__name__}, got {type(operation.body).__name__}"
                )
            body = encode(operation.body)
        headers = {"Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        headers.update(options.get("extra_headers", {}))
        timeout = self._timeout
        if "timeout" in options:
            timeout = aiohttp.ClientTimeout(
                total=options["timeout"], sock_connect=timeout.sock_connect
            )
        policy = options.get("retry", self.retry)
        replay_safe = method in IDEMPOTENT_METHODS or options.get("allow_replay", False)
        async with self._order.hold(operation.order_key):
            attempt = 0
            while True:
                attempt += 1
                attempt_headers = dict(headers)
                await strategy.apply(method, url, attempt_headers, body or b"")
                try:
                    status, raw = await self._exchange(
                        method, url, attempt_headers, body, timeout, attempt
                    )
                    return decode_success(operation.returns, status, method, url, raw)
                except TalonError as error:
                    delay = policy.delay_before_retry(attempt, error, replay_safe=replay_safe)
                    if delay is None:
                        error.attempts = attempt
                        raise
                    logger.info(
                        "retrying %s %s in %.2fs after attempt %d failed: %s",
                        method,
                        operation.path,
                        delay,
                        attempt,
                        error,
                    )
                    if self._hooks.on_retry is not None:
                        await self._hooks.on_retry(RetryEvent(method, url, attempt, delay, error))
                    await asyncio.sleep(delay)

    async def _exchange(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: bytes | None,
        timeout: aiohttp.ClientTimeout,
        attempt: int,
    ) -> tuple[int, bytes]:
        """One HTTP exchange: the status and body of a 2xx answer, else a typed error."""
        session = self._get_session()
        if self._hooks.on_request is not None:
            await self._hooks.on_request(
                RequestEvent(method, url, attempt, redact_headers(headers))
            )
        started = time.perf_counter()
        try:
            async with session.request(
                method,
                URL(url, encoded=True),
                data=body,
                headers=headers,
                timeout=timeout,
                allow_redirects=False,
            ) as response:
                raw = await response.read()
                status = response.status
                response_headers = response.headers
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise connection_error(method, url, exc) from exc
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

    async def aclose(self) -> None:
        """Close the session if this transport created it; borrowed sessions stay open."""
        self._closed = True
        session, self._session = self._session, None
        if session is not None and self._owns_session:
            await session.close()
