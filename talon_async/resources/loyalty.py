"""Loyalty programs: balances, unused points and transaction history of customer profiles
and loyalty cards; activating and deleting points; generating, linking and unlinking cards.

The four lists come one page at a time (``get_*``) or as one iterator over every item
(``iter_*``, a :class:`~talon_async._pagination.Pager`, 50 items per request unless
``page_size`` says otherwise).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from .. import operations as op
from ._base import Resource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .._operation import CallOptions
    from .._pagination import Pager
    from ..models import (
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
        LoyaltyCard,
        LoyaltyCardBalances,
        LoyaltyCardRegistration,
    )


class LoyaltyResource(Resource):
    """``client.loyalty``.

    Dates are timezone-aware datetimes; filters that take several values (sub-ledgers of
    cards and points, session IDs, transaction UUIDs) take a list, sent as the parameter
    repeated once per value. A filter left at None is not sent.
    """

    __slots__ = ()

    async def get_balances(
        self,
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
        return await self._send(
            op.GET_LOYALTY_BALANCES,
            options,
            loyalty_program_id,
            integration_id,
            end_date=end_date,
            subledger_id=subledger_id,
            include_tiers=include_tiers,
            include_projected_tier=include_projected_tier,
        )

    async def get_card_balances(
        self,
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
        return await self._send(
            op.GET_LOYALTY_CARD_BALANCES,
            options,
            loyalty_program_id,
            loyalty_card_id,
            end_date=end_date,
            subledger_id=subledger_id,
        )

    async def get_profile_points(
        self,
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
        return await self._send(
            op.GET_LOYALTY_PROGRAM_PROFILE_POINTS,
            options,
            loyalty_program_id,
            integration_id,
            status=status,
            subledger_id=subledger_id,
            customer_session_ids=customer_session_ids,
            transaction_uuids=transaction_uuids,
            page_size=page_size,
            skip=skip,
            sort=sort,
        )

    def iter_profile_points(
        self,
        loyalty_program_id: int,
        integration_id: str,
        *,
        status: str | None = None,
        subledger_id: Sequence[str] | None = None,
        customer_session_ids: Sequence[str] | None = None,
        transaction_uuids: Sequence[str] | None = None,
        sort: str | None = None,
        page_size: int | None = None,
        limit: int | None = None,
        **options: Unpack[CallOptions],
    ) -> Pager[LedgerPointsEntryIntegrationAPI]:
        """Every unused point entry of customer ``integration_id`` (at most ``limit``),
        fetched ``page_size`` at a time: ``async for entry in ...``. Filters as in
        :meth:`get_profile_points`."""
        return self._pager(
            op.GET_LOYALTY_PROGRAM_PROFILE_POINTS,
            options,
            page_size,
            limit,
            loyalty_program_id,
            integration_id,
            status=status,
            subledger_id=subledger_id,
            customer_session_ids=customer_session_ids,
            transaction_uuids=transaction_uuids,
            sort=sort,
        )

    async def get_card_points(
        self,
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
        return await self._send(
            op.GET_LOYALTY_CARD_POINTS,
            options,
            loyalty_program_id,
            loyalty_card_id,
            status=status,
            subledger_id=subledger_id,
            customer_session_ids=customer_session_ids,
            transaction_uuids=transaction_uuids,
            page_size=page_size,
            skip=skip,
            sort=sort,
        )

    def iter_card_points(
        self,
        loyalty_program_id: int,
        loyalty_card_id: str,
        *,
        status: str | None = None,
        subledger_id: Sequence[str] | None = None,
        customer_session_ids: Sequence[str] | None = None,
        transaction_uuids: Sequence[str] | None = None,
        sort: str | None = None,
        page_size: int | None = None,
        limit: int | None = None,
        **options: Unpack[CallOptions],
    ) -> Pager[CardLedgerPointsEntryIntegrationAPI]:
        """Every unused point entry of loyalty card ``loyalty_card_id`` (at most
        ``limit``), fetched ``page_size`` at a time."""
        return self._pager(
            op.GET_LOYALTY_CARD_POINTS,
            options,
            page_size,
            limit,
            loyalty_program_id,
            loyalty_card_id,
            status=status,
            subledger_id=subledger_id,
            customer_session_ids=customer_session_ids,
            transaction_uuids=transaction_uuids,
            sort=sort,
        )

    async def get_profile_transactions(
        self,
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
        return await self._send(
            op.GET_LOYALTY_PROGRAM_PROFILE_TRANSACTIONS,
            options,
            loyalty_program_id,
            integration_id,
            customer_session_ids=customer_session_ids,
            transaction_uuids=transaction_uuids,
            subledger_id=subledger_id,
            loyalty_transaction_type=loyalty_transaction_type,
            start_date=start_date,
            end_date=end_date,
            page_size=page_size,
            skip=skip,
            awaits_activation=awaits_activation,
        )

    def iter_profile_transactions(
        self,
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
        page_size: int | None = None,
        limit: int | None = None,
        **options: Unpack[CallOptions],
    ) -> Pager[LedgerTransactionLogEntryIntegrationAPI]:
        """Every loyalty transaction of customer ``integration_id`` (at most ``limit``),
        fetched ``page_size`` at a time. Filters as in
        :meth:`get_profile_transactions`."""
        return self._pager(
            op.GET_LOYALTY_PROGRAM_PROFILE_TRANSACTIONS,
            options,
            page_size,
            limit,
            loyalty_program_id,
            integration_id,
            customer_session_ids=customer_session_ids,
            transaction_uuids=transaction_uuids,
            subledger_id=subledger_id,
            loyalty_transaction_type=loyalty_transaction_type,
            start_date=start_date,
            end_date=end_date,
            awaits_activation=awaits_activation,
        )

    async def get_card_transactions(
        self,
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
        return await self._send(
            op.GET_LOYALTY_CARD_TRANSACTIONS,
            options,
            loyalty_program_id,
            loyalty_card_id,
            subledger_id=subledger_id,
            loyalty_transaction_type=loyalty_transaction_type,
            start_date=start_date,
            end_date=end_date,
            customer_session_ids=customer_session_ids,
            transaction_uuids=transaction_uuids,
            page_size=page_size,
            skip=skip,
            awaits_activation=awaits_activation,
        )

    def iter_card_transactions(
        self,
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
        page_size: int | None = None,
        limit: int | None = None,
        **options: Unpack[CallOptions],
    ) -> Pager[CardLedgerTransactionLogEntryIntegrationAPI]:
        """Every transaction of loyalty card ``loyalty_card_id`` (at most ``limit``),
        fetched ``page_size`` at a time."""
        return self._pager(
            op.GET_LOYALTY_CARD_TRANSACTIONS,
            options,
            page_size,
            limit,
            loyalty_program_id,
            loyalty_card_id,
            subledger_id=subledger_id,
            loyalty_transaction_type=loyalty_transaction_type,
            start_date=start_date,
            end_date=end_date,
            customer_session_ids=customer_session_ids,
            transaction_uuids=transaction_uuids,
            awaits_activation=awaits_activation,
        )

    async def delete_transactions(
        self,
        loyalty_program_id: int,
        integration_id: str,
        body: DeleteLoyaltyTransactionsRequest,
        **options: Unpack[CallOptions],
    ) -> None:
        """Delete the transactions of customer ``integration_id`` from every ledger of
        the program, or from the sub-ledgers ``body`` names."""
        await self._send(
            op.DELETE_LOYALTY_TRANSACTIONS_FROM_LEDGERS,
            options,
            loyalty_program_id,
            integration_id,
            body,
        )

    async def activate_points(
        self,
        loyalty_program_id: int,
        body: ActivateLoyaltyPoints,
        **options: Unpack[CallOptions],
    ) -> ActivateLoyaltyPointsResponse:
        """Activate pending points, chosen by transaction UUID or by session; returns the
        ledger entries as they are afterwards."""
        return await self._send(op.ACTIVATE_LOYALTY_POINTS, options, loyalty_program_id, body)

    async def generate_card(
        self,
        loyalty_program_id: int,
        body: GenerateLoyaltyCard,
        **options: Unpack[CallOptions],
    ) -> LoyaltyCard:
        """Create a card in a card-based program, optionally linked to customer profiles
        (no more than the program's limit of profiles per card)."""
        return await self._send(op.GENERATE_LOYALTY_CARD, options, loyalty_program_id, body)

    async def link_card(
        self,
        loyalty_program_id: int,
        loyalty_card_id: str,
        body: LoyaltyCardRegistration,
        **options: Unpack[CallOptions],
    ) -> LoyaltyCard:
        """Link loyalty card ``loyalty_card_id`` to a customer profile; returns the card."""
        return await self._send(
            op.LINK_LOYALTY_CARD_TO_PROFILE, options, loyalty_program_id, loyalty_card_id, body
        )

    async def unlink_card(
        self,
        loyalty_program_id: int,
        loyalty_card_id: str,
        body: LoyaltyCardRegistration,
        **options: Unpack[CallOptions],
    ) -> LoyaltyCard:
        """Unlink loyalty card ``loyalty_card_id`` from a customer profile; returns the
        card."""
        return await self._send(
            op.UNLINK_LOYALTY_CARD_FROM_PROFILE, options, loyalty_program_id, loyalty_card_id, body
        )
