"""The HTTP core of the fake: routes, matching, authentication, the request log, faults.

Every request is recorded, then goes through the faults, the route table (404/405),
authentication (401), body validation (400) and finally its area's handler, which runs
synchronously while holding the state's lock. The route table is the list of every
area's routes, handed over by :class:`FakeTalon`; nothing here knows any operation.

The request log is bounded: it keeps the last ``max_requests`` requests, each body cut
at ``max_body_bytes``. A request without valid credentials is recorded without its
headers and body; its body is not even read, unless a ``Content-Signature`` must be
checked against it.
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

from ._faults import Faults
from ._schema import Schema, validate, validate_parameter
from ._state import State
from ._wire import Answer, ApiError, error_body, error_item, not_found, parse_timestamp

_MAX_BODY_BYTES = 32 * 1024 * 1024
_INTEGER = re.compile(r"-?[0-9]+")
T = TypeVar("T")


@dataclass(frozen=True)
class Call:
    """One authenticated request: path parameters, query and the validated JSON body.

    ``query[name]`` is the first value of a parameter; the helpers below read typed
    values and answer 400 naming the parameter when one is malformed.
    """

    params: Mapping[str, str]
    query: MultiMapping[str]
    body: Any

    def path_integer(self, name: str) -> int:
        """A path parameter that must be an integer; 400 otherwise."""
        value = self.params[name]
        if _INTEGER.fullmatch(value) is None:
            raise bad_parameter(name, f"{name} must be an integer", where="path")
        return int(value)

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
        number = int(value) if _INTEGER.fullmatch(value) else None
        if number is None or number < minimum or (maximum is not None and number > maximum):
            raise bad_parameter(name, f"{name} must be an integer {bounds}")
        return number

    def choice(self, name: str, choices: tuple[str, ...]) -> str | None:
        """A query parameter out of a fixed set (None when absent)."""
        value = self.query.get(name)
        if value is not None and value not in choices:
            raise bad_parameter(name, f"{name} must be one of {', '.join(choices)}")
        return value

    def moment(self, name: str) -> datetime | None:
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

    def ids(self, name: str) -> list[int] | None:
        """A comma-separated query parameter of integer IDs (None when absent); 400 otherwise."""
        text = self.query.get(name)
        if text is None:
            return None
        values = text.split(",")
        if not all(_INTEGER.fullmatch(value) for value in values):
            raise bad_parameter(name, f"{name} takes a comma-separated list of integer IDs")
        return [int(value) for value in values]

    def page(self, items: Sequence[T], default_size: int) -> tuple[list[T], bool]:
        """The items ``skip`` and ``pageSize`` (1 to 1000, ``default_size`` when absent) ask
        for, and whether more items follow them."""
        size = self.integer("pageSize", default_size, minimum=1, maximum=1000)
        skip = self.integer("skip", 0)
        return list(items[skip : skip + size]), skip + size < len(items)

    def path_id(self, name: str, what: str) -> int:
        """An integer path parameter; a 404 for ``what`` (e.g. "Audience") when it is not one."""
        text = self.params[name]
        if not _INTEGER.fullmatch(text):
            raise not_found(what, text, name)
        return int(text)


_INTEGER = re.compile(r"-?[0-9]{1,18}")


def bad_parameter(name: str, details: str, *, where: str = "query") -> ApiError:
    """A 400 naming the query (or ``where="path"``) parameter at fault."""
    return ApiError(
        400,
        f"Invalid {where} parameter",
        [error_item("Invalid parameter", details, parameter=name)],
    )


Handler = Callable[[State, Call], Answer]
"""An operation: gets the state (its lock held) and the call; answers or raises ApiError."""


@dataclass(frozen=True)
class Route:
    """One operation: method, path pattern (``{name}`` segments), auth and body schema.

    Every operation accepts the API key; ``manager_auth`` adds the manager token, and
    ``api_key_only`` refuses the ``Content-Signature`` the others accept.

    ``exclusive`` names the path parameter of the entity the operation updates: while one
    such request is handled, another one for the same entity (same resource, v1 or v2)
    gets a 409, as the API answers parallel updates. ``params`` are the schemas of path
    parameters with bounds (400 naming the parameter otherwise).
    """

    method: str
    pattern: tuple[str, ...]
    handler: Handler
    schema: Schema | None = None
    manager_auth: bool = False
    api_key_only: bool = False
    exclusive: str | None = None
    params: Mapping[str, Schema] = field(default_factory=dict)


def route(
    method: str,
    path: str,
    handler: Handler,
    schema: Schema | None = None,
    *,
    manager_auth: bool = False,
    api_key_only: bool = False,
    exclusive: str | None = None,
    params: Mapping[str, Schema] | None = None,
) -> Route:
    """A route for ``path`` as the spec writes it, e.g. ``/v1/referrals/{code}``."""
    pattern = tuple(path.strip("/").split("/"))
    return Route(
        method, pattern, handler, schema, manager_auth, api_key_only, exclusive, params or {}
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
        state: State,
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
        headers = {name.lower(): value for name, value in request.headers.items()}
        matched = match[0] if isinstance(match, tuple) else None
        how = self._authentication(headers, matched)
        body = await request.read() if how is not None else b""
        authorized = how == "header" or (how == "signature" and self._signed(headers, body))
        kept = body[: self._max_body_bytes] if authorized else b""
        record = RecordedRequest(
            method=request.method,
            path=unquote(raw_path),
            raw_path=raw_path,
            query=dict(request.query),
            headers=dict(request.headers) if authorized else {},
            body=kept,
            truncated=authorized and len(kept) < len(body),
        )
        query = request.query
        self._record(record)
        key = None
        if isinstance(match, tuple):
            matched, params = match
            if matched.exclusive is not None:
                key = (matched.pattern[1], params[matched.exclusive])  # (customer_sessions, s-1)
        if key is not None and key in self._in_flight:
            answer: Answer | None = _conflict()
        else:
            if key is not None:
                self._in_flight.add(key)
            try:
                answer = await self._answer(record, match, query, body, authorized)
            finally:
                if key is not None:
                    self._in_flight.discard(key)
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
        body: bytes,
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
        raw_body: bytes,
        authorized: bool,
    ) -> Answer:
        if isinstance(match, Answer):
            return match
        matched, params = match
        if not authorized:
            return Answer(
                401,
                error_body(
                    401,
                    "Unauthorized",
                    [
                        error_item(
                            "Unauthorized",
                            "missing or invalid credentials",
                            parameter="Authorization",
                        )
                    ],
                ),
            )
        body = None
        try:
            invalid = [
                problem
                for name, schema in matched.params.items()
                for problem in validate_parameter(name, params[name], schema)
            ]
            if invalid:
                raise ApiError(400, "Invalid path parameter", invalid)
            if matched.schema is not None:
                body = _parse_body(raw_body)
                problems = validate(body, matched.schema)
                if problems:
                    raise ApiError(400, "Invalid request body", problems)
            return matched.handler(self._state, Call(params, query, body))
        except ApiError as error:
            return error.answer

    def _authentication(self, headers: Mapping[str, str], matched: Route | None) -> str | None:
        """How a request may be authenticated, from its (lower-cased) headers: by its
        ``"header"`` (Authorization), by its ``"signature"`` (a Content-Signature, to check
        against its body), or not at all (None). Without a route (a 404 or 405), any of the
        fake's credentials counts."""
        credentials = self._credentials
        authorization = headers.get("authorization", "")
        if _same(authorization, f"ApiKey-v1 {credentials.api_key}"):
            return "header"
        bearer = matched is None or matched.manager_auth
        if bearer and _same(authorization, f"Bearer {credentials.manager_token}"):
            return "header"
        if matched is not None and (matched.manager_auth or matched.api_key_only):
            return None
        return "signature" if "content-signature" in headers else None

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
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise ApiError(
            400,
            "Invalid request body",
            [error_item("Malformed JSON", f"the body is not valid JSON: {exc}", pointer="/")],
        ) from None


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
