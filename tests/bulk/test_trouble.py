"""Bulk jobs on a bad day: a Redis that blips, restarts or is cut off, workers that stall
or get junk, two runs of one job at once, a job resumed against another deployment, a
full disk, a corrupt checkpoint, a job file that changes while it runs, lines that cannot
be encoded, Ctrl-C, 429 answers. Each test reproduces an issue with real parts (a
redis-server of its own, worker processes, a TCP proxy it cuts, a tmpfs it fills)."""

from __future__ import annotations

import asyncio
import errno
import os
import re
import signal
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from talon_async import ApiKeyV1
from talon_async.bulk import CheckpointError, JobError, _runner, run_job
from talon_async.testing import FakeTalon, RecordedRequest

from .conftest import line_of, talon_command, write_job
from .test_run import checkpoints, mixed_job, session_line


def env_of(fake: FakeTalon, **more: str) -> dict[str, str]:
    return {"TALON_BASE_URL": fake.url, "TALON_API_KEY": fake.api_key, **more}


def wait_for(condition: Callable[[], bool], *processes: subprocess.Popen[str]) -> None:
    """Until ``condition()``; fails if a process ends first or it takes over 60 s."""
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        for process in processes:
            assert process.poll() is None, process.communicate()
        time.sleep(0.02)


def test_a_second_run_of_a_running_job_is_refused_and_sends_nothing(tmp_path: Path) -> None:
    job, _ = mixed_job(tmp_path / "job.jsonl", 40)
    with FakeTalon.in_thread() as fake:
        fake.faults.delay(0.15)  # the first run takes 3 s
        first = talon_command("bulk", "run", str(job), "--concurrency", "2", env=env_of(fake))
        wait_for(lambda: len(fake.requests) >= 2, first)
        second = talon_command("bulk", "run", str(job), env=env_of(fake))
        out, err = second.communicate(timeout=60)
        assert second.returncode == 2 and out == ""
        assert err.count("\n") == 1
        assert "job.jsonl is being run by another process right now" in err
        first_out, _ = first.communicate(timeout=60)
        assert first.returncode == 0
        assert len(fake.requests) == 40  # 200 lines -> 400 requests, before
    assert first_out.startswith("40 lines: 40 done, 0 failed\n")


def test_a_job_run_against_another_deployment_is_refused_unless_restarted(tmp_path: Path) -> None:
    job, _ = mixed_job(tmp_path / "job.jsonl", 6)
    with FakeTalon.in_thread() as staging, FakeTalon.in_thread() as production:
        ran = talon_command("bulk", "run", str(job), env=env_of(staging))
        assert ran.communicate(timeout=60)[0].startswith("6 lines: 6 done")
        for env, where in [
            (env_of(production), staging.url),
            ({**env_of(staging), "TALON_API_KEY": "another-key"}, "another API key"),
        ]:
            again = talon_command("bulk", "run", str(job), env=env)
            out, err = again.communicate(timeout=60)
            assert again.returncode == 2 and out == "" and err.count("\n") == 1
            assert f"records a run of this job against {where}" in err
            assert "pass --restart to start a new run" in err
        assert production.requests == [] and len(staging.requests) == 6
        restarted = talon_command("bulk", "run", str(job), "--restart", env=env_of(production))
        out, _ = restarted.communicate(timeout=60)
        assert restarted.returncode == 0 and len(production.requests) == 6
    assert out.startswith("6 lines: 6 done, 0 failed\n6 calls in ")
    checkpoint = next(tmp_path.glob("job.jsonl.*.checkpoint")).read_text()
    assert "another-key" not in checkpoint and staging.api_key not in checkpoint


def sent_twice_only_if_reported(requests: list[RecordedRequest], resent: set[int]) -> None:
    sent = Counter(line_of(request) for request in requests)
    twice = {number for number, count in sent.items() if count > 1}
    assert twice <= resent, (twice, resent)


