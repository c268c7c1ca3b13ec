"""Coupon reservations: reserve coupons for customer profiles and look reservations up."""

from __future__ import annotations

from types import NoneType
from typing import TYPE_CHECKING

from .._operation import CallOptions, Operation
from ..models.coupons import Coupon, CouponList, CouponReservations
from ..models.profiles import CustomerProfileList
from ._base import DEFAULT_AUTH, HasTransport, Resource

if TYPE_CHECKING:
    from typing_extensions import Unpack

_PATH = "/v1/coupon_reservations/{couponValue}"


class CouponReservationsResource(Resource):
    """``client.coupon_reservations``."""

    __slots__ = ()

    async def create(
        self: HasTransport,
        coupon_value: str,
        coupon_reservations: CouponReservations,
        **options: Unpack[CallOptions],
    ) -> Coupon:
        """Reserve the coupon ``coupon_value`` for the listed customer profiles."""
        return await self._transport.send(
            Operation(
                "POST",
                _PATH,
                Coupon,
                DEFAULT_AUTH,
                path_params={"couponValue": coupon_value},
                body=coupon_reservations,
                body_type=CouponReservations,
            ),
            options,
        )

    async def delete(
        self: HasTransport,
        coupon_value: str,
        coupon_reservations: CouponReservations,
        **options: Unpack[CallOptions],
    ) -> None:
        """Remove the reservations of ``coupon_value`` for the listed customer profiles."""
        await self._transport.send(
            Operation(
                "DELETE",
                _PATH,
                NoneType,
                DEFAULT_AUTH,
                path_params={"couponValue": coupon_value},
                body=coupon_reservations,
                body_type=CouponReservations,
            ),
            options,
        )

    async def list_coupons(
        self: HasTransport, integration_id: str, **options: Unpack[CallOptions]
    ) -> CouponList:
        """The valid coupons reserved for the customer profile ``integration_id``."""
        return await self._transport.send(
            Operation(
                "GET",
                "/v1/coupon_reservations/coupons/{integrationId}",
                CouponList,
                DEFAULT_AUTH,
                path_params={"integrationId": integration_id},
            ),
            options,
        )

    async def list_customers(
        self: HasTransport, coupon_value: str, **options: Unpack[CallOptions]
    ) -> CustomerProfileList:
        """The customer profiles that hold a reservation of ``coupon_value``."""
        return await self._transport.send(
            Operation(
                "GET",
                "/v1/coupon_reservations/customerprofiles/{couponValue}",
                CustomerProfileList,
                DEFAULT_AUTH,
                path_params={"couponValue": coupon_value},
            ),
            options,
        )
