"""Customer profiles, their inventory and their audience memberships."""

from __future__ import annotations

import warnings
from types import NoneType
from typing import Literal, overload

from .._transport import Operation
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
from ._base import DEFAULT_AUTH, HasTransport, Resource, flags, yes_no

MAX_PROFILES_PER_REQUEST = 1000
"""The API's limit on profiles in one bulk update."""


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
                query=flags(runRuleEngine=run_rule_engine, dry=dry),
                body=body,
            )
        )

    @overload
    async def update_many_v2(
        self: HasTransport,
        body: MultipleCustomerProfileIntegrationRequest,
        *,
        silent: Literal[False] = ...,
    ) -> MultipleCustomerProfileIntegrationResponseV2: ...
    @overload
    async def update_many_v2(
        self: HasTransport,
        body: MultipleCustomerProfileIntegrationRequest,
        *,
        silent: Literal[True],
    ) -> None: ...
    @overload
    async def update_many_v2(
        self: HasTransport, body: MultipleCustomerProfileIntegrationRequest, *, silent: bool
    ) -> MultipleCustomerProfileIntegrationResponseV2 | None: ...

    async def update_many_v2(
        self: HasTransport, body: MultipleCustomerProfileIntegrationRequest, *, silent: bool = False
    ) -> MultipleCustomerProfileIntegrationResponseV2 | None:
        """Create or update up to 1000 customer profiles in one request.

        More than 1000 profiles raise ValueError before anything is sent: split them and
        send the parts yourself, so a failure in one part cannot hide the fate of another.
        With ``silent=True`` the API answers 204 and this returns None.
        """
        count = len(body.customer_profiles or ())
        if count > MAX_PROFILES_PER_REQUEST:
            raise ValueError(
                f"{count} profiles in one bulk update; the API takes at most "
                f"{MAX_PROFILES_PER_REQUEST} per request"
            )
        returns: type[MultipleCustomerProfileIntegrationResponseV2] | type[None] = (
            NoneType if silent else MultipleCustomerProfileIntegrationResponseV2
        )
        return await self._transport.send(
            Operation(
                "PUT",
                "/v2/customer_profiles",
                returns,
                DEFAULT_AUTH,
                query={"silent": yes_no(silent)},
                body=body,
            )
        )

    async def update(
        self: HasTransport,
        integration_id: str,
        new_customer_profile: NewCustomerProfile,
        *,
        dry: bool = False,
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
                query=flags(dry=dry),
                body=new_customer_profile,
            )
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
    ) -> CustomerInventory:
        """Everything associated with a customer profile; each flag adds one part."""
        return await self._transport.send(
            Operation(
                "GET",
                "/v1/customer_profiles/{integrationId}/inventory",
                CustomerInventory,
                DEFAULT_AUTH,
                path_params={"integrationId": integration_id},
                query=flags(
                    profile=profile,
                    referrals=referrals,
                    coupons=coupons,
                    loyalty=loyalty,
                    giveaways=giveaways,
                    achievements=achievements,
                ),
            )
        )

    async def update_audiences(
        self: HasTransport, customer_profile_audience_request: CustomerProfileAudienceRequest
    ) -> None:
        """Add profiles to audiences and remove them from audiences.

        The seed API documents this operation with ``manager_auth`` (a ``Bearer`` token);
        the current API takes an Application API key. A ``Bearer`` strategy is preferred
        when the client holds one.
        """
        await self._transport.send(
            Operation(
                "POST",
                "/v2/customer_audiences",
                NoneType,
                ("manager_auth", "api_key_v1"),
                body=customer_profile_audience_request,
            )
        )
