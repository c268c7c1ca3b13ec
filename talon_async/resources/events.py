"""Events: track custom (v2) and advanced (v3) events, read an advanced event back; and the
deprecated v1 tracking."""

from __future__ import annotations

import warnings
from types import NoneType
from typing import TYPE_CHECKING, Literal, overload

from .._operation import CallOptions, Operation
from ..models.events import EventV3, IntegrationEventV2Request, IntegrationEventV3Request, NewEvent
from ..models.state import IntegrationEventV2Response, IntegrationEventV3Response, IntegrationState
from ._base import API_KEY_AUTH, DEFAULT_AUTH, HasTransport, Query, Resource

if TYPE_CHECKING:
    from typing_extensions import Unpack


def _tracking_query(silent: bool, dry: bool, force_complete_evaluation: bool) -> Query:
    """The query of the v2 and v3 tracking calls, which share their three options."""
    query = (
        Query()
        .yes_no("silent", silent)
        .flag("dry", dry)
        .flag("forceCompleteEvaluation", force_complete_evaluation)
    )
    if force_complete_evaluation and not dry:
        raise ValueError("force_complete_evaluation=True is only accepted together with dry=True")
    return query


class EventsResource(Resource):
    """``client.events``."""

    __slots__ = ()

    @overload
    async def track_v2(
        self: HasTransport,
        integration_event_v2_request: IntegrationEventV2Request,
        *,
        silent: Literal[False] = ...,
        dry: bool = ...,
        force_complete_evaluation: bool = ...,
        **options: Unpack[CallOptions],
    ) -> IntegrationEventV2Response: ...
    @overload
    async def track_v2(
        self: HasTransport,
        integration_event_v2_request: IntegrationEventV2Request,
        *,
        silent: Literal[True],
        dry: bool = ...,
        force_complete_evaluation: bool = ...,
        **options: Unpack[CallOptions],
    ) -> None: ...
    @overload
    async def track_v2(
        self: HasTransport,
        integration_event_v2_request: IntegrationEventV2Request,
        *,
        silent: bool,
        dry: bool = ...,
        force_complete_evaluation: bool = ...,
        **options: Unpack[CallOptions],
    ) -> IntegrationEventV2Response | None: ...

    async def track_v2(
        self: HasTransport,
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
        returns: type[IntegrationEventV2Response] | type[None] = (
            NoneType if silent else IntegrationEventV2Response
        )
        return await self._transport.send(
            Operation(
                "POST",
                "/v2/events",
                returns,
                API_KEY_AUTH,
                query=_tracking_query(silent, dry, force_complete_evaluation),
                body=integration_event_v2_request,
                body_type=IntegrationEventV2Request,
            ),
            options,
        )

    @overload
    async def track_v3(
        self: HasTransport,
        integration_event_v3_request: IntegrationEventV3Request,
        *,
        silent: Literal[False] = ...,
        dry: bool = ...,
        force_complete_evaluation: bool = ...,
        **options: Unpack[CallOptions],
    ) -> IntegrationEventV3Response: ...
    @overload
    async def track_v3(
        self: HasTransport,
        integration_event_v3_request: IntegrationEventV3Request,
        *,
        silent: Literal[True],
        dry: bool = ...,
        force_complete_evaluation: bool = ...,
        **options: Unpack[CallOptions],
    ) -> None: ...
    @overload
    async def track_v3(
        self: HasTransport,
        integration_event_v3_request: IntegrationEventV3Request,
        *,
        silent: bool,
        dry: bool = ...,
        force_complete_evaluation: bool = ...,
        **options: Unpack[CallOptions],
    ) -> IntegrationEventV3Response | None: ...

    async def track_v3(
        self: HasTransport,
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
        operation's responses, so any body is ignored).
        """
        returns: type[IntegrationEventV3Response] | type[None] = (
            NoneType if silent else IntegrationEventV3Response
        )
        return await self._transport.send(
            Operation(
                "POST",
                "/v3/events",
                returns,
                API_KEY_AUTH,
                query=_tracking_query(silent, dry, force_complete_evaluation),
                body=integration_event_v3_request,
                body_type=IntegrationEventV3Request,
            ),
            options,
        )

    async def get_v3(
        self: HasTransport, integration_id: str, **options: Unpack[CallOptions]
    ) -> EventV3:
        """Read back the advanced event whose unique ID is ``integration_id``."""
        return await self._transport.send(
            Operation(
                "GET",
                "/v3/events/{integrationId}",
                EventV3,
                API_KEY_AUTH,
                path_params={"integrationId": integration_id},
            ),
            options,
        )

    async def track(
        self: HasTransport,
        new_event: NewEvent,
        *,
        dry: bool = False,
        **options: Unpack[CallOptions],
    ) -> IntegrationState:
        """Track an event (deprecated by Talon.One: ``POST /v1/events``; use
        :meth:`track_v2`).

        With ``dry=True`` rules are evaluated but nothing is persisted.
        """
        warnings.warn(
            "trackEvent (POST /v1/events) is deprecated by Talon.One; use events.track_v2",
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
