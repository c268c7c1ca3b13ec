"""What no Python model layer can go below: the limit rows of the codec and cold-start
measurements.

talon_async turns models into dicts (and JSON into models) with straight-line code it
generates for each class, every value checked on the way. The rows built here do the same
work with the same kind of generated code and **no check at all**: each field read and
stored, each nested model converted by its own function, a kind's model picked by a dict
lookup, timestamps parsed, unknown members kept. Nothing in Python that builds typed
objects, or reads them, can do less. So:

* if ``orjson`` plus this code is already above a target, no change to talon_async's
  Python reaches that target: only moving the work out of Python (a compiled extension)
  does;
* the distance between talon_async and these rows is what its checks cost.

The class-creation row times attrs making the model classes a session update's answer
loads (each re-created from the loaded class's fields), against a plain slotted class per
model: what a cold start pays before any call, whatever the code around it does.
"""

from __future__ import annotations

import gc
import inspect
import time
import typing
from collections.abc import Callable
from datetime import datetime
from typing import Any

import attrs

from talon_async._convert import wire_name
from talon_async._convert._hooks import _fields as model_fields, _value_type, is_model
from talon_async.models import Model
from talon_async.models._base import KIND, define

Convert = Callable[[Any], Any]


class _Unchecked:
    """Generated converters without checks, one function per model class and direction,
    all in one namespace (so that classes holding each other find each other)."""

    def __init__(self, prefix: str, body: Callable[[_Unchecked, type[Model]], list[str]]) -> None:
        self.prefix = prefix
        self.body = body
        self.namespace: dict[str, Any] = {"new": object.__new__, "parse": datetime.fromisoformat}

    def of(self, cls: type[Model]) -> Convert:
        name = f"{self.prefix}_{cls.__name__}"
        if name not in self.namespace:
            self.namespace[name] = None  # being built: a class holding itself finds it
            self.namespace[f"C_{cls.__name__}"] = cls
            source = [f"def {name}(o):", *self.body(self, cls)]
            exec(compile("\n".join(source), f"<unchecked {name}>", "exec"), self.namespace)
        converter: Convert = self.namespace[name]
        return converter

    def held(self, hint: Any, v: str) -> str:
        """The expression converting ``v``, a value of the type ``hint``."""
        if is_model(hint):
            return f"{self.of(hint).__name__}({v})"
        args = typing.get_args(hint)
        if typing.get_origin(hint) is list and is_model(args[0]):
            return f"[{self.held(args[0], 'x')} for x in {v}]"
        if typing.get_origin(hint) is dict and is_model(args[-1]):
            return f"{{k: {self.held(args[-1], 'x')} for k, x in {v}.items()}}"
        return v  # a JSON value, a datetime or a UUID: orjson writes them itself

    def kind(self, attribute: attrs.Attribute[Any], v: str, o: str) -> str:
        """The expression converting a field whose model a kind names (``Effect.props``):
        decoding looks the kind up, encoding the value's class; anything else is left as
        it is (a JSON object)."""
        member, models, inside = attribute.metadata[KIND]
        table = f"K_{id(attribute)}"
        if self.prefix == "encode":
            self.namespace[table] = {model: self.of(model) for model in models.values()}
            return f"{v} if {v}.__class__ is dict else {table}[{v}.__class__]({v})"
        self.namespace[table] = {kind: self.of(model) for kind, model in models.items()}
        named = f"{v}.get({member!r})" if inside else f"{o}.get({member!r})"
        return f"{table}.get({named}, dict)({v})"


def _fields(cls: type[Model]) -> list[tuple[attrs.Attribute[Any], Any]]:
    """Each field (``extra_fields`` aside) with the type of its value, as talon_async's
    converter sees them."""
    return [(a, _value_type(a)[1]) for a in model_fields(cls)]


