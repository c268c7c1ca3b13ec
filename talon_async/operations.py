"""The table of operations: one record per operation of the Integration API.

Every fact the library knows about an operation is written here once, in its
:class:`Operation` record, and read from here by the client's methods, bulk jobs, the fake
Talon.One (:mod:`talon_async.testing`), the documentation and the tests that hold the
library against Talon.One's OpenAPI description. The records are plain data, so tools can
read them too::

    from talon_async.operations import OPERATIONS

    for operation in OPERATIONS.values():
        print(operation.operation_id, operation.http_method, operation.path)

A record also builds a checked call: ``operation.request(*path_values, body, **query)``
returns a :class:`~talon_async._operation.Request` that ``TalonClient.send`` sends, which
is what bulk jobs do with each line of a job file.

Models are named, not imported: importing this module loads no model. Path parameters
are strings, except those in :data:`INTEGER_PATH_PARAMETERS`.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from attrs import field, frozen

from ._operation import (
    INTEGER_PATH_PARAMETERS,
    CallOptions,
    Kind,
    Request,
    build,
    path_parameters,
    snake_case,
)
from .auth import API_KEY_V1, INTEGRATION_AUTH, MANAGER_AUTH

if TYPE_CHECKING:
    from .models import (
        ActivateLoyaltyPointsResponse,
        Audience,
        BestPriorPrice,
        Catalog,
        Coupon,
        CouponList,
        CustomerInventory,
        CustomerProfileList,
        EventV3,
        GetCustomerAchievementHistory200Response,
        GetCustomerAchievements200Response,
        GetLoyaltyCardPoints200Response,
        GetLoyaltyCardTransactions200Response,
        GetLoyaltyProgramProfilePoints200Response,
        GetLoyaltyProgramProfileTransactions200Response,
        IntegrationCustomerSessionResponse,
        IntegrationEventV2Response,
        IntegrationEventV3Response,
        IntegrationGetAllCampaigns200Response,
        IntegrationState,
        IntegrationStateV2,
        LoyaltyBalancesWithTiers,
        LoyaltyCard,
        LoyaltyCardBalances,
        MultipleCustomerProfileIntegrationResponseV2,
        Referral,
        ReferralList,
        ReopenSessionResponse,
    )

__all__ = [
    "INTEGER_PATH_PARAMETERS",
    "OPERATIONS",
    "CallOptions",
    "Items",
    "Operation",
    "Paging",
    "Parameter",
    "Request",
]

T_co = TypeVar("T_co", covariant=True)

DEFAULT_AUTH = (API_KEY_V1, INTEGRATION_AUTH)
"""The schemes most operations accept: an API key, or a Content-Signature."""
API_KEY_ONLY = (API_KEY_V1,)
"""Operations the seed documents lack accept only the scheme the current spec lists."""


@frozen
class Parameter:
    """A query parameter: its wire name, its kind (see
    :data:`~talon_async._operation.Kind`) and, for integers, its bounds. ``explode=False``
    sends a list as one comma-separated value instead of repeating the parameter."""

    wire: str
    kind: Kind
    minimum: int | None = None
    maximum: int | None = None
    explode: bool = True

    @property
    def name(self) -> str:
        """The Python name: the wire name in snake_case."""
        return snake_case(self.wire)

    @property
    def default(self) -> bool | None:
        """The value a method's signature defaults to."""
        return False if self.kind in ("flag", "yes_no") else None


def _page(maximum: int = 1000) -> tuple[Parameter, Parameter]:
    return (
        Parameter("pageSize", "integer", minimum=1, maximum=maximum),
        Parameter("skip", "integer", minimum=0),
    )


@frozen
class Paging:
    """A list answered one page at a time (``pageSize`` and ``skip``), and the page size
    the API uses when none is given, which ``iter_*`` methods use too."""

    default_size: int


@frozen
class Items:
    """The API's bounds on the number of items of a list member of the body."""

    member: str
    minimum: int
    maximum: int

    def check(self, body: object) -> None:
        """ValueError unless the body's list holds an allowed number of items."""
        count = len(getattr(body, snake_case(self.member)) or ())
        if not self.minimum <= count <= self.maximum:
            raise ValueError(
                f"{snake_case(self.member)} takes {self.minimum} to {self.maximum} items "
                f"in one request, got {count}"
            )


