"""The generated hooks: for each model class, one straight-line function per direction,
with the checks of its fields (and of the items of its lists and maps) inlined.

* the structure hook (registered on the converter; eager: strict decoding, and lenient
  decoding of a caller's data);
* the lazy structure hook of lenient decoding (:func:`lazy_hook`), which leaves each
  deferred field (holding models that hold models, see :func:`_deferred`) unset, and the
  class's resolvers, which decode such a field from the object's JSON when it is first
  read (see ``talon_async.models._base``); for a class that defers nothing it is the
  structure hook;
* the unstructure hook (registered on the converter).

Each is compiled the first time its class is used (a kind's model, such as an effect
type's props, the first time the kind is met). Building a model's hooks checks that
the class follows the conventions of ``talon_async.models._base`` (a class that does not
is refused then, with a ``TypeError``). Set ``TALON_ASYNC_DEBUG_CODEGEN=1`` to have the
source of every hook written to stderr as it is compiled; the source is also registered
with :mod:`linecache`, so tracebacks and ``inspect.getsource`` show it.
"""

from __future__ import annotations

import inspect
import linecache
import os
import sys
import threading
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from types import NoneType, UnionType
from typing import Any, Union, cast, get_args, get_origin
from uuid import UUID

import attrs
from cattrs import Converter

from ..models._base import KIND, WIRE_NAME, Model, decode_on_first_read
from ._decode import JSON_KINDS, absent, deviation, moment, received_int, received_uuid
from ._encode import (
    JSON_SCALARS,
    ORJSON_NATIVE,
    PLAIN_KEYS,
    SENT,
    json_value,
    sent_json_object,
    sent_key,
    type_error,
)

converter = Converter(detailed_validation=False)

DEBUG_CODEGEN = os.environ.get("TALON_ASYNC_DEBUG_CODEGEN", "") not in ("", "0")
"""Whether each generated hook's source is written to stderr when it is compiled."""


def wire_name(attribute: attrs.Attribute[Any]) -> str:
    """The JSON key of a model attribute."""
    explicit = attribute.metadata.get(WIRE_NAME)
    if explicit is not None:
        return str(explicit)
    head, *rest = attribute.name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def is_model(cls: Any) -> bool:
    return isinstance(cls, type) and get_origin(cls) is None and issubclass(cls, Model)


def _optional_inner(type_: Any) -> Any:
    """``X`` for ``X | None`` (one type besides None), else None."""
    if get_origin(type_) not in (Union, UnionType):
        return None
    members = [arg for arg in get_args(type_) if arg is not NoneType]
    return members[0] if len(members) == 1 else None


def _value_type(attribute: attrs.Attribute[Any]) -> tuple[bool, Any]:
    """(whether None is allowed, the type of a non-null value) of a model attribute."""
    inner = _optional_inner(attribute.type)
    return (inner is not None, attribute.type if inner is None else inner)


def _kind(attribute: attrs.Attribute[Any]) -> tuple[str, Mapping[str, type[Model]], bool] | None:
    """(member naming the kind, model of each kind, whether the member is inside the
    value) of a field declared with :func:`~talon_async.models._base.kind_of`."""
    kind: tuple[str, Mapping[str, type[Model]], bool] | None = attribute.metadata.get(KIND)
    return kind


def _held_models(attribute: attrs.Attribute[Any]) -> list[type[Model]]:
    """The models a field holds (itself, in a list or a map, or as a kind's model)."""
    kind = _kind(attribute)
    if kind is not None:
        return list(kind[1].values())
    hint = _value_type(attribute)[1]
    while get_origin(hint) in (list, dict) and get_args(hint):
        hint = get_args(hint)[-1]
    return [hint] if is_model(hint) else []


def _fields(cls: type[Model]) -> list[attrs.Attribute[Any]]:
    """The fields of a model class the hooks handle (``extra_fields`` aside)."""
    _resolve_types(cls)
    return [a for a in attrs.fields(cls) if a.name != "extra_fields"]


_EVALUATED: dict[tuple[str, str], Any] = {}
"""Each annotation's text, evaluated once per module."""


