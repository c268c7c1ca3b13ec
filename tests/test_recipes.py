"""The "Recording real traffic" recipe of docs/recipes.md, with the real vcrpy and
pytest-recording: its test is recorded against the standalone fake
(``python -m talon_async fake``), then replayed with the fake stopped (a request the
cassette lacks would fail: pytest-recording's default record mode is "none"); once more
through a proxy that gzips every answer, replayed under pytest-asyncio's auto mode.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
from aiohttp import web

from .markdown import files

RECORDED = "test_recorded_checkout.py"
API_KEY = "recording-key-7c1e"
SEED = {
    "coupons": [{"value": "WELCOME10"}],
    "rules": [{"rule": "coupon_codes", "percent": 10}],
}


@asynccontextmanager
async def standalone_fake(directory: Path) -> AsyncIterator[str]:
    """``python -m talon_async fake`` on a free port, seeded; yields its URL."""
    seed = directory / "seed.json"
    seed.write_text(json.dumps(SEED))
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "talon_async", "fake", "--port", "0", "--api-key", API_KEY, "--seed", str(seed)),
        stdout=subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        first = await asyncio.wait_for(process.stdout.readline(), 30)
        yield first.decode().rsplit(" ", 1)[-1].strip()  # "fake Talon.One ... at <url>"
    finally:
        process.terminate()
        await process.wait()


@asynccontextmanager
async def gzipping_proxy(upstream: str) -> AsyncIterator[str]:
    """A server on 127.0.0.1 that forwards each request to ``upstream`` and answers what
    came back, gzip-encoded."""

    async def forward(request: web.Request) -> web.Response:
        headers = {k: v for k, v in request.headers.items() if k.lower() != "host"}
        async with (
            aiohttp.ClientSession() as session,
            session.request(
                request.method,
                upstream + request.path_qs,
                headers=headers,
                data=await request.read(),
            ) as answer,
        ):
            body = await answer.read()
            return web.Response(
                status=answer.status,
                body=gzip.compress(body),
                headers={"Content-Encoding": "gzip", "Content-Type": answer.content_type},
            )

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", forward)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


async def pytest_run(directory: Path, url: str, *options: str) -> str:
    """Run the recipe's test module with pytest in ``directory``; return its output."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "pytest", "-p", "no:cacheprovider", "-q", RECORDED, *options),
        cwd=directory,
        env={**os.environ, "TALON_BASE_URL": url, "TALON_API_KEY": API_KEY},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(), 120)
    text = out.decode()
    assert process.returncode == 0 and "1 passed" in text, text
    return text


def cassette(directory: Path) -> str:
    [recorded] = (directory / "cassettes").rglob("*.yaml")
    return recorded.read_text()


async def test_the_recording_recipe_records_from_the_fake_then_replays_without_it(
    tmp_path: Path,
) -> None:
    (tmp_path / RECORDED).write_text(files()[RECORDED].source)
    async with standalone_fake(tmp_path) as url:
        await pytest_run(tmp_path, url, "--record-mode=once")
    recorded = cassette(tmp_path)
    assert API_KEY not in recorded and "Authorization" not in recorded
    assert "setDiscount" in recorded
    await pytest_run(tmp_path, url)  # replayed: the fake is stopped by now


async def test_a_gzip_encoded_answer_is_recorded_and_replayed(tmp_path: Path) -> None:
    (tmp_path / RECORDED).write_text(files()[RECORDED].source)
    async with standalone_fake(tmp_path) as upstream, gzipping_proxy(upstream) as url:
        await pytest_run(tmp_path, url, "--record-mode=once")
    recorded = cassette(tmp_path)
    assert "gzip" in recorded and "setDiscount" not in recorded  # stored compressed
    assert API_KEY not in recorded
    # Replayed with the proxy and the fake stopped, under pytest-asyncio's other mode.
    await pytest_run(tmp_path, url, "-o", "asyncio_mode=auto")
