"""The fake's router: its routes come from the operations table, path parameters are read
one way before any handler runs, and overlapping calls on one entity get a 409.

A path parameter is malformed when no entity can have it: an integer parameter
(``INTEGER_PATH_PARAMETERS``) that is not a decimal int64 from 0 to 2**63-1, or a string
outside its bounds (``PATH_TEXT``). Every operation answers a malformed one alike, once
the request is authenticated and before its body is checked or its handler runs: 400
"Invalid path parameter" naming it. A well-formed ID naming nothing is the handler's 404.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from typing import Any

import pytest

from talon_async.auth import INTEGRATION_AUTH, MANAGER_AUTH
from talon_async.operations import INTEGER_PATH_PARAMETERS, OPERATIONS, Operation
from talon_async.testing import FakeTalon
from talon_async.testing._http import PATH_TEXT, Handling, route_table
from talon_async.testing._schema import Text

from ..spec import operations
from .conformance import LEGACY, answer_problems, documented_statuses
from .conftest import Raw, Reply

INT64_MAX = 2**63 - 1
MALFORMED_INTEGERS = {
    "a word": "x",
    "negative": "-5",
    "a fraction": "1.5",
    "2**63": str(INT64_MAX + 1),
    "20 digits": "12345678901234567890",
    "leading plus": "+7",
}
BOUNDED_STRINGS = {
    "loyaltyCardId": ("abc", "c" * 109),  # the spec: 4 to 108 characters
    "integrationId": ("p" * 1001,),  # answers bound integration IDs at 1000 characters
    "customerSessionId": ("s" * 1001,),
}
WELL_FORMED = {"loyaltyCardId": "CARD-0001"}


# -- the route table -------------------------------------------------------------------


def test_the_fake_serves_exactly_the_operations_of_the_table() -> None:
    routes = FakeTalon.all_routes()
    assert [route.operation for route in routes] == list(OPERATIONS.values())
    for route in routes:
        assert route.method == route.operation.http_method
        assert "/" + "/".join(route.pattern) == route.operation.path


def test_an_operation_without_a_handler_or_a_handler_without_an_operation_fails() -> None:
    handlers = FakeTalon.all_handlers()
    assert len(route_table(handlers)) == len(OPERATIONS)
    missing = {name: handling for name, handling in handlers.items() if name != "getEventV3"}
    with pytest.raises(ValueError, match=r"no handler for getEventV3$"):
        route_table(missing)
    extra = {**handlers, "getWidget": handlers["getEventV3"]}
    with pytest.raises(ValueError, match=r"a handler for getWidget, which is no operation"):
        route_table(extra)
    with pytest.raises(ValueError, match=r"no handler for getEventV3; a handler for getWidget"):
        route_table({**missing, "getWidget": handlers["getEventV3"]})


def test_a_handler_validates_a_body_exactly_when_its_operation_takes_one() -> None:
    handlers = FakeTalon.all_handlers()
    no_schema = {**handlers, "trackEventV2": Handling(handlers["trackEventV2"].handler)}
    with pytest.raises(ValueError, match="trackEventV2 takes IntegrationEventV2Request, but"):
        route_table(no_schema)
    schema = {**handlers, "getEventV3": Handling(handlers["getEventV3"].handler, "object")}
    with pytest.raises(ValueError, match="getEventV3 takes no body, but"):
        route_table(schema)


@pytest.mark.parametrize("operation_id", OPERATIONS)
async def test_each_operation_takes_the_credentials_its_record_lists(
    raw: Raw, talon_fake: FakeTalon, operation_id: str
) -> None:
    operation = OPERATIONS[operation_id]
    path, body = _path(operation), b"{}"
    signed = {
        "Content-Signature": f"signer={talon_fake.application_id}; signature="
        + hmac.new(bytes.fromhex(talon_fake.application_key), body, hashlib.md5).hexdigest()
    }
    bearer = {"Authorization": f"Bearer {talon_fake.manager_token}"}
    for headers, scheme in ((signed, INTEGRATION_AUTH), (bearer, MANAGER_AUTH)):
        reply = await raw(operation.http_method, path, data=body, headers=headers, auth=False)
        assert (reply.status != 401) == (scheme in operation.auth), (scheme, reply.body)


def test_string_path_parameters_have_the_bounds_the_spec_gives_them() -> None:
    bounded = set()
    for _method, _path, operation in operations().values():
        for parameter in operation.get("parameters", ()):
            schema = parameter["schema"]
            if parameter["in"] == "path" and {"minLength", "maxLength"} & set(schema):
                bounds = Text(schema.get("minLength", 0), schema.get("maxLength"))
                assert PATH_TEXT[parameter["name"]] == bounds, parameter["name"]
                bounded.add(parameter["name"])
    assert bounded == {"loyaltyCardId"}
    # The others are the answers' bounds on integration IDs (see PATH_TEXT).
    assert {name: text.max_length for name, text in PATH_TEXT.items() if name not in bounded} == {
        "customerSessionId": 1000,
        "integrationId": 1000,
    }


def _path(operation: Operation[Any], **values: str) -> str:
    """The operation's path with ``values`` for some parameters, well-formed ones for the
    rest: 1 for integers, a word otherwise."""
    filled = {
        name: values.get(
            name, "1" if name in INTEGER_PATH_PARAMETERS else WELL_FORMED.get(name, "x1")
        )
        for name in operation.path_parameters
    }
    return operation.path.format_map(filled)


MALFORMED = [
    (operation_id, name, value)
    for operation_id, operation in OPERATIONS.items()
    for name in operation.path_parameters
    for value in (
        MALFORMED_INTEGERS.values()
        if name in INTEGER_PATH_PARAMETERS
        else BOUNDED_STRINGS.get(name, ())
    )
]


def _checked(operation_id: str, reply: Reply) -> None:
    """An answer fits what the spec (and its listed contradictions) allows."""
    if operation_id not in LEGACY:
        assert reply.status in documented_statuses(operation_id), reply.body
    assert answer_problems(operation_id, reply.status, reply.body) == []


@pytest.mark.parametrize(
    ("operation_id", "name", "value"),
    MALFORMED,
    ids=[f"{op}-{name}-{value[:12]}" for op, name, value in MALFORMED],
)
async def test_a_malformed_path_parameter_is_400_naming_it_for_every_operation(
    raw: Raw, talon_fake: FakeTalon, operation_id: str, name: str, value: str
) -> None:
    talon_fake.add_loyalty_program(1, card_based=True)
    operation = OPERATIONS[operation_id]
    reply = await raw(operation.http_method, _path(operation, **{name: value}), {})
    assert reply.status == 400, reply.body
    assert reply.json["message"] == "Invalid path parameter"
    assert [error["source"] for error in reply.json["errors"]] == [{"parameter": name}]
    _checked(operation_id, reply)
    assert talon_fake.profiles == {} and talon_fake.sessions == {}


INTEGER_PARAMETERS = [
    (operation_id, name)
    for operation_id, operation in OPERATIONS.items()
    for name in operation.path_parameters
    if name in INTEGER_PATH_PARAMETERS
]


@pytest.mark.parametrize(("operation_id", "name"), INTEGER_PARAMETERS)
@pytest.mark.parametrize("value", [str(INT64_MAX), "0", "007"])
async def test_any_int64_from_0_is_a_well_formed_id(
    raw: Raw, operation_id: str, name: str, value: str
) -> None:
    operation = OPERATIONS[operation_id]
    reply = await raw(operation.http_method, _path(operation, **{name: value}), {})
    assert reply.json["message"] != "Invalid path parameter", reply.body
    _checked(operation_id, reply)


async def test_an_unknown_id_is_the_handlers_404_naming_it(raw: Raw) -> None:
    reply = await raw("DELETE", f"/v2/audiences/{INT64_MAX}")
    assert reply.status == 404
    assert reply.json["errors"][0]["source"] == {"parameter": "audienceId"}
    assert reply.json["errors"][0]["details"] == f"no audience {INT64_MAX}"


# -- 409 on overlapping calls ----------------------------------------------------------

EVENT = {"type": "visit", "profileId": "alice", "attributes": {}}


async def _overlapping(
    raw: Raw, fake: FakeTalon, first: tuple[str, str, Any], second: tuple[str, str, Any]
) -> tuple[Reply, Reply]:
    """Send ``first`` (held 0.3 s by the delay fault), then ``second`` once the fake has
    recorded the first; the answers to both."""
    fake.faults.delay(0.3, times=1)
    held = asyncio.create_task(raw(*first))
    while not fake.requests:  # noqa: ASYNC110 (the fake has no arrival hook)
        await asyncio.sleep(0.001)
    overlapping = await raw(*second)
    assert fake.requests[0].status is None, "the first call was over before the second"
    return await held, overlapping


TRACK_V2 = ("POST", "/v2/events?silent=no", EVENT)
OVERLAPS = {
    "v2-v2": (TRACK_V2, TRACK_V2, "trackEventV2"),
    "v3-v3": (
        ("POST", "/v3/events", {**EVENT, "integrationId": "e1"}),
        ("POST", "/v3/events", {**EVENT, "integrationId": "e2"}),
        "trackEventV3",
    ),
    "v2-v3": (TRACK_V2, ("POST", "/v3/events", {**EVENT, "integrationId": "e1"}), "trackEventV3"),
    "profile-v2": (("PUT", "/v2/customer_profiles/alice", {}), TRACK_V2, "trackEventV2"),
    "v2-profile-v1": (
        TRACK_V2,
        ("PUT", "/v1/customer_profiles/alice", {}),
        "updateCustomerProfile",
    ),
}


@pytest.mark.parametrize(("first", "second", "operation_id"), OVERLAPS.values(), ids=OVERLAPS)
async def test_overlapping_calls_for_one_profile_get_409(
    raw: Raw,
    talon_fake: FakeTalon,
    first: tuple[str, str, Any],
    second: tuple[str, str, Any],
    operation_id: str,
) -> None:
    held, refused = await _overlapping(raw, talon_fake, first, second)
    assert held.status < 300, held.body
    assert refused.status == 409, refused.body
    _checked(operation_id, refused)
    assert refused.json["errors"][0]["title"] == "Parallel requests"
    assert len(talon_fake.events) == (0 if first[0] == "PUT" else 1)


@pytest.mark.parametrize(
    "second",
    [
        ("POST", "/v2/events", {**EVENT, "profileId": "bob"}),  # another profile
        ("GET", "/v3/events/e1", None),  # an operation without conflicts
        ("POST", "/v1/events", {**EVENT, "sessionId": "alice"}),  # v1 events do not conflict
    ],
)
async def test_calls_on_other_entities_or_without_conflicts_go_through(
    raw: Raw, talon_fake: FakeTalon, second: tuple[str, str, Any]
) -> None:
    _, other = await _overlapping(raw, talon_fake, ("POST", "/v2/events", EVENT), second)
    assert other.status != 409, other.body


async def test_an_unauthenticated_call_holds_no_entity(raw: Raw, talon_fake: FakeTalon) -> None:
    talon_fake.faults.delay(0.3, times=1)
    held = asyncio.create_task(raw("PUT", "/v2/customer_profiles/alice", {}, auth=False))
    while not talon_fake.requests:  # noqa: ASYNC110 (the fake has no arrival hook)
        await asyncio.sleep(0.001)
    assert (await raw("PUT", "/v2/customer_profiles/alice", {})).status == 200
    assert (await held).status == 401