def _resolve_types(cls: type[Model]) -> None:
    """What ``attrs.resolve_types`` does (each field's ``type`` made the class its
    annotation names), evaluating each annotation's text once per module: the models say
    ``str | None`` and a few dozen others hundreds of times, and ``typing.get_type_hints``
    compiles every one again (about half of what a fresh process's first call spends on
    building hooks)."""
    if getattr(cls, "__attrs_types_resolved__", None) is cls:
        return
    hints: dict[str, Any] = {}
    for base in reversed(cls.__mro__):  # a subclass's annotation wins, as in typing's
        module = base.__module__
        for name, hint in inspect.get_annotations(base).items():
            if isinstance(hint, str):
                key = (module, hint)
                if key not in _EVALUATED:
                    _EVALUATED[key] = eval(hint, vars(sys.modules[module]))
                hint = _EVALUATED[key]
            hints[name] = hint
    for attribute in attrs.fields(cls):
        object.__setattr__(attribute, "type", hints[attribute.name])  # as attrs sets it
    cls.__attrs_types_resolved__ = cls  # type: ignore[attr-defined]  # what attrs checks


def _deferred(attribute: attrs.Attribute[Any]) -> bool:
    """Whether lenient decoding leaves the field to its first read: when the models it
    holds hold models themselves. Decoding a flat model (or a map or list of them) at once
    costs less than deferring it would when it is read, and a kind's model is one object;
    what they hold that is deep is deferred in turn."""
    if _kind(attribute) is not None:
        return False
    return any(any(_held_models(a) for a in _fields(m)) for m in _held_models(attribute))


def _decodes_lazily(cls: type[Model], seen: set[type[Model]] | None = None) -> bool:
    """Whether lenient decoding of ``cls`` defers anything (in it, or in a model it
    decodes at once); if not, its lazy hook is the eager one."""
    found = _lazy_classes.get(cls)
    if found is not None:
        return found
    outermost = seen is None
    seen = {cls} if seen is None else seen | {cls}
    found = any(
        _deferred(a) or any(m not in seen and _decodes_lazily(m, seen) for m in _held_models(a))
        for a in _fields(cls)
    )
    if outermost:  # inside a loop of models, the answer leaves out what the loop skipped
        _lazy_classes[cls] = found
    return found


_lazy_classes: dict[type[Model], bool] = {}
"""The answers of :func:`_decodes_lazily` so far."""


class _Generated:
    """Builds the source of one hook for one model class, and compiles it.

    ``lazy``: the hook of lenient decoding, which leaves the deferred fields to be
    decoded on first access (see :func:`lazy_hook`); else the eager hook of strict
    decoding (registered on the converter).
    """

    def __init__(self, cls: type[Model], *, lazy: bool = False) -> None:
        self.cls = cls
        self.lazy = lazy
        self.fields = _fields(cls)
        self.scope: dict[str, Any] = {
            "__cl": cls,
            "__known": frozenset(wire_name(a) for a in self.fields),
            "__deviation": deviation,
            "__absent": absent,
            "__type_error": type_error,
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
        return self.name(_hook(model, lazy=self.lazy))

    def name(self, value: Any) -> str:
        """A name under which the generated code sees ``value``."""
        name = f"__{len(self.scope)}"
        self.scope[name] = value
        return name

    def compile(self, source: list[str], direction: str) -> dict[str, Any]:
        """Compile ``source``; returns the namespace its functions are defined in."""
        code = "\n".join(source) + "\n"
        filename = f"<talon_async {direction} {self.cls.__qualname__}>"
        linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)  # tracebacks
        if DEBUG_CODEGEN:
            sys.stderr.write(f"# {filename}\n{code}\n")
        exec(compile(code, filename, "exec"), self.scope)
        return self.scope


# -- decoding ---------------------------------------------------------------------------


def _expected(hint: Any) -> str:
    """How an error message names what a field of type ``hint`` takes."""
    if is_model(hint):
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
    return JSON_KINDS.get(hint, hint.__name__ if isinstance(hint, type) else str(hint))


def _received(gen: _Generated, hint: Any, v: str, where: str, depth: int = 0) -> str | None:
    """An expression that turns the received JSON value ``v`` into the field's value (or
    keeps it, noting the deviation); None when every value is taken as it is."""
    if hint is Any:
        return None
    deviate = f"__deviation({where!r}, {_expected(hint)!r}, {v})"
    if hint in (str, bool):
        return f"{v} if {v}.__class__ is {gen.name(hint)} else {deviate}"
    if hint is int:
        return f"{v} if {v}.__class__ is int else {gen.name(received_int)}({v}, {where!r})"
    if hint is float:
        return (
            f"{v} if {v}.__class__ is float else float({v}) if {v}.__class__ is int else {deviate}"
        )
    if hint is datetime:
        return (
            f"(d if {v}.__class__ is str and (d := {gen.name(moment)}({v})) is not None "
            f"else {deviate})"
        )
    if hint is UUID:
        return f"{gen.name(received_uuid)}({v}, {where!r})"
    if hint == dict[str, Any]:
        return f"{v} if {v}.__class__ is dict else {deviate}"
    if is_model(hint):
        return f"{gen.hook(hint)}({v}) if {v}.__class__ is dict else {deviate}"
    origin, args = get_origin(hint), get_args(hint)
    if origin in (list, dict) and args:
        kind = origin.__name__
        x = f"x{depth}"
        item = _received(gen, args[-1], x, f"an item of {where}", depth + 1)
        if item is None:
            return f"{v} if {v}.__class__ is {kind} else {deviate}"
        if origin is list:
            loop = f"[{item} for {x} in {v}]"
        else:
            loop = f"{{k{depth}: {item} for k{depth}, {x} in {v}.items()}}"
        return f"({loop} if {v}.__class__ is {kind} else {deviate})"
    raise TypeError(f"{gen.cls.__name__}: no decoding for the field type {hint!r}")


