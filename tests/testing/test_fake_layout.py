"""The fake's layout: areas import only the core, the core no area (and of the library only
the operations table); a new area plugs in."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any, ClassVar

import pytest

import talon_async.testing
from talon_async.operations import OPERATIONS
from talon_async.testing import FakeTalon
from talon_async.testing._area import Area, Handlers, Seeds, seed_items
from talon_async.testing._areas import Areas
from talon_async.testing._http import HandlerCall, Handling
from talon_async.testing._schema import obj
from talon_async.testing._state import FakeState
from talon_async.testing._wire import Answer

PACKAGE = Path(talon_async.testing.__file__).parent
CORE = {"_area", "_engine", "_faults", "_http", "_ledger", "_rules", "_schema", "_state", "_wire"}
TABLE = {"..operations", ".._operation", "..auth"}
"""What the core reads of the library: the operations table and the names of the schemes."""


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
        assert imported(PACKAGE / f"{name}.py") <= CORE | TABLE, name


def test_the_areas_handle_the_operations_of_the_table_between_them() -> None:
    areas = [area for area in Areas.__bases__ if issubclass(area, Area)]
    assert areas == list(Areas.__bases__)
    handled = [set(area.HANDLERS) for area in areas]
    assert all(handled), "an area that handles no operation"
    assert sum(map(len, handled)) == len(OPERATIONS) == 42
    assert set().union(*handled) == set(OPERATIONS)


def count_widgets(state: FakeState, call: HandlerCall) -> Answer:
    """What the test's own area would answer: how many widgets were seeded."""
    return Answer(200, {"widgets": len(state.events)})


def seed_widgets(fake: Widgets, value: Any) -> None:
    for item in seed_items(value, "widgets", obj(("name",), name="string")):
        fake.add_widget(item["name"])


class Widgets(Area):
    """A new area as the next one will be written: seed key, seeding method (and the
    handlers of its operations, once the table has them)."""

    SEEDS: ClassVar[Seeds] = {"widgets": seed_widgets}

    def add_widget(self, name: str) -> None:
        with self.lock:
            self.events.append({"widget": name})


class FakeWithWidgets(FakeTalon, Widgets):
    pass


def test_a_new_area_brings_its_seeds_and_methods() -> None:
    fake = FakeWithWidgets()
    fake.seed({"widgets": [{"name": "a"}, {"name": "b"}], "coupons": [{"value": "C"}]})
    fake.add_widget("c")
    assert len(fake.events) == 3 and "C" in fake.coupons
    assert [route.handler for route in fake.all_routes()] == [
        route.handler for route in FakeTalon.all_routes()
    ]


class Gadgets(Area):
    """An area handling an operation the table does not have."""

    HANDLERS: ClassVar[Handlers] = {"getGadget": Handling(count_widgets)}


class Campaigns2(Area):
    """An area handling an operation another area handles."""

    HANDLERS: ClassVar[Handlers] = {"integrationGetAllCampaigns": Handling(count_widgets)}


@pytest.mark.parametrize(
    ("area", "problem"),
    [
        (Gadgets, "a handler for getGadget, which is no operation of the table"),
        (Campaigns2, "two areas of the fake handle integrationGetAllCampaigns"),
    ],
)
def test_a_fake_whose_areas_do_not_fit_the_table_does_not_start(
    area: type[Area], problem: str
) -> None:
    class Misfit(FakeTalon, area):  # type: ignore[misc, valid-type]
        pass

    with pytest.raises(ValueError, match=problem):
        Misfit()
