"""Odd values a user can pass reach them as TypeError or ValueError naming the field (or
the list item), before anything is sent: nesting deeper than JSON can be written,
containers holding themselves, integers outside 64 bits, lone surrogates, values JSON has
no form for, and swapped or wrong arguments of from_json and to_json."""

from __future__ import annotations

import enum
import re
from datetime import datetime, timezone
from typing import Any, get_args, get_origin
from uuid import UUID

import attrs
import orjson
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from talon_async import TalonClient, TalonDecodeError, from_json, to_json
from talon_async._convert import wire_name
from talon_async.models import (
    CartItem,
    IntegrationRequest,
    NewCustomerSessionV2,
    PriceDetail,
)
from talon_async.models._base import Model

from .all_models import every_model
from .conftest import RecordingServer


class Level(enum.IntEnum):
    HIGH = 3


def nested(depth: int) -> Any:
    """A free-form value ``depth`` objects deep."""
    value: Any = 1
    for _ in range(depth):
        value = {"k": value}
    return value


def cyclic() -> dict[str, Any]:
    looped: dict[str, Any] = {"a": [1]}
    looped["a"].append(looped)
    return looped


def session(**fields: Any) -> IntegrationRequest:
    return IntegrationRequest(customer_session=NewCustomerSessionV2(**fields))


