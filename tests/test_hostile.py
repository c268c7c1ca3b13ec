"""A hostile world: servers that never stop talking, compression bombs, malformed answers,
credentials that must not leak through an exception, careless input, a second event loop,
and deadlines. Each test talks to a real server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import gc
import json
import time
import tracemalloc
import warnings
import zlib
from collections.abc import Iterator
from types import TracebackType
from typing import Any

import pytest
from aiohttp import web

from talon_async import (
    NO_RETRY,
    ApiKeyV1,
    BadRequestError,
    BulkUpdateError,
    ContentSignature,
    EventLoopError,
    Hooks,
    ResponseTooLargeError,
    RetryEvent,
    RetryPolicy,
    ServerError,
    TalonClient,
    TalonConnectionError,
    TalonDecodeError,
    TalonTimeoutError,
    run_batch,
)
from talon_async.models import (
    CartItem,
    IntegrationRequest,
    MultipleCustomerProfileIntegrationRequest,
    MultipleCustomerProfileIntegrationRequestItem,
    NewCustomerSessionV2,
)

from .conftest import RecordingServer

# list_coupons (getReservedCoupons, deprecated by Talon.One) serves here as a plain GET.
pytestmark = pytest.mark.filterwarnings("ignore:getReservedCoupons:DeprecationWarning")

SECRET = "sk-live-7f3a9b2c4d5e6f708192a3b4c5d6e7f8"
MIB = 1024 * 1024


def _request() -> IntegrationRequest:
    return IntegrationRequest(
        customer_session=NewCustomerSessionV2(cart_items=[CartItem(sku="A", quantity=1)])
    )


# -- bounded reads ----------------------------------------------------------------------


async def _endless(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "application/json"})
    await response.prepare(request)
    chunk = b"[" + b"1," * 32767
    try:
        while True:
            await response.write(chunk)
    except (ConnectionError, RuntimeError):
        pass
    return response


def _bomb_parts() -> tuple[bytes, bytes]:
    """A gzip stream's start and a block that can follow itself forever: each block is
    1 MiB of spaces, compressed to about 1 KiB."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    spaces = b" " * MIB
    head = compressor.compress(b"[") + compressor.flush(zlib.Z_FULL_FLUSH)
    compressor.compress(spaces)
    compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(spaces) + compressor.flush(zlib.Z_FULL_FLUSH)
    return head, block


async def _bomb(request: web.Request) -> web.StreamResponse:
    head, block = _bomb_parts()
    response = web.StreamResponse(
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"}
    )
    await response.prepare(request)
    try:
        await response.write(head)
        for _ in range(1024):  # 1 GiB once inflated, about 1 MiB on the wire
            await response.write(block)
        await response.write_eof()
    except (ConnectionError, RuntimeError):
        pass
    return response


@pytest.mark.parametrize("handler", [_endless, _bomb], ids=["endless", "gzip-bomb"])
async def test_an_answer_over_the_limit_ends_promptly_in_bounded_memory(
    server: RecordingServer, handler: Any
) -> None:
    server.handle(handler)
    limit = 4 * MIB
    async with TalonClient(
        server.url, auth=ApiKeyV1("k"), retry=NO_RETRY, max_response_bytes=limit, timeout=20
    ) as client:
        tracemalloc.start()
        try:
            with pytest.raises(ResponseTooLargeError) as info:
                await client.coupon_reservations.list_coupons("p")
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert info.value.limit == limit and info.value.status == 200
    assert "max_response_bytes" in str(info.value)
    assert peak < 4 * limit, f"peak {peak / MIB:.1f} MiB for a {limit / MIB:.0f} MiB limit"


async def test_an_announced_length_over_the_limit_is_refused_before_reading(
    server: RecordingServer,
) -> None:
    server.respond(200, b"{" + b" " * (2 * MIB) + b"}")
    async with TalonClient(
        server.url, auth=ApiKeyV1("k"), retry=NO_RETRY, max_response_bytes=MIB
    ) as client:
        with pytest.raises(ResponseTooLargeError):
            await client.coupon_reservations.list_coupons("p")
        server.respond(200, json.dumps({"totalResultSize": 0, "data": []}))
        assert (await client.coupon_reservations.list_coupons("p")).data == []


