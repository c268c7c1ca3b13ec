"""JSON null in request bodies: the fake refuses a null exactly where the spec does.

For every operation of the spec that takes a body, one or more valid bodies that hold
every member its request schema declares, at every depth (checked below). Each member,
array item and map entry of such a body, and the body itself, is set to null in turn;
the spec's request schema (jsonschema) says whether that is valid. Where it is not, the
fake must answer 400 with an "Invalid request body" error at that member; where it is
(an untyped member, a type list with "null", any value inside a free-form object), the
fake must answer as it answers the valid body. Every request runs on a fake reset and
prepared afresh, so that each answer depends on its body alone.

The four legacy operations are not in the spec; the three that take a body have a few
hand-written cases from the legacy models instead (none of their members is nullable).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from talon_async.testing import FakeTalon

from ..spec import operations, request_schema
from .conftest import Raw
from .test_fake_conformance import BODIES, DATE, _spec_accepts

Pointer = tuple[str | int, ...]
UUID = "68851723-e6fa-488f-ace9-112581e6c19b"
SEED = {
    "coupons": [{"value": "SPRING10", "usageLimit": 5}],
    "rules": [
        {"rule": "coupon_codes", "percent": 10},
        {"rule": "loyalty_points", "programId": 1, "pointsPerCurrencyUnit": 1},
    ],
    "audiences": [{"id": 7, "name": "Newsletter"}],
    "profiles": [{"integrationId": "alice"}, {"integrationId": "bob"}],
    "catalogs": [{"id": 1, "items": [{"sku": "A", "price": 5.0, "attributes": {"c": "red"}}]}],
    "loyaltyPrograms": [
        {"id": 1, "subledgers": ["drinks"]},
        {"id": 2, "cardBased": True, "usersPerCardLimit": 2},
    ],
}
CART = [{"sku": "shoe", "quantity": 2, "price": 50.0}]
CLOSE = (
    "PUT",
    "/v2/customer_sessions/s-1",
    {"customerSession": {"profileId": "alice", "state": "closed", "cartItems": CART}},
)


def _prepare(fake: FakeTalon) -> None:
    """A card linked to alice, and points of alice awaiting activation (UUID)."""
    fake.add_loyalty_card(2, "card-0001", profiles=["alice"])
    fake.add_loyalty_points(1, "alice", 5, subledger_id="drinks", awaits_activation=True)
    fake.loyalty_transactions[-1]["transactionUUID"] = UUID


@dataclass(frozen=True)
class Base:
    """A valid body of an operation, sent after the calls ``before``."""

    operation_id: str
    method: str
    path: str
    body: Any
    before: tuple[tuple[str, str, Any], ...] = ()


def _sync(action: str, payload: dict[str, Any]) -> Base:
    body = {"actions": [{"type": action, "payload": payload}], "version": 1}
    return Base("syncCatalog", "PUT", "/v1/catalogs/1/sync", body)


_ITEM = {"price": 2.0, "attributes": {"c": "blue", "n": 1}, "product": {"name": "P"}}
_FILTERS = [{"attr": "c", "op": "EQ", "value": "red"}]
_EVENT = {
    "profileId": "alice",
    "storeIntegrationId": "store-1",
    "evaluableCampaignIds": [1],
    "type": "review",
    "attributes": {"stars": 5},
    "loyaltyCards": ["card-1"],
}
BASES = [
    *(Base(op, method, path, body) for op, (method, path, body) in BODIES.items()),
    Base(
        "bestPriorPrice", "POST", "/v1/best_prior_price",
        {
            "skus": ["A"], "timeframeEndDate": DATE, "timeframe": "30",
            "timeframeEndDateType": "strict", "target": {"targetType": "AUDIENCE", "audienceID": 7},
        },
    ),
    _sync("ADD", {"sku": "B", "replaceIfExists": True, **_ITEM}),
    _sync("PATCH", {"sku": "A", "createIfNotExists": True, **_ITEM}),
    _sync("PATCH_MANY", {"price": 3.0, "filters": _FILTERS, "attributes": {"n": 2}}),
    _sync("REMOVE", {"sku": "A"}),
    _sync("REMOVE_MANY", {"filters": _FILTERS}),
    _sync(
        "ADD_PRICE_ADJUSTMENT",
        {
            "sku": "A",
            "adjustments": [
                {
                    "priceType": "member", "price": 4.0, "referenceId": "r-1",
                    "calculatedAt": DATE, "effectiveFrom": DATE, "effectiveUntil": DATE,
                    "contextId": "sale",
                }
            ],
        },
    ),
    Base(
        "activateLoyaltyPoints", "POST", "/v1/loyalty_programs/1/activate_points",
        {"transactionUUIDs": [UUID]},
    ),
    Base(
        "activateLoyaltyPoints", "POST", "/v1/loyalty_programs/1/activate_points",
        {"sessionId": "s-1"}, (CLOSE,),
    ),
    Base(
        "generateLoyaltyCard", "POST", "/v1/loyalty_programs/2/cards",
        {"status": "active", "customerProfileIds": ["bob"], "cardIdentifier": "card-0002"},
    ),
    Base(
        "deleteLoyaltyTransactionsFromLedgers", "POST",
        "/v1/loyalty_programs/1/profile/alice/delete_transactions",
        {"scope": "AllSubledgers", "subledgerIds": ["drinks"]},
    ),
    Base(
        "linkLoyaltyCardToProfile", "POST",
        "/v2/loyalty_programs/2/cards/card-0001/link_profile", {"integrationId": "bob"},
    ),
    Base(
        "unlinkLoyaltyCardFromProfile", "POST",
        "/v2/loyalty_programs/2/cards/card-0001/unlink_profile", {"integrationId": "alice"},
    ),
    Base(
        "updateAudienceCustomersAttributes", "PUT", "/v2/audience_customers/7/attributes",
        {"tier": "gold"},
    ),
    Base(
        "updateAudienceV2", "PUT", "/v2/audiences/7",
        {"name": "N", "subscribedApplicationsIds": [1]},
    ),
    Base(
        "createAudienceV2", "POST", "/v2/audiences",
        {
            "name": "N", "sandbox": False, "description": "d", "subscribedApplicationsIds": [1],
            "integration": "mparticle", "integrationId": "aud-1", "createdIn3rdParty": True,
            "lastUpdate": DATE,
        },
    ),
    Base(
        "returnCartItems", "POST", "/v2/customer_sessions/s-1/returns",
        {
            "return": {"returnedCartItems": [{"position": 0, "quantity": 1, "sku": "shoe"}]},
            "responseContent": ["customerSession", "previousReturns"],
        },
        (CLOSE,),
    ),
    Base(
        "trackEventV2", "POST", "/v2/events?dry=true&silent=no",
        {**_EVENT, "responseContent": ["customerProfile"]},
    ),
    Base(
        "trackEventV3", "POST", "/v3/events?dry=true&silent=no",
        {
            **_EVENT, "integrationId": "evt-1", "connectedSessionId": "s-1",
            "responseContent": ["advancedEvent"],
        },
        (CLOSE,),
    ),
]  # fmt: skip


def _area(operation_id: str) -> str:
    """The fake's area serving an operation: the module of its handler."""
    handler = FakeTalon.all_handlers()[operation_id].handler
    return handler.__module__.rsplit(".", 1)[1]


