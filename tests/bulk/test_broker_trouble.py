"""Workers and submitters on a bad day: a worker cut off from Redis or stalled while its
calls are in flight, two submitters of one job, junk in the queue, a Redis that stops,
restarts or wants a password, a worker stopped with SIGTERM, a rate for the whole job
and a 429. Real redis-servers of the tests' own, real worker processes."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from redis import Redis

from talon_async.testing import FakeTalon, RecordedRequest

from .conftest import Gate, RedisProcess, line_of, talon_command, write_job
from .test_run import mixed_job, session_line
from .test_trouble import env_of, wait_for


def start_worker(
    redis_url: str | None, fake: FakeTalon, *extra: str, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    """A worker process (reclaim after 1 s), once it serves."""
    broker = ["--broker", redis_url] if redis_url else []
    process = talon_command(
        "worker",
        *broker,
        "--reclaim-after",
        "1",
        *extra,
        env={**env_of(fake), "PYTHONFAULTHANDLER": "1", **(env or {})},
    )
    assert process.stdout is not None
    SERVING[process.pid] = process.stdout.readline()
    assert SERVING[process.pid].startswith("worker "), process.communicate()
    return process


SERVING: dict[int, str] = {}
"""The first line each worker wrote: ``worker NAME serving queue 'Q' on URL``."""


def stop(*processes: subprocess.Popen[str]) -> list[tuple[str, str]]:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGCONT)
            process.send_signal(signal.SIGTERM)
    return [_ended(process) for process in processes]


def _ended(process: subprocess.Popen[str]) -> tuple[str, str]:
    try:
        return process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)  # PYTHONFAULTHANDLER: its stacks to stderr
        pytest.fail(f"{process.args!r} did not stop:\n{process.communicate()[1][-5000:]}")


def submit(job: Path, redis_url: str, fake: FakeTalon) -> str:
    """``bulk run JOB --broker``, that must succeed; its output."""
    command = talon_command("bulk", "run", str(job), "--broker", redis_url, env=env_of(fake))
    out, err = command.communicate(timeout=60)
    assert command.returncode == 0, err
    return out


def job_record(redis_url: str) -> dict[str, object]:
    """The one job in Redis: its line states, counts and lines sent again."""
    with Redis.from_url(redis_url) as redis:
        [meta] = redis.keys("talon-bulk:*:meta")
        prefix = meta.decode().removesuffix("meta")
        states = Counter(redis.hvals(prefix + "state"))
        done, failed = (int(x or 0) for x in redis.hmget(meta, ["done", "failed"]))
        resent = {int(n) for n in redis.smembers(prefix + "resent")}
    assert (done, failed) == (states[b"d"], states[b"f"])  # the totals count line states
    return {"done": done, "failed": failed, "resent": resent, "states": states}


def no_unreported_twice(requests: list[RecordedRequest], resent: object) -> Counter[int]:
    sent = Counter(line_of(request) for request in requests)
    assert {n for n, count in sent.items() if count > 1} <= resent  # type: ignore[operator]
    return sent


@pytest.mark.parametrize("trouble", ["a Redis blip", "a stall"])
def test_a_worker_that_loses_its_lease_mid_call_starts_no_call_another_worker_makes(
    tmp_path: Path, own_redis: RedisProcess, trouble: str
) -> None:
    # One session: one chunk, its calls one at a time. Its second call takes 2 s; during
    # it the first worker is cut off from Redis for 1.5 s (its lease, 1 s, runs out), or
    # stopped for 2.5 s; the second worker takes the chunk over.
    job = write_job(tmp_path / "job.jsonl", [session_line(n, "s") for n in range(1, 7)])
    gate = Gate(own_redis.port)
    with FakeTalon.in_thread() as fake:
        first = start_worker(gate.url(own_redis.url), fake)
        fake.faults.delay(0, times=1)  # the first call is not delayed, the second is
        fake.faults.delay(2.0, times=1)
        submitter = talon_command(
            "bulk", "run", str(job), "--broker", own_redis.url, env=env_of(fake)
        )
        wait_for(lambda: len(fake.requests) >= 2, submitter)
        second = start_worker(own_redis.url, fake)
        if trouble == "a stall":
            first.send_signal(signal.SIGSTOP)
            time.sleep(2.5)
            first.send_signal(signal.SIGCONT)
        else:
            gate.cut()
            time.sleep(1.5)
            gate.mend()
        out, err = submitter.communicate(timeout=60)
        requests = list(fake.requests)
        stop(first, second)
        gate.close()
    record = job_record(own_redis.url)
    assert submitter.returncode == 0, err
    assert out.startswith("6 lines: 6 done, 0 failed\n")
    assert record["done"] == 6
    sent = no_unreported_twice(requests, record["resent"])
    assert sorted(sent) == list(range(1, 7))
    # The line sent again may overlap its first call, still at the API: 409, retried.
    assert {request.status for request in requests} <= {200, 409}


def test_two_submitters_of_one_job_send_every_line_once(
    tmp_path: Path, own_redis: RedisProcess
) -> None:
    job, _ = mixed_job(tmp_path / "job.jsonl", 3000)
    with FakeTalon.in_thread() as fake:
        workers = [start_worker(own_redis.url, fake) for _ in range(2)]
        args = ("bulk", "run", str(job), "--broker", own_redis.url, "--chunk-size", "100")
        submitters = [talon_command(*args, env=env_of(fake)) for _ in range(2)]
        outputs = [submitter.communicate(timeout=120) for submitter in submitters]
        requests = list(fake.requests)
        stop(*workers)
    record = job_record(own_redis.url)
    for submitter, (out, err) in zip(submitters, outputs, strict=True):
        assert submitter.returncode == 0, err
        assert out.startswith("3000 lines: 3000 done, 0 failed\n")
        assert "sent again" not in out
    sent = Counter(line_of(request) for request in requests)
    assert sorted(sent) == list(range(1, 3001)) and set(sent.values()) == {1}
    assert record["done"] == 3000 and record["resent"] == set()


def test_junk_in_the_queue_is_put_aside_once_and_a_stopped_redis_is_waited_for(
    tmp_path: Path, own_redis: RedisProcess
) -> None:
    from taskiq import TaskiqMessage

    from talon_async.bulk.taskiq import TASK_NAME, stream_broker

    bad_task = TaskiqMessage(
        task_id="t", task_name=TASK_NAME, labels={}, args=["job", 7], kwargs={}
    )
    with Redis.from_url(own_redis.url) as redis:
        redis.xadd("talon-bulk", {"nodata": "1"})
        redis.xadd("talon-bulk", {"data": b"\xff not a message"})
        redis.xadd(
            "talon-bulk", {"data": stream_broker(own_redis.url).formatter.dumps(bad_task).message}
        )
    job, _ = mixed_job(tmp_path / "job.jsonl", 30)
    with FakeTalon.in_thread() as fake:
        worker = start_worker(own_redis.url, fake)
        submit(job, own_redis.url, fake)
        connections = own_redis.clients()
        own_redis.stop()
        time.sleep(1.5)  # the worker tries again and again meanwhile
        own_redis.start()
        other, _ = mixed_job(tmp_path / "other.jsonl", 31)
        submit(other, own_redis.url, fake)
        assert own_redis.clients() <= connections
        [(_, err)] = stop(worker)
    assert worker.returncode == 0
    with Redis.from_url(own_redis.url) as redis:
        dead = [json.loads(entry) for entry in redis.lrange("talon-bulk:dead", 0, -1)]
        assert redis.xpending("talon-bulk", "talon-bulk")["pending"] == 0
    assert sorted(entry["reason"] for entry in dead) == [
        "a bulk task whose arguments are not (job id, run id, chunk number)",
        "not a taskiq message (UnicodeDecodeError)",
        "the entry has no data field",
    ]
    lines = err.splitlines()
    assert len([line for line in lines if "is not a task" in line]) == 3
    retrying = [line for line in lines if "(retrying)" in line]
    # A line when the queue's outage starts and one when it ends, not one per attempt. A
    # connection the pool kept from before the restart can fail once more just after it
    # (a second, short outage: two lines each at most); a chunk that was running when
    # Redis went away says so once too (how many were running depends on the timing).
    back = [line for line in lines if "reachable again" in line]
    for said in (retrying, back):
        assert 1 <= len([line for line in said if "queue 'talon-bulk'" in line]) <= 2
        assert len(said) <= 2 + 4  # the worker runs at most 4 chunks at once
    assert "Traceback" not in err


def test_a_wrong_password_is_one_log_line_not_a_restart_loop(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    redis = RedisProcess(tmp_path_factory.mktemp("redis"), password="right-password")
    redis.start()
    try:
        with FakeTalon.in_thread() as fake:
            url = f"redis://:wrong-password@127.0.0.1:{redis.port}/0"
            worker = start_worker(url, fake)
            for _ in range(5):  # no connection piles up: at most the one being refused
                time.sleep(0.5)
                assert redis.clients() <= 1
            [(out, err)] = stop(worker)
    finally:
        redis.stop()
    assert worker.returncode == 0 and "Traceback" not in err
    [logged] = [line for line in err.splitlines() if not line.startswith("stopping: ")]
    assert "WARNING talon_async.bulk: queue 'talon-bulk': AuthenticationError: " in logged
    assert "wrong-password" not in SERVING[worker.pid] + out + err
    assert "redis://:***@127.0.0.1:" in SERVING[worker.pid]


def test_the_submitter_and_the_workers_ride_out_a_redis_restart(
    tmp_path: Path, own_redis: RedisProcess
) -> None:
    job, _ = mixed_job(tmp_path / "job.jsonl", 300)
    with FakeTalon.in_thread() as fake:
        fake.faults.delay(0.005)
        workers = [start_worker(own_redis.url, fake, "--concurrency", "4") for _ in range(2)]
        args = ("bulk", "run", str(job), "--broker", own_redis.url, "--chunk-size", "30")
        submitter = talon_command(*args, env=env_of(fake))
        wait_for(lambda: len(fake.requests) >= 100, submitter)
        own_redis.stop()
        time.sleep(1)
        own_redis.start()
        out, err = submitter.communicate(timeout=120)
        requests = list(fake.requests)
        stop(*workers)
    assert submitter.returncode == 0, err
    assert out.startswith("300 lines: 300 done, 0 failed\n")
    record = job_record(own_redis.url)
    sent = no_unreported_twice(requests, record["resent"])
    assert sorted(sent) == list(range(1, 301))


def test_the_broker_url_comes_from_the_environment_and_is_never_shown(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    redis = RedisProcess(tmp_path_factory.mktemp("redis"), password="s3cret-pass")
    redis.start()
    job, _ = mixed_job(tmp_path / "job.jsonl", 20)
    try:
        with FakeTalon.in_thread() as fake:
            env = {"TALON_BULK_BROKER": redis.url}
            worker = start_worker(None, fake, env=env)
            submitter = talon_command("bulk", "run", str(job), "--broker", env=env_of(fake, **env))
            out, err = submitter.communicate(timeout=60)
            [(worker_out, worker_err)] = stop(worker)
            assert len(fake.requests) == 20
    finally:
        redis.stop()
    assert submitter.returncode == 0 and out.startswith("20 lines: 20 done")
    assert "s3cret" not in out + err + SERVING[worker.pid] + worker_out + worker_err
    assert SERVING[worker.pid].endswith(f" on redis://:***@127.0.0.1:{redis.port}/0\n")
    assert "--broker" not in worker.args  # type: ignore[operator]


def test_a_worker_stopped_with_sigterm_finishes_its_calls_in_flight(
    tmp_path: Path, own_redis: RedisProcess
) -> None:
    job, _ = mixed_job(tmp_path / "job.jsonl", 40)
    with FakeTalon.in_thread() as fake:
        fake.faults.delay(0.5)
        first = start_worker(own_redis.url, fake, "--concurrency", "4", "--tasks", "1")
        submitter = talon_command(
            "bulk", "run", str(job), "--broker", own_redis.url, env=env_of(fake)
        )
        wait_for(lambda: len(fake.requests) >= 4, submitter)
        [(out, _)] = stop(first)
        assert first.returncode == 0 and out.endswith("worker stopped\n")
        arrived = list(fake.requests)
        assert None not in {request.status for request in arrived}  # none cut
        record = job_record(own_redis.url)
        assert record["states"] == Counter({b"d": len(arrived)})  # all recorded
        second = start_worker(own_redis.url, fake)
        out, err = submitter.communicate(timeout=60)
        requests = list(fake.requests)
        stop(second)
    assert submitter.returncode == 0, err
    assert out.startswith("40 lines: 40 done, 0 failed\n") and "sent again" not in out
    sent = Counter(line_of(request) for request in requests)
    assert sorted(sent) == list(range(1, 41)) and set(sent.values()) == {1}


def test_a_429_pauses_every_worker_of_the_job_and_halves_its_rate(
    tmp_path: Path, own_redis: RedisProcess
) -> None:
    job, _ = mixed_job(tmp_path / "job.jsonl", 40)
    arrivals: list[tuple[float, int | None]] = []

    def arrived(request: RecordedRequest) -> None:
        arrivals.append((time.monotonic() - (request.duration or 0), request.status))

    with FakeTalon.in_thread(on_request=arrived) as fake:
        workers = [start_worker(own_redis.url, fake) for _ in range(2)]
        args = ("bulk", "run", str(job), "--broker", own_redis.url, "--chunk-size", "5")
        fake.faults.fail_next(429, retry_after=1)  # the first call
        submitter = talon_command(*args, "--rate", "40/s", env=env_of(fake))
        out, err = submitter.communicate(timeout=60)
        stop(*workers)
    assert submitter.returncode == 0, err
    assert out.startswith("40 lines: 40 done, 0 failed\n")
    arrivals.sort()
    assert len(arrivals) == 41
    [throttled] = [moment for moment, status in arrivals if status == 429]
    # Both workers wait for the Retry-After ...
    assert not [moment for moment, _ in arrivals if throttled + 0.1 < moment < throttled + 0.9]
    # ... then go on at half the rate: 20 calls a second for the two together.
    after = [moment for moment, _ in arrivals if moment > throttled + 0.1]
    assert len(after) == 40 and after[-1] - after[0] >= 39 / 20 * 0.9
