"""The job file: one API call per line, read, checked and turned into client calls.

A line is a JSON object naming a write operation of the library by its operationId, with
its path and query parameters and its body in the API's own wire JSON::

    {"operationId": "updateCustomerSessionV2", "path": {"customerSessionId": "s-1"},
     "query": {"dry": false}, "body": {"customerSession": {"profileId": "p-1"}}}

Everything is read off the client's own methods: ``OPERATIONS`` says where an operation
lives, the method's signature and type hints say which of its parameters are path
parameters (positional, ``str`` or ``int``), which is the body (the request model) and
which are query parameters (keyword-only). Before anything is sent each line is decoded
strictly and the method itself is run against a stand-in transport that keeps the
:class:`~talon_async._operation.Operation` it builds, so every check the method makes
(ranges, combinations of options) runs too, and reads (GET) are told apart from writes.
"""

from __future__ import annotations

import difflib
import inspect
import re
import types
import typing
import warnings
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Union

import orjson
from attrs import frozen

from .. import from_json
from .._client import OPERATIONS, TalonClient, resource_module
from .._convert import normalize_timestamp
from .._operation import Operation
from ..errors import BulkUpdateError, TalonDecodeError

__all__ = ["Call", "JobError", "LineError", "LineProblem", "parse_line"]

MEMBERS = ("operationId", "path", "query", "body")
"""The members of a job line; ``error`` (added to the lines of a failures file) is ignored."""
_IGNORED = ("error",)


class LineError(ValueError):
    """A job line that cannot be sent, with the reason."""


@frozen
class LineProblem:
    """A bad line of a job: its number (from 1) and what is wrong with it."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


class JobError(ValueError):
    """A job with bad lines; nothing of it was sent. ``problems`` lists every bad line."""

    def __init__(self, path: str, problems: Sequence[LineProblem]) -> None:
        self.path = path
        self.problems = tuple(problems)
        shown = "\n".join(f"  {problem}" for problem in self.problems[:MAX_SHOWN])
        more = len(self.problems) - MAX_SHOWN
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(
            f"{path}: {len(self.problems)} bad line(s), nothing was sent:\n{shown}{tail}"
        )


MAX_SHOWN = 50
"""Bad lines listed in a JobError's message (all are in ``problems``)."""


@frozen
class Call:
    """One checked line of a job, ready to be sent with :meth:`send`."""

    line: int
    operation_id: str
    args: tuple[Any, ...]
    kwargs: Mapping[str, Any]
    key: tuple[str, str] | None
    """Calls with the same key run one at a time, in file order (see :func:`call_key`)."""
    dry_runnable: bool
    """Whether the operation has a ``dry`` option."""

    async def send(self, client: TalonClient) -> None:
        """Make the call; its answer is not kept."""
        resource, method = OPERATIONS[self.operation_id]
        await getattr(getattr(client, resource), method)(*self.args, **self.kwargs)


@frozen
class _Shape:
    """What the method of one operation takes, read off its signature."""

    function: Callable[..., Awaitable[Any]]
    path: tuple[tuple[str, type], ...]
    """Path parameters in path order: wire name and Python type (str or int)."""
    body: Any
    """The body's type (a model, or ``dict[str, Any]``), or None without a body."""
    query: Mapping[str, tuple[str, Any]]
    """Query parameters: wire name -> (Python keyword, type)."""


def _camel_case(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part.capitalize() for part in rest)


class _AnyOf:
    """Stands for ``typing_extensions.Unpack`` (imported only for type checkers) in the
    ``**options`` annotation, which is never used here."""

    def __class_getitem__(cls, item: Any) -> Any:
        return Any


_SHAPES: dict[str, _Shape] = {}
_READS: set[str] = set()


def _shape(operation_id: str) -> _Shape:
    shape = _SHAPES.get(operation_id)
    if shape is not None:
        return shape
    resource, method = OPERATIONS[operation_id]
    descriptor = TalonClient.__dict__[resource]
    resource_class = getattr(resource_module(descriptor._module), descriptor._class_name)
    function = getattr(resource_class, method)
    hints = typing.get_type_hints(function, localns={"Unpack": _AnyOf})
    path: list[tuple[str, type]] = []
    body: Any = None
    query: dict[str, tuple[str, Any]] = {}
    for parameter in list(inspect.signature(function).parameters.values())[1:]:
        hint = hints[parameter.name]
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY:
            query[_camel_case(parameter.name)] = (parameter.name, hint)
        elif parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD:
            if hint in (str, int):
                path.append((_camel_case(parameter.name), hint))
            else:
                body = hint
    shape = _SHAPES[operation_id] = _Shape(function, tuple(path), body, query)
    return shape


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "an object",
    }[type(value)]