@frozen
class Operation(Generic[T_co]):
    """Everything about one operation of the API.

    - ``operation_id``: the API's name; ``name`` is it in snake_case, the official SDKs'
      method name, which the client also offers (``client.update_customer_session_v2``).
    - ``resource``, ``method``: where the client offers it (``client.sessions.update_v2``).
    - ``http_method``, ``path``: the request line; ``path_parameters`` in path order.
    - ``body``, ``returns``: the names of the request model and of the answer's model
      (None: no body / an answer without one; an operation with a ``silent`` parameter
      answers without a body when it is True).
    - ``query``: the query parameters; ``requires``: pairs (a, b) where a set parameter
      a needs b=True; ``items``: bounds on a list in the body; ``paging``: paged lists.
    - ``auth``: the accepted security schemes, in order of preference.
    - ``order_key``: the path parameter or body member naming the entity the call acts
      on (a session, a profile, ...): calls naming the same entity are sent one at a time
      in call order by the client, in file order by bulk jobs, and answered 409 by the
      fake when they overlap and ``conflicts_in_parallel`` is set: Talon.One answers 409
      to a call while another one on the same entity is in progress.
    - ``replay_safe``: whether sending the call twice does no harm, so that it may be
      retried after it may have reached the server (reads, PUTs, DELETEs, and operations
      the API deduplicates); ``idempotency_key``: the API deduplicates calls that carry an
      ``Idempotency-Key`` header, which the client then sends on every call.
    - ``deprecated``: for an operation Talon.One deprecated, what to use instead.
    """

    operation_id: str
    resource: str
    method: str
    http_method: str
    path: str
    returns: str | None
    body: str | None = None
    query: tuple[Parameter, ...] = ()
    auth: tuple[str, ...] = DEFAULT_AUTH
    order_key: str | None = None
    conflicts_in_parallel: bool = False
    paging: Paging | None = None
    items: Items | None = None
    requires: tuple[tuple[str, str], ...] = ()
    idempotency_key: bool = False
    replay_safe: bool = field()
    deprecated: str | None = None
    path_parameters: tuple[str, ...] = field(init=False)
    query_parameters: Mapping[str, Parameter] = field(init=False)

    @replay_safe.default
    def _replay_safe(self) -> bool:
        return self.http_method in ("GET", "PUT", "DELETE") or self.idempotency_key

    @path_parameters.default
    def _path_parameters(self) -> tuple[str, ...]:
        return path_parameters(self.path)

    @query_parameters.default
    def _query_parameters(self) -> Mapping[str, Parameter]:
        return {parameter.name: parameter for parameter in self.query}

    @property
    def name(self) -> str:
        """The official SDKs' name of the operation: its operationId in snake_case."""
        return snake_case(self.operation_id)

    @property
    def positional_names(self) -> tuple[str, ...]:
        """The Python names of the positional parameters: path parameters, then ``body``."""
        names = tuple(snake_case(wire) for wire in self.path_parameters)
        return (*names, "body") if self.body is not None else names

    def warn_if_deprecated(self, stacklevel: int) -> None:
        """Warn (``DeprecationWarning``) that Talon.One deprecated this operation, if it did;
        ``stacklevel`` counts from the caller of this method."""
        if self.deprecated is not None:
            warnings.warn(
                f"{self.operation_id} ({self.http_method} {self.path}) is deprecated by "
                f"Talon.One; use {self.deprecated}",
                DeprecationWarning,
                stacklevel=stacklevel + 1,
            )

    def request(self, *args: Any, **query: Any) -> Request[T_co]:
        """Check a call and build its request: ``args`` are the path parameters in path
        order, then the body; ``query`` the query parameters by Python name. Raises
        ``TypeError``/``ValueError`` naming the parameter before anything is sent."""
        return build(self, args, query)


def _table(*operations: Operation[Any]) -> Mapping[str, Operation[Any]]:
    table = {operation.operation_id: operation for operation in operations}
    if len(table) != len(operations):  # pragma: no cover - a record written twice
        raise AssertionError("an operationId is in the table twice")
    return table


