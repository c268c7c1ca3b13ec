"""The one converter between attrs models and JSON bytes.

Everything about the wire format lives here: camelCase names, omitting unset fields,
RFC 3339 datetimes, keeping unknown members, typing ``Effect.props`` by effect type, and
checking every value against its field's type in both directions. For each model class
the converter compiles one straight-line hook per direction on first use (cattrs caches
it), with the checks of its fields (and of the items of its lists and maps) inlined.

The two directions treat a mismatch differently:

* a value to be **sent** that does not fit its field raises ``TypeError`` (or
  ``ValueError`` for NaN, infinities and naive datetimes) naming the field, before
  anything goes on the wire;
* a **received** value that deviates from the spec (a string where a number belongs, a
  missing required member, an unparsable timestamp) is by default kept as received and
  logged once per field at WARNING; in strict mode (``strict_responses=True``,
  ``from_json(..., strict=True)``) it raises :class:`SpecDeviation` naming the field.
  Unknown members, new enum values and new effect types are not deviations.
"""

from __future__ import annotations

import functools
import linecache
import logging
import math
import re
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from datetime import datetime, timezone
from types import NoneType, UnionType
from typing import Any, NoReturn, TypeVar, Union, cast, get_args, get_origin
from uuid import UUID

import attrs
import orjson
from cattrs import Converter

from .models._base import KIND, WIRE_NAME, Model

T = TypeVar("T")

logger = logging.getLogger("talon_async")

converter = Converter(detailed_validation=False)

_FRACTION = re.compile(r"\.(\d+)")


class SpecDeviation(ValueError):
    """A received value does not match the spec, found while decoding in strict mode."""


_strict: ContextVar[bool] = ContextVar("talon_async_strict", default=False)
_reported: set[str] = set()
"""Fields whose deviation was logged already: each is logged once per process."""


def wire_name(attribute: attrs.Attribute[Any]) -> str:
    """The JSON key of a model attribute."""
    explicit = attribute.metadata.get(WIRE_NAME)
    if explicit is not None:
        return str(explicit)
    head, *rest = attribute.name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def normalize_timestamp(value: str) -> str:
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
        parsed = datetime.fromisoformat(normalize_timestamp(value))
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


def _optional_inner(type_: Any) -> Any:
    """``X`` for ``X | None`` (one type besides None), else None."""
    if get_origin(type_) not in (Union, UnionType):
        return None
    members = [arg for arg in get_args(type_) if arg is not NoneType]
    return members[0] if len(members) == 1 else None


_JSON_KINDS = {
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "a boolean",
    NoneType: "null",
    dict: "an object",
    list: "an array",
}


# -- received values --------------------------------------------------------------------
# Each check takes the value and where it sits ("CartItem.quantity"); a value of the
# right type costs the generated code one identity check and never reaches these.


def _deviation(where: str, expected: str, value: Any) -> Any:
    """A received value that is not what the spec says: kept (and logged once), or raised."""
    got = _JSON_KINDS.get(type(value), type(value).__name__)
    problem = f"{where}: expected {expected}, got {got}"
    if _strict.get():
        raise SpecDeviation(problem)
    _report(where, problem)
    return value


def _missing(where: str, member: str) -> None:
    """A required member the answer lacks: None (logged once), or raised when strict."""
    problem = f"{where}: the required member {member!r} is missing"
    if _strict.get():
        raise SpecDeviation(problem)
    _report(where, problem)


def _report(where: str, problem: str) -> None:
    if where not in _reported:
        _reported.add(where)
        logger.warning(
            "response deviates from the API spec: %s (kept as received; further "
            "deviations of this field are not logged)",
            problem,
        )


def _received_int(value: Any, where: str) -> Any:
    # JSON does not tell 2 from 2.0, and JSON Schema calls both integers.
    if type(value) is float and value.is_integer():
        return int(value)
    return _deviation(where, "an integer", value)


@functools.lru_cache(maxsize=1024)
def _moment(text: str) -> datetime | None:
    """The datetime of an RFC 3339 timestamp, None if it is none. Cached: an answer repeats
    its timestamps (one creation time for many objects), and answers repeat them too."""
    try:
        return parse_datetime(text)
    except ValueError:
        return None


_parse_uuid = functools.lru_cache(maxsize=1024)(UUID)
"""A price adjustment's id repeats on every cart line it applies to and in answer after
answer; UUID() costs over a microsecond each time, a cache hit a tenth of that."""


def _received_uuid(value: Any, where: str) -> Any:
    if type(value) is str:
        try:
            return _parse_uuid(value)
        except ValueError:
            pass
    return _deviation(where, "a UUID", value)


