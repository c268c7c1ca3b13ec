"""The one converter between attrs models and JSON bytes.

Everything about the wire format lives here: camelCase names, omitting unset fields,
RFC 3339 datetimes, keeping unknown members, typing ``Effect.props`` by effect type, and
checking every value against its field's type in both directions. For each model class
the converter compiles one straight-line hook per direction on first use (cattrs caches
it), with the checks of its fields (and of the items of its lists and maps) inlined;
values cattrs reaches by its own dispatch (``list[Any]``, free-form objects) meet the
same checks through the hooks registered on the converter.
"""

from __future__ import annotations

import functools
import linecache
import math
import re
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from types import NoneType, UnionType
from typing import Any, NoReturn, TypeVar, Union, get_args, get_origin
from uuid import UUID

import attrs
import orjson
from cattrs import Converter

from .models._base import WIRE_NAME, Model
from .models.effects import EFFECT_PROPS_TYPES, Effect

T = TypeVar("T")

converter = Converter(detailed_validation=False)

_FRACTION = re.compile(r"\.(\d+)")


def wire_name(attribute: attrs.Attribute[Any]) -> str:
    """The JSON key of a model attribute."""
    explicit = attribute.metadata.get(WIRE_NAME)
    if explicit is not None:
        return str(explicit)
    head, *rest = attribute.name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _normalize_timestamp(value: str) -> str:
    """Rewrite what Python 3.10's fromisoformat refuses: a "Z" suffix, odd fraction lengths."""
    if value[-1:] in ("z", "Z"):
        value = value[:-1] + "+00:00"
    return _FRACTION.sub(lambda m: "." + m.group(1)[:6].ljust(6, "0"), value, count=1)


def parse_datetime(value: str) -> datetime:
    """Parse an RFC 3339 timestamp into an aware datetime (UTC when no offset is given)."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        # Python 3.10 rejects "Z" and fractions that are not 3 or 6 digits long.
        parsed = datetime.fromisoformat(_normalize_timestamp(value))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


def format_datetime(value: datetime) -> str:
    """Format an aware datetime as RFC 3339; a naive one is refused, not guessed."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"datetime {value.isoformat()} has no timezone; the API needs an aware datetime "
            "(for example datetime.now(timezone.utc))"
        )
    return value.isoformat()


def finite_float(value: float) -> float:
    """Refuse NaN and infinities, which JSON cannot carry (orjson would send null)."""
    if not math.isfinite(value):
        raise ValueError(f"{value} cannot be sent as JSON; use a finite number")
    return value


def _optional_inner(type_: Any) -> Any:
    """``X`` for ``X | None`` (one type besides None), else None."""
    if get_origin(type_) not in (Union, UnionType):
        return None
    members = [arg for arg in get_args(type_) if arg is not NoneType]
    return members[0] if len(members) == 1 else None


# Values are checked, never coerced: a string where the API promises a number is a broken
# response (or a bug in the caller's code), not something to paper over with str() or
# int(). The one widening JSON needs is an integer where a float is expected. Each check
# below takes the value and where it sits ("CartItem.price"), for the error message.


def _type_error(where: str, expected: str, value: Any) -> NoReturn:
    raise TypeError(f"{where}: expected {expected}, got {type(value).__name__}")


def _exactly(kind: type, expected: str) -> Callable[[Any, str], Any]:
    """A check that lets through values of exactly ``kind`` (so ``True`` is no int)."""

    def check(value: Any, where: str) -> Any:
        if type(value) is not kind:
            _type_error(where, expected, value)
        return value

    return check


_received_str = _exactly(str, "a string")
_received_int = _exactly(int, "an integer")
_received_bool = _exactly(bool, "a boolean")
# Free-form objects (attributes, payloads) arrive as freshly parsed dicts: keep them.
_received_json_object = _exactly(dict, "a JSON object")
_sent_bool = _exactly(bool, "a bool")  # bool cannot be subclassed
_parse_uuid = functools.lru_cache(maxsize=1024)(UUID)
"""A price adjustment's id repeats on every cart line it applies to and in answer after
answer; UUID() costs over a microsecond each time, a cache hit a tenth of that."""


