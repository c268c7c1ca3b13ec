"""Received values: what decoding does with a value the spec does not expect, and the
checks and conversions the generated structure hooks call.

Each check takes the value and where it sits (``"CartItem.quantity"``); a value of the
right type costs the generated code one identity check and never reaches these. A value
that deviates is kept as received and logged once per field, or, in strict mode, raises
:class:`SpecDeviation` naming the field.
"""

from __future__ import annotations

import functools
import logging
import re
from contextvars import ContextVar
from datetime import datetime, timezone
from types import NoneType
from typing import Any
from uuid import UUID

logger = logging.getLogger("talon_async")


class SpecDeviation(ValueError):
    """A received value does not match the spec, found while decoding in strict mode."""


strict_mode: ContextVar[bool] = ContextVar("talon_async_strict", default=False)
"""Whether the decoding under way raises on a deviation (see ``structure``)."""

reported: set[str] = set()
"""Fields whose deviation was logged already: each is logged once per process."""

JSON_KINDS = {
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "a boolean",
    NoneType: "null",
    dict: "an object",
    list: "an array",
}


def kind_of(value: Any) -> str:
    """How a message names what ``value`` is: its JSON kind, else its type."""
    return JSON_KINDS.get(type(value), type(value).__name__)


def deviation(where: str, expected: str, value: Any) -> Any:
    """A received value that is not what the spec says: kept (and logged once), or raised."""
    problem = f"{where}: expected {expected}, got {kind_of(value)}"
    if strict_mode.get():
        raise SpecDeviation(problem)
    _report(where, problem)
    return value


def missing(where: str, member: str) -> None:
    """A required member the answer lacks: None (logged once), or raised when strict."""
    problem = f"{where}: the required member {member!r} is missing"
    if strict_mode.get():
        raise SpecDeviation(problem)
    _report(where, problem)


def absent(o: dict[str, Any], member: str, where: str, expected: str | None) -> None:
    """A required member that is null (``expected`` None: null is allowed) or missing."""
    if member not in o:
        missing(where, member)
    elif expected is not None:
        deviation(where, expected, None)


def _report(where: str, problem: str) -> None:
    if where not in reported:
        reported.add(where)
        logger.warning(
            "response deviates from the API spec: %s (kept as received; further "
            "deviations of this field are not logged)",
            problem,
        )


def received_int(value: Any, where: str) -> Any:
    # JSON does not tell 2 from 2.0, and JSON Schema calls both integers.
    if type(value) is float and value.is_integer():
        return int(value)
    return deviation(where, "an integer", value)


_FRACTION = re.compile(r"\.(\d+)")


def normalize_timestamp(value: str) -> str:
    """Rewrite what Python 3.10's fromisoformat refuses: a "Z" suffix, odd fraction lengths."""
    if value[-1:] in ("z", "Z"):
        value = value[:-1] + "+00:00"
    return _FRACTION.sub(lambda m: "." + m.group(1)[:6].ljust(6, "0"), value, count=1)


def parse_datetime(value: str) -> datetime:
    """Parse an RFC 3339 timestamp into an aware datetime (UTC when no offset is given)."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        # Python 3.10 rejects "Z" and fractions that are not 3 or 6 digits long.
        parsed = datetime.fromisoformat(normalize_timestamp(value))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


@functools.lru_cache(maxsize=1024)
def moment(text: str) -> datetime | None:
    """The datetime of an RFC 3339 timestamp, None if it is none. Cached: an answer repeats
    its timestamps (one creation time for many objects), and answers repeat them too."""
    try:
        return parse_datetime(text)
    except ValueError:
        return None


_parse_uuid = functools.lru_cache(maxsize=1024)(UUID)
"""A price adjustment's id repeats on every cart line it applies to and in answer after
answer; UUID() costs over a microsecond each time, a cache hit a tenth of that."""


def received_uuid(value: Any, where: str) -> Any:
    if type(value) is str:
        try:
            return _parse_uuid(value)
        except ValueError:
            pass
    return deviation(where, "a UUID", value)
