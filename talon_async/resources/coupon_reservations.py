"""Coupon reservations: reserve coupons for customer profiles and look reservations up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import operations as op
from ._base import Resource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .._operation import CallOptions
    from ..models import Coupon, CouponList, CouponReservations, CustomerProfileList


class CouponReservationsResource(Resource):
    """``client.coupon_reservations``."""

    __slots__ = ()

    async def create(
        self,
        coupon_value: str,
        coupon_reservations: CouponReservations,
        **options: Unpack[CallOptions],
    ) -> Coupon:
        """Reserve the coupon ``coupon_value`` for the listed customer profiles."""
        return await self._send(
            op.CREATE_COUPON_RESERVATION, options, coupon_value, coupon_reservations
        )

    async def delete(
        self,
        coupon_value: str,
        coupon_reservations: CouponReservations,
        **options: Unpack[CallOptions],
    ) -> None:
        """Remove the reservations of ``coupon_value`` for the listed customer profiles."""
        await self._send(op.DELETE_COUPON_RESERVATION, options, coupon_value, coupon_reservations)

    async def list_coupons(self, integration_id: str, **options: Unpack[CallOptions]) -> CouponList:
        """The valid coupons reserved for the customer profile ``integration_id``
        (deprecated by Talon.One: the customer's inventory lists them)."""
        return await self._send(op.GET_RESERVED_COUPONS, options, integration_id)

    async def list_customers(
        self, coupon_value: str, **options: Unpack[CallOptions]
    ) -> CustomerProfileList:
        """The customer profiles that hold a reservation of ``coupon_value``."""
        return await self._send(op.GET_RESERVED_CUSTOMERS, options, coupon_value)
