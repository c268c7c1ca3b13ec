"""Achievements of a customer profile: their status and the customer's progress."""

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
        AchievementProgress,
        AchievementStatusEntry,
        GetCustomerAchievementHistory200Response,
        GetCustomerAchievements200Response,
    )


class AchievementsResource(Resource):
    """``client.achievements``."""

    __slots__ = ()

    async def get_for_customer(
        self,
        integration_id: str,
        *,
        campaign_ids: Sequence[int] | None = None,
        achievement_ids: Sequence[int] | None = None,
        achievement_status: Sequence[str] | None = None,
        current_progress_status: Sequence[str] | None = None,
        page_size: int | None = None,
        skip: int | None = None,
        **options: Unpack[CallOptions],
    ) -> GetCustomerAchievements200Response:
        """One page of the achievements of the customer profile ``integration_id``, with
        the customer's progress in each. See :meth:`iter_for_customer` for every page.

        Without filters the API lists the active achievements of every campaign.
        ``achievement_status`` takes ``"active"`` and ``"scheduled"``;
        ``current_progress_status`` takes ``"inprogress"``, ``"completed"`` and
        ``"not_started"``.
        """
        return await self._send(
            op.GET_CUSTOMER_ACHIEVEMENTS,
            options,
            integration_id,
            campaign_ids=campaign_ids,
            achievement_ids=achievement_ids,
            achievement_status=achievement_status,
            current_progress_status=current_progress_status,
            page_size=page_size,
            skip=skip,
        )

    def iter_for_customer(
        self,
        integration_id: str,
        *,
        campaign_ids: Sequence[int] | None = None,
        achievement_ids: Sequence[int] | None = None,
        achievement_status: Sequence[str] | None = None,
        current_progress_status: Sequence[str] | None = None,
        page_size: int | None = None,
        limit: int | None = None,
        **options: Unpack[CallOptions],
    ) -> Pager[AchievementStatusEntry]:
        """``async for entry in client.achievements.iter_for_customer(...)``: every
        achievement :meth:`get_for_customer` lists, ``page_size`` (default 1000) per
        request, at most ``limit`` of them."""
        return self._pager(
            op.GET_CUSTOMER_ACHIEVEMENTS,
            options,
            page_size,
            limit,
            integration_id,
            campaign_ids=campaign_ids,
            achievement_ids=achievement_ids,
            achievement_status=achievement_status,
            current_progress_status=current_progress_status,
        )

    async def get_history(
        self,
        integration_id: str,
        achievement_id: int,
        *,
        progress_status: Sequence[str] | None = None,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        page_size: int | None = None,
        skip: int | None = None,
        **options: Unpack[CallOptions],
    ) -> GetCustomerAchievementHistory200Response:
        """One page of the progress records of the customer profile ``integration_id`` in
        the achievement ``achievement_id``. See :meth:`iter_history` for every page.

        ``progress_status`` takes ``"inprogress"``, ``"completed"`` and ``"expired"``;
        ``start_date`` and ``end_date`` keep the records created in that range.
        """
        return await self._send(
            op.GET_CUSTOMER_ACHIEVEMENT_HISTORY,
            options,
            integration_id,
            achievement_id,
            progress_status=progress_status,
            start_date=start_date,
            end_date=end_date,
            page_size=page_size,
            skip=skip,
        )

    def iter_history(
        self,
        integration_id: str,
        achievement_id: int,
        *,
        progress_status: Sequence[str] | None = None,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        page_size: int | None = None,
        limit: int | None = None,
        **options: Unpack[CallOptions],
    ) -> Pager[AchievementProgress]:
        """``async for record in client.achievements.iter_history(...)``: every record
        :meth:`get_history` lists, ``page_size`` (default 1000) per request, at most
        ``limit`` of them."""
        return self._pager(
            op.GET_CUSTOMER_ACHIEVEMENT_HISTORY,
            options,
            page_size,
            limit,
            integration_id,
            achievement_id,
            progress_status=progress_status,
            start_date=start_date,
            end_date=end_date,
        )
