"""A small validator for request bodies, and the parts of bodies several areas share.

A schema is a type name (``"string"``, ``"integer"``, ``"number"``, ``"boolean"``,
``"object"`` for a free-form object, ``"date-time"``, ``"uuid"``, ``"any"``), a
:class:`Text` (a string of bounded length), an :class:`Int` (a bounded integer), an
:class:`Obj`, an :class:`Arr` (with bounded item counts), a :class:`MapOf`, a
:class:`OneOf` (an enum), a :class:`Tagged` or a :class:`Nullable`. Validation collects
every problem as an error item whose ``source.pointer`` is the JSON pointer of the
offending member.

JSON null is a value like any other, as in the spec's schemas: only ``"any"`` (an untyped
member) and :class:`Nullable` (a type list with ``"null"``) accept it. A member sent as
null is present: a required one is there, an optional one is refused unless nullable.
Inside a free-form ``"object"`` every value goes, null included.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from ._wire import JsonObject, error_item, parse_timestamp

_UUID = re.compile(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


@dataclass(frozen=True)
class Obj:
    """A JSON object with known members; unknown members are ignored unless ``closed``."""

    fields: Mapping[str, Schema]
    required: frozenset[str] = field(default_factory=frozenset)
    closed: bool = False


@dataclass(frozen=True)
class Arr:
    """A JSON array of ``min_items`` to ``max_items`` items that all follow one schema
    (``unique``: no item twice)."""

    items: Schema
    max_items: int | None = None
    min_items: int = 0
    unique: bool = False


@dataclass(frozen=True)
class MapOf:
    """A JSON object with free keys whose values all follow one schema."""

    values: Schema


@dataclass(frozen=True)
class OneOf:
    """A string out of a fixed set."""

    choices: tuple[str, ...]


@dataclass(frozen=True)
class Text:
    """A string of ``min_length`` to ``max_length`` characters, matching ``pattern`` if given."""

    min_length: int = 0
    max_length: int | None = None
    pattern: str | None = None


@dataclass(frozen=True)
class Int:
    """An integer from ``minimum`` to ``maximum`` (the spec's bounds, both included)."""

    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True)
class Tagged:
    """An object whose member ``tag`` says which of ``variants`` it follows."""

    tag: str
    variants: Mapping[str, Obj]


@dataclass(frozen=True)
class Nullable:
    """A value that follows ``schema`` or is null (``type: [..., "null"]`` in the spec)."""

    schema: Schema


Schema: TypeAlias = str | Text | Int | Obj | Arr | MapOf | OneOf | Tagged | Nullable


def _type_problem(value: Any, kind: str) -> str | None:
    if kind == "string":
        return None if isinstance(value, str) else "must be a string"
    if kind == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok else "must be an integer"
    if kind == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return None if ok else "must be a number"
    if kind == "boolean":
        return None if isinstance(value, bool) else "must be a boolean"
    if kind == "object":
        return None if isinstance(value, dict) else "must be an object"
    if kind == "any":
        return None
    if kind == "uuid":
        ok = isinstance(value, str) and _UUID.fullmatch(value) is not None
        return None if ok else "must be a UUID"
    if kind == "date-time":
        if not isinstance(value, str):
            return "must be an RFC 3339 date-time string"
        try:
            parse_timestamp(value)
        except ValueError:
            return "must be an RFC 3339 date-time string"
        return None
    raise ValueError(f"unknown schema type {kind!r}")


def validate(value: Any, schema: Schema, pointer: str = "") -> list[JsonObject]:
    """Every problem of ``value`` against ``schema``, as error items (empty when valid)."""
    where = pointer or "/"
    if value is None:
        ok = schema == "any" or isinstance(schema, Nullable)
        return [] if ok else [_invalid(where, "must not be null")]
    if isinstance(schema, Nullable):
        return validate(value, schema.schema, pointer)
    if isinstance(schema, str):
        problem = _type_problem(value, schema)
        return [] if problem is None else [_invalid(where, problem)]
    if isinstance(schema, Int):
        problem = _type_problem(value, "integer") or _range_problem(value, schema)
        return [] if problem is None else [_invalid(where, problem)]
    if isinstance(schema, OneOf):
        if value in schema.choices:
            return []
        return [_invalid(where, "must be one of " + ", ".join(schema.choices))]
    if isinstance(schema, Text):
        return _text_problems(value, schema, where)
    if isinstance(schema, Arr):
        if not isinstance(value, list):
            return [_invalid(where, "must be an array")]
        if len(value) < schema.min_items:
            return [_invalid(where, f"must have at least {schema.min_items} items")]
        if schema.max_items is not None and len(value) > schema.max_items:
            return [_invalid(where, f"must have at most {schema.max_items} items")]
        if schema.unique and _has_duplicates(value):
            return [_invalid(where, "must not hold an item twice")]
        return [
            problem
            for index, item in enumerate(value)
            for problem in validate(item, schema.items, f"{pointer}/{index}")
        ]
    if not isinstance(value, dict):
        return [_invalid(where, "must be an object")]
    if isinstance(schema, Tagged):
        tag = value.get(schema.tag)
        variant = schema.variants.get(tag) if isinstance(tag, str) else None
        if variant is None:
            choices = ", ".join(schema.variants)
            return [_invalid(f"{pointer}/{schema.tag}", f"must be one of {choices}")]
        return validate(value, variant, pointer)
    if isinstance(schema, MapOf):
        return [
            problem
            for key, item in value.items()
            for problem in validate(item, schema.values, f"{pointer}/{key}")
        ]
    problems = [
        _invalid(f"{pointer}/{name}", "is required")
        for name in sorted(schema.required)
        if name not in value
    ]
    if schema.closed:
        problems += [
            _invalid(f"{pointer}/{name}", "is not a member of this object")
            for name in value
            if name not in schema.fields
        ]
    for name, member_schema in schema.fields.items():
        if name in value:
            problems += validate(value[name], member_schema, f"{pointer}/{name}")
    return problems