CASES: dict[str, tuple[Any, type[Exception], str]] = {
    "300 levels of attributes": (
        session(attributes=nested(300)),
        ValueError,
        r"NewCustomerSessionV2\.attributes\['k'\].*: nested more than 254 levels deep",
    ),
    "2000 levels of attributes": (
        session(attributes=nested(2000)),
        ValueError,
        r"NewCustomerSessionV2\.attributes\['k'\].*: nested more than 254 levels deep",
    ),
    "attributes holding themselves": (
        session(attributes=cyclic()),
        ValueError,
        r"NewCustomerSessionV2\.attributes\['a'\]\[1\]: contains itself",
    ),
    "a quantity of 2**70": (
        session(cart_items=[CartItem(sku="A", quantity=1), CartItem(sku="B", quantity=2**70)]),
        ValueError,
        r"CartItem\.quantity: 1180591620717411303424 is outside the 64-bit range",
    ),
    "a negative integer beyond 64 bits in attributes": (
        session(attributes={"n": [0, -(2**63) - 1]}),
        ValueError,
        r"NewCustomerSessionV2\.attributes\['n'\]\[1\]: -9223372036854775809 is outside",
    ),
    "a lone surrogate in a string field": (
        session(cart_items=[CartItem(sku="A\ud800", quantity=1)]),
        ValueError,
        r"CartItem\.sku: a string with a lone surrogate \(at index 1\)",
    ),
    "a lone surrogate in a key": (
        session(attributes={"\udfffkey": 1}),
        ValueError,
        r"a key of NewCustomerSessionV2\.attributes: a string with a lone surrogate",
    ),
    "a key that is not a string in a map of models": (
        CartItem(sku="A", quantity=1, prices={1: PriceDetail(price=1.0)}),  # type: ignore[dict-item]
        TypeError,
        r"a key of CartItem\.prices: expected a str, got int",
    ),
    "an extra field JSON has no form for": (
        CartItem(sku="A", quantity=1, extra_fields={"when": object()}),
        TypeError,
        r"CartItem\.extra_fields\['when'\]: expected a JSON value, got object",
    ),
    "extra fields that are not a mapping": (
        CartItem(sku="A", quantity=1, extra_fields=[1]),  # type: ignore[arg-type]
        TypeError,
        r"CartItem\.extra_fields: expected a mapping, got list",
    ),
    "NaN among plain attributes": (
        session(attributes={"a": "x", "b": 1, "c": float("nan")}),
        ValueError,
        r"NewCustomerSessionV2\.attributes\['c'\]: nan cannot be sent as JSON",
    ),
    "a naive datetime among plain attributes": (
        session(attributes={"a": "x", "when": datetime(2024, 3, 1)}),
        ValueError,
        r"NewCustomerSessionV2\.attributes\['when'\]: datetime 2024-03-01T00:00:00 has no",
    ),
    "an enum among plain attributes (orjson would write its value)": (
        session(attributes={"a": "x", "level": Level.HIGH}),
        TypeError,
        r"NewCustomerSessionV2\.attributes\['level'\]: expected a JSON value, got Level",
    ),
    "NaN in extra fields": (
        CartItem(sku="A", quantity=1, extra_fields={"x": float("nan")}),
        ValueError,
        r"CartItem\.extra_fields\['x'\]: nan cannot be sent as JSON",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_odd_values_are_refused_naming_the_field(name: str) -> None:
    value, error, message = CASES[name]
    with pytest.raises(error, match=message):
        to_json(value)


async def test_odd_values_are_refused_before_anything_is_sent(
    server: RecordingServer, client: TalonClient
) -> None:
    for name in (
        "2000 levels of attributes",
        "a quantity of 2**70",
        "attributes holding themselves",
    ):
        value, error, _ = CASES[name]
        with pytest.raises(error):
            await client.sessions.update_v2("s-1", value)
    assert server.received == []


def test_depth_up_to_what_json_carries_is_sent() -> None:
    # The body and the session are two objects: attributes can hold 252 more.
    body = to_json(session(attributes=nested(252)))
    assert orjson.loads(body)["customerSession"]["attributes"] == nested(252)
    with pytest.raises(ValueError, match="nested more than 254 levels"):
        to_json(session(attributes=nested(253)))
    shared = {"x": 1}  # the same dict twice is no cycle
    assert orjson.loads(to_json(session(attributes={"a": shared, "b": [shared]}))) == {
        "customerSession": {"attributes": {"a": {"x": 1}, "b": [{"x": 1}]}}
    }


def test_the_64_bit_range_is_what_json_integers_carry() -> None:
    for number in (2**64 - 1, -(2**63)):
        assert orjson.loads(to_json(CartItem(sku="A", quantity=number))) == {
            "sku": "A",
            "quantity": number,
        }


class Tier(str, enum.Enum):
    GOLD = "gold"


def test_str_enum_keys_are_sent_as_their_value() -> None:
    item = CartItem(sku="A", quantity=1, prices={Tier.GOLD: PriceDetail(price=1.0)})
    assert orjson.loads(to_json(item))["prices"] == {"gold": {"price": 1.0}}
    assert orjson.loads(to_json(session(attributes={Tier.GOLD: 1}))) == {
        "customerSession": {"attributes": {"gold": 1}}
    }


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: from_json(b'{"sku": "A"}', CartItem), TypeError, "arguments swapped"),  # type: ignore[arg-type]
        (lambda: from_json("CartItem", b"{}"), TypeError, "got str"),  # type: ignore[arg-type]
        (lambda: from_json(int, b"1"), TypeError, "a model class"),
        (lambda: from_json(list[int], b"[1]"), TypeError, "a model class"),
        (lambda: from_json(CartItem, CartItem), TypeError, "got the class CartItem"),
        (lambda: from_json(CartItem, object()), TypeError, "JSON text"),
        (lambda: from_json(CartItem, b"{}", strict="yes"), TypeError, "strict"),  # type: ignore[arg-type]
        (lambda: to_json(CartItem), TypeError, "got the class CartItem"),
        (lambda: to_json(object()), TypeError, "to_json's argument: expected a JSON value"),
        (lambda: to_json({1: 2}), TypeError, "a key of to_json's argument: expected a str"),
    ],
)
def test_wrong_arguments_of_from_json_and_to_json(
    call: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=re.escape(message)):
        call()


def test_from_json_still_takes_what_it_promises() -> None:
    assert from_json(list[CartItem], b'[{"sku": "A", "quantity": 1}]') == [
        CartItem(sku="A", quantity=1)
    ]
    assert from_json(CartItem, {"sku": "A", "quantity": 1}) == CartItem(sku="A", quantity=1)
    for strict in (False, True):  # a free-form body (bulk jobs read them so)
        assert from_json(dict[str, Any], b'{"a": [1]}', strict=strict) == {"a": [1]}
    with pytest.raises(TalonDecodeError, match="expected an object, got an integer"):
        from_json(CartItem, 5)
    with pytest.raises(TalonDecodeError, match="not JSON"):
        from_json(CartItem, "[" * 2000)


