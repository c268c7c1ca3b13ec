"""Campaigns: the Application's enabled campaigns, for customer-facing apps."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from .._operation import CallOptions, Operation
from .._pagination import Pager
from ..models.campaigns import IntegrationCampaign, IntegrationGetAllCampaigns200Response
from ._base import DEFAULT_AUTH, HasTransport, Query, Resource

if TYPE_CHECKING:
    from typing_extensions import Unpack

DEFAULT_PAGE_SIZE = 50
"""The API's page size of the campaign list when none is given."""
MAX_PAGE_SIZE = 1000


class CampaignsResource(Resource):
    """``client.campaigns``."""

    __slots__ = ()

    async def get_all(
        self: HasTransport,
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
        return await self._transport.send(
            Operation(
                "GET",
                "/v1/integration/campaigns",
                IntegrationGetAllCampaigns200Response,
                DEFAULT_AUTH,
                query=Query()
                .integer("pageSize", page_size, minimum=1, maximum=MAX_PAGE_SIZE)
                .integer("skip", skip, minimum=0)
                .strings("campaignIds", campaign_ids, explode=False)
                .moment("startAfter", start_after)
                .moment("startBefore", start_before)
                .moment("endAfter", end_after)
                .moment("endBefore", end_before),
            ),
            options,
        )

    def iter_all(
        self: HasTransport,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
        campaign_ids: Sequence[int] | None = None,
        start_after: datetime | None = None,
        start_before: datetime | None = None,
        end_after: datetime | None = None,
        end_before: datetime | None = None,
        **options: Unpack[CallOptions],
    ) -> Pager[IntegrationCampaign]:
        """``async for campaign in client.campaigns.iter_all(...)``: every campaign
        :meth:`get_all` lists, ``page_size`` per request, at most ``limit`` of them."""
        return Pager(
            lambda skip, size: CampaignsResource.get_all(
                self,
                page_size=size,
                skip=skip,
                campaign_ids=campaign_ids,
                start_after=start_after,
                start_before=start_before,
                end_after=end_after,
                end_before=end_before,
                **options,
            ),
            page_size=page_size,
            limit=limit,
        )
