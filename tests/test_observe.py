"""Hooks, raw responses, trace configs and logging, with secrets kept out of all of them."""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
from types import SimpleNamespace

import aiohttp
import pytest
from aiohttp import web

from talon_async import (
    ApiKeyV1,
    AuthStrategy,
    ContentSignature,
    Hooks,
    RequestEvent,
    ResponseEvent,
    RetryEvent,
    RetryPolicy,
    TalonClient,
    capture_responses,
)
from talon_async.models import NewReferral

from .conftest import RecordingServer
from .test_operations import REFERRAL

SECRET = "sekrit-api-key-31337"
APP_KEY = "00112233445566778899aabbccddeeff"


async def test_hooks_see_each_attempt_with_credentials_redacted(server: RecordingServer) -> None:
    statuses = iter([503, 204])

    async def handler(request: web.Request) -> web.StreamResponse:
        return web.Response(status=next(statuses), headers={"Retry-After": "0"})

    server.handle(handler)
    seen: list[object] = []

    async def record(event: object) -> None:
        seen.append(event)

    hooks = Hooks(on_request=record, on_response=record, on_retry=record)
    async with TalonClient(
        server.url, auth=ApiKeyV1(SECRET), hooks=hooks, retry=RetryPolicy(backoff=0)
    ) as client:
        await client.customer_data.delete("p")
    kinds = [(type(e).__name__, getattr(e, "attempt", None)) for e in seen]
    assert kinds == [
        ("RequestEvent", 1),
        ("ResponseEvent", 1),
        ("RetryEvent", 1),
        ("RequestEvent", 2),
        ("ResponseEvent", 2),
    ]
    first = seen[0]
    assert isinstance(first, RequestEvent)
    assert first.headers["Authorization"] == "<redacted>"
    assert SECRET not in repr(seen)
    response = seen[1]
    assert isinstance(response, ResponseEvent) and response.status == 503
    assert response.elapsed >= 0
    retry = seen[2]
    assert isinstance(retry, RetryEvent) and retry.error.status == 503  # type: ignore[attr-defined]


async def test_capture_responses_gives_raw_bytes_and_request_id(
    server: RecordingServer, client: TalonClient
) -> None:
    body = json.dumps(REFERRAL).encode()
    server.respond(201, body, headers={"X-Request-Id": "req-1"})
    with capture_responses() as responses:
        referral = await client.referrals.create(
            NewReferral(campaign_id=1, advocate_profile_integration_id="a")
        )
    assert referral.code == REFERRAL["code"]
    (raw,) = responses
    assert (raw.status, raw.body, raw.request_id, raw.attempt) == (201, body, "req-1", 1)
    assert raw.method == "POST" and raw.url.endswith("/v1/referrals")


async def test_capture_is_per_task(server: RecordingServer, client: TalonClient) -> None:
    async def other_task() -> None:
        await client.customer_data.delete("not-mine")

    with capture_responses() as responses:
        await client.customer_data.delete("mine")
    await asyncio.gather(other_task())
    with capture_responses() as later:
        pass
    assert [r.url.rsplit("/", 1)[-1] for r in responses] == ["mine"]
    assert later == []


async def test_trace_configs_reach_the_session(server: RecordingServer) -> None:
    started: list[str] = []

    async def on_request_start(
        session: aiohttp.ClientSession, context: SimpleNamespace, params: object
    ) -> None:
        started.append(str(getattr(params, "url", "")))

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_request_start)
    async with TalonClient(server.url, auth=ApiKeyV1("k"), trace_configs=[trace]) as client:
        await client.customer_data.delete("p")
    assert started == [f"{server.url}/v1/customer_data/p"]


async def test_trace_configs_with_a_borrowed_session_are_refused() -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(ValueError, match="trace_configs"):
            TalonClient(
                "https://h",
                auth=ApiKeyV1("k"),
                session=session,
                trace_configs=[aiohttp.TraceConfig()],
            )


async def test_debug_log_has_one_line_per_response_and_no_secret(
    server: RecordingServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server.respond(201, json.dumps(REFERRAL))
    auth: list[AuthStrategy] = [ContentSignature(5, APP_KEY), ApiKeyV1(SECRET)]
    async with TalonClient(server.url, auth=auth) as client:
        await client.referrals.create(
            NewReferral(campaign_id=1, advocate_profile_integration_id="a")
        )
    lines = [r.getMessage() for r in caplog.records if r.name == "talon_async"]
    assert len(lines) == 1
    assert lines[0].startswith(f"POST {server.url}/v1/referrals -> 201 in ")
    assert lines[0].endswith("(attempt 1)")
    signature = server.last.headers["Content-Signature"]
    for secret in (SECRET, APP_KEY, signature, signature.split("signature=")[1]):
        assert secret not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_env_var_turns_on_debug_logging() -> None:
    code = "import logging, talon_async; print(logging.getLogger('talon_async').level)"
    run = subprocess.run(
        [sys.executable, "-c", code],
        env={"TALON_ASYNC_LOG": "debug", "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.strip() == str(logging.DEBUG)
