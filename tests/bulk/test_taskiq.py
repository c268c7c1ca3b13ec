"""Many processes: taskiq workers on a real redis-server, one of them killed mid-run."""

from __future__ import annotations

import asyncio
import hashlib
import json
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

from redis import Redis
from taskiq.api import run_receiver_task

from talon_async import ApiKeyV1, Bearer
from talon_async.bulk.taskiq import register, stream_broker, submit_job
from talon_async.testing import FakeTalon

from .conftest import check_order, line_of, talon_command, write_job
from .test_run import mixed_job, profile_line

CALLS = 20_000
FAILING = 5
KINDS = "spbbpbbpbb"


def worker(redis_url: str, fake: FakeTalon, *extra: str) -> subprocess.Popen[str]:
    return talon_command(
        "worker",
        "--broker",
        redis_url,
        "--reclaim-after",
        "2",
        "--tasks",
        "4",
        "--concurrency",
        "16",
        *extra,
        env=talon_env(fake),
    )


def talon_env(fake: FakeTalon) -> dict[str, str]:
    return {"TALON_BASE_URL": fake.url, "TALON_API_KEY": fake.api_key}


def test_20000_calls_over_2_workers_one_killed_mid_run(tmp_path: Path, redis_url: str) -> None:
    # Mostly the fake's lightest calls (silent bulk updates of one profile), to keep it quick.
    job, key_of = mixed_job(tmp_path / "job.jsonl", CALLS, keys=200, kinds=KINDS)
    lines = [json.loads(text) for text in job.read_text().splitlines()]
    for number in range(1, FAILING + 1):  # answered 400 by the fake, below
        lines.append(profile_line(CALLS + number, f"fail-{number}"))
        key_of[CALLS + number] = f"profile fail-{number}"
    write_job(job, lines)
    total = CALLS + FAILING
    with FakeTalon.in_thread() as fake:
        env = talon_env(fake)
        fake.faults.fail_next(400, times=FAILING, path_prefix="/v2/customer_profiles/fail-")
        workers = [worker(redis_url, fake), worker(redis_url, fake)]
        try:
            started = time.monotonic()
            submitter = talon_command(
                "bulk", "run", str(job), "--broker", redis_url, "--chunk-size", "250",
                "--progress-every", "1", env=env,
            )  # fmt: skip
            while len(fake.requests) < total // 3:
                assert submitter.poll() is None and time.monotonic() - started < 60
                time.sleep(0.02)
            workers[0].send_signal(signal.SIGKILL)
            out, err = submitter.communicate(timeout=120)
            elapsed = time.monotonic() - started
            assert submitter.returncode == 1, err  # the failing lines
            requests = list(fake.requests)
        finally:
            for process in workers:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            outputs = [process.communicate(timeout=30) for process in workers]
    assert workers[0].returncode == -signal.SIGKILL
    assert workers[1].returncode == 0 and outputs[1][0].endswith("worker stopped\n")
    job_id = hashlib.sha256(job.read_bytes()).hexdigest()[:32]
    with Redis.from_url(redis_url) as redis:
        resent = {int(n) for n in redis.smembers(f"talon-bulk:{job_id}:resent")}
        states = Counter(redis.hvals(f"talon-bulk:{job_id}:state"))
        counts = redis.hmget(f"talon-bulk:{job_id}:meta", ["done", "failed"])
    assert [int(n) for n in counts] == [states[b"d"], states[b"f"]] == [CALLS, FAILING]
    sent = Counter(line_of(request) for request in requests)
    assert set(sent) == set(range(1, total + 1))  # every call arrived
    twice = {number for number, count in sent.items() if count > 1}
    assert resent and twice <= resent  # only calls in flight at the kill came twice
    check_order(requests, key_of)
    assert {r.status for r in requests} <= {200, 204, 400}  # no 409: no key overlapped
    assert f"{total} lines: {CALLS} done, {FAILING} failed (BadRequestError: {FAILING})" in out
    assert f"{len(resent)} sent again, as they were in flight when an earlier run stopped" in out
    assert err.startswith("progress: ")
    failed = [json.loads(x) for x in (tmp_path / "job.failed.jsonl").read_text().splitlines()]
    assert [x["path"]["integrationId"] for x in failed] == [f"fail-{n}" for n in range(1, 6)]
    assert {x["error"]["class"] for x in failed} == {"BadRequestError"}
    print(f"{total} calls over 2 workers, one killed: {elapsed:.1f} s")
    # Submitted again, the finished job is only reported.
    again = talon_command("bulk", "run", str(job), "--broker", redis_url, env=env)
    out, _ = again.communicate(timeout=60)
    assert again.returncode == 1
    assert f"{total} skipped as already finished by an earlier run\n" in out
    assert "\n0 calls in " in out


async def test_the_task_in_a_users_own_taskiq_app(tmp_path: Path, redis_url: str) -> None:
    job, key_of = mixed_job(tmp_path / "job.jsonl", 300)
    async with FakeTalon() as fake:
        broker = stream_broker(redis_url, queue="shop-bulk")
        state: dict[str, Any] = {}

        def make_client() -> Any:
            state["client"] = fake.client()
            return state["client"]

        task = register(broker, make_client, concurrency=8)
        assert task.task_name == "talon_async.bulk.run_chunk"
        receiving = asyncio.ensure_future(
            run_receiver_task(broker, run_startup=True, max_async_tasks=2)
        )
        try:
            summary = await submit_job(
                redis_url,
                job,
                base_url=fake.url,
                auth=[ApiKeyV1(fake.api_key), Bearer(fake.manager_token)],  # fake.client()'s
                queue="shop-bulk",
                chunk_size=40,
            )
        finally:
            receiving.cancel()
            await asyncio.gather(receiving, return_exceptions=True)
            await broker.shutdown()
        assert state["client"].closed  # closed with the worker
        check_order(fake.requests, key_of)
        assert sorted(line_of(r) for r in fake.requests) == list(range(1, 301))
    assert (summary.lines, summary.done, summary.sent, summary.exit_code) == (300, 300, 300, 0)
