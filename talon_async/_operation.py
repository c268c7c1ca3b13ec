"""What resource modules hand to the transport: one operation call, and its options.

Kept apart from ``_transport`` (and so from aiohttp), which loads with the first client.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping, Sequence
from typing import Any, Generic, TypedDict, TypeVar

from attrs import frozen

from .retry import RetryPolicy

T = TypeVar("T")


@frozen
class Operation(Generic[T]):
    """One call of one API operation, fully described and not yet sent.

    ``returns`` is the model a success body decodes into, or ``type(None)`` for operations
    that answer without a body (204). ``auth`` lists the accepted security schemes.
    ``path_params`` are strings or ints, checked and escaped by the transport; ``query``
    values are already in wire form (a list repeats the parameter). ``body`` must be an
    instance of ``body_type``, which the transport checks before encoding it.
    """

    method: str
    path: str
    returns: type[T]
    auth: tuple[str, ...]
    path_params: Mapping[str, object] = {}
    query: Mapping[str, str | Sequence[str]] = {}
    body: Any = None
    body_type: type | None = None
    order_key: Hashable | None = None
    """Calls with the same key never overlap and run in call order (e.g. one session)."""


class CallOptions(TypedDict, total=False):
    """Keyword-only options every operation accepts, for that one call."""

    timeout: float
    """Seconds one attempt of the call may take (default: the client's ``timeout``)."""
    total_timeout: float | None
    """Seconds the whole call may take, retries and their waits included (default: the
    client's ``total_timeout``); a retry that could not start in time is not made."""
    retry: RetryPolicy
    """The retry policy for this call (default: the client's; ``NO_RETRY`` turns it off)."""
    extra_headers: Mapping[str, str]
    """Headers added to the request (e.g. for tracing)."""
    allow_replay: bool
    """Declare a POST safe to send twice, so it may be retried like a PUT."""


_WORD_START = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def snake_case(wire_name: str) -> str:
    """The Python spelling of an API name: ``trackEventV2`` -> ``track_event_v2``,
    ``customerSessionId`` -> ``customer_session_id``."""
    return _WORD_START.sub("_", wire_name).lower()
