"""Values to send: the checks and conversions the generated unstructure hooks call, the
walk of free-form JSON (attributes, payloads), and what to say when orjson refuses a body.

A value that does not fit its field raises ``TypeError`` (or ``ValueError`` for a value
of the right type JSON cannot carry) naming the field, before anything is sent. The fast
path checks types only; what orjson alone finds out (an integer beyond 64 bits, a lone
surrogate, nesting deeper than it writes, a container holding itself) is located by
:func:`refusal`, which walks the value again only after orjson has refused it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from types import NoneType
from typing import Any, NoReturn
from uuid import UUID

import attrs

from ..models._base import Model


def _got(value: Any) -> str:
    """How a message names what was given instead."""
    return f"the class {value.__name__}" if isinstance(value, type) else type(value).__name__


def type_error(where: str, expected: str, value: Any) -> NoReturn:
    raise TypeError(f"{where}: expected {expected}, got {_got(value)}")


def finite(value: float, where: str) -> float:
    """Refuse NaN and infinities, which JSON cannot carry (orjson would send null)."""
    if not math.isfinite(value):
        raise ValueError(f"{where}: {value} cannot be sent as JSON; use a finite number")
    return value


def format_datetime(value: datetime) -> str:
    """Format an aware datetime as RFC 3339; a naive one is refused, not guessed."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"datetime {value.isoformat()} has no timezone; the API needs an aware datetime "
            "(for example datetime.now(timezone.utc))"
        )
    return value.isoformat()


def sent_str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        type_error(where, "a str", value)
    return str.__str__(value)  # the plain value of a subclass, such as a StrEnum member


def sent_key(key: Any, where: str) -> str:
    """A key of a map to send: orjson takes only plain ``str`` keys."""
    if not isinstance(key, str):
        type_error(f"a key of {where}", "a str", key)
    return str.__str__(key)


def sent_int(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        type_error(where, "an int", value)
    return int(value)


def sent_bool(value: Any, where: str) -> bool:
    if type(value) is not bool:  # bool cannot be subclassed
        type_error(where, "a bool", value)
    return value


def sent_float(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        type_error(where, "a float", value)
    if isinstance(value, int):
        return int(value)
    return finite(float(value), where)


def sent_datetime(value: Any, where: str) -> str:
    if not isinstance(value, datetime):
        type_error(where, "an aware datetime", value)
    try:
        return format_datetime(value)
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None


def sent_uuid(value: Any, where: str) -> str:
    if not isinstance(value, UUID):
        type_error(where, "a UUID", value)
    return str(value)


def sent_json_object(value: Any, where: str) -> dict[str, Any]:
    if value.__class__ is not dict and not isinstance(value, Mapping):
        type_error(where, "a mapping", value)
    return json_object(value, where)


JSON_SCALARS = frozenset({str, int, bool, NoneType})
"""JSON values that need no work to be sent (floats are checked for NaN and infinity)."""

PLAIN_KEYS = frozenset({str})
"""Keys orjson takes (a subclass of str it refuses)."""


def json_value(value: Any, where: str) -> Any:
    """A free-form value (attributes, payloads) made ready for orjson, checked on the way."""
    kind = type(value)
    if kind in JSON_SCALARS:
        return value
    if kind is float:
        return finite(value, where)
    if kind is dict or isinstance(value, Mapping):
        return json_object(value, where)
    if isinstance(value, (list, tuple)):
        return [json_value(item, f"{where}[{index}]") for index, item in enumerate(value)]
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, datetime):
        return sent_datetime(value, where)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Model):
        from ._hooks import converter  # the hooks module needs this one first

        return converter.unstructure(value)
    type_error(where, "a JSON value", value)


def json_object(value: Mapping[Any, Any], where: str) -> dict[str, Any]:
    """A copy of ``value`` made ready for orjson, checked on the way (the copy is what was
    checked, whatever another thread does to ``value`` meanwhile)."""
    copy = dict(value)
    # Mostly strings, integers and booleans under plain string keys: then two passes in C
    # find nothing to do. Anything else is looked at item by item.
    if PLAIN_KEYS.issuperset(map(type, copy)) and JSON_SCALARS.issuperset(map(type, copy.values())):
        return copy
    result = {}
    for key, item in copy.items():
        result[key if key.__class__ is str else sent_key(key, where)] = (
            item if type(item) in JSON_SCALARS else json_value(item, f"{where}[{key!r}]")
        )
    return result


Check = Callable[[Any, str], Any]

