"""Retries, per-session ordering, batching and cancellation against a real server."""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections import Counter, defaultdict
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from talon_async import (
    NO_RETRY,
    ApiKeyV1,
    BadRequestError,
    BulkUpdateError,
    ConflictError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    TalonClient,
    TalonConnectionError,
    TalonError,
    TalonTimeoutError,
    run_batch,
)
from talon_async.models import (
    IntegrationRequest,
    IntegrationStateV2,
    MultipleCustomerProfileIntegrationRequest,
    MultipleCustomerProfileIntegrationRequestItem,
    NewCustomerSessionV2,
    NewReferral,
)

from .conftest import RecordingServer
from .test_operations import PROFILE, REFERRAL, STATE_V2

FAST = RetryPolicy(max_retries=3, backoff=0.0)
"""Retries without waiting, so the tests take milliseconds."""


def _fail_then(status_sequence: list[int], headers: dict[str, str] | None = None) -> Any:
    """A handler answering the given statuses in turn, then 204 forever."""
    statuses = iter(status_sequence)

    async def handler(request: web.Request) -> web.StreamResponse:
        status = next(statuses, 204)
        return web.Response(status=status, headers=headers if status != 204 else None)

    return handler


def _referral() -> NewReferral:
    return NewReferral(campaign_id=1, advocate_profile_integration_id="a")


async def _drop(request: web.Request) -> web.StreamResponse:
    assert request.transport is not None
    request.transport.close()
    return web.Response()


@pytest.fixture
async def fast_client(server: RecordingServer) -> Any:
    async with TalonClient(server.url, auth=ApiKeyV1("k"), retry=FAST) as talon:
        yield talon


async def test_503_with_retry_after_is_retried_and_logged(
    server: RecordingServer, fast_client: TalonClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="talon_async")
    server.handle(_fail_then([503, 503], {"Retry-After": "0"}))
    await fast_client.customer_data.delete("p")
    assert len(server.received) == 3
    retries = [r for r in caplog.records if r.levelno == logging.INFO]
    assert len(retries) == 2
    assert "after attempt 1 failed" in retries[0].getMessage()
    assert "in 0.00s" in retries[0].getMessage() and "503" in retries[0].getMessage()
    assert "after attempt 2 failed" in retries[1].getMessage()


async def test_final_error_says_how_many_attempts(
    server: RecordingServer, fast_client: TalonClient
) -> None:
    server.respond(429, "", headers={"Retry-After": "0"})
    with pytest.raises(RateLimitError) as info:
        await fast_client.customer_data.delete("p")
    assert info.value.attempts == 4
    assert str(info.value).endswith("(gave up after 4 attempts)")
    assert len(server.received) == 4


async def test_retry_after_beyond_the_cap_gives_up_at_once(server: RecordingServer) -> None:
    server.respond(503, "", headers={"Retry-After": "120"})
    policy = RetryPolicy(max_retries=3, backoff=0.0, max_retry_after=10)
    async with TalonClient(server.url, auth=ApiKeyV1("k"), retry=policy) as client:
        with pytest.raises(ServerError) as info:
            await client.customer_data.delete("p")
    assert info.value.retry_after == 120
    assert info.value.attempts == 1
    assert len(server.received) == 1


@pytest.mark.parametrize(
    ("status", "post_retried"),
    [(429, True), (503, True), (502, False), (504, False), (409, False), (500, False)],
)
async def test_post_is_replayed_only_when_the_server_did_not_act(
    server: RecordingServer, fast_client: TalonClient, status: int, post_retried: bool
) -> None:
    server.handle(_fail_then([status]))
    with pytest.raises(TalonError):
        # 204 has no Referral body, so even a successful retry ends in a decode error;
        # what matters here is how many times the POST reached the server.
        await fast_client.referrals.create(_referral())
    assert len(server.received) == (2 if post_retried else 1)


@pytest.mark.parametrize("status", [409, 502, 504, 503, 429])
async def test_put_is_retried_on_transient_statuses(
    server: RecordingServer, fast_client: TalonClient, status: int
) -> None:
    server.handle(_fail_then([status, status]))
    await fast_client.customer_data.delete("p")
    assert len(server.received) == 3


async def test_non_transient_status_is_not_retried(
    server: RecordingServer, fast_client: TalonClient
) -> None:
    server.respond(400, '{"message": "bad"}')
    with pytest.raises(BadRequestError):
        await fast_client.customer_data.delete("p")
    assert len(server.received) == 1


