"""Events: track custom (v2) and advanced (v3) events, read an advanced event back; and the
deprecated v1 tracking."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, overload

from .. import operations as op
from ._base import Resource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .._operation import CallOptions
    from ..models import (
        EventV3,
        IntegrationEventV2Request,
        IntegrationEventV2Response,
        IntegrationEventV3Request,
        IntegrationEventV3Response,
        IntegrationState,
        NewEvent,
    )


class EventsResource(Resource):
    """``client.events``.

    Events of one customer profile tracked through one client are sent one at a time, in
    call order (the API answers 409 to parallel ones).
    """

    __slots__ = ()

    @overload
    async def track_v2(
        self,
        integration_event_v2_request: IntegrationEventV2Request,
        *,
        silent: Literal[False] = ...,
        dry: bool = ...,
        force_complete_evaluation: bool = ...,
        **options: Unpack[CallOptions],
    ) -> IntegrationEventV2Response: ...
    @overload
    async def track_v2(
        self,
        integration_event_v2_request: IntegrationEventV2Request,
        *,
        silent: Literal[True],
        dry: bool = ...,
        force_complete_evaluation: bool = ...,
        **options: Unpack[CallOptions],
    ) -> None: ...
    @overload
    async def track_v2(
        self,
        integration_event_v2_request: IntegrationEventV2Request,
        *,
        silent: bool,
        dry: bool = ...,
        force_complete_evaluation: bool = ...,
        **options: Unpack[CallOptions],
    ) -> IntegrationEventV2Response | None: ...

    async def track_v2(
        self,
        integration_event_v2_request: IntegrationEventV2Request,
        *,
        silent: bool = False,
        dry: bool = False,
        force_complete_evaluation: bool = False,
        **options: Unpack[CallOptions],
    ) -> IntegrationEventV2Response | None:
        """Track a custom event and get the rule engine's answer.

        With ``silent=True`` the API answers 204 without a body and this returns None.
        ``dry=True`` evaluates the rules without persisting anything;
        ``force_complete_evaluation=True`` (with ``dry=True``) evaluates every matching
        campaign whatever the Application's evaluation mode. Being a POST, the call is
        not sent again once it may have reached the server, unless ``allow_replay=True``.
        """
        return await self._send(
            op.TRACK_EVENT_V2,
            options,
            integration_event_v2_request,
            silent=silent,
            dry=dry,
            force_complete_evaluation=force_complete_evaluation,
        )

    @overload
    async def track_v3(
        self,
        integration_event_v3_request: IntegrationEventV3Request,
        *,
        silent: Literal[False] = ...,
        dry: bool = ...,
        force_complete_evaluation: bool = ...,
        **options: Unpack[CallOptions],
    ) -> IntegrationEventV3Response: ...
    @overload
    async def track_v3(
        self,
        integration_event_v3_request: IntegrationEventV3Request,
        *,
        silent: Literal[True],
        dry: bool = ...,
        force_complete_evaluation: bool = ...,
        **options: Unpack[CallOptions],
    ) -> None: ...
    @overload
    async def track_v3(
        self,
        integration_event_v3_request: IntegrationEventV3Request,
        *,
        silent: bool,
        dry: bool = ...,
        force_complete_evaluation: bool = ...,
        **options: Unpack[CallOptions],
    ) -> IntegrationEventV3Response | None: ...

    async def track_v3(
        self,
        integration_event_v3_request: IntegrationEventV3Request,
        *,
        silent: bool = False,
        dry: bool = False,
        force_complete_evaluation: bool = False,
        **options: Unpack[CallOptions],
    ) -> IntegrationEventV3Response | None:
        """Track an advanced event: one with its own unique ``integration_id``, optionally
        tied to a closed session (``connected_session_id``).

        The options work as for :meth:`track_v2`; with ``silent=True`` this returns None
        (the spec documents the 204 answer for ``silent`` but lists none among this
        operation's responses, so any body is ignored). The API keeps one event per
        ``integration_id``, so the call is retried like a PUT.
        """
        return await self._send(
            op.TRACK_EVENT_V3,
            options,
            integration_event_v3_request,
            silent=silent,
            dry=dry,
            force_complete_evaluation=force_complete_evaluation,
        )

    async def get_v3(self, integration_id: str, **options: Unpack[CallOptions]) -> EventV3:
        """Read back the advanced event whose unique ID is ``integration_id``."""
        return await self._send(op.GET_EVENT_V3, options, integration_id)

    async def track(
        self, new_event: NewEvent, *, dry: bool = False, **options: Unpack[CallOptions]
    ) -> IntegrationState:
        """Track an event (deprecated by Talon.One: ``POST /v1/events``; use
        :meth:`track_v2`). With ``dry=True`` rules are evaluated but nothing is persisted."""
        return await self._send(op.TRACK_EVENT, options, new_event, dry=dry)
