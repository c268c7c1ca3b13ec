"""Events (v1): track a customer event and get the resulting integration state."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from .._operation import CallOptions, Operation
from ..models.events import NewEvent
from ..models.state import IntegrationState
from ._base import DEFAULT_AUTH, HasTransport, Query, Resource

if TYPE_CHECKING:
    from typing_extensions import Unpack


class EventsResource(Resource):
    """``client.events``."""

    __slots__ = ()

    async def track(
        self: HasTransport,
        new_event: NewEvent,
        *,
        dry: bool = False,
        **options: Unpack[CallOptions],
    ) -> IntegrationState:
        """Track an event (deprecated by Talon.One: ``POST /v1/events``).

        With ``dry=True`` rules are evaluated but nothing is persisted.
        """
        warnings.warn(
            "trackEvent (POST /v1/events) is deprecated by Talon.One",
            DeprecationWarning,
            stacklevel=2,
        )
        return await self._transport.send(
            Operation(
                "POST",
                "/v1/events",
                IntegrationState,
                DEFAULT_AUTH,
                query=Query().flag("dry", dry),
                body=new_event,
                body_type=NewEvent,
            ),
            options,
        )
