"""Hold the library (the table of operations and the models) against an OpenAPI description.

:func:`check` takes a spec in the shape of :func:`tests.spec.operations` (operationId ->
(method, path, operation), every ``$ref`` inlined), so the same code reads the spec kept
in the repository and a newer one (``python -m tests.spec_diff``). It returns one
:class:`Difference` per fact the library and the spec disagree on:

- operations: each of the spec has a record and each record is in the spec (a record
  the spec lacks is a difference unless it is ``deprecated``: the v1 operations Talon.One
  dropped from the description, see :func:`legacy`); method, path, path parameters (name,
  type, required), query parameters (name, type by kind, bounds, how a list is written,
  required), the page size of paged lists, whether a body is taken and the bounds on its
  list, the answer (a body, or none: a 204, or a ``silent`` parameter, which documents
  one), the security schemes;
- models: the request schema against the body's model and every 2xx answer schema
  against the answer's model, member by member and recursively: name (wire), type,
  required, nullable.

How the spec's terms map onto the models (see ``talon_async/models/_base.py``):

- required: a member the spec requires is a field without a default; an optional one
  defaults to None;
- nullable: a member the spec types ``[X, "null"]`` (or ``nullable: true``) must be able
  to carry null. A required field does when its annotation admits None (it is then sent
  as null); an optional field does in an answer (null reads as None, like an absent
  member) but not in a request, where None means "left out";
- types: string -> ``str`` (an enum too: open by design), ``format: date-time`` ->
  ``datetime``, ``format: uuid`` -> ``UUID``, integer -> ``int``, number ->
  ``float``, boolean -> ``bool``, array -> ``list[X]``, an object with members -> a model,
  an object without members -> ``dict[str, X]`` (X: its ``additionalProperties``, ``Any``
  when they are free), no type -> ``Any``. ``allOf`` is merged; a ``oneOf`` is compared
  where a field names the model of each kind (``kind_of``: by the alternatives' titles or
  the constant of the kind member), and otherwise reported once as not compared;
- a ``readOnly`` member of a request schema is the server's: the model may lack it.

The comparison follows the schema, in which every ``$ref`` is inlined (the refresh refuses a
schema that refers to itself), so it ends: a model that holds its own kind is compared as
deep as the schema describes it.

The differences are facts, not verdicts: ``tests/test_spec_check.py`` keeps the ones that
are accepted, each with its reason.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator, Mapping
from datetime import datetime
from types import NoneType, UnionType
from typing import Any, Union
from uuid import UUID

import attrs
from attrs import frozen

from talon_async._convert import wire_name
from talon_async._operation import INTEGER_PATH_PARAMETERS, Kind, model
from talon_async.models._base import KIND, Model
from talon_async.operations import OPERATIONS, Operation, Parameter

from .spec import json_schema

__all__ = ["Accepted", "Difference", "SpecOperations", "check", "legacy"]

SpecOperations = Mapping[str, tuple[str, str, Mapping[str, Any]]]
"""operationId -> (HTTP method, path template, the operation), as ``tests.spec`` reads."""
Table = Mapping[str, Operation[Any]]


@frozen
class Difference:
    """One fact the library and the spec disagree on.

    ``where`` locates it in the operation (``query.skip``, ``body``, or a member path from
    the model the record names: ``IntegrationStateV2.customerSession.cartItems[].price``);
    ``subject`` is what it is about wherever it shows: a model's member (``CartItem.price``:
    the same model is in many answers), else ``where`` (or, with no ``where``, the
    operation).
    """

    operation: str
    where: str
    what: str
    subject: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.subject, self.what)

    def __str__(self) -> str:
        return f"{self.operation}: {self.where + ': ' if self.where else ''}{self.what}"


@frozen
class Accepted:
    """A difference known and accepted, with the reason: where ``subject`` and ``what``
    match, in the listed ``operations`` (in any operation when none are listed)."""

    subject: str
    what: str
    reason: str
    operations: tuple[str, ...] = ()

    def covers(self, difference: Difference) -> bool:
        return difference.key == (self.subject, self.what) and (
            not self.operations or difference.operation in self.operations
        )


def check(
    spec: SpecOperations,
    security: list[dict[str, Any]] | None = None,
    table: Table = OPERATIONS,
) -> list[Difference]:
    """Every difference between ``table`` (with its models) and ``spec``; ``security`` is
    the document's requirements, for operations that list none of their own."""
    found: list[Difference] = []
    for operation_id, (method, path, described) in spec.items():
        record = table.get(operation_id)
        if record is None:
            found.append(
                Difference(operation_id, "", f"a new operation: {method} {path}", operation_id)
            )
        else:
            found += _Comparison(operation_id).operation(
                record, method, path, described, security or []
            )
    for operation_id, record in table.items():
        if operation_id not in spec and record.deprecated is None:
            found.append(Difference(operation_id, "", "not in the spec", operation_id))
    return found


