"""TalonClient: configuration, the resources, and the lifecycle of the HTTP session."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Generic, TypeVar, overload

from ._official_names import OfficialNames
from .auth import AuthStrategy
from .observe import Hooks
from .resources.achievements import AchievementsResource
from .resources.audiences import AudiencesResource
from .resources.campaigns import CampaignsResource
from .resources.catalogs import CatalogsResource
from .resources.coupon_reservations import CouponReservationsResource
from .resources.customer_data import CustomerDataResource
from .resources.events import EventsResource
from .resources.loyalty import LoyaltyResource
from .resources.profiles import ProfilesResource
from .resources.referrals import ReferralsResource
from .resources.sessions import SessionsResource
from .retry import DEFAULT_RETRY, RetryPolicy

if TYPE_CHECKING:
    import aiohttp
    from typing_extensions import Unpack

    from ._operation import CallOptions, Request
    from ._transport import Transport

R = TypeVar("R")
T = TypeVar("T")

DEFAULT_TIMEOUT = 15.0
"""Seconds one attempt of a call may take (connecting, sending, reading the answer)."""
DEFAULT_CONNECT_TIMEOUT = 5.0
"""Seconds to open a TCP (and TLS) connection."""
NO_HOOKS = Hooks()
DEFAULT_MAX_CONNECTIONS = 64
"""Connections the client opens at most; further requests queue for a free connection."""
DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
"""The largest answer read (after decompression): a full 1000-profile bulk answer fits."""


class _Resource(Generic[R]):
    """A client attribute holding one resource, made on first access."""

    def __init__(self, resource_class: Callable[[Transport], R]) -> None:
        self._resource_class = resource_class

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, instance: None, owner: type) -> _Resource[R]: ...
    @overload
    def __get__(self, instance: TalonClient, owner: type) -> R: ...
    def __get__(self, instance: TalonClient | None, owner: type) -> _Resource[R] | R:
        if instance is None:
            return self
        resource = self._resource_class(instance._transport)
        instance.__dict__[self._name] = resource  # later lookups find it there directly
        return resource


class TalonClient(OfficialNames):
    """An asyncio client of the Talon.One Integration API.

    Use one client per process and share it between tasks::

        async with TalonClient("https://acme.europe-west1.talon.one",
                               auth=ApiKeyV1(api_key)) as client:
            state = await client.sessions.update_v2("session-1", request)

    ``auth`` is one strategy or several (e.g. a manager token and an API key); each call
    uses the first strategy, in the order given, whose scheme its operation accepts.
    Pass ``session`` to reuse an ``aiohttp.ClientSession`` you own: the client then never
    closes it. Otherwise the client creates its own session on first use and closes it
    in :meth:`aclose`.

    ``timeout`` bounds each attempt of a call and ``connect_timeout`` the opening of a
    connection; ``total_timeout`` (None: no bound beyond the attempts') bounds a whole call,
    retries and their waits included. At most ``max_connections`` requests are on the wire
    at once, the rest wait for a free connection (that wait counts towards ``timeout``).
    ``retry`` is the default :class:`RetryPolicy`; every operation also takes ``timeout=``,
    ``total_timeout=``, ``retry=``, ``extra_headers=`` and ``allow_replay=`` for one call
    (see :class:`CallOptions`).

    An answer larger than ``max_response_bytes`` (counted after decompression) is not read
    further and raises :class:`ResponseTooLargeError`. Answers are decoded leniently: a
    value that deviates from the API's spec is kept as received and logged once per field;
    with ``strict_responses=True`` it raises :class:`TalonDecodeError` instead (for contract
    tests). A client belongs to the event loop it is first used in.

    ``hooks`` are awaited around every attempt (see :class:`Hooks`); ``trace_configs``
    go to the ``aiohttp.ClientSession`` the client creates (e.g. OpenTelemetry's aiohttp
    instrumentation). A borrowed session keeps its own trace configs.

    The operations are grouped by resource (``client.sessions``, ``client.profiles``, ...);
    each one is also available on the client under the official SDKs' name, with the same
    argument order (``client.update_customer_session_v2(...)``).
    """

    def __init__(
        self,
        base_url: str,
        *,
        auth: AuthStrategy | Sequence[AuthStrategy],
        session: aiohttp.ClientSession | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        total_timeout: float | None = None,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        strict_responses: bool = False,
        retry: RetryPolicy = DEFAULT_RETRY,
        hooks: Hooks = NO_HOOKS,
        trace_configs: Sequence[aiohttp.TraceConfig] = (),
    ) -> None:
        strategies = (auth,) if isinstance(auth, AuthStrategy) else tuple(auth)
        if not strategies or not all(isinstance(s, AuthStrategy) for s in strategies):
            raise TypeError("auth must be an AuthStrategy (e.g. ApiKeyV1(key)) or a list of them")
        if session is not None and trace_configs:
            raise ValueError(
                "trace_configs only apply to a session the client creates; add them to the "
                "aiohttp.ClientSession you pass instead"
            )
        for name, count, minimum in (
            ("max_connections", max_connections, 1),
            ("max_response_bytes", max_response_bytes, 1024),
        ):
            if type(count) is not int:
                raise TypeError(f"{name} must be an int, got {type(count).__name__}")
            if count < minimum:
                raise ValueError(f"{name} must be at least {minimum}, got {count}")
        if type(strict_responses) is not bool:
            raise TypeError(
                f"strict_responses must be a bool, got {type(strict_responses).__name__}"
            )
        if not isinstance(retry, RetryPolicy):
            raise TypeError(f"retry must be a RetryPolicy, got {type(retry).__name__}")
        # aiohttp (over 100 ms and 10 MiB on a small machine) loads with the first client,
        # not with ``import talon_async``: code that only builds models, or imports the
        # package without calling the API, does not pay for it.
        from ._transport import Transport, check_seconds

        self._transport = Transport(
            base_url,
            strategies,
            session=session,
            timeout=check_seconds("timeout", timeout),
            connect_timeout=check_seconds("connect_timeout", connect_timeout),
            total_timeout=None
            if total_timeout is None
            else check_seconds("total_timeout", total_timeout),
            max_connections=max_connections,
            max_response_bytes=max_response_bytes,
            strict_responses=strict_responses,
            retry=retry,
            hooks=hooks,
            trace_configs=trace_configs,
        )

    @property
    def base_url(self) -> str:
        """The normalized base URL (no trailing slash)."""
        return self._transport.base_url

    @property
    def auth(self) -> tuple[AuthStrategy, ...]:
        """The client's auth strategies, in the order given (their reprs show no secret)."""
        return self._transport.auth

    @property
    def closed(self) -> bool:
        """True once :meth:`aclose` was called."""
        return self._transport.closed

    async def aclose(self) -> None:
        """Release the client's resources; closes the HTTP session only if it created it."""
        await self._transport.aclose()

    async def __aenter__(self) -> TalonClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"TalonClient(base_url={self.base_url!r}, closed={self.closed})"

    async def send(self, request: Request[T], **options: Unpack[CallOptions]) -> T:
        """Send a request built from the table of operations and return its answer.

        ``operation.request(...)`` (see :mod:`talon_async.operations`) checks and builds
        the request; this sends it exactly as the client's own methods do, with the same
        ordering, retries and errors, and the same per-call options. Bulk jobs use it to
        send each line of a job file as it was checked.
        """
        return await self._transport.send(request, options)

    # The resources, each made on first access.
    achievements: _Resource[AchievementsResource] = _Resource(AchievementsResource)
    audiences: _Resource[AudiencesResource] = _Resource(AudiencesResource)
    campaigns: _Resource[CampaignsResource] = _Resource(CampaignsResource)
    catalogs: _Resource[CatalogsResource] = _Resource(CatalogsResource)
    coupon_reservations: _Resource[CouponReservationsResource] = _Resource(
        CouponReservationsResource
    )
    customer_data: _Resource[CustomerDataResource] = _Resource(CustomerDataResource)
    events: _Resource[EventsResource] = _Resource(EventsResource)
    loyalty: _Resource[LoyaltyResource] = _Resource(LoyaltyResource)
    profiles: _Resource[ProfilesResource] = _Resource(ProfilesResource)
    referrals: _Resource[ReferralsResource] = _Resource(ReferralsResource)
    sessions: _Resource[SessionsResource] = _Resource(SessionsResource)
