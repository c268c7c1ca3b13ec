"""Referrals: create referral codes for advocates."""

from __future__ import annotations

from types import NoneType
from typing import TYPE_CHECKING, Literal, overload

from .._operation import CallOptions, Operation
from ..models.referrals import NewReferral, NewReferralsForMultipleAdvocates, Referral, ReferralList
from ._base import DEFAULT_AUTH, HasTransport, Query, Resource

if TYPE_CHECKING:
    from typing_extensions import Unpack


class ReferralsResource(Resource):
    """``client.referrals``."""

    __slots__ = ()

    async def create(
        self: HasTransport, new_referral: NewReferral, **options: Unpack[CallOptions]
    ) -> Referral:
        """Create a referral code for one advocate."""
        return await self._transport.send(
            Operation(
                "POST",
                "/v1/referrals",
                Referral,
                DEFAULT_AUTH,
                body=new_referral,
                body_type=NewReferral,
            ),
            options,
        )

    @overload
    async def create_for_multiple_advocates(
        self: HasTransport,
        body: NewReferralsForMultipleAdvocates,
        *,
        silent: Literal[False] = ...,
        **options: Unpack[CallOptions],
    ) -> ReferralList: ...
    @overload
    async def create_for_multiple_advocates(
        self: HasTransport,
        body: NewReferralsForMultipleAdvocates,
        *,
        silent: Literal[True],
        **options: Unpack[CallOptions],
    ) -> None: ...
    @overload
    async def create_for_multiple_advocates(
        self: HasTransport,
        body: NewReferralsForMultipleAdvocates,
        *,
        silent: bool,
        **options: Unpack[CallOptions],
    ) -> ReferralList | None: ...

    async def create_for_multiple_advocates(
        self: HasTransport,
        body: NewReferralsForMultipleAdvocates,
        *,
        silent: bool = False,
        **options: Unpack[CallOptions],
    ) -> ReferralList | None:
        """Create referral codes for several advocates at once.

        With ``silent=True`` the API answers 204 without the created referrals and this
        returns None.
        """
        returns: type[ReferralList] | type[None] = NoneType if silent else ReferralList
        return await self._transport.send(
            Operation(
                "POST",
                "/v1/referrals_for_multiple_advocates",
                returns,
                DEFAULT_AUTH,
                query=Query().yes_no("silent", silent),
                body=body,
                body_type=NewReferralsForMultipleAdvocates,
            ),
            options,
        )
