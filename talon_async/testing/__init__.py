"""A fake Talon.One Integration API for tests: a real HTTP server on 127.0.0.1 with state.

Start one with ``async with FakeTalon() as fake:``, seed it (``fake.add_coupon(...)``,
``fake.add_rule(percent_off_cart(10))``), talk to it with ``fake.client()`` or any HTTP
client at ``fake.url``, then check ``fake.sessions``, ``fake.profiles`` or
``fake.requests``. ``fake.faults`` makes requests fail, wait or lose their connection.

The fake answers with plain JSON built from the API's documented shapes; it never uses
talon_async's models, so a client test against it checks those models for real. For
pytest fixtures see :mod:`talon_async.testing.pytest_plugin`.
"""

from ._area import SeedError
from ._fake import FakeTalon
from ._faults import Faults
from ._http import RecordedRequest
from ._rules import coupon_codes, loyalty_points, percent_off_cart
from ._state import EffectSpec, Rule, RuleContext

__all__ = [
    "EffectSpec",
    "FakeTalon",
    "Faults",
    "RecordedRequest",
    "Rule",
    "RuleContext",
    "SeedError",
    "coupon_codes",
    "loyalty_points",
    "percent_off_cart",
]