_BOOLEANS = {"true": True, "false": False, "yes": True, "no": False}


def _query_value(name: str, hint: Any, value: Any) -> Any:
    """``value`` (JSON) as the Python type ``hint`` of the query parameter ``name``."""
    if typing.get_origin(hint) in (Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if value is None:
            return None
        [hint] = options
    origin = typing.get_origin(hint)
    if hint is bool:
        if type(value) is bool:
            return value
        if isinstance(value, str) and value in _BOOLEANS:
            return _BOOLEANS[value]
        expected = "true or false (or the strings true/false, yes/no)"
    elif hint is int:
        if type(value) is int:
            return value
        expected = "an integer"
    elif hint is str:
        if isinstance(value, str):
            return value
        expected = "a string"
    elif hint is datetime:
        if isinstance(value, str):
            return _moment(name, value)
        expected = "an RFC 3339 date and time"
    elif origin in (list, Sequence):
        [item] = typing.get_args(hint)
        if isinstance(value, list) and all(type(v) is item for v in value):
            return value
        expected = f"an array of {'strings' if item is str else 'integers'}"
    else:  # pragma: no cover - a parameter type this module does not know yet
        raise LineError(f"query parameter {name!r} has a type bulk jobs cannot fill: {hint}")
    raise LineError(f"query parameter {name!r} must be {expected}, got {_json_type(value)}")


def _moment(name: str, text: str) -> datetime:
    try:  # the converter's normalization: "Z" and any fraction length, on 3.10 too
        moment = datetime.fromisoformat(normalize_timestamp(text))
    except ValueError:
        moment = None
    if moment is None or "T" not in text.upper() or moment.tzinfo is None:
        raise LineError(
            f"query parameter {name!r} must be an RFC 3339 date and time with an offset "
            f"(e.g. 2024-05-01T12:00:00Z), got {text!r}"
        )
    return moment


def _path_value(name: str, hint: type, value: Any) -> str | int:
    if hint is int and type(value) is int:
        return value
    if hint is str and isinstance(value, str) and value:
        return value
    expected = "an integer" if hint is int else "a non-empty string"
    raise LineError(f"path parameter {name!r} must be {expected}, got {_json_type(value)}")


def _members(line: Any) -> dict[str, Any]:
    if not isinstance(line, dict):
        raise LineError(f"a line must be a JSON object, got {_json_type(line)}")
    unknown = [name for name in line if name not in MEMBERS and name not in _IGNORED]
    if unknown:
        raise LineError(
            f"unknown member {unknown[0]!r} (a line has operationId, path, query and body)"
        )
    operation_id = line.get("operationId")
    if not isinstance(operation_id, str):
        raise LineError("operationId is missing or not a string")
    if operation_id not in OPERATIONS:
        close = difflib.get_close_matches(operation_id, OPERATIONS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise LineError(f"unknown operationId {operation_id!r}{hint}")
    if operation_id in _READS:
        raise _read(operation_id)
    for name in ("path", "query"):
        if not isinstance(line.get(name, {}), dict):
            raise LineError(f"{name} must be an object, got {_json_type(line[name])}")
    return line


def _read(operation_id: str) -> LineError:
    return LineError(f"{operation_id} is a read (GET); a bulk job only runs writes")


class _Captured(Exception):
    """Raised by the stand-in transport with the operation a method built."""

    def __init__(self, operation: Operation[Any]) -> None:
        self.operation = operation


class _Recorder:
    """A stand-in transport: keeps the operations it is handed and sends nothing."""

    def __init__(self) -> None:
        self.sent = 0

    async def send(self, operation: Operation[Any], options: object) -> Any:
        self.sent += 1
        raise _Captured(operation)


class _Probe:
    """What resource methods need of ``self``: a transport (here, the recorder)."""

    def __init__(self) -> None:
        self._transport = _Recorder()


async def _probe(
    operation_id: str, function: Callable[..., Awaitable[Any]], args: Any, kwargs: Any
) -> Operation[Any]:
    """Run the method against the recorder: its checks raise, or it yields its Operation."""
    probe = _Probe()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # said again when it is sent
            await function(probe, *args, **kwargs)
    except _Captured as captured:
        return captured.operation
    except BulkUpdateError:
        raise LineError(
            f"this {operation_id} would be split into {probe._transport.sent} calls; a line "
            "must be one call (at most 1000 profiles): split it over several lines"
        ) from None
    except (TypeError, ValueError) as error:
        raise LineError(str(error)) from None
    raise AssertionError(f"{operation_id} sent nothing")  # pragma: no cover


async def parse_line(number: int, text: bytes | str, *, dry: bool = False) -> Call:
    """Check one line (``number`` counts from 1) and turn it into a :class:`Call`.

    With ``dry=True`` the call gets ``dry=True`` where its operation has that option.
    Raises :class:`LineError` with the reason when the line cannot be sent.
    """
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise LineError(f"not JSON: {error}") from None
    line = _members(data)
    operation_id: str = line["operationId"]
    shape = _shape(operation_id)
    path = line.get("path", {})
    wanted = [name for name, _ in shape.path]
    for name in path:
        if name not in wanted:
            takes = ", ".join(wanted) if wanted else "none"
            raise LineError(f"unknown path parameter {name!r} ({operation_id} takes: {takes})")
    missing = [name for name in wanted if name not in path]
    if missing:
        raise LineError(f"path parameter {missing[0]!r} is missing")
    args: list[Any] = [_path_value(name, hint, path[name]) for name, hint in shape.path]
    kwargs: dict[str, Any] = {}
    for name, value in line.get("query", {}).items():
        if name not in shape.query:
            takes = ", ".join(shape.query) if shape.query else "none"
            raise LineError(f"unknown query parameter {name!r} ({operation_id} takes: {takes})")
        keyword, hint = shape.query[name]
        kwargs[keyword] = _query_value(name, hint, value)
    dry_runnable = "dry" in shape.query
    if dry and dry_runnable:
        kwargs["dry"] = True
    if shape.body is None:
        if "body" in line:
            raise LineError(f"{operation_id} takes no body")
    elif "body" not in line:
        raise LineError("body is missing")
    else:
        try:
            args.append(from_json(shape.body, line["body"], strict=True))
        except TalonDecodeError as error:
            raise LineError(f"body: {_reason(error)}") from None
    operation = await _probe(operation_id, shape.function, args, kwargs)
    if operation.method == "GET":
        _READS.add(operation_id)
        raise _read(operation_id)
    return Call(
        line=number,
        operation_id=operation_id,
        args=tuple(args),
        kwargs=kwargs,
        key=call_key({name: path[name] for name in wanted}, line.get("body")),
        dry_runnable=dry_runnable,
    )


def _reason(error: TalonDecodeError) -> str:
    """The decoder's reason alone, without the frame it puts around a response body."""
    text = str(error)
    match = re.fullmatch(r"not decoded \((.*)\): <empty body>", text)
    return match.group(1) if match else text


_SESSION_MEMBERS = ("sessionId",)
_PROFILE_MEMBERS = ("profileId", "advocateProfileIntegrationId")


def call_key(path: Mapping[str, Any], body: Any) -> tuple[str, str] | None:
    """The ordering key of a call: calls with the same key run in file order, one at a time.

    1. the customer session it names: the ``customerSessionId`` path parameter, else a
       ``sessionId`` member of the body (``trackEvent``, ``activateLoyaltyPoints``);
    2. else the customer profile it names: the ``integrationId`` path parameter (profile
       updates, customer data, loyalty ledgers), else a ``profileId`` or
       ``advocateProfileIntegrationId`` member of the body (events, referrals);
    3. else its last path parameter (a coupon, loyalty card, audience or catalog), unless
       that is a loyalty program, which all its customers and cards share;
    4. else none: the call runs independently of every other.
    """
    members = body if isinstance(body, dict) else {}
    if "customerSessionId" in path:
        return ("session", str(path["customerSessionId"]))
    for name in _SESSION_MEMBERS:
        if isinstance(members.get(name), str):
            return ("session", members[name])
    if "integrationId" in path:
        return ("profile", str(path["integrationId"]))
    for name in _PROFILE_MEMBERS:
        if isinstance(members.get(name), str):
            return ("profile", members[name])
    if path:
        name, value = list(path.items())[-1]
        if name != "loyaltyProgramId":
            return (name, str(value))
    return None