async def test_a_big_error_body_costs_a_bounded_excerpt(server: RecordingServer) -> None:
    words = b"lorem ipsum dolor sit amet\n" * (50 * MIB // 27)
    server.respond(500, words, content_type="text/plain")
    async with TalonClient(server.url, auth=ApiKeyV1("k"), retry=NO_RETRY) as client:
        tracemalloc.start()
        try:
            with pytest.raises(ServerError) as info:
                await client.coupon_reservations.list_coupons("p")
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    message = str(info.value)
    assert "lorem ipsum" in message and "\n" not in message and len(message) < 600
    assert len(info.value.raw) == len(words)
    assert peak < 3 * len(words), f"peak {peak / MIB:.0f} MiB for a 50 MiB body"


# -- no secret reachable from an exception ----------------------------------------------


def _reachable_text(error: BaseException) -> Iterator[str]:
    """Every string an error tracker could see: messages, reprs and attributes (followed
    recursively), the cause/context chain, and the traceback's local variables (followed
    the way trackers serialise them: containers item by item, other objects by repr)."""
    seen: set[int] = set()
    todo: list[tuple[object, bool]] = [(error, True)]
    while todo:
        item, deep = todo.pop()
        if id(item) in seen or item is None or isinstance(item, (int, float, bool)):
            continue
        seen.add(id(item))
        if isinstance(item, (str, bytes)):
            yield item if isinstance(item, str) else item.decode("latin-1")
            continue
        if isinstance(item, TracebackType):
            todo.append((item.tb_next, deep))
            if item.tb_frame.f_globals.get("__name__", "").startswith("talon_async"):
                todo += [(value, False) for value in item.tb_frame.f_locals.values()]
            continue
        yield repr(item)
        if isinstance(item, BaseException):
            yield str(item)
            chain = [item.__cause__, item.__context__, item.__traceback__, *item.args]
            todo += [(linked, True) for linked in chain]
        if isinstance(item, dict):
            todo += [(part, deep) for pair in item.items() for part in pair]
        elif isinstance(item, (list, tuple, set, frozenset)):
            todo += [(part, deep) for part in item]
        elif deep and not isinstance(item, type):
            attributes = list(vars(item).values()) if hasattr(item, "__dict__") else []
            slots = [getattr(item, s, None) for s in getattr(type(item), "__slots__", ())]
            todo += [(part, True) for part in attributes + slots]


def _assert_no_secret(error: BaseException) -> None:
    for text in _reachable_text(error):
        assert SECRET not in text
        assert "signature=" not in text


async def _bad_status_line(request: web.Request) -> web.StreamResponse:
    assert request.transport is not None
    request.transport.write(b"HTTP/1.1 2OO OK\r\nContent-Length: 2\r\n\r\n{}")
    request.transport.close()
    return web.Response()


async def _oversized_header(request: web.Request) -> web.StreamResponse:
    assert request.transport is not None
    header = b"X-Big: " + b"a" * 20000 + b"\r\n"
    request.transport.write(b"HTTP/1.1 200 OK\r\n" + header + b"Content-Length: 2\r\n\r\n{}")
    request.transport.close()
    return web.Response()


@pytest.mark.parametrize(
    "auth",
    [ApiKeyV1(SECRET), ContentSignature(1, "5f3c9a1be07d4c2a8e6b1f0d9a7c3e52")],
    ids=["api-key", "content-signature"],
)
@pytest.mark.parametrize(
    "handler", [_bad_status_line, _oversized_header], ids=["bad-status-line", "huge-header"]
)
async def test_no_credential_is_reachable_from_a_connection_error(
    server: RecordingServer, auth: Any, handler: Any
) -> None:
    server.handle(handler)
    retried: list[RetryEvent] = []

    async def on_retry(event: RetryEvent) -> None:
        retried.append(event)

    async with TalonClient(
        server.url,
        auth=auth,
        retry=RetryPolicy(max_retries=1, backoff=0),
        hooks=Hooks(on_retry=on_retry),
    ) as client:
        with pytest.raises(TalonConnectionError) as info:
            await client.sessions.update_v2("s-1", _request())
    error = info.value
    assert error.__cause__ is None and error.__context__ is None
    assert error.cause_type and error.cause_message
    assert "\n" not in str(error)
    _assert_no_secret(error)
    [event] = retried
    _assert_no_secret(event.error)


async def test_server_text_in_a_message_is_one_line(server: RecordingServer) -> None:
    forged = "bad input\n2026-11-30 12:00:00 CRITICAL forged log line\r\nmore"
    body = {"message": forged, "errors": [{"title": "t\nx", "details": "d\r\ny"}]}
    server.respond(400, json.dumps(body), headers={"X-Request-Id": "abc\tdef"})
    async with TalonClient(server.url, auth=ApiKeyV1("k"), retry=NO_RETRY) as client:
        with pytest.raises(BadRequestError) as info:
            await client.sessions.update_v2("s-1", _request())
    message = str(info.value)
    assert "\n" not in message and "\r" not in message
    assert "forged log line" in message
    assert info.value.body is not None and info.value.body.message == forged  # kept as sent


# -- bad input fails before any I/O -----------------------------------------------------


@pytest.mark.parametrize(
    ("options", "error", "match"),
    [
        ({"timeout": 0}, ValueError, "timeout"),
        ({"timeout": -1}, ValueError, "timeout"),
        ({"timeout": "5"}, TypeError, "timeout"),
        ({"total_timeout": float("inf")}, ValueError, "total_timeout"),
        ({"retry": "never"}, TypeError, "retry"),
        ({"allow_replay": "yes"}, TypeError, "allow_replay"),
        ({"timout": 3}, TypeError, "unknown call option"),
        ({"extra_headers": {"X-Trace": "a\r\nX-Injected: 1"}}, ValueError, "line break"),
        ({"extra_headers": {"Bad Name": "v"}}, ValueError, "header name"),
        ({"extra_headers": {"X-N": 1}}, TypeError, "must be a str"),
        ({"extra_headers": {"Content-Length": "0"}}, ValueError, "cannot be overridden"),
        ({"extra_headers": {"transfer-encoding": "chunked"}}, ValueError, "cannot be overridden"),
        ({"extra_headers": {"Host": "evil"}}, ValueError, "cannot be overridden"),
        ({"extra_headers": {"Authorization": "Bearer x"}}, ValueError, "cannot be overridden"),
        ({"extra_headers": {"Content-Signature": "x"}}, ValueError, "cannot be overridden"),
        ({"extra_headers": ["X-A"]}, TypeError, "mapping"),
    ],
)
async def test_bad_call_options_fail_before_io(
    server: RecordingServer,
    client: TalonClient,
    options: dict[str, Any],
    error: type[Exception],
    match: str,
) -> None:
    with pytest.raises(error, match=match):
        await client.sessions.update_v2("s-1", _request(), **options)
    assert server.received == []


async def test_a_body_of_the_wrong_type_fails_before_io(
    server: RecordingServer, client: TalonClient
) -> None:
    with pytest.raises(TypeError, match="must be an IntegrationRequest, got dict"):
        await client.sessions.update_v2("s-1", {"customerSession": {}})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be a CouponReservations, got IntegrationRequest"):
        await client.coupon_reservations.create("C", _request())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="dry must be True or False, got str"):
        await client.sessions.update_v2("s-1", _request(), dry="false")  # type: ignore[arg-type]
    assert server.received == []


