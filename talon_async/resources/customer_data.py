"""Customer data: erase what Talon.One stores about a customer."""

from __future__ import annotations

from types import NoneType
from typing import TYPE_CHECKING

from .._operation import CallOptions, Operation
from ._base import DEFAULT_AUTH, HasTransport, Resource

if TYPE_CHECKING:
    from typing_extensions import Unpack


class CustomerDataResource(Resource):
    """``client.customer_data``."""

    __slots__ = ()

    async def delete(
        self: HasTransport, integration_id: str, **options: Unpack[CallOptions]
    ) -> None:
        """Delete the personal data of the customer profile ``integration_id``."""
        await self._transport.send(
            Operation(
                "DELETE",
                "/v1/customer_data/{integrationId}",
                NoneType,
                DEFAULT_AUTH,
                path_params={"integrationId": integration_id},
            ),
            options,
        )
