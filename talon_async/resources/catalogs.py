"""Cart item catalogs: sync their items, and look up best prior prices."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._operation import CallOptions, Operation
from ..models.catalogs import (
    BestPriorPrice,
    BestPriorPriceRequest,
    Catalog,
    CatalogSyncRequest,
)
from ._base import DEFAULT_AUTH, HasTransport, Resource, path_id

if TYPE_CHECKING:
    from typing_extensions import Unpack

MAX_ACTIONS_PER_SYNC = 1000
"""The API's limit on actions in one catalog sync."""


def _check_actions(request: CatalogSyncRequest) -> None:
    if not isinstance(request, CatalogSyncRequest):
        return  # the transport refuses any other body with a TypeError
    # The actions of one sync are applied together (and against one catalog version), so
    # a longer list cannot be split up here like a bulk profile update: it is refused.
    if not 1 <= len(request.actions) <= MAX_ACTIONS_PER_SYNC:
        raise ValueError(
            f"a catalog sync takes 1 to {MAX_ACTIONS_PER_SYNC} actions, got {len(request.actions)}"
        )


class CatalogsResource(Resource):
    """``client.catalogs``."""

    __slots__ = ()

    async def sync(
        self: HasTransport,
        catalog_id: int,
        catalog_sync_request: CatalogSyncRequest,
        **options: Unpack[CallOptions],
    ) -> Catalog:
        """Apply a list of actions (add, patch, remove items, ...) to the catalog
        ``catalog_id`` in one request.

        Build each action from its payload model with ``CatalogAction.of``. The API takes
        1 to 1000 actions per sync; other counts, and an action whose ``type`` does not
        match its payload model, raise ``ValueError`` before anything is sent.
        """
        _check_actions(catalog_sync_request)
        return await self._transport.send(
            Operation(
                "PUT",
                "/v1/catalogs/{catalogId}/sync",
                Catalog,
                DEFAULT_AUTH,
                path_params={"catalogId": path_id("catalogId", catalog_id)},
                body=catalog_sync_request,
                body_type=CatalogSyncRequest,
            ),
            options,
        )

    async def best_prior_price(
        self: HasTransport,
        best_prior_price_request: BestPriorPriceRequest,
        **options: Unpack[CallOptions],
    ) -> list[BestPriorPrice]:
        """The lowest price each SKU had in the period the request describes, from the
        price history (an experimental operation of the API)."""
        return await self._transport.send(
            Operation(
                "POST",
                "/v1/best_prior_price",
                list[BestPriorPrice],
                DEFAULT_AUTH,
                body=best_prior_price_request,
                body_type=BestPriorPriceRequest,
            ),
            options,
        )
