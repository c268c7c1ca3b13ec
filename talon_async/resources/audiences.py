"""Audiences: create, rename and delete them, empty them, and set their members' attributes."""

from __future__ import annotations

from types import NoneType
from typing import TYPE_CHECKING, Any

from .._operation import CallOptions, Operation
from ..models.audiences import Audience, NewAudience, UpdateAudience
from ._base import DEFAULT_AUTH, HasTransport, Resource, path_id

if TYPE_CHECKING:
    from typing_extensions import Unpack

_AUDIENCE = "/v2/audiences/{audienceId}"


class AudiencesResource(Resource):
    """``client.audiences``."""

    __slots__ = ()

    async def create(
        self: HasTransport, new_audience: NewAudience, **options: Unpack[CallOptions]
    ) -> Audience:
        """Create an audience, from scratch or as the mirror of one on another platform
        (set ``integration_id``, and ``integration`` for a supported partner)."""
        return await self._transport.send(
            Operation(
                "POST",
                "/v2/audiences",
                Audience,
                DEFAULT_AUTH,
                body=new_audience,
                body_type=NewAudience,
            ),
            options,
        )

    async def update(
        self: HasTransport,
        audience_id: int,
        update_audience: UpdateAudience,
        **options: Unpack[CallOptions],
    ) -> Audience:
        """Rename the audience ``audience_id`` (its members are not changed)."""
        return await self._transport.send(
            Operation(
                "PUT",
                _AUDIENCE,
                Audience,
                DEFAULT_AUTH,
                path_params={"audienceId": path_id("audienceId", audience_id)},
                body=update_audience,
                body_type=UpdateAudience,
            ),
            options,
        )

    async def delete(self: HasTransport, audience_id: int, **options: Unpack[CallOptions]) -> None:
        """Delete the audience ``audience_id`` and its memberships."""
        await self._transport.send(
            Operation(
                "DELETE",
                _AUDIENCE,
                NoneType,
                DEFAULT_AUTH,
                path_params={"audienceId": path_id("audienceId", audience_id)},
            ),
            options,
        )

    async def delete_memberships(
        self: HasTransport, audience_id: int, **options: Unpack[CallOptions]
    ) -> None:
        """Remove every customer profile from the audience ``audience_id``."""
        await self._transport.send(
            Operation(
                "DELETE",
                "/v2/audiences/{audienceId}/memberships",
                NoneType,
                DEFAULT_AUTH,
                path_params={"audienceId": path_id("audienceId", audience_id)},
            ),
            options,
        )

    async def update_customers_attributes(
        self: HasTransport,
        audience_id: int,
        attributes: dict[str, Any],
        **options: Unpack[CallOptions],
    ) -> None:
        """Set custom attributes (names as configured in the Campaign Manager) on every
        customer profile in the audience ``audience_id``."""
        await self._transport.send(
            Operation(
                "PUT",
                "/v2/audience_customers/{audienceId}/attributes",
                NoneType,
                DEFAULT_AUTH,
                path_params={"audienceId": path_id("audienceId", audience_id)},
                body=attributes,
                body_type=dict,
            ),
            options,
        )
