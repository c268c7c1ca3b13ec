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
from typing import Any, ClassVar

from ._http import Route
from ._state import State

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