def _has_duplicates(items: list[Any]) -> bool:
    keys = [json.dumps(item, sort_keys=True) for item in items]
    return len(set(keys)) < len(keys)


def _text_problems(value: Any, schema: Text, where: str) -> list[JsonObject]:
    if not isinstance(value, str):
        return [_invalid(where, "must be a string")]
    if len(value) < schema.min_length:
        return [_invalid(where, f"must have at least {schema.min_length} characters")]
    if schema.max_length is not None and len(value) > schema.max_length:
        return [_invalid(where, f"must have at most {schema.max_length} characters")]
    if schema.pattern is not None and re.fullmatch(schema.pattern, value) is None:
        return [_invalid(where, f"must match {schema.pattern}")]
    return []


def _range_problem(value: int, schema: Int) -> str | None:
    if schema.minimum is not None and value < schema.minimum:
        return f"must be at least {schema.minimum}"
    if schema.maximum is not None and value > schema.maximum:
        return f"must be at most {schema.maximum}"
    return None


def _invalid(pointer: str, problem: str) -> JsonObject:
    return error_item("Invalid request body", f"{pointer} {problem}", pointer=pointer)


def validate_parameter(name: str, value: str, schema: Schema) -> list[JsonObject]:
    """The problems of a path parameter, as error items naming the parameter."""
    return [
        error_item(
            "Invalid parameter",
            f"{name} {problem['details'].split(' ', 1)[1]}",
            parameter=name,
        )
        for problem in validate(value, schema)
    ]


def obj(required: tuple[str, ...] = (), **fields: Schema) -> Obj:
    """An :class:`Obj` with the ``required`` members and the member schemas."""
    return Obj(fields, frozenset(required))


def closed_obj(required: tuple[str, ...] = (), **fields: Schema) -> Obj:
    """An :class:`Obj` that allows no other members (``additionalProperties: false``)."""
    return Obj(fields, frozenset(required), closed=True)


ADDITIONAL_COSTS = MapOf(obj(("price",), price="number"))
STRINGS = Arr("string")
NON_EMPTY = Text(1)
STORE_INTEGRATION_ID = Text(1, 1000)
LOYALTY_CARDS = Arr("string", max_items=1)
INTEGRATION_ID = Text(max_length=1000)
"""A customer profile's or session's integration ID: at most 1000 characters, as the
answers' schemas say. Where a request's schema sets no bound (a profile ID in a session,
a reservation, a path), the fake applies this one, lest it answer with an entity its own
schema refuses."""
USAGE_LIMIT = Int(0, 999999)

CART_ITEM = obj(
    ("sku", "quantity"),
    name="string",
    sku=NON_EMPTY,
    quantity=Int(1),
    returnedQuantity="integer",
    remainingQuantity="integer",
    price="number",
    category="string",
    product=obj(("name",), name="string"),
    weight="number",
    height="number",
    width="number",
    length="number",
    position="number",
    attributes="object",
    additionalCosts=ADDITIONAL_COSTS,
    catalogItemID="integer",
    selectedPriceType="string",
    adjustmentReferenceId="uuid",
    adjustmentEffectiveFrom="date-time",
    adjustmentEffectiveUntil="date-time",
    prices=MapOf(
        obj(
            price="number",
            adjustmentContextId="string",
            adjustmentReferenceId="uuid",
            adjustmentEffectiveFrom="date-time",
            adjustmentEffectiveUntil="date-time",
        )
    ),
)
