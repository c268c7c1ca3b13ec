"""Customer sessions: carts, the session update request and the stored session."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from attrs import field

from ._base import Model, define, wire

__all__ = [
    "AdditionalCost",
    "CartItem",
    "CustomerSession",
    "CustomerSessionV2",
    "ExperimentVariantAllocation",
    "IntegrationRequest",
    "NewCustomerSession",
    "NewCustomerSessionV2",
    "NewReturn",
    "PriceDetail",
    "Product",
    "Return",
    "ReturnIntegrationRequest",
    "ReturnedCartItem",
]


@define(kw_only=True)
class Product(Model):
    """The product a cart item is a variant of."""

    name: str


@define(kw_only=True)
class AdditionalCost(Model):
    """An extra charge, such as shipping, on a session or a cart item."""

    price: float


@define(kw_only=True)
class PriceDetail(Model):
    """The price of a cart item for one price type, with the adjustment behind it."""

    price: float | None = None
    adjustment_context_id: str | None = None
    adjustment_reference_id: UUID | None = None
    adjustment_effective_from: datetime | None = None
    adjustment_effective_until: datetime | None = None


@define(kw_only=True)
class CartItem(Model):
    """One line of a shopping cart."""

    sku: str
    quantity: int
    name: str | None = None
    returned_quantity: int | None = None
    remaining_quantity: int | None = None
    price: float | None = None
    category: str | None = None
    product: Product | None = None
    weight: float | None = None
    height: float | None = None
    width: float | None = None
    length: float | None = None
    position: float | None = None
    attributes: dict[str, Any] | None = None
    additional_costs: dict[str, AdditionalCost] | None = None
    catalog_item_id: int | None = field(default=None, metadata=wire("catalogItemID"))
    selected_price_type: str | None = None
    adjustment_reference_id: UUID | None = None
    adjustment_effective_from: datetime | None = None
    adjustment_effective_until: datetime | None = None
    prices: dict[str, PriceDetail] | None = None


@define(kw_only=True)
class ExperimentVariantAllocation(Model):
    """Pins a session to one variant of an experiment."""

    experiment_id: int = field(metadata=wire("experimentID"))
    variant_id: int = field(metadata=wire("variantID"))


@define(kw_only=True)
class NewCustomerSessionV2(Model):
    """The session content an integration sends when it creates or updates a session."""

    profile_id: str | None = None
    store_integration_id: str | None = None
    evaluable_campaign_ids: list[int] | None = None
    coupon_codes: list[str] | None = None
    referral_code: str | None = None
    loyalty_cards: list[str] | None = None
    state: str | None = None
    cart_items: list[CartItem] | None = None
    experiment_variant_allocations: list[ExperimentVariantAllocation] | None = None
    additional_costs: dict[str, AdditionalCost] | None = None
    identifiers: list[str] | None = None
    attributes: dict[str, Any] | None = None


@define(kw_only=True)
class IntegrationRequest(Model):
    """Body of the v2 session update: the session and which extras to return."""

    customer_session: NewCustomerSessionV2
    response_content: list[str] | None = None


@define(kw_only=True)
class CustomerSessionV2(Model):
    """A customer session as stored by Talon.One, with its computed totals."""

    id: int
    created: datetime
    integration_id: str
    application_id: int
    profile_id: str
    state: str
    cart_items: list[CartItem]
    attributes: dict[str, Any]
    first_session: bool
    update_count: int
    total: float
    cart_item_total: float
    additional_cost_total: float
    cart_item_additional_cost_total: float
    updated: datetime
    store_integration_id: str | None = None
    evaluable_campaign_ids: list[int] | None = None
    coupon_codes: list[str] | None = None
    referral_code: str | None = None
    loyalty_cards: list[str] | None = None
    experiment_variant_allocations: list[ExperimentVariantAllocation] | None = None
    additional_costs: dict[str, AdditionalCost] | None = None
    identifiers: list[str] | None = None


@define(kw_only=True)
class NewCustomerSession(Model):
    """Body of the deprecated v1 session update (one coupon, one referral code)."""

    profile_id: str | None = None
    coupon: str | None = None
    referral: str | None = None
    state: str | None = None
    cart_items: list[CartItem] | None = None
    identifiers: list[str] | None = None
    total: float | None = None
    attributes: dict[str, Any] | None = None


@define(kw_only=True)
class CustomerSession(Model):
    """A customer session as the deprecated v1 endpoints return it."""

    integration_id: str
    created: datetime
    application_id: int
    first_session: bool
    discounts: dict[str, float]
    profile_id: str | None = None
    coupon: str | None = None
    referral: str | None = None
    state: str | None = None
    cart_items: list[CartItem] | None = None
    identifiers: list[str] | None = None
    total: float | None = None
    attributes: dict[str, Any] | None = None
    update_count: int | None = None
    updated: datetime | None = None


@define(kw_only=True)
class ReturnedCartItem(Model):
    """A cart item being returned, named by its position or by its SKU."""

    position: int | None = None
    quantity: int | None = None
    sku: str | None = None


@define(kw_only=True)
class NewReturn(Model):
    """The items of a closed session the customer returns."""

    returned_cart_items: list[ReturnedCartItem]


@define(kw_only=True)
class ReturnIntegrationRequest(Model):
    """Body of the return request: the returned items and which extras to return."""

    return_: NewReturn = field(metadata=wire("return"))
    response_content: list[str] | None = None


@define(kw_only=True)
class Return(Model):
    """A recorded return of items from a closed session."""

    id: int
    created: datetime
    application_id: int
    account_id: int
    returned_cart_items: list[ReturnedCartItem]
    event_id: int
    session_id: int
    session_integration_id: str
    profile_id: int | None = None
    profile_integration_id: str | None = None
    created_by: int | None = None