# -- property: any value in any field of any model --------------------------------------


MODELS = every_model()


def _rarely(odd: st.SearchStrategy[Any], usual: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``odd`` one time in ten, else ``usual``."""
    return st.integers(0, 9).flatmap(lambda n: odd if n == 9 else usual)


_text = _rarely(
    st.lists(st.sampled_from(["a", "\ud800", "\udfff"]), min_size=1).map("".join),
    st.text(max_size=8),
)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**63 - 2, max_value=2**64 + 2),
    st.floats(),
    _text,
    st.datetimes(),
    st.datetimes(timezones=st.just(timezone.utc)),
    st.uuids(),
    st.sampled_from([b"bytes", object(), CartItem, Tier.GOLD, {1, 2}, 1j]),
)
_junk = st.recursive(
    st.one_of(
        _scalars,
        st.integers(min_value=250, max_value=1200).map(nested),
        st.builds(cyclic),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.one_of(_text, st.integers(), st.none()), inner, max_size=3),
    ),
    max_leaves=6,
)


def _plausible(hint: Any, depth: int) -> st.SearchStrategy[Any]:
    """Values of the field type ``hint`` (each possibly odd), or junk."""
    args = get_args(hint)
    if get_origin(hint) is not None and type(None) in args:
        inner = [arg for arg in args if arg is not type(None)]
        return st.one_of(st.none(), _plausible(inner[0], depth) if len(inner) == 1 else _junk)
    if isinstance(hint, type) and issubclass(hint, Model):
        return _instances(hint, depth + 1) if depth < 2 else _junk
    if get_origin(hint) is list:
        return st.lists(_mostly(_plausible(args[0], depth)), max_size=3)
    if get_origin(hint) is dict:
        return st.dictionaries(_text, _mostly(_plausible(args[1], depth)), max_size=3)
    simple = {
        str: _text,
        int: _rarely(st.integers(min_value=2**63 - 2, max_value=2**64 + 2), st.integers()),
        float: st.floats(),
        bool: st.booleans(),
        datetime: st.datetimes(timezones=st.just(timezone.utc)),
        UUID: st.uuids(),
    }
    return simple.get(hint, _junk)


def _mostly(plausible: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``plausible`` nine times in ten, else junk: odd values of the right type then reach
    the encoder often, rather than the first value of a wrong type ending every example."""
    return _rarely(_junk, plausible)


def _instances(model: type[Model], depth: int = 0) -> st.SearchStrategy[Model]:
    values = {
        field.name: _mostly(_plausible(field.type, depth))
        for field in attrs.fields(model)
        if field.name != "extra_fields"
    }
    extra = st.dictionaries(_rarely(st.integers(), _text), _junk, max_size=2)
    return st.builds(model, extra_fields=_mostly(extra), **values)


NAMED = re.compile(r"\b[A-Z]\w*\.\w+")


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(MODELS).flatmap(_instances))
def test_encoding_any_model_raises_nothing_but_named_type_and_value_errors(model: Model) -> None:
    try:
        body = to_json(model)
    except (TypeError, ValueError) as exc:
        assert NAMED.search(str(exc)), str(exc)
    else:
        assert isinstance(orjson.loads(body), dict)


def _members(model: type[Model]) -> st.SearchStrategy[dict[str, Any]]:
    """Objects with some of ``model``'s members (and one it does not know), each junk."""
    names = [wire_name(field) for field in attrs.fields(model) if field.name != "extra_fields"]
    return st.dictionaries(st.sampled_from([*names, "unknown"]), _junk)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(MODELS).flatmap(lambda m: st.tuples(st.just(m), _members(m))), st.booleans())
def test_decoding_any_data_raises_nothing_but_decode_errors(
    case: tuple[type[Model], dict[str, Any]], strict: bool
) -> None:
    model, data = case
    try:
        decoded = from_json(model, data, strict=strict)
    except TalonDecodeError:
        return
    for field in attrs.fields(model):
        getattr(decoded, field.name)
