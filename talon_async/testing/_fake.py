"""FakeTalon: the public face of the fake, its areas' state and methods on one server."""

from __future__ import annotations

import asyncio
import datetime
import json
import os
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypedDict

from .._client import TalonClient
from ..auth import ApiKeyV1, Bearer
from ._area import SeedError
from ._areas import Areas
from ._faults import Faults
from ._http import HttpServer, RecordedRequest

if TYPE_CHECKING:
    from typing_extensions import Self, Unpack


class FakeOptions(TypedDict, total=False):
    """The keyword arguments of :class:`FakeTalon`, for :meth:`FakeTalon.in_thread`."""

    api_key: str
    application_id: int
    application_key: str
    manager_token: str
    account_id: int
    host: str
    port: int
    on_request: Callable[[RecordedRequest], None] | None
    max_requests: int | None
    max_body_bytes: int | None


class FakeTalon(Areas):
    """An in-process fake of the Talon.One Integration API on ``http://127.0.0.1:<port>``.

    Use it as ``async with FakeTalon() as fake:`` (or :meth:`start` / :meth:`close`)
    on the running event loop, or as ``with FakeTalon.in_thread() as fake:`` from
    synchronous code, then talk to ``fake.url``, e.g. through ``fake.client()``. It
    listens on ``host`` and ``port`` (default: a free port of 127.0.0.1). Seed it with the
    ``add_...`` methods or :meth:`seed` / :meth:`seed_file`. Its state is plain JSON
    (wire names, camelCase) that tests may read and change:

    * ``profiles``: customer profiles (CustomerProfile) by integration ID;
    * ``sessions``: customer sessions (CustomerSessionV2) by integration ID;
    * ``returns``: returns of cart items (Return), oldest first;
    * ``events``: tracked events, oldest first: those of ``trackEvent`` and
      ``trackEventV2`` (Event) and the advanced ones of ``trackEventV3`` (EventV3, the
      ones with an ``integrationId``);
    * ``coupons``: coupons (Coupon) by code, see :meth:`add_coupon`;
    * ``reservations``: integration IDs of the profiles holding each coupon code;
    * ``referrals``: referrals (Referral) by code;
    * ``audiences``: audiences (Audience) by ID, see :meth:`add_audience`;
    * ``campaigns``: campaigns (Campaign) by ID, see :meth:`add_campaign` and
      :meth:`add_rule`;
    * ``loyalty_programs``: loyalty programs by ID (``cardBased``, ``subledgers``,
      ``tiers``, ...), see :meth:`add_loyalty_program`;
    * ``loyalty_cards``: loyalty cards (LoyaltyCard, without balances) by (program ID,
      identifier), see :meth:`add_loyalty_card`;
    * ``loyalty_transactions``: every ledger transaction, oldest first: the members of
      a transaction log entry, plus its ledger's owner (``integrationId`` or
      ``cardIdentifier``), ``loyaltyTransactionType``, ``awaitsActivation`` and, for
      additions, the ``unusedAmount`` left; balances are computed from them (see
      :meth:`loyalty_balance`, :meth:`add_loyalty_points`);
    * ``catalogs``: cart item catalogs (Catalog) by ID, see :meth:`add_catalog`, and
      ``catalog_items``: their items by catalog ID and SKU;
    * ``price_history``: price observations (BestPriorPrice) by SKU, oldest first, see
      :meth:`add_price_history`;
    * ``achievements``: achievements by ID, see :meth:`add_achievement`, and
      ``achievement_progress``: progress records by profile integration ID and
      achievement ID, oldest first.

    Requests are recorded in ``requests`` (:class:`RecordedRequest`), oldest first: the
    last ``max_requests`` (100,000 by default; None keeps all), each body cut at
    ``max_body_bytes`` (None by default: whole). A request without valid credentials is
    recorded without its headers and body (method, path, query, status and duration
    only), and its body is not read unless a ``Content-Signature`` must be checked.
    ``faults`` injects failures. Accepted credentials: ``Authorization: ApiKey-v1
    <api_key>``, a ``Content-Signature`` made with ``application_id`` and
    ``application_key``, and (for customer audiences only) ``Authorization: Bearer
    <manager_token>``; the defaults are fixed, well-known values, fine for tests on
    127.0.0.1 only. ``on_request`` is called (on the fake's loop) with each request once
    it is answered or dropped.

    How it behaves, as the API does:

    * a request body member sent as ``null`` is refused (400 naming it) unless the spec
      allows null there: an untyped member (a catalog filter's ``value``), a type list
      with null (a price adjustment's ``price``, ``subledgerIds``), any value inside a
      free-form object such as ``attributes``;
    * profiles are created on first use (sessions, events, profile updates, referrals,
      reservations, audience additions);
    * sessions go open -> closed -> cancelled or open -> cancelled by updates, closed ->
      partially_returned by returns, partially_returned -> cancelled by an update and
      closed -> open by ``reopenCustomerSession``; another transition answers 400 (a
      reopen of an open, partially returned or cancelled session too), and repeating the
      state of a finished session changes nothing. Closing redeems the accepted coupons,
      credits loyalty points and counts the sale on the profile; cancelling or reopening a
      closed session undoes that with rollback effects (a reopened session is evaluated
      afresh by its next update). Events and profile updates credit points at once.
      Points land in the ledger of the profile, or of the session's card in a card-based
      program; a program a rule credits without being added first is created
      profile-based;
    * ``getCustomerSession`` answers the session and the effects it has now: those of its
      latest update, less what returns rolled back (none once cancelled or reopened);
    * ``returnCartItems`` works on closed and partially returned sessions: it counts the
      returned units in the cart items' ``returnedQuantity`` and ``remainingQuantity``,
      records a Return (the answer's ``return``; ``previousReturns`` lists the earlier
      ones) and takes back the returned share of discounts (``rollbackDiscount``) and of
      added points (``rollbackAddedLoyaltyPoints``, the balance drops): an effect on one
      cart item (``setDiscountPerItem``, points with ``cartItemPosition``) by its returned
      units, an effect on the whole cart by the returned share of the cart's value. The
      profile's ``totalSales`` drops by the returned value. Returning everything leaves the
      session ``partially_returned`` with nothing remaining and every discount and point
      taken back; coupons stay redeemed and deducted points stay spent (cancel the session
      to undo those). A returned line names its cart item by ``position`` or ``sku`` (the
      first item of that SKU with units left) and returns ``quantity`` units, by default
      all that remain; an unknown item, more units than remain or a session in another
      state answers 400. With ``runRuleEngine=true``, the rules of campaigns whose
      ``reevaluateOnReturn`` is true (set it in ``fake.campaigns``) and which gave effects
      on close run again on what remains, and their discounts and points are rolled back
      down to what they grant now (a return never grants more);
    * ``trackEventV2`` and ``trackEventV3`` evaluate the rules with the event's body as
      ``context.event`` (and, for an advanced event, its ``connectedSessionId`` session,
      which must be closed or partially returned, as ``context.session``), create the
      profile and credit points at once; ``profileId`` is required, as the API documents.
      An advanced event's ``integrationId`` is unique (409 when tracked again) and
      ``getEventV3`` reads it back (404 when unknown). ``silent=yes``, the API's default
      when the parameter is absent, answers 204 without a body, for v3 too as the
      parameter documents (the spec lists no 204 answer there); ``silent=no`` answers 200
      with the evaluation. ``forceCompleteEvaluation=true`` needs ``dry=true`` (400
      otherwise);
    * ``dry=true`` evaluates the rules and answers, but stores nothing; a dry session
      update considers its own payload only, not the session's earlier updates;
    * ``responseContent`` chooses the optional parts of an IntegrationStateV2;
    * the six operations the seed documents lack (getCustomerSession,
      reopenCustomerSession, returnCartItems, trackEventV2, trackEventV3, getEventV3)
      accept the API key only, as the spec lists, not a ``Content-Signature``;
    * an unknown session answers 404 (getCustomerSession, reopenCustomerSession,
      returnCartItems), as for the other entities, although the spec lists no 404 there;
    * the rules of a campaign run only while it is enabled, started and not ended;
    * audiences renamed, emptied or deleted change the memberships of their members'
      profiles; a catalog sync applies all its actions or none, and the prices it sets
      enter the price history;
    * a call arriving while another on the same session or profile is still being handled
      (e.g. delayed by a fault) answers 409, for the operations Talon.One documents it for:
      session updates (v1, v2), reopens and returns, profile updates (v1, v2) and events
      (``trackEventV2``, ``trackEventV3``, by their ``profileId``);
    * a malformed path parameter answers 400 "Invalid path parameter" naming it: an
      integer ID that is not a decimal from 0 to 2**63-1, a loyalty card ID outside 4 to
      108 characters, a profile or session integration ID over 1000 characters. A
      well-formed ID of nothing the fake holds answers 404.
    """

    def __init__(
        self,
        *,
        api_key: str = "fake-api-key",
        application_id: int = 1,
        application_key: str = "5f3c9a1be07d4c2a8e6b1f0d9a7c3e52",
        manager_token: str = "fake-manager-token",
        account_id: int = 1,
        host: str = "127.0.0.1",
        port: int = 0,
        on_request: Callable[[RecordedRequest], None] | None = None,
        max_requests: int | None = 100_000,
        max_body_bytes: int | None = None,
    ) -> None:
        super().__init__(application_id=application_id, account_id=account_id)
        bytes.fromhex(application_key)  # a ValueError now rather than on every request
        self.api_key = api_key
        self.application_key = application_key
        self.manager_token = manager_token
        self.host = host
        self.port = port
        self.faults: Faults = Faults()
        self.requests: list[RecordedRequest] = []
        self._server = HttpServer(
            self,
            self,
            self.all_routes(),
            self.faults,
            self.requests,
            on_request,
            max_requests=max_requests,
            max_body_bytes=max_body_bytes,
        )
        self._url: str | None = None

    # -- lifecycle -----------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The base URL of the running fake, e.g. ``http://127.0.0.1:40123``."""
        if self._url is None:
            raise RuntimeError("the fake is not running; use `async with FakeTalon()` or start()")
        return self._url

    async def start(self) -> None:
        """Start serving on the running event loop."""
        self._url = await self._server.start(self.host, self.port)

    async def close(self) -> None:
        """Stop serving (delayed requests still waiting are dropped); safe to call twice."""
        self._url = None
        await self._server.close()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    @classmethod
    @contextmanager
    def in_thread(cls, **options: Unpack[FakeOptions]) -> Iterator[Self]:
        """Run a new fake on its own event loop in a background thread, for synchronous code.

        ``with FakeTalon.in_thread() as fake:`` gives a running fake, stopped at the end
        of the block; ``options`` are those of :class:`FakeTalon`. Its seeding methods,
        ``faults``, ``requests``, ``reset()``, ``url`` and ``api_key`` may be used from
        any thread: requests are handled while holding ``fake.lock``, which the seeding
        methods take too (take it yourself to read several collections consistently).
        """
        fake = cls(**options)
        ready: Future[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = Future()

        async def serve() -> None:
            stop = asyncio.Event()
            try:
                await fake.start()
            except BaseException as error:
                ready.set_exception(error)
                return
            ready.set_result((asyncio.get_running_loop(), stop))
            try:
                await stop.wait()
            finally:
                await fake.close()

        thread = threading.Thread(target=asyncio.run, args=(serve(),), name="FakeTalon")
        thread.start()
        try:
            loop, stop = ready.result()
        except BaseException:
            thread.join()
            raise
        try:
            yield fake
        finally:
            loop.call_soon_threadsafe(stop.set)
            thread.join()

    def client(self, **kwargs: Any) -> TalonClient:
        """A TalonClient bound to this fake, authenticating with its API key and manager
        token unless ``auth`` is given; other keyword arguments go to TalonClient.

        It decodes strictly (``strict_responses=True``) unless told otherwise: against the
        fake, an answer that deviates from the spec is a bug to see, not to tolerate.
        """
        kwargs.setdefault("auth", [ApiKeyV1(self.api_key), Bearer(self.manager_token)])
        kwargs.setdefault("strict_responses", True)
        return TalonClient(self.url, **kwargs)

    def reset(self) -> None:
        """Forget all state, rules, recorded requests and faults (the server keeps running)."""
        with self.lock:
            self.clear_state()
            self.requests.clear()
            self.faults.clear()

    # -- seeding -------------------------------------------------------------------------

    def seed(self, data: Mapping[str, Any]) -> None:
        """Add what ``data`` describes, as a seed file does (see :meth:`seed_file`).

        Raises :class:`SeedError` naming the first problem.
        """
        loaders = self.all_seeds()
        unknown = sorted(set(data) - set(loaders))
        if unknown:
            known = ", ".join(sorted(loaders))
            raise SeedError(f"unknown key {unknown[0]!r} (a seed may have {known})")
        with self.lock:
            for key, loader in loaders.items():
                if key in data:
                    loader(self, data[key])

    def seed_file(self, path: str | os.PathLike[str]) -> dict[str, Any]:
        """Load a JSON or (Python 3.11+) TOML seed file; returns what it holds.

        Its keys are lists of objects with the API's (camelCase) member names:
        ``coupons`` (``value``, ``usageLimit``, ``expiryDate``, ...), ``rules`` (a
        ready-made rule by name and its parameters: ``{"rule": "coupon_codes",
        "percent": 10}``), ``campaigns``, ``profiles``, ``audiences``, ``referrals``,
        ``loyaltyPrograms`` (``id``, ``name``, ``cardBased``, ``subledgers``, ``tiers`` as
        ``{"name", "minPoints"}``, ...), ``catalogs`` (with their ``items``),
        ``priceHistory`` and ``achievements`` (with each profile's ``progress``). Raises
        :class:`SeedError` with the file name and the first problem.
        """
        file = Path(path)
        try:
            data = _read_seed(file)
            if not isinstance(data, dict):
                raise SeedError("the seed must be an object of lists")
            self.seed(data)
        except (OSError, ValueError) as error:
            raise SeedError(f"{file}: {error}") from None
        return data


def _read_seed(file: Path) -> Any:
    if file.suffix.lower() != ".toml":
        return json.loads(file.read_text(encoding="utf-8"))
    if sys.version_info >= (3, 11):
        import tomllib

        return _json_like(tomllib.loads(file.read_text(encoding="utf-8")))
    raise SeedError("a TOML seed needs Python 3.11 or later (tomllib); use a JSON seed")


def _json_like(value: Any) -> Any:
    """TOML's dates and times as the RFC 3339 strings a JSON seed would hold."""
    if isinstance(value, dict):
        return {key: _json_like(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_like(item) for item in value]
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return value
