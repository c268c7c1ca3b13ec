"""The base every API model derives from, and the conventions all models follow.

Conventions (the converter in ``talon_async._convert`` relies on them):

* Every model is ``@define(kw_only=True)`` (this module's :func:`define`) and derives from
  :class:`Model`.
* Attribute names are snake_case; the JSON name is the lowerCamelCase form of the
  attribute name (``customer_session_id`` -> ``customerSessionId``). Where the API
  spells a name irregularly, the field says so with ``metadata=wire("catalogItemID")``.
* A required field has no default. An optional field defaults to ``None`` (never to
  a factory), so a request built by a user omits exactly the fields left unset.
* Enum-like fields are typed ``str``: a value the server adds tomorrow still decodes.
* A field whose model depends on a kind named in the JSON (``Effect.props``) says so
  with ``metadata=kind_of(...)``; a kind this version does not know stays a ``dict``.
* Fields the server sends that a model does not know are kept in ``extra_fields`` and
  sent back unchanged when the model is encoded again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import attrs
from attrs import field

if TYPE_CHECKING:
    # Type checkers read a model as the attrs class it is, ``__init__`` included.
    from attrs import define as define
else:

    def define(*, kw_only: bool) -> Callable[[type], type]:
        """``attrs.define`` for the models, without the methods attrs would compile for
        each class when it is created: :class:`Model` provides ``__repr__`` and
        ``__eq__`` for all, and builds a class's ``__init__`` the first time the class
        is called. A process that imports a hundred models pays for none of that code
        until it uses it, and answers, decoded without ``__init__``, never do."""
        assert kw_only  # every model's fields are keyword-only

        def lean(cls: type) -> type:
            made = attrs.define(cls, kw_only=True, init=False, repr=False, eq=False)
            made.__init__ = _first_init  # its own: a subclass must not inherit a built one
            return made

        return lean


WIRE_NAME = "talon_async.wire_name"
KIND = "talon_async.kind"


def wire(name: str) -> dict[str, str]:
    """Field metadata naming the JSON key of a field whose wire name is irregular."""
    return {WIRE_NAME: name}


def kind_of(member: str, models: Mapping[str, type[Model]], *, inside: bool = False) -> Any:
    """Field metadata for a field whose model depends on a kind named in the JSON.

    The kind is the value of the sibling member ``member`` (``Effect.props`` by
    ``effectType``), or with ``inside=True`` the value's own member ``member`` (a target
    by its ``type``); ``models`` maps each kind to its model. A kind not in ``models``
    (one the API added later) decodes as the parsed JSON object, and is not an error.
    """
    return {KIND: (member, models, inside)}


class _Decoded:
    """Where a decoded model keeps the JSON object it came from.

    Lenient decoding (answers of the API, ``from_json``) leaves a field unset when the
    models it holds hold models themselves (a list of effects, a session with its cart):
    it is decoded from ``_raw``, the object's JSON, the first time it is read, and stored
    in its slot, so later reads cost nothing extra. Models built in code never leave a
    field unset.

    Reading an unset slot is what calls ``__getattr__``. The converter gives that hook
    (:func:`decode_on_first_read`) only to the classes with such fields, when it builds
    their hooks: a class defining ``__getattr__`` makes every read of every field of its
    objects slower, decoded or built in code.

    The class's ``_talon_resolvers`` (set by the converter) maps each such field to its
    :data:`Resolver`. ``_raw`` is the JSON object until a first field is stored, then (the
    object, the members still to decode), and it is dropped when none is left: a fully
    read answer holds no JSON.

    Threads may read the same object at once: fields are stored under a lock, each once
    (a thread that decoded a field too returns the stored value instead of its own).
    """

    __slots__ = ("_raw",)

    _talon_resolvers: ClassVar[dict[str, Resolver]]


Resolver = tuple[str, Callable[[Any, Any], None], Callable[[Any], Any], tuple[str, ...]]
"""Of a field decoded when first read: its JSON member, its slot's ``__set__``, the
function decoding it from the JSON, and the members of the other such fields."""


def decode_on_first_read(self: Any, name: str) -> Any:
    """``__getattr__`` of a model class with fields decoded when first read (see
    :class:`_Decoded`): decodes the field ``name`` and stores it."""
    resolvers = type(self).__dict__.get("_talon_resolvers")
    lazy = None if resolvers is None else resolvers.get(name)
    if lazy is None:
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
    member, store, decode, others = lazy
    try:
        kept = _get(self, "_raw")
    except AttributeError:  # every field stored meanwhile (or this one set, then deleted)
        return _get(self, name)
    value = decode(kept if kept.__class__ is dict else kept[0])
    _storing.acquire()
    try:
        try:
            kept = _get(self, "_raw")
        except AttributeError:  # the last one stored meanwhile
            return _get(self, name)
        if kept.__class__ is dict:  # the first one stored
            left = {m for m in others if kept.get(m) is not None}
            if left:
                _set(self, "_raw", (kept, left))
        else:
            left = kept[1]
            if member not in left:  # another thread stored it meanwhile: the same for all
                return _get(self, name)
            left.discard(member)
        store(self, value)
        if not left:
            _forget(self)
    finally:
        _storing.release()
    return value


_get = object.__getattribute__
_set = object.__setattr__
_forget = _Decoded._raw.__delete__  # type: ignore[attr-defined]
_storing = threading.Lock()
"""Held while a lazily decoded field is stored (never while one is decoded)."""


def _first_init(self: Model, *args: Any, **kwargs: Any) -> None:
    """Every model class's ``__init__`` until its first call, which builds the class's
    own (see :func:`define`) and puts it in the class for every later call."""
    init = _init_of(type(self))
    type(self).__init__ = init  # type: ignore[method-assign]
    init(self, *args, **kwargs)


def _init_of(cls: type[Model]) -> Callable[..., None]:
    """The ``__init__`` of a model class: its fields as keyword-only arguments (required
    when they have no default), each stored in its slot, in one generated function."""
    parameters: list[str] = []
    body: list[str] = []
    namespace: dict[str, Any] = {"NOTHING": attrs.NOTHING}
    for a in attrs.fields(cls):
        if a.default is attrs.NOTHING:
            parameters.append(a.name)
            body.append(f"  self.{a.name} = {a.name}")
        elif isinstance(a.default, attrs.Factory):  # type: ignore[arg-type]
            namespace[f"_factory_{a.name}"] = a.default.factory
            parameters.append(f"{a.name}=NOTHING")
            body.append(
                f"  self.{a.name} = _factory_{a.name}() if {a.name} is NOTHING else {a.name}"
            )
        else:
            namespace[f"_default_{a.name}"] = a.default
            parameters.append(f"{a.name}=_default_{a.name}")
            body.append(f"  self.{a.name} = {a.name}")
    source = f"def __init__(self, *, {', '.join(parameters)}):\n" + "\n".join(body) + "\n"
    exec(compile(source, f"<talon_async __init__ {cls.__qualname__}>", "exec"), namespace)
    init: Callable[..., None] = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


@define(kw_only=True)
class Model(_Decoded):
    """Base class of every request and response body."""

    extra_fields: dict[str, Any] = field(factory=dict, repr=False)
    """JSON members this version of the library does not know, keyed by wire name."""

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{a.name}={getattr(self, a.name)!r}" for a in type(self).__attrs_attrs__ if a.repr
        )
        return f"{type(self).__qualname__}({shown})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(
            getattr(self, a.name) == getattr(other, a.name)
            for a in type(self).__attrs_attrs__
            if a.eq
        )

    # Mutable, so unhashable: what attrs makes of a class that compares by value.
    __hash__: ClassVar[None] = None  # type: ignore[assignment]
