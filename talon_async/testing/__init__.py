"""A fake Talon.One Integration API for tests: a real HTTP server on 127.0.0.1 with state.

Start one with ``async with FakeTalon() as fake:`` (or ``with FakeTalon.in_thread() as
fake:`` from synchronous code), seed it (``fake.add_coupon(...)``,
``fake.add_rule(percent_off_cart(10))``), talk to it with ``fake.client()`` or any HTTP
client at ``fake.url``, then check ``fake.sessions``, ``fake.profiles`` or
``fake.requests``. ``fake.faults`` makes requests fail, wait or lose their connection.

The fake answers with plain JSON built from the API's documented shapes; it never uses
talon_async's models, so a client test against it checks those models for real. For
pytest fixtures see :mod:`talon_async.testing.pytest_plugin`. The names below load on
first use, so that pytest's loading of the plugin costs no aiohttp import.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._area import SeedError as SeedError
    from ._fake import FakeTalon as FakeTalon
    from ._faults import Faults as Faults
    from ._http import RecordedRequest as RecordedRequest
    from ._rules import (
        achievement_progress as achievement_progress,
        coupon_codes as coupon_codes,
        loyalty_points as loyalty_points,
        percent_off_cart as percent_off_cart,
        percent_off_catalog_items as percent_off_catalog_items,
    )
    from ._state import EffectSpec as EffectSpec, Rule as Rule, RuleContext as RuleContext

_MODULE_OF = {
    "EffectSpec": "_state",
    "FakeTalon": "_fake",
    "Faults": "_faults",
    "RecordedRequest": "_http",
    "Rule": "_state",
    "RuleContext": "_state",
    "SeedError": "_area",
    "achievement_progress": "_rules",
    "coupon_codes": "_rules",
    "loyalty_points": "_rules",
    "percent_off_cart": "_rules",
    "percent_off_catalog_items": "_rules",
}

__all__ = sorted(_MODULE_OF)


if not TYPE_CHECKING:  # type checkers read the imports above, and see no catch-all

    def __getattr__(name: str) -> Any:
        module = _MODULE_OF.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
        globals()[name] = value  # looked up once; later accesses are plain module attributes
        return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
