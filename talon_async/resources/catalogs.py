"""Cart item catalogs: sync their items, and look up best prior prices."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import operations as op
from ._base import Resource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .._operation import CallOptions
    from ..models import BestPriorPrice, BestPriorPriceRequest, Catalog, CatalogSyncRequest


class CatalogsResource(Resource):
    """``client.catalogs``."""

    __slots__ = ()

    async def sync(
        self,
        catalog_id: int,
        catalog_sync_request: CatalogSyncRequest,
        **options: Unpack[CallOptions],
    ) -> Catalog:
        """Apply a list of actions (add, patch, remove items, ...) to the catalog
        ``catalog_id`` in one request.

        Build each action from its payload model with ``CatalogAction.of``. The API takes
        1 to 1000 actions per sync, applied together, so a longer list is refused rather
        than split: other counts, and an action whose ``type`` does not match its payload
        model, raise ``ValueError`` before anything is sent.
        """
        return await self._send(op.SYNC_CATALOG, options, catalog_id, catalog_sync_request)

    async def best_prior_price(
        self,
        best_prior_price_request: BestPriorPriceRequest,
        **options: Unpack[CallOptions],
    ) -> list[BestPriorPrice]:
        """The lowest price each SKU had in the period the request describes, from the
        price history (an experimental operation of the API). A lookup, so it is retried
        like a GET although the API takes it as a POST."""
        return await self._send(op.BEST_PRIOR_PRICE, options, best_prior_price_request)