def _encode_body(gen: _Unchecked, cls: type[Model]) -> list[str]:
    lines = ["  d = {}"]
    for attribute, hint in _fields(cls):
        value = gen.kind(attribute, "v", "o") if KIND in attribute.metadata else gen.held(hint, "v")
        lines.append(f"  v = o.{attribute.name}")
        store = f"d[{wire_name(attribute)!r}] = {value}"
        lines.append(f"  if v is not None: {store}" if attribute.default is None else f"  {store}")
    # The members an answer had that the model does not know go back out with it.
    return [*lines, "  if o.extra_fields:", "    d.update(o.extra_fields)", "  return d"]


def _decode_body(gen: _Unchecked, cls: type[Model]) -> list[str]:
    # Members the model does not know are kept (found in C, as talon_async finds them).
    known = f"W_{cls.__name__}"
    gen.namespace[known] = frozenset(wire_name(a) for a, _ in _fields(cls))
    lines = [
        "  get = o.get",
        f"  s = new(C_{cls.__name__})",
        f"  s.extra_fields = {{}} if {known}.issuperset(o) else "
        f"{{k: x for k, x in o.items() if k not in {known}}}",
    ]
    for attribute, hint in _fields(cls):
        got = f"get({wire_name(attribute)!r})"
        if KIND in attribute.metadata:
            kind = gen.kind(attribute, "v", "o")
            lines.append(f"  v = {got}")
            lines.append(f"  s.{attribute.name} = None if v is None else {kind}")
        elif hint is datetime:  # the one conversion decoding needs: text to a datetime
            lines.append(f"  v = {got}")
            lines.append(f"  s.{attribute.name} = None if v is None else parse(v)")
        elif (held := gen.held(hint, "v")) == "v":
            lines.append(f"  s.{attribute.name} = {got}")
        else:
            lines.append(f"  v = {got}")
            lines.append(f"  s.{attribute.name} = None if v is None else {held}")
    return [*lines, "  return s"]


def unchecked_encoder(cls: type[Model]) -> Convert:
    """model -> dict, no value checked (``orjson.dumps`` of the result is the body)."""
    return _Unchecked("encode", _encode_body).of(cls)


def unchecked_decoder(cls: type[Model]) -> Convert:
    """parsed JSON object -> model, no value checked."""
    return _Unchecked("decode", _decode_body).of(cls)


def _loaded_models() -> list[type[Model]]:
    """The model classes loaded so far, bases first."""
    found: list[type[Model]] = []
    stack = list(reversed(Model.__subclasses__()))
    while stack:
        cls = stack.pop()
        found.append(cls)
        stack.extend(reversed(cls.__subclasses__()))
    return found


def _copy_namespace(cls: type[Model]) -> dict[str, Any]:
    """The class body of ``cls`` again: its own annotations and fields."""
    own = inspect.get_annotations(cls)
    body: dict[str, Any] = {"__annotations__": dict(own), "__module__": cls.__module__}
    for a in attrs.fields(cls):
        if a.name in own:
            body[a.name] = attrs.field(default=a.default, metadata=dict(a.metadata))
    return body


def class_creation() -> dict[str, float]:
    """Milliseconds to create, again, the model classes a session update's answer loads:
    with the models' own ``define`` (attrs), and as plain slotted classes."""
    import talon_async.models.sessions
    import talon_async.models.state  # noqa: F401  (what a session update loads)

    gc.collect()  # attrs leaves each class it rebuilt with slots behind, as garbage
    models = _loaded_models()
    bodies = [(cls.__name__, _copy_namespace(cls)) for cls in models]
    lean = define(kw_only=True)
    started = time.perf_counter()
    for name, body in bodies:
        lean(type(name, (Model,), dict(body)))
    with_attrs = time.perf_counter() - started
    started = time.perf_counter()
    for name, body in bodies:
        type(name, (Model,), {"__slots__": tuple(body["__annotations__"])})
    plain = time.perf_counter() - started
    gc.collect()  # the copies go, lest anything walking the models meets them
    return {"classes": len(models), "attrs_ms": with_attrs * 1000, "plain_ms": plain * 1000}
