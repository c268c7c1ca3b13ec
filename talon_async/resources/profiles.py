"""Customer profiles, their inventory and their audience memberships."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, overload

import attrs

from .. import operations as op
from ..batch import run_batch
from ..errors import BulkUpdateError, TalonDecodeError
from ._base import Resource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .._operation import CallOptions
    from ..models import (
        CustomerInventory,
        CustomerProfileAudienceRequest,
        CustomerProfileIntegrationRequestV2,
        IntegrationState,
        IntegrationStateV2,
        MultipleCustomerProfileIntegrationRequest,
        MultipleCustomerProfileIntegrationResponseV2,
        NewCustomerProfile,
    )

BULK_PARTS_IN_FLIGHT = 4
"""Requests in flight at once when a bulk update is larger than one request."""


class ProfilesResource(Resource):
    """``client.profiles``."""

    __slots__ = ()

    async def update_v2(
        self,
        integration_id: str,
        body: CustomerProfileIntegrationRequestV2,
        *,
        run_rule_engine: bool = False,
        dry: bool = False,
        **options: Unpack[CallOptions],
    ) -> IntegrationStateV2:
        """Create or update the customer profile ``integration_id``.

        ``run_rule_engine=True`` evaluates campaigns and returns their effects; ``dry=True``
        (which needs ``run_rule_engine=True``) evaluates without persisting. Updates of
        one profile made through one client are sent one at a time, in call order.
        """
        return await self._send(
            op.UPDATE_CUSTOMER_PROFILE_V2,
            options,
            integration_id,
            body,
            run_rule_engine=run_rule_engine,
            dry=dry,
        )

    @overload
    async def update_many_v2(
        self,
        body: MultipleCustomerProfileIntegrationRequest,
        *,
        silent: Literal[False] = ...,
        **options: Unpack[CallOptions],
    ) -> MultipleCustomerProfileIntegrationResponseV2: ...
    @overload
    async def update_many_v2(
        self,
        body: MultipleCustomerProfileIntegrationRequest,
        *,
        silent: Literal[True],
        **options: Unpack[CallOptions],
    ) -> None: ...
    @overload
    async def update_many_v2(
        self,
        body: MultipleCustomerProfileIntegrationRequest,
        *,
        silent: bool,
        **options: Unpack[CallOptions],
    ) -> MultipleCustomerProfileIntegrationResponseV2 | None: ...

    async def update_many_v2(
        self,
        body: MultipleCustomerProfileIntegrationRequest,
        *,
        silent: bool = False,
        **options: Unpack[CallOptions],
    ) -> MultipleCustomerProfileIntegrationResponseV2 | None:
        """Create or update customer profiles in bulk.

        The API takes at most 1000 profiles per request. A larger body is split into
        parts of 1000, sent at most 4 at a time; the answers are joined in input order.
        When any part fails, :class:`BulkUpdateError` is raised with the outcome of every
        part, so the caller knows exactly which profiles were stored. With
        ``silent=True`` the API answers 204 and this returns None.
        """
        operation = op.UPDATE_CUSTOMER_PROFILES_V2
        assert operation.items is not None  # the API's limit on profiles per request
        limit = operation.items.maximum
        profiles = getattr(body, "customer_profiles", None) or []
        if len(profiles) <= limit:
            return await self._send(operation, options, body, silent=silent)
        ranges = [
            (first, min(first + limit, len(profiles)) - 1)
            for first in range(0, len(profiles), limit)
        ]
        parts = [attrs.evolve(body, customer_profiles=profiles[a : b + 1]) for a, b in ranges]
        requests = [operation.request(part, silent=silent) for part in parts]  # checked first
        transport = self._transport

        async def send_part(
            index: int,
        ) -> MultipleCustomerProfileIntegrationResponseV2 | None:
            answer = await transport.send(requests[index], options)
            first, last = ranges[index]
            states = 0 if answer is None else len(answer.integration_states or ())
            if answer is not None and states != last + 1 - first:
                raise TalonDecodeError(
                    f"the answer holds {states} integration states for {last + 1 - first} "
                    "profiles, so they cannot be matched to the profiles sent"
                )
            return answer

        outcomes = await run_batch(send_part, range(len(ranges)), concurrency=BULK_PARTS_IN_FLIGHT)
        if any(isinstance(outcome, BaseException) for outcome in outcomes):
            raise BulkUpdateError(outcomes, parts=ranges)
        if silent:
            return None
        states = [
            state
            for outcome in outcomes
            if outcome is not None and not isinstance(outcome, BaseException)
            for state in outcome.integration_states or ()
        ]
        from ..models import MultipleCustomerProfileIntegrationResponseV2 as Joined

        return Joined(integration_states=states)

    async def update(
        self,
        integration_id: str,
        new_customer_profile: NewCustomerProfile,
        *,
        dry: bool = False,
        **options: Unpack[CallOptions],
    ) -> IntegrationState:
        """Update a customer profile with the v1 endpoint (deprecated by Talon.One)."""
        return await self._send(
            op.UPDATE_CUSTOMER_PROFILE, options, integration_id, new_customer_profile, dry=dry
        )

    async def get_inventory(
        self,
        integration_id: str,
        *,
        profile: bool = False,
        referrals: bool = False,
        coupons: bool = False,
        loyalty: bool = False,
        giveaways: bool = False,
        achievements: bool = False,
        **options: Unpack[CallOptions],
    ) -> CustomerInventory:
        """Everything associated with a customer profile; each flag adds one part."""
        return await self._send(
            op.GET_CUSTOMER_INVENTORY,
            options,
            integration_id,
            profile=profile,
            referrals=referrals,
            coupons=coupons,
            loyalty=loyalty,
            giveaways=giveaways,
            achievements=achievements,
        )

    async def update_audiences(
        self,
        customer_profile_audience_request: CustomerProfileAudienceRequest,
        **options: Unpack[CallOptions],
    ) -> None:
        """Add profiles to audiences and remove them from audiences.

        The seed API documents this operation with ``manager_auth`` (a ``Bearer`` token);
        the current API takes an Application API key. Either works: give the client the
        ``Bearer`` strategy first if your deployment needs it for this call.
        """
        await self._send(
            op.UPDATE_CUSTOMER_PROFILE_AUDIENCES, options, customer_profile_audience_request
        )