def _received_kind(
    gen: _Generated, attribute: attrs.Attribute[Any], v: str, where: str, read: dict[str, str]
) -> str:
    """The expression decoding a field whose model depends on a kind named in the JSON
    (read from ``o``, the object the field is a member of, unless ``read`` names the
    variable holding that member already)."""
    member, models, inside = _kind(attribute)  # type: ignore[misc]
    kind = (
        f"({v}.get({member!r}) if {v}.__class__ is dict else None)"
        if inside
        else read.get(member, f"o.get({member!r})")
    )
    # Each kind's hook is built when the kind is first met (an answer holds a few of the
    # dozens of effect types, and a fresh process compiles only those).
    built: dict[str, Callable[..., Model]] = {}

    def build(name: str) -> Callable[..., Model] | None:
        model = models.get(name)
        if model is None:
            return None
        return built.setdefault(name, _hook(model, lazy=gen.lazy))

    typed = f"h({v}) if {v}.__class__ is dict else __deviation({where!r}, 'an object', {v})"
    # A kind this version does not know (or none at all) keeps the parsed value.
    hook = f"(h := {gen.name(built.get)}(k)) is not None or (h := {gen.name(build)}(k)) is not None"
    return f"({typed}) if (k := {kind}).__class__ is str and ({hook}) else {v}"


def _received_field(
    gen: _Generated, attribute: attrs.Attribute[Any], v: str, read: dict[str, str] | None = None
) -> str | None:
    """The expression decoding the member ``v`` of a field; ``read``: the variables of
    the string members read before it (a kind is taken from there)."""
    where = f"{gen.cls.__name__}.{attribute.name}"
    if _kind(attribute) is not None:
        return _received_kind(gen, attribute, v, where, read or {})
    return _received(gen, _value_type(attribute)[1], v, where)


def _structure_source(gen: _Generated) -> list[str]:
    # One straight-line function per model: each member is read once, a value that already
    # has its field's type costs one identity check, and every slot is filled directly (an
    # optional field's default is None, which is also what ``dict.get`` gives when absent).
    # In a lazy hook a deferred field (see ``_deferred``) that is present stays unset, and
    # the object keeps its JSON in ``_raw``: reading the field calls the class's
    # ``__getattr__``, which decodes it then (see ``_install_resolvers``).
    cls = gen.cls
    deferred = [i for i, a in enumerate(gen.fields) if gen.lazy and _deferred(a)]
    required = sum(attribute.default is attrs.NOTHING for attribute in gen.fields)
    source = [
        "def hook(o, _=None):",
        "  get = o.get",
        f"  n = {required}",  # members read, counting the required ones as present
    ]
    read: dict[str, str] = {}  # member -> variable, for strings (a kind is one)
    for index, attribute in enumerate(gen.fields):
        v = f"v{index}"
        key = wire_name(attribute)
        where = f"{cls.__name__}.{attribute.name}"
        work = None if index in deferred else _received_field(gen, attribute, v, read)
        if _value_type(attribute)[1] is str:  # a string is kept as received, whatever it is
            read[key] = v
        source.append(f"  {v} = get({key!r})")
        if attribute.default is None:  # optional: mostly absent, so None is tested first
            source += [f"  if {v} is not None:", "    n += 1"]
            if work is not None:
                source.append(f"    {v} = {work}")
            continue
        nullable, hint = _value_type(attribute)
        expected = None if nullable else "an object" if _kind(attribute) else _expected(hint)
        absent = ["n -= 1", f"__absent(o, {key!r}, {where!r}, {expected!r})"]
        if work is None:
            source += [f"  if {v} is None:", *(f"    {line}" for line in absent)]
        elif hint in (str, int, float, bool) and _kind(attribute) is None:
            # Present and of its type, as nearly always: one identity check.
            source += [
                f"  if {v}.__class__ is not {gen.name(hint)}:",
                f"    if {v} is None:",
                *(f"      {line}" for line in absent),
                "    else:",
                f"      {v} = {work}",
            ]
        else:
            source += [f"  if {v} is not None:", f"    {v} = {work}", "  else:"]
            source += [f"    {line}" for line in absent]
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
        if index in deferred:
            source += [f"  if v{index} is None:", f"    self.{attribute.name} = None"]
        else:
            source.append(f"  self.{attribute.name} = v{index}")
    if deferred:  # the JSON is kept only while something is left to decode from it
        present = " or ".join(f"v{index} is not None" for index in deferred)
        source += [f"  if {present}:", "    self._raw = o"]
    source.append("  return self")
    return source