async def test_allowed_extra_headers_are_sent(server: RecordingServer, client: TalonClient) -> None:
    await client.customer_data.delete("p", extra_headers={"X-Trace": "t-1\tv"})
    assert server.last.headers["X-Trace"] == "t-1\tv"


# -- one event loop per client ----------------------------------------------------------


def _serve_forever_in_thread() -> tuple[str, Any]:
    """A 204 server in its own thread, reachable from any event loop of the test."""
    import threading

    ready = threading.Event()
    state: dict[str, Any] = {}

    def run() -> None:
        loop = asyncio.new_event_loop()
        state["loop"] = loop

        async def start() -> None:
            app = web.Application()
            app.router.add_route("*", "/{tail:.*}", _no_content)
            runner = web.AppRunner(app)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            state["runner"] = runner
            state["url"] = f"http://127.0.0.1:{runner.addresses[0][1]}"
            ready.set()

        loop.run_until_complete(start())
        loop.run_forever()
        loop.run_until_complete(state["runner"].cleanup())
        loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(10)

    def stop() -> None:
        state["loop"].call_soon_threadsafe(state["loop"].stop)
        thread.join(10)

    return state["url"], stop


async def _no_content(request: web.Request) -> web.Response:
    return web.Response(status=204)


def test_a_client_used_from_a_second_event_loop_says_so() -> None:
    url, stop = _serve_forever_in_thread()
    try:
        client = TalonClient(url, auth=ApiKeyV1("k"))

        async def first() -> None:
            await client.customer_data.delete("p")

        async def second() -> None:
            with pytest.raises(EventLoopError, match="another event loop"):
                await client.customer_data.delete("p")

        asyncio.run(first())
        with warnings.catch_warnings():
            # The first loop's connections died with it; aiohttp may warn about them.
            warnings.simplefilter("ignore", ResourceWarning)
            asyncio.run(second())
            asyncio.run(second())  # and again: the same typed error, never "loop is closed"
            asyncio.run(client.aclose())
            gc.collect()
        assert client.closed
    finally:
        stop()


