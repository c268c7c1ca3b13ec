"""Loyalty programs: balances, unused points and transaction history of customer profiles
and loyalty cards; activating and deleting points; generating, linking and unlinking cards.

The four lists come one page at a time (``get_*``) or as one iterator over every item
(``iter_*``, a :class:`~talon_async._pagination.Pager`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from types import NoneType
from typing import TYPE_CHECKING, TypeVar

import attrs

from .._operation import CallOptions, Operation
from .._pagination import Pager
from ..models.loyalty import (
    ActivateLoyaltyPoints,
    ActivateLoyaltyPointsResponse,
    CardLedgerPointsEntryIntegrationAPI,
    CardLedgerTransactionLogEntryIntegrationAPI,
    DeleteLoyaltyTransactionsRequest,
    GenerateLoyaltyCard,
    GetLoyaltyCardPoints200Response,
    GetLoyaltyCardTransactions200Response,
    GetLoyaltyProgramProfilePoints200Response,
    GetLoyaltyProgramProfileTransactions200Response,
    LedgerPointsEntryIntegrationAPI,
    LedgerTransactionLogEntryIntegrationAPI,
    LoyaltyBalancesWithTiers,
    LoyaltyCardBalances,
    LoyaltyCardRegistration,
)
from ..models.loyalty_embedded import LoyaltyCard
from ._base import DEFAULT_AUTH, HasTransport, Query, Resource, path_id

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .._transport import Transport

P = TypeVar("P")

DEFAULT_PAGE_SIZE = 50
"""Items per page when the caller does not choose: the API's own default."""
MAX_PAGE_SIZE = 1000
"""The most items the API puts in one page."""

_PROGRAM = "/v1/loyalty_programs/{loyaltyProgramId}"
_PROFILE = _PROGRAM + "/profile/{integrationId}"
_CARD = _PROGRAM + "/cards/{loyaltyCardId}"
_CARD_V2 = "/v2/loyalty_programs/{loyaltyProgramId}/cards/{loyaltyCardId}"


def _program(loyalty_program_id: int) -> dict[str, object]:
    return {"loyaltyProgramId": path_id("loyaltyProgramId", loyalty_program_id)}


def _profile(loyalty_program_id: int, integration_id: str) -> dict[str, object]:
    return {**_program(loyalty_program_id), "integrationId": integration_id}


def _card(loyalty_program_id: int, loyalty_card_id: str) -> dict[str, object]:
    return {**_program(loyalty_program_id), "loyaltyCardId": loyalty_card_id}


def _page(query: Query, page_size: int | None, skip: int | None) -> Query:
    """``query`` (the filters) followed by the size and the offset of one page."""
    return query.integer("pageSize", page_size, minimum=1, maximum=MAX_PAGE_SIZE).integer(
        "skip", skip, minimum=0
    )


def _pages(
    transport: Transport, operation: Operation[P], page_size: int, options: CallOptions
) -> Callable[[int, int], Awaitable[P]]:
    """What a :class:`Pager` calls for each page: ``operation`` (whose query holds the
    filters) at the given offset and size. ``page_size`` is checked here, at once."""
    _page(Query(), page_size, None)

    async def fetch(skip: int, size: int) -> P:
        query = {**operation.query, **_page(Query(), size, skip)}
        return await transport.send(attrs.evolve(operation, query=query), options)

    return fetch


def _points_filters(
    status: str | None,
    subledger_id: Sequence[str] | None,
    customer_session_ids: Sequence[str] | None,
    transaction_uuids: Sequence[str] | None,
    sort: str | None,
) -> Query:
    return (
        Query()
        .string("status", status)
        .strings("subledgerId", subledger_id)
        .strings("customerSessionIDs", customer_session_ids)
        .strings("transactionUUIDs", transaction_uuids)
        .string("sort", sort)
    )


