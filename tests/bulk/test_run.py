"""One process: calls ordered per key, the checkpoint, a resume after kill -9, failures,
dry runs, the summary, progress and the command's exit codes."""

from __future__ import annotations

import hashlib
import io
import json
import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest

from talon_async import TalonClient
from talon_async.bulk import CheckpointError, run_job
from talon_async.bulk._progress import Progress
from talon_async.bulk._runner import Checkpoint, default_checkpoint
from talon_async.testing import FakeTalon

from .conftest import check_order, line_of, talon_command, write_job


def session_line(number: int, session: str) -> dict[str, Any]:
    return {
        "operationId": "updateCustomerSessionV2",
        "path": {"customerSessionId": session},
        "body": {"customerSession": {"profileId": "p-" + session, "attributes": {"line": number}}},
    }


def profile_line(number: int, profile: str) -> dict[str, Any]:
    return {
        "operationId": "updateCustomerProfileV2",
        "path": {"integrationId": profile},
        "body": {"attributes": {"line": number}},
    }


def bulk_line(number: int) -> dict[str, Any]:
    return {
        "operationId": "updateCustomerProfilesV2",
        "query": {"silent": "yes"},
        "body": {
            "customerProfiles": [{"integrationId": f"b-{number}", "attributes": {"line": number}}]
        },
    }


async def checkpoint_header(digest: str, client: TalonClient, *, dry: bool = False) -> str:
    """The first line of the checkpoint of the job ``digest`` run with ``client``."""
    from talon_async.bulk._runner import client_fingerprint

    header = {
        "job": digest,
        "dry": dry,
        "base_url": client.base_url,
        "target": await client_fingerprint(client),
    }
    return "talon-bulk-checkpoint 2 " + orjson.dumps(header).decode()


def checkpoints(folder: Path, suffix: str) -> list[Path]:
    return sorted(folder.glob(f"job.jsonl.*.{suffix}"))


def mixed_job(
    path: Path, count: int, keys: int = 10, kinds: str = "spb"
) -> tuple[Path, dict[int, str]]:
    """``count`` lines taking turns through ``kinds``: s a session update, p a profile
    update, b a silent bulk update of one profile; returns the job and each line's key."""
    lines: list[dict[str, Any]] = []
    key_of: dict[int, str] = {}
    for number in range(1, count + 1):
        kind = kinds[number % len(kinds)]
        name = f"k-{number % keys}"
        if kind == "s":
            lines.append(session_line(number, name))
            key_of[number] = "session " + name
        elif kind == "p":
            lines.append(profile_line(number, name))
            key_of[number] = "profile " + name
        else:
            lines.append(bulk_line(number))
            key_of[number] = f"line {number}"
    return write_job(path, lines), key_of


async def test_a_mixed_job_runs_each_key_in_file_order(tmp_path: Path) -> None:
    job, key_of = mixed_job(tmp_path / "job.jsonl", 600)
    async with FakeTalon() as fake, fake.client(strict_responses=True) as client:
        fake.faults.delay(0.002)  # so that calls overlap
        summary = await run_job(client, job, concurrency=16)
        assert {request.status for request in fake.requests} == {200, 204}  # no 409
        assert sorted(line_of(r) for r in fake.requests) == list(range(1, 601))
        check_order(fake.requests, key_of)
        for name in (f"k-{n}" for n in range(10)):
            last_session = max(n for n, key in key_of.items() if key == f"session {name}")
            assert fake.sessions[name]["attributes"]["line"] == last_session
            last_profile = max(n for n, key in key_of.items() if key == f"profile {name}")
            assert fake.profiles[name]["attributes"]["line"] == last_profile
    assert summary.lines == summary.done == summary.sent == 600
    assert summary.failed == {} and summary.skipped == 0 and summary.resent == ()
    assert summary.exit_code == 0 and summary.failures_path is None
    assert summary.rate > 0 and summary.elapsed > 0
    assert summary.report().startswith("600 lines: 600 done, 0 failed\n600 calls in 0:00:")


async def test_a_rerun_sends_nothing_again(tmp_path: Path) -> None:
    job, _ = mixed_job(tmp_path / "job.jsonl", 30)
    async with FakeTalon() as fake, fake.client() as client:
        await run_job(client, job)
        again = await run_job(client, job)
        assert len(fake.requests) == 30
    assert (again.done, again.skipped, again.sent, again.exit_code) == (30, 30, 0, 0)
    assert "30 skipped as already finished by an earlier run" in again.report()


