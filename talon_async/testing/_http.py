"""The HTTP core of the fake: the route table, path parameters, authentication, the log,
faults and the 409 for overlapping calls.

The route table comes from the operations table (:mod:`talon_async.operations`): each
operation's method, path, path parameter types, accepted credentials and ordering key are
its record's; its handler, and the schema of its request body, are what an area declares
for its operationId (:class:`Handling`). :func:`route_table` fails unless every operation
has one handler and every handler an operation.

Every request is recorded, then goes through the route table (404/405), the 409 for a call
overlapping another on the same entity, the faults, authentication (401), its path
parameters (400), body validation (400) and finally its handler, which gets them all read
and checked (:class:`HandlerCall`) and runs synchronously while holding the state's lock.

The request log is bounded: it keeps the last ``max_requests`` requests, each body cut at
``max_body_bytes``. A request without valid credentials is recorded without its headers
and body; its body is not even read, unless a ``Content-Signature`` must be checked
against it.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeVar
from urllib.parse import unquote

from aiohttp import web
from aiohttp.typedefs import Handler as AiohttpHandler
from multidict import MultiMapping

from .._operation import TEXT_PATH_PARAMETER_LENGTHS, entity_of
from ..auth import API_KEY_V1, INTEGRATION_AUTH, MANAGER_AUTH
from ..operations import INTEGER_PATH_PARAMETERS, OPERATIONS, Operation
from ._faults import Faults
from ._schema import INTEGRATION_ID, Schema, Text, validate, validate_parameter
from ._state import FakeState
from ._wire import Answer, ApiError, error_body, error_item, parse_timestamp

_MAX_BODY_BYTES = 32 * 1024 * 1024
_SCHEMES = (API_KEY_V1, MANAGER_AUTH, INTEGRATION_AUTH)
_INT64 = re.compile(r"-?[0-9]{1,19}")
_INT64_MAX = 2**63 - 1
T = TypeVar("T")

PATH_TEXT: Mapping[str, Text] = {
    # The spec's schema of the path parameter, which the client checks too.
    **{name: Text(*bounds) for name, bounds in TEXT_PATH_PARAMETER_LENGTHS.items()},
    # The answers' schemas bound a session's and a profile's integration ID at 1000
    # characters: a longer one can name no entity, and the fake would not store one.
    "customerSessionId": INTEGRATION_ID,
    "integrationId": INTEGRATION_ID,
}
"""The bounds of string path parameters, by name (the others take any non-empty string).
Integer ones (``INTEGER_PATH_PARAMETERS``) take a decimal int64 from 0 to 2**63-1."""


def _int64(text: str) -> int | None:
    """A signed 64-bit integer written in decimal, or None when ``text`` is not one."""
    if _INT64.fullmatch(text) is None:
        return None
    value = int(text)
    return value if -_INT64_MAX - 1 <= value <= _INT64_MAX else None


@dataclass(frozen=True)
class HandlerCall:
    """One authenticated request as its handler gets it: the path parameters, read and
    checked (``ids`` the integer ones, ``params`` the strings), the query and the
    validated JSON body.

    ``query[name]`` is the first value of a parameter; the helpers below read typed
    values and answer 400 naming the parameter when one is malformed.
    """

    params: Mapping[str, str]
    ids: Mapping[str, int]
    query: MultiMapping[str]
    body: Any

    def strings(self, name: str) -> list[str]:
        """Every value of a repeated query parameter (empty when absent)."""
        return list(self.query.getall(name, ()))

    def integer(
        self, name: str, default: int, *, minimum: int = 0, maximum: int | None = None
    ) -> int:
        """An integer query parameter within its bounds (``default`` when absent)."""
        value = self.query.get(name)
        if value is None:
            return default
        bounds = f"from {minimum}" + ("" if maximum is None else f" to {maximum}")
        number = _int64(value)
        if number is None or number < minimum or (maximum is not None and number > maximum):
            raise bad_parameter(name, f"{name} must be an integer {bounds}")
        return number

    def choice(self, name: str, choices: tuple[str, ...]) -> str | None:
        """A query parameter out of a fixed set (None when absent)."""
        value = self.query.get(name)
        if value is not None and value not in choices:
            raise bad_parameter(name, f"{name} must be one of {', '.join(choices)}")
        return value

    def date_time(self, name: str) -> datetime | None:
        """An RFC 3339 date-time (or a date, meaning its midnight UTC) query parameter."""
        value = self.query.get(name)
        if value is None:
            return None
        try:
            return parse_timestamp(value)
        except ValueError:
            raise bad_parameter(name, f"{name} must be an RFC 3339 date-time") from None

    def flag(self, name: str) -> bool:
        """A ``true``/``false`` query parameter (false when absent); 400 otherwise."""
        value = self.query.get(name, "false")
        if value not in ("true", "false"):
            raise bad_parameter(name, f"{name} must be true or false")
        return value == "true"

    def yes_no(self, name: str, default: str) -> bool:
        """A ``yes``/``no`` query parameter (``default`` when absent); 400 otherwise."""
        value = self.query.get(name, default)
        if value not in ("yes", "no"):
            raise bad_parameter(name, f"{name} must be yes or no")
        return value == "yes"

    def listed(self, name: str, choices: tuple[str, ...]) -> list[str] | None:
        """A comma-separated query parameter of ``choices`` (None when absent); 400 otherwise."""
        text = self.query.get(name)
        if text is None:
            return None
        values = text.split(",")
        if not set(values) <= set(choices):
            listed = ", ".join(choices)
            raise bad_parameter(name, f"{name} takes a comma-separated list of {listed}")
        return values

    def id_list(self, name: str) -> list[int] | None:
        """A comma-separated query parameter of integer IDs (None when absent); 400 otherwise."""
        text = self.query.get(name)
        if text is None:
            return None
        values = [_int64(value) for value in text.split(",")]
        if None in values:
            raise bad_parameter(name, f"{name} takes a comma-separated list of integer IDs")
        return [value for value in values if value is not None]

    def page(self, items: Sequence[T], default_size: int) -> tuple[list[T], bool]:
        """The items ``skip`` and ``pageSize`` (1 to 1000, ``default_size`` when absent) ask
        for, and whether more items follow them."""
        size = self.integer("pageSize", default_size, minimum=1, maximum=1000)
        skip = self.integer("skip", 0)
        return list(items[skip : skip + size]), skip + size < len(items)


def bad_parameter(name: str, details: str, *, where: str = "query") -> ApiError:
    """A 400 naming the query (or ``where="path"``) parameter at fault."""
    return ApiError(
        400,
        f"Invalid {where} parameter",
        [error_item("Invalid parameter", details, parameter=name)],
    )


def _path_values(raw: Mapping[str, str]) -> tuple[dict[str, str], dict[str, int]]:
    """The path parameters of a request, the strings and the integers, read and checked;
    one 400 "Invalid path parameter" naming every malformed one."""
    strings: dict[str, str] = {}
    ids: dict[str, int] = {}
    problems = []
    for name, text in raw.items():
        if name not in INTEGER_PATH_PARAMETERS:
            problems += validate_parameter(name, text, PATH_TEXT.get(name, "string"))
            strings[name] = text
            continue
        number = _int64(text)
        if number is None or number < 0:
            details = f"{name} must be an integer from 0 to {_INT64_MAX}"
            problems.append(error_item("Invalid parameter", details, parameter=name))
        else:
            ids[name] = number
    if problems:
        raise ApiError(400, "Invalid path parameter", problems)
    return strings, ids


Handler = Callable[[FakeState, HandlerCall], Answer]
"""An operation: gets the state (its lock held) and the call; answers or raises ApiError."""


@dataclass(frozen=True)
class Handling:
    """How an area serves an operation: its handler, and the schema its request body is
    validated against (None for an operation that takes no body)."""

    handler: Handler
    body_schema: Schema | None = None


@dataclass(frozen=True)
class Route:
    """One operation as the router serves it: its record, its path split into segments
    (``{name}`` for a parameter), its handler and its body schema."""

    operation: Operation[Any]
    pattern: tuple[str, ...]
    handler: Handler
    body_schema: Schema | None

    @property
    def method(self) -> str:
        """The HTTP method."""
        return self.operation.http_method


def route_table(handlers: Mapping[str, Handling]) -> list[Route]:
    """The routes of every operation of the table, in its order, each with the handler
    declared for its operationId.

    Raises ``ValueError`` naming every operation without a handler, every handler of no
    operation, and every handler whose body schema disagrees with its record (a schema
    for an operation without a body, or none for one with a body).
    """
    problems = [f"no handler for {name}" for name in OPERATIONS if name not in handlers]
    for name, handling in handlers.items():
        operation = OPERATIONS.get(name)
        if operation is None:
            problems.append(f"a handler for {name}, which is no operation of the table")
        elif (handling.body_schema is None) != (operation.body is None):
            takes = "takes no body" if operation.body is None else f"takes {operation.body}"
            problems.append(
                f"{name} {takes}, but its handler's body schema is {handling.body_schema}"
            )
    if problems:
        raise ValueError(
            "the fake's handlers do not fit the operations table: " + "; ".join(problems)
        )
    routes = []
    for name, operation in OPERATIONS.items():
        handling = handlers[name]
        pattern = tuple(operation.path.strip("/").split("/"))
        routes.append(Route(operation, pattern, handling.handler, handling.body_schema))
    return routes


def _entity(route: Route, params: Mapping[str, str], body: Any) -> tuple[str, str] | None:
    """What a call acts on, for an operation Talon.One refuses to run in parallel on one
    entity: (its kind, its ID), as the client orders calls (``_operation.entity_of``),
    from the path parameter or body member the record names; None for other operations
    and for a body without that member."""
    if not route.operation.conflicts_in_parallel:
        return None
    return entity_of(
        route.operation, params, lambda member: body.get(member) if isinstance(body, dict) else None
    )


@dataclass
class RecordedRequest:
    """One request the fake received, in arrival order (``fake.requests``).

    ``path`` is percent-decoded, ``raw_path`` is as sent (both without the query);
    ``headers`` keeps the header names as the client spelled them. ``body`` is cut at
    the fake's ``max_body_bytes`` (``truncated`` then says so). A request without valid
    credentials keeps neither: its ``headers`` are empty and its ``body`` is empty.
    ``status`` is the status answered, or None while in progress or when the connection
    was dropped; ``duration`` the seconds it took, once done.
    """

    method: str
    path: str
    raw_path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    status: int | None = field(default=None)
    duration: float | None = field(default=None)
    truncated: bool = field(default=False)

    @property
    def json(self) -> Any:
        """The body parsed as JSON, or None when it is empty, cut or not JSON."""
        try:
            return json.loads(self.body) if self.body.strip() else None
        except ValueError:
            return None


class Credentials(Protocol):
    """What the fake accepts: an API key, a Content-Signature key, a manager token."""

    api_key: str
    application_id: int
    application_key: str
    manager_token: str


class HttpServer:
    """Serves the routes over the state on one aiohttp server; records every request in
    ``requests``, the last ``max_requests`` of them (None: all), each body cut at
    ``max_body_bytes`` (None: whole)."""

    def __init__(
        self,
        state: FakeState,
        credentials: Credentials,
        routes: Sequence[Route],
        faults: Faults,
        requests: list[RecordedRequest],
        on_request: Callable[[RecordedRequest], None] | None = None,
        *,
        max_requests: int | None = None,
        max_body_bytes: int | None = None,
    ) -> None:
        self._state = state
        self._credentials = credentials
        self._routes = routes
        self._faults = faults
        self._requests = requests
        self._on_request = on_request
        for name, bound in (("max_requests", max_requests), ("max_body_bytes", max_body_bytes)):
            if bound is None:
                continue
            if not isinstance(bound, int) or isinstance(bound, bool):
                raise TypeError(f"{name} must be an integer or None, not {type(bound).__name__}")
            if bound < 0:
                raise ValueError(f"{name} must be at least 0, not {bound}")
        self._max_requests = max_requests
        self._max_body_bytes = max_body_bytes
        self._runner: web.AppRunner | None = None
        self._closing = asyncio.Event()
        self._in_flight: set[tuple[str, str]] = set()

    async def start(self, host: str, port: int) -> str:
        """Start serving; returns the base URL."""
        if self._runner is not None:
            raise RuntimeError("this FakeTalon is already running")
        self._closing = asyncio.Event()
        # No aiohttp routes: every request, whatever its path holds (a newline, say), goes
        # through the one middleware to the fake's own routing, log and authentication.
        app = web.Application(client_max_size=_MAX_BODY_BYTES, middlewares=[self._everything])
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        try:
            site = web.TCPSite(runner, host, port)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        bound = runner.addresses[0][1]
        return f"http://[{host}]:{bound}" if ":" in host else f"http://{host}:{bound}"

    async def close(self) -> None:
        """Stop serving (delayed requests still waiting are dropped); safe to call twice."""
        runner, self._runner = self._runner, None
        if runner is not None:
            self._closing.set()
            await runner.cleanup()

    @web.middleware
    async def _everything(
        self, request: web.Request, handler: AiohttpHandler
    ) -> web.StreamResponse:
        return await self._handle(request)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        started = time.perf_counter()
        raw_path = request.raw_path.split("?", 1)[0]
        match = self._match(request.method, raw_path)
        route, params = match if isinstance(match, tuple) else (None, {})
        headers = {name.lower(): value for name, value in request.headers.items()}
        how = self._authentication(headers, route)
        raw_body = await request.read() if how is not None else b""
        authorized = how == "header" or (how == "signature" and self._signed(headers, raw_body))
        kept = raw_body[: self._max_body_bytes] if authorized else b""
        record = RecordedRequest(
            method=request.method,
            path=unquote(raw_path),
            raw_path=raw_path,
            query=dict(request.query),
            headers=dict(request.headers) if authorized else {},
            body=kept,
            truncated=authorized and len(kept) < len(raw_body),
        )
        self._record(record)
        body = None
        entity = None
        if route is not None and authorized:
            body = _parse_body(raw_body) if route.body_schema is not None else None
            entity = _entity(route, params, body)
        if entity is not None and entity in self._in_flight:
            answer: Answer | None = _conflict()
        else:
            if entity is not None:
                self._in_flight.add(entity)
            try:
                answer = await self._answer(record, match, request.query, body, authorized)
            finally:
                if entity is not None:
                    self._in_flight.discard(entity)
        if answer is not None:
            record.status = answer.status
        record.duration = time.perf_counter() - started
        if self._on_request is not None:
            self._on_request(record)
        if answer is None:
            if request.transport is not None:
                request.transport.close()
            return web.Response()
        return _response(answer)

    def _record(self, record: RecordedRequest) -> None:
        """Add a request to the log, forgetting the oldest beyond ``max_requests``."""
        self._requests.append(record)
        if self._max_requests is not None and len(self._requests) > self._max_requests:
            del self._requests[: len(self._requests) - self._max_requests]

    async def _answer(
        self,
        record: RecordedRequest,
        match: tuple[Route, dict[str, str]] | Answer,
        query: MultiMapping[str],
        body: Any,
        authorized: bool,
    ) -> Answer | None:
        """Apply the faults around the operation; None means: drop the connection."""
        faults = self._faults
        delay = faults.take_delay(record.method, record.path)
        if delay:
            try:
                await asyncio.wait_for(self._closing.wait(), delay)
            except asyncio.TimeoutError:
                pass
            else:
                return None
        before = faults.take_before(record.method, record.path)
        if before == "drop":
            return None
        if before is not None:
            return before
        with self._state.lock:
            answer = self._run(match, query, body, authorized)
        if faults.take_drop_after(record.method, record.path):
            return None
        return answer

    def _run(
        self,
        match: tuple[Route, dict[str, str]] | Answer,
        query: MultiMapping[str],
        body: Any,
        authorized: bool,
    ) -> Answer:
        if isinstance(match, Answer):
            return match
        route, params = match
        if not authorized:
            return _unauthorized()
        try:
            strings, ids = _path_values(params)
            if route.body_schema is not None:
                if isinstance(body, ApiError):
                    raise body
                problems = validate(body, route.body_schema)
                if problems:
                    raise ApiError(400, "Invalid request body", problems)
            return route.handler(self._state, HandlerCall(strings, ids, query, body))
        except ApiError as error:
            return error.answer

    def _authentication(self, headers: Mapping[str, str], route: Route | None) -> str | None:
        """How a request may be authenticated, from its (lower-cased) headers and the
        schemes its operation accepts: by its ``"header"`` (Authorization), by its
        ``"signature"`` (a Content-Signature, to check against its body), or not at all
        (None). Without a route (a 404 or 405), any of the fake's credentials counts."""
        credentials = self._credentials
        schemes = _SCHEMES if route is None else route.operation.auth
        authorization = headers.get("authorization", "")
        if API_KEY_V1 in schemes and _same(authorization, f"ApiKey-v1 {credentials.api_key}"):
            return "header"
        bearer = f"Bearer {credentials.manager_token}"
        if MANAGER_AUTH in schemes and _same(authorization, bearer):
            return "header"
        if INTEGRATION_AUTH in schemes and "content-signature" in headers:
            return "signature"
        return None

    def _signed(self, headers: Mapping[str, str], body: bytes) -> bool:
        """Whether the Content-Signature header signs ``body`` with the application key."""
        credentials = self._credentials
        parts = dict(
            part.strip().partition("=")[::2] for part in headers["content-signature"].split(";")
        )
        signing_key = bytes.fromhex(credentials.application_key)
        expected = hmac.new(signing_key, body, hashlib.md5).hexdigest()
        return parts.get("signer") == str(credentials.application_id) and _same(
            parts.get("signature", ""), expected
        )

    def _match(self, method: str, raw_path: str) -> tuple[Route, dict[str, str]] | Answer:
        """The route and decoded path parameters of a request, or a 404/405 answer."""
        segments = [unquote(segment) for segment in raw_path.strip("/").split("/")]
        allowed = []
        for candidate in self._routes:
            if len(candidate.pattern) != len(segments):
                continue
            params = {}
            for expected, actual in zip(candidate.pattern, segments, strict=True):
                if expected.startswith("{"):
                    if not actual:
                        break
                    params[expected[1:-1]] = actual
                elif expected != actual:
                    break
            else:
                if candidate.method == method:
                    return candidate, params
                allowed.append(candidate.method)
        if allowed:
            return Answer(405, error_body(405, "Method not allowed"), {"Allow": ", ".join(allowed)})
        return Answer(404, error_body(404, "Not found", [error_item("Not found", raw_path)]))


