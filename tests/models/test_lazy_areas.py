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
        "assert loaded() - before == {'talon_async.models.campaigns'}, loaded() - before\n"
        "from talon_async.models import CatalogAction\n"
        "assert 'talon_async.models.catalogs' in loaded()\n"
        "assert 'talon_async.models.achievements' not in loaded()\n"
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
        "client = talon_async.TalonClient('http://127.0.0.1:9', auth=talon_async.ApiKeyV1('k'))\n"
        "client.loyalty\n"
        "assert 'talon_async.models.loyalty' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
