"""How a record of the operations table becomes one request, checked and ready to send.

:mod:`talon_async.operations` states the facts of each operation; this module holds what
those facts mean: the kinds of query parameters and how each is checked and written, the
types of path parameters, and :func:`build`, which turns a record and a caller's values
into a :class:`Request` (or a ``TypeError``/``ValueError`` naming the parameter) without
any I/O. The client's methods, bulk jobs and the fake all read the same facts through it.

Kept apart from ``_transport`` (and so from aiohttp), which loads with the first client.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from datetime import datetime
from types import NoneType
from typing import TYPE_CHECKING, Any, Generic, Literal, TypedDict, TypeVar
from urllib.parse import quote

from attrs import frozen

from .errors import with_article
from .retry import RetryPolicy

if TYPE_CHECKING:
    from .operations import Operation

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

Kind = Literal["flag", "boolean", "yes_no", "integer", "string", "strings", "datetime"]
"""How a query parameter is given in Python and written on the wire:

- ``flag``: a ``bool`` defaulting to False, sent (as ``true``) only when True;
- ``boolean``: ``bool | None``, sent as ``true``/``false`` unless None;
- ``yes_no``: a ``bool`` always sent, as ``yes``/``no`` (the API's default is yes);
- ``integer``: ``int | None``, within the parameter's bounds;
- ``string``: a non-empty ``str`` or None;
- ``strings``: a list of non-empty strings or of ints, or None (see ``explode``);
- ``datetime``: a timezone-aware ``datetime`` or None, sent as RFC 3339.
"""

INTEGER_PATH_PARAMETERS = frozenset(
    {"loyaltyProgramId", "audienceId", "catalogId", "achievementId"}
)
"""The path parameters that are integers (0 to 2**63 - 1); every other one is a string."""
TEXT_PATH_PARAMETER_LENGTHS: Mapping[str, tuple[int, int]] = {"loyaltyCardId": (4, 108)}
"""The bounds the API puts on the length of string path parameters, where it states one."""
_INT64_MAX = 2**63 - 1

_WORD_START = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_PATH_PARAMETER = re.compile(r"\{(\w+)\}")


def snake_case(wire_name: str) -> str:
    """The Python spelling of an API name: ``trackEventV2`` -> ``track_event_v2``,
    ``customerSessionId`` -> ``customer_session_id``, ``transactionUUIDs`` ->
    ``transaction_uuids``."""
    return _WORD_START.sub("_", wire_name).lower()


def path_parameters(path: str) -> tuple[str, ...]:
    """The wire names of the parameters of a path template, in path order."""
    return tuple(_PATH_PARAMETER.findall(path))


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
    """Headers added to the request (e.g. for tracing, or your own ``Idempotency-Key``)."""
    allow_replay: bool
    """Declare a POST safe to send twice, so it may be retried like a PUT."""


@frozen
class Request(Generic[T_co]):
    """One call of one operation: checked, encoded, and not yet sent.

    Built by :meth:`Operation.request <talon_async.operations.Operation.request>`; sent
    by :meth:`TalonClient.send <talon_async.TalonClient.send>` (the client's methods do
    both). ``path`` has its parameters filled in and percent-encoded, ``query`` is in wire
    form (a list repeats the parameter), ``body`` holds the exact bytes that will be sent.
    """

    operation: Operation[T_co]
    path: str
    query: Mapping[str, str | list[str]]
    body: bytes | None
    returns: type[T_co]
    """What a success answer decodes into (``NoneType`` for an answer without a body)."""
    order_key: Hashable | None
    """Calls with the same key are sent one at a time, in call order (e.g. one session)."""


def _type_error(name: str, expected: str, value: object) -> TypeError:
    return TypeError(f"{name} must be {expected}, got {type(value).__name__}")


def _path_value(wire: str, value: object) -> str:
    """A path parameter, checked and percent-encoded as exactly one path segment."""
    name = snake_case(wire)
    if wire in INTEGER_PATH_PARAMETERS:
        if type(value) is not int:
            raise _type_error(name, "an int", value)
        if not 0 <= value <= _INT64_MAX:
            raise ValueError(f"{name} must be from 0 to 2**63 - 1, got {value}")
        return str(value)
    if not isinstance(value, str):
        raise _type_error(name, "a str", value)
    if not value:
        raise ValueError(f"{name} must not be empty")
    shortest, longest = TEXT_PATH_PARAMETER_LENGTHS.get(wire, (1, None))
    if len(value) < shortest or (longest is not None and len(value) > longest):
        raise ValueError(
            f"{name} must be {shortest} to {longest} characters long, got {len(value)}"
        )
    if value in (".", ".."):
        # Dot segments would be resolved away by URL normalization; escape the dots.
        return value.replace(".", "%2E")
    return quote(value, safe="")


def _flag(name: str, value: object) -> bool:
    if type(value) is not bool:
        raise _type_error(name, "True or False", value)
    return value


def _string(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise _type_error(name, "a str", value)
    if not value:
        raise ValueError(f"{name} must not be empty")
    return str.__str__(value)  # the plain value of a subclass, e.g. a StrEnum member


def _strings(name: str, values: object, explode: bool) -> str | list[str] | None:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise _type_error(name, "a list", values)
    items = []
    for item in values:
        if type(item) is int:
            items.append(str(item))
        elif isinstance(item, str) and item:
            items.append(str.__str__(item))
        else:
            raise TypeError(
                f"an item of {name} must be a non-empty str or an int, got {type(item).__name__}"
            )
    if not items:
        return None
    if explode:
        return items
    if any("," in item for item in items):
        raise ValueError(f"an item of {name} must not contain a comma")
    return ",".join(items)  # the API reads such a list as one comma-separated value


def _integer(name: str, value: object, minimum: int | None, maximum: int | None) -> str:
    if type(value) is not int:
        raise _type_error(name, "an int", value)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        bounds = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
        raise ValueError(f"{name} must be {bounds}, got {value}")
    return str(value)


def _timestamp(name: str, value: object) -> str:
    if not isinstance(value, datetime):
        raise _type_error(name, "a datetime", value)
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, e.g. datetime.now(timezone.utc)")
    return value.isoformat()


def _query_value(
    kind: Kind,
    name: str,
    value: object,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    explode: bool = True,
) -> str | list[str] | None:
    """The wire form of the query parameter ``name`` given ``value`` (None: not sent).

    Raises ``TypeError``/``ValueError`` naming ``name`` when the value does not fit the
    parameter's kind.
    """
    if kind == "flag":
        return "true" if _flag(name, value) else None
    if kind == "yes_no":
        return "yes" if _flag(name, value) else "no"
    if value is None:
        return None
    if kind == "boolean":
        return "true" if _flag(name, value) else "false"
    if kind == "integer":
        return _integer(name, value, minimum, maximum)
    if kind == "string":
        return _string(name, value)
    if kind == "strings":
        return _strings(name, value, explode)
    return _timestamp(name, value)


_MODELS: dict[str, Any] = {}


def model(name: str) -> Any:
    """The type a record names for a body or an answer: a model of
    :mod:`talon_async.models` (``"Coupon"``), a list of one (``"list[BestPriorPrice]"``)
    or a JSON object (``"dict"``). Models load on first use, not with the table."""
    found = _MODELS.get(name)
    if found is None:
        if name == "dict":
            found = dict
        elif name.startswith("list[") and name.endswith("]"):
            found = list[model(name[5:-1])]  # type: ignore[misc]
        else:
            found = getattr(importlib.import_module(f"{__package__}.models"), name)
        _MODELS[name] = found
    return found


def build(
    operation: Operation[T], args: Sequence[object], query: Mapping[str, object]
) -> Request[T]:
    """Check a call of ``operation`` and build its :class:`Request`.

    ``args`` are the path parameters in path order, then the body when the operation
    takes one; ``query`` maps the Python names of query parameters to their values.
    """
    from ._convert import encode  # with the first request: cattrs is not loaded before

    path_names = operation.path_parameters
    takes = len(path_names) + (operation.body is not None)
    if len(args) != takes:
        raise TypeError(
            f"{operation.name} takes {takes} positional argument(s) "
            f"({', '.join(operation.positional_names)}), got {len(args)}"
        )
    values = dict(zip(path_names, args, strict=False))
    path = operation.path
    if values:
        path = path.format_map({wire: _path_value(wire, value) for wire, value in values.items()})
    parameters = operation.query_parameters
    unknown = query.keys() - parameters.keys()
    if unknown:
        raise TypeError(f"{operation.name} got unknown parameter(s): {', '.join(sorted(unknown))}")
    wire_query: dict[str, str | list[str]] = {}
    for name, parameter in parameters.items():
        value = query.get(name, parameter.default)
        written = _query_value(
            parameter.kind,
            name,
            value,
            minimum=parameter.minimum,
            maximum=parameter.maximum,
            explode=parameter.explode,
        )
        if written is not None:
            wire_query[parameter.wire] = written
    for option, needed in operation.requires:
        if query.get(option) not in (None, False) and query.get(needed) is not True:
            raise ValueError(f"{option}= is only accepted together with {needed}=True")
    body = None
    if operation.body is not None:
        body_value = args[-1]
        body_type = model(operation.body)
        if not isinstance(body_value, body_type):
            raise TypeError(
                f"{operation.name}: the body must be {with_article(body_type.__name__)}, "
                f"got {type(body_value).__name__}"
            )
        if operation.items is not None:
            operation.items.check(body_value)
        body = encode(body_value)
    silent = query.get("silent") is True and "silent" in parameters
    returns = NoneType if operation.returns is None or silent else model(operation.returns)
    return Request(
        operation=operation,
        path=path,
        query=wire_query,
        body=body,
        returns=returns,
        order_key=entity_of(
            operation,
            values,
            lambda member: getattr(args[-1], snake_case(member), None) if operation.body else None,
        ),
    )


def entity_of(
    operation: Operation[Any],
    path: Mapping[str, object],
    body_member: Callable[[str], object],
) -> tuple[str, str] | None:
    """The entity a call acts on, by its operation's ``order_key``: (its kind, its ID),
    from the path parameter, else from the body member ``body_member(name)`` gives (of a
    model for the client, of the JSON for the fake); None when the call names none."""
    member = operation.order_key
    if member is None:
        return None
    value = path.get(member)
    if value is None:
        value = body_member(member)
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        return None
    return (ENTITIES[member], str(value))


ENTITIES: Mapping[str, str] = {
    "customerSessionId": "session",
    "sessionId": "session",
    "integrationId": "profile",
    "profileId": "profile",
    "advocateProfileIntegrationId": "profile",
    "loyaltyCardId": "loyalty card",
    "couponValue": "coupon",
    "audienceId": "audience",
    "catalogId": "catalog",
}
"""What an ordering member names: calls naming the same entity (a session by
``customerSessionId`` in the path or ``sessionId`` in the body, say) share one order."""
