"""One throughput measurement: a client hammering ``PUT /v2/customer_sessions/{id}``.

Run in a fresh process per measurement (``python -m benchmarks.throughput ...``); it
prints one JSON object. The clients:

* ``talon_async``: a typed ``IntegrationRequest`` sent with ``client.sessions.update_v2``
  and decoded into a typed ``IntegrationStateV2``, ``concurrency`` tasks sharing a client;
  each call then reads every effect's typed props, as an integration does.
* ``floor``: a bare ``aiohttp.ClientSession`` with ``json.dumps``/``json.loads``, no models:
  what any asyncio client on the standard library's JSON must at least spend;
* ``floor_orjson``: the same with ``orjson.dumps``/``orjson.loads``: the true floor, what
  any asyncio client at all must spend (talon_async encodes and parses with orjson too).
* ``official``: the official SDK (``talon_one``), synchronous, called from a
  ``ThreadPoolExecutor`` of ``concurrency`` threads sharing one ``ApiClient`` whose urllib3
  pool keeps ``concurrency`` connections.

Every worker loops until the end of the window. Only calls that complete inside the
measured window (after the warm-up) count, so ramp-up and tail do not bias the rate.
CPU time of this process and of the server's processes is sampled at both window edges.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

from benchmarks.payload import SESSION_ID, request_body
from benchmarks.servers import cpu_seconds

API_KEY = "bench-api-key-0001"
CLIENTS = ("talon_async", "floor", "floor_orjson", "official")


class Window:
    """The measured interval and what happened inside it."""

    def __init__(self, warmup: float, duration: float, server_pids: list[int]) -> None:
        self.warmup = warmup
        self.duration = duration
        self.restart()
        self.server_pids = server_pids
        self.latencies: list[float] = []
        self.cpu: dict[str, float] = {}

    def restart(self) -> None:
        """Place the window ``warmup`` seconds from now."""
        self.start = time.perf_counter() + self.warmup
        self.end = self.start + self.duration

    def record(self, began: float, finished: float) -> None:
        if self.start <= began and finished <= self.end:
            self.latencies.append(finished - began)

    def sample(self, edge: str) -> None:
        times = os.times()
        self.cpu[f"client_{edge}"] = times.user + times.system
        self.cpu[f"server_{edge}"] = cpu_seconds(self.server_pids)
        self.cpu[f"wall_{edge}"] = time.perf_counter()

    def result(self) -> dict[str, Any]:
        wall = self.cpu["wall_end"] - self.cpu["wall_start"]
        done = sorted(self.latencies)

        def pct(q: float) -> float:
            return done[min(len(done) - 1, int(q * len(done)))] * 1000 if done else float("nan")

        return {
            "requests": len(done),
            "seconds": wall,
            "rps": len(done) / (self.end - self.start),
            "latency_ms_p50": pct(0.50),
            "latency_ms_p99": pct(0.99),
            "client_cpu": (self.cpu["client_end"] - self.cpu["client_start"]) / wall,
            "server_cpu": (self.cpu["server_end"] - self.cpu["server_start"]) / wall,
        }


async def _drive_async(
    call: Callable[[int], Awaitable[None]], concurrency: int, window: Window
) -> None:
    async def worker(index: int) -> None:
        while (began := time.perf_counter()) < window.end:
            await call(index)
            window.record(began, time.perf_counter())

    async def sampler() -> None:
        await asyncio.sleep(max(0.0, window.start - time.perf_counter()))
        window.sample("start")
        await asyncio.sleep(max(0.0, window.end - time.perf_counter()))
        window.sample("end")

    await asyncio.gather(sampler(), *(worker(i) for i in range(concurrency)))


async def _run_talon_async(url: str, concurrency: int, window: Window) -> None:
    from talon_async import ApiKeyV1, TalonClient
    from talon_async._convert import structure
    from talon_async.models import IntegrationRequest, IntegrationStateV2

    request = structure(request_body(), IntegrationRequest)
    async with TalonClient(url, auth=ApiKeyV1(API_KEY), max_connections=concurrency) as client:

        async def call(index: int) -> None:
            state = await client.sessions.update_v2(f"{SESSION_ID}-{index}", request)
            if type(state) is not IntegrationStateV2:
                raise TypeError(type(state))
            for effect in state.effects:
                effect.props  # noqa: B018  (what an integration reads of the answer)

        await _drive_async(call, concurrency, window)


async def _run_floor(
    url: str, concurrency: int, window: Window, *, fast_json: bool = False
) -> None:
    import aiohttp
    import orjson

    dumps = orjson.dumps if fast_json else lambda d: json.dumps(d, separators=(",", ":")).encode()
    loads = orjson.loads if fast_json else json.loads
    document = request_body()
    headers = {
        "Authorization": f"ApiKey-v1 {API_KEY}",
        "Content-Type": "application/json",
        "Accept": "application/json",
    }
    connector = aiohttp.TCPConnector(limit=concurrency, limit_per_host=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def call(index: int) -> None:
            body = dumps(document)
            target = f"{url}/v2/customer_sessions/{SESSION_ID}-{index}"
            async with session.put(target, data=body, headers=headers) as response:
                raw = await response.read()
                if response.status != 200:
                    raise RuntimeError(f"status {response.status}")
            loads(raw)

        await _drive_async(call, concurrency, window)


def _run_official(url: str, concurrency: int, window: Window) -> None:
    import talon_one

    configuration = talon_one.Configuration(
        host=url,
        api_key={"api_key_v1": API_KEY},
        api_key_prefix={"api_key_v1": "ApiKey-v1"},
    )
    configuration.connection_pool_maxsize = concurrency
    api = talon_one.IntegrationApi(talon_one.ApiClient(configuration))
    request = talon_one.IntegrationRequest.from_dict(request_body())
    expected = talon_one.IntegrationStateV2
    lock = threading.Lock()
    failures: list[BaseException] = []

    go = threading.Event()

    def worker(index: int) -> None:
        go.wait()
        try:
            while (began := time.perf_counter()) < window.end:
                state = api.update_customer_session_v2(f"{SESSION_ID}-{index}", request)
                if type(state) is not expected:
                    raise TypeError(type(state))
                finished = time.perf_counter()
                with lock:
                    window.record(began, finished)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    # Threads wait for the go signal: starting hundreds of them while others already
    # compete for the GIL would otherwise eat into the warm-up and the window.
    window.restart()
    go.set()
    time.sleep(max(0.0, window.start - time.perf_counter()))
    window.sample("start")
    time.sleep(max(0.0, window.end - time.perf_counter()))
    window.sample("end")
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


def measure(
    client: str,
    url: str,
    concurrency: int,
    warmup: float,
    duration: float,
    server_pids: list[int],
) -> dict[str, Any]:
    """Run one client for ``warmup + duration`` seconds and describe the measured window."""
    if client == "official":
        # Imported before the clock starts: the SDK takes seconds to import.
        import talon_one  # noqa: F401

        window = Window(warmup, duration, server_pids)
        _run_official(url, concurrency, window)
    else:
        import aiohttp  # noqa: F401

        import talon_async  # noqa: F401

        window = Window(warmup, duration, server_pids)
        if client == "talon_async":
            asyncio.run(_run_talon_async(url, concurrency, window))
        else:
            asyncio.run(_run_floor(url, concurrency, window, fast_json=client == "floor_orjson"))
    return {"client": client, "concurrency": concurrency, **window.result()}


def main() -> None:
    parser = argparse.ArgumentParser(description="One throughput measurement (prints JSON).")
    parser.add_argument("--client", choices=CLIENTS, required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--concurrency", type=int, required=True)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--duration", type=float, default=3.0)
    parser.add_argument("--server-pids", default="", help="comma-separated pids to charge CPU to")
    args = parser.parse_args()
    pids = [int(p) for p in args.server_pids.split(",") if p]
    result = measure(args.client, args.url, args.concurrency, args.warmup, args.duration, pids)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