def _transactions_filters(
    query: Query,
    customer_session_ids: Sequence[str] | None,
    transaction_uuids: Sequence[str] | None,
    loyalty_transaction_type: str | None,
    start_date: datetime | None,
    end_date: datetime | None,
    awaits_activation: bool | None,
) -> Query:
    # ``query`` holds the sub-ledger filter: one ID for profiles, a list for cards.
    return (
        query.strings("customerSessionIDs", customer_session_ids)
        .strings("transactionUUIDs", transaction_uuids)
        .string("loyaltyTransactionType", loyalty_transaction_type)
        .moment("startDate", start_date)
        .moment("endDate", end_date)
        .boolean("awaitsActivation", awaits_activation)
    )


def _profile_points(
    loyalty_program_id: int, integration_id: str, filters: Query
) -> Operation[GetLoyaltyProgramProfilePoints200Response]:
    return Operation(
        "GET",
        _PROFILE + "/points",
        GetLoyaltyProgramProfilePoints200Response,
        DEFAULT_AUTH,
        path_params=_profile(loyalty_program_id, integration_id),
        query=filters,
    )


def _card_points(
    loyalty_program_id: int, loyalty_card_id: str, filters: Query
) -> Operation[GetLoyaltyCardPoints200Response]:
    return Operation(
        "GET",
        _CARD + "/points",
        GetLoyaltyCardPoints200Response,
        DEFAULT_AUTH,
        path_params=_card(loyalty_program_id, loyalty_card_id),
        query=filters,
    )


def _profile_transactions(
    loyalty_program_id: int, integration_id: str, filters: Query
) -> Operation[GetLoyaltyProgramProfileTransactions200Response]:
    return Operation(
        "GET",
        _PROFILE + "/transactions",
        GetLoyaltyProgramProfileTransactions200Response,
        DEFAULT_AUTH,
        path_params=_profile(loyalty_program_id, integration_id),
        query=filters,
    )


def _card_transactions(
    loyalty_program_id: int, loyalty_card_id: str, filters: Query
) -> Operation[GetLoyaltyCardTransactions200Response]:
    return Operation(
        "GET",
        _CARD + "/transactions",
        GetLoyaltyCardTransactions200Response,
        DEFAULT_AUTH,
        path_params=_card(loyalty_program_id, loyalty_card_id),
        query=filters,
    )