def _received_float(value: Any, where: str) -> float:
    if type(value) is int:
        return float(value)
    if type(value) is not float:
        _type_error(where, "a number", value)
    return value


def _received_datetime(value: Any, where: str) -> datetime:
    if type(value) is not str:
        _type_error(where, "an RFC 3339 timestamp string", value)
    return parse_datetime(value)


def _received_uuid(value: Any, where: str) -> UUID:
    if type(value) is not str:
        _type_error(where, "a UUID string", value)
    return _parse_uuid(value)


def _sent_str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        _type_error(where, "a str", value)
    return str.__str__(value)  # the plain value of a subclass, such as a StrEnum member


def _sent_int(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        _type_error(where, "an int", value)
    return int(value)


def _sent_float(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        _type_error(where, "a float", value)
    if isinstance(value, int):
        return int(value)
    return finite_float(float(value))


def _sent_datetime(value: Any, where: str) -> str:
    if not isinstance(value, datetime):
        _type_error(where, "an aware datetime", value)
    return format_datetime(value)


def _sent_uuid(value: Any, where: str) -> str:
    if not isinstance(value, UUID):
        _type_error(where, "a UUID", value)
    return str(value)


def _sent_json_object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        _type_error(where, "a mapping", value)
    return _unstructure_json_object(value)


def _sent_json_value(value: Any, where: str) -> Any:
    return _unstructure_json_value(value)


def _received_json_value(value: Any, where: str) -> Any:
    return value


_JSON_SCALARS = frozenset({str, int, bool, NoneType})
"""JSON values that need no work to be sent (floats are checked for NaN and infinity)."""


def _unstructure_json_value(value: Any) -> Any:
    kind = type(value)
    if kind in _JSON_SCALARS:
        return value
    if kind is float:
        return finite_float(value)
    if kind is dict:
        return _unstructure_json_object(value)
    if kind is list:
        return [_unstructure_json_value(item) for item in value]
    return converter.unstructure(value)


def _unstructure_json_object(value: Mapping[str, Any]) -> dict[str, Any]:
    # Plain JSON values need no dispatch per value; anything else (a datetime, a model)
    # still goes through the converter.
    return {
        key: item if type(item) in _JSON_SCALARS else _unstructure_json_value(item)
        for key, item in value.items()
    }


_Check = Callable[[Any, str], Any]

_SCALARS: dict[Any, tuple[_Check, _Check]] = {
    str: (_received_str, _sent_str),
    int: (_received_int, _sent_int),
    float: (_received_float, _sent_float),
    bool: (_received_bool, _sent_bool),
}
"""JSON scalar types: (check of a received value, check of a value to send)."""

_CONVERTED: dict[Any, tuple[_Check, _Check]] = {
    datetime: (_received_datetime, _sent_datetime),
    UUID: (_received_uuid, _sent_uuid),
    dict[str, Any]: (_received_json_object, _sent_json_object),
    Any: (_received_json_value, _sent_json_value),
}
"""Types that are converted on the way in and out: (from JSON, to JSON)."""


def _register_item_hooks(type_: Any, received: _Check, sent: _Check) -> None:
    # Model fields get these checks inlined by the generated hooks below; values inside
    # containers (``list[str]``, ``dict[str, float]``) reach them through the converter.
    def structure_item(value: Any, _: Any) -> Any:
        return received(value, "an item")

    def unstructure_item(value: Any) -> Any:
        return sent(value, "an item")

    if get_origin(type_) is None:  # a class (Python 3.10 also calls dict[str, Any] a type)
        converter.register_structure_hook(type_, structure_item)
        converter.register_unstructure_hook(type_, unstructure_item)
    else:  # dict[str, Any]

        def is_type(candidate: Any) -> bool:
            return bool(candidate == type_)

        converter.register_structure_hook_func(is_type, structure_item)
        converter.register_unstructure_hook_func(is_type, unstructure_item)


for _type, (_received_check, _sent_check) in (_SCALARS | _CONVERTED).items():
    if _type is not Any:  # cattrs passes Any through on the way in, dispatches on the way out
        _register_item_hooks(_type, _received_check, _sent_check)


def _is_model(cls: Any) -> bool:
    return isinstance(cls, type) and get_origin(cls) is None and issubclass(cls, Model)


class _Generated:
    """Builds the source of one hook for one model class, and compiles it."""

    def __init__(self, cls: type[Model]) -> None:
        attrs.resolve_types(cls)
        self.cls = cls
        self.fields = [a for a in attrs.fields(cls) if a.name != "extra_fields"]
        self.scope: dict[str, Any] = {
            "__cl": cls,
            "__known": frozenset(wire_name(a) for a in self.fields),
            "__type_error": _type_error,
            "__new": object.__new__,
        }
        # The structure hook fills the slots itself instead of calling __init__ (with two
        # dozen keyword arguments, the call alone costs more than everything else in the
        # hook). That is only the same thing while models stay plain data:
        for attribute in self.fields:
            if attribute.default not in (attrs.NOTHING, None):
                raise TypeError(f"{cls.__name__}.{attribute.name}: optional fields default to None")
            if attribute.validator is not None or attribute.converter is not None:
                raise TypeError(f"{cls.__name__}.{attribute.name}: models have no validators")
        if hasattr(cls, "__attrs_pre_init__") or hasattr(cls, "__attrs_post_init__"):
            raise TypeError(f"{cls.__name__}: models have no __attrs_pre/post_init__")

    def name(self, value: Any) -> str:
        """A name under which the generated code sees ``value``."""
        name = f"__{len(self.scope)}"
        self.scope[name] = value
        return name

    def compile(self, source: list[str], direction: str) -> Any:
        code = "\n".join(source) + "\n"
        filename = f"<talon_async {direction} {self.cls.__qualname__}>"
        linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)  # tracebacks
        exec(compile(code, filename, "exec"), self.scope)
        return self.scope["hook"]


def _value_type(attribute: attrs.Attribute[Any]) -> tuple[bool, Any]:
    """(whether None is allowed, the type of a non-null value) of a model attribute."""
    inner = _optional_inner(attribute.type)
    return (inner is not None, attribute.type if inner is None else inner)


def _container(hint: Any, v: str, item: Callable[[Any], str | None]) -> tuple[str, str] | None:
    """For ``list[T]`` / ``dict[str, T]``: (the container's type name, an expression that
    applies ``item(T)``, an expression in ``x``, to every item of ``v``); None when ``hint``
    is no such container or ``item`` has no inline form for ``T``."""
    origin, args = get_origin(hint), get_args(hint)
    if origin not in (list, dict) or not args:
        return None
    one = item(args[-1])
    if one is None:
        return None
    if origin is list:
        return ("list", f"[{one} for x in {v}]")
    return ("dict", f"{{k: {one} for k, x in {v}.items()}}")


_PARSERS: dict[Any, Callable[[str], Any]] = {datetime: parse_datetime, UUID: _parse_uuid}
"""What a received string becomes, for the types the generated hooks parse inline."""


def _received(gen: _Generated, hint: Any, v: str, where: str) -> tuple[str | None, str] | None:
    """(condition, expression): when ``v`` needs work, and what it becomes; None: never."""
    if hint is Any:
        return None
    if hint in _SCALARS:
        check = gen.name(_SCALARS[hint][0])
        fail = f"{check}({v}, {where!r})"
        if hint is float:
            return (
                f"{v}.__class__ is not float",
                f"float({v}) if {v}.__class__ is int else {fail}",
            )
        return (f"{v}.__class__ is not {gen.name(hint)}", fail)
    if hint in _CONVERTED:
        check = gen.name(_CONVERTED[hint][0])
        fail = f"{check}({v}, {where!r})"
        if hint == dict[str, Any]:
            return (f"{v}.__class__ is not dict", fail)
        convert = gen.name(_PARSERS[hint])
        return (None, f"{convert}({v}) if {v}.__class__ is str else {fail}")

    def item(type_: Any) -> str | None:
        if _is_model(type_):
            return f"{gen.name(converter.get_structure_hook(type_))}(x)"
        work = _received(gen, type_, "x", f"an item of {where}") if type_ in _SCALARS else None
        if work is not None:
            condition, expression = work
            return f"({expression}) if {condition} else x"
        return None

    container = _container(hint, v, item)
    if container is not None:
        kind, loop = container
        expected = "a JSON array" if kind == "list" else "a JSON object"
        fail = f"__type_error({where!r}, {expected!r}, {v})"
        return (None, f"{loop} if {v}.__class__ is {kind} else {fail}")
    hook = gen.name(converter.get_structure_hook(hint))
    return (None, f"{hook}({v}, {gen.name(hint)})")


_ORJSON_NATIVE = frozenset({datetime, UUID})
"""Types orjson writes itself, exactly as ``isoformat()`` and ``str()`` would."""


def _sent(gen: _Generated, hint: Any, v: str, where: str) -> tuple[str | None, str]:
    """(condition, expression): when ``v`` needs work before it is sent, and what it becomes."""
    if hint in _SCALARS or hint in _ORJSON_NATIVE:
        mismatch = f"{v}.__class__ is not {gen.name(hint)}"
        if hint is float:
            mismatch += f" or {v} - {v}"  # NaN for NaN and both infinities
        elif hint is datetime:  # a naive one is refused; a zone orjson may not know, formatted
            mismatch += f" or {v}.tzinfo.__class__ is not {gen.name(timezone)}"
        check = _SCALARS[hint][1] if hint in _SCALARS else _CONVERTED[hint][1]
        return (mismatch, f"{gen.name(check)}({v}, {where!r})")
    if hint in _CONVERTED:
        return (None, f"{gen.name(_CONVERTED[hint][1])}({v}, {where!r})")

    def item(type_: Any) -> str | None:
        if _is_model(type_):
            return f"{gen.name(converter.get_unstructure_hook(type_))}(x)"
        if type_ in _SCALARS:
            condition, expression = _sent(gen, type_, "x", f"an item of {where}")
            return f"({expression}) if {condition} else x"
        return None

    container = _container(hint, v, item)
    if container is not None:
        kind, loop = container
        accepted = "(list, tuple)" if kind == "list" else gen.name(Mapping)
        fail = f"__type_error({where!r}, 'a {kind}', {v})"
        return (None, f"{loop} if isinstance({v}, {accepted}) else {fail}")
    return (None, f"{gen.name(converter.get_unstructure_hook(hint))}({v})")


def _structure_factory(cls: type[Model]) -> Callable[[Any, Any], Model]:
    # One straight-line function per model: each member is read once, a value that already
    # has its field's type costs one identity check, and every slot is filled directly (an
    # optional field's default is None, which is also what ``dict.get`` gives when absent).
    gen = _Generated(cls)
    required = sum(attribute.default is attrs.NOTHING for attribute in gen.fields)
    source = [
        "def hook(o, _=None):",
        "  if o.__class__ is not dict:",
        f"    __type_error({cls.__name__!r}, 'a JSON object', o)",
        "  get = o.get",
        f"  n = {required}",  # members read: unknown ones exist only if o has more
    ]
    for index, attribute in enumerate(gen.fields):
        v = f"v{index}"
        key = wire_name(attribute)
        nullable, hint = _value_type(attribute)
        if cls is Effect and attribute.name == "props":
            # Props of an effect type this version does not know stay the parsed object.
            props_hooks = {
                effect_type: converter.get_structure_hook(props_type)
                for effect_type, props_type in EFFECT_PROPS_TYPES.items()
            }
            effect_type = f"v{[a.name for a in gen.fields].index('effect_type')}"
            work: tuple[str | None, str] | None = (
                f"(h := {gen.name(props_hooks.get)}({effect_type})) is not None",
                f"h({v}, None)",
            )
        else:
            work = _received(gen, hint, v, f"{cls.__name__}.{attribute.name}")
        indent = "  "
        if attribute.default is None:
            source += [f"  {v} = get({key!r})", f"  if {v} is not None:", "    n += 1"]
            indent = "    "
        else:
            source.append(f"  {v} = o[{key!r}]")
            if nullable and work is not None:
                source.append(f"  if {v} is not None:")
                indent = "    "
        if work is not None:
            condition, expression = work
            if condition:
                source.append(f"{indent}if {condition}:")
            source.append(f"{indent}{'  ' if condition else ''}{v} = {expression}")
    source += [
        # A member sent as null is not counted, so then the exact check decides.
        "  if n == len(o) or __known.issuperset(o):",
        "    extra = {}",
        "  else:",
        "    extra = {k: x for k, x in o.items() if k not in __known}",
        "  self = __new(__cl)",
        "  self.extra_fields = extra",
        *[f"  self.{a.name} = v{i}" for i, a in enumerate(gen.fields)],
        "  return self",
    ]
    structure: Callable[[Any, Any], Model] = gen.compile(source, "structure")
    return structure


def _unstructure_factory(cls: type[Model]) -> Callable[[Model], dict[str, Any]]:
    # The mirror image: required fields always, optional ones only when not None, and
    # every value checked against its field's type before anything is sent.
    gen = _Generated(cls)
    source = [
        "def hook(i):",
        "  if not isinstance(i, __cl):",
        f"    __type_error('a model field', {cls.__name__!r}, i)",
        "  d = {}",
    ]
    for index, attribute in enumerate(gen.fields):
        v = f"v{index}"
        nullable, hint = _value_type(attribute)
        source.append(f"  {v} = i.{attribute.name}")
        indent = "  "
        if attribute.default is None or nullable:  # None: omitted, or null if required
            source.append(f"  if {v} is not None:")
            indent = "    "
        if cls is Effect and attribute.name == "props":
            condition, expression = None, f"{gen.name(converter.unstructure)}({v})"
        else:
            condition, expression = _sent(gen, hint, v, f"{cls.__name__}.{attribute.name}")
        if condition:
            source.append(f"{indent}if {condition}:")
            source.append(f"{indent}  {v} = {expression}")
        else:
            source.append(f"{indent}{v} = {expression}")
        store = f"d[{wire_name(attribute)!r}] = {v}"
        source.append(f"    {store}" if attribute.default is None else f"  {store}")
    source += [
        "  if i.extra_fields:",
        "    for k, x in i.extra_fields.items():",
        "      d.setdefault(k, x)",
        "  return d",
    ]
    unstructure: Callable[[Model], dict[str, Any]] = gen.compile(source, "unstructure")
    return unstructure


converter.register_structure_hook_factory(_is_model, _structure_factory)
converter.register_unstructure_hook_factory(_is_model, _unstructure_factory)


def encode(value: Any) -> bytes:
    """Unstructure a model (or plain data) and serialize it to compact UTF-8 JSON."""
    data = orjson.dumps(converter.unstructure(value))
    # orjson's result keeps the buffer it grew into, up to twice its length; a request
    # body lives as long as the call (retries included), so keep an exact-size copy.
    return memoryview(data).tobytes()


def decode_json(body: bytes) -> Any:
    """Parse JSON bytes (raises ValueError on anything that is not one JSON document)."""
    return orjson.loads(body)


def structure(data: Any, cls: type[T], *, strict: bool = False) -> T:
    """Build ``cls`` from already-parsed JSON data (see :func:`talon_async.from_json`)."""
    return converter.structure(data, cls)


def decode_model(model_type: type[T], data: Any, *, strict: bool = False) -> T:
    """:func:`talon_async.from_json`: JSON text or parsed data -> ``model_type``."""
    from .errors import TalonDecodeError

    if isinstance(data, (bytes, bytearray, memoryview, str)):
        try:
            data = orjson.loads(data)
        except ValueError as exc:
            raise TalonDecodeError(
                f"not JSON: {exc}", status=0, method="", url="", text=""
            ) from None
    try:
        return structure(data, model_type, strict=strict)
    except (KeyError, TypeError, ValueError) as exc:
        raise TalonDecodeError(
            f"not a {model_type.__name__}: {exc}", status=0, method="", url="", text=""
        ) from None
