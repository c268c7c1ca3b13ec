"""The one converter between attrs models and JSON bytes.

Everything about the wire format lives here: camelCase names, omitting unset fields,
RFC 3339 datetimes, keeping unknown members, typing ``Effect.props`` by effect type, and
checking every value against its field's type in both directions. For each model class
the converter compiles one straight-line hook per direction on first use, with the checks
of its fields (and of the items of its lists and maps) inlined.

The two directions treat a mismatch differently:

* a value to be **sent** that does not fit its field raises ``TypeError`` (or
  ``ValueError`` for NaN, infinities, naive datetimes, integers beyond 64 bits, lone
  surrogates, nesting deeper than 254 levels and containers holding themselves) naming
  the field, before anything goes on the wire;
* a **received** value that deviates from the spec (a string where a number belongs, a
  missing required member, an unparsable timestamp) is by default kept as received and
  logged once per field at WARNING; in strict mode (``strict_responses=True``,
  ``from_json(..., strict=True)``) it raises :class:`SpecDeviation` naming the field.
  Unknown members, new enum values and new effect types are not deviations.

Lenient decoding is lazy: a field holding models that hold models (the effects of an
answer, its session with the cart) is decoded when first read, once, from any number of
threads; the object lets go of its JSON when nothing is left to decode. What holds only
flat models (a cart item's product and prices, an effect's props) is decoded at once,
which costs less than deferring it when it is read.

The work is split by job: ``_decode`` (received values), ``_encode`` (values to send)
and ``_hooks`` (the generated code; ``TALON_ASYNC_DEBUG_CODEGEN=1`` prints it). This
module holds the entry points the rest of the client calls.
"""

from __future__ import annotations

from types import NoneType
from typing import Any, TypeVar, cast, get_args, get_origin

import orjson

from ..models._base import Model
from ._decode import SpecDeviation, kind_of, parse_datetime, strict_mode
from ._encode import json_value, refusal
from ._hooks import converter, is_model, lazy_hook, wire_name

__all__ = [
    "SpecDeviation",
    "converter",
    "decode_json",
    "decode_model",
    "encode",
    "lazy_hook",
    "parse_datetime",
    "structure",
    "wire_name",
]

T = TypeVar("T")


def encode(value: Any, *, root: str = "the request body") -> bytes:
    """Unstructure a model (or free-form JSON data, named ``root`` in errors) and serialize
    it to compact UTF-8 JSON, checking every value on the way."""
    try:
        unstructured = (
            converter.unstructure(value) if isinstance(value, Model) else json_value(value, root)
        )
    except RecursionError:  # free-form data nested beyond Python's limit, or in a loop
        raise refusal(value, root) from None
    try:
        data = orjson.dumps(unstructured)
    except orjson.JSONEncodeError:  # what only orjson checks: found and named here
        raise refusal(value, root) from None
    # orjson's result keeps the buffer it grew into, up to twice its length; a request
    # body lives as long as the call (retries included), so keep an exact-size copy.
    return memoryview(data).tobytes()


def decode_json(body: bytes | bytearray | memoryview | str) -> Any:
    """Parse JSON (raises ValueError on anything that is not one JSON document)."""
    return orjson.loads(body)


def structure(data: Any, cls: type[T], *, strict: bool = False, lazy: bool = True) -> T:
    """Build the model ``cls`` (or a ``list`` of a model) from already-parsed JSON data.

    Raises :class:`SpecDeviation` when ``data`` is not a JSON object (array), and, with
    ``strict``, for any value that deviates from the spec. Lenient decoding is lazy (see
    :func:`lazy_hook`) unless ``lazy=False``: the model then keeps ``data``, which must
    not change afterwards (true of what was just parsed, not of a caller's dict).
    """
    if data.__class__ is dict and not strict and lazy:  # an answer: the commonest case
        hook = lazy_hook(cls)
        if hook is not None:
            return cast(T, hook(data))
    if get_origin(cls) is list:
        if data.__class__ is not list:
            raise SpecDeviation(f"expected an array, got {kind_of(data)}")
        item = get_args(cls)[0]
        return cast(T, [structure(x, item, strict=strict, lazy=lazy) for x in data])
    if data.__class__ is not dict:
        raise SpecDeviation(f"expected an object, got {kind_of(data)}")
    if not strict:
        return converter.structure(data, cls)  # eager, or a free-form dict[str, Any]
    token = strict_mode.set(True)
    try:
        return converter.structure(data, cls)
    finally:
        strict_mode.reset(token)


_TEXT = (bytes, bytearray, memoryview, str)
_PARSED = (dict, list, str, int, float, bool, NoneType)
"""What ``orjson.loads`` returns."""


def decode_model(model_type: type[T], data: Any, *, strict: bool = False) -> T:
    """:func:`talon_async.from_json`: JSON text or parsed data -> ``model_type``."""
    from ..errors import TalonDecodeError, with_article

    _check_arguments(model_type, data, strict)
    raw = data if isinstance(data, _TEXT) else None
    try:
        parsed = data if raw is None else decode_json(raw)
        # Data the caller parsed may change after the call: decoded at once, it cannot.
        return structure(parsed, model_type, strict=strict, lazy=raw is not None)
    except ValueError as exc:  # not JSON, or a SpecDeviation
        reason = f"not JSON: {exc}" if isinstance(exc, orjson.JSONDecodeError) else str(exc)
        body = raw.encode("utf-8", "replace") if isinstance(raw, str) else bytes(raw or b"")
        name = getattr(model_type, "__name__", str(model_type))
        raise TalonDecodeError(f"not {with_article(name)}: {reason}", raw=body) from None


def _decodable(value: Any) -> bool:
    """A model class, ``dict[str, Any]`` (a free-form object), or ``list[...]`` of one."""
    if get_origin(value) is list:
        return len(get_args(value)) == 1 and _decodable(get_args(value)[0])
    return is_model(value) or value == dict[str, Any]


def _shown(value: Any) -> str:
    if get_origin(value) is not None:
        return repr(value)
    return f"the class {value.__name__}" if isinstance(value, type) else type(value).__name__


def _check_arguments(model_type: Any, data: Any, strict: Any) -> None:
    """Wrong arguments of from_json are the caller's mistake: a TypeError saying which."""
    if not _decodable(model_type):
        swapped = " (arguments swapped? it is from_json(Model, data))"
        raise TypeError(
            "from_json: the first argument must be a model class (or list[...] of one, or "
            "dict[str, Any]), got "
            f"{_shown(model_type)}{swapped if _decodable(data) else ''}"
        )
    if not isinstance(data, _TEXT + _PARSED):
        raise TypeError(
            "from_json: data must be JSON text (bytes or str) or data parsed from JSON, got "
            f"{_shown(data)}"
        )
    if strict is not True and strict is not False:
        raise TypeError(f"from_json: strict must be True or False, got {_shown(strict)}")
