"""Campaigns: the Application's enabled campaigns, for customer-facing apps."""

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
    from ..models import IntegrationCampaign, IntegrationGetAllCampaigns200Response


class CampaignsResource(Resource):
    """``client.campaigns``."""

    __slots__ = ()

    async def get_all(
        self,
        *,
        page_size: int | None = None,
        skip: int | None = None,
        campaign_ids: Sequence[int] | None = None,
        start_after: datetime | None = None,
        start_before: datetime | None = None,
        end_after: datetime | None = None,
        end_before: datetime | None = None,
        **options: Unpack[CallOptions],
    ) -> IntegrationGetAllCampaigns200Response:
        """One page of the Application's enabled campaigns (all of them, or those in
        ``campaign_ids``), optionally only those starting or ending on or after / on or
        before the given moments. See :meth:`iter_all` for every page."""
        return await self._send(
            op.INTEGRATION_GET_ALL_CAMPAIGNS,
            options,
            page_size=page_size,
            skip=skip,
            campaign_ids=campaign_ids,
            start_after=start_after,
            start_before=start_before,
            end_after=end_after,
            end_before=end_before,
        )

    def iter_all(
        self,
        *,
        page_size: int | None = None,
        limit: int | None = None,
        campaign_ids: Sequence[int] | None = None,
        start_after: datetime | None = None,
        start_before: datetime | None = None,
        end_after: datetime | None = None,
        end_before: datetime | None = None,
        **options: Unpack[CallOptions],
    ) -> Pager[IntegrationCampaign]:
        """``async for campaign in client.campaigns.iter_all(...)``: every campaign
        :meth:`get_all` lists, ``page_size`` (default 50) per request, at most ``limit``
        of them."""
        return self._pager(
            op.INTEGRATION_GET_ALL_CAMPAIGNS,
            options,
            page_size,
            limit,
            campaign_ids=campaign_ids,
            start_after=start_after,
            start_before=start_before,
            end_after=end_after,
            end_before=end_before,
        )