class LoyaltyResource(Resource):
    """``client.loyalty``.

    Dates are timezone-aware datetimes; filters that take several values (sub-ledgers of
    cards and points, session IDs, transaction UUIDs) take a list, sent as the parameter
    repeated once per value. A filter left at None is not sent.
    """

    __slots__ = ()

    async def get_balances(
        self: HasTransport,
        loyalty_program_id: int,
        integration_id: str,
        *,
        end_date: datetime | None = None,
        subledger_id: str | None = None,
        include_tiers: bool = False,
        include_projected_tier: bool = False,
        **options: Unpack[CallOptions],
    ) -> LoyaltyBalancesWithTiers:
        """The point balances of customer ``integration_id`` in a profile-based program.

        ``end_date`` computes the balances as of that moment (past or future);
        ``subledger_id`` keeps one sub-ledger. ``include_tiers`` adds the current tier
        and the points missing to the next one, ``include_projected_tier`` the tier the
        customer will hold when the current one expires.
        """
        return await self._transport.send(
            Operation(
                "GET",
                _PROFILE + "/balances",
                LoyaltyBalancesWithTiers,
                DEFAULT_AUTH,
                path_params=_profile(loyalty_program_id, integration_id),
                query=Query()
                .moment("endDate", end_date)
                .string("subledgerId", subledger_id)
                .flag("includeTiers", include_tiers)
                .flag("includeProjectedTier", include_projected_tier),
            ),
            options,
        )

    async def get_card_balances(
        self: HasTransport,
        loyalty_program_id: int,
        loyalty_card_id: str,
        *,
        end_date: datetime | None = None,
        subledger_id: Sequence[str] | None = None,
        **options: Unpack[CallOptions],
    ) -> LoyaltyCardBalances:
        """The point balances of loyalty card ``loyalty_card_id`` and the profiles linked
        to it; ``end_date`` computes them as of that moment, ``subledger_id`` (a list)
        keeps only those sub-ledgers."""
        return await self._transport.send(
            Operation(
                "GET",
                _CARD + "/balances",
                LoyaltyCardBalances,
                DEFAULT_AUTH,
                path_params=_card(loyalty_program_id, loyalty_card_id),
                query=Query().moment("endDate", end_date).strings("subledgerId", subledger_id),
            ),
            options,
        )

    async def get_profile_points(
        self: HasTransport,
        loyalty_program_id: int,
        integration_id: str,
        *,
        status: str | None = None,
        subledger_id: Sequence[str] | None = None,
        customer_session_ids: Sequence[str] | None = None,
        transaction_uuids: Sequence[str] | None = None,
        page_size: int | None = None,
        skip: int | None = None,
        sort: str | None = None,
        **options: Unpack[CallOptions],
    ) -> GetLoyaltyProgramProfilePoints200Response:
        """One page of the unused points of customer ``integration_id``.

        ``status`` is ``active`` (the API's default), ``pending`` or ``expired``; ``sort``
        is ``startDate`` or ``expiryDate``, prefixed with ``-`` for descending order.
        ``page_size`` is 1 to 1000 (default 50). :meth:`iter_profile_points` walks every
        page.
        """
        filters = _points_filters(
            status, subledger_id, customer_session_ids, transaction_uuids, sort
        )
        return await self._transport.send(
            _profile_points(loyalty_program_id, integration_id, _page(filters, page_size, skip)),
            options,
        )

    def iter_profile_points(
        self: HasTransport,
        loyalty_program_id: int,
        integration_id: str,
        *,
        status: str | None = None,
        subledger_id: Sequence[str] | None = None,
        customer_session_ids: Sequence[str] | None = None,
        transaction_uuids: Sequence[str] | None = None,
        sort: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
        **options: Unpack[CallOptions],
    ) -> Pager[LedgerPointsEntryIntegrationAPI]:
        """Every unused point entry of customer ``integration_id`` (at most ``limit``),
        fetched ``page_size`` at a time: ``async for entry in ...``. Filters as in
        :meth:`get_profile_points`."""
        filters = _points_filters(
            status, subledger_id, customer_session_ids, transaction_uuids, sort
        )
        operation = _profile_points(loyalty_program_id, integration_id, filters)
        fetch = _pages(self._transport, operation, page_size, options)
        return Pager(fetch, page_size=page_size, limit=limit)

    async def get_card_points(
        self: HasTransport,
        loyalty_program_id: int,
        loyalty_card_id: str,
        *,
        status: str | None = None,
        subledger_id: Sequence[str] | None = None,
        customer_session_ids: Sequence[str] | None = None,
        transaction_uuids: Sequence[str] | None = None,
        page_size: int | None = None,
        skip: int | None = None,
        sort: str | None = None,
        **options: Unpack[CallOptions],
    ) -> GetLoyaltyCardPoints200Response:
        """One page of the unused points of loyalty card ``loyalty_card_id``; filters as
        in :meth:`get_profile_points`. :meth:`iter_card_points` walks every page."""
        filters = _points_filters(
            status, subledger_id, customer_session_ids, transaction_uuids, sort
        )
        return await self._transport.send(
            _card_points(loyalty_program_id, loyalty_card_id, _page(filters, page_size, skip)),
            options,
        )

    def iter_card_points(
        self: HasTransport,
        loyalty_program_id: int,
        loyalty_card_id: str,
        *,
        status: str | None = None,
        subledger_id: Sequence[str] | None = None,
        customer_session_ids: Sequence[str] | None = None,
        transaction_uuids: Sequence[str] | None = None,
        sort: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
        **options: Unpack[CallOptions],
    ) -> Pager[CardLedgerPointsEntryIntegrationAPI]:
        """Every unused point entry of loyalty card ``loyalty_card_id`` (at most
        ``limit``), fetched ``page_size`` at a time."""
        filters = _points_filters(
            status, subledger_id, customer_session_ids, transaction_uuids, sort
        )
        operation = _card_points(loyalty_program_id, loyalty_card_id, filters)
        fetch = _pages(self._transport, operation, page_size, options)
        return Pager(fetch, page_size=page_size, limit=limit)

    async def get_profile_transactions(
        self: HasTransport,
        loyalty_program_id: int,
        integration_id: str,
        *,
        customer_session_ids: Sequence[str] | None = None,
        transaction_uuids: Sequence[str] | None = None,
        subledger_id: str | None = None,
        loyalty_transaction_type: str | None = None,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        page_size: int | None = None,
        skip: int | None = None,
        awaits_activation: bool | None = None,
        **options: Unpack[CallOptions],
    ) -> GetLoyaltyProgramProfileTransactions200Response:
        """One page of the loyalty transactions of customer ``integration_id``.

        ``loyalty_transaction_type`` is ``manual``, ``session`` or ``import``;
        ``start_date``/``end_date`` bound the creation time; ``awaits_activation`` keeps
        only the transactions whose points do (True) or do not (False) wait for an
        activation. ``page_size`` is 1 to 1000 (default 50).
        :meth:`iter_profile_transactions` walks every page.
        """
        filters = _transactions_filters(
            Query().string("subledgerId", subledger_id),
            customer_session_ids,
            transaction_uuids,
            loyalty_transaction_type,
            start_date,
            end_date,
            awaits_activation,
        )
        return await self._transport.send(
            _profile_transactions(
                loyalty_program_id, integration_id, _page(filters, page_size, skip)
            ),
            options,
        )

    def iter_profile_transactions(
        self: HasTransport,
        loyalty_program_id: int,
        integration_id: str,
        *,
        customer_session_ids: Sequence[str] | None = None,
        transaction_uuids: Sequence[str] | None = None,
        subledger_id: str | None = None,
        loyalty_transaction_type: str | None = None,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        awaits_activation: bool | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
        **options: Unpack[CallOptions],
    ) -> Pager[LedgerTransactionLogEntryIntegrationAPI]:
        """Every loyalty transaction of customer ``integration_id`` (at most ``limit``),
        fetched ``page_size`` at a time. Filters as in
        :meth:`get_profile_transactions`."""
        filters = _transactions_filters(
            Query().string("subledgerId", subledger_id),
            customer_session_ids,
            transaction_uuids,
            loyalty_transaction_type,
            start_date,
            end_date,
            awaits_activation,
        )
        operation = _profile_transactions(loyalty_program_id, integration_id, filters)
        fetch = _pages(self._transport, operation, page_size, options)
        return Pager(fetch, page_size=page_size, limit=limit)

    async def get_card_transactions(
        self: HasTransport,
        loyalty_program_id: int,
        loyalty_card_id: str,
        *,
        subledger_id: Sequence[str] | None = None,
        loyalty_transaction_type: str | None = None,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        customer_session_ids: Sequence[str] | None = None,
        transaction_uuids: Sequence[str] | None = None,
        page_size: int | None = None,
        skip: int | None = None,
        awaits_activation: bool | None = None,
        **options: Unpack[CallOptions],
    ) -> GetLoyaltyCardTransactions200Response:
        """One page of the transactions of loyalty card ``loyalty_card_id``; filters as in
        :meth:`get_profile_transactions`, except that ``subledger_id`` is a list here.
        :meth:`iter_card_transactions` walks every page."""
        filters = _transactions_filters(
            Query().strings("subledgerId", subledger_id),
            customer_session_ids,
            transaction_uuids,
            loyalty_transaction_type,
            start_date,
            end_date,
            awaits_activation,
        )
        return await self._transport.send(
            _card_transactions(
                loyalty_program_id, loyalty_card_id, _page(filters, page_size, skip)
            ),
            options,
        )

    def iter_card_transactions(
        self: HasTransport,
        loyalty_program_id: int,
        loyalty_card_id: str,
        *,
        subledger_id: Sequence[str] | None = None,
        loyalty_transaction_type: str | None = None,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        customer_session_ids: Sequence[str] | None = None,
        transaction_uuids: Sequence[str] | None = None,
        awaits_activation: bool | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
        **options: Unpack[CallOptions],
    ) -> Pager[CardLedgerTransactionLogEntryIntegrationAPI]:
        """Every transaction of loyalty card ``loyalty_card_id`` (at most ``limit``),
        fetched ``page_size`` at a time."""
        filters = _transactions_filters(
            Query().strings("subledgerId", subledger_id),
            customer_session_ids,
            transaction_uuids,
            loyalty_transaction_type,
            start_date,
            end_date,
            awaits_activation,
        )
        operation = _card_transactions(loyalty_program_id, loyalty_card_id, filters)
        fetch = _pages(self._transport, operation, page_size, options)
        return Pager(fetch, page_size=page_size, limit=limit)

    async def delete_transactions(
        self: HasTransport,
        loyalty_program_id: int,
        integration_id: str,
        body: DeleteLoyaltyTransactionsRequest,
        **options: Unpack[CallOptions],
    ) -> None:
        """Delete the transactions of customer ``integration_id`` from every ledger of
        the program, or from the sub-ledgers ``body`` names."""
        await self._transport.send(
            Operation(
                "POST",
                _PROFILE + "/delete_transactions",
                NoneType,
                DEFAULT_AUTH,
                path_params=_profile(loyalty_program_id, integration_id),
                body=body,
                body_type=DeleteLoyaltyTransactionsRequest,
            ),
            options,
        )

    async def activate_points(
        self: HasTransport,
        loyalty_program_id: int,
        body: ActivateLoyaltyPoints,
        **options: Unpack[CallOptions],
    ) -> ActivateLoyaltyPointsResponse:
        """Activate pending points, chosen by transaction UUID or by session; returns the
        ledger entries as they are afterwards."""
        return await self._transport.send(
            Operation(
                "POST",
                _PROGRAM + "/activate_points",
                ActivateLoyaltyPointsResponse,
                DEFAULT_AUTH,
                path_params=_program(loyalty_program_id),
                body=body,
                body_type=ActivateLoyaltyPoints,
            ),
            options,
        )

    async def generate_card(
        self: HasTransport,
        loyalty_program_id: int,
        body: GenerateLoyaltyCard,
        **options: Unpack[CallOptions],
    ) -> LoyaltyCard:
        """Create a card in a card-based program, optionally linked to customer profiles
        (no more than the program's limit of profiles per card)."""
        return await self._transport.send(
            Operation(
                "POST",
                _PROGRAM + "/cards",
                LoyaltyCard,
                DEFAULT_AUTH,
                path_params=_program(loyalty_program_id),
                body=body,
                body_type=GenerateLoyaltyCard,
            ),
            options,
        )

    async def link_card(
        self: HasTransport,
        loyalty_program_id: int,
        loyalty_card_id: str,
        body: LoyaltyCardRegistration,
        **options: Unpack[CallOptions],
    ) -> LoyaltyCard:
        """Link loyalty card ``loyalty_card_id`` to a customer profile; returns the card."""
        return await self._transport.send(
            Operation(
                "POST",
                _CARD_V2 + "/link_profile",
                LoyaltyCard,
                DEFAULT_AUTH,
                path_params=_card(loyalty_program_id, loyalty_card_id),
                body=body,
                body_type=LoyaltyCardRegistration,
            ),
            options,
        )

    async def unlink_card(
        self: HasTransport,
        loyalty_program_id: int,
        loyalty_card_id: str,
        body: LoyaltyCardRegistration,
        **options: Unpack[CallOptions],
    ) -> LoyaltyCard:
        """Unlink loyalty card ``loyalty_card_id`` from a customer profile; returns the
        card."""
        return await self._transport.send(
            Operation(
                "POST",
                _CARD_V2 + "/unlink_profile",
                LoyaltyCard,
                DEFAULT_AUTH,
                path_params=_card(loyalty_program_id, loyalty_card_id),
                body=body,
                body_type=LoyaltyCardRegistration,
            ),
            options,
        )
