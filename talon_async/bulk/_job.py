"""The job file: one API call per line, read, checked against the table of operations, and
turned into requests ready to send.

A line is a JSON object naming a write operation by its operationId, with its path and
query parameters and its body in the API's own wire JSON::

    {"operationId": "updateCustomerSessionV2", "path": {"customerSessionId": "s-1"},
     "query": {"dry": false}, "body": {"customerSession": {"profileId": "p-1"}}}

Everything a line may hold is read off its operation's record in
:mod:`talon_async.operations`: the path parameters and their types, the query parameters
and their kinds, the body's model. A line is decoded strictly, then built into a
:class:`~talon_async._operation.Request` by the record itself, which makes every check the
client makes (ranges, combinations of options, the body's values) and encodes the body: the
request a line was checked as is the request that is sent.
"""

from __future__ import annotations

import difflib
import json
import re
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import orjson
from attrs import frozen

from .. import from_json
from .._client import TalonClient
from .._convert import parse_datetime
from .._operation import INTEGER_PATH_PARAMETERS, Request, model
from ..errors import TalonDecodeError
from ..operations import OPERATIONS, Operation, Parameter

__all__ = ["JobError", "JobLine", "LineError", "LineProblem", "parse_line"]

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
        self.problems: tuple[LineProblem, ...] = tuple(problems)
        shown = "\n".join(f"  {problem}" for problem in self.problems[:MAX_SHOWN])
        more = len(self.problems) - MAX_SHOWN
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(
            f"{path}: {len(self.problems)} bad line(s), nothing was sent:\n{shown}{tail}"
        )


MAX_SHOWN = 50
"""Bad lines listed in a JobError's message (all are in ``problems``)."""


@frozen
class JobLine:
    """One checked line of a job, ready to be sent with :meth:`send`."""

    line: int
    operation_id: str
    request: Request[Any]
    """The request the line was checked as, body encoded: what :meth:`send` sends."""

    @property
    def key(self) -> tuple[str, str] | None:
        """Lines with the same key run one at a time, in file order: the entity the call
        acts on, by its operation's ``order_key`` (see :mod:`talon_async.operations`)."""
        return self.request.order_key  # type: ignore[return-value]

    @property
    def dry_runnable(self) -> bool:
        """Whether the operation has a ``dry`` option."""
        return "dry" in self.request.operation.query_parameters

    async def send(self, client: TalonClient, *, job: str, **options: Any) -> None:
        """Make the call; its answer is not kept. ``job`` names the job (its content
        hash): for an operation the API deduplicates by an ``Idempotency-Key``, the key
        is derived from it and the line number, so that the same line sent again (after
        a crash, by another worker) is applied once. ``options`` are call options."""
        if self.request.operation.idempotency_key:
            options["extra_headers"] = {"Idempotency-Key": idempotency_key(job, self.line)}
        await client.send(self.request, **options)


_KEYS = uuid.UUID("6f1d4e02-7a3b-4c55-9a0e-2b8f3c1d5e77")


def idempotency_key(job: str, line: int) -> str:
    """The ``Idempotency-Key`` of line ``line`` of the job ``job``: a UUID (version 5)
    that is the same every time the line is sent."""
    return str(uuid.uuid5(_KEYS, f"{job}:{line}"))


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
_OFFSET = re.compile(r"(?:[zZ]|[+-]\d\d:\d\d)\Z")


def _query_value(parameter: Parameter, value: Any) -> Any:
    """The JSON ``value`` of a query parameter as the Python value its kind takes."""
    kind = parameter.kind
    if kind in ("flag", "yes_no", "boolean"):
        if type(value) is bool:
            return value
        if isinstance(value, str) and value in _BOOLEANS:
            return _BOOLEANS[value]
        expected = "true or false (or the strings true/false, yes/no)"
    elif kind == "integer":
        if type(value) is int:
            return value
        expected = "an integer"
    elif kind == "string":
        if isinstance(value, str):
            return value
        expected = "a string"
    elif kind == "datetime":
        if isinstance(value, str):
            return _date_time(parameter.wire, value)
        expected = "an RFC 3339 date and time"
    else:  # strings
        if isinstance(value, list) and all(type(v) in (str, int) for v in value):
            return value
        expected = "an array of strings or integers"
    raise LineError(
        f"query parameter {parameter.wire!r} must be {expected}, got {_json_type(value)}"
    )


def _date_time(name: str, text: str) -> datetime:
    """A query parameter's date and time, read by the client's one RFC 3339 parser; the
    line must give the offset (a job runs wherever it runs, its times must not move)."""
    try:
        moment = parse_datetime(text) if _OFFSET.search(text) and "T" in text.upper() else None
    except ValueError:
        moment = None
    if moment is None:
        raise LineError(
            f"query parameter {name!r} must be an RFC 3339 date and time with an offset "
            f"(e.g. 2024-05-01T12:00:00Z), got {text!r}"
        )
    return moment