def in_flight(checkpoint: Path) -> set[int]:
    """The lines a checkpoint records as started and not finished (a torn tail left out)."""
    started: set[int] = set()
    for record in checkpoint.read_text().split("\n")[1:-1]:
        kind, number = record.split(" ")[:2]
        (started.add if kind == "started" else started.discard)(int(number))
    return started


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs, mounted for the test (skipped where mounting is not permitted; the
    injected short write below always runs)."""
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_full_disk_stops_the_run_and_the_next_run_resumes(
    tmp_path: Path, small_disk: Path
) -> None:
    job, _ = mixed_job(tmp_path / "job.jsonl", 600)
    checkpoint = small_disk / "job.checkpoint"
    filler = small_disk / "filler"
    filler.write_bytes(b"x" * (64 * 1024 - 6000))  # leaves room for ~400 records
    with FakeTalon.in_thread() as fake:
        env = env_of(fake)
        first = talon_command("bulk", "run", str(job), "--checkpoint", str(checkpoint), env=env)
        out, err = first.communicate(timeout=60)
        assert first.returncode == 2 and out == "" and err.count("\n") == 1, err
        assert f"cannot write the checkpoint {checkpoint}: No space left on device" in err
        assert 0 < len(fake.requests) < 600
        resent = in_flight(checkpoint)
        filler.unlink()
        second = talon_command("bulk", "run", str(job), "--checkpoint", str(checkpoint), env=env)
        out, err = second.communicate(timeout=60)
        assert second.returncode == 0, err
        requests = list(fake.requests)
    assert out.startswith("600 lines: 600 done, 0 failed\n")
    assert sorted(set(map(line_of, requests))) == list(range(1, 601))
    assert f"{len(resent)} sent again, as they were in flight" in out
    sent_twice_only_if_reported(requests, resent)


class _ShortWrites:
    """``os`` as the checkpoint sees it, with a disk that fills up after ``room`` bytes:
    the write that crosses the limit is short, the next one fails with ENOSPC."""

    def __init__(self, room: int) -> None:
        self.room = room

    def write(self, fd: int, data: bytes) -> int:
        if self.room <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written = os.write(fd, bytes(data[: self.room]))
        self.room -= written
        return written

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)


async def test_a_short_write_leaves_a_torn_record_that_the_next_run_drops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    job, _ = mixed_job(tmp_path / "job.jsonl", 60)
    async with FakeTalon() as fake, fake.client() as client:
        with monkeypatch.context() as patch:
            patch.setattr(_runner, "os", _ShortWrites(room=500))
            with pytest.raises(CheckpointError, match="No space left on device"):
                await run_job(client, job, concurrency=4)
        [checkpoint] = checkpoints(tmp_path, "checkpoint")
        assert not checkpoint.read_bytes().endswith(b"\n")  # the torn record
        first = len(fake.requests)
        summary = await run_job(client, job, concurrency=4)
        assert 0 < first < 60 and summary.skipped > 0
        assert (summary.done, summary.exit_code) == (60, 0)
        sent_twice_only_if_reported(list(fake.requests), set(summary.resent))


async def test_a_corrupt_checkpoint_is_one_clear_error(tmp_path: Path) -> None:
    job, _ = mixed_job(tmp_path / "job.jsonl", 6)
    async with FakeTalon() as fake, fake.client(auth=ApiKeyV1(fake.api_key)) as client:
        await run_job(client, job)
        [checkpoint] = checkpoints(tmp_path, "checkpoint")
        whole = checkpoint.read_bytes()
        for junk in [b"\xff\xfe", b"done x", b"failed 3 [1]", b"started 2 3"]:
            records = whole.split(b"\n")
            checkpoint.write_bytes(b"\n".join([*records[:3], junk, *records[3:]]))
            with pytest.raises(CheckpointError, match="is corrupt at line 4") as raised:
                await run_job(client, job)
            assert "\n" not in str(raised.value)
        assert len(fake.requests) == 6
        env = {"TALON_BASE_URL": fake.url, "TALON_API_KEY": fake.api_key}
        command = talon_command("bulk", "run", str(job), env=env)
        out, err = await asyncio.to_thread(command.communicate, timeout=60)
        assert command.returncode == 2 and out == "" and err.count("\n") == 1
        assert "is corrupt at line 4 (b'started 2 3'); pass --restart" in err
        assert len(fake.requests) == 6


def profile_text(number: int, attributes: str) -> str:
    """A profile update whose attributes are the JSON text ``attributes``, as written."""
    path = f'"path": {{"integrationId": "p-{number}"}}'
    body = f'"body": {{"attributes": {attributes}}}'
    return f'{{"operationId": "updateCustomerProfileV2", {path}, {body}}}'


async def test_an_integer_outside_64_bits_fails_the_check(tmp_path: Path) -> None:
    job = write_job(
        tmp_path / "job.jsonl",
        [
            session_line(1, "a"),
            profile_text(2, '{"n": 18446744073709551616}'),  # orjson reads it as a float
            profile_text(3, '{"n": [1, -9223372036854775809]}'),
            profile_text(4, '{"n": 18446744073709551615, "id": "12345678901234567890123"}'),
        ],
    )
    async with FakeTalon() as fake, fake.client() as client:
        with pytest.raises(JobError) as raised:
            await run_job(client, job)
        assert fake.requests == []
    assert [str(problem) for problem in raised.value.problems] == [
        "line 2: body.attributes.n: the integer 18446744073709551616 is outside the 64-bit range",
        "line 3: body.attributes.n[1]: the integer -9223372036854775809 is outside the 64-bit "
        "range",
    ]


async def test_a_body_too_deep_to_encode_fails_the_check_naming_the_field(tmp_path: Path) -> None:
    deep = '{"a": ' * 300 + "1" + "}" * 300  # orjson reads 1024 levels, writes 254
    job = write_job(tmp_path / "job.jsonl", [session_line(1, "a"), profile_text(2, deep)])
    async with FakeTalon() as fake, fake.client() as client:
        with pytest.raises(JobError) as raised:
            await run_job(client, job)
        assert fake.requests == []
    [problem] = raised.value.problems
    assert problem.line == 2 and "attributes" in problem.reason


async def test_the_job_file_is_read_once(tmp_path: Path) -> None:
    job, _ = mixed_job(tmp_path / "job.jsonl", 1000)  # more than a read buffer holds
    original = job.read_bytes()
    async with FakeTalon() as fake, fake.client() as client:
        running = asyncio.ensure_future(run_job(client, job, concurrency=1))
        while not fake.requests:  # noqa: ASYNC110 - the fake records from its own loop
            await asyncio.sleep(0.001)
        write_job(job, ['{"operationId": "nope"}'] * 2000)  # changed while it runs
        summary = await running
        received = [line_of(request) for request in fake.requests]
        job.write_bytes(original)  # what was sent was the file as it was checked: all done
        assert (await run_job(client, job)).skipped == 1000
    assert (summary.lines, summary.done, summary.exit_code) == (1000, 1000, 0)
    assert sorted(received) == list(range(1, 1001))


def test_a_return_sent_again_after_a_crash_carries_the_same_idempotency_key(
    tmp_path: Path,
) -> None:
    returns = {
        "operationId": "returnCartItems",
        "path": {"customerSessionId": "s-1"},
        "body": {"return": {"returnedCartItems": [{"position": 0}]}},
    }
    job = write_job(
        tmp_path / "job.jsonl", [returns, {**returns, "path": {"customerSessionId": "s-2"}}]
    )
    with FakeTalon.in_thread() as fake:
        fake.faults.delay(60, times=1, path_prefix="/v2/customer_sessions/s-1/returns")
        first = talon_command("bulk", "run", str(job), env=env_of(fake))
        wait_for(lambda: len(fake.requests) == 2, first)
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=10)
        again = talon_command("bulk", "run", str(job), env=env_of(fake))
        out, _ = again.communicate(timeout=60)
        keys = [(r.path, r.headers["Idempotency-Key"]) for r in fake.requests]
    # Line 2 may have been in flight at the kill too.
    assert re.search(
        r"sent again, as they were in flight when an earlier run stopped: lines 1\b", out
    )
    # Sent before the kill, then again (and retried: the fake still holds the first one).
    [first_key, *again_keys] = [key for path, key in keys if "/s-1/" in path]
    other = {key for path, key in keys if "/s-2/" in path}
    assert again_keys and set(again_keys) == {first_key} and len(other) == 1
    assert first_key not in other
    assert str(uuid.UUID(first_key)) == first_key


def test_ctrl_c_lets_the_calls_in_flight_finish_and_the_resume_sends_nothing_twice(
    tmp_path: Path,
) -> None:
    job, _ = mixed_job(tmp_path / "job.jsonl", 30)
    with FakeTalon.in_thread() as fake:
        fake.faults.delay(0.5)
        first = talon_command("bulk", "run", str(job), "--concurrency", "4", env=env_of(fake))
        wait_for(lambda: len(fake.requests) >= 4, first)
        first.send_signal(signal.SIGINT)
        out, err = first.communicate(timeout=60)
        assert first.returncode == 130, err
        arrived = list(fake.requests)
        assert None not in {request.status for request in arrived}  # none cut
        assert in_flight(next(tmp_path.glob("job.jsonl.*.checkpoint"))) == set()
        assert "stopping: no new calls; waiting for those in flight" in err
        assert f"interrupted: {30 - len(arrived)} not finished; run the same command" in out
        fake.faults.clear()
        again = talon_command("bulk", "run", str(job), env=env_of(fake))
        out, _ = again.communicate(timeout=60)
        sent = Counter(line_of(request) for request in fake.requests)
    assert again.returncode == 0 and "sent again" not in out
    assert sorted(sent) == list(range(1, 31)) and set(sent.values()) == {1}


async def test_a_rate_spaces_the_calls_of_a_job(tmp_path: Path) -> None:
    job, _ = mixed_job(tmp_path / "job.jsonl", 30)
    async with FakeTalon() as fake, fake.client() as client:
        started = time.monotonic()
        summary = await run_job(client, job, rate=50)
        elapsed = time.monotonic() - started
    assert summary.done == 30 and elapsed >= 29 / 50 * 0.9


def test_usage_bulk_without_a_command_and_the_help_texts() -> None:
    bare = talon_command("bulk")
    out, err = bare.communicate(timeout=30)
    assert bare.returncode == 2 and out == ""
    assert err.startswith("usage: python -m talon_async bulk [-h] COMMAND ...\n")
    assert "error: a command is needed: run (python -m talon_async bulk run JOB)" in err
    assert "bulk_command" not in err
    worker = talon_command("worker", "--help")
    out, _ = worker.communicate(timeout=30)
    flat = " ".join(out.split())
    assert "--broker REDIS_URL the Redis of the queue (default: $TALON_BULK_BROKER" in flat
    assert "--queue QUEUE the Redis stream of the tasks (default: talon-bulk)" in flat
    run = talon_command("bulk", "run", "--help")
    out, _ = run.communicate(timeout=30)
    flat = " ".join(out.split())
    assert "(default: JOB.failed.jsonl; JOB.dry-failed.jsonl with --dry)" in flat


async def test_a_dry_run_writes_its_failures_apart(tmp_path: Path) -> None:
    job, _ = mixed_job(tmp_path / "job.jsonl", 3, kinds="s")
    async with FakeTalon() as fake, fake.client() as client:
        fake.faults.fail_next(400)
        summary = await run_job(client, job, dry=True)
    assert summary.failures_path == tmp_path / "job.dry-failed.jsonl"
    assert not (tmp_path / "job.failed.jsonl").exists()