_SESSION = "/v2/customer_sessions/{customerSessionId}"
_PROGRAM = "/v1/loyalty_programs/{loyaltyProgramId}"
_PROFILE_LEDGER = _PROGRAM + "/profile/{integrationId}"
_CARD = _PROGRAM + "/cards/{loyaltyCardId}"
_CARD_V2 = "/v2/loyalty_programs/{loyaltyProgramId}/cards/{loyaltyCardId}"
_AUDIENCE = "/v2/audiences/{audienceId}"
_TRACKING = (
    Parameter("silent", "yes_no"),
    Parameter("dry", "flag"),
    Parameter("forceCompleteEvaluation", "flag"),
)
_POINTS_FILTERS = (
    Parameter("status", "string"),
    Parameter("subledgerId", "strings"),
    Parameter("customerSessionIDs", "strings"),
    Parameter("transactionUUIDs", "strings"),
    *_page(),
    Parameter("sort", "string"),
)
_TRANSACTIONS_FILTERS = (
    Parameter("customerSessionIDs", "strings"),
    Parameter("transactionUUIDs", "strings"),
    Parameter("loyaltyTransactionType", "string"),
    Parameter("startDate", "datetime"),
    Parameter("endDate", "datetime"),
    *_page(),
    Parameter("awaitsActivation", "boolean"),
)
_LOYALTY_PAGING = Paging(default_size=50)

# Customer sessions

UPDATE_CUSTOMER_SESSION_V2: Operation[IntegrationStateV2] = Operation(
    "updateCustomerSessionV2",
    "sessions",
    "update_v2",
    "PUT",
    _SESSION,
    returns="IntegrationStateV2",
    body="IntegrationRequest",
    query=(Parameter("dry", "flag"), Parameter("now", "datetime")),
    requires=(("now", "dry"),),
    order_key="customerSessionId",
    conflicts_in_parallel=True,
)
GET_CUSTOMER_SESSION: Operation[IntegrationCustomerSessionResponse] = Operation(
    "getCustomerSession",
    "sessions",
    "get",
    "GET",
    _SESSION,
    returns="IntegrationCustomerSessionResponse",
    auth=API_KEY_ONLY,
    order_key="customerSessionId",
)
REOPEN_CUSTOMER_SESSION: Operation[ReopenSessionResponse] = Operation(
    "reopenCustomerSession",
    "sessions",
    "reopen",
    "PUT",
    _SESSION + "/reopen",
    returns="ReopenSessionResponse",
    auth=API_KEY_ONLY,
    order_key="customerSessionId",
    conflicts_in_parallel=True,
)
RETURN_CART_ITEMS: Operation[IntegrationStateV2] = Operation(
    "returnCartItems",
    "sessions",
    "return_items",
    "POST",
    _SESSION + "/returns",
    returns="IntegrationStateV2",
    body="ReturnIntegrationRequest",
    query=(Parameter("dry", "flag"), Parameter("runRuleEngine", "flag")),
    auth=API_KEY_ONLY,
    order_key="customerSessionId",
    conflicts_in_parallel=True,
    idempotency_key=True,
)
UPDATE_CUSTOMER_SESSION: Operation[IntegrationState] = Operation(
    "updateCustomerSession",
    "sessions",
    "update",
    "PUT",
    "/v1/customer_sessions/{customerSessionId}",
    returns="IntegrationState",
    body="NewCustomerSession",
    query=(Parameter("dry", "flag"),),
    order_key="customerSessionId",
    conflicts_in_parallel=True,
    deprecated="sessions.update_v2",
)

# Customer profiles

