"""Running a job: calls ordered per key, a crash-safe checkpoint, failures, the summary.

The same executor runs a whole job in one process (:func:`run_job`, with a checkpoint
file) and one chunk of it in a taskiq worker (with its marks in Redis): it is handed the
calls in file order, runs those of one key one at a time and in that order, those of
different keys in parallel, and tells a :class:`Ledger` before and after each call.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol, TextIO

import orjson
from attrs import field, frozen

from .._client import TalonClient
from ..errors import TalonError
from ._job import JobError, JobLine, LineError, LineProblem, parse_line
from ._progress import Progress, duration

__all__ = [
    "Checkpoint",
    "CheckpointError",
    "Executor",
    "Ledger",
    "Summary",
    "check_job",
    "error_record",
    "job_lines",
    "run_job",
    "write_failures",
]

DEFAULT_CONCURRENCY = 32
"""Calls in flight at once in one process (or one chunk of a worker)."""


def job_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """The lines of a job file that hold something, with their numbers (from 1)."""
    with path.open("rb") as file:
        for number, text in enumerate(file, 1):
            if text.strip():
                yield number, text.rstrip(b"\r\n")


@frozen
class JobPlan:
    """What checking a job found: its content hash and its calls, in file order."""

    digest: str
    lines: int
    """Lines holding a call."""
    keys: tuple[tuple[int, tuple[str, str] | None, bool], ...]
    """(line number, ordering key, dry-runnable) of each call."""


async def check_job(path: Path, *, dry: bool = False) -> JobPlan:
    """Check every line of the job at ``path`` before anything is sent.

    Raises :class:`JobError` listing every bad line (number and reason).
    """
    digest = hashlib.sha256()
    problems: list[LineProblem] = []
    keys: list[tuple[int, tuple[str, str] | None, bool]] = []
    with path.open("rb") as file:
        for number, text in enumerate(file, 1):
            digest.update(text)
            if not text.strip():
                continue
            try:
                call = parse_line(number, text, dry=dry)
            except LineError as error:
                problems.append(LineProblem(number, str(error)))
            else:
                keys.append((number, call.key, call.dry_runnable))
    if problems:
        raise JobError(str(path), problems)
    return JobPlan(digest.hexdigest(), len(keys), tuple(keys))


def error_record(error: BaseException) -> dict[str, Any]:
    """The ``error`` member of a failed line: the error's class, HTTP status and message."""
    status = getattr(error, "status", None) if isinstance(error, TalonError) else None
    return {
        "class": type(error).__name__,
        "status": status if isinstance(status, int) else None,
        "message": str(error) or type(error).__name__,
    }


class Ledger(Protocol):
    """Where the executor records each call: before sending it, and once it is answered."""

    async def started(self, line: int) -> None: ...
    async def done(self, line: int) -> None: ...
    async def failed(self, line: int, error: dict[str, Any]) -> None: ...