async def test_dropped_connection_replays_put_but_not_post(
    server: RecordingServer, fast_client: TalonClient
) -> None:
    server.handle(_drop)
    with pytest.raises(TalonConnectionError) as info:
        await fast_client.referrals.create(_referral())
    assert len(server.received) == 1
    assert info.value.attempts == 1
    server.received.clear()
    with pytest.raises(TalonConnectionError) as info:
        await fast_client.customer_data.delete("p")
    assert len(server.received) == 4
    assert info.value.attempts == 4


async def test_post_opted_in_for_replay_is_retried(
    server: RecordingServer, fast_client: TalonClient
) -> None:
    server.handle(_drop)
    with pytest.raises(TalonConnectionError):
        await fast_client.referrals.create(_referral(), allow_replay=True)
    assert len(server.received) == 4


async def test_read_timeout_replays_put_but_not_post(server: RecordingServer) -> None:
    server.hang()
    async with TalonClient(server.url, auth=ApiKeyV1("k"), retry=FAST, timeout=0.05) as client:
        with pytest.raises(TalonTimeoutError):
            await client.referrals.create(_referral())
        assert len(server.received) == 1
        with pytest.raises(TalonTimeoutError) as info:
            await client.customer_data.delete("p")
    assert len(server.received) == 1 + 4
    assert info.value.attempts == 4


async def test_connection_refused_is_retried_even_for_post() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with TalonClient(f"http://127.0.0.1:{port}", auth=ApiKeyV1("k"), retry=FAST) as client:
        with pytest.raises(TalonConnectionError) as info:
            await client.referrals.create(_referral())
    assert info.value.attempts == 4
    assert info.value.may_have_reached_server is False


async def test_per_call_policy_overrides_the_client(
    server: RecordingServer, fast_client: TalonClient
) -> None:
    server.respond(503, "", headers={"Retry-After": "0"})
    with pytest.raises(ServerError):
        await fast_client.customer_data.delete("p", retry=NO_RETRY)
    assert len(server.received) == 1


async def test_per_call_timeout_and_headers(server: RecordingServer) -> None:
    server.hang()
    async with TalonClient(server.url, auth=ApiKeyV1("k"), retry=NO_RETRY) as client:
        with pytest.raises(TalonTimeoutError):
            await client.customer_data.delete("p", timeout=0.05, extra_headers={"X-Trace": "t-1"})
    assert server.last.headers["X-Trace"] == "t-1"


def _session_request(profile: str, sequence: int) -> IntegrationRequest:
    return IntegrationRequest(
        customer_session=NewCustomerSessionV2(profile_id=profile, attributes={"seq": sequence})
    )


class SessionWatcher:
    """Records, per session, how many updates are in flight and the order they arrive in."""

    def __init__(self) -> None:
        self.in_flight: Counter[str] = Counter()
        self.max_in_flight: Counter[str] = Counter()
        self.global_in_flight = 0
        self.max_global = 0
        self.order: defaultdict[str, list[int]] = defaultdict(list)

    async def __call__(self, request: web.Request) -> web.StreamResponse:
        session_id = request.match_info["tail"].rsplit("/", 1)[-1]
        body = await request.json()
        self.order[session_id].append(body["customerSession"]["attributes"]["seq"])
        self.in_flight[session_id] += 1
        self.global_in_flight += 1
        self.max_in_flight[session_id] = max(
            self.max_in_flight[session_id], self.in_flight[session_id]
        )
        self.max_global = max(self.max_global, self.global_in_flight)
        try:
            await asyncio.sleep(random.uniform(0, 0.003))
            return web.Response(body=json.dumps(STATE_V2), content_type="application/json")
        finally:
            self.in_flight[session_id] -= 1
            self.global_in_flight -= 1


async def test_updates_of_one_session_never_overlap_and_keep_call_order(
    server: RecordingServer, fast_client: TalonClient
) -> None:
    watcher = SessionWatcher()
    server.handle(watcher)
    calls = [(f"s-{n % 5}", n) for n in range(100)]
    results = await asyncio.gather(
        *(fast_client.sessions.update_v2(sid, _session_request("p", n)) for sid, n in calls)
    )
    assert all(isinstance(r, IntegrationStateV2) for r in results)
    assert set(watcher.max_in_flight.values()) == {1}
    assert watcher.max_global > 1  # different sessions did run in parallel
    for sid in {sid for sid, _ in calls}:
        assert watcher.order[sid] == [n for s, n in calls if s == sid]
    assert len(fast_client._transport._order) == 0


