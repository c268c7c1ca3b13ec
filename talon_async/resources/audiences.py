"""Audiences: create, rename and delete them, empty them, and set their members' attributes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import operations as op
from ._base import Resource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .._operation import CallOptions
    from ..models import Audience, NewAudience, UpdateAudience


class AudiencesResource(Resource):
    """``client.audiences``."""

    __slots__ = ()

    async def create(self, new_audience: NewAudience, **options: Unpack[CallOptions]) -> Audience:
        """Create an audience, from scratch or as the mirror of one on another platform
        (set ``integration_id``, and ``integration`` for a supported partner)."""
        return await self._send(op.CREATE_AUDIENCE_V2, options, new_audience)

    async def update(
        self,
        audience_id: int,
        update_audience: UpdateAudience,
        **options: Unpack[CallOptions],
    ) -> Audience:
        """Rename the audience ``audience_id`` (its members are not changed)."""
        return await self._send(op.UPDATE_AUDIENCE_V2, options, audience_id, update_audience)

    async def delete(self, audience_id: int, **options: Unpack[CallOptions]) -> None:
        """Delete the audience ``audience_id`` and its memberships."""
        await self._send(op.DELETE_AUDIENCE_V2, options, audience_id)

    async def delete_memberships(self, audience_id: int, **options: Unpack[CallOptions]) -> None:
        """Remove every customer profile from the audience ``audience_id``."""
        await self._send(op.DELETE_AUDIENCE_MEMBERSHIPS_V2, options, audience_id)

    async def update_customers_attributes(
        self,
        audience_id: int,
        attributes: dict[str, Any],
        **options: Unpack[CallOptions],
    ) -> None:
        """Set custom attributes (names as configured in the Campaign Manager) on every
        customer profile in the audience ``audience_id``."""
        await self._send(op.UPDATE_AUDIENCE_CUSTOMERS_ATTRIBUTES, options, audience_id, attributes)
