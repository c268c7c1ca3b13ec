"""Customer profiles, their inventory and their audience memberships."""

from __future__ import annotations

import warnings
from types import NoneType
from typing import TYPE_CHECKING, Literal, overload

import attrs

from .._operation import CallOptions, Operation
from ..auth import API_KEY_V1, MANAGER_AUTH
from ..batch import run_batch
from ..errors import BulkUpdateError, TalonDecodeError
from ..models.inventory import CustomerInventory
from ..models.profiles import (
    CustomerProfileAudienceRequest,
    CustomerProfileIntegrationRequestV2,
    MultipleCustomerProfileIntegrationRequest,
    NewCustomerProfile,
)
from ..models.state import (
    IntegrationState,
    IntegrationStateV2,
    MultipleCustomerProfileIntegrationResponseV2,
)
from ._base import DEFAULT_AUTH, HasTransport, Query, Resource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .._transport import Transport

MAX_PROFILES_PER_REQUEST = 1000
"""The API's limit on profiles in one bulk update."""
BULK_PARTS_IN_FLIGHT = 4
"""Requests in flight at once when a bulk update is larger than one request."""


async def _send_bulk(
    transport: Transport,
    body: MultipleCustomerProfileIntegrationRequest,
    silent: bool,
    options: CallOptions,
) -> MultipleCustomerProfileIntegrationResponseV2 | None:
    returns: type[MultipleCustomerProfileIntegrationResponseV2] | type[None] = (
        NoneType if silent else MultipleCustomerProfileIntegrationResponseV2
    )
    return await transport.send(
        Operation(
            "PUT",
            "/v2/customer_profiles",
            returns,
            DEFAULT_AUTH,
            query=Query().yes_no("silent", silent),
            body=body,
            body_type=MultipleCustomerProfileIntegrationRequest,
        ),
        options,
    )


class ProfilesResource(Resource):
    """``client.profiles``."""

    __slots__ = ()

    async def update_v2(
        self: HasTransport,
        integration_id: str,
        body: CustomerProfileIntegrationRequestV2,
        *,
        run_rule_engine: bool = False,
        dry: bool = False,
        **options: Unpack[CallOptions],
    ) -> IntegrationStateV2:
        """Create or update the customer profile ``integration_id``.

        ``run_rule_engine=True`` evaluates campaigns and returns their effects; ``dry=True``
        (which needs ``run_rule_engine=True``) evaluates without persisting.
        """
        if dry and not run_rule_engine:
            raise ValueError("dry=True only has an effect with run_rule_engine=True")
        return await self._transport.send(
            Operation(
                "PUT",
                "/v2/customer_profiles/{integrationId}",
                IntegrationStateV2,
                DEFAULT_AUTH,
                path_params={"integrationId": integration_id},
                query=Query().flag("runRuleEngine", run_rule_engine).flag("dry", dry),
                body=body,
                body_type=CustomerProfileIntegrationRequestV2,
            ),
            options,
        )

    @overload
    async def update_many_v2(
        self: HasTransport,
        body: MultipleCustomerProfileIntegrationRequest,
        *,
        silent: Literal[False] = ...,
        **options: Unpack[CallOptions],
    ) -> MultipleCustomerProfileIntegrationResponseV2: ...
    @overload
    async def update_many_v2(
        self: HasTransport,
        body: MultipleCustomerProfileIntegrationRequest,
        *,
        silent: Literal[True],
        **options: Unpack[CallOptions],
    ) -> None: ...
    @overload
    async def update_many_v2(
        self: HasTransport,
        body: MultipleCustomerProfileIntegrationRequest,
        *,
        silent: bool,
        **options: Unpack[CallOptions],
    ) -> MultipleCustomerProfileIntegrationResponseV2 | None: ...

    async def update_many_v2(
        self: HasTransport,
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
        profiles = body.customer_profiles or []
        transport = self._transport
        if len(profiles) <= MAX_PROFILES_PER_REQUEST:
            return await _send_bulk(transport, body, silent, options)
        ranges = [
            (first, min(first + MAX_PROFILES_PER_REQUEST, len(profiles)) - 1)
            for first in range(0, len(profiles), MAX_PROFILES_PER_REQUEST)
        ]

        async def send_part(
            part: tuple[int, int],
        ) -> MultipleCustomerProfileIntegrationResponseV2 | None:
            first, last = part
            answer = await _send_bulk(
                transport,
                attrs.evolve(body, customer_profiles=profiles[first : last + 1]),
                silent,
                options,
            )
            states = 0 if answer is None else len(answer.integration_states or ())
            if answer is not None and states != last + 1 - first:
                raise TalonDecodeError(
                    f"the answer holds {states} integration states for {last + 1 - first} "
                    "profiles, so they cannot be matched to the profiles sent"
                )
            return answer

        outcomes = await run_batch(send_part, ranges, concurrency=BULK_PARTS_IN_FLIGHT)
        if any(isinstance(outcome, BaseException) for outcome in outcomes):
            raise BulkUpdateError(outcomes, parts=ranges)
        if silent:
            return None
        return MultipleCustomerProfileIntegrationResponseV2(
            integration_states=[
                state
                for outcome in outcomes
                if isinstance(outcome, MultipleCustomerProfileIntegrationResponseV2)
                for state in outcome.integration_states or ()
            ]
        )

    async def update(
        self: HasTransport,
        integration_id: str,
        new_customer_profile: NewCustomerProfile,
        *,
        dry: bool = False,
        **options: Unpack[CallOptions],
    ) -> IntegrationState:
        """Update a customer profile with the v1 endpoint (deprecated by Talon.One)."""
        warnings.warn(
            "updateCustomerProfile (PUT /v1/customer_profiles) is deprecated by Talon.One; "
            "use profiles.update_v2",
            DeprecationWarning,
            stacklevel=2,
        )
        return await self._transport.send(
            Operation(
                "PUT",
                "/v1/customer_profiles/{integrationId}",
                IntegrationState,
                DEFAULT_AUTH,
                path_params={"integrationId": integration_id},
                query=Query().flag("dry", dry),
                body=new_customer_profile,
                body_type=NewCustomerProfile,
            ),
            options,
        )

    async def get_inventory(
        self: HasTransport,
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
        return await self._transport.send(
            Operation(
                "GET",
                "/v1/customer_profiles/{integrationId}/inventory",
                CustomerInventory,
                DEFAULT_AUTH,
                path_params={"integrationId": integration_id},
                query=Query()
                .flag("profile", profile)
                .flag("referrals", referrals)
                .flag("coupons", coupons)
                .flag("loyalty", loyalty)
                .flag("giveaways", giveaways)
                .flag("achievements", achievements),
            ),
            options,
        )

    async def update_audiences(
        self: HasTransport,
        customer_profile_audience_request: CustomerProfileAudienceRequest,
        **options: Unpack[CallOptions],
    ) -> None:
        """Add profiles to audiences and remove them from audiences.

        The seed API documents this operation with ``manager_auth`` (a ``Bearer`` token);
        the current API takes an Application API key. Either works: give the client the
        ``Bearer`` strategy first if your deployment needs it for this call.
        """
        await self._transport.send(
            Operation(
                "POST",
                "/v2/customer_audiences",
                NoneType,
                (MANAGER_AUTH, API_KEY_V1),
                body=customer_profile_audience_request,
                body_type=CustomerProfileAudienceRequest,
            ),
            options,
        )