# -- values to send ---------------------------------------------------------------------


def _type_error(where: str, expected: str, value: Any) -> NoReturn:
    raise TypeError(f"{where}: expected {expected}, got {type(value).__name__}")


def _finite(value: float, where: str) -> float:
    """Refuse NaN and infinities, which JSON cannot carry (orjson would send null)."""
    if not math.isfinite(value):
        raise ValueError(f"{where}: {value} cannot be sent as JSON; use a finite number")
    return value


def _sent_str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        _type_error(where, "a str", value)
    return str.__str__(value)  # the plain value of a subclass, such as a StrEnum member


def _sent_int(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        _type_error(where, "an int", value)
    return int(value)


def _sent_bool(value: Any, where: str) -> bool:
    if type(value) is not bool:  # bool cannot be subclassed
        _type_error(where, "a bool", value)
    return value


def _sent_float(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        _type_error(where, "a float", value)
    if isinstance(value, int):
        return int(value)
    return _finite(float(value), where)


def _sent_datetime(value: Any, where: str) -> str:
    if not isinstance(value, datetime):
        _type_error(where, "an aware datetime", value)
    try:
        return format_datetime(value)
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None


def _sent_uuid(value: Any, where: str) -> str:
    if not isinstance(value, UUID):
        _type_error(where, "a UUID", value)
    return str(value)


def _sent_json_object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        _type_error(where, "a mapping", value)
    return _json_object(value, where)


_JSON_SCALARS = frozenset({str, int, bool, NoneType})
"""JSON values that need no work to be sent (floats are checked for NaN and infinity)."""


def _json_value(value: Any, where: str) -> Any:
    """A free-form value (attributes, payloads) made ready for orjson, checked on the way."""
    kind = type(value)
    if kind in _JSON_SCALARS:
        return value
    if kind is float:
        return _finite(value, where)
    if isinstance(value, Mapping):
        return _json_object(value, where)
    if isinstance(value, (list, tuple)):
        return [_json_value(item, f"{where}[{index}]") for index, item in enumerate(value)]
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, datetime):
        return _sent_datetime(value, where)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Model):
        return converter.unstructure(value)
    _type_error(where, "a JSON value", value)


def _json_object(value: Mapping[str, Any], where: str) -> dict[str, Any]:
    result = {}
    for key, item in value.items():
        if not isinstance(key, str):
            _type_error(f"a key of {where}", "a str", key)
        result[key] = (
            item if type(item) in _JSON_SCALARS else _json_value(item, f"{where}[{key!r}]")
        )
    return result


_Check = Callable[[Any, str], Any]

_SENT: dict[Any, _Check] = {
    str: _sent_str,
    int: _sent_int,
    float: _sent_float,
    bool: _sent_bool,
    datetime: _sent_datetime,
    UUID: _sent_uuid,
    dict[str, Any]: _sent_json_object,
    Any: _json_value,
}
"""How a value of each non-model field type is checked (and converted) before sending."""

_ORJSON_NATIVE = frozenset({datetime, UUID})
"""Types orjson writes itself, exactly as ``isoformat()`` and ``str()`` would."""


def _is_model(cls: Any) -> bool:
    return isinstance(cls, type) and get_origin(cls) is None and issubclass(cls, Model)


