"""Referrals: create referral codes for advocates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, overload

from .. import operations as op
from ._base import Resource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .._operation import CallOptions
    from ..models import NewReferral, NewReferralsForMultipleAdvocates, Referral, ReferralList


class ReferralsResource(Resource):
    """``client.referrals``."""

    __slots__ = ()

    async def create(self, new_referral: NewReferral, **options: Unpack[CallOptions]) -> Referral:
        """Create a referral code for one advocate."""
        return await self._send(op.CREATE_REFERRAL, options, new_referral)

    @overload
    async def create_for_multiple_advocates(
        self,
        body: NewReferralsForMultipleAdvocates,
        *,
        silent: Literal[False] = ...,
        **options: Unpack[CallOptions],
    ) -> ReferralList: ...
    @overload
    async def create_for_multiple_advocates(
        self,
        body: NewReferralsForMultipleAdvocates,
        *,
        silent: Literal[True],
        **options: Unpack[CallOptions],
    ) -> None: ...
    @overload
    async def create_for_multiple_advocates(
        self,
        body: NewReferralsForMultipleAdvocates,
        *,
        silent: bool,
        **options: Unpack[CallOptions],
    ) -> ReferralList | None: ...

    async def create_for_multiple_advocates(
        self,
        body: NewReferralsForMultipleAdvocates,
        *,
        silent: bool = False,
        **options: Unpack[CallOptions],
    ) -> ReferralList | None:
        """Create referral codes for several advocates at once.

        With ``silent=True`` the API answers 204 without the created referrals and this
        returns None.
        """
        return await self._send(
            op.CREATE_REFERRALS_FOR_MULTIPLE_ADVOCATES, options, body, silent=silent
        )