UPDATE_CUSTOMER_PROFILE_V2: Operation[IntegrationStateV2] = Operation(
    "updateCustomerProfileV2",
    "profiles",
    "update_v2",
    "PUT",
    "/v2/customer_profiles/{integrationId}",
    returns="IntegrationStateV2",
    body="CustomerProfileIntegrationRequestV2",
    query=(Parameter("runRuleEngine", "flag"), Parameter("dry", "flag")),
    requires=(("dry", "run_rule_engine"),),
    order_key="integrationId",
    conflicts_in_parallel=True,
)
UPDATE_CUSTOMER_PROFILES_V2: Operation[MultipleCustomerProfileIntegrationResponseV2 | None] = (
    Operation(
        "updateCustomerProfilesV2",
        "profiles",
        "update_many_v2",
        "PUT",
        "/v2/customer_profiles",
        returns="MultipleCustomerProfileIntegrationResponseV2",
        body="MultipleCustomerProfileIntegrationRequest",
        query=(Parameter("silent", "yes_no"),),
        items=Items("customerProfiles", 0, 1000),
    )
)
UPDATE_CUSTOMER_PROFILE: Operation[IntegrationState] = Operation(
    "updateCustomerProfile",
    "profiles",
    "update",
    "PUT",
    "/v1/customer_profiles/{integrationId}",
    returns="IntegrationState",
    body="NewCustomerProfile",
    query=(Parameter("dry", "flag"),),
    order_key="integrationId",
    conflicts_in_parallel=True,
    deprecated="profiles.update_v2",
)
GET_CUSTOMER_INVENTORY: Operation[CustomerInventory] = Operation(
    "getCustomerInventory",
    "profiles",
    "get_inventory",
    "GET",
    "/v1/customer_profiles/{integrationId}/inventory",
    returns="CustomerInventory",
    query=tuple(
        Parameter(part, "flag")
        for part in ("profile", "referrals", "coupons", "loyalty", "giveaways", "achievements")
    ),
)
UPDATE_CUSTOMER_PROFILE_AUDIENCES: Operation[None] = Operation(
    "updateCustomerProfileAudiences",
    "profiles",
    "update_audiences",
    "POST",
    "/v2/customer_audiences",
    returns=None,
    body="CustomerProfileAudienceRequest",
    auth=(MANAGER_AUTH, API_KEY_V1),
)
DELETE_CUSTOMER_DATA: Operation[None] = Operation(
    "deleteCustomerData",
    "customer_data",
    "delete",
    "DELETE",
    "/v1/customer_data/{integrationId}",
    returns=None,
    order_key="integrationId",
)

# Events

TRACK_EVENT_V2: Operation[IntegrationEventV2Response | None] = Operation(
    "trackEventV2",
    "events",
    "track_v2",
    "POST",
    "/v2/events",
    returns="IntegrationEventV2Response",
    body="IntegrationEventV2Request",
    query=_TRACKING,
    requires=(("force_complete_evaluation", "dry"),),
    auth=API_KEY_ONLY,
    order_key="profileId",
    conflicts_in_parallel=True,
)
TRACK_EVENT_V3: Operation[IntegrationEventV3Response | None] = Operation(
    "trackEventV3",
    "events",
    "track_v3",
    "POST",
    "/v3/events",
    returns="IntegrationEventV3Response",
    body="IntegrationEventV3Request",
    query=_TRACKING,
    requires=(("force_complete_evaluation", "dry"),),
    auth=API_KEY_ONLY,
    order_key="profileId",
    conflicts_in_parallel=True,
    replay_safe=True,  # the API keeps one event per integrationId
)
GET_EVENT_V3: Operation[EventV3] = Operation(
    "getEventV3",
    "events",
    "get_v3",
    "GET",
    "/v3/events/{integrationId}",
    returns="EventV3",
    auth=API_KEY_ONLY,
)
TRACK_EVENT: Operation[IntegrationState] = Operation(
    "trackEvent",
    "events",
    "track",
    "POST",
    "/v1/events",
    returns="IntegrationState",
    body="NewEvent",
    query=(Parameter("dry", "flag"),),
    order_key="sessionId",
    deprecated="events.track_v2",
)

# Coupon reservations

