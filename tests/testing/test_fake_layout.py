"""The fake's layout: areas import only the core, the core never imports an area."""

from __future__ import annotations

import ast
from pathlib import Path

import talon_async.testing
from talon_async.testing import FakeTalon
from talon_async.testing._area import Area
from talon_async.testing._areas import Areas

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
    assert len(served) == len(FakeTalon.all_routes()) == 26
    for area in Areas.__bases__:
        assert issubclass(area, Area)
        assert {(route.method, route.pattern) for route in area.ROUTES} <= served