# -- run_batch --------------------------------------------------------------------------


async def test_run_batch_keeps_a_cancelled_item_as_its_outcome() -> None:
    async def work(n: int) -> int:
        if n == 3:
            inner = asyncio.ensure_future(asyncio.sleep(10))
            asyncio.get_running_loop().call_soon(inner.cancel)
            await inner  # cancelled from outside this call, not by the batch
        await asyncio.sleep(0)
        return n * 10

    outcomes = await run_batch(work, range(6), concurrency=2)
    assert [o for i, o in enumerate(outcomes) if i != 3] == [0, 10, 20, 40, 50]
    assert isinstance(outcomes[3], asyncio.CancelledError)


async def test_cancelling_run_batch_still_cancels_it() -> None:
    started = asyncio.Event()

    async def work(n: int) -> int:
        started.set()
        await asyncio.sleep(10)
        return n

    batch = asyncio.ensure_future(run_batch(work, range(4), concurrency=2))
    await started.wait()
    batch.cancel()
    with pytest.raises(asyncio.CancelledError):
        await batch


# -- a deadline per call ----------------------------------------------------------------


async def test_total_timeout_skips_a_retry_that_would_pass_the_deadline(
    server: RecordingServer,
) -> None:
    server.respond(503, "", headers={"Retry-After": "29"})
    async with TalonClient(server.url, auth=ApiKeyV1("k"), total_timeout=3) as client:
        with pytest.raises(ServerError) as info:
            await client.customer_data.delete("p")
    assert len(server.received) == 1
    assert info.value.attempts == 1


async def test_total_timeout_bounds_a_hanging_attempt(server: RecordingServer) -> None:
    server.hang()
    async with TalonClient(server.url, auth=ApiKeyV1("k"), timeout=30) as client:
        started = time.monotonic()
        with pytest.raises(TalonTimeoutError, match=r"total_timeout of 0\.3s"):
            await client.customer_data.delete("p", total_timeout=0.3)
    assert time.monotonic() - started < 10  # the deadline ended it, not the 30 s timeout


