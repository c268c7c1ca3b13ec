"""The lazy name table of talon_async.models agrees with the area modules."""

from __future__ import annotations

import importlib
import subprocess
import sys

import talon_async.models as models


def test_every_area_exports_what_the_table_says() -> None:
    for area, names in models._AREAS.items():
        module = importlib.import_module(f"talon_async.models.{area}")
        exported = getattr(module, "__all__", names)  # _base has no __all__
        assert sorted(exported) == sorted(names), area
        for name in names:
            assert getattr(models, name) is getattr(module, name)


def test_areas_load_on_first_use() -> None:
    code = (
        "import sys, talon_async\n"
        "client = talon_async.TalonClient('http://127.0.0.1:9', auth=talon_async.ApiKeyV1('k'))\n"
        "loaded = lambda: {m for m in sys.modules if m.startswith('talon_async.models.')}\n"
        "before = loaded()\n"
        "client.campaigns\n"
        "assert loaded() == before, loaded() - before\n"
        "from talon_async.operations import INTEGRATION_GET_ALL_CAMPAIGNS as operation\n"
        "operation.request()\n"
        "assert loaded() - before == {'talon_async.models.campaigns'}, loaded() - before\n"
        "from talon_async.models import CatalogAction\n"
        "assert 'talon_async.models.catalogs' in loaded()\n"
        "assert 'talon_async.models.achievements' not in loaded()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)


def test_the_type_checkers_imports_match_the_table() -> None:
    # Type checkers and IDEs read the explicit imports under TYPE_CHECKING, the run time
    # reads _AREAS: both must name the same models in the same modules.
    import ast
    from pathlib import Path

    tree = ast.parse(Path(models.__file__).read_text("utf-8"))
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING"
    )
    imported: dict[str, list[str]] = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.module is not None
        assert all(alias.asname == alias.name for alias in node.names)  # explicit re-exports
        imported.setdefault(node.module, []).extend(alias.name for alias in node.names)
    assert {area: sorted(names) for area, names in imported.items()} == {
        area: sorted(names) for area, names in models._AREAS.items()
    }


def test_the_package_loads_no_model_no_converter_and_no_aiohttp() -> None:
    code = (
        "import sys\n"
        "import talon_async\n"
        "from talon_async import TalonClient\n"
        "import talon_async.models\n"
        "loaded = [m for m in sys.modules if m.startswith('talon_async.models.')"
        " or m in ('aiohttp', 'cattrs', 'orjson', 'talon_async._convert')]\n"
        "assert not loaded, loaded\n"
        "assert {'CartItem', 'CatalogAction'} <= set(dir(talon_async.models))\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)


def test_session_answers_load_no_loyalty_operation_models() -> None:
    # States, profiles, inventories and events embed the loyalty models of
    # models.loyalty_embedded; the loyalty operations' own models load with client.loyalty.
    code = (
        "import sys, talon_async\n"
        "from talon_async.models import CustomerInventory, Event, IntegrationStateV2\n"
        "assert 'talon_async.models.loyalty_embedded' in sys.modules\n"
        "assert 'talon_async.models.loyalty' not in sys.modules\n"
        "from talon_async.operations import GET_LOYALTY_CARD_BALANCES as operation\n"
        "operation.request(1, 'card')\n"
        "assert 'talon_async.models.loyalty' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
