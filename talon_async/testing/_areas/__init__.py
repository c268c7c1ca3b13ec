"""The API areas of the fake, one module each, as ``talon_async/resources/`` has them.

An area module imports the core (``_area``, ``_http``, ``_state``, ``_engine``,
``_ledger``, ``_schema``, ``_wire``), never another area or the facade. It defines its
handlers, ``(state, call) -> Answer`` functions, and one
:class:`~talon_async.testing._area.Area` subclass with its ``HANDLERS`` (operationId ->
handler and body schema), its seed-file ``SEEDS`` and its seeding methods. The method,
path, path parameters, credentials and ordering key of an operation are its record's
(:mod:`talon_async.operations`); the router reads them there.

Adding an operation: its record, then its handler in the area of its resource. Adding an
area: write its module, create its collections in ``FakeState.clear_state`` (all the
fake's data lives there), and add its class to the bases of :class:`Areas` below, the one
list of areas: the router serves their handlers, a seed may use their keys and FakeTalon
gets their methods. The fake does not start unless every operation of the table has one
handler."""

from __future__ import annotations

from .achievements import Achievements
from .audiences import Audiences
from .campaigns import Campaigns
from .catalogs import Catalogs
from .coupons import Coupons
from .events import Events
from .loyalty import Loyalty
from .profiles import Profiles
from .referrals import Referrals
from .sessions import Sessions


class Areas(
    Loyalty,
    Campaigns,
    Achievements,
    Audiences,
    Catalogs,
    Coupons,
    Referrals,
    Profiles,
    Events,
    Sessions,
):
    """Every area of the fake; :class:`FakeTalon` derives from it."""


__all__ = ["Areas"]