CREATE_COUPON_RESERVATION: Operation[Coupon] = Operation(
    "createCouponReservation",
    "coupon_reservations",
    "create",
    "POST",
    "/v1/coupon_reservations/{couponValue}",
    returns="Coupon",
    body="CouponReservations",
    order_key="couponValue",
)
DELETE_COUPON_RESERVATION: Operation[None] = Operation(
    "deleteCouponReservation",
    "coupon_reservations",
    "delete",
    "DELETE",
    "/v1/coupon_reservations/{couponValue}",
    returns=None,
    body="CouponReservations",
    order_key="couponValue",
)
GET_RESERVED_COUPONS: Operation[CouponList] = Operation(
    "getReservedCoupons",
    "coupon_reservations",
    "list_coupons",
    "GET",
    "/v1/coupon_reservations/coupons/{integrationId}",
    returns="CouponList",
    deprecated="profiles.get_inventory(..., coupons=True)",
)
GET_RESERVED_CUSTOMERS: Operation[CustomerProfileList] = Operation(
    "getReservedCustomers",
    "coupon_reservations",
    "list_customers",
    "GET",
    "/v1/coupon_reservations/customerprofiles/{couponValue}",
    returns="CustomerProfileList",
)

# Referrals

CREATE_REFERRAL: Operation[Referral] = Operation(
    "createReferral",
    "referrals",
    "create",
    "POST",
    "/v1/referrals",
    returns="Referral",
    body="NewReferral",
    order_key="advocateProfileIntegrationId",
)
CREATE_REFERRALS_FOR_MULTIPLE_ADVOCATES: Operation[ReferralList | None] = Operation(
    "createReferralsForMultipleAdvocates",
    "referrals",
    "create_for_multiple_advocates",
    "POST",
    "/v1/referrals_for_multiple_advocates",
    returns="ReferralList",
    body="NewReferralsForMultipleAdvocates",
    query=(Parameter("silent", "yes_no"),),
)

# Loyalty

GET_LOYALTY_BALANCES: Operation[LoyaltyBalancesWithTiers] = Operation(
    "getLoyaltyBalances",
    "loyalty",
    "get_balances",
    "GET",
    _PROFILE_LEDGER + "/balances",
    returns="LoyaltyBalancesWithTiers",
    query=(
        Parameter("endDate", "datetime"),
        Parameter("subledgerId", "string"),
        Parameter("includeTiers", "flag"),
        Parameter("includeProjectedTier", "flag"),
    ),
)
GET_LOYALTY_CARD_BALANCES: Operation[LoyaltyCardBalances] = Operation(
    "getLoyaltyCardBalances",
    "loyalty",
    "get_card_balances",
    "GET",
    _CARD + "/balances",
    returns="LoyaltyCardBalances",
    query=(Parameter("endDate", "datetime"), Parameter("subledgerId", "strings")),
)
GET_LOYALTY_PROGRAM_PROFILE_POINTS: Operation[GetLoyaltyProgramProfilePoints200Response] = (
    Operation(
        "getLoyaltyProgramProfilePoints",
        "loyalty",
        "get_profile_points",
        "GET",
        _PROFILE_LEDGER + "/points",
        returns="GetLoyaltyProgramProfilePoints200Response",
        query=_POINTS_FILTERS,
        paging=_LOYALTY_PAGING,
    )
)
GET_LOYALTY_CARD_POINTS: Operation[GetLoyaltyCardPoints200Response] = Operation(
    "getLoyaltyCardPoints",
    "loyalty",
    "get_card_points",
    "GET",
    _CARD + "/points",
    returns="GetLoyaltyCardPoints200Response",
    query=_POINTS_FILTERS,
    paging=_LOYALTY_PAGING,
)
GET_LOYALTY_PROGRAM_PROFILE_TRANSACTIONS: Operation[
    GetLoyaltyProgramProfileTransactions200Response
] = Operation(
    "getLoyaltyProgramProfileTransactions",
    "loyalty",
    "get_profile_transactions",
    "GET",
    _PROFILE_LEDGER + "/transactions",
    returns="GetLoyaltyProgramProfileTransactions200Response",
    query=(Parameter("subledgerId", "string"), *_TRANSACTIONS_FILTERS),
    paging=_LOYALTY_PAGING,
)
GET_LOYALTY_CARD_TRANSACTIONS: Operation[GetLoyaltyCardTransactions200Response] = Operation(
    "getLoyaltyCardTransactions",
    "loyalty",
    "get_card_transactions",
    "GET",
    _CARD + "/transactions",
    returns="GetLoyaltyCardTransactions200Response",
    query=(Parameter("subledgerId", "strings"), *_TRANSACTIONS_FILTERS),
    paging=_LOYALTY_PAGING,
)
DELETE_LOYALTY_TRANSACTIONS_FROM_LEDGERS: Operation[None] = Operation(
    "deleteLoyaltyTransactionsFromLedgers",
    "loyalty",
    "delete_transactions",
    "POST",
    _PROFILE_LEDGER + "/delete_transactions",
    returns=None,
    body="DeleteLoyaltyTransactionsRequest",
    order_key="integrationId",
)
ACTIVATE_LOYALTY_POINTS: Operation[ActivateLoyaltyPointsResponse] = Operation(
    "activateLoyaltyPoints",
    "loyalty",
    "activate_points",
    "POST",
    _PROGRAM + "/activate_points",
    returns="ActivateLoyaltyPointsResponse",
    body="ActivateLoyaltyPoints",
    order_key="sessionId",
)
GENERATE_LOYALTY_CARD: Operation[LoyaltyCard] = Operation(
    "generateLoyaltyCard",
    "loyalty",
    "generate_card",
    "POST",
    _PROGRAM + "/cards",
    returns="LoyaltyCard",
    body="GenerateLoyaltyCard",
)
LINK_LOYALTY_CARD_TO_PROFILE: Operation[LoyaltyCard] = Operation(
    "linkLoyaltyCardToProfile",
    "loyalty",
    "link_card",
    "POST",
    _CARD_V2 + "/link_profile",
    returns="LoyaltyCard",
    body="LoyaltyCardRegistration",
    order_key="loyaltyCardId",
)
UNLINK_LOYALTY_CARD_FROM_PROFILE: Operation[LoyaltyCard] = Operation(
    "unlinkLoyaltyCardFromProfile",
    "loyalty",
    "unlink_card",
    "POST",
    _CARD_V2 + "/unlink_profile",
    returns="LoyaltyCard",
    body="LoyaltyCardRegistration",
    order_key="loyaltyCardId",
)