SENT: dict[Any, Check] = {
    str: sent_str,
    int: sent_int,
    float: sent_float,
    bool: sent_bool,
    datetime: sent_datetime,
    UUID: sent_uuid,
    dict[str, Any]: sent_json_object,
    Any: json_value,
}
"""How a value of each non-model field type is checked (and converted) before sending."""

ORJSON_NATIVE = frozenset({datetime, UUID})
"""Types orjson writes itself, exactly as ``isoformat()`` and ``str()`` would."""


# -- what orjson refused ----------------------------------------------------------------

MAX_DEPTH = 254
"""The most arrays and objects orjson writes inside each other."""

_INT_RANGE = range(-(2**63), 2**64)
"""The integers orjson writes (signed and unsigned 64 bits)."""


def refusal(value: Any, root: str) -> Exception:
    """The error for a body orjson refused (or that was too deep to be walked): the first
    value in it that cannot be sent, named by its field, found by walking it again."""
    # Iterative, so that a value as deep as Python's recursion limit can be walked too:
    # each entry is (value, field, path below the field, depth) or, once a container's
    # contents are queued, the id of the container to leave.
    inside: set[int] = set()
    stack: list[Any] = [(value, root, (), 1)]
    while stack:
        entry = stack.pop()
        if type(entry) is int:
            inside.discard(entry)
            continue
        item, field, path, depth = entry
        problem = _problem(item, field, path, depth, inside)
        if problem is not None:
            return problem
        if isinstance(item, (Model, Mapping, list, tuple)):
            inside.add(id(item))
            stack.append(id(item))
            stack.extend(reversed([(*child, depth + 1) for child in _children(item, field, path)]))
    return TypeError(f"{root}: cannot be sent as JSON")  # every check above passed


def _problem(
    value: Any, field: str, path: tuple[str, ...], depth: int, inside: set[int]
) -> Exception | None:
    """What is wrong with ``value`` itself (not with what it holds), if anything."""
    if isinstance(value, str):
        return _surrogate(value, _name(field, path))
    if isinstance(value, bool) or value is None or isinstance(value, (float, datetime, UUID)):
        return None
    if isinstance(value, int):
        if value in _INT_RANGE:
            return None
        shown = value if value.bit_length() <= 256 else f"an integer of {value.bit_length()} bits"
        return ValueError(
            f"{_name(field, path)}: {shown} is outside the 64-bit range JSON integers "
            "are sent in (-2**63 to 2**64 - 1)"
        )
    if not isinstance(value, (Model, Mapping, list, tuple)):
        return TypeError(f"{_name(field, path)}: expected a JSON value, got {_got(value)}")
    if depth > MAX_DEPTH:
        return ValueError(f"{_name(field, path)}: nested more than {MAX_DEPTH} levels deep")
    if id(value) in inside:
        return ValueError(f"{_name(field, path)}: contains itself")
    if isinstance(value, Model):
        field, path, value = f"{type(value).__name__}.extra_fields", (), value.extra_fields
        if not isinstance(value, Mapping):
            return TypeError(f"{field}: expected a mapping, got {_got(value)}")
    if not isinstance(value, Mapping):
        return None
    for key in value:
        if not isinstance(key, str):
            return TypeError(f"a key of {_name(field, path)}: expected a str, got {_got(key)}")
        problem = _surrogate(key, f"a key of {_name(field, path)}")
        if problem is not None:
            return problem
    return None


def _children(value: Any, field: str, path: tuple[str, ...]) -> Iterator[tuple[Any, str, Any]]:
    """(value, field, path) of each value a container holds, as it is sent."""
    if isinstance(value, Model):
        name = type(value).__name__
        for attribute in attrs.fields(type(value)):
            item = getattr(value, attribute.name)
            if attribute.name != "extra_fields" and item is not None:
                yield item, f"{name}.{attribute.name}", ()
        for key, item in value.extra_fields.items():
            yield item, f"{name}.extra_fields", (f"[{key!r}]",)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield item, field, (*path, f"[{key!r}]")
    else:
        for index, item in enumerate(value):
            yield item, field, (*path, f"[{index}]")


def _surrogate(text: str, where: str) -> ValueError | None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return ValueError(
            f"{where}: a string with a lone surrogate (at index {exc.start}) cannot be sent "
            "as UTF-8 JSON"
        )
    return None


def _name(field: str, path: tuple[str, ...]) -> str:
    """A field and the path below it, the middle left out when it is long."""
    if len(path) > 8:
        path = (*path[:4], "...", *path[-3:])
    return field + "".join(path)