def legacy(spec: SpecOperations, table: Table = OPERATIONS) -> list[str]:
    """The records the spec lacks that are deprecated: the v1 operations Talon.One keeps
    serving but no longer describes, which the check does not count as differences."""
    return [name for name, record in table.items() if name not in spec and record.deprecated]


# -- schemas -----------------------------------------------------------------------------

Schema = Mapping[str, Any]


def _flat(schema: Schema) -> Schema:
    """``schema`` with its ``allOf`` merged: members (a member given twice is the
    ``allOf`` of both), required members, and the first value of any other keyword."""
    parts = schema.get("allOf")
    if not parts:
        return schema
    merged: dict[str, Any] = {key: value for key, value in schema.items() if key != "allOf"}
    members: dict[str, Any] = dict(merged.get("properties", {}))
    required: list[str] = list(merged.get("required", []))
    for part in map(_flat, parts):
        for name, member in part.get("properties", {}).items():
            members[name] = {"allOf": [members[name], member]} if name in members else member
        required += part.get("required", [])
        for key, value in part.items():
            merged.setdefault(key, value)
    merged["properties"] = members
    merged["required"] = required
    return merged


def _types(schema: Schema) -> tuple[set[str], bool]:
    """(the JSON types of a value besides null, whether it may be null)."""
    declared = schema.get("type")
    types = {declared} if isinstance(declared, str) else set(declared or ())
    if not types:
        constants = [schema["const"]] if "const" in schema else schema.get("enum", [])
        types = {_JSON_TYPE[type(value)] for value in constants if type(value) in _JSON_TYPE}
        if not types and ("properties" in schema or "additionalProperties" in schema):
            types = {"object"}
        elif not types and "items" in schema:
            types = {"array"}
    nullable = "null" in types or schema.get("nullable") is True
    types.discard("null")
    return types, nullable


_JSON_TYPE = {str: "string", int: "integer", float: "number", bool: "boolean"}


def _spec_type(schema: Schema) -> str:
    """How a difference names a schema's type: ``integer``, ``string (date-time)``, ..."""
    types, _ = _types(schema)
    if not types:
        return "any"
    if types == {"string"} and schema.get("format") in ("date-time", "uuid"):
        return f"string ({schema['format']})"
    return " or ".join(sorted(types))


def _alternatives(schema: Schema) -> list[Schema]:
    return [_flat(alternative) for alternative in schema.get("oneOf", schema.get("anyOf", []))]


def _without_null_alternative(schema: Schema) -> Schema:
    """``{oneOf: [X, {type: null}]}`` as X with the type null."""
    alternatives = _alternatives(schema)
    values = [a for a in alternatives if _types(a) != (set(), True)]
    if len(alternatives) == 2 and len(values) == 1 and not schema.get("properties"):
        rest = {k: v for k, v in schema.items() if k not in ("oneOf", "anyOf")}
        types, _ = _types(values[0])
        return {**rest, **values[0], "type": [*sorted(types), "null"]}
    return schema


