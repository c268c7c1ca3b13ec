"""FakeTalon: the state of a fake Talon.One Application and the HTTP server exposing it."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Any
from urllib.parse import unquote

from aiohttp import web

from .._client import TalonClient
from ..auth import ApiKeyV1, Bearer
from ._faults import Faults
from ._operations import ROUTES, Call, Operations, Route
from ._rules import RegisteredRule, Rule
from ._schema import validate
from ._wire import (
    Answer,
    ApiError,
    JsonObject,
    error_body,
    error_item,
    new_campaign,
    new_profile,
    timestamp,
    utc_now,
)

_MAX_BODY_BYTES = 32 * 1024 * 1024


@dataclass
class RecordedRequest:
    """One request the fake received, in arrival order (``fake.requests``).

    ``path`` is percent-decoded, ``raw_path`` is as sent (both without the query);
    ``headers`` keeps the header names as the client spelled them. ``status`` is the
    status answered, or None while in progress or when the connection was dropped.
    """

    method: str
    path: str
    raw_path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    status: int | None = field(default=None)

    @property
    def json(self) -> Any:
        """The body parsed as JSON, or None when it is empty or not JSON."""
        try:
            return json.loads(self.body) if self.body.strip() else None
        except ValueError:
            return None


class FakeTalon:
    """An in-process fake of the Talon.One Integration API on ``http://127.0.0.1:<port>``.

    Use it as ``async with FakeTalon() as fake:`` (or :meth:`start` / :meth:`close`),
    then talk to ``fake.url``, e.g. through ``fake.client()``. Its state is plain JSON
    (wire names, camelCase) that tests may read and change:

    * ``profiles``: customer profiles (CustomerProfile) by integration ID;
    * ``sessions``: customer sessions (CustomerSessionV2) by integration ID;
    * ``events``: events recorded by ``trackEvent`` (Event), oldest first;
    * ``coupons``: coupons (Coupon) by code, see :meth:`add_coupon`;
    * ``reservations``: integration IDs of the profiles holding each coupon code;
    * ``referrals``: referrals (Referral) by code;
    * ``audiences``: audiences (``{"id", "name"}``) by ID, see :meth:`add_audience`;
    * ``loyalty``: points per loyalty program ID, by profile integration ID;
    * ``campaigns``: the campaigns of the rules (Campaign) by ID, see :meth:`add_rule`.

    Every request is recorded in ``requests``; ``faults`` injects failures. Accepted
    credentials: ``Authorization: ApiKey-v1 <api_key>``, a ``Content-Signature`` made
    with ``application_id`` and ``application_key``, and (for customer audiences only)
    ``Authorization: Bearer <manager_token>``.

    How it behaves, as the API does:

    * profiles are created on first use (sessions, events, profile updates, referrals,
      reservations, audience additions);
    * sessions go open -> closed -> cancelled or open -> cancelled; another transition
      answers 400, and repeating the state of a closed or cancelled session changes
      nothing. Closing redeems the accepted coupons, credits loyalty points and counts
      the sale on the profile; cancelling a closed session undoes that with rollback
      effects. Events and profile updates credit points at once;
    * ``dry=true`` evaluates the rules and answers, but stores nothing; a dry session
      update considers its own payload only, not the session's earlier updates;
    * ``responseContent`` chooses the optional parts of an IntegrationStateV2;
    * a second update of a session or profile arriving while the first is still being
      handled (e.g. delayed by a fault) answers 409.
    """

    def __init__(
        self,
        *,
        api_key: str = "fake-api-key",
        application_id: int = 1,
        application_key: str = "5f3c9a1be07d4c2a8e6b1f0d9a7c3e52",
        manager_token: str = "fake-manager-token",
        account_id: int = 1,
    ) -> None:
        self.api_key = api_key
        self.application_id = application_id
        self.application_key = application_key
        self.manager_token = manager_token
        self.account_id = account_id
        self._signing_key = bytes.fromhex(application_key)
        self.faults = Faults()
        self.requests: list[RecordedRequest] = []
        self._operations = Operations(self)
        self._runner: web.AppRunner | None = None
        self._url: str | None = None
        self._closing = asyncio.Event()
        self._in_flight: set[tuple[str, str]] = set()
        self._init_state()

    def _init_state(self) -> None:
        self.profiles: dict[str, JsonObject] = {}
        self.sessions: dict[str, JsonObject] = {}
        self.events: list[JsonObject] = []
        self.coupons: dict[str, JsonObject] = {}
        self.reservations: dict[str, list[str]] = {}
        self.referrals: dict[str, JsonObject] = {}
        self.audiences: dict[int, JsonObject] = {}
        self.loyalty: dict[str, dict[int, float]] = {}
        self.campaigns: dict[int, JsonObject] = {}
        self._rules: list[RegisteredRule] = []
        self._ids: dict[str, int] = {}
        self._random = random.Random(0)
        # Effects committed when a session closed, undone if it is cancelled later.
        self._committed: dict[str, list[JsonObject]] = {}
        # Redemptions per (coupon code, profile integration ID).
        self._redemptions: dict[tuple[str, str], int] = {}

    def _new_id(self, kind: str) -> int:
        self._ids[kind] = self._ids.get(kind, 0) + 1
        return self._ids[kind]

    # -- lifecycle -----------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The base URL of the running fake, e.g. ``http://127.0.0.1:40123``."""
        if self._url is None:
            raise RuntimeError("the fake is not running; use `async with FakeTalon()` or start()")
        return self._url

    async def start(self) -> None:
        """Start serving on a free port of 127.0.0.1."""
        if self._runner is not None:
            raise RuntimeError("this FakeTalon is already running")
        self._closing = asyncio.Event()
        app = web.Application(client_max_size=_MAX_BODY_BYTES)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        try:
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._url = f"http://127.0.0.1:{runner.addresses[0][1]}"

    async def close(self) -> None:
        """Stop serving (delayed requests still waiting are dropped); safe to call twice."""
        runner, self._runner = self._runner, None
        self._url = None
        if runner is not None:
            self._closing.set()
            await runner.cleanup()

    async def __aenter__(self) -> FakeTalon:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    def client(self, **kwargs: Any) -> TalonClient:
        """A TalonClient bound to this fake, authenticating with its API key and manager
        token unless ``auth`` is given; other keyword arguments go to TalonClient."""
        kwargs.setdefault("auth", [ApiKeyV1(self.api_key), Bearer(self.manager_token)])
        return TalonClient(self.url, **kwargs)

    def reset(self) -> None:
        """Forget all state, rules, recorded requests and faults (the server keeps running)."""
        self._init_state()
        self.requests.clear()
        self.faults.clear()

    # -- seeding -------------------------------------------------------------------------

    def add_rule(
        self, rule: Rule, *, name: str | None = None, campaign_id: int | None = None
    ) -> int:
        """Evaluate ``rule`` on every session, profile and event request; return its campaign ID.

        Without ``campaign_id`` the rule gets a new campaign; rules sharing a campaign get
        increasing ``ruleIndex`` values. ``name`` (the effects' ``ruleName``) defaults to
        the rule's ``name`` attribute or function name.
        """
        if campaign_id is None:
            campaign_id = max(self.campaigns, default=0) + 1
        if campaign_id not in self.campaigns:
            self.campaigns[campaign_id] = new_campaign(
                campaign_id, 1000 + campaign_id, self.application_id, utc_now()
            )
        default = getattr(rule, "name", None) or getattr(rule, "__name__", None)
        rule_index = sum(1 for added in self._rules if added.campaign_id == campaign_id)
        self._rules.append(
            RegisteredRule(rule, name or str(default or "Fake rule"), campaign_id, rule_index)
        )
        return campaign_id

    def add_profile(
        self, integration_id: str, attributes: Mapping[str, Any] | None = None
    ) -> JsonObject:
        """Create (or replace) a customer profile; returns its stored dict."""
        profile = new_profile(self._new_id("profile"), integration_id, self.account_id, utc_now())
        profile["attributes"] = dict(attributes or {})
        self.profiles[integration_id] = profile
        return profile

    def add_coupon(
        self,
        value: str,
        *,
        campaign_id: int = 1,
        usage_limit: int = 0,
        start_date: datetime | None = None,
        expiry_date: datetime | None = None,
        recipient_integration_id: str | None = None,
        reservation_mandatory: bool = False,
        attributes: Mapping[str, Any] | None = None,
    ) -> JsonObject:
        """Create (or replace) a coupon; returns its stored dict.

        ``usage_limit`` 0 means unlimited redemptions. A ``reservation_mandatory`` coupon
        is only redeemable by profiles holding a reservation of it.
        """
        coupon: JsonObject = {
            "id": self._new_id("coupon"),
            "created": timestamp(utc_now()),
            "campaignId": campaign_id,
            "value": value,
            "usageLimit": usage_limit,
            "usageCounter": 0,
            "reservationCounter": 0,
            "attributes": dict(attributes or {}),
            "reservation": True,
            "isReservationMandatory": reservation_mandatory,
            "implicitlyReserved": False,
        }
        if start_date is not None:
            coupon["startDate"] = timestamp(start_date)
        if expiry_date is not None:
            coupon["expiryDate"] = timestamp(expiry_date)
        if recipient_integration_id is not None:
            coupon["recipientIntegrationId"] = recipient_integration_id
        self.coupons[value] = coupon
        return coupon

    def add_referral(
        self, code: str, advocate_integration_id: str, *, campaign_id: int = 1, usage_limit: int = 0
    ) -> JsonObject:
        """Create (or replace) a referral code of an advocate; returns its stored dict."""
        referral: JsonObject = {
            "id": self._new_id("referral"),
            "created": timestamp(utc_now()),
            "campaignId": campaign_id,
            "advocateProfileIntegrationId": advocate_integration_id,
            "code": code,
            "usageCounter": 0,
            "usageLimit": usage_limit,
            "attributes": {},
        }
        self.referrals[code] = referral
        return referral

    def add_audience(self, audience_id: int, name: str | None = None) -> JsonObject:
        """Create (or replace) an audience profiles can join; returns its stored dict."""
        audience = {"id": audience_id, "name": name or f"Audience {audience_id}"}
        self.audiences[audience_id] = audience
        return audience

    # -- HTTP ----------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        raw_path = request.raw_path.split("?", 1)[0]
        record = RecordedRequest(
            method=request.method,
            path=unquote(raw_path),
            raw_path=raw_path,
            query=dict(request.query),
            headers=dict(request.headers),
            body=await request.read(),
        )
        self.requests.append(record)
        match = _match(record.method, record.raw_path)
        key = None
        if isinstance(match, tuple):
            route, params = match
            if route.exclusive is not None:
                key = (route.pattern[1], params[route.exclusive])  # (customer_sessions, s-1)
        if key is not None and key in self._in_flight:
            answer: Answer | None = _conflict()
        else:
            if key is not None:
                self._in_flight.add(key)
            try:
                answer = await self._answer(record, match)
            finally:
                if key is not None:
                    self._in_flight.discard(key)
        if answer is None:
            if request.transport is not None:
                request.transport.close()
            return web.Response()
        record.status = answer.status
        return _response(answer)

    async def _answer(
        self, record: RecordedRequest, match: tuple[Route, dict[str, str]] | Answer
    ) -> Answer | None:
        """Apply the faults around the operation; None means: drop the connection."""
        delay = self.faults.take_delay(record.method, record.path)
        if delay:
            try:
                await asyncio.wait_for(self._closing.wait(), delay)
            except asyncio.TimeoutError:
                pass
            else:
                return None
        before = self.faults.take_before(record.method, record.path)
        if before == "drop":
            return None
        if before is not None:
            return before
        answer = self._run(record, match)
        if self.faults.take_drop_after(record.method, record.path):
            return None
        return answer

    def _run(self, record: RecordedRequest, match: tuple[Route, dict[str, str]] | Answer) -> Answer:
        if isinstance(match, Answer):
            return match
        route, params = match
        if not self._authorized(record, route):
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
            if route.schema is not None:
                body = _parse_body(record.body)
                problems = validate(body, route.schema)
                if problems:
                    raise ApiError(400, "Invalid request body", problems)
            return route.handler(self._operations, Call(params, record.query, body))
        except ApiError as error:
            return error.answer

    def _authorized(self, record: RecordedRequest, route: Route) -> bool:
        headers = {name.lower(): value for name, value in record.headers.items()}
        authorization = headers.get("authorization", "")
        if _same(authorization, f"ApiKey-v1 {self.api_key}"):
            return True
        if route.manager_auth:
            return _same(authorization, f"Bearer {self.manager_token}")
        parts = dict(
            part.strip().partition("=")[::2]
            for part in headers.get("content-signature", "").split(";")
        )
        expected = hmac.new(self._signing_key, record.body, hashlib.md5).hexdigest()
        return parts.get("signer") == str(self.application_id) and _same(
            parts.get("signature", ""), expected
        )


def _same(given: str, expected: str) -> bool:
    """Compare a credential in constant time (any characters, unlike compare_digest on str)."""
    return hmac.compare_digest(
        given.encode("utf-8", "surrogateescape"), expected.encode("utf-8", "surrogateescape")
    )


def _match(method: str, raw_path: str) -> tuple[Route, dict[str, str]] | Answer:
    """The route and decoded path parameters of a request, or a 404/405 answer."""
    segments = [unquote(segment) for segment in raw_path.strip("/").split("/")]
    allowed = []
    for route in ROUTES:
        if len(route.pattern) != len(segments):
            continue
        params = {}
        for expected, actual in zip(route.pattern, segments, strict=True):
            if expected.startswith("{"):
                if not actual:
                    break
                params[expected[1:-1]] = actual
            elif expected != actual:
                break
        else:
            if route.method == method:
                return route, params
            allowed.append(route.method)
    if allowed:
        return Answer(405, error_body(405, "Method not allowed"), {"Allow": ", ".join(allowed)})
    return Answer(404, error_body(404, "Not found", [error_item("Not found", raw_path)]))


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
