"""Builders of the JSON bodies the fake answers with, in the API's wire shape (camelCase).

Everything here works on plain dicts: the fake never uses talon_async's models, so a test
that decodes these bodies with the client really checks the client's models.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

JsonObject = dict[str, Any]
"""A JSON object as parsed by ``json``: wire (camelCase) keys to JSON values."""

_FRACTION = re.compile(r"\.(\d+)")


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: ``body`` is JSON data, raw bytes, or None for no body."""

    status: int
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)


class ApiError(Exception):
    """Raised by an operation to answer with a Talon.One error body."""

    def __init__(self, status: int, message: str, errors: list[JsonObject] | None = None) -> None:
        super().__init__(message)
        self.answer = Answer(status, error_body(status, message, errors))


def utc_now() -> datetime:
    """The current moment as an aware UTC datetime."""
    return datetime.now(timezone.utc)


def timestamp(moment: datetime) -> str:
    """RFC 3339 with microseconds and a ``Z`` suffix, as the API writes timestamps."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_timestamp(value: str) -> datetime:
    """Read an RFC 3339 timestamp (``Z`` or an offset; UTC when none); ValueError if malformed."""
    text = value.strip()
    if text[-1:] in ("z", "Z"):
        text = text[:-1] + "+00:00"
    # Python 3.10 only reads fractions of exactly 3 or 6 digits.
    text = _FRACTION.sub(lambda m: "." + m.group(1)[:6].ljust(6, "0"), text, count=1)
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def optional_timestamp(value: str | None) -> datetime | None:
    """:func:`parse_timestamp` for a member that may be absent, null or empty (None then)."""
    return parse_timestamp(value) if value else None


def error_body(status: int, message: str, errors: list[JsonObject] | None = None) -> JsonObject:
    """A Talon.One error body."""
    return {"message": message, "errors": errors or [], "StatusCode": status}


def error_item(
    title: str, details: str, *, pointer: str | None = None, parameter: str | None = None
) -> JsonObject:
    """One entry of an error body's ``errors``, pointing at a body member or a parameter."""
    source: JsonObject = {}
    if pointer is not None:
        source["pointer"] = pointer
    if parameter is not None:
        source["parameter"] = parameter
    return {"title": title, "details": details, "source": source}


def not_found(what: str, value: str | int, parameter: str) -> ApiError:
    """A 404 naming the missing entity, its ID and the parameter that named it."""
    return ApiError(
        404,
        f"{what} not found",
        [error_item(f"{what} not found", f"no {what.lower()} {value!r}", parameter=parameter)],
    )


def new_profile(profile_id: int, integration_id: str, account_id: int, now: datetime) -> JsonObject:
    """A freshly created customer profile (CustomerProfile)."""
    return {
        "id": profile_id,
        "created": timestamp(now),
        "integrationId": integration_id,
        "attributes": {},
        "accountId": account_id,
        "closedSessions": 0,
        "totalSales": 0.0,
        "loyaltyMemberships": None,  # deprecated: always null
        "audienceMemberships": [],
        "lastActivity": timestamp(now),
        "sandbox": False,
    }


def new_session(
    session_id: int, integration_id: str, application_id: int, now: datetime
) -> JsonObject:
    """A freshly opened customer session (CustomerSessionV2), with an empty cart."""
    return {
        "id": session_id,
        "created": timestamp(now),
        "integrationId": integration_id,
        "applicationId": application_id,
        "profileId": "",
        "couponCodes": [],
        "referralCode": "",
        "loyaltyCards": [],
        "state": "open",
        "cartItems": [],
        "additionalCosts": {},
        "identifiers": [],
        "attributes": {},
        "firstSession": True,
        "updateCount": 0,
        "updated": timestamp(now),
    }


def new_campaign(
    campaign_id: int, ruleset_id: int, application_id: int, now: datetime
) -> JsonObject:
    """A running campaign (Campaign), as listed in ``triggeredCampaigns``."""
    return {
        "id": campaign_id,
        "created": timestamp(now),
        "applicationId": application_id,
        "userId": 1,
        "name": f"Fake campaign {campaign_id}",
        "description": "",
        "state": "enabled",
        "activeRulesetId": ruleset_id,
        "tags": [],
        "features": ["coupons", "referrals", "loyalty"],
        "limits": [],
        "type": "advanced",
        "frontendState": "running",
        "storesImported": False,
        "reevaluateOnReturn": False,
    }


def session_totals(session: JsonObject) -> None:
    """Fill a session's computed totals from its cart items and additional costs.

    Item additional costs count once per unit; the total is before discounts.
    """
    items = session.get("cartItems") or []
    item_total = sum((item.get("price") or 0) * item["quantity"] for item in items)
    item_costs = sum(
        cost["price"] * item["quantity"]
        for item in items
        for cost in (item.get("additionalCosts") or {}).values()
    )
    costs = sum(cost["price"] for cost in (session.get("additionalCosts") or {}).values())
    session["cartItemTotal"] = round(item_total, 2)
    session["cartItemAdditionalCostTotal"] = round(item_costs, 2)
    session["additionalCostTotal"] = round(costs, 2)
    session["total"] = round(item_total + item_costs + costs, 2)


def legacy_session(session: JsonObject, discounts: dict[str, float]) -> JsonObject:
    """The v1 view (CustomerSession) of a stored session: one coupon, one referral code."""
    codes = session.get("couponCodes") or []
    return {
        "integrationId": session["integrationId"],
        "created": session["created"],
        "applicationId": session["applicationId"],
        "profileId": session["profileId"],
        "coupon": codes[0] if codes else "",
        "referral": session.get("referralCode") or "",
        "state": session["state"],
        "cartItems": session["cartItems"],
        "identifiers": session.get("identifiers") or [],
        "total": session["total"],
        "attributes": session["attributes"],
        "firstSession": session["firstSession"],
        "discounts": discounts,
        "updateCount": session["updateCount"],
        "updated": session["updated"],
    }


def legacy_effect(effect: JsonObject) -> list[Any]:
    """An effect in the compact array form events carry: ids, then type and arguments."""
    return [
        effect["campaignId"],
        effect["rulesetId"],
        effect["ruleIndex"],
        [effect["effectType"], *effect["props"].values()],
    ]


def discounts_of(effects: list[JsonObject]) -> dict[str, float]:
    """The v1 ``discounts`` map: discount name to value, over all discount effects."""
    discounts: dict[str, float] = {}
    for effect in effects:
        if effect["effectType"] in ("setDiscount", "setDiscountPerItem"):
            props = effect["props"]
            discounts[props["name"]] = discounts.get(props["name"], 0.0) + props["value"]
    return discounts
