"""Customer sessions: send a cart to the rule engine and get the effects back; read a
session, reopen it, return items of it."""

from __future__ import annotations

import warnings
from datetime import datetime
from typing import TYPE_CHECKING

from .._operation import CallOptions, Operation
from ..models.sessions import IntegrationRequest, NewCustomerSession, ReturnIntegrationRequest
from ..models.state import (
    IntegrationCustomerSessionResponse,
    IntegrationState,
    IntegrationStateV2,
    ReopenSessionResponse,
)
from ._base import API_KEY_AUTH, DEFAULT_AUTH, HasTransport, Query, Resource

if TYPE_CHECKING:
    from typing_extensions import Unpack


def _order_key(customer_session_id: str) -> tuple[str, str]:
    # Calls on one session never overlap: the API answers 409 to parallel updates, and a
    # read, a reopen or a return must see the session as the calls before it left it.
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

    async def get(
        self: HasTransport, customer_session_id: str, **options: Unpack[CallOptions]
    ) -> IntegrationCustomerSessionResponse:
        """Read the customer session ``customer_session_id`` and the effects it has now.

        Waits for calls on the same session made earlier through this client.
        """
        return await self._transport.send(
            Operation(
                "GET",
                "/v2/customer_sessions/{customerSessionId}",
                IntegrationCustomerSessionResponse,
                API_KEY_AUTH,
                path_params={"customerSessionId": customer_session_id},
                order_key=_order_key(customer_session_id),
            ),
            options,
        )

    async def reopen(
        self: HasTransport, customer_session_id: str, **options: Unpack[CallOptions]
    ) -> ReopenSessionResponse:
        """Reopen the closed customer session ``customer_session_id``.

        The answer lists the effects this rolled back. Ordered with the other calls on
        the same session, like :meth:`update_v2`.
        """
        return await self._transport.send(
            Operation(
                "PUT",
                "/v2/customer_sessions/{customerSessionId}/reopen",
                ReopenSessionResponse,
                API_KEY_AUTH,
                path_params={"customerSessionId": customer_session_id},
                order_key=_order_key(customer_session_id),
            ),
            options,
        )

    async def return_items(
        self: HasTransport,
        customer_session_id: str,
        return_integration_request: ReturnIntegrationRequest,
        *,
        dry: bool = False,
        run_rule_engine: bool = False,
        **options: Unpack[CallOptions],
    ) -> IntegrationStateV2:
        """Return cart items of the closed customer session ``customer_session_id``.

        The session becomes ``partially_returned`` and the effects granted on the returned
        items are rolled back. ``dry=True`` persists nothing; ``run_rule_engine=True``
        evaluates the session again afterwards (campaigns set to re-evaluate on return).
        Ordered with the other calls on the same session, like :meth:`update_v2`; being a
        POST, it is not sent again once it may have reached the server, unless the call
        passes ``allow_replay=True`` (e.g. with an ``Idempotency-Key`` in ``extra_headers``).
        """
        return await self._transport.send(
            Operation(
                "POST",
                "/v2/customer_sessions/{customerSessionId}/returns",
                IntegrationStateV2,
                API_KEY_AUTH,
                path_params={"customerSessionId": customer_session_id},
                order_key=_order_key(customer_session_id),
                query=Query().flag("dry", dry).flag("runRuleEngine", run_rule_engine),
                body=return_integration_request,
                body_type=ReturnIntegrationRequest,
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