# Audiences

CREATE_AUDIENCE_V2: Operation[Audience] = Operation(
    "createAudienceV2",
    "audiences",
    "create",
    "POST",
    "/v2/audiences",
    returns="Audience",
    body="NewAudience",
)
UPDATE_AUDIENCE_V2: Operation[Audience] = Operation(
    "updateAudienceV2",
    "audiences",
    "update",
    "PUT",
    _AUDIENCE,
    returns="Audience",
    body="UpdateAudience",
    order_key="audienceId",
)
DELETE_AUDIENCE_V2: Operation[None] = Operation(
    "deleteAudienceV2",
    "audiences",
    "delete",
    "DELETE",
    _AUDIENCE,
    returns=None,
    order_key="audienceId",
)
DELETE_AUDIENCE_MEMBERSHIPS_V2: Operation[None] = Operation(
    "deleteAudienceMembershipsV2",
    "audiences",
    "delete_memberships",
    "DELETE",
    _AUDIENCE + "/memberships",
    returns=None,
    order_key="audienceId",
)
UPDATE_AUDIENCE_CUSTOMERS_ATTRIBUTES: Operation[None] = Operation(
    "updateAudienceCustomersAttributes",
    "audiences",
    "update_customers_attributes",
    "PUT",
    "/v2/audience_customers/{audienceId}/attributes",
    returns=None,
    body="dict",
    order_key="audienceId",
)

# Catalogs, campaigns, achievements