def _hook(model: type[Model], *, lazy: bool) -> Callable[..., Model]:
    """The structure hook of ``model``: the lazy one, or the converter's."""
    if lazy:
        return cast("Callable[[Any], Model]", lazy_hook(model))  # never None for a model
    structure: Callable[..., Model] = converter.get_structure_hook(model)
    return structure


def _structure_factory(cls: type[Model]) -> Callable[[Any, Any], Model]:
    gen = _Generated(cls)
    compiled = gen.compile(_structure_source(gen), "structure")
    structure: Callable[[Any, Any], Model] = compiled["hook"]
    return structure


_lazy_hooks: dict[type[Model], Callable[[Any], Model]] = {}
"""The lazy hooks published: each class's resolvers are set before it appears here."""
_unpublished: dict[type[Model], Callable[[Any], Model]] = {}
"""The lazy hooks of the build under way (the class asked for and the models it holds)."""
_building = threading.RLock()


def lazy_hook(cls: Any) -> Callable[[Any], Model] | None:
    """The hook of lenient decoding for the model class ``cls`` (None for any other type):
    like the converter's, except that a deferred field (see :func:`_deferred`) is decoded
    the first time it is read, not before. For a class that defers nothing (neither
    itself nor in what it decodes at once) it is the converter's hook.

    An answer's parts that a program never reads then cost nothing but their share of the
    JSON parse; strict decoding stays eager, as it checks everything at once.

    Safe from any number of threads: one thread builds at a time, and a hook is published
    only with the hooks and resolvers of the models it decodes or defers, all complete (an
    object that exists always finds its class's resolvers); a kind's model gets its hook
    from here too, when the kind is first met.
    """
    hook = _lazy_hooks.get(cls)
    if hook is not None or not is_model(cls):
        return hook
    with _building:
        hook = _lazy_hooks.get(cls) or _unpublished.get(cls)
        if hook is not None:  # built meanwhile, or (a model holding itself) being built
            return hook
        outermost = not _unpublished
        try:
            if _decodes_lazily(cls):
                gen = _Generated(cls, lazy=True)
                built: Callable[[Any], Model] = gen.compile(
                    _structure_source(gen), "lazy structure"
                )["hook"]
                _unpublished[cls] = built
                _install_resolvers(cls)
            else:
                built = _hook(cls, lazy=False)
                _unpublished[cls] = built
            if outermost:
                _lazy_hooks.update(_unpublished)
        finally:
            if outermost:
                _unpublished.clear()
    return built


def _install_resolvers(cls: type[Model]) -> None:
    """Give ``cls`` what decodes its deferred fields when first read: for each, its
    :data:`~talon_async.models._base.Resolver`, and the ``__getattr__`` that uses them.

    A resolver's decoder (and the hooks of the models it decodes) is compiled the first
    time its field is read: a program that reads an answer's effects never builds what
    would decode its session, profile or campaigns."""
    lazy = [a for a in _fields(cls) if _deferred(a)]
    members = {a.name: wire_name(a) for a in lazy}
    cls._talon_resolvers = {
        name: (
            member,
            getattr(cls, name).__set__,  # the slot's member descriptor
            _first_decoder(cls, name),
            tuple(other for other in members.values() if other != member),
        )
        for name, member in members.items()
    }
    if lazy:
        cls.__getattr__ = decode_on_first_read  # type: ignore[attr-defined]