async def test_a_resume_resends_only_the_calls_in_flight(tmp_path: Path) -> None:
    job, _ = mixed_job(tmp_path / "job.jsonl", 6)
    digest = hashlib.sha256(job.read_bytes()).hexdigest()
    checkpoint = default_checkpoint(job, digest, dry=False)
    assert checkpoint.name == f"job.jsonl.{digest[:16]}.checkpoint"
    async with FakeTalon() as fake, fake.client() as client:
        # What a process killed while lines 2 and 4 were in flight leaves behind, its
        # last record torn in the middle.
        checkpoint.write_text(
            await checkpoint_header(digest, client)
            + "\nstarted 1\nstarted 2\ndone 1\nstarted 3\nstarted 4\n"
            'failed 3 {"class":"ConflictError","status":409,"message":"busy"}\ndone 5'
        )
        summary = await run_job(client, job)
        assert sorted(line_of(r) for r in fake.requests) == [2, 4, 5, 6]
    assert summary.resent == (2, 4) and summary.skipped == 2
    assert (summary.done, summary.failed, summary.sent) == (5, {"ConflictError": 1}, 4)
    assert summary.exit_code == 1
    assert "2 sent again, as they were in flight when an earlier run stopped: lines 2, 4" in (
        summary.report()
    )
    failed = [json.loads(x) for x in (tmp_path / "job.failed.jsonl").read_text().splitlines()]
    error = {"class": "ConflictError", "status": 409, "message": "busy"}
    assert failed == [{**session_line(3, "k-3"), "error": error}]


async def test_a_checkpoint_belongs_to_one_job_content(tmp_path: Path) -> None:
    job, _ = mixed_job(tmp_path / "job.jsonl", 3)
    other = tmp_path / "other.checkpoint"
    async with FakeTalon() as fake, fake.client() as client:
        other.write_text(await checkpoint_header("abc", client) + "\ndone 1\n")
        with pytest.raises(CheckpointError, match="is not the checkpoint of this job file"):
            await run_job(client, job, checkpoint=other)
        assert fake.requests == []
        await run_job(client, job)
        mixed_job(job, 4)  # the file changes: its progress starts afresh, in another file
        summary = await run_job(client, job)
    assert (summary.skipped, summary.sent) == (0, 4)
    assert len(checkpoints(tmp_path, "checkpoint")) == 2


async def test_failures_go_to_a_file_that_is_itself_a_job(tmp_path: Path) -> None:
    job = write_job(
        tmp_path / "job.jsonl",
        [
            profile_line(1, "a"),
            {"operationId": "deleteCustomerData", "path": {"integrationId": "nobody"}},
            profile_line(3, "b"),
            profile_line(4, "c"),
        ],
    )
    async with FakeTalon() as fake, fake.client() as client:
        fake.faults.fail_next(400, path_prefix="/v2/customer_profiles/b")
        summary = await run_job(client, job)
        assert summary.failed == {"BadRequestError": 1, "NotFoundError": 1}
        assert summary.done == 2 and summary.exit_code == 1
        assert summary.failures_path == tmp_path / "job.failed.jsonl"
        failed = [json.loads(x) for x in summary.failures_path.read_text().splitlines()]
        assert [x["operationId"] for x in failed] == [
            "deleteCustomerData",
            "updateCustomerProfileV2",
        ]
        assert failed[1]["path"] == {"integrationId": "b"}
        assert failed[1]["error"]["class"] == "BadRequestError"
        assert failed[1]["error"]["status"] == 400
        assert failed[1]["error"]["message"].startswith("400 from PUT http://127.0.0.1:")
        assert failed[0]["error"]["status"] == 404
        fake.add_profile("nobody")
        retry = await run_job(client, summary.failures_path)
    assert (retry.lines, retry.done, retry.exit_code) == (2, 2, 0)


async def test_a_dry_run_adds_dry_and_sends_no_other_line(tmp_path: Path) -> None:
    job = write_job(
        tmp_path / "job.jsonl",
        [
            session_line(1, "s"),
            bulk_line(2),
            {**profile_line(3, "p"), "query": {"runRuleEngine": True, "dry": False}},
        ],
    )
    async with FakeTalon() as fake, fake.client() as client:
        summary = await run_job(client, job, dry=True)
        assert [(r.path, r.query) for r in fake.requests] == [
            ("/v2/customer_sessions/s", {"dry": "true"}),
            ("/v2/customer_profiles/p", {"runRuleEngine": "true", "dry": "true"}),
        ]
        assert fake.sessions == {} and "p" not in fake.profiles  # a dry run stores nothing
    assert (summary.lines, summary.done, summary.no_dry_run) == (3, 2, 1)
    assert "1 not sent: their operation has no dry run" in summary.report()
    assert len(checkpoints(tmp_path, "dry-checkpoint")) == 1
    assert not checkpoints(tmp_path, "checkpoint")


