"""The base of the fake's API areas: one subclass per module of ``_areas/``.

An area declares how it serves its operations (``HANDLERS``: operationId -> its handler
and body schema; everything else about an operation is its record's, in
:mod:`talon_async.operations`), the keys it reads from a seed file (``SEEDS``: key ->
function called with the fake and that key's value) and, as methods, the seeding API it
adds to :class:`FakeTalon` (``add_coupon``, ...). Areas subclass :class:`FakeState`, so
their methods reach the fake's data; they take ``self.lock`` to change it. Declare
``HANDLERS: ClassVar[Handlers]`` and ``SEEDS: ClassVar[Seeds]`` with their types, so that
areas combine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from ._http import Handling, Route, route_table
from ._schema import Obj, validate
from ._state import FakeState
from ._wire import JsonObject

SeedLoader = Callable[[Any, Any], None]
"""Loads one key of a seed file: called with the fake and the key's value."""
Handlers = Mapping[str, Handling]
Seeds = Mapping[str, SeedLoader]


class Area(FakeState):
    """One API area of the fake: its handlers, seed-file keys and seeding methods."""

    HANDLERS: ClassVar[Handlers] = {}
    SEEDS: ClassVar[Seeds] = {}

    @classmethod
    def all_handlers(cls) -> dict[str, Handling]:
        """The handlers of every area this class derives from, by operationId;
        ``ValueError`` if two areas handle one operation."""
        found: dict[str, Handling] = {}
        for area in _areas(cls):
            for operation_id, handling in area.HANDLERS.items():
                if operation_id in found:
                    raise ValueError(f"two areas of the fake handle {operation_id}")
                found[operation_id] = handling
        return found

    @classmethod
    def all_routes(cls) -> list[Route]:
        """The route of every operation of the table, each served by the handler an area
        of this class declares (``ValueError`` unless every operation has one, see
        :func:`~talon_async.testing._http.route_table`)."""
        return route_table(cls.all_handlers())

    @classmethod
    def all_seeds(cls) -> dict[str, SeedLoader]:
        """The seed-file keys of every area this class derives from."""
        return {key: loader for area in _areas(cls) for key, loader in area.SEEDS.items()}


def _areas(cls: type[Area]) -> list[type[Area]]:
    """The areas in ``cls``'s bases, each once (inherited attributes not repeated)."""
    return [
        area
        for area in cls.__mro__
        if issubclass(area, Area) and ("HANDLERS" in vars(area) or "SEEDS" in vars(area))
    ]


class SeedError(ValueError):
    """A seed (``fake.seed(...)``, a seed file) the fake cannot load; says where and why."""


def seed_items(value: Any, key: str, schema: Obj) -> list[JsonObject]:
    """The entries of a seed key: a list of objects with the members of ``schema`` only.

    Raises :class:`SeedError` naming the first problem, e.g.
    ``coupons[0].usageLimit must be an integer``.
    """
    return [
        seed_entry(item, f"{key}[{index}]", schema)
        for index, item in enumerate(seed_list(value, key))
    ]


def seed_list(value: Any, key: str) -> list[Any]:
    """The value of a seed key that must be a list."""
    if not isinstance(value, list):
        raise SeedError(f"{key} must be a list of objects")
    return value


def seed_entry(item: Any, where: str, schema: Obj) -> JsonObject:
    """One entry of a seed list, checked against ``schema`` (no unknown members)."""
    if not isinstance(item, dict):
        raise SeedError(f"{where} must be an object")
    unknown = sorted(set(item) - set(schema.fields))
    if unknown:
        known = ", ".join(sorted(schema.fields))
        raise SeedError(f"{where} has an unknown member {unknown[0]!r} (known: {known})")
    problems = validate(item, schema)
    if problems:
        pointer, _, problem = problems[0]["details"].partition(" ")
        steps = pointer.strip("/").split("/")
        path = "".join(f"[{step}]" if step.isdigit() else f".{step}" for step in steps)
        raise SeedError(f"{where}{path} {problem}")
    return item