def _first_decoder(cls: type[Model], name: str) -> Callable[[Any], Any]:
    """The decoder of a deferred field until its first use, which compiles the real one
    and puts it in the field's resolver for every later use."""

    def decode(o: Any) -> Any:
        with _building:
            member, store, decoder, others = cls._talon_resolvers[name]
            if decoder is decode:  # not built yet (by another thread, meanwhile)
                gen = _Generated(cls, lazy=True)
                [attribute] = [a for a in gen.fields if a.name == name]
                source = [
                    f"def {name}(o):",
                    f"  v = o.get({member!r})",
                    f"  return {_received_field(gen, attribute, 'v')}",
                ]
                decoder = gen.compile(source, f"resolver of {name} of")[name]
                cls._talon_resolvers[name] = (member, store, decoder, others)
        return decoder(o)

    return decode


# -- encoding ---------------------------------------------------------------------------


def _sent(gen: _Generated, hint: Any, v: str, where: str, depth: int = 0) -> tuple[str | None, str]:
    """(condition, expression): when ``v`` needs work before it is sent, and what it becomes."""
    if hint in (str, int, float, bool) or hint in ORJSON_NATIVE:
        mismatch = f"{v}.__class__ is not {gen.name(hint)}"
        if hint is float:
            mismatch += f" or {v} - {v}"  # NaN for NaN and both infinities
        elif hint is datetime:  # a naive one is refused; a zone orjson may not know, formatted
            mismatch += f" or {v}.tzinfo.__class__ is not {gen.name(timezone)}"
        return (mismatch, f"{gen.name(SENT[hint])}({v}, {where!r})")
    if hint == dict[str, Any] and depth == 0:
        # A copy, made and checked in C when it holds only plain values under plain keys
        # (see ``json_object``, which does the rest).
        copied = f"map(type, ({v} := dict({v})))"
        mismatch = (
            f"{v}.__class__ is not dict or not {gen.name(PLAIN_KEYS.issuperset)}({copied}) "
            f"or not {gen.name(JSON_SCALARS.issuperset)}(map(type, {v}.values()))"
        )
        return (mismatch, f"{gen.name(sent_json_object)}({v}, {where!r})")
    if hint in SENT:
        return (None, f"{gen.name(SENT[hint])}({v}, {where!r})")
    if is_model(hint):
        hook, model = gen.name(converter.get_unstructure_hook(hint)), gen.name(hint)
        fail = f"__type_error({where!r}, {'a ' + hint.__name__!r}, {v})"
        accepted = f"{v}.__class__ is {model} or isinstance({v}, {model})"
        return (None, f"{hook}({v}) if {accepted} else {fail}")
    origin, args = get_origin(hint), get_args(hint)
    if origin in (list, dict) and args:
        x = f"x{depth}"
        condition, expression = _sent(gen, args[-1], x, f"an item of {where}", depth + 1)
        one = f"({expression}) if {condition} else {x}" if condition else expression
        if origin is list:
            loop, accepted = f"[{one} for {x} in {v}]", "(list, tuple)"
        else:
            k = f"k{depth}"
            key = f"{k} if {k}.__class__ is str else {gen.name(sent_key)}({k}, {where!r})"
            loop = f"{{({key}): {one} for {k}, {x} in {v}.items()}}"
            accepted = gen.name(Mapping)  # an ABC: asked only of what is not a dict
        fail = f"__type_error({where!r}, 'a {origin.__name__}', {v})"
        test = f"{v}.__class__ is {origin.__name__} or isinstance({v}, {accepted})"
        return (None, f"({loop} if {test} else {fail})")
    raise TypeError(f"{gen.cls.__name__}: no encoding for the field type {hint!r}")


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
            return converter.unstructure(value)
        if not isinstance(value, Mapping):
            type_error(where, "a model or a mapping", value)
        return json_value(value, where)

    return f"{gen.name(check)}(i, {v})"


def _unstructure_factory(cls: type[Model]) -> Callable[[Model], dict[str, Any]]:
    # The mirror image: required fields always, optional ones only when not None, and
    # every value checked against its field's type before anything is sent.
    gen = _Generated(cls)
    # ``i`` is an instance of ``cls``: the converter dispatches on the class, and the
    # hooks calling this one check first.
    source = ["def hook(i):", "  d = {}"]
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
    extra = f"{gen.name(sent_json_object)}(x, {cls.__name__ + '.extra_fields'!r})"
    source += [
        "  x = i.extra_fields",
        "  if x:",  # kept from an answer, or set by hand: checked like attributes
        f"    for k, x in {extra}.items():",
        "      d.setdefault(k, x)",
        "  return d",
    ]
    unstructure: Callable[[Model], dict[str, Any]] = gen.compile(source, "unstructure")["hook"]
    return unstructure


converter.register_structure_hook_factory(is_model, _structure_factory)
converter.register_unstructure_hook_factory(is_model, _unstructure_factory)
