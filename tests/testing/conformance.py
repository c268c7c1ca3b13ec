"""How an answer of the fake is checked against the spec, for every operation it serves.

``answer_problems`` is the one check: the spec's schema of the operation's answer with
that status (``tests/spec.py``), less the spec's own contradictions, each listed below
for its operation and member with the reason, plus the documented behaviour of the
deprecated members. The four legacy operations the current spec no longer has are
checked against the parts of the spec that describe the same entities.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import jsonschema

from ..spec import operations, response_schema, validate_answer
from .test_fake_sessions_events import (
    ERROR_SCHEMA_OF as SESSIONS_ERROR_SCHEMA_OF,
    NO_BODY as SESSIONS_NO_BODY,
    spec_problems as sessions_spec_problems,
)

__all__ = ["LEGACY", "answer_problems", "deprecated_problems", "documented_statuses"]

LEGACY = {
    "getReservedCoupons": ("GET", "/v1/coupon_reservations/coupons/{integrationId}"),
    "updateCustomerProfile": ("PUT", "/v1/customer_profiles/{integrationId}"),
    "updateCustomerSession": ("PUT", "/v1/customer_sessions/{customerSessionId}"),
    "trackEvent": ("POST", "/v1/events"),
}
"""The v1 operations the fake (and the client) still serve, absent from the current spec."""

# The spec's contradictions, by operation: the problems that are the spec's, not the fake's.
# * CustomerProfile.loyaltyMemberships is documented as deprecated and always null, yet
#   typed as an array that is not nullable: every profile in an answer breaks it.
#   (test_fake_sessions_events.py already allows it at customerProfile/ for its operations.)
_NULL_MEMBERSHIPS = "loyaltyMemberships: None is not of type 'array'"
CONTRADICTIONS: dict[str, re.Pattern[str]] = {
    "getReservedCustomers": re.compile(rf"data/\d+/{_NULL_MEMBERSHIPS}"),
    "getCustomerInventory": re.compile(rf"profile/{_NULL_MEMBERSHIPS}"),
    "updateCustomerProfilesV2": re.compile(
        rf"integrationStates/\d+/customerProfile/{_NULL_MEMBERSHIPS}"
    ),
}
# * A 204 "No content" answer documented with the schema {"type": "string"}: it has no body.
NO_BODY = {("updateCustomerProfilesV2", 204), ("createReferralsForMultipleAdvocates", 204)}
# * getCustomerInventory documents no 400, yet a flag that is not true or false (the
#   spec types them as booleans) cannot be read: the fake answers 400 with the error body
#   the operation documents for its 404.
ERROR_SCHEMA_OF = {("getCustomerInventory", 400): 404}

# The legacy answers, part by part: the spec operation, status and member whose schema
# describes the same entity (None: the whole answer). The v1 session (CustomerSession)
# is described nowhere in the current spec; its part is not checked.
_STATE_PARTS = {
    "profile": ("updateCustomerProfileV2", 200, "customerProfile"),
    "event": ("updateCustomerProfileV2", 200, "event"),
    "loyalty": ("updateCustomerProfileV2", 200, "loyalty"),
    "coupon": ("createCouponReservation", 201, None),
}
_ERROR = ("createCouponReservation", 400, None)


def documented_statuses(operation_id: str) -> set[int]:
    """The statuses the fake may answer a spec operation with: the spec's, and the
    undocumented ones listed above."""
    documented = {int(status) for status in operations()[operation_id][2]["responses"]}
    undocumented = [*ERROR_SCHEMA_OF, *SESSIONS_ERROR_SCHEMA_OF, *SESSIONS_NO_BODY]
    return documented | {status for op, status in undocumented if op == operation_id}


def _part_validator(operation_id: str, status: int, member: str | None) -> Any:
    schema = response_schema(operation_id, status)
    assert schema is not None
    part = schema if member is None else schema["properties"][member]
    return jsonschema.Draft202012Validator(
        part, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _legacy_problems(operation_id: str, status: int, body: Any) -> list[str]:
    parts: list[tuple[str, Any, tuple[str, int, str | None]]]
    if status >= 400:
        parts = [("<root>", body, _ERROR)]
    elif operation_id == "getReservedCoupons":
        if not isinstance(body.get("totalResultSize"), int):
            return ["totalResultSize: not an integer"]
        parts = [
            (f"data/{i}", coupon, _STATE_PARTS["coupon"]) for i, coupon in enumerate(body["data"])
        ]
    else:
        missing = [name for name in ("session", "profile", "event") if name not in body]
        if missing:
            return [f"{name}: missing" for name in missing]
        parts = [(name, body[name], _STATE_PARTS[name]) for name in _STATE_PARTS if name in body]
    problems = []
    for where, value, (operation, documented, member) in parts:
        validator = _part_validator(operation, documented, member)
        for error in validator.iter_errors(value):
            path = "/".join(map(str, error.absolute_path))
            problem = f"{where}/{path}: {error.message[:300]}"
            if not problem.endswith(_NULL_MEMBERSHIPS):
                problems.append(problem)
    return problems


def answer_problems(operation_id: str, status: int, raw_body: bytes) -> list[str]:
    """How an answer of the fake breaks the spec, less the spec's contradictions."""
    if (operation_id, status) in NO_BODY | SESSIONS_NO_BODY:
        return [] if raw_body == b"" else ["a 204 answer with a body"]
    body = json.loads(raw_body) if raw_body else None
    if operation_id in LEGACY:
        return _legacy_problems(operation_id, status, body)
    documented = {**SESSIONS_ERROR_SCHEMA_OF, **ERROR_SCHEMA_OF}.get((operation_id, status), status)
    if (operation_id, status) in ERROR_SCHEMA_OF or body is None:
        problems = validate_answer(operation_id, documented, body)
    else:
        problems = sessions_spec_problems(operation_id, status, raw_body)
    allowed = CONTRADICTIONS.get(operation_id)
    problems = [p for p in problems if allowed is None or not allowed.fullmatch(p)]
    schema = response_schema(operation_id, documented) if body is not None else None
    return problems + list(deprecated_problems(schema, body))


