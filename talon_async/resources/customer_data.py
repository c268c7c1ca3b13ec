"""Customer data: erase what Talon.One stores about a customer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import operations as op
from ._base import Resource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .._operation import CallOptions


class CustomerDataResource(Resource):
    """``client.customer_data``."""

    __slots__ = ()

    async def delete(self, integration_id: str, **options: Unpack[CallOptions]) -> None:
        """Delete the personal data of the customer profile ``integration_id``."""
        await self._send(op.DELETE_CUSTOMER_DATA, options, integration_id)
