"""Referrals: codes created for advocates, one at a time or for many advocates at once.

Codes are drawn from a seeded generator, so a fake hands out the same codes on every
run; an advocate unknown so far gets a profile.
"""

from __future__ import annotations

import string
from datetime import datetime
from typing import Any, ClassVar

from .._area import Area, Handlers, Seeds, seed_items
from .._http import HandlerCall, Handling
from .._schema import INTEGRATION_ID, STRINGS, USAGE_LIMIT, Arr, Schema, Text, obj
from .._state import FakeState, ensure_profile, new_id
from .._wire import Answer, ApiError, JsonObject, error_item, timestamp, utc_now

_REFERRAL_COMMON: dict[str, Schema] = {
    "startDate": "date-time",
    "expiryDate": "date-time",
    "usageLimit": USAGE_LIMIT,
    "campaignId": "integer",
    "attributes": "object",
}
NEW_REFERRAL = obj(
    ("campaignId", "advocateProfileIntegrationId"),
    advocateProfileIntegrationId=INTEGRATION_ID,
    friendProfileIntegrationId="string",
    **_REFERRAL_COMMON,
)
NEW_REFERRALS_FOR_MULTIPLE_ADVOCATES = obj(
    ("campaignId", "advocateProfileIntegrationIds", "usageLimit"),
    advocateProfileIntegrationIds=Arr(INTEGRATION_ID, min_items=1, max_items=1000),
    validCharacters=STRINGS,
    referralPattern=Text(3, 100),
    **_REFERRAL_COMMON,
)
SEED_REFERRAL = obj(
    ("code", "advocateProfileIntegrationId"),
    code="string",
    advocateProfileIntegrationId="string",
    campaignId="integer",
    usageLimit="integer",
)
_CHARACTERS = tuple(string.ascii_uppercase + string.digits)
_MIN_CODE_LENGTH = 4


def _referral(
    state: FakeState,
    *,
    code: str,
    advocate: str,
    campaign_id: int,
    usage_limit: int,
    now: datetime,
    **optional: object,
) -> JsonObject:
    """Store a new referral (``optional``: wire members set only when not None)."""
    referral: JsonObject = {
        "id": new_id(state, "referral"),
        "created": timestamp(now),
        "campaignId": campaign_id,
        "advocateProfileIntegrationId": advocate,
        "code": code,
        "usageCounter": 0,
        "usageLimit": usage_limit,
        "attributes": {},
    }
    referral.update({key: value for key, value in optional.items() if value is not None})
    state.referrals[code] = referral
    return referral


def _created(
    state: FakeState, body: JsonObject, advocate: str, code: str, now: datetime
) -> JsonObject:
    """A referral created by a request for one advocate, who gets a profile if new."""
    ensure_profile(state, advocate, now)
    return _referral(
        state,
        code=code,
        advocate=advocate,
        campaign_id=body["campaignId"],
        usage_limit=body.get("usageLimit") or 0,
        now=now,
        attributes=body.get("attributes") or {},
        startDate=body.get("startDate"),
        expiryDate=body.get("expiryDate"),
        friendProfileIntegrationId=body.get("friendProfileIntegrationId"),
    )


def _code(state: FakeState, pattern: str, characters: tuple[str, ...]) -> str:
    for _ in range(1000):
        code = "".join(state._random.choice(characters) if c == "#" else c for c in pattern)
        if len(code) < _MIN_CODE_LENGTH:
            # A pattern may have 3 characters, but a referral code has at least 4.
            raise _bad_pattern("Code too short", "the pattern makes codes of under 4 characters")
        if code not in state.referrals:
            return code
    raise _bad_pattern("Pattern exhausted", "no unused code fits the pattern")


def _bad_pattern(title: str, details: str) -> ApiError:
    return ApiError(
        400,
        "Cannot generate a unique referral code",
        [error_item(title, details, pointer="/referralPattern")],
    )


def create_referral(state: FakeState, call: HandlerCall) -> Answer:
    """POST /v1/referrals (createReferral): a referral code for one advocate."""
    code = _code(state, "#" * 12, _CHARACTERS)
    advocate = call.body["advocateProfileIntegrationId"]
    return Answer(201, _created(state, call.body, advocate, code, utc_now()))


def create_referrals(state: FakeState, call: HandlerCall) -> Answer:
    """POST /v1/referrals_for_multiple_advocates: one referral code per advocate."""
    body: JsonObject = call.body
    silent = call.yes_no("silent", "yes")
    now = utc_now()
    pattern = body.get("referralPattern") or "#" * 12
    characters = tuple(body.get("validCharacters") or _CHARACTERS)
    created = [
        _created(state, body, advocate, _code(state, pattern, characters), now)
        for advocate in body["advocateProfileIntegrationIds"]
    ]
    if silent:
        return Answer(204)
    return Answer(201, {"totalResultSize": len(created), "data": created})


def _seed_referrals(fake: Referrals, value: Any) -> None:
    """``referrals``: ``[{"code": "FRIEND1", "advocateProfileIntegrationId": "alice"}]``."""
    for item in seed_items(value, "referrals", SEED_REFERRAL):
        fake.add_referral(
            item["code"],
            item["advocateProfileIntegrationId"],
            campaign_id=item.get("campaignId", 1),
            usage_limit=item.get("usageLimit", 0),
        )


class Referrals(Area):
    """Referral codes of advocates."""

    HANDLERS: ClassVar[Handlers] = {
        "createReferral": Handling(create_referral, NEW_REFERRAL),
        "createReferralsForMultipleAdvocates": Handling(
            create_referrals, NEW_REFERRALS_FOR_MULTIPLE_ADVOCATES
        ),
    }
    SEEDS: ClassVar[Seeds] = {"referrals": _seed_referrals}

    def add_referral(
        self, code: str, advocate_integration_id: str, *, campaign_id: int = 1, usage_limit: int = 0
    ) -> JsonObject:
        """Create (or replace) a referral code of an advocate; returns its stored dict."""
        with self.lock:
            return _referral(
                self,
                code=code,
                advocate=advocate_integration_id,
                campaign_id=campaign_id,
                usage_limit=usage_limit,
                now=utc_now(),
            )