def _same(given: str, expected: str) -> bool:
    """Compare a credential in constant time (any characters, unlike compare_digest on str)."""
    return hmac.compare_digest(
        given.encode("utf-8", "surrogateescape"), expected.encode("utf-8", "surrogateescape")
    )


def _parse_body(raw: bytes) -> Any:
    """The body as JSON, or the 400 that answers it when it is not JSON (raised once
    authentication and the path parameters have passed)."""
    try:
        return json.loads(raw)
    except ValueError as exc:
        return ApiError(
            400,
            "Invalid request body",
            [error_item("Malformed JSON", f"the body is not valid JSON: {exc}", pointer="/")],
        )


def _unauthorized() -> Answer:
    return Answer(
        401,
        error_body(
            401,
            "Unauthorized",
            [
                error_item(
                    "Unauthorized", "missing or invalid credentials", parameter="Authorization"
                )
            ],
        ),
    )


def _conflict() -> Answer:
    return Answer(
        409,
        error_body(
            409,
            "Conflict",
            [
                error_item(
                    "Parallel requests",
                    "another request is updating this entity; send requests sequentially",
                )
            ],
        ),
    )


def _response(answer: Answer) -> web.Response:
    headers = dict(answer.headers)
    if answer.body is None:
        return web.Response(status=answer.status, headers=headers)
    if isinstance(answer.body, bytes):
        content_type = "text/html" if answer.body.lstrip().startswith(b"<") else "text/plain"
        return web.Response(
            status=answer.status, body=answer.body, headers=headers, content_type=content_type
        )
    return web.Response(
        status=answer.status,
        body=json.dumps(answer.body).encode(),
        headers=headers,
        content_type="application/json",
    )
