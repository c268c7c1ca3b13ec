"""Customer sessions: send a cart to the rule engine and get the effects back."""

from __future__ import annotations

import warnings
from datetime import datetime

from .._convert import format_datetime
from .._transport import Operation
from ..models.sessions import IntegrationRequest, NewCustomerSession
from ..models.state import IntegrationState, IntegrationStateV2
from ._base import DEFAULT_AUTH, HasTransport, Resource, flags


class SessionsResource(Resource):
    """``client.sessions``."""

    __slots__ = ()

    async def update_v2(
        self: HasTransport,
        customer_session_id: str,
        integration_request: IntegrationRequest,
        *,
        dry: bool = False,
        now: datetime | None = None,
    ) -> IntegrationStateV2:
        """Create or update the customer session ``customer_session_id``.

        ``dry=True`` evaluates the rules without persisting anything; ``now`` (with
        ``dry=True``) evaluates as if it were that moment.
        """
        query = flags(dry=dry)
        if now is not None:
            query["now"] = format_datetime(now)
        return await self._transport.send(
            Operation(
                "PUT",
                "/v2/customer_sessions/{customerSessionId}",
                IntegrationStateV2,
                DEFAULT_AUTH,
                path_params={"customerSessionId": customer_session_id},
                query=query,
                body=integration_request,
            )
        )

    async def update(
        self: HasTransport,
        customer_session_id: str,
        new_customer_session: NewCustomerSession,
        *,
        dry: bool = False,
    ) -> IntegrationState:
        """Update a customer session with the v1 endpoint (deprecated by Talon.One)."""
        warnings.warn(
            "updateCustomerSession (PUT /v1/customer_sessions) is deprecated by Talon.One; "
            "use sessions.update_v2",
            DeprecationWarning,
            stacklevel=2,
        )
        return await self._transport.send(
            Operation(
                "PUT",
                "/v1/customer_sessions/{customerSessionId}",
                IntegrationState,
                DEFAULT_AUTH,
                path_params={"customerSessionId": customer_session_id},
                query=flags(dry=dry),
                body=new_customer_session,
            )
        )