def test_progress_is_a_live_line_on_a_terminal_and_plain_lines_elsewhere() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    live = Progress(100, terminal)
    live.update(10, 1, force=True)
    live.close(99, 1)
    assert terminal.getvalue().startswith("\r11/100 calls: 10 done, 1 failed, ")
    assert "\r100/100 calls: 99 done, 1 failed, " in terminal.getvalue()
    assert terminal.getvalue().endswith("ETA 0:00:00\x1b[K\n")
    log = io.StringIO()
    plain = Progress(100, log, every=3600)
    plain.update(5, 0)  # not yet time for a line
    plain.close(50, 0)
    assert log.getvalue().startswith("progress: 50/100 calls: 50 done, 0 failed, ")
    assert log.getvalue().count("\n") == 1


def test_kill_9_then_the_same_command_resumes(tmp_path: Path) -> None:
    job, key_of = mixed_job(tmp_path / "job.jsonl", 2000, keys=40)
    with FakeTalon.in_thread() as fake:
        fake.faults.delay(0.01)
        env = {"TALON_BASE_URL": fake.url, "TALON_API_KEY": fake.api_key}
        first = talon_command("bulk", "run", str(job), "--concurrency", "8", env=env)
        checkpoint = next(iter(tmp_path.glob("job.jsonl.*.checkpoint")), None)
        deadline = time.monotonic() + 30
        while checkpoint is None or checkpoint.read_text().count("done ") < 300:
            assert time.monotonic() < deadline and first.poll() is None
            time.sleep(0.02)
            checkpoint = next(iter(tmp_path.glob("job.jsonl.*.checkpoint")), None)
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=10)
        assert first.returncode == -signal.SIGKILL
        header = orjson.loads(checkpoint.read_text().split("\n")[0].split(" ", 2)[2])
        book = Checkpoint(
            checkpoint,
            header["job"],
            dry=False,
            base_url=header["base_url"],
            target=header["target"],
        )
        book.close()
        acknowledged, in_flight = set(book.done_lines), set(book.in_flight)
        assert 300 <= len(acknowledged) < 2000 and in_flight
        second = talon_command("bulk", "run", str(job), "--concurrency", "8", env=env)
        out, err = second.communicate(timeout=60)
        assert second.returncode == 0, err
        sent = Counter(line_of(r) for r in fake.requests)
        check_order(fake.requests, key_of)
    assert set(sent) == set(range(1, 2001))  # every call arrived
    twice = {number for number, count in sent.items() if count > 1}
    assert twice <= in_flight  # only calls in flight at the kill came twice
    assert all(sent[number] == 1 for number in acknowledged)
    shown = ", ".join(map(str, sorted(in_flight)[:20]))
    assert f"{len(in_flight)} sent again, as they were in flight when an earlier run " in out
    assert f"lines {shown}" in out
    assert f"2000 lines: 2000 done, 0 failed\n{len(acknowledged)} skipped" in out
    assert "progress: " not in out and err.startswith("progress: ")


def test_the_command_exits_2_on_bad_lines_and_usage_errors(tmp_path: Path) -> None:
    job = write_job(tmp_path / "job.jsonl", [profile_line(1, "a"), "nope", {"operationId": 1}])
    with FakeTalon.in_thread() as fake:
        env = {"TALON_BASE_URL": fake.url, "TALON_API_KEY": fake.api_key}
        bad = talon_command("bulk", "run", str(job), env=env)
        out, err = bad.communicate(timeout=30)
        assert bad.returncode == 2 and out == ""
        first, second, third = err.splitlines()
        assert first == f"{job}: 2 bad line(s), nothing was sent:"
        assert second.startswith("  line 2: not JSON: ")  # orjson's words follow
        assert third == "  line 3: operationId is missing or not a string"
        assert fake.requests == []
        for args, message in [
            ([str(job)], "give --base-url or set TALON_BASE_URL"),
            ([str(tmp_path / "missing.jsonl")], "missing.jsonl: no such file"),
            ([str(job), "--concurrency", "0"], "'0' is not a whole number of at least 1"),
        ]:
            usage = talon_command("bulk", "run", *args, env={"TALON_BASE_URL": ""})
            _, err = usage.communicate(timeout=30)
            assert usage.returncode == 2 and message in err, err