class Executor:
    """Runs calls with at most ``concurrency`` in flight; calls of one key one at a time,
    in the order they were submitted. A failed call is recorded as failed; an error of
    the ledger stops the executor and is raised by :meth:`submit` or :meth:`drain`."""

    def __init__(self, client: TalonClient, ledger: Ledger, *, concurrency: int) -> None:
        if type(concurrency) is not int or concurrency < 1:
            raise ValueError(f"concurrency must be an int of at least 1, got {concurrency!r}")
        self._client = client
        self._ledger = ledger
        self._in_flight = asyncio.Semaphore(concurrency)
        # Calls waiting for their key are held in memory: bound them, so that a job of
        # millions of lines is read as it is sent.
        self._room = asyncio.Semaphore(concurrency * 8)
        self._last: dict[Hashable, asyncio.Task[None]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._error: BaseException | None = None

    async def submit(self, call: JobLine) -> None:
        """Start ``call`` once there is room; it runs after the calls of its key before it."""
        await self._room.acquire()
        if self._error is not None:
            self._room.release()
            raise self._error
        key = call.key if call.key is not None else ("line", call.line)
        previous = self._last.get(key)
        task = asyncio.ensure_future(self._run(call, previous))
        self._last[key] = task
        self._tasks.add(task)
        task.add_done_callback(lambda done: self._finished(key, done))

    def _finished(self, key: Hashable, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._room.release()
        if self._last.get(key) is task:
            del self._last[key]
        if not task.cancelled() and task.exception() is not None and self._error is None:
            self._error = task.exception()

    async def _run(self, call: JobLine, previous: asyncio.Task[None] | None) -> None:
        if previous is not None:
            await asyncio.wait((previous,))
            if self._error is not None:
                return
        async with self._in_flight:
            await self._ledger.started(call.line)
            try:
                await call.send(self._client)
            except Exception as error:  # every failure of a call is an outcome of its line
                await self._ledger.failed(call.line, error_record(error))
            else:
                await self._ledger.done(call.line)

    async def drain(self) -> None:
        """Wait for every call submitted; raise the ledger's error if there was one."""
        try:
            while self._tasks:
                await asyncio.wait(set(self._tasks))
        finally:
            await self.abort()
        if self._error is not None:
            raise self._error

    async def abort(self) -> None:
        """Cancel the calls still running and wait for them (e.g. when cancelled)."""
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            await asyncio.wait(set(self._tasks))


class CheckpointError(ValueError):
    """A checkpoint file that belongs to another job (or is not a checkpoint)."""


_HEADER = "talon-bulk-checkpoint"


class Checkpoint:
    """The progress of a job in one process, in an append-only file beside the job.

    Its first line names the job file's content hash (and dry runs apart); then one
    record per event: ``started N`` before line N is sent, ``done N`` or ``failed N
    {error}`` once it is answered. Each record is one ``write`` to a file opened with
    ``O_APPEND``, so a killed process leaves whole records behind. Reopened, it knows
    which lines are finished, and which were in flight (started, never finished).
    """

    def __init__(self, path: Path, digest: str, *, dry: bool) -> None:
        self.path = path
        header = f"{_HEADER} sha256={digest} dry={'yes' if dry else 'no'}"
        self.done_lines: set[int] = set()
        self.failures: dict[int, dict[str, Any]] = {}
        started: set[int] = set()
        exists = path.exists()
        if exists:
            with path.open("rb") as file:
                first = file.readline().decode("utf-8", "replace").rstrip("\n")
                if first != header:
                    raise CheckpointError(
                        f"{path} is not the checkpoint of this job file as it is now "
                        f"(expected {header!r}, found {first[:120]!r})"
                    )
                for record in file:
                    if record.endswith(b"\n"):  # a torn last record is ignored
                        self._read(record, started)
        self.in_flight = frozenset(started - self.done_lines - self.failures.keys())
        """Lines started by an earlier run that never finished: they are sent again."""
        self.done_now = 0
        self.failed_now = 0
        """Lines finished since the checkpoint was opened."""
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        if not exists:
            self._write(header)

    def _read(self, record: bytes, started: set[int]) -> None:
        kind, _, rest = record.decode().rstrip("\n").partition(" ")
        number, _, error = rest.partition(" ")
        line = int(number)
        if kind == "started":
            started.add(line)
        elif kind == "done":
            self.done_lines.add(line)
        elif kind == "failed":
            self.failures[line] = orjson.loads(error)

    def _write(self, record: str) -> None:
        os.write(self._fd, record.encode() + b"\n")

    async def started(self, line: int) -> None:
        self._write(f"started {line}")

    async def done(self, line: int) -> None:
        self._write(f"done {line}")
        self.done_lines.add(line)
        self.done_now += 1

    async def failed(self, line: int, error: dict[str, Any]) -> None:
        self._write(f"failed {line} {orjson.dumps(error).decode()}")
        self.failures[line] = error
        self.failed_now += 1

    def close(self) -> None:
        os.close(self._fd)


def write_failures(job: Path, failures: Mapping[int, dict[str, Any]], target: Path) -> None:
    """Write the failed lines of ``job`` to ``target``, in file order: each the original
    line with an ``error`` member, so the file is itself a job for a retry run. The file
    is replaced whole (written aside, then renamed)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            for number, text in job_lines(job):
                if number in failures:
                    line = orjson.loads(text)
                    line["error"] = failures[number]
                    out.write(orjson.dumps(line) + b"\n")
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


@frozen
class Summary:
    """The outcome of a bulk run, for the whole job as it stands after this run."""

    lines: int
    """Calls in the job (lines holding something)."""
    done: int
    """Lines done: answered with success, by this run or an earlier one."""
    failed: Mapping[str, int]
    """Failed lines by error class (``ConflictError``, ...), this run's and earlier ones'."""
    skipped: int
    """Lines not sent because an earlier run had finished them (done or failed)."""
    resent: tuple[int, ...]
    """Lines sent again: in flight when an earlier run stopped (killed, crashed)."""
    sent: int
    """Calls made by this run."""
    elapsed: float
    """Seconds this run took."""
    no_dry_run: int = 0
    """With ``dry=True``: lines not sent because their operation has no dry run."""
    failures_path: Path | None = field(default=None)
    """The file of failed lines (a job for a retry run), when there were any."""

    @property
    def failed_total(self) -> int:
        return sum(self.failed.values())

    @property
    def rate(self) -> float:
        """Calls per second made by this run."""
        return self.sent / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def exit_code(self) -> int:
        """0 when every line is done, 1 when some failed."""
        return 1 if self.failed_total else 0

    def report(self) -> str:
        """The summary as a few lines of text."""
        classes = ", ".join(f"{name}: {count}" for name, count in sorted(self.failed.items()))
        out = [
            f"{self.lines} lines: {self.done} done, {self.failed_total} failed"
            + (f" ({classes})" if classes else "")
        ]
        if self.skipped:
            out.append(f"{self.skipped} skipped as already finished by an earlier run")
        if self.resent:
            shown = ", ".join(map(str, self.resent[:20]))
            more = f" and {len(self.resent) - 20} more" if len(self.resent) > 20 else ""
            out.append(
                f"{len(self.resent)} sent again, as they were in flight when an earlier run "
                f"stopped: lines {shown}{more}"
            )
        if self.no_dry_run:
            out.append(f"{self.no_dry_run} not sent: their operation has no dry run")
        out.append(
            f"{self.sent} calls in {duration(self.elapsed)} ({self.elapsed:.1f} s, "
            f"{self.rate:.0f} calls/s)"
        )
        if self.failures_path is not None:
            out.append(f"failed lines (a job for a retry run): {self.failures_path}")
        return "\n".join(out)


def default_checkpoint(job: Path, digest: str, *, dry: bool) -> Path:
    """``JOB.<hash>.checkpoint`` beside the job (``.dry-checkpoint`` for dry runs): a job
    file with other content never finds it."""
    suffix = "dry-checkpoint" if dry else "checkpoint"
    return job.with_name(f"{job.name}.{digest[:16]}.{suffix}")


def default_failures(job: Path, *, dry: bool) -> Path:
    """``JOB.failed.jsonl`` beside the job (``JOB.dry-failed.jsonl`` for dry runs)."""
    stem = job.name.removesuffix(".jsonl")
    return job.with_name(f"{stem}.{'dry-failed' if dry else 'failed'}.jsonl")


def failure_counts(failures: Mapping[int, Mapping[str, Any]]) -> dict[str, int]:
    return dict(Counter(str(error.get("class")) for error in failures.values()))


async def tick(progress: Progress, counts: Callable[[], tuple[int, int]]) -> None:
    """Update ``progress`` with ``counts()`` until cancelled."""
    while True:
        progress.update(*counts())
        await asyncio.sleep(0.1)


async def run_job(
    client: TalonClient,
    path: str | os.PathLike[str],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    dry: bool = False,
    checkpoint: str | os.PathLike[str] | None = None,
    failures: str | os.PathLike[str] | None = None,
    progress: TextIO | None = None,
    progress_every: float = 10.0,
) -> Summary:
    """Run the job file at ``path`` with ``client`` in this process and return its summary.

    Every line is checked first; a bad line raises :class:`JobError` and nothing is sent.
    Calls of one key (a customer session, a profile, ...: see :attr:`JobLine.key`) run one
    at a time in file order, the others in parallel, at most ``concurrency`` at once.
    ``dry=True`` adds ``dry=true`` to every call whose operation has it and sends no
    other line.

    Progress is kept in ``checkpoint`` (default: ``JOB.<hash>.checkpoint`` beside the
    job): run the same job again after a crash and it resumes, sending no line again
    that was answered, and sending again only those that were in flight (listed in
    :attr:`Summary.resent`). The failed lines go to ``failures`` (default:
    ``JOB.failed.jsonl``), each with an ``error`` member. ``progress`` is a stream to
    show progress on (a live line on a terminal, a line every ``progress_every``
    seconds otherwise).
    """
    job = Path(path)
    started = time.monotonic()
    plan = await check_job(job, dry=dry)
    sendable = {line for line, _, runnable in plan.keys if runnable or not dry}
    if checkpoint is None:
        checkpoint = default_checkpoint(job, plan.digest, dry=dry)
    book = Checkpoint(Path(checkpoint), plan.digest, dry=dry)
    try:
        finished = (book.done_lines | book.failures.keys()) & sendable
        resent = tuple(sorted(book.in_flight & sendable))
        shown = Progress(len(sendable) - len(finished), progress, every=progress_every)
        ticker = asyncio.ensure_future(tick(shown, lambda: (book.done_now, book.failed_now)))
        executor = Executor(client, book, concurrency=concurrency)
        try:
            for number, text in job_lines(job):
                if number in sendable and number not in finished:
                    await executor.submit(parse_line(number, text, dry=dry))
            await executor.drain()
        finally:
            await executor.abort()
            ticker.cancel()
        shown.close(book.done_now, book.failed_now)
    finally:
        book.close()
    target = Path(failures) if failures is not None else default_failures(job, dry=dry)
    if book.failures:
        write_failures(job, book.failures, target)
    return Summary(
        lines=plan.lines,
        done=len(book.done_lines & sendable),
        failed=failure_counts({n: e for n, e in book.failures.items() if n in sendable}),
        skipped=len(finished),
        resent=resent,
        sent=book.done_now + book.failed_now,
        elapsed=time.monotonic() - started,
        no_dry_run=plan.lines - len(sendable),
        failures_path=target if book.failures else None,
    )