SYNC_CATALOG: Operation[Catalog] = Operation(
    "syncCatalog",
    "catalogs",
    "sync",
    "PUT",
    "/v1/catalogs/{catalogId}/sync",
    returns="Catalog",
    body="CatalogSyncRequest",
    items=Items("actions", 1, 1000),
    order_key="catalogId",
)
BEST_PRIOR_PRICE: Operation[list[BestPriorPrice]] = Operation(
    "bestPriorPrice",
    "catalogs",
    "best_prior_price",
    "POST",
    "/v1/best_prior_price",
    returns="list[BestPriorPrice]",
    body="BestPriorPriceRequest",
    replay_safe=True,  # a lookup, although sent as a POST
)
INTEGRATION_GET_ALL_CAMPAIGNS: Operation[IntegrationGetAllCampaigns200Response] = Operation(
    "integrationGetAllCampaigns",
    "campaigns",
    "get_all",
    "GET",
    "/v1/integration/campaigns",
    returns="IntegrationGetAllCampaigns200Response",
    query=(
        *_page(),
        Parameter("campaignIds", "strings", explode=False),
        Parameter("startAfter", "datetime"),
        Parameter("startBefore", "datetime"),
        Parameter("endAfter", "datetime"),
        Parameter("endBefore", "datetime"),
    ),
    paging=Paging(default_size=50),
)
GET_CUSTOMER_ACHIEVEMENTS: Operation[GetCustomerAchievements200Response] = Operation(
    "getCustomerAchievements",
    "achievements",
    "get_for_customer",
    "GET",
    "/v1/customer_profiles/{integrationId}/achievements",
    returns="GetCustomerAchievements200Response",
    query=(
        Parameter("campaignIds", "strings", explode=False),
        Parameter("achievementIds", "strings", explode=False),
        Parameter("achievementStatus", "strings", explode=False),
        Parameter("currentProgressStatus", "strings", explode=False),
        *_page(),
    ),
    paging=Paging(default_size=1000),
)
GET_CUSTOMER_ACHIEVEMENT_HISTORY: Operation[GetCustomerAchievementHistory200Response] = Operation(
    "getCustomerAchievementHistory",
    "achievements",
    "get_history",
    "GET",
    "/v1/customer_profiles/{integrationId}/achievements/{achievementId}",
    returns="GetCustomerAchievementHistory200Response",
    query=(
        Parameter("progressStatus", "strings", explode=False),
        Parameter("startDate", "datetime"),
        Parameter("endDate", "datetime"),
        *_page(),
    ),
    paging=Paging(default_size=1000),
)

OPERATIONS: Mapping[str, Operation[Any]] = _table(
    UPDATE_CUSTOMER_SESSION_V2,
    GET_CUSTOMER_SESSION,
    REOPEN_CUSTOMER_SESSION,
    RETURN_CART_ITEMS,
    UPDATE_CUSTOMER_SESSION,
    UPDATE_CUSTOMER_PROFILE_V2,
    UPDATE_CUSTOMER_PROFILES_V2,
    UPDATE_CUSTOMER_PROFILE,
    GET_CUSTOMER_INVENTORY,
    UPDATE_CUSTOMER_PROFILE_AUDIENCES,
    DELETE_CUSTOMER_DATA,
    TRACK_EVENT_V2,
    TRACK_EVENT_V3,
    GET_EVENT_V3,
    TRACK_EVENT,
    CREATE_COUPON_RESERVATION,
    DELETE_COUPON_RESERVATION,
    GET_RESERVED_COUPONS,
    GET_RESERVED_CUSTOMERS,
    CREATE_REFERRAL,
    CREATE_REFERRALS_FOR_MULTIPLE_ADVOCATES,
    GET_LOYALTY_BALANCES,
    GET_LOYALTY_CARD_BALANCES,
    GET_LOYALTY_PROGRAM_PROFILE_POINTS,
    GET_LOYALTY_CARD_POINTS,
    GET_LOYALTY_PROGRAM_PROFILE_TRANSACTIONS,
    GET_LOYALTY_CARD_TRANSACTIONS,
    DELETE_LOYALTY_TRANSACTIONS_FROM_LEDGERS,
    ACTIVATE_LOYALTY_POINTS,
    GENERATE_LOYALTY_CARD,
    LINK_LOYALTY_CARD_TO_PROFILE,
    UNLINK_LOYALTY_CARD_FROM_PROFILE,
    CREATE_AUDIENCE_V2,
    UPDATE_AUDIENCE_V2,
    DELETE_AUDIENCE_V2,
    DELETE_AUDIENCE_MEMBERSHIPS_V2,
    UPDATE_AUDIENCE_CUSTOMERS_ATTRIBUTES,
    SYNC_CATALOG,
    BEST_PRIOR_PRICE,
    INTEGRATION_GET_ALL_CAMPAIGNS,
    GET_CUSTOMER_ACHIEVEMENTS,
    GET_CUSTOMER_ACHIEVEMENT_HISTORY,
)
"""Every operation of the Integration API, by operationId."""