async def test_run_batch_keeps_order_and_every_outcome() -> None:
    async def work(n: int) -> int:
        await asyncio.sleep(random.uniform(0, 0.002))
        if n % 7 == 0:
            raise ValueError(f"bad {n}")
        return n * 2

    outcomes = await run_batch(work, range(50), concurrency=8)
    assert len(outcomes) == 50
    for n, outcome in enumerate(outcomes):
        if n % 7 == 0:
            assert isinstance(outcome, ValueError) and str(outcome) == f"bad {n}"
        else:
            assert outcome == n * 2


async def test_run_batch_bounds_concurrency() -> None:
    running = 0
    peak = 0

    async def work(n: int) -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.001)
        running -= 1

    await run_batch(work, range(40), concurrency=5)
    assert peak == 5
    with pytest.raises(ValueError, match="concurrency"):
        await run_batch(work, range(3), concurrency=0)


async def test_bulk_update_over_1000_is_split_in_order(server: RecordingServer) -> None:
    async def answer(request: web.Request) -> web.StreamResponse:
        body = await request.json()
        states = [
            {"customerProfile": {**PROFILE, "integrationId": item["integrationId"]}}
            for item in body["customerProfiles"]
        ]
        return web.json_response({"integrationStates": states})

    server.handle(answer)
    items = [
        MultipleCustomerProfileIntegrationRequestItem(integration_id=f"p{i}") for i in range(2500)
    ]
    async with TalonClient(server.url, auth=ApiKeyV1("k"), retry=FAST) as client:
        response = await client.profiles.update_many_v2(
            MultipleCustomerProfileIntegrationRequest(customer_profiles=items)
        )
    sizes = sorted(len(json.loads(r.body)["customerProfiles"]) for r in server.received)
    assert sizes == [500, 1000, 1000]
    assert response.integration_states is not None
    assert [s.customer_profile.integration_id for s in response.integration_states] == [
        f"p{i}" for i in range(2500)
    ]


async def test_bulk_update_part_failure_reports_every_part(server: RecordingServer) -> None:
    async def answer(request: web.Request) -> web.StreamResponse:
        body = await request.json()
        if body["customerProfiles"][0]["integrationId"] == "p1000":
            return web.json_response({"message": "invalid attribute"}, status=400)
        return web.Response(status=204)

    server.handle(answer)
    items = [
        MultipleCustomerProfileIntegrationRequestItem(integration_id=f"p{i}") for i in range(2001)
    ]
    async with TalonClient(server.url, auth=ApiKeyV1("k"), retry=FAST) as client:
        with pytest.raises(BulkUpdateError) as info:
            await client.profiles.update_many_v2(
                MultipleCustomerProfileIntegrationRequest(customer_profiles=items), silent=True
            )
    outcomes = info.value.outcomes
    assert outcomes[0] is None and outcomes[2] is None
    assert isinstance(outcomes[1], BadRequestError)
    assert "1 of 3 parts" in str(info.value) and "profiles 1000-1999" in str(info.value)


async def test_cancelled_calls_release_everything(server: RecordingServer) -> None:
    release = asyncio.Event()
    twenty_arrived = asyncio.Event()
    arrived = 0

    async def slow(request: web.Request) -> web.StreamResponse:
        nonlocal arrived
        arrived += 1
        if arrived == 20:
            twenty_arrived.set()
        await release.wait()
        return web.json_response(STATE_V2)

    server.handle(slow)
    async with TalonClient(server.url, auth=ApiKeyV1("k"), max_connections=32) as client:
        tasks = [
            asyncio.ensure_future(
                client.sessions.update_v2(f"s-{n % 20}", _session_request("p", n))
            )
            for n in range(300)
        ]
        await twenty_arrived.wait()  # one update per session is on the wire
        for task in tasks:
            task.cancel()
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        assert all(isinstance(o, asyncio.CancelledError) for o in outcomes)
        connector = client._transport._session.connector  # type: ignore[union-attr]
        assert connector is not None
        assert len(connector._acquired) == 0
        assert len(client._transport._order) == 0
        release.set()
        server.handle(_fail_then([]))
        server.respond(200, json.dumps(STATE_V2))
        fresh = await run_batch(
            lambda n: client.sessions.update_v2(f"s-{n % 20}", _session_request("p", n)),
            range(200),
            concurrency=50,
        )
    assert all(isinstance(o, IntegrationStateV2) for o in fresh)


