"""Bulk: customer profiles per second loaded through ``python -m talon_async bulk run``.

The job: ``--profiles`` customer profiles as lines of ``updateCustomerProfilesV2`` (the
bulk endpoint, ``silent=yes``), ``--per-line`` profiles per line. Measured, as wall time
of whole commands (checking the job, the checkpoint or Redis marks included):

* ``one process``: ``bulk run JOB`` (``--concurrency 8``);
* ``2 workers``: ``bulk run JOB --broker redis://...`` with two ``worker`` processes
  (started before the clock, on a redis-server of the benchmark's own; the job bound to
  the deployment and key the submitter is given, as the command does);
* ``update_many_v2``: the same profiles sent from code, as models, in one call of
  ``client.profiles.update_many_v2(..., silent=True)`` (which splits them into requests of
  1000, 4 in flight), building the models included;
* ``official SDK``: the same profiles, ``per_line`` to a request, sent with
  ``IntegrationApi.update_customer_profiles_v2(..., silent="yes")`` from 8 threads
  sharing one ``ApiClient`` (its best way to load many profiles), in a fresh process.

Run in a fresh process (``python -m benchmarks.bulk --url URL ...``): prints one JSON
object. The server answers every request alike (nginx, or the aiohttp fallback).

With ``--rate N/s`` the job runs as against a real deployment: the server (``--url``)
answers after a fixed delay and refuses with 429 what goes beyond its rate, the bulk
commands get ``--rate N/s`` and ``--concurrency`` calls in flight, the official SDK's
threads wait out a 429's ``Retry-After`` and send again (which a program using it must
code itself), and each mode reports the 429 answers it caused (the server's ``/_stats``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from benchmarks.servers import free_port

API_KEY = "bench-api-key-0001"
THREADS = 8


def profile(number: int) -> dict[str, Any]:
    return {
        "integrationId": f"customer-{number}",
        "attributes": {"Name": f"Customer {number}", "tier": "gold", "points": number % 997},
    }


def write_job(path: Path, profiles: int, per_line: int) -> int:
    """The job file; returns its number of lines."""
    lines = 0
    with path.open("w") as out:
        for first in range(0, profiles, per_line):
            batch = [profile(n) for n in range(first, min(first + per_line, profiles))]
            line = {
                "operationId": "updateCustomerProfilesV2",
                "query": {"silent": "yes"},
                "body": {"customerProfiles": batch},
            }
            out.write(json.dumps(line) + "\n")
            lines += 1
    return lines


def _talon(*args: str, url: str) -> subprocess.Popen[str]:
    env = {**os.environ, "TALON_BASE_URL": url, "TALON_API_KEY": API_KEY}
    return subprocess.Popen(
        [sys.executable, "-m", "talon_async", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )


def _timed(process: subprocess.Popen[str], started: float) -> float:
    out, _ = process.communicate(timeout=600)
    if process.returncode != 0:
        raise RuntimeError(f"{process.args} exited {process.returncode}:\n{out}")
    return time.perf_counter() - started


def one_process(job: Path, url: str, pacing: list[str]) -> float:
    started = time.perf_counter()
    command = ("bulk", "run", str(job), "--concurrency", str(THREADS), *pacing)
    return _timed(_talon(*command, url=url), started)


def redis_server(directory: Path) -> tuple[subprocess.Popen[bytes], str]:
    executable = shutil.which("redis-server")
    if executable is None:
        raise FileNotFoundError("redis-server is not installed (apt-get install -y redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [
            *(executable, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(directory)),
            *("--save", "", "--appendonly", "no"),
        ],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while (
        subprocess.run(
            ["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True
        ).stdout.strip()
        != "PONG"
    ):
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("redis-server did not start")
        time.sleep(0.05)
    return process, f"redis://127.0.0.1:{port}/0"


def two_workers(job: Path, url: str, redis_url: str, pacing: list[str], in_flight: int) -> float:
    workers = [
        _talon("worker", "--broker", redis_url, "--concurrency", str(in_flight), url=url)
        for _ in range(2)
    ]
    try:
        for worker in workers:  # each prints one line once it serves
            assert worker.stdout is not None
            worker.stdout.readline()
        started = time.perf_counter()
        command = ("bulk", "run", str(job), "--broker", redis_url, *pacing)
        return _timed(_talon(*command, url=url), started)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
            worker.communicate(timeout=30)


def _refused(url: str) -> int:
    """How many requests the rate-limited server has answered 429 so far."""
    from urllib.request import urlopen

    with urlopen(f"{url}/_stats") as answer:
        return int(json.load(answer)["refused"])


def update_many(url: str, profiles: int) -> float:
    import asyncio

    from talon_async import ApiKeyV1, TalonClient
    from talon_async.models import (
        MultipleCustomerProfileIntegrationRequest,
        MultipleCustomerProfileIntegrationRequestItem,
    )

    async def send() -> float:
        async with TalonClient(url, auth=ApiKeyV1(API_KEY)) as client:
            started = time.perf_counter()
            items = [
                MultipleCustomerProfileIntegrationRequestItem(
                    integration_id=data["integrationId"], attributes=data["attributes"]
                )
                for data in map(profile, range(profiles))
            ]
            await client.profiles.update_many_v2(
                MultipleCustomerProfileIntegrationRequest(customer_profiles=items), silent=True
            )
            return time.perf_counter() - started

    return asyncio.run(send())


def official(url: str, profiles: int, per_line: int) -> float:
    import talon_one
    from talon_one.exceptions import ApiException

    configuration = talon_one.Configuration(host=url, api_key={"api_key_v1": API_KEY})
    configuration.api_key_prefix = {"api_key_v1": "ApiKey-v1"}
    configuration.connection_pool_maxsize = THREADS
    api = talon_one.IntegrationApi(talon_one.ApiClient(configuration))
    started = time.perf_counter()

    def send(first: int) -> None:
        batch = [profile(n) for n in range(first, min(first + per_line, profiles))]
        body = talon_one.MultipleCustomerProfileIntegrationRequest.from_dict(
            {"customerProfiles": batch}
        )
        while True:
            try:
                api.update_customer_profiles_v2(body, silent="yes")
                return
            except ApiException as error:
                if error.status != 429:
                    raise
                time.sleep(float((error.headers or {}).get("Retry-After", 1)))

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(send, range(0, profiles, per_line)))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bulk")
    parser.add_argument("--url", required=True)
    parser.add_argument("--profiles", type=int, default=200_000)
    parser.add_argument("--per-line", type=int, default=1000)
    parser.add_argument("--official", action="store_true")
    parser.add_argument("--rate", help="N/s: the server's rate (see above); 10%% under it for jobs")
    args = parser.parse_args()
    pacing: list[str] = []
    in_flight = THREADS // 2
    if args.rate:
        server_rate = float(args.rate.removesuffix("/s"))
        pacing = ["--rate", f"{server_rate * 0.9:g}/s", "--concurrency", "32"]
        in_flight = 32
    folder = Path(tempfile.mkdtemp(prefix="talon-bench-bulk-"))
    try:
        job = folder / "profiles.jsonl"
        lines = write_job(job, args.profiles, args.per_line)
        seconds: dict[str, float] = {}
        refused: dict[str, int] = {}
        redis, redis_url = redis_server(folder)
        modes = {
            "update_many_v2": lambda: update_many(args.url, args.profiles),
            "one process": lambda: one_process(job, args.url, pacing),
            "2 workers": lambda: two_workers(job, args.url, redis_url, pacing, in_flight),
        }
        if args.official:
            modes["official SDK"] = lambda: official(args.url, args.profiles, args.per_line)
        try:
            for mode, run in modes.items():
                before = _refused(args.url) if args.rate else 0
                seconds[mode] = run()
                if args.rate:
                    refused[mode] = _refused(args.url) - before
        finally:
            redis.terminate()
            redis.wait(10)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(
        json.dumps(
            {
                "profiles": args.profiles,
                "per_line": args.per_line,
                "lines": lines,
                "seconds": seconds,
                "profiles_per_second": {k: args.profiles / v for k, v in seconds.items()},
                "rate": args.rate,
                "refused_429": refused,
            }
        )
    )


if __name__ == "__main__":
    main()
