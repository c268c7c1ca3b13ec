"""Customer sessions: send a cart to the rule engine and get the effects back."""

from __future__ import annotations

import warnings
from datetime import datetime
from typing import TYPE_CHECKING

from .._operation import CallOptions, Operation
from ..models.sessions import IntegrationRequest, NewCustomerSession
from ..models.state import IntegrationState, IntegrationStateV2
from ._base import DEFAULT_AUTH, HasTransport, Query, Resource

if TYPE_CHECKING:
    from typing_extensions import Unpack


def _order_key(customer_session_id: str) -> tuple[str, str]:
    # Updates of one session never overlap: the API answers 409 to parallel updates.
    return ("customer_session", customer_session_id)


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
        **options: Unpack[CallOptions],
    ) -> IntegrationStateV2:
        """Create or update the customer session ``customer_session_id``.

        Updates of the same session made through this client are sent one at a time, in
        call order; updates of different sessions run in parallel.

        ``dry=True`` evaluates the rules without persisting anything; ``now`` (with
        ``dry=True``) evaluates as if it were that moment.
        """
        if now is not None and not dry:
            raise ValueError("now= is only accepted together with dry=True")
        return await self._transport.send(
            Operation(
                "PUT",
                "/v2/customer_sessions/{customerSessionId}",
                IntegrationStateV2,
                DEFAULT_AUTH,
                path_params={"customerSessionId": customer_session_id},
                order_key=_order_key(customer_session_id),
                query=Query().flag("dry", dry).moment("now", now),
                body=integration_request,
                body_type=IntegrationRequest,
            ),
            options,
        )

    async def update(
        self: HasTransport,
        customer_session_id: str,
        new_customer_session: NewCustomerSession,
        *,
        dry: bool = False,
        **options: Unpack[CallOptions],
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
                order_key=_order_key(customer_session_id),
                query=Query().flag("dry", dry),
                body=new_customer_session,
                body_type=NewCustomerSession,
            ),
            options,
        )
