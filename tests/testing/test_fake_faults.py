"""Fault injection: failures, Retry-After, random failures, delays, dropped connections."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
import pytest

from talon_async.testing import FakeTalon

from .conftest import Raw

SESSION = "/v2/customer_sessions/s-1"
BODY = {"customerSession": {"profileId": "alice"}}
EVENT = {"type": "viewed", "attributes": {}, "sessionId": "s-1"}


async def test_fail_next_answers_the_status_without_side_effects(
    raw: Raw, talon_fake: FakeTalon
) -> None:
    talon_fake.faults.fail_next(429, times=2, retry_after=3)
    for _ in range(2):
        reply = await raw("PUT", SESSION, BODY)
        assert reply.status == 429
        assert reply.headers["Retry-After"] == "3"
        assert reply.json == {"message": "Too Many Requests", "errors": [], "StatusCode": 429}
    assert talon_fake.sessions == {} and talon_fake.profiles == {}
    assert (await raw("PUT", SESSION, BODY)).status == 200
    assert [r.status for r in talon_fake.requests] == [429, 429, 200]


async def test_fail_next_applies_before_authentication(raw: Raw, talon_fake: FakeTalon) -> None:
    talon_fake.faults.fail_next(503)
    assert (await raw("PUT", SESSION, BODY, auth=False)).status == 503
    assert (await raw("PUT", SESSION, BODY, auth=False)).status == 401


@pytest.mark.parametrize(
    ("body", "content_type", "sent"),
    [
        ("<html>Bad gateway</html>", "text/html", b"<html>Bad gateway</html>"),
        (b"oops", "text/plain", b"oops"),
        ({"detail": "custom"}, "application/json", b'{"detail": "custom"}'),
    ],
)
async def test_fail_next_with_a_custom_body(
    raw: Raw, talon_fake: FakeTalon, body: Any, content_type: str, sent: bytes
) -> None:
    talon_fake.faults.fail_next(502, body=body, retry_after="Wed, 21 Oct 2015 07:28:00 GMT")
    reply = await raw("PUT", SESSION, BODY)
    assert (reply.status, reply.body) == (502, sent)
    assert reply.headers["Content-Type"].startswith(content_type)
    assert reply.headers["Retry-After"] == "Wed, 21 Oct 2015 07:28:00 GMT"


async def test_faults_can_target_a_method_and_a_path_prefix(
    raw: Raw, talon_fake: FakeTalon
) -> None:
    talon_fake.faults.fail_next(500, method="PUT", path_prefix="/v2/customer_profiles")
    assert (await raw("GET", "/v2/customer_profiles/x")).status == 405  # other method
    assert (await raw("PUT", SESSION, BODY)).status == 200  # other path
    assert (await raw("PUT", "/v2/customer_profiles/alice", {})).status == 500
    assert (await raw("PUT", "/v2/customer_profiles/alice", {})).status == 200


async def test_fail_randomly_is_seeded(raw: Raw, talon_fake: FakeTalon) -> None:
    async def pattern() -> list[int]:
        return [(await raw("PUT", SESSION, BODY)).status for _ in range(30)]

    talon_fake.faults.fail_randomly(0.5, seed=7, status=500)
    first = await pattern()
    talon_fake.faults.clear()
    talon_fake.faults.fail_randomly(0.5, seed=7, status=500)
    assert await pattern() == first
    assert 5 < first.count(500) < 25 and set(first) == {200, 500}
    talon_fake.faults.clear()
    assert set(await pattern()) == {200}


async def test_fail_randomly_with_fraction_one_fails_everything(
    raw: Raw, talon_fake: FakeTalon
) -> None:
    talon_fake.faults.fail_randomly(1.0)
    statuses = {(await raw("PUT", SESSION, BODY)).status for _ in range(5)}
    assert statuses == {503}
    assert talon_fake.sessions == {}


async def test_delay_applies_to_the_next_requests(raw: Raw, talon_fake: FakeTalon) -> None:
    talon_fake.faults.delay(0.15, times=1)
    started = time.monotonic()
    assert (await raw("PUT", SESSION, BODY)).status == 200
    assert time.monotonic() - started >= 0.15
    started = time.monotonic()
    await raw("PUT", SESSION, BODY)
    assert time.monotonic() - started < 0.15


async def test_a_request_given_up_by_its_client_is_still_applied(
    raw: Raw, talon_fake: FakeTalon
) -> None:
    talon_fake.faults.delay(0.2)
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(raw("PUT", SESSION, BODY), 0.05)
    assert talon_fake.sessions == {}
    await asyncio.sleep(0.25)
    assert "s-1" in talon_fake.sessions


async def test_drop_next_closes_the_connection_before_the_operation(
    raw: Raw, talon_fake: FakeTalon
) -> None:
    # POST: aiohttp itself resends an idempotent request once when its connection drops.
    talon_fake.faults.drop_next()
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await raw("POST", "/v1/events", EVENT)
    assert talon_fake.events == [] and talon_fake.sessions == {}
    assert talon_fake.requests[0].status is None
    assert (await raw("POST", "/v1/events", EVENT)).status == 201


async def test_drop_after_apply_loses_only_the_answer(raw: Raw, talon_fake: FakeTalon) -> None:
    talon_fake.faults.drop_next(after_apply=True, method="POST")
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await raw("POST", "/v1/events", EVENT)
    assert [event["type"] for event in talon_fake.events] == ["viewed"]
    assert "s-1" in talon_fake.sessions
    assert (await raw("POST", "/v1/events", EVENT)).status == 201
    assert len(talon_fake.events) == 2


async def test_closing_the_fake_drops_waiting_requests() -> None:
    async with FakeTalon() as fake, aiohttp.ClientSession() as session:
        fake.faults.delay(30)
        headers = {"Authorization": f"ApiKey-v1 {fake.api_key}"}
        request = asyncio.ensure_future(session.put(fake.url + SESSION, json=BODY, headers=headers))
        await asyncio.sleep(0.1)
        assert len(fake.requests) == 1
        started = time.monotonic()
        await fake.close()
        assert time.monotonic() - started < 5
        with pytest.raises(aiohttp.ClientError):
            (await request).close()
        assert fake.sessions == {}


@pytest.mark.parametrize(
    "call",
    [
        lambda f: f.fail_next(500, times=0),
        lambda f: f.delay(-1),
        lambda f: f.delay(1, times=0),
        lambda f: f.drop_next(times=0),
        lambda f: f.fail_randomly(1.5),
    ],
)
def test_invalid_fault_arguments_are_refused(call: Any) -> None:
    with pytest.raises(ValueError):
        call(FakeTalon().faults)
