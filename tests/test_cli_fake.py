"""`python -m talon_async fake`: the fake as a standalone server, in a real subprocess."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import io
import json
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest

APPLICATION_KEY = "00112233445566778899aabbccddeeff"
SEED = {
    "coupons": [{"value": "WELCOME10"}],
    "rules": [{"rule": "coupon_codes", "percent": 10}],
    "profiles": [{"integrationId": "alice"}],
}
CART = {
    "customerSession": {
        "profileId": "alice",
        "couponCodes": ["WELCOME10"],
        "cartItems": [{"sku": "A", "quantity": 2, "price": 25.0}],
    }
}


class Server:
    """The subprocess and what it printed so far."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []

    async def line(self) -> str:
        assert self.process.stdout is not None
        line = (await asyncio.wait_for(self.process.stdout.readline(), 30)).decode().rstrip()
        self.lines.append(line)
        return line

    async def stop(self, signal_number: int) -> int:
        self.process.send_signal(signal_number)
        assert self.process.stdout is not None
        rest = await asyncio.wait_for(self.process.stdout.read(), 30)
        self.lines += rest.decode().splitlines()
        return await self.process.wait()


@asynccontextmanager
async def fake_server(*args: str) -> AsyncIterator[Server]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "talon_async",
        "fake",
        "--port",
        "0",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        yield Server(process)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_serves_the_seeded_fake_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps(SEED))
    async with fake_server(
        "--api-key", "cli-key", "--application-id", "42", "--application-key", APPLICATION_KEY,
        "--seed", str(seed),
    ) as server:  # fmt: skip
        first = await server.line()
        assert first.startswith("fake Talon.One Integration API at http://127.0.0.1:")
        url = first.rsplit(" ", 1)[1]
        assert await server.line() == "API key: cli-key (header 'Authorization: ApiKey-v1 cli-key')"
        assert await server.line() == f"Content-Signature: application 42, key {APPLICATION_KEY}"
        assert "Bearer fake-manager-token" in await server.line()
        assert await server.line() == f"seeded from {seed}: coupons: 1, rules: 1, profiles: 1"
        assert await server.line() == "serving until interrupted (Ctrl-C or SIGTERM)"
        body = json.dumps(CART).encode()
        digest = hmac.new(bytes.fromhex(APPLICATION_KEY), body, hashlib.md5).hexdigest()
        async with aiohttp.ClientSession() as http:
            async with http.put(
                f"{url}/v2/customer_sessions/s-1",
                data=body,
                headers={"Authorization": "ApiKey-v1 cli-key"},
            ) as response:
                assert response.status == 200
                state = await response.json()
            async with http.put(
                f"{url}/v2/customer_sessions/s-2",
                data=body,
                headers={"Content-Signature": f"signer=42; signature={digest}"},
            ) as response:
                assert response.status == 200
            async with http.get(f"{url}/v1/customer_profiles/alice/inventory") as response:
                assert response.status == 401
        assert [e["props"].get("value") for e in state["effects"]] == ["WELCOME10", 5.0]
        for path, status in [("s-1", 200), ("s-2", 200)]:
            line = await server.line()
            assert line.startswith(f"PUT /v2/customer_sessions/{path} {status} ")
            assert line.endswith(" ms")
        assert (await server.line()).startswith("GET /v1/customer_profiles/alice/inventory 401 ")
        assert await server.stop(signal.SIGTERM) == 0
        assert server.lines[-1] == "stopped"
        assert server.process.stderr is not None
        assert await server.process.stderr.read() == b""


async def test_stops_cleanly_on_sigint() -> None:
    async with fake_server() as server:
        assert (await server.line()).startswith("fake Talon.One Integration API at")
        key = await server.line()
        assert key.startswith("API key: fake-api-key (")
        assert key.endswith("; the default, known to anyone (choose one with --api-key)")
        signature = await server.line()
        assert signature.endswith(
            "; the default, known to anyone (choose one with --application-key)"
        )
        assert await server.stop(signal.SIGINT) == 0
        assert server.lines[-1] == "stopped"


def _rss_mib(pid: int) -> float:
    """The resident memory of a process, from /proc/<pid>/status."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
async def test_rejected_large_requests_leave_the_memory_flat() -> None:
    """20 PUTs of 32 MiB (the largest body the fake takes) with a wrong key: no body is
    read or kept, so the server's memory barely moves (it grew by 635 MiB when every
    request was kept whole)."""
    body = b"x" * (32 * 1024 * 1024)
    async with fake_server() as server, aiohttp.ClientSession() as http:
        url = (await server.line()).rsplit(" ", 1)[1]
        while not (await server.line()).startswith("serving until interrupted"):
            pass
        async with http.get(f"{url}/v1/integration/campaigns") as response:
            assert response.status == 401  # the server is warm: aiohttp's parts are loaded
        await server.line()
        before = _rss_mib(server.process.pid)
        for _ in range(20):
            async with http.put(
                f"{url}/v2/customer_sessions/s-1",
                data=io.BytesIO(body),
                headers={"Authorization": "ApiKey-v1 wrong", "Content-Type": "application/json"},
            ) as response:
                assert response.status == 401
            assert (await server.line()).startswith("PUT /v2/customer_sessions/s-1 401 ")
        grown = _rss_mib(server.process.pid) - before
        assert grown < 50, f"the server grew by {grown:.0f} MiB"
        assert await server.stop(signal.SIGTERM) == 0


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--seed", "missing.json"], "error: --seed missing.json: [Errno 2] No such file"),
        (["--application-key", "xyz"], "--application-key: 'xyz' is not a hexadecimal key"),
        (["--port", "70000"], "error: argument --port: '70000' is not a port number (0 to 65535)"),
    ],
)
async def test_bad_options_are_one_line_usage_errors(args: list[str], error: str) -> None:
    async with fake_server(*args) as server:
        assert await server.process.wait() == 2
        assert server.process.stderr is not None
        message = (await server.process.stderr.read()).decode()
        assert message.startswith("python -m talon_async fake: error: ") and error in message
        assert message.count("\n") == 1
