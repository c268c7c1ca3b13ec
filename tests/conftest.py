"""Shared fixtures: a real aiohttp server on 127.0.0.1 that records what it receives."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import attrs
import pytest
from aiohttp import web

from talon_async import NO_RETRY, ApiKeyV1, TalonClient

pytest_plugins = ["pytester"]

API_KEY = "test-api-key-5f2a"


@attrs.frozen
class Received:
    """One request as the server saw it."""

    method: str
    raw_path: str
    path: str
    query: dict[str, str]
    query_string: str
    """The query exactly as sent (still percent-encoded)."""
    headers: dict[str, str]
    body: bytes
    raw_query: str
    """The query string exactly as sent (repeated parameters and escapes included)."""


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class RecordingServer:
    """A loopback HTTP server whose answer each test chooses."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.url = ""
        self._handler: Handler = self._default
        self.released = asyncio.Event()

    async def _default(self, request: web.Request) -> web.StreamResponse:
        return web.Response(status=204)

    def respond(
        self,
        status: int = 200,
        body: bytes | str = b"",
        headers: dict[str, str] | None = None,
        content_type: str = "application/json",
    ) -> None:
        """Answer every following request with this status, body and headers."""
        payload = body.encode() if isinstance(body, str) else body

        async def handler(request: web.Request) -> web.StreamResponse:
            return web.Response(
                status=status,
                body=payload,
                headers={"Content-Type": content_type, **(headers or {})},
            )

        self._handler = handler

    def hang(self) -> None:
        """Leave every following request unanswered until the test ends."""

        async def handler(request: web.Request) -> web.StreamResponse:
            await self.released.wait()
            return web.Response(status=204)

        self._handler = handler

    def handle(self, handler: Handler) -> None:
        """Answer every following request with a custom handler."""
        self._handler = handler

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        self.received.append(
            Received(
                method=request.method,
                raw_path=request.raw_path.split("?", 1)[0],
                path=request.path,
                query=dict(request.query),
                query_string=request.raw_path.partition("?")[2],
                headers=dict(request.headers),
                body=await request.read(),
                raw_query=request.raw_path.partition("?")[2],
            )
        )
        return await self._handler(request)

    @property
    def last(self) -> Received:
        return self.received[-1]


@pytest.fixture
async def server() -> AsyncIterator[RecordingServer]:
    recording = RecordingServer()
    app = web.Application()
    app.router.add_route("*", r"/{tail:[\s\S]*}", recording._dispatch)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    recording.url = f"http://127.0.0.1:{port}"
    yield recording
    recording.released.set()
    await runner.cleanup()


@pytest.fixture
async def client(server: RecordingServer) -> AsyncIterator[TalonClient]:
    """A client of the recording server that sends every call exactly once."""
    async with TalonClient(server.url, auth=ApiKeyV1(API_KEY), retry=NO_RETRY) as talon:
        yield talon


def pytest_collection_finish(session: pytest.Session) -> None:
    """Move what collection loaded (modules, the parsed spec, schemathesis) out of reach of
    the collections after each test, so that they scan only what the tests create."""
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def _collect_garbage_after_each_test() -> Iterator[None]:
    """Make unclosed sessions warn inside the test that leaked them (warnings are errors).

    What survives is then frozen (moved out of the collector's sight, as the hook above
    does for what collection loads), so each collection looks at one test's objects only:
    about 50 ms saved per test.
    """
    yield
    gc.collect()
    gc.freeze()
