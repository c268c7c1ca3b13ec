"""The fake's layout: areas import only the core, the core no area; a new area plugs in."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any, ClassVar

import aiohttp

import talon_async.testing
from talon_async.testing import FakeTalon
from talon_async.testing._area import Area, Routes, Seeds, seed_items
from talon_async.testing._areas import Areas
from talon_async.testing._http import Call, route
from talon_async.testing._schema import obj
from talon_async.testing._state import State
from talon_async.testing._wire import Answer

PACKAGE = Path(talon_async.testing.__file__).parent
CORE = {"_area", "_engine", "_faults", "_http", "_ledger", "_rules", "_schema", "_state", "_wire"}


def imported(path: Path) -> set[str]:
    """What a module imports relatively: ``_state``, ``_areas.coupons``, ``..auth``."""
    package = list(path.parent.relative_to(PACKAGE).parts)
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            up = node.level - 1
            if up > len(package):
                names.add("." * (up - len(package)) + "." + (node.module or ""))
            else:
                names.add(".".join([*package[: len(package) - up], node.module or ""]))
    return names


def test_areas_import_the_core_only() -> None:
    areas = sorted((PACKAGE / "_areas").glob("[!_]*.py"))
    assert {path.stem for path in areas} >= {"sessions", "profiles", "coupons", "events"}
    for path in areas:
        outside_core = {name for name in imported(path) if name not in CORE}
        assert not outside_core, f"{path.name} imports {outside_core}"


def test_the_core_imports_no_area_and_not_the_facade() -> None:
    for name in CORE:
        assert imported(PACKAGE / f"{name}.py") <= CORE, name


def test_every_area_is_served() -> None:
    served = {(route.method, route.pattern) for route in FakeTalon.all_routes()}
    assert len(served) == len(FakeTalon.all_routes()) == 42
    for area in Areas.__bases__:
        assert issubclass(area, Area)
        assert {(route.method, route.pattern) for route in area.ROUTES} <= served


def echo_count(state: State, call: Call) -> Answer:
    """An operation of the test's own area: answers how many widgets were seeded."""
    return Answer(200, {"name": call.params["name"], "widgets": len(state.events)})


def seed_widgets(fake: Widgets, value: Any) -> None:
    for item in seed_items(value, "widgets", obj(("name",), name="string")):
        fake.add_widget(item["name"])


class Widgets(Area):
    """A new area as the next one will be written: routes, seed key, seeding method."""

    ROUTES: ClassVar[Routes] = (route("GET", "/v1/widgets/{name}", echo_count),)
    SEEDS: ClassVar[Seeds] = {"widgets": seed_widgets}

    def add_widget(self, name: str) -> None:
        with self.lock:
            self.events.append({"widget": name})


class FakeWithWidgets(FakeTalon, Widgets):
    pass


async def test_a_new_area_brings_its_routes_seeds_and_methods() -> None:
    async with FakeWithWidgets() as fake, aiohttp.ClientSession() as http:
        fake.seed({"widgets": [{"name": "a"}, {"name": "b"}], "coupons": [{"value": "C"}]})
        fake.add_widget("c")
        headers = {"Authorization": f"ApiKey-v1 {fake.api_key}"}
        async with http.get(f"{fake.url}/v1/widgets/x%0Ay", headers=headers) as response:
            assert (response.status, await response.json()) == (200, {"name": "x\ny", "widgets": 3})
        assert "C" in fake.coupons
        assert len(fake.all_routes()) == len(FakeTalon.all_routes()) + 1  # the widget route