def _label(alternative: Schema, member: str) -> str | None:
    """The kind an alternative of a ``oneOf`` stands for: the constant of its kind member,
    else its title."""
    kind = _flat(alternative.get("properties", {}).get(member, {}))
    constants = [kind["const"]] if "const" in kind else kind.get("enum", [])
    if len(constants) == 1 and isinstance(constants[0], str):
        return constants[0]
    title = alternative.get("title")
    return title if isinstance(title, str) else None


# -- models ------------------------------------------------------------------------------

_SCALARS: dict[Any, tuple[str, ...]] = {
    str: ("string",),
    int: ("integer",),
    float: ("number",),
    bool: ("boolean",),
    datetime: ("string (date-time)",),
    UUID: ("string (uuid)",),
}
"""The spec types each scalar field type stands for."""


def _is_model(hint: Any) -> bool:
    # list[X] is an instance of type on Python 3.10, but no class to issubclass
    return isinstance(hint, type) and typing.get_origin(hint) is None and issubclass(hint, Model)


def _name(hint: Any) -> str:
    """How a difference names a field's type: ``str``, ``list[CartItem]``, ``Any``, ..."""
    if hint is Any:
        return "Any"
    if hint is dict:
        return "dict[str, Any]"
    if isinstance(hint, type) and typing.get_origin(hint) is None:
        return hint.__name__
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (Union, UnionType):
        return " | ".join(_name(arg) for arg in args)
    return f"{getattr(origin, '__name__', origin)}[{', '.join(map(_name, args))}]"


def _optional(hint: Any) -> tuple[Any, bool]:
    """(the type of a field's non-null values, whether its annotation admits None)."""
    if typing.get_origin(hint) in (Union, UnionType) and NoneType in typing.get_args(hint):
        rest = [arg for arg in typing.get_args(hint) if arg is not NoneType]
        return (rest[0] if len(rest) == 1 else Union[tuple(rest)]), True  # noqa: UP007
    return hint, False


def _fields(cls: type[Model]) -> dict[str, attrs.Attribute[Any]]:
    """A model's fields by wire name (``extra_fields`` aside)."""
    attrs.resolve_types(cls)
    return {wire_name(a): a for a in attrs.fields(cls) if a.name != "extra_fields"}


KindOf = tuple[str, Mapping[str, type[Model]], bool]