def _path_value(name: str, value: Any) -> str | int:
    if name in INTEGER_PATH_PARAMETERS:
        if type(value) is int:
            return value
        expected = "an integer"
    else:
        if isinstance(value, str) and value:
            return value
        expected = "a non-empty string"
    raise LineError(f"path parameter {name!r} must be {expected}, got {_json_type(value)}")


def _operation(line: Any) -> Operation[Any]:
    """The record of the operation a line names, once the line's shape is checked."""
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
    operation = OPERATIONS.get(operation_id)
    if operation is None:
        close = difflib.get_close_matches(operation_id, OPERATIONS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise LineError(f"unknown operationId {operation_id!r}{hint}")
    if operation.http_method == "GET":
        raise LineError(f"{operation_id} is a read (GET); a bulk job only runs writes")
    for name in ("path", "query"):
        if not isinstance(line.get(name, {}), dict):
            raise LineError(f"{name} must be an object, got {_json_type(line[name])}")
    return operation


def _path(operation: Operation[Any], path: Mapping[str, Any]) -> list[Any]:
    wanted = operation.path_parameters
    for name in path:
        if name not in wanted:
            takes = ", ".join(wanted) if wanted else "none"
            raise LineError(
                f"unknown path parameter {name!r} ({operation.operation_id} takes: {takes})"
            )
    missing = [name for name in wanted if name not in path]
    if missing:
        raise LineError(f"path parameter {missing[0]!r} is missing")
    return [_path_value(name, path[name]) for name in wanted]


def _query(operation: Operation[Any], query: Mapping[str, Any], dry: bool) -> dict[str, Any]:
    by_wire = {parameter.wire: parameter for parameter in operation.query}
    values = {}
    for name, value in query.items():
        parameter = by_wire.get(name)
        if parameter is None:
            takes = ", ".join(by_wire) if by_wire else "none"
            raise LineError(
                f"unknown query parameter {name!r} ({operation.operation_id} takes: {takes})"
            )
        values[parameter.name] = _query_value(parameter, value)
    if dry and "dry" in operation.query_parameters:
        values["dry"] = True
    return values


def _body(operation: Operation[Any], line: Mapping[str, Any]) -> list[Any]:
    if operation.body is None:
        if "body" in line:
            raise LineError(f"{operation.operation_id} takes no body")
        return []
    if "body" not in line:
        raise LineError("body is missing")
    body_type = model(operation.body)
    if body_type is dict:
        if not isinstance(line["body"], dict):
            raise LineError(f"body must be an object, got {_json_type(line['body'])}")
        return [line["body"]]
    try:
        return [from_json(body_type, line["body"], strict=True)]
    except TalonDecodeError as error:
        raise LineError(f"body: {_reason(error)}") from None


def parse_line(number: int, text: bytes | str, *, dry: bool = False) -> JobLine:
    """Check one line (``number`` counts from 1) and turn it into a :class:`JobLine`.

    With ``dry=True`` the call gets ``dry=True`` where its operation has that option.
    Raises :class:`LineError` with the reason when the line cannot be sent.
    """
    return read_line(number, text, dry=dry, checked=False)


def read_line(number: int, text: bytes | str, *, dry: bool, checked: bool) -> JobLine:
    """:func:`parse_line`; with ``checked=True``, for bytes that passed it already (the
    same bytes build the same request), the checks of the text alone are not made again."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise LineError(f"not JSON: {error}") from None
    raw = text if isinstance(text, bytes) else text.encode()
    if not checked and _LONG_NUMBER in raw.translate(_DIGITS):
        _check_integers(text)
    operation = _operation(data)
    args = _path(operation, data.get("path", {})) + _body(operation, data)
    query = _query(operation, data.get("query", {}), dry)
    operation.warn_if_deprecated(stacklevel=3)
    try:
        request = operation.request(*args, **query)
        if not checked:
            # The line is written back, with an ``error`` member, when its call fails.
            orjson.dumps(data)
    except (TypeError, ValueError) as error:  # orjson's JSONEncodeError is a TypeError
        raise LineError(str(error)) from None
    return JobLine(line=number, operation_id=operation.operation_id, request=request)


_DIGITS = bytes(ord("0") if chr(byte).isdigit() and byte < 128 else ord(" ") for byte in range(256))
_LONG_NUMBER = b"0" * 19
"""Digits enough for an integer outside 64 bits (found fast, with every digit made 0),
which orjson would read as a float."""
_INTEGERS = (-(2**63), 2**64 - 1)


def _check_integers(text: bytes | str) -> None:
    """Refuse an integer the API cannot read exactly (orjson turns it into a float)."""

    def walk(value: Any, where: str) -> None:
        if type(value) is int and not _INTEGERS[0] <= value <= _INTEGERS[1]:
            raise LineError(f"{where}: the integer {value} is outside the 64-bit range")
        if isinstance(value, dict):
            for name, item in value.items():
                walk(item, f"{where}.{name}" if where else name)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{where}[{index}]")

    walk(json.loads(text), "")


def _reason(error: TalonDecodeError) -> str:
    """The decoder's reason alone, without the frame it puts around a response body."""
    text = str(error)
    match = re.fullmatch(r"not decoded \((.*)\): <empty body>", text)
    return match.group(1) if match else text