class _Generated:
    """Builds the source of one hook for one model class, and compiles it.

    ``lazy``: the hook of lenient decoding, which leaves the fields that hold models to
    be decoded on first access (see :func:`lazy_hook`); else the eager hook of strict
    decoding (registered on the converter).
    """

    def __init__(self, cls: type[Model], *, lazy: bool = False) -> None:
        attrs.resolve_types(cls)
        self.cls = cls
        self.lazy = lazy
        self.fields = [a for a in attrs.fields(cls) if a.name != "extra_fields"]
        self.scope: dict[str, Any] = {
            "__cl": cls,
            "__known": frozenset(wire_name(a) for a in self.fields),
            "__deviation": _deviation,
            "__missing": _missing,
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

    def hook(self, model: type[Model]) -> str:
        """The name of the structure hook of ``model`` the generated code calls."""
        return self.name(lazy_hook(model) if self.lazy else converter.get_structure_hook(model))

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


def _expected(hint: Any) -> str:
    """How an error message names what a field of type ``hint`` takes."""
    if _is_model(hint):
        return "an object"
    origin = get_origin(hint)
    if origin is list:
        return "an array"
    if origin is dict or hint is dict:
        return "an object"
    if hint is datetime:
        return "an RFC 3339 timestamp"
    if hint is UUID:
        return "a UUID"
    return _JSON_KINDS.get(hint, hint.__name__ if isinstance(hint, type) else str(hint))


def _received(gen: _Generated, hint: Any, v: str, where: str, depth: int = 0) -> str | None:
    """An expression that turns the received JSON value ``v`` into the field's value (or
    keeps it, noting the deviation); None when every value is taken as it is."""
    if hint is Any:
        return None
    deviation = f"__deviation({where!r}, {_expected(hint)!r}, {v})"
    if hint in (str, bool):
        return f"{v} if {v}.__class__ is {gen.name(hint)} else {deviation}"
    if hint is int:
        return f"{v} if {v}.__class__ is int else {gen.name(_received_int)}({v}, {where!r})"
    if hint is float:
        return (
            f"{v} if {v}.__class__ is float else float({v}) if {v}.__class__ is int "
            f"else {deviation}"
        )
    if hint is datetime:
        return (
            f"(d if {v}.__class__ is str and (d := {gen.name(_moment)}({v})) is not None "
            f"else {deviation})"
        )
    if hint is UUID:
        return f"{gen.name(_received_uuid)}({v}, {where!r})"
    if hint == dict[str, Any]:
        return f"{v} if {v}.__class__ is dict else {deviation}"
    if _is_model(hint):
        return f"{gen.hook(hint)}({v}) if {v}.__class__ is dict else {deviation}"
    origin, args = get_origin(hint), get_args(hint)
    if origin in (list, dict) and args:
        kind = origin.__name__
        x = f"x{depth}"
        item = _received(gen, args[-1], x, f"an item of {where}", depth + 1)
        if item is None:
            return f"{v} if {v}.__class__ is {kind} else {deviation}"
        if origin is list:
            loop = f"[{item} for {x} in {v}]"
        else:
            loop = f"{{k{depth}: {item} for k{depth}, {x} in {v}.items()}}"
        return f"({loop} if {v}.__class__ is {kind} else {deviation})"
    raise TypeError(f"{gen.cls.__name__}: no decoding for the field type {hint!r}")


def _sent(gen: _Generated, hint: Any, v: str, where: str, depth: int = 0) -> tuple[str | None, str]:
    """(condition, expression): when ``v`` needs work before it is sent, and what it becomes."""
    if hint in (str, int, float, bool) or hint in _ORJSON_NATIVE:
        mismatch = f"{v}.__class__ is not {gen.name(hint)}"
        if hint is float:
            mismatch += f" or {v} - {v}"  # NaN for NaN and both infinities
        elif hint is datetime:  # a naive one is refused; a zone orjson may not know, formatted
            mismatch += f" or {v}.tzinfo.__class__ is not {gen.name(timezone)}"
        return (mismatch, f"{gen.name(_SENT[hint])}({v}, {where!r})")
    if hint in _SENT:
        return (None, f"{gen.name(_SENT[hint])}({v}, {where!r})")
    if _is_model(hint):
        hook = gen.name(converter.get_unstructure_hook(hint))
        fail = f"__type_error({where!r}, {'a ' + hint.__name__!r}, {v})"
        return (None, f"{hook}({v}) if isinstance({v}, {gen.name(hint)}) else {fail}")
    origin, args = get_origin(hint), get_args(hint)
    if origin in (list, dict) and args:
        x = f"x{depth}"
        condition, expression = _sent(gen, args[-1], x, f"an item of {where}", depth + 1)
        one = f"({expression}) if {condition} else {x}" if condition else expression
        if origin is list:
            loop, accepted = f"[{one} for {x} in {v}]", "(list, tuple)"
        else:
            loop = f"{{k{depth}: {one} for k{depth}, {x} in {v}.items()}}"
            accepted = gen.name(Mapping)
        fail = f"__type_error({where!r}, 'a {origin.__name__}', {v})"
        return (None, f"({loop} if isinstance({v}, {accepted}) else {fail})")
    raise TypeError(f"{gen.cls.__name__}: no encoding for the field type {hint!r}")


def _kind(attribute: attrs.Attribute[Any]) -> tuple[str, Mapping[str, type[Model]], bool] | None:
    """(member naming the kind, model of each kind, whether the member is inside the
    value) of a field declared with :func:`~talon_async.models._base.kind_of`."""
    kind: tuple[str, Mapping[str, type[Model]], bool] | None = attribute.metadata.get(KIND)
    return kind


def _received_kind(gen: _Generated, attribute: attrs.Attribute[Any], v: str, where: str) -> str:
    """The expression decoding a field whose model depends on a kind named in the JSON
    (read from ``o``, the object the field is a member of)."""
    member, models, inside = _kind(attribute)  # type: ignore[misc]
    hooks = {
        name: lazy_hook(model) if gen.lazy else converter.get_structure_hook(model)
        for name, model in models.items()
    }
    kind = (
        f"({v}.get({member!r}) if {v}.__class__ is dict else None)"
        if inside
        else f"o.get({member!r})"
    )
    typed = f"h({v}) if {v}.__class__ is dict else __deviation({where!r}, 'an object', {v})"
    # A kind this version does not know (or none at all) keeps the parsed value.
    found = f"(k := {kind}).__class__ is str and (h := {gen.name(hooks.get)}(k)) is not None"
    return f"({typed}) if {found} else {v}"


def _sent_kind(gen: _Generated, attribute: attrs.Attribute[Any], v: str, where: str) -> str:
    """The expression encoding such a field: its model (the one its kind names, when the
    kind is a sibling field), or a JSON object as it is."""
    member, models, inside = _kind(attribute)  # type: ignore[misc]
    sibling = None if inside else next(a.name for a in gen.fields if wire_name(a) == member)

    def check(instance: Any, value: Any) -> Any:
        if isinstance(value, Model):
            kind = getattr(instance, sibling) if sibling else None
            expected = models.get(kind) if isinstance(kind, str) else None
            if sibling and type(value) is not expected:
                raise TypeError(
                    f"{where}: {type(value).__name__} does not go with {sibling}={kind!r}"
                    + (f" (that takes {expected.__name__})" if expected else "")
                )
        elif not isinstance(value, Mapping):
            _type_error(where, "a model or a mapping", value)
        return _json_value(value, where)

    return f"{gen.name(check)}(i, {v})"


def _holds_models(attribute: attrs.Attribute[Any]) -> bool:
    """Whether a field holds models (a model, a list or map of them, a kind's model):
    the fields lenient decoding leaves to first access."""
    if _kind(attribute) is not None:
        return True
    hint = _value_type(attribute)[1]
    while get_origin(hint) in (list, dict) and get_args(hint):
        hint = get_args(hint)[-1]
    return _is_model(hint)


def _structure_source(gen: _Generated) -> list[str]:
    # One straight-line function per model: each member is read once, a value that already
    # has its field's type costs one identity check, and every slot is filled directly (an
    # optional field's default is None, which is also what ``dict.get`` gives when absent).
    # In a lazy hook a field holding models that is present stays unset: reading it calls
    # Model.__getattr__, which decodes it then from ``_raw`` (see ``_resolvers``).
    cls = gen.cls
    deferred = {a.name for a in gen.fields if gen.lazy and _holds_models(a)}
    required = sum(attribute.default is attrs.NOTHING for attribute in gen.fields)
    source = [
        "def hook(o, _=None):",
        "  get = o.get",
        f"  n = {required}",  # members read, counting the required ones as present
    ]
    for index, attribute in enumerate(gen.fields):
        v = f"v{index}"
        key = wire_name(attribute)
        where = f"{cls.__name__}.{attribute.name}"
        nullable, hint = _value_type(attribute)
        if attribute.name in deferred:
            work: str | None = None
        elif _kind(attribute) is not None:
            work = _received_kind(gen, attribute, v, where)
        else:
            work = _received(gen, hint, v, where)
        source.append(f"  {v} = get({key!r})")
        optional = attribute.default is None
        if optional or work is not None:
            source.append(f"  if {v} is not None:")
            if optional:
                source.append("    n += 1")
            if work is not None:
                source.append(f"    {v} = {work}")
        if not optional:
            source += [
                f"  {'else' if work is not None else f'if {v} is None'}:",
                "    n -= 1",
                f"    if {key!r} not in o:",
                f"      __missing({where!r}, {key!r})",
            ]
            if not nullable:
                expected = "an object" if _kind(attribute) else _expected(hint)
                source += ["    else:", f"      __deviation({where!r}, {expected!r}, None)"]
    source += [
        # A member sent as null is not counted, so then the exact check decides.
        "  if n == len(o) or __known.issuperset(o):",
        "    extra = {}",
        "  else:",
        "    extra = {k: x for k, x in o.items() if k not in __known}",
        "  self = __new(__cl)",
        "  self.extra_fields = extra",
    ]
    for index, attribute in enumerate(gen.fields):
        if attribute.name in deferred:
            source += [f"  if v{index} is None:", f"    self.{attribute.name} = None"]
        else:
            source.append(f"  self.{attribute.name} = v{index}")
    if deferred:
        source.append("  self._raw = o")
    source.append("  return self")
    return source


def _structure_factory(cls: type[Model]) -> Callable[[Any, Any], Model]:
    gen = _Generated(cls)
    structure: Callable[[Any, Any], Model] = gen.compile(_structure_source(gen), "structure")
    return structure


_lazy_hooks: dict[type[Model], Callable[[Any], Model]] = {}


def lazy_hook(cls: type[Model]) -> Callable[[Any], Model]:
    """The hook of lenient decoding for ``cls``: like the converter's, except that a field
    holding models is decoded the first time it is read, not before.

    An answer's fields that a program never reads then cost nothing but their share of the
    JSON parse; strict decoding stays eager, as it checks everything at once.
    """
    hook = _lazy_hooks.get(cls)
    if hook is None:
        gen = _Generated(cls, lazy=True)
        _lazy_hooks[cls] = hook = gen.compile(_structure_source(gen), "lazy structure")
        cls._talon_resolvers = _resolvers(cls)  # type: ignore[attr-defined]
    return hook


def _resolvers(cls: type[Model]) -> dict[str, Callable[[dict[str, Any]], Any]]:
    """For each field holding models: a function decoding it from the object's JSON."""
    gen = _Generated(cls, lazy=True)
    found = {}
    for attribute in gen.fields:
        if not _holds_models(attribute):
            continue
        where = f"{cls.__name__}.{attribute.name}"
        work = (
            _received_kind(gen, attribute, "v", where)
            if _kind(attribute) is not None
            else _received(gen, _value_type(attribute)[1], "v", where)
        )
        source = ["def hook(o):", f"  v = o.get({wire_name(attribute)!r})", f"  return {work}"]
        found[attribute.name] = gen.compile(source, f"resolve {attribute.name} of")
    return found


def _unstructure_factory(cls: type[Model]) -> Callable[[Model], dict[str, Any]]:
    # The mirror image: required fields always, optional ones only when not None, and
    # every value checked against its field's type before anything is sent.
    gen = _Generated(cls)
    source = [
        "def hook(i):",
        "  if not isinstance(i, __cl):",
        f"    __type_error('a model', {'a ' + cls.__name__!r}, i)",
        "  d = {}",
    ]
    for index, attribute in enumerate(gen.fields):
        v = f"v{index}"
        nullable, hint = _value_type(attribute)
        where = f"{cls.__name__}.{attribute.name}"
        source.append(f"  {v} = i.{attribute.name}")
        indent = "  "
        if attribute.default is None or nullable:  # None: omitted, or null if required
            source.append(f"  if {v} is not None:")
            indent = "    "
        if _kind(attribute) is not None:
            condition, expression = None, _sent_kind(gen, attribute, v, where)
        else:
            condition, expression = _sent(gen, hint, v, where)
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
    """Unstructure a model (or free-form JSON data) and serialize it to compact UTF-8 JSON,
    checking every value on the way."""
    unstructured = (
        converter.unstructure(value)
        if isinstance(value, Model)
        else _json_value(value, "the request body")
    )
    data = orjson.dumps(unstructured)
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
    if get_origin(cls) is list:
        if data.__class__ is not list:
            raise SpecDeviation(f"expected an array, got {_JSON_KINDS.get(type(data), 'JSON')}")
        item = get_args(cls)[0]
        return cast(T, [structure(x, item, strict=strict, lazy=lazy) for x in data])
    if data.__class__ is not dict:
        raise SpecDeviation(f"expected an object, got {_JSON_KINDS.get(type(data), 'JSON')}")
    if not strict:
        if lazy:
            return cast(T, lazy_hook(cast(type[Model], cls))(data))
        return converter.structure(data, cls)
    token = _strict.set(True)
    try:
        return converter.structure(data, cls)
    finally:
        _strict.reset(token)


def decode_model(model_type: type[T], data: Any, *, strict: bool = False) -> T:
    """:func:`talon_async.from_json`: JSON text or parsed data -> ``model_type``."""
    from .errors import TalonDecodeError, with_article

    raw = data if isinstance(data, (bytes, bytearray, memoryview, str)) else None
    try:
        parsed = data if raw is None else decode_json(raw)
        # Data the caller parsed may change after the call: decoded at once, it cannot.
        return structure(parsed, model_type, strict=strict, lazy=raw is not None)
    except ValueError as exc:  # not JSON, or a SpecDeviation
        reason = f"not JSON: {exc}" if isinstance(exc, orjson.JSONDecodeError) else str(exc)
        body = raw.encode() if isinstance(raw, str) else bytes(raw or b"")
        raise TalonDecodeError(
            f"not {with_article(model_type.__name__)}: {reason}", raw=body
        ) from None