class _Comparison:
    """The comparison of one operation; collects its differences."""

    def __init__(self, operation_id: str) -> None:
        self.operation_id = operation_id
        self.found: list[Difference] = []
        self.request = False  # comparing a request body (else an answer)

    def add(self, where: str, what: str, subject: str | None = None) -> None:
        subject = (where or self.operation_id) if subject is None else subject
        self.found.append(Difference(self.operation_id, where, what, subject))

    # -- the facts of the operation ---------------------------------------------------

    def operation(
        self,
        record: Operation[Any],
        method: str,
        path: str,
        described: Mapping[str, Any],
        security: list[dict[str, Any]],
    ) -> list[Difference]:
        if record.http_method != method:
            self.add("method", f"spec {method}, table {record.http_method}")
        if record.path != path:
            self.add("path", f"spec {path}, table {record.path}")
        if described.get("deprecated") and record.deprecated is None:
            self.add("deprecated", "deprecated in the spec, not in the table")
        self.parameters(record, described.get("parameters", []))
        self.body(record, json_schema(described.get("requestBody")))
        self.answers(record, described)
        listed = described.get("security", security)
        for scheme in sorted({name for requirement in listed for name in requirement}):
            if scheme not in record.auth:
                self.add("security", f"{scheme} in the spec, not in the record's auth")
        return self.found

    def parameters(self, record: Operation[Any], described: list[dict[str, Any]]) -> None:
        places: dict[str, dict[str, dict[str, Any]]] = {}
        for entry in described:
            places.setdefault(entry["in"], {})[entry["name"]] = entry
        in_path = places.pop("path", {})
        for name in record.path_parameters:
            where = f"path.{name}"
            found = in_path.pop(name, None)
            if found is None:
                self.add(where, "not in the spec")
                continue
            spec_type = _spec_type(found.get("schema", {}))
            table_type = "integer" if name in INTEGER_PATH_PARAMETERS else "string"
            if spec_type != table_type:
                self.add(where, f"type: spec {spec_type}, table {table_type}")
            if not found.get("required"):
                self.add(where, "optional in the spec")
        for name in in_path:
            self.add(f"path.{name}", "missing from the table")
        in_query = places.pop("query", {})
        for parameter in record.query:
            found = in_query.pop(parameter.wire, None)
            if found is None:
                self.add(f"query.{parameter.wire}", "not in the spec")
            else:
                self.query(f"query.{parameter.wire}", parameter, found)
        for place, parameters in [("query", in_query), *places.items()]:
            for name in parameters:
                self.add(f"{place}.{name}", "missing from the table")
        if record.paging is not None:
            size = next((p for p in described if p["name"] == "pageSize"), {})
            default = size.get("schema", {}).get("default")
            if default != record.paging.default_size:
                self.add(
                    "query.pageSize",
                    f"default: spec {default}, table {record.paging.default_size}",
                )

    def query(self, where: str, parameter: Parameter, described: Mapping[str, Any]) -> None:
        schema = _flat(described.get("schema", {}))
        spec_type = _spec_type(schema)
        if spec_type not in _KINDS[parameter.kind]:
            self.add(where, f"type: spec {spec_type}, table {parameter.kind}")
        if described.get("required"):
            self.add(where, "required in the spec, optional in the table")
        default = schema.get("default")
        if parameter.kind == "flag" and default not in (None, False):
            self.add(where, f"a flag (sent only when true), but the spec's default is {default}")
        if parameter.kind == "yes_no" and default not in ("yes", "no"):
            self.add(where, f"yes or no, but the spec's default is {default!r}")
        if parameter.kind == "integer":
            for bound, table_value in (
                ("minimum", parameter.minimum),
                ("maximum", parameter.maximum),
            ):
                if schema.get(bound) != table_value:
                    self.add(where, f"{bound}: spec {schema.get(bound)}, table {table_value}")
        if parameter.kind == "strings":
            style = described.get("style", "form")
            explode = described.get("explode", style == "form")
            if style != "form":
                self.add(where, f"style: spec {style}, table form")
            if explode != parameter.explode:
                self.add(where, f"explode: spec {explode}, table {parameter.explode}")

    def body(self, record: Operation[Any], schema: Schema | None) -> None:
        if schema is None:
            if record.body is not None:
                self.add("body", f"no body in the spec, the table takes {record.body}")
            return
        if record.body is None:
            self.add("body", "a body in the spec, none in the table")
            return
        self.request = True
        self.value(schema, model(record.body), record.body, record.body)
        self.request = False
        if record.items is not None:
            member = _flat(_flat(schema).get("properties", {}).get(record.items.member, {}))
            spec_bounds = (member.get("minItems", 0), member.get("maxItems"))
            table_bounds = (record.items.minimum, record.items.maximum)
            if spec_bounds != table_bounds:
                self.add(
                    f"body.{record.items.member}",
                    f"items: spec {spec_bounds[0]} to {spec_bounds[1]}, "
                    f"table {table_bounds[0]} to {table_bounds[1]}",
                )

    def answers(self, record: Operation[Any], described: Mapping[str, Any]) -> None:
        success = {
            str(status): part
            for status, part in described.get("responses", {}).items()
            if str(status).startswith("2")
        }
        # A 204 has no body, whatever schema the spec gives it; a silent parameter says the
        # operation answers one (trackEventV3 lists no 204).
        bodies = {
            status: schema
            for status, part in success.items()
            if status != "204" and (schema := json_schema(part)) is not None
        }
        silent = any(p["name"] == "silent" for p in described.get("parameters", []))
        without_body = silent or len(bodies) < len(success)
        if not success:
            self.add("answer", "no success answer in the spec")
        elif not bodies and record.returns is not None:
            self.add("answer", f"no body in the spec, the table returns {record.returns}")
        elif bodies and record.returns is None:
            self.add("answer", f"a body in the spec ({', '.join(bodies)}), none in the table")
        elif bodies and without_body and "silent" not in record.query_parameters:
            self.add("answer", "also answers without a body, the table has no silent parameter")
        if record.returns is not None:
            for schema in bodies.values():
                self.value(schema, model(record.returns), record.returns, record.returns)

    # -- members and values -----------------------------------------------------------

    def value(
        self, schema: Schema, hint: Any, where: str, subject: str, kind: KindOf | None = None
    ) -> None:
        """Compare a value's schema with the type of the field holding it."""
        schema = _without_null_alternative(_flat(schema))
        if kind is not None:
            self.kinds(schema, kind, where, subject)
            return
        if "oneOf" in schema or "anyOf" in schema:
            if _is_model(hint) and self.kind_field(hint) is not None:
                self.model_kinds(schema, hint, where)
            else:
                self.add(where, "oneOf: not compared", subject)
            return
        spec_type = _spec_type(schema)
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if hint is dict:
            origin, args = dict, (str, Any)
        if hint is Any:
            if spec_type != "any":
                self.add(where, f"type: spec {spec_type}, model Any", subject)
        elif _is_model(hint):
            if spec_type != "object":
                self.add(where, f"type: spec {spec_type}, model {hint.__name__}", subject)
            elif not schema.get("properties"):
                what = f"type: spec object without members, model {hint.__name__}"
                self.add(where, what, subject)
            else:
                self.model(schema, hint, where)
        elif origin is list:
            if spec_type != "array":
                self.add(where, f"type: spec {spec_type}, model {_name(hint)}", subject)
            else:
                self.value(schema.get("items", {}), args[0], f"{where}[]", subject)
        elif origin is dict:
            self.map(schema, args[1], spec_type, where, subject)
        elif spec_type not in _SCALARS.get(hint, ()):
            self.add(where, f"type: spec {spec_type}, model {_name(hint)}", subject)

    def map(self, schema: Schema, values: Any, spec_type: str, where: str, subject: str) -> None:
        name = f"dict[str, {_name(values)}]"
        if spec_type != "object":
            self.add(where, f"type: spec {spec_type}, model {name}", subject)
        elif schema.get("properties"):
            self.add(where, f"type: spec object with members, model {name}", subject)
        else:
            extra = schema.get("additionalProperties", True)
            if isinstance(extra, Mapping):
                self.value(extra, values, f"{where}{{}}", subject)
            elif values is not Any:
                self.add(where, f"type: spec object of any values, model {name}", subject)

    def model(self, schema: Schema, cls: type[Model], where: str, **chosen: type[Model]) -> None:
        """Compare an object's members with a model's fields; ``chosen`` gives the model
        of a ``kind_of`` field for one alternative of a ``oneOf``."""
        fields = _fields(cls)
        members: Mapping[str, Schema] = schema.get("properties", {})
        required = set(schema.get("required", []))
        for name, member in members.items():
            member = _flat(member)
            server_only = self.request and member.get("readOnly") is True
            attribute = fields.get(name)
            if attribute is None:
                if not server_only:
                    what = "missing from the model"
                    if name in required:
                        what += ", required in the spec"
                    self.add(f"{where}.{name}", what, f"{cls.__name__}.{name}")
                continue
            self.member(member, attribute, name in required and not server_only, where, cls)
            kind_model = chosen.get(attribute.name)
            hint, _ = _optional(attribute.type)
            if kind_model is not None:
                self.value(member, kind_model, f"{where}.{name}", f"{cls.__name__}.{name}")
            else:
                self.value(
                    member, hint, f"{where}.{name}", f"{cls.__name__}.{name}", _kind(attribute)
                )
        for name in fields.keys() - members.keys():
            self.add(f"{where}.{name}", "not in the spec", f"{cls.__name__}.{name}")
        for name in required - members.keys():
            self.add(
                f"{where}.{name}",
                "required by the spec, which does not define it",
                f"{cls.__name__}.{name}",
            )

    def member(
        self,
        schema: Schema,
        attribute: attrs.Attribute[Any],
        required: bool,
        where: str,
        cls: type[Model],
    ) -> None:
        """Compare whether a member is required and nullable with its field."""
        name = wire_name(attribute)
        where, subject = f"{where}.{name}", f"{cls.__name__}.{name}"
        optional = attribute.default is None
        _, admits_none = _optional(attribute.type)
        _, nullable = _types(_without_null_alternative(schema))
        if required and optional:
            self.add(where, "required in the spec, optional in the model", subject)
        elif not required and not optional:
            self.add(where, "optional in the spec, required in the model", subject)
        carries_null = admits_none if not optional else not self.request
        if nullable and not carries_null:
            self.add(where, "nullable in the spec, not in the model", subject)
        elif not nullable and admits_none and not optional:
            self.add(where, "nullable in the model, not in the spec", subject)

    # -- oneOf --------------------------------------------------------------------------

    @staticmethod
    def kind_field(cls: type[Model]) -> attrs.Attribute[Any] | None:
        """The field of a model whose model a sibling member names, if any."""
        return next(
            (a for a in _fields(cls).values() if (k := _kind(a)) is not None and not k[2]), None
        )

    def kinds(self, schema: Schema, kind: KindOf, where: str, subject: str) -> None:
        """Compare the alternatives of a ``oneOf`` with the model of each kind."""
        member, models, _ = kind
        for label, alternative, found in self.labelled(schema, member, models, where, subject):
            self.value(alternative, found, f"{where}({label})", subject)

    def model_kinds(self, schema: Schema, cls: type[Model], where: str) -> None:
        """Compare an object whose alternatives differ by a kind member with a model one of
        whose fields has the model of each kind (a catalog action and its payload)."""
        field = self.kind_field(cls)
        assert field is not None
        member, models, _ = _kind(field)  # type: ignore[misc]
        subject = f"{cls.__name__}.{wire_name(field)}"
        common = {key: value for key, value in schema.items() if key not in ("oneOf", "anyOf")}
        for label, alternative, found in self.labelled(schema, member, models, where, subject):
            merged = _flat({"allOf": [common, alternative]})
            self.model(merged, cls, f"{where}({label})", **{field.name: found})

    def labelled(
        self,
        schema: Schema,
        member: str,
        models: Mapping[str, type[Model]],
        where: str,
        subject: str,
    ) -> Iterator[tuple[str, Schema, type[Model]]]:
        alternatives = _alternatives(schema)
        if not alternatives:
            self.add(where, "a model per kind in the model, one schema in the spec", subject)
        labels = set()
        for alternative in alternatives:
            label = _label(alternative, member)
            if label is None:
                self.add(where, "oneOf: an alternative without a kind, not compared", subject)
            elif label not in models:
                self.add(where, f"kind {label} in the spec, not in the model", subject)
            else:
                labels.add(label)
                yield label, alternative, models[label]
        for label in models:
            if alternatives and label not in labels:
                self.add(where, f"kind {label} in the model, not in the spec", subject)


def _kind(attribute: attrs.Attribute[Any]) -> KindOf | None:
    kind: KindOf | None = attribute.metadata.get(KIND)
    return kind


_KINDS: dict[Kind, tuple[str, ...]] = {
    "flag": ("boolean",),
    "boolean": ("boolean",),
    "yes_no": ("string",),
    "integer": ("integer",),
    "string": ("string", "string (uuid)"),
    "strings": ("array",),
    "datetime": ("string (date-time)",),
}
"""The spec types a query parameter of each kind stands for."""
