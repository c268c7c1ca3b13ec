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

__all__ = ["LEGACY", "answer_problems", "deprecated_problems", "documented_statuses"]

LEGACY = {
    "getReservedCoupons": ("GET", "/v1/coupon_reservations/coupons/{integrationId}"),
    "updateCustomerProfile": ("PUT", "/v1/customer_profiles/{integrationId}"),
    "updateCustomerSession": ("PUT", "/v1/customer_sessions/{customerSessionId}"),
    "trackEvent": ("POST", "/v1/events"),
}
"""The v1 operations the fake (and the client) still serve, absent from the current spec."""

# The spec's contradictions: where it contradicts itself, and only there, an answer is
# checked otherwise. Each is listed with the operations and members it concerns.
#
# * An effect's ``props`` is a ``oneOf`` of 35 schemas that overlap (setDiscount and
#   rollbackDiscount are both {name, value}; acceptCoupon, rollbackCoupon and
#   acceptReferral all {value}), so every real effect matches several and fails the
#   ``oneOf``. Each effect's props are checked against the schema titled by its
#   ``effectType`` instead.
OVERLAPPING_PROPS = re.compile(r"^effects/(\d+)/props: .* is valid under each of ")
# * CustomerProfile.loyaltyMemberships is documented as deprecated and always null, yet
#   typed as an array that is not nullable: every profile in an answer breaks it.
# * CustomerSessionV2 requires ``coupon`` and ``referral``, which it does not define (they
#   are the v1 session's names; no example and no official model has them).
_NULL_MEMBERSHIPS = "loyaltyMemberships: None is not of type 'array'"
_SESSION = (
    "customerSession: 'coupon' is a required property"
    "|customerSession: 'referral' is a required property"
    f"|customerProfile/{_NULL_MEMBERSHIPS}"
)
CONTRADICTIONS: dict[str, re.Pattern[str]] = {
    "getReservedCustomers": re.compile(rf"data/\d+/{_NULL_MEMBERSHIPS}"),
    "getCustomerInventory": re.compile(rf"profile/{_NULL_MEMBERSHIPS}"),
    "updateCustomerProfilesV2": re.compile(
        rf"integrationStates/\d+/customerProfile/{_NULL_MEMBERSHIPS}"
    ),
}
"""The problems that are the spec's, by operation; for the others, those of an answer
holding a session and its profile (``_SESSION``)."""
# * A 204 "No content" answer documented with the schema {"type": "string"}, and
#   trackEventV3, which lists no 204 although its ``silent`` parameter says it answers
#   one: these answers come without a body.
NO_BODY = {
    ("updateCustomerProfilesV2", 204),
    ("createReferralsForMultipleAdvocates", 204),
    ("trackEventV2", 204),
    ("trackEventV3", 204),
}
# * Error statuses the fake answers although the operation does not list them, each
#   checked against an error schema the spec documents (operation, status):
ERROR_SCHEMA_OF = {
    # a flag that is not true or false cannot be read (the spec types them as booleans)
    ("getCustomerInventory", 400): ("getCustomerInventory", 404),
    # an unknown session: no 404 is listed for the session operations
    ("getCustomerSession", 404): ("getCustomerSession", 400),
    ("reopenCustomerSession", 404): ("reopenCustomerSession", 400),
    ("returnCartItems", 404): ("returnCartItems", 400),
    # getEventV3 takes an API key, but lists no 401
    ("getEventV3", 401): ("getEventV3", 404),
    # the request schemas have required and bounded members, yet no 400 is listed
    ("updateAudienceV2", 400): ("createAudienceV2", 400),
    ("updateAudienceCustomersAttributes", 400): ("createAudienceV2", 400),
    # bestPriorPrice lists only 200 (and no security), yet a request can break its schema
    # and the fake, as the API, asks every request for credentials
    ("bestPriorPrice", 400): ("createAudienceV2", 400),
    ("bestPriorPrice", 401): ("createAudienceV2", 400),
    # a card of a program that does not exist cannot be made: lists no 404
    ("generateLoyaltyCard", 404): ("getLoyaltyBalances", 404),
    # a malformed path parameter (an integer ID that is no int64 from 0, an integration ID
    # over the 1000 characters the answers allow) answers 400 "Invalid path parameter",
    # as most operations list, although these list no 400 (nor do getCustomerInventory,
    # updateAudienceV2 and updateAudienceCustomersAttributes, above)
    ("deleteAudienceMembershipsV2", 400): ("deleteAudienceV2", 400),
    ("deleteCustomerData", 400): ("deleteCustomerData", 404),
    ("getEventV3", 400): ("getEventV3", 404),
}


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
    undocumented = [*ERROR_SCHEMA_OF, *NO_BODY]
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


def _props_schemas(schema: Any) -> Iterator[list[Any]]:
    """The ``oneOf`` alternatives of every effect's props in an answer schema."""
    if isinstance(schema, dict):
        props = schema.get("properties", {}).get("props", {})
        if "oneOf" in props:
            yield props["oneOf"]
        for value in schema.values():
            yield from _props_schemas(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _props_schemas(value)


def _props_problems(operation_id: str, status: int, effect: Any) -> list[str]:
    (alternatives, *_) = _props_schemas(response_schema(operation_id, status))
    titled = [s for s in alternatives if s["title"] == effect["effectType"]]
    if not titled:
        return [f"the spec has no props schema for {effect['effectType']}"]
    validator = jsonschema.Draft202012Validator(
        titled[0], format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return [
        f"{effect['effectType']} props: {e.message}" for e in validator.iter_errors(effect["props"])
    ]


def answer_problems(operation_id: str, status: int, raw_body: bytes) -> list[str]:
    """How an answer of the fake breaks the spec, less the spec's contradictions."""
    if (operation_id, status) in NO_BODY:
        return [] if raw_body == b"" else ["a 204 answer with a body"]
    body: Any = json.loads(raw_body) if raw_body else None
    if operation_id in LEGACY:
        return _legacy_problems(operation_id, status, body)
    checked, documented = ERROR_SCHEMA_OF.get((operation_id, status), (operation_id, status))
    allowed = CONTRADICTIONS.get(operation_id, re.compile(_SESSION))
    problems = []
    for problem in validate_answer(checked, documented, body):
        overlapping = OVERLAPPING_PROPS.match(problem)
        if overlapping:
            effect = body["effects"][int(overlapping.group(1))]
            problems += _props_problems(checked, documented, effect)
        elif not allowed.fullmatch(problem):
            problems.append(problem)
    if status >= 400 and isinstance(body, dict) and body.get("StatusCode") != status:
        problems.append(f"StatusCode {body.get('StatusCode')} in a {status} answer")
    schema = response_schema(checked, documented) if body is not None else None
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
