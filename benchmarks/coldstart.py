"""Cold start: a fresh process, from nothing to its first decoded answer.

What a worker scaling from zero, a serverless function, a CLI or a test process pays
before its first call returns: start Python, import the client, open it, send one
session update, decode the answer and read every effect's props. Against the same for a
bare ``aiohttp`` + ``orjson`` script (no models): the floor. Whole processes are timed
from the parent (interpreter start-up included, the same for both), in interleaved
pairs, so that the machine's drift hits both alike.

The package's modules are byte-compiled first, as an installed wheel's are: a process
that compiles the library's source on every start (``PYTHONDONTWRITEBYTECODE`` and no
``__pycache__``) measures the compiler, not the client.

Beside them, what creating the model classes a session update's answer loads costs, with
attrs and as plain slotted classes (:func:`benchmarks.limits.class_creation`): part of
the distance to the floor that no change around the models can remove.

Run as ``python -m benchmarks.coldstart --url URL``: prints one JSON object.
"""

from __future__ import annotations

import argparse
import compileall
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import talon_async
from benchmarks.limits import class_creation

TALON_ASYNC = """
import asyncio, sys
from talon_async import ApiKeyV1, TalonClient
from talon_async.models import CartItem, IntegrationRequest, NewCustomerSessionV2

async def main():
    async with TalonClient(sys.argv[1], auth=ApiKeyV1("bench-api-key-0001")) as client:
        request = IntegrationRequest(customer_session=NewCustomerSessionV2(
            profile_id="p-1", cart_items=[CartItem(sku="SKU-1", quantity=1, price=9.5)]))
        state = await client.sessions.update_v2("s-1", request)
        for effect in state.effects:
            effect.props

asyncio.run(main())
"""

FLOOR = """
import asyncio, sys
import aiohttp, orjson

async def main():
    body = orjson.dumps({"customerSession": {"profileId": "p-1",
        "cartItems": [{"sku": "SKU-1", "quantity": 1, "price": 9.5}]}})
    headers = {"Authorization": "ApiKey-v1 bench-api-key-0001",
               "Content-Type": "application/json"}
    async with aiohttp.ClientSession() as session:
        async with session.put(sys.argv[1] + "/v2/customer_sessions/s-1", data=body,
                               headers=headers) as response:
            raw = await response.read()
    for effect in orjson.loads(raw)["effects"]:
        effect["props"]

asyncio.run(main())
"""

SCRIPTS = {"talon_async": TALON_ASYNC, "floor": FLOOR}


def run_once(script: str, url: str) -> float:
    """Milliseconds of one whole process."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", script, url], check=True, capture_output=True)
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description="Time to the first decoded answer.")
    parser.add_argument("--url", required=True)
    parser.add_argument("--pairs", type=int, default=9)
    args = parser.parse_args()
    compileall.compile_dir(Path(talon_async.__file__).parent, quiet=1)
    times: dict[str, list[float]] = {name: [] for name in SCRIPTS}
    for script in SCRIPTS.values():  # one unmeasured run each: the OS's caches
        run_once(script, args.url)
    for _ in range(args.pairs):
        for name, script in SCRIPTS.items():
            times[name].append(run_once(script, args.url))
    result = {
        name: {"median_ms": statistics.median(values), "best_ms": min(values), "runs": values}
        for name, values in times.items()
    }
    result["ratio"] = result["talon_async"]["median_ms"] / result["floor"]["median_ms"]
    result["class_creation"] = class_creation()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
