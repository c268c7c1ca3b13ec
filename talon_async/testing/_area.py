"""The base of the fake's API areas: one subclass per module of ``_areas/``.

An area declares its operations (``ROUTES``), the keys it reads from a seed file
(``SEEDS``: key -> function called with the fake and that key's value) and, as
methods, the seeding API it adds to :class:`FakeTalon` (``add_coupon``, ...). Areas
subclass :class:`State`, so their methods reach the fake's data; they take
``self.lock`` to change it. Declare ``ROUTES: ClassVar[Routes]`` and
``SEEDS: ClassVar[Seeds]`` with their types, so that areas combine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, ClassVar

from ._http import Route
from ._schema import Obj, validate
from ._state import State
from ._wire import JsonObject, parse_timestamp

SeedLoader = Callable[[Any, Any], None]
"""Loads one key of a seed file: called with the fake and the key's value."""
Routes = Sequence[Route]
Seeds = Mapping[str, SeedLoader]


class Area(State):
    """One API area of the fake: its routes, seed-file keys and seeding methods."""

    ROUTES: ClassVar[Routes] = ()
    SEEDS: ClassVar[Seeds] = {}

    @classmethod
    def all_routes(cls) -> list[Route]:
        """The routes of every area this class derives from."""
        return [route for area in _areas(cls) for route in area.ROUTES]

    @classmethod
    def all_seeds(cls) -> dict[str, SeedLoader]:
        """The seed-file keys of every area this class derives from."""
        return {key: loader for area in _areas(cls) for key, loader in area.SEEDS.items()}


def _areas(cls: type[Area]) -> list[type[Area]]:
    """The areas in ``cls``'s bases, each once (inherited attributes not repeated)."""
    return [
        area
        for area in cls.__mro__
        if issubclass(area, Area) and ("ROUTES" in vars(area) or "SEEDS" in vars(area))
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


def seed_moment(item: JsonObject, member: str) -> datetime | None:
    """A date-time member of a seed entry (already validated), or None when absent."""
    value = item.get(member)
    return None if value is None else parse_timestamp(value)
