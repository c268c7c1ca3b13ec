"""TalonClient: configuration, the resources, and the lifecycle of the HTTP session."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from ._operation import snake_case
from .auth import AuthStrategy
from .observe import Hooks
from .retry import DEFAULT_RETRY, RetryPolicy

if TYPE_CHECKING:
    import aiohttp

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

R = TypeVar("R")

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
    """A client attribute whose resource module is imported on first access."""

    def __init__(self, module: str, class_name: str) -> None:
        self._module = module
        self._class_name = class_name

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, instance: None, owner: type) -> _Resource[R]: ...
    @overload
    def __get__(self, instance: Any, owner: type) -> R: ...
    def __get__(self, instance: Any | None, owner: type) -> _Resource[R] | R:
        if instance is None:
            return self
        resource_class = getattr(resource_module(self._module), self._class_name)
        resource: R = resource_class(instance._transport)
        instance.__dict__[self._name] = resource  # later lookups find it there directly
        return resource


def resource_module(name: str) -> Any:
    """The module ``talon_async.resources.<name>``, imported on first use."""
    return importlib.import_module(f"{__package__}.resources.{name}")


class TalonClient:
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

    # The resources: each module (and the models it uses) is imported on first access.
    achievements: _Resource[AchievementsResource] = _Resource(
        "achievements", "AchievementsResource"
    )
    audiences: _Resource[AudiencesResource] = _Resource("audiences", "AudiencesResource")
    campaigns: _Resource[CampaignsResource] = _Resource("campaigns", "CampaignsResource")
    catalogs: _Resource[CatalogsResource] = _Resource("catalogs", "CatalogsResource")
    coupon_reservations: _Resource[CouponReservationsResource] = _Resource(
        "coupon_reservations", "CouponReservationsResource"
    )
    customer_data: _Resource[CustomerDataResource] = _Resource(
        "customer_data", "CustomerDataResource"
    )
    events: _Resource[EventsResource] = _Resource("events", "EventsResource")
    loyalty: _Resource[LoyaltyResource] = _Resource("loyalty", "LoyaltyResource")
    profiles: _Resource[ProfilesResource] = _Resource("profiles", "ProfilesResource")
    referrals: _Resource[ReferralsResource] = _Resource("referrals", "ReferralsResource")
    sessions: _Resource[SessionsResource] = _Resource("sessions", "SessionsResource")

    if TYPE_CHECKING:
        # The official SDKs' operation names, argument order included: each is the very
        # same function as the resource method (they only need ``self._transport``). At
        # run time they are installed from OPERATIONS below, and resolved on first use.
        create_coupon_reservation = CouponReservationsResource.create
        delete_coupon_reservation = CouponReservationsResource.delete
        get_reserved_coupons = CouponReservationsResource.list_coupons
        get_reserved_customers = CouponReservationsResource.list_customers
        create_referral = ReferralsResource.create
        create_referrals_for_multiple_advocates = ReferralsResource.create_for_multiple_advocates
        delete_customer_data = CustomerDataResource.delete
        get_customer_inventory = ProfilesResource.get_inventory
        get_loyalty_balances = LoyaltyResource.get_balances
        get_loyalty_card_balances = LoyaltyResource.get_card_balances
        get_loyalty_program_profile_points = LoyaltyResource.get_profile_points
        get_loyalty_card_points = LoyaltyResource.get_card_points
        get_loyalty_program_profile_transactions = LoyaltyResource.get_profile_transactions
        get_loyalty_card_transactions = LoyaltyResource.get_card_transactions
        delete_loyalty_transactions_from_ledgers = LoyaltyResource.delete_transactions
        activate_loyalty_points = LoyaltyResource.activate_points
        generate_loyalty_card = LoyaltyResource.generate_card
        link_loyalty_card_to_profile = LoyaltyResource.link_card
        unlink_loyalty_card_from_profile = LoyaltyResource.unlink_card
        get_customer_session = SessionsResource.get
        get_event_v3 = EventsResource.get_v3
        reopen_customer_session = SessionsResource.reopen
        return_cart_items = SessionsResource.return_items
        track_event = EventsResource.track
        track_event_v2 = EventsResource.track_v2
        track_event_v3 = EventsResource.track_v3
        update_customer_profile = ProfilesResource.update
        update_customer_profile_v2 = ProfilesResource.update_v2
        update_customer_profiles_v2 = ProfilesResource.update_many_v2
        update_customer_profile_audiences = ProfilesResource.update_audiences
        update_customer_session = SessionsResource.update
        update_customer_session_v2 = SessionsResource.update_v2
        create_audience_v2 = AudiencesResource.create
        update_audience_v2 = AudiencesResource.update
        delete_audience_v2 = AudiencesResource.delete
        delete_audience_memberships_v2 = AudiencesResource.delete_memberships
        update_audience_customers_attributes = AudiencesResource.update_customers_attributes
        sync_catalog = CatalogsResource.sync
        best_prior_price = CatalogsResource.best_prior_price
        integration_get_all_campaigns = CampaignsResource.get_all
        get_customer_achievements = AchievementsResource.get_for_customer
        get_customer_achievement_history = AchievementsResource.get_history


OPERATIONS: dict[str, tuple[str, str]] = {
    # operationId -> (client attribute of its resource, method name)
    "createCouponReservation": ("coupon_reservations", "create"),
    "deleteCouponReservation": ("coupon_reservations", "delete"),
    "getReservedCoupons": ("coupon_reservations", "list_coupons"),
    "getReservedCustomers": ("coupon_reservations", "list_customers"),
    "createReferral": ("referrals", "create"),
    "createReferralsForMultipleAdvocates": ("referrals", "create_for_multiple_advocates"),
    "deleteCustomerData": ("customer_data", "delete"),
    "getCustomerInventory": ("profiles", "get_inventory"),
    "getLoyaltyBalances": ("loyalty", "get_balances"),
    "getLoyaltyCardBalances": ("loyalty", "get_card_balances"),
    "getLoyaltyProgramProfilePoints": ("loyalty", "get_profile_points"),
    "getLoyaltyCardPoints": ("loyalty", "get_card_points"),
    "getLoyaltyProgramProfileTransactions": ("loyalty", "get_profile_transactions"),
    "getLoyaltyCardTransactions": ("loyalty", "get_card_transactions"),
    "deleteLoyaltyTransactionsFromLedgers": ("loyalty", "delete_transactions"),
    "activateLoyaltyPoints": ("loyalty", "activate_points"),
    "generateLoyaltyCard": ("loyalty", "generate_card"),
    "linkLoyaltyCardToProfile": ("loyalty", "link_card"),
    "unlinkLoyaltyCardFromProfile": ("loyalty", "unlink_card"),
    "getCustomerSession": ("sessions", "get"),
    "getEventV3": ("events", "get_v3"),
    "reopenCustomerSession": ("sessions", "reopen"),
    "returnCartItems": ("sessions", "return_items"),
    "trackEvent": ("events", "track"),
    "trackEventV2": ("events", "track_v2"),
    "trackEventV3": ("events", "track_v3"),
    "updateCustomerProfile": ("profiles", "update"),
    "updateCustomerProfileV2": ("profiles", "update_v2"),
    "updateCustomerProfilesV2": ("profiles", "update_many_v2"),
    "updateCustomerProfileAudiences": ("profiles", "update_audiences"),
    "updateCustomerSession": ("sessions", "update"),
    "updateCustomerSessionV2": ("sessions", "update_v2"),
    "createAudienceV2": ("audiences", "create"),
    "updateAudienceV2": ("audiences", "update"),
    "deleteAudienceV2": ("audiences", "delete"),
    "deleteAudienceMembershipsV2": ("audiences", "delete_memberships"),
    "updateAudienceCustomersAttributes": ("audiences", "update_customers_attributes"),
    "syncCatalog": ("catalogs", "sync"),
    "bestPriorPrice": ("catalogs", "best_prior_price"),
    "integrationGetAllCampaigns": ("campaigns", "get_all"),
    "getCustomerAchievements": ("achievements", "get_for_customer"),
    "getCustomerAchievementHistory": ("achievements", "get_history"),
}
"""Every operation of the API: where it lives on the client."""


class _OfficialName:
    """A client method under an official SDK name; replaced by the function on first use."""

    def __init__(self, resource: str, method: str) -> None:
        self._resource = resource
        self._method = method

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def __get__(self, instance: object, owner: type) -> Callable[..., Any]:
        descriptor = owner.__dict__[self._resource]
        resource_class = getattr(resource_module(descriptor._module), descriptor._class_name)
        function: Callable[..., Any] = getattr(resource_class, self._method)
        setattr(owner, self._name, function)
        return function if instance is None else function.__get__(instance, owner)


for _operation_id, (_resource, _method) in OPERATIONS.items():
    _alias = _OfficialName(_resource, _method)
    _alias.__set_name__(TalonClient, snake_case(_operation_id))
    setattr(TalonClient, snake_case(_operation_id), _alias)