async def test_waiting_for_a_session_counts_towards_the_deadline(
    server: RecordingServer,
) -> None:
    arrived = asyncio.Event()

    async def hang(request: web.Request) -> web.StreamResponse:
        arrived.set()
        await server.released.wait()
        return web.Response(status=204)

    server.handle(hang)
    async with TalonClient(server.url, auth=ApiKeyV1("k"), retry=NO_RETRY) as client:
        first = asyncio.ensure_future(client.sessions.update_v2("s-1", _request()))
        await arrived.wait()
        with pytest.raises(TalonTimeoutError, match="total_timeout") as info:
            await client.sessions.update_v2("s-1", _request(), total_timeout=0.2)
        assert info.value.may_have_reached_server is False
        assert len(server.received) == 1
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first


# -- the bulk split says what happened --------------------------------------------------


FAST = RetryPolicy(max_retries=2, backoff=0)


async def _bulk(server: RecordingServer, count: int, **options: Any) -> BulkUpdateError:
    items = [
        MultipleCustomerProfileIntegrationRequestItem(integration_id=f"p{i}") for i in range(count)
    ]
    async with TalonClient(server.url, auth=ApiKeyV1("k"), retry=FAST) as client:
        with pytest.raises(BulkUpdateError) as info:
            await client.profiles.update_many_v2(
                MultipleCustomerProfileIntegrationRequest(customer_profiles=items), **options
            )
    return info.value


async def test_a_failed_last_part_names_its_real_range_and_attempts(
    server: RecordingServer,
) -> None:
    async def answer(request: web.Request) -> web.StreamResponse:
        body = await request.json()
        if body["customerProfiles"][0]["integrationId"] == "p2000":
            return web.Response(status=503, headers={"Retry-After": "0"})
        return web.Response(status=204)

    server.handle(answer)
    error = await _bulk(server, 2500, silent=True)
    assert error.parts == [(0, 999), (1000, 1999), (2000, 2499)]
    assert "profiles 2000-2499" in str(error)
    assert error.attempts == 3
    assert isinstance(error.outcomes[2], ServerError) and error.outcomes[2].attempts == 3


async def test_an_answer_with_fewer_states_than_profiles_is_an_error(
    server: RecordingServer,
) -> None:
    async def answer(request: web.Request) -> web.StreamResponse:
        body = await request.json()
        states = [{"customerProfile": {"integrationId": "x"}}] * (len(body["customerProfiles"]) - 1)
        return web.json_response({"integrationStates": states})

    server.handle(answer)
    error = await _bulk(server, 1500)
    assert all(isinstance(o, TalonDecodeError) for o in error.outcomes)
    assert "999 integration states for 1000 profiles" in str(error)


# -- compressed answers are inflated by the client, within the limit --------------------

ANSWER = {"totalResultSize": 1, "data": [{"id": 1, "value": "C-1"}]}


def _gzip(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
    return compressor.compress(data) + compressor.flush()


def _deflate(data: bytes, wbits: int) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, wbits)
    return compressor.compress(data) + compressor.flush()


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", _gzip),
        ("x-gzip", _gzip),
        ("deflate", lambda d: _deflate(d, 15)),  # zlib-wrapped, as HTTP says
        ("deflate", lambda d: _deflate(d, -15)),  # raw, as some servers send it
        ("gzip", lambda d: _gzip(d[:10]) + _gzip(d[10:])),  # two gzip members
    ],
    ids=["gzip", "x-gzip", "deflate-zlib", "deflate-raw", "gzip-members"],
)
async def test_compressed_answers_are_decoded(
    server: RecordingServer, client: TalonClient, encoding: str, encode: Any
) -> None:
    body = encode(json.dumps(ANSWER).encode())
    server.respond(200, body, headers={"Content-Encoding": encoding})
    coupons = await client.coupon_reservations.list_coupons("p")
    assert coupons.total_result_size == 1 and coupons.data[0].value == "C-1"
    assert server.last.headers["Accept-Encoding"] == "gzip, deflate"


async def test_a_corrupt_compressed_answer_is_a_decode_error(
    server: RecordingServer, client: TalonClient
) -> None:
    server.respond(200, b"\x1f\x8b\x08\x00garbage-not-gzip", headers={"Content-Encoding": "gzip"})
    with pytest.raises(TalonDecodeError, match="cannot be decompressed"):
        await client.coupon_reservations.list_coupons("p")