async def test_wait_for_timeout_mid_request_leaves_the_client_usable(
    server: RecordingServer, fast_client: TalonClient
) -> None:
    server.hang()
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(
            fast_client.sessions.update_v2("s-1", _session_request("p", 0)), 0.05
        )
    server.respond(200, json.dumps(STATE_V2))
    state = await asyncio.wait_for(
        fast_client.sessions.update_v2("s-1", _session_request("p", 1)), 5
    )
    assert isinstance(state, IntegrationStateV2)


class ChaosServer:
    """Answers session updates and referral POSTs with a seeded mix of failures."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.in_flight: Counter[str] = Counter()
        self.overlaps = 0
        self.referrals_created: Counter[str] = Counter()

    async def __call__(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        body = await request.read()
        roll = self.random.random()
        if roll < 0.05:
            return web.Response(status=503, headers={"Retry-After": "0"})
        if roll < 0.10:
            return web.Response(status=429, headers={"Retry-After": "0"})
        if roll < 0.13:
            assert request.transport is not None
            request.transport.close()  # reset before acting
            return web.Response()
        if path.startswith("/v1/referrals"):
            code = json.loads(body)["attributes"]["id"]
            self.referrals_created[code] += 1
            if roll < 0.16:  # acted, but the answer is lost
                assert request.transport is not None
                request.transport.close()
                return web.Response()
            return web.json_response({**REFERRAL, "code": code}, status=201)
        session_id = path.rsplit("/", 1)[-1]
        if roll < 0.18:
            return web.json_response({"message": "concurrent update"}, status=409)
        self.in_flight[session_id] += 1
        if self.in_flight[session_id] > 1:
            self.overlaps += 1
        try:
            if roll < 0.22:
                await asyncio.sleep(0.01)  # a slow answer
            return web.json_response(STATE_V2)
        finally:
            self.in_flight[session_id] -= 1


async def test_chaos_run_loses_and_duplicates_nothing(server: RecordingServer) -> None:
    chaos = ChaosServer(seed=7)
    server.handle(chaos)
    policy = RetryPolicy(max_retries=4, backoff=0.0)
    calls = 3000
    referrals = 300

    async def one(n: int) -> object:
        if n < referrals:
            return await client.referrals.create(
                NewReferral(campaign_id=1, advocate_profile_integration_id="a",
                            attributes={"id": f"r-{n}"})
            )  # fmt: skip
        return await client.sessions.update_v2(f"s-{n % 97}", _session_request("p", n))

    async with TalonClient(server.url, auth=ApiKeyV1("k"), retry=policy) as client:
        outcomes = await run_batch(one, range(calls), concurrency=64)
        connector = client._transport._session.connector  # type: ignore[union-attr]
        assert connector is not None
        assert len(connector._acquired) == 0
    results = [o for o in outcomes if not isinstance(o, Exception)]
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(results) + len(errors) == calls
    assert all(isinstance(e, TalonError) for e in errors)
    # Only what the chaos injects can surface, once retries are exhausted.
    expected = (TalonConnectionError, ConflictError, RateLimitError, ServerError)
    assert all(isinstance(e, expected) for e in errors), Counter(type(e).__name__ for e in errors)
    assert len(results) > calls * 0.9  # the run did something
    assert sum(chaos.referrals_created.values()) >= referrals * 0.9
    assert chaos.overlaps == 0
    assert max(chaos.referrals_created.values()) == 1  # no POST was acted on twice


async def test_the_clients_own_session_never_resends_a_dropped_request_by_itself(
    server: RecordingServer,
) -> None:
    # aiohttp resends a GET/PUT/DELETE once when a kept-alive connection drops; whether a
    # call is sent again is the retry policy's decision, so the client turns that off
    # through ClientSession._retry_connection (aiohttp has no public switch for it).
    assert "_retry_connection" in aiohttp.ClientSession.ATTRS, (
        "aiohttp renamed ClientSession._retry_connection: update Transport._get_session"
    )
    server.handle(_drop)
    async with TalonClient(server.url, auth=ApiKeyV1("k"), retry=NO_RETRY) as client:
        with pytest.raises(TalonConnectionError):
            await client.customer_data.delete("p")
    assert len(server.received) == 1
