"""The table of operations and what reads it: the client's methods and official names agree
with the records, and the parts generated from the table are up to date."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Sequence
from datetime import datetime
from types import NoneType, UnionType
from typing import Any, Union

import pytest

import talon_async.models as models
from talon_async import ApiKeyV1, TalonClient
from talon_async._official_names import OfficialNames
from talon_async._operation import INTEGER_PATH_PARAMETERS, CallOptions, Kind, model, snake_case
from talon_async._pagination import Pager
from talon_async.operations import OPERATIONS, Operation

from . import generate

KIND_TYPES: dict[Kind, tuple[Any, ...]] = {
    "flag": (bool,),
    "yes_no": (bool,),
    "boolean": (bool | None,),
    "integer": (int | None,),
    "string": (str | None,),
    "strings": (Sequence[str] | None, Sequence[int] | None),
    "datetime": (datetime | None,),
}
"""The Python annotations a method may give a query parameter of each kind."""


class _Unpack:
    def __class_getitem__(cls, item: Any) -> Any:
        return item


NAMESPACE = {
    **{name: getattr(models, name) for name in models.__all__},
    "Unpack": _Unpack,
    "CallOptions": CallOptions,
    "Pager": Pager,
    "Sequence": Sequence,
    "datetime": datetime,
}


def _method(operation: Operation[Any], name: str | None = None) -> Any:
    resource = type(
        getattr(TalonClient("http://127.0.0.1:9", auth=ApiKeyV1("k")), operation.resource)
    )
    return getattr(resource, name or operation.method)


def _signature(function: Any) -> tuple[inspect.Signature, dict[str, Any]]:
    hints = typing.get_type_hints(function, localns=NAMESPACE)
    return inspect.signature(function), hints


def _optional(hint: Any) -> Any:
    """``X | None`` -> X (else None)."""
    if typing.get_origin(hint) in (Union, UnionType):
        rest = [arg for arg in typing.get_args(hint) if arg is not NoneType]
        if len(rest) == 1:
            return rest[0]
    return None


def test_the_table_holds_every_operation_once() -> None:
    assert len(OPERATIONS) == 42
    assert len({(op.resource, op.method) for op in OPERATIONS.values()}) == 42
    assert len({(op.http_method, op.path) for op in OPERATIONS.values()}) == 42


@pytest.mark.parametrize("operation", OPERATIONS.values(), ids=list(OPERATIONS))
def test_the_method_signature_agrees_with_the_record(operation: Operation[Any]) -> None:
    signature, hints = _signature(_method(operation))
    parameters = list(signature.parameters.values())[1:]  # after self
    positional = [p for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD]
    keywords = {p.name: p for p in parameters if p.kind is p.KEYWORD_ONLY}
    assert parameters[-1].kind is inspect.Parameter.VAR_KEYWORD  # **options
    # Path parameters, in path order, with their types; then the body, of its model.
    path = [snake_case(wire) for wire in operation.path_parameters]
    assert [p.name for p in positional[: len(path)]] == path
    for wire, parameter in zip(operation.path_parameters, positional, strict=False):
        expected = int if wire in INTEGER_PATH_PARAMETERS else str
        assert hints[parameter.name] is expected, parameter.name
    bodies = positional[len(path) :]
    if operation.body is None:
        assert bodies == []
    else:
        [body] = bodies
        hint = hints[body.name]
        assert (typing.get_origin(hint) or hint) is model(operation.body)
    # Query parameters by Python name, with a type and default their kind allows.
    assert set(keywords) == set(operation.query_parameters)
    for name, query in operation.query_parameters.items():
        assert hints[name] in KIND_TYPES[query.kind], name
        assert keywords[name].default is query.default, name
    # The answer: the record's model; None for no body, and with silent=True.
    returns = hints["return"]
    if operation.returns is None:
        assert returns is NoneType
    elif "silent" in operation.query_parameters:
        assert _optional(returns) == model(operation.returns)
    else:
        assert returns == model(operation.returns)


PAGED = [op for op in OPERATIONS.values() if op.paging is not None]


@pytest.mark.parametrize("operation", PAGED, ids=[op.operation_id for op in PAGED])
def test_a_paged_list_has_an_iterator_with_the_same_filters(operation: Operation[Any]) -> None:
    assert operation.method.startswith("get_")
    iterator = "iter_" + operation.method.removeprefix("get_")
    signature, hints = _signature(_method(operation, iterator))
    keywords = {p.name for p in signature.parameters.values() if p.kind is p.KEYWORD_ONLY}
    filters = set(operation.query_parameters) - {"page_size", "skip"}
    assert keywords == filters | {"page_size", "limit"}
    assert typing.get_origin(hints["return"]) is Pager


def test_no_method_of_a_resource_is_missing_from_the_table() -> None:
    client = TalonClient("http://127.0.0.1:9", auth=ApiKeyV1("k"))
    listed = {(op.resource, op.method) for op in OPERATIONS.values()}
    for resource in {op.resource for op in OPERATIONS.values()}:
        for name, member in vars(type(getattr(client, resource))).items():
            if callable(member) and not name.startswith(("_", "iter_")):
                assert (resource, name) in listed, f"{resource}.{name}"


def test_every_operation_is_on_the_client_under_its_official_name() -> None:
    officials = {name for name in vars(OfficialNames) if not name.startswith("_")}
    assert officials == {operation.name for operation in OPERATIONS.values()}
    for operation in OPERATIONS.values():
        official = getattr(TalonClient, operation.name)
        method = _method(operation)
        assert inspect.signature(official) == inspect.signature(method), operation.name


async def test_an_official_name_calls_its_resource_method() -> None:
    calls = []

    async def record(self: object, *args: object, **kwargs: object) -> str:
        calls.append((type(self).__name__, args, kwargs))
        return "answer"

    client = TalonClient("http://127.0.0.1:9", auth=ApiKeyV1("k"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(type(client.loyalty), "get_profile_points", record)
        answer = await client.get_loyalty_program_profile_points(3, "p", page_size=5)
    assert answer == "answer"
    assert calls[0][0] == "LoyaltyResource" and calls[0][1] == (3, "p")
    assert calls[0][2]["page_size"] == 5 and calls[0][2]["status"] is None


@pytest.mark.parametrize("path", list(generate.FILES), ids=lambda path: path.name)
def test_the_generated_files_are_up_to_date(path: Any) -> None:
    assert generate.same(path, path.read_text("utf-8"), generate.FILES[path]()), (
        f"{path.name} is out of date with talon_async/operations.py: run python -m tests.generate"
    )
