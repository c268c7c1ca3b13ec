"""Memory a client holds while N session updates are in flight, and what decoded answers
hold.

Talks to the hold server (``benchmarks.servers --hold``), which parks every request whose
path contains ``hold-`` until it is told to release them. The sequence, in a fresh process:

1. create the client and send a few ordinary requests (hooks built, pools warm);
2. collect garbage and take the baseline;
3. start N requests, poll the server until it reports N parked, collect garbage and
   measure again: the difference is what N requests in flight cost;
4. release them, wait for all N results and keep them: the peak during completion and
   what the N decoded results occupy are reported too.

``--mode tracemalloc`` counts Python allocations exactly (tracemalloc's own bookkeeping
is excluded); ``--mode rss`` reads the resident set size from /proc without tracemalloc,
which also sees memory that is not allocated by Python (sockets' buffers are in the
kernel and are seen by neither).

``--answers N`` measures something else, without a server: the bytes N decoded
``IntegrationStateV2`` answers (the benchmark response) hold, by tracemalloc, decoded
strictly (eager), leniently and unread (lazy), and leniently with every field read. A
fully read lazy answer must hold no more than an eager one (it lets go of its JSON).

Run as ``python -m benchmarks.memory ...``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import tracemalloc
from collections.abc import Awaitable, Callable
from typing import Any

from benchmarks.payload import request_body

API_KEY = "bench-api-key-0001"


def rss_bytes() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) * 1024


def used(mode: str) -> int:
    gc.collect()
    return tracemalloc.get_traced_memory()[0] if mode == "tracemalloc" else rss_bytes()


async def _wait_parked(url: str, count: int) -> None:
    import aiohttp

    async with aiohttp.ClientSession() as control:
        for _ in range(6000):
            async with control.get(f"{url}/_pending") as response:
                if int(await response.text()) >= count:
                    return
            await asyncio.sleep(0.01)
    raise TimeoutError(f"the hold server never saw {count} requests")


async def _release(url: str) -> None:
    import aiohttp

    async with aiohttp.ClientSession() as control, control.post(f"{url}/_release") as response:
        await response.read()


async def _measure(
    call: Callable[[str], Awaitable[Any]], url: str, inflight: int, mode: str
) -> dict[str, Any]:
    await asyncio.gather(*(call(f"warm-{i}") for i in range(8)))
    before = used(mode)
    tasks = [asyncio.ensure_future(call(f"hold-{i}")) for i in range(inflight)]
    await _wait_parked(url, inflight)
    during = used(mode)
    if mode == "tracemalloc":
        tracemalloc.reset_peak()
    await _release(url)
    results = await asyncio.gather(*tasks)
    peak = tracemalloc.get_traced_memory()[1] if mode == "tracemalloc" else None
    after = used(mode)
    del results
    return {
        "inflight_bytes": during - before,
        "results_bytes": after - before,
        "completion_peak_bytes": None if peak is None else peak - before,
    }


async def _talon_async(url: str, inflight: int, mode: str) -> dict[str, Any]:
    from talon_async import ApiKeyV1, TalonClient
    from talon_async._convert import structure
    from talon_async.models import IntegrationRequest

    request = structure(request_body(), IntegrationRequest)
    async with TalonClient(url, auth=ApiKeyV1(API_KEY), max_connections=inflight) as client:
        return await _measure(
            lambda sid: client.sessions.update_v2(sid, request), url, inflight, mode
        )


async def _floor(url: str, inflight: int, mode: str) -> dict[str, Any]:
    import aiohttp

    document = request_body()
    headers = {"Authorization": f"ApiKey-v1 {API_KEY}", "Content-Type": "application/json"}
    connector = aiohttp.TCPConnector(limit=inflight, limit_per_host=inflight)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def call(sid: str) -> Any:
            body = json.dumps(document, separators=(",", ":")).encode()
            target = f"{url}/v2/customer_sessions/{sid}"
            async with session.put(target, data=body, headers=headers) as response:
                raw = await response.read()
            return json.loads(raw)

        return await _measure(call, url, inflight, mode)


def answers(count: int) -> dict[str, Any]:
    """Bytes held by ``count`` decoded answers: eager, lazy unread, lazy fully read."""
    from benchmarks.codec import read_all
    from benchmarks.payload import response_bytes
    from talon_async._convert import decode_json, structure
    from talon_async.models import IntegrationStateV2

    raw = response_bytes()

    def lazy_read() -> object:
        state = structure(decode_json(raw), IntegrationStateV2)
        read_all(state)
        return state

    ways: dict[str, Callable[[], object]] = {
        "eager": lambda: structure(decode_json(raw), IntegrationStateV2, strict=True),
        "lazy_unread": lambda: structure(decode_json(raw), IntegrationStateV2),
        "lazy_read": lazy_read,
    }
    result: dict[str, Any] = {"answers": count, "answer_bytes": len(raw)}
    tracemalloc.start()
    for name, decode in ways.items():
        decode()  # hooks and caches built before the baseline
        before = used("tracemalloc")
        kept = [decode() for _ in range(count)]
        result[f"{name}_bytes"] = used("tracemalloc") - before
        del kept
    tracemalloc.stop()
    return result


def measure(client: str, url: str, inflight: int, mode: str) -> dict[str, Any]:
    """Bytes held for ``inflight`` parked requests (and after they complete)."""
    import aiohttp  # noqa: F401  (imported before any baseline)

    import talon_async  # noqa: F401

    if mode == "tracemalloc":
        tracemalloc.start()
    runner = _talon_async if client == "talon_async" else _floor
    result = asyncio.run(runner(url, inflight, mode))
    return {"client": client, "mode": mode, "inflight": inflight, **result}


def main() -> None:
    parser = argparse.ArgumentParser(description="Memory per requests in flight (prints JSON).")
    parser.add_argument("--client", choices=("talon_async", "floor"))
    parser.add_argument("--url")
    parser.add_argument("--inflight", type=int, default=1000)
    parser.add_argument("--mode", choices=("tracemalloc", "rss"), default="tracemalloc")
    parser.add_argument("--answers", type=int, help="measure N decoded answers instead")
    args = parser.parse_args()
    if args.answers:
        print(json.dumps(answers(args.answers)))
    elif args.client and args.url:
        print(json.dumps(measure(args.client, args.url, args.inflight, args.mode)))
    else:
        parser.error("--client and --url are required (or --answers)")


if __name__ == "__main__":
    main()