def _declared(schema: Any, at: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The path of every member a schema declares ("*": any array item or map key)."""
    if not isinstance(schema, dict):
        return
    for name, member in schema.get("properties", {}).items():
        yield (*at, name)
        yield from _declared(member, (*at, name))
    for part in ("items", "additionalProperties"):
        yield from _declared(schema.get(part), (*at, "*"))
    for combined in ("allOf", "oneOf", "anyOf"):
        for alternative in schema.get(combined, ()):
            yield from _declared(alternative, at)


def _pointers(value: Any, at: Pointer = ()) -> Iterator[Pointer]:
    """The pointer of every member, array item and map entry of a body, and of the body."""
    yield at
    if isinstance(value, (dict, list)):
        for key, item in value.items() if isinstance(value, dict) else enumerate(value):
            yield from _pointers(item, (*at, key))


def _matches(declared: tuple[str, ...], pointer: Pointer) -> bool:
    return len(declared) == len(pointer) and all(
        d in ("*", p) for d, p in zip(declared, pointer, strict=True)
    )


def _nulled(body: Any, at: Pointer) -> Any:
    if not at:
        return None
    changed = copy.deepcopy(body)
    parent = changed
    for key in at[:-1]:
        parent = parent[key]
    parent[at[-1]] = None
    return changed


def _refused_at(status: int, answer: Any, at: Pointer) -> bool:
    """Whether an answer is a 400 with an "Invalid request body" error at ``at``."""
    pointer = "".join(f"/{key}" for key in at) or "/"
    return status == 400 and any(
        error["title"] == "Invalid request body" and error["source"].get("pointer") == pointer
        for error in answer["errors"]
    )


JSON = {"Content-Type": "application/json"}


async def _send(raw: Raw, fake: FakeTalon, base: Base, body: Any) -> tuple[int, Any]:
    """``body`` sent to a fake reset, seeded and prepared for ``base``."""
    fake.reset()
    fake.seed(SEED)
    _prepare(fake)
    for call in base.before:
        assert (await raw(*call)).status < 300
    data = json.dumps(body).encode()  # a null body too
    reply = await raw(base.method, base.path, data=data, headers=JSON)
    return reply.status, reply.json if reply.body else None


WITH_BODIES = sorted(op for op in operations() if request_schema(op) is not None)


def test_every_member_the_spec_declares_is_in_a_valid_body() -> None:
    for operation_id in WITH_BODIES:
        bodies = [base.body for base in BASES if base.operation_id == operation_id]
        pointers = [pointer for body in bodies for pointer in _pointers(body)]
        missing = [
            "/".join(declared)
            for declared in _declared(request_schema(operation_id))
            if not any(_matches(declared, pointer) for pointer in pointers)
        ]
        assert bodies and missing == [], (operation_id, missing)
        assert all(_spec_accepts(operation_id, body) for body in bodies), operation_id


@pytest.mark.parametrize(
    "operation_id", WITH_BODIES, ids=[f"{_area(op)}-{op}" for op in WITH_BODIES]
)
async def test_the_fake_refuses_a_null_exactly_where_the_spec_does(
    raw: Raw, talon_fake: FakeTalon, operation_id: str
) -> None:
    mismatches = []
    refused = 0
    for base in [base for base in BASES if base.operation_id == operation_id]:
        valid_status, answer = await _send(raw, talon_fake, base, base.body)
        assert 200 <= valid_status < 300, answer
        for at in _pointers(base.body):
            body = _nulled(base.body, at)
            status, answer = await _send(raw, talon_fake, base, body)
            where = "/".join(map(str, at)) or "the body"
            if _spec_accepts(operation_id, body):
                if status != valid_status:
                    mismatches.append(f"{where}: null allowed, answered {status}: {answer}")
            else:
                refused += 1
                if not _refused_at(status, answer, at):
                    mismatches.append(f"{where}: null refused by the spec, answered {status}")
    assert not mismatches, "\n".join(mismatches)
    assert refused > 0


def test_the_spec_allows_null_in_a_few_places() -> None:
    """Where the test above sees nulls the spec allows, for the fake to accept."""
    allowed = {
        (base.operation_id, at)
        for base in BASES
        for at in _pointers(base.body)
        if _spec_accepts(base.operation_id, _nulled(base.body, at))
    }
    assert {
        ("syncCatalog", ("actions", 0, "payload", "filters", 0, "value")),  # untyped
        ("syncCatalog", ("actions", 0, "payload", "adjustments", 0, "price")),  # number, null
        ("deleteLoyaltyTransactionsFromLedgers", ("subledgerIds",)),  # array, null
        ("updateAudienceCustomersAttributes", ("tier",)),  # in a free-form object
    } <= allowed
    assert ("createReferral", ("attributes",)) not in allowed


# -- the legacy operations -----------------------------------------------------------------
# Their bodies, from the legacy models: NewEvent (type, attributes and sessionId required),
# NewCustomerSession (every member optional) with its CartItem, NewCustomerProfile. No
# member is nullable; inside the free-form ``attributes`` any value goes, null included.

LEGACY_EVENT = {"profileId": "alice", "type": "review", "attributes": {"s": 5}, "sessionId": "s-9"}
LEGACY_SESSION = {
    "profileId": "alice",
    "coupon": "SPRING10",
    "referral": "R-1",
    "state": "open",
    "cartItems": [{**CART[0], "name": "Shoe", "category": "c", "position": 0, "attributes": {}}],
    "identifiers": ["device-1"],
    "total": 100.0,
    "attributes": {"a": 1},
}
LEGACY_CASES: dict[str, tuple[str, str, dict[str, Any], list[Pointer], list[Pointer]]] = {
    "trackEvent": (
        "POST", "/v1/events", LEGACY_EVENT,
        [("profileId",), ("type",), ("attributes",), ("sessionId",)],
        [("attributes", "s")],
    ),
    "updateCustomerSession": (
        "PUT", "/v1/customer_sessions/s-9", LEGACY_SESSION,
        [
            *((name,) for name in LEGACY_SESSION),
            ("cartItems", 0), ("cartItems", 0, "price"), ("cartItems", 0, "position"),
            ("identifiers", 0),
        ],
        [("attributes", "a")],
    ),
    "updateCustomerProfile": (
        "PUT", "/v1/customer_profiles/alice", {"attributes": {"a": 1}},
        [("attributes",)],
        [("attributes", "a")],
    ),
}  # fmt: skip


@pytest.mark.parametrize(
    ("method", "path", "body", "refused", "allowed"),
    LEGACY_CASES.values(),
    ids=[f"{_area(op)}-{op}" for op in LEGACY_CASES],
)
async def test_the_legacy_operations_refuse_null_members(
    raw: Raw,
    talon_fake: FakeTalon,
    method: str,
    path: str,
    body: dict[str, Any],
    refused: list[Pointer],
    allowed: list[Pointer],
) -> None:
    base = Base("", method, path, body)
    valid_status, answer = await _send(raw, talon_fake, base, body)
    assert 200 <= valid_status < 300, answer
    for at in [(), *refused]:
        status, answer = await _send(raw, talon_fake, base, _nulled(body, at))
        assert _refused_at(status, answer, at), (at, status, answer)
    for at in allowed:
        assert (await _send(raw, talon_fake, base, _nulled(body, at)))[0] == valid_status, at
