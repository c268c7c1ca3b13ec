"""The one converter between attrs models and JSON bytes.

Everything about the wire format lives here: camelCase names, omitting unset fields,
RFC 3339 datetimes, keeping unknown members, and typing ``Effect.props`` by effect type.
Hooks are generated once per model class (on first use) and cached by cattrs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from types import NoneType, UnionType
from typing import Any, TypeVar, Union, cast, get_args, get_origin
from uuid import UUID

import attrs
import orjson
from cattrs import Converter
from cattrs.fns import identity
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from .models._base import WIRE_NAME, Model
from .models.effects import EFFECT_PROPS_TYPES, Effect, EffectProps

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
    if not isinstance(value, str):
        raise TypeError(f"expected an RFC 3339 timestamp string, got {type(value).__name__}")
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


converter.register_structure_hook(datetime, lambda value, _: parse_datetime(value))
converter.register_unstructure_hook(datetime, format_datetime)


def finite_float(value: float) -> float:
    """Refuse NaN and infinities, which JSON cannot carry (orjson would send null)."""
    if not math.isfinite(value):
        raise ValueError(f"{value} cannot be sent as JSON; use a finite number")
    return value


converter.register_unstructure_hook(float, finite_float)
converter.register_structure_hook(UUID, lambda value, _: UUID(value))
converter.register_unstructure_hook(UUID, str)


def _optional_inner(type_: Any) -> Any:
    """``X`` for ``X | None`` (one type besides None), else None."""
    if get_origin(type_) not in (Union, UnionType):
        return None
    members = [arg for arg in get_args(type_) if arg is not NoneType]
    return members[0] if len(members) == 1 else None


def _structure_optional_factory(type_: Any) -> Callable[[Any, Any], Any]:
    # cattrs' generic Optional hook looks the inner hook up on every call; most response
    # fields are optional, so resolve it once per type instead.
    inner = _optional_inner(type_)
    if inner in (str, int, float, bool):

        def structure_optional_builtin(value: Any, _: Any) -> Any:
            return None if value is None else inner(value)

        return structure_optional_builtin
    structure_inner = converter.get_structure_hook(inner)

    def structure_optional(value: Any, _: Any) -> Any:
        return None if value is None else structure_inner(value, inner)

    return structure_optional


def _unstructure_optional_factory(type_: Any) -> Callable[[Any], Any]:
    inner = _optional_inner(type_)
    unstructure_inner = converter.get_unstructure_hook(inner)
    if unstructure_inner is identity:
        return identity  # cattrs then reads the attribute directly

    def unstructure_optional(value: Any) -> Any:
        return None if value is None else unstructure_inner(value)

    return unstructure_optional


def _is_optional(type_: Any) -> bool:
    return _optional_inner(type_) is not None


converter.register_structure_hook_factory(_is_optional, _structure_optional_factory)
converter.register_unstructure_hook_factory(_is_optional, _unstructure_optional_factory)

_JSON_SCALARS = frozenset({str, int, bool, NoneType})
"""JSON values that need no work to be sent (floats are checked for NaN and infinity)."""


def _is_json_object(type_: Any) -> bool:
    return bool(type_ == dict[str, Any])


def _structure_json_object(value: Any, _: Any) -> dict[str, Any]:
    # Free-form objects (attributes, payloads) arrive as freshly parsed dicts: keep them.
    if type(value) is not dict:
        raise TypeError(f"expected a JSON object, got {type(value).__name__}")
    return value


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


def _unstructure_json_object(value: dict[str, Any]) -> dict[str, Any]:
    # Plain JSON values need no dispatch per value; anything else (a datetime, a model)
    # still goes through the converter.
    return {
        key: item if type(item) in _JSON_SCALARS else _unstructure_json_value(item)
        for key, item in value.items()
    }


converter.register_structure_hook_func(_is_json_object, _structure_json_object)
converter.register_unstructure_hook_func(_is_json_object, _unstructure_json_object)


def _is_model(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, Model)


def _renames(cls: type[Model]) -> dict[str, Any]:
    attrs.resolve_types(cls)
    renames: dict[str, Any] = {"extra_fields": override(omit=True)}
    for attribute in attrs.fields(cls):
        if attribute.name != "extra_fields":
            renames[attribute.name] = override(rename=wire_name(attribute))
    return renames


def _structure_factory(cls: type[Model]) -> Callable[[Mapping[str, Any], Any], Model]:
    renames = _renames(cls)
    if cls is Effect:
        renames["props"] = override(struct_hook=lambda value, _: value)
    structure_known = make_dict_structure_fn(cls, converter, **renames)
    known = frozenset(wire_name(a) for a in attrs.fields(cls) if a.name != "extra_fields")

    def structure(data: Mapping[str, Any], _: Any) -> Model:
        instance = structure_known(data, cls)
        if not known.issuperset(data):
            instance.extra_fields = {k: v for k, v in data.items() if k not in known}
        return instance

    if cls is not Effect:
        return structure

    props_hooks = {
        effect_type: (props_type, converter.get_structure_hook(props_type))
        for effect_type, props_type in EFFECT_PROPS_TYPES.items()
    }

    def structure_effect(data: Mapping[str, Any], _: Any) -> Model:
        effect = structure(data, cls)
        assert isinstance(effect, Effect)
        known_props = props_hooks.get(effect.effect_type)
        if known_props is not None and isinstance(effect.props, Mapping):
            props_type, structure_props = known_props
            effect.props = cast(EffectProps, structure_props(effect.props, props_type))
        return effect

    return structure_effect


def _unstructure_factory(cls: type[Model]) -> Callable[[Model], dict[str, Any]]:
    renames = _renames(cls)
    if cls is Effect:
        renames["props"] = override(unstruct_hook=converter.unstructure)
    unstructure_known = make_dict_unstructure_fn(
        cls, converter, _cattrs_omit_if_default=True, **renames
    )

    def unstructure(instance: Model) -> dict[str, Any]:
        data = unstructure_known(instance)
        for key, value in instance.extra_fields.items():
            data.setdefault(key, value)
        return data

    return unstructure


converter.register_structure_hook_factory(_is_model, _structure_factory)
converter.register_unstructure_hook_factory(_is_model, _unstructure_factory)


def encode(value: Any) -> bytes:
    """Unstructure a model (or plain data) and serialize it to compact UTF-8 JSON."""
    return orjson.dumps(converter.unstructure(value))


def decode_json(body: bytes) -> Any:
    """Parse JSON bytes (raises ValueError on anything that is not one JSON document)."""
    return orjson.loads(body)


def structure(data: Any, cls: type[T]) -> T:
    """Build ``cls`` from already-parsed JSON data."""
    return converter.structure(data, cls)
