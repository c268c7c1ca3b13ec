"""Cart item catalogs: the actions of a catalog sync, the catalog, and best prior prices.

A catalog sync is a list of actions, each ``{"type": "ADD", "payload": {...}}`` on the
wire. Every action type has its own payload model; build an action from one with
:meth:`CatalogAction.of`, which writes the matching ``type``::

    CatalogSyncRequest(actions=[
        CatalogAction.of(AddItemCatalogAction(sku="SKU1", price=9.5)),
        CatalogAction.of(RemoveItemCatalogAction(sku="SKU2")),
    ])

A decoded action's payload is the model its ``type`` names
(``CATALOG_ACTION_PAYLOAD_TYPES``); a type this version does not know keeps the payload
as the received JSON object. Encoding refuses a payload model that does not go with
the action's ``type``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeAlias

from attrs import field

from ._base import Model, define, kind_of, wire
from .audiences import AudienceReference
from .sessions import Product

__all__ = [
    "CATALOG_ACTION_PAYLOAD_TYPES",
    "AddItemCatalogAction",
    "AddPriceAdjustmentCatalogAction",
    "AdjustmentDetails",
    "BestPriorPrice",
    "BestPriorPriceMetadata",
    "BestPriorPriceRequest",
    "BestPriorTarget",
    "Catalog",
    "CatalogAction",
    "CatalogActionFilter",
    "CatalogActionPayload",
    "CatalogSyncRequest",
    "InfluencingCampaignDetails",
    "LabelTargetAudience",
    "LabelTargetNone",
    "NewPriceAdjustment",
    "PatchItemCatalogAction",
    "PatchManyItemsCatalogAction",
    "RemoveItemCatalogAction",
    "RemoveManyItemsCatalogAction",
]


@define(kw_only=True)
class CatalogActionFilter(Model):
    """One condition on an item attribute (``op`` is ``EQ``, ``LT``, ``LE``, ``GT``,
    ``GE`` or ``IN``) selecting the items an action applies to."""

    attr: str
    op: str
    value: Any


@define(kw_only=True)
class AddItemCatalogAction(Model):
    """Payload of ``ADD``: a new item; with ``replace_if_exists=True`` an existing item of
    the same SKU is replaced instead of the action failing."""

    sku: str
    price: float | None = None
    attributes: dict[str, Any] | None = None
    product: Product | None = None
    replace_if_exists: bool | None = None


@define(kw_only=True)
class PatchItemCatalogAction(Model):
    """Payload of ``PATCH``: changes to one item; with ``create_if_not_exists=True`` a
    missing item is created."""

    sku: str
    price: float | None = None
    attributes: dict[str, Any] | None = None
    product: Product | None = None
    create_if_not_exists: bool | None = None


@define(kw_only=True)
class PatchManyItemsCatalogAction(Model):
    """Payload of ``PATCH_MANY``: changes to every item matching all ``filters`` (every
    item of the catalog when there are none)."""

    price: float | None = None
    filters: list[CatalogActionFilter] | None = None
    attributes: dict[str, Any] | None = None


@define(kw_only=True)
class RemoveItemCatalogAction(Model):
    """Payload of ``REMOVE``: the item to delete."""

    sku: str


@define(kw_only=True)
class RemoveManyItemsCatalogAction(Model):
    """Payload of ``REMOVE_MANY``: deletes every item matching all ``filters`` (every item
    of the catalog when there are none)."""

    filters: list[CatalogActionFilter] | None = None


@define(kw_only=True)
class NewPriceAdjustment(Model):
    """A price of one price type for an item, optionally for a period.

    To end a price type for the item, the API takes ``"price": null``; a field left None
    is not sent, so pass ``extra_fields={"price": None}`` for that.
    """

    price_type: str
    reference_id: str
    price: float | None = None
    calculated_at: datetime | None = None
    effective_from: datetime | None = None
    effective_until: datetime | None = None
    context_id: str | None = None


@define(kw_only=True)
class AddPriceAdjustmentCatalogAction(Model):
    """Payload of ``ADD_PRICE_ADJUSTMENT`` (a beta feature of the API): prices of other
    price types for one item."""

    sku: str
    adjustments: list[NewPriceAdjustment]


CatalogActionPayload: TypeAlias = (
    AddItemCatalogAction
    | AddPriceAdjustmentCatalogAction
    | PatchItemCatalogAction
    | PatchManyItemsCatalogAction
    | RemoveItemCatalogAction
    | RemoveManyItemsCatalogAction
)
"""The payload model of a catalog sync action."""

CATALOG_ACTION_PAYLOAD_TYPES: dict[str, type[CatalogActionPayload]] = {
    "ADD": AddItemCatalogAction,
    "ADD_PRICE_ADJUSTMENT": AddPriceAdjustmentCatalogAction,
    "PATCH": PatchItemCatalogAction,
    "PATCH_MANY": PatchManyItemsCatalogAction,
    "REMOVE": RemoveItemCatalogAction,
    "REMOVE_MANY": RemoveManyItemsCatalogAction,
}
"""The payload model of each action type."""

_ACTION_TYPE_OF = {
    model: action_type for action_type, model in CATALOG_ACTION_PAYLOAD_TYPES.items()
}


@define(kw_only=True)
class CatalogAction(Model):
    """One action of a catalog sync: its ``type`` and the payload of that type."""

    type: str
    payload: CatalogActionPayload | dict[str, Any] = field(
        metadata=kind_of("type", CATALOG_ACTION_PAYLOAD_TYPES)
    )

    @classmethod
    def of(cls, payload: CatalogActionPayload) -> CatalogAction:
        """The action carrying ``payload``, with the ``type`` its payload model stands for."""
        action_type = _ACTION_TYPE_OF.get(type(payload))
        if action_type is None:
            models = ", ".join(model.__name__ for model in _ACTION_TYPE_OF)
            raise TypeError(f"payload must be one of {models}; got {type(payload).__name__}")
        return cls(type=action_type, payload=payload)


@define(kw_only=True)
class CatalogSyncRequest(Model):
    """Body of the catalog sync: the actions (1 to 1000) applied in one request, and
    optionally the catalog version they are meant for."""

    actions: list[CatalogAction]
    version: int | None = None


@define(kw_only=True)
class Catalog(Model):
    """A cart item catalog, as the API answers a sync."""

    id: int
    created: datetime
    account_id: int
    modified: datetime
    name: str
    description: str
    version: int
    created_by: int
    subscribed_applications_ids: list[int] | None = None


@define(kw_only=True)
class BestPriorTarget(Model):
    """Whose prices count for the best prior price: ``NONE`` (everyone's) or
    ``AUDIENCE`` (the prices of the audience ``audience_id``)."""

    target_type: str
    audience_id: int | None = field(default=None, metadata=wire("audienceID"))


@define(kw_only=True)
class BestPriorPriceRequest(Model):
    """Body of the best prior price lookup: the SKUs, and the period (``timeframe`` days
    up to ``timeframe_end_date``) whose prices are considered.

    ``timeframe_end_date_type`` says where the period ends: ``strict`` (at the end
    date), ``price`` (where the current price began) or ``sale`` (where the current
    context began).
    """

    skus: list[str]
    timeframe_end_date: datetime
    timeframe: str
    timeframe_end_date_type: str
    target: BestPriorTarget | None = None


@define(kw_only=True)
class InfluencingCampaignDetails(Model):
    """A campaign that lowered an observed price, and by how much."""

    campaign_id: int
    discount_value: float


@define(kw_only=True)
class AdjustmentDetails(Model):
    """The price adjustment behind an observed price."""

    reference_id: str
    selected_price_type: str
    value: float


@define(kw_only=True)
class BestPriorPriceMetadata(Model):
    """What shaped an observed price: campaigns and a price adjustment."""

    influencing_campaign_details: list[InfluencingCampaignDetails]
    adjustment_details: AdjustmentDetails | None = None


@define(kw_only=True)
class LabelTargetNone(Model):
    """A price observed for no particular group (``type`` is ``NONE``)."""

    type: str


@define(kw_only=True)
class LabelTargetAudience(Model):
    """A price observed for the members of an audience (``type`` is ``AUDIENCE``)."""

    type: str
    audience: AudienceReference


_TARGET_TYPES: dict[str, type[Model]] = {
    "NONE": LabelTargetNone,
    "AUDIENCE": LabelTargetAudience,
}


@define(kw_only=True)
class BestPriorPrice(Model):
    """The lowest price of one SKU in the period asked for, and when it was observed."""

    id: int
    sku: str
    observed_at: datetime
    context_ids: list[str]
    price: float
    metadata: BestPriorPriceMetadata
    target: LabelTargetAudience | LabelTargetNone | dict[str, Any] = field(
        metadata=kind_of("type", _TARGET_TYPES, inside=True)
    )
    """The target its ``type`` names; a target of a type this version does not know is
    the received JSON object."""
    context_id: str | None = None
    """Deprecated by the API in favour of ``context_ids``."""