# -- deprecated members ------------------------------------------------------------------
# What the spec documents for deprecated members of answers, and what the fake does:
_ALWAYS_NULL = "Always returns `null`"  # CustomerProfile.loyaltyMemberships
_SHOWN_AS_ZERO = "Value is shown as 0"  # a ledger's expiredBalance and spentBalance
_DEPRECATED = "This property is **deprecated**"  # a campaign's redemption counts, moved
# under ``budgets``: no value is documented, and the fake leaves them out.


def deprecated_problems(schema: Any, value: Any, where: str = "") -> Iterator[str]:
    """How ``value`` breaks what its schema documents for deprecated members."""
    if not isinstance(schema, dict):
        return
    for part in schema.get("allOf", ()):
        yield from deprecated_problems(part, value, where)
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            yield from deprecated_problems(schema["items"], item, f"{where}/{index}")
    if not isinstance(value, dict):
        return
    extra = schema.get("additionalProperties")
    for name, member in value.items():
        member_schema = schema.get("properties", {}).get(name)
        if member_schema is None and isinstance(extra, dict):
            member_schema = extra
        if not isinstance(member_schema, dict):
            continue
        description = member_schema.get("description", "")
        if _ALWAYS_NULL in description and member is not None:
            yield f"{where}/{name}: deprecated, always null, but {member!r}"
        elif _SHOWN_AS_ZERO in description and member != 0:
            yield f"{where}/{name}: deprecated, shown as 0, but {member!r}"
        elif _DEPRECATED in description or member_schema.get("deprecated"):
            yield f"{where}/{name}: deprecated, left out by the fake, but {member!r}"
        yield from deprecated_problems(member_schema, member, f"{where}/{name}")
