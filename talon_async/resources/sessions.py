"""Customer sessions: send a cart to the rule engine and get the effects back; read a
session, reopen it, return items of it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from .. import operations as op
from ._base import Resource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .._operation import CallOptions
    from ..models import (
        IntegrationCustomerSessionResponse,
        IntegrationRequest,
        IntegrationState,
        IntegrationStateV2,
        NewCustomerSession,
        ReopenSessionResponse,
        ReturnIntegrationRequest,
    )


class SessionsResource(Resource):
    """``client.sessions``.

    Calls on one session made through one client are sent one at a time, in call order
    (the API answers 409 to parallel updates of a session, and a read, a reopen or a
    return must see the session as the calls before it left it); calls on different
    sessions run in parallel.
    """

    __slots__ = ()

    async def update_v2(
        self,
        customer_session_id: str,
        integration_request: IntegrationRequest,
        *,
        dry: bool = False,
        now: datetime | None = None,
        **options: Unpack[CallOptions],
    ) -> IntegrationStateV2:
        """Create or update the customer session ``customer_session_id``.

        ``dry=True`` evaluates the rules without persisting anything; ``now`` (with
        ``dry=True``) evaluates as if it were that moment.
        """
        return await self._send(
            op.UPDATE_CUSTOMER_SESSION_V2,
            options,
            customer_session_id,
            integration_request,
            dry=dry,
            now=now,
        )

    async def get(
        self, customer_session_id: str, **options: Unpack[CallOptions]
    ) -> IntegrationCustomerSessionResponse:
        """Read the customer session ``customer_session_id`` and the effects it has now."""
        return await self._send(op.GET_CUSTOMER_SESSION, options, customer_session_id)

    async def reopen(
        self, customer_session_id: str, **options: Unpack[CallOptions]
    ) -> ReopenSessionResponse:
        """Reopen the closed customer session ``customer_session_id``; the answer lists
        the effects this rolled back."""
        return await self._send(op.REOPEN_CUSTOMER_SESSION, options, customer_session_id)

    async def return_items(
        self,
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

        Each call carries an ``Idempotency-Key`` header (a new one per call, the same on
        each of its retries), with which the API applies a return only once: so the call
        is retried like a PUT. Pass your own key in ``extra_headers`` to make a return
        you may send again later (after a crash, say) apply once too.
        """
        return await self._send(
            op.RETURN_CART_ITEMS,
            options,
            customer_session_id,
            return_integration_request,
            dry=dry,
            run_rule_engine=run_rule_engine,
        )

    async def update(
        self,
        customer_session_id: str,
        new_customer_session: NewCustomerSession,
        *,
        dry: bool = False,
        **options: Unpack[CallOptions],
    ) -> IntegrationState:
        """Update a customer session with the v1 endpoint (deprecated by Talon.One)."""
        return await self._send(
            op.UPDATE_CUSTOMER_SESSION, options, customer_session_id, new_customer_session, dry=dry
        )
