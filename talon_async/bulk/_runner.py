"""Running a job: the job read once, calls ordered per key, pacing, a crash-safe checkpoint,
failures, a graceful stop and the summary.

The same executor runs a whole job in one process (:func:`run_job`, with a checkpoint
file) and one chunk of it in a taskiq worker (with its marks in Redis): it is handed the
calls in file order, runs those of one key one at a time and in that order, those of
different keys in parallel, and tells a :class:`CallRecord` before and after each call.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Protocol, TextIO

import attrs
import orjson
from attrs import field, frozen

from .._client import TalonClient
from ..auth import AuthStrategy
from ..errors import TalonError, TalonStatusError
from ..retry import DEFAULT_RETRY, RetryPolicy
from ._job import JobError, JobLine, LineError, LineProblem, parse_line, read_line
from ._progress import Progress, duration

__all__ = [
    "CallRecord",
    "Checkpoint",
    "CheckpointError",
    "Executor",
    "JobFile",
    "JobRunning",
    "Pace",
    "Summary",
    "check_job",
    "error_record",
    "fingerprint",
    "run_job",
    "write_failures",
]

DEFAULT_CONCURRENCY = 32
"""Calls in flight at once in one process (or one chunk of a worker)."""
STOP_GRACE = 30.0
"""Seconds a graceful stop waits for the calls in flight before it cuts them."""
SYNC_EVERY = 0.2
"""Seconds between two fsyncs of a checkpoint that was written to."""


class CheckpointError(ValueError):
    """A checkpoint that cannot be used: another job's or another deployment's, corrupt,
    or one that cannot be written (a full disk). Nothing more is sent."""


class JobRunning(CheckpointError):
    """The job is being run right now, by another process or by workers."""


# -- the job file, read once -----------------------------------------------------------------


class JobFile:
    """A job file, read once: each line is checked as it is read and kept in a private
    copy (an anonymous temporary file), from which the calls are sent. What was checked
    is what is sent, even if the file changes meanwhile. Close it when done."""

    def __init__(self, path: Path, digest: str, keys: Sequence[_Key], copy: IO[bytes]) -> None:
        self.path = path
        self.digest = digest
        """SHA-256 of the file's content, as read."""
        self.keys = keys
        """(line number, ordering key, dry-runnable) of each call, in file order."""
        self._copy = copy

    @property
    def lines(self) -> int:
        """Lines holding a call."""
        return len(self.keys)

    def calls(self) -> Iterator[tuple[int, bytes]]:
        """The lines holding a call, with their numbers (from 1), as they were checked."""
        self._copy.seek(0)
        for record in self._copy:
            number, _, text = record.rstrip(b"\n").partition(b" ")
            yield int(number), text

    def close(self) -> None:
        self._copy.close()

    def __enter__(self) -> JobFile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


_Key = tuple[int, "tuple[str, str] | None", bool]


def check_job(path: Path, *, dry: bool = False) -> JobFile:
    """Read the job at ``path`` once and check every line before anything is sent.

    Raises :class:`JobError` listing every bad line (number and reason).
    """
    digest = hashlib.sha256()
    problems: list[LineProblem] = []
    keys: list[_Key] = []
    copy = tempfile.TemporaryFile(prefix="talon-bulk-")  # noqa: SIM115 - JobFile closes it
    try:
        with path.open("rb") as file:
            for number, text in enumerate(file, 1):
                digest.update(text)
                text = text.rstrip(b"\r\n")
                if not text.strip():
                    continue
                try:
                    call = parse_line(number, text, dry=dry)
                except LineError as error:
                    problems.append(LineProblem(number, str(error)))
                else:
                    keys.append((number, call.key, call.dry_runnable))
                    copy.write(b"%d %s\n" % (number, text))
        if problems:
            raise JobError(str(path), problems)
        copy.flush()
    except BaseException:
        copy.close()
        raise
    return JobFile(path, digest.hexdigest(), keys, copy)


# -- the target ---------------------------------------------------------------------------


async def fingerprint(base_url: str, auth: Iterable[AuthStrategy]) -> str:
    """A fingerprint of a deployment and its credentials, that does not reveal them: a
    SHA-256 of the base URL and of the headers each strategy of ``auth`` adds to a fixed
    request."""
    digest = hashlib.sha256(base_url.encode())
    for strategy in auth:
        headers: dict[str, str] = {}
        await strategy.apply("POST", base_url + "/talon-bulk-fingerprint", headers, b"{}")
        digest.update(f"\n{strategy.scheme}".encode())
        for name, value in sorted(headers.items()):
            digest.update(f"\n{name}: {value}".encode())
    return digest.hexdigest()[:32]


def other_target(found: str, wanted: str) -> str:
    """How a target that is not the one wanted reads in a message."""
    if found == wanted:
        return f"another API key, not against {wanted} with this key"
    return f"{found}, not against {wanted}"


async def client_fingerprint(client: TalonClient) -> str:
    """The :func:`fingerprint` of the deployment and credentials ``client`` calls."""
    return await fingerprint(client.base_url, client.auth)


# -- pacing -----------------------------------------------------------------------------------

SLOW_SECONDS = 30.0
"""How long a 429 answer halves a job's rate."""
MAX_SLOWDOWN = 16


class Pace:
    """The pace of a job in one process: at most ``rate`` calls a second (None: no limit).

    A 429 answer pauses every call of the job for its ``Retry-After`` (or the retry's
    backoff) and, with a rate, halves it for :data:`SLOW_SECONDS` (down to a sixteenth);
    the workers' pace (in Redis, see :mod:`talon_async.bulk.taskiq`) follows the same rules.
    """

    def __init__(self, rate: float | None = None) -> None:
        self.rate = rate
        self._next = 0.0
        self._paused_until = 0.0
        self._slow = 1
        self._slow_until = 0.0

    async def wait(self) -> None:
        """Wait for the next call's turn."""
        now = time.monotonic()
        at = max(now, self._paused_until)
        if self.rate is not None:
            slow = self._slow if self._slow_until > now else 1
            at = max(at, self._next)
            self._next = at + slow / self.rate
        if at > now:
            await asyncio.sleep(at - now)

    def throttled(self, seconds: float) -> None:
        """A call was answered 429; the API asks for ``seconds`` of quiet."""
        now = time.monotonic()
        if self._paused_until <= now:  # the 429s of the calls of one burst count once
            slow = self._slow if self._slow_until > now else 1
            self._slow = min(MAX_SLOWDOWN, slow * 2)
            self._slow_until = now + SLOW_SECONDS
        self._paused_until = max(self._paused_until, now + seconds)


@frozen
class _Throttled(RetryPolicy):
    """The default retry policy, telling the job's pace of every 429 answer."""

    on_429: Callable[[float], None] = field(kw_only=True, default=lambda seconds: None)

    def delay_before_retry(
        self, attempt: int, error: TalonError, *, replay_safe: bool
    ) -> float | None:
        delay = super().delay_before_retry(attempt, error, replay_safe=replay_safe)
        if isinstance(error, TalonStatusError) and error.status == 429:
            self.on_429(delay if delay is not None else self.max_backoff)
        return delay


def bulk_retry(on_429: Callable[[float], None]) -> RetryPolicy:
    """The retry policy of bulk calls: the default one, telling ``on_429`` of each 429."""
    return _Throttled(**attrs.asdict(DEFAULT_RETRY, recurse=False), on_429=on_429)


# -- the executor ----------------------------------------------------------------------------


def error_record(error: BaseException) -> dict[str, Any]:
    """The ``error`` member of a failed line: the error's class, HTTP status and message."""
    status = getattr(error, "status", None) if isinstance(error, TalonError) else None
    return {
        "class": type(error).__name__,
        "status": status if isinstance(status, int) else None,
        "message": str(error) or type(error).__name__,
    }


class CallRecord(Protocol):
    """Where the executor records each call: before sending it, and once it is answered.

    ``started`` returns False when the line must not be sent (it was finished meanwhile,
    by another worker); it raises to stop the executor (the chunk was taken over).
    """

    async def started(self, line: int) -> bool: ...
    async def done(self, line: int) -> None: ...
    async def failed(self, line: int, error: dict[str, Any]) -> None: ...


class Executor:
    """Runs calls with at most ``concurrency`` in flight; calls of one key one at a time,
    in the order they were submitted. A failed call is recorded as failed; an error of
    the call record stops the executor and is raised by :meth:`submit` or :meth:`drain`.

    ``job`` names the job (its content hash): the idempotency keys derive from it.
    ``pace`` spaces the calls (the workers' call record paces instead, in the Redis script that
    marks a line started); ``on_429`` is told of each 429 answer (default: the pace).
    """

    def __init__(
        self,
        client: TalonClient,
        record: CallRecord,
        *,
        concurrency: int,
        job: str,
        pace: Pace | None = None,
        on_429: Callable[[float], None] | None = None,
    ) -> None:
        if type(concurrency) is not int or concurrency < 1:
            raise ValueError(f"concurrency must be an int of at least 1, got {concurrency!r}")
        self._client = client
        self._record = record
        self._job = job
        self._pace = pace
        throttled = on_429 if on_429 is not None else pace.throttled if pace else None
        self._retry = bulk_retry(throttled) if throttled is not None else None
        self._in_flight = asyncio.Semaphore(concurrency)
        # Calls waiting for their key are held in memory: bound them, so that a job of
        # millions of lines is read as it is sent.
        self._room = asyncio.Semaphore(concurrency * 8)
        self._last: dict[Hashable, asyncio.Task[None]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._error: BaseException | None = None
        self._idle = asyncio.Event()
        self._stopped = asyncio.Event()

    @property
    def stopping(self) -> bool:
        """Set by :meth:`stop`: no call starts any more."""
        return self._stopped.is_set()

    async def submit(self, call: JobLine) -> bool:
        """Start ``call`` once there is room (it runs after the calls of its key before
        it); False once the executor is stopping (the call is not started)."""
        await self._room.acquire()
        if self._error is not None:
            self._room.release()
            raise self._error
        if self.stopping:
            self._room.release()
            return False
        key = call.key if call.key is not None else ("line", call.line)
        previous = self._last.get(key)
        task = asyncio.ensure_future(self._run(call, previous))
        self._idle.clear()
        self._last[key] = task
        self._tasks.add(task)
        task.add_done_callback(lambda done: self._finished(key, done))
        return True

    def _finished(self, key: Hashable, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not self._tasks:
            self._idle.set()
        self._room.release()
        if self._last.get(key) is task:
            del self._last[key]
        if not task.cancelled() and task.exception() is not None and self._error is None:
            self._error = task.exception()

    async def _run(self, call: JobLine, previous: asyncio.Task[None] | None) -> None:
        if previous is not None:
            await asyncio.wait((previous,))
        async with self._in_flight:
            if self._error is not None or self.stopping:
                return
            if self._pace is not None:
                await self._pace.wait()
                if self.stopping:
                    return
            if not await self._record.started(call.line):
                return
            options: dict[str, Any] = {} if self._retry is None else {"retry": self._retry}
            try:
                await call.send(self._client, job=self._job, **options)
            except Exception as error:  # every failure of a call is an outcome of its line
                await self._record.failed(call.line, error_record(error))
            else:
                await self._record.done(call.line)

    def stop(self) -> None:
        """Start no more calls; those in flight go on (see :meth:`drain`)."""
        self._stopped.set()

    async def drain(self, grace: float = STOP_GRACE) -> None:
        """Wait for every call submitted; once :meth:`stop` is called, for the calls in
        flight only, at most ``grace`` seconds, then cut the rest. Raises the call record's
        error if there was one."""
        try:
            if self._tasks and not self.stopping:
                waiters = [
                    asyncio.ensure_future(self._idle.wait()),
                    asyncio.ensure_future(self._stopped.wait()),
                ]
                try:
                    await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    for waiter in waiters:
                        waiter.cancel()
            if self._tasks:
                await asyncio.wait(set(self._tasks), timeout=grace)
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


# -- the checkpoint --------------------------------------------------------------------------

_MAGIC = b"talon-bulk-checkpoint 2 "


class Checkpoint:
    """The progress of a job in one process, in an append-only file beside the job.

    Its first line names the job file's content hash, dry runs apart, and the target
    (the base URL and a fingerprint of the deployment and credentials, never a key); then
    one record per event: ``started N`` before line N is sent, ``done N`` or ``failed N
    {error}`` once it is answered. Each record is written whole (a short write is
    finished, a failed one stops the run) to a file opened with ``O_APPEND``, and the file
    is fsynced every :data:`SYNC_EVERY` seconds. Reopened, it knows which lines are
    finished and which were in flight (started, never finished); a torn last record (a
    power cut, a full disk) is dropped, anything else unreadable is a
    :class:`CheckpointError`. The file is locked while open: a second run of the job at
    the same time is refused (:class:`JobRunning`).
    """

    def __init__(
        self,
        path: Path,
        digest: str,
        *,
        dry: bool,
        base_url: str,
        target: str,
        restart: bool = False,
        job: Path | None = None,
    ) -> None:
        self.path = path
        self.done_lines: set[int] = set()
        self.failures: dict[int, dict[str, Any]] = {}
        self.done_now = 0
        self.failed_now = 0
        """Lines finished since the checkpoint was opened."""
        self._dirty = False
        self._broken: str | None = None
        header = {"job": digest, "dry": dry, "base_url": base_url, "target": target}
        self._fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            self._lock(job or path)
            started = self._load(header, restart)
        except BaseException:
            os.close(self._fd)
            raise
        self.in_flight = frozenset(started - self.done_lines - self.failures.keys())
        """Lines started by an earlier run that never finished: they are sent again."""

    def _lock(self, job: Path) -> None:
        import fcntl  # POSIX; imported here so that the package imports everywhere

        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise JobRunning(
                f"{job} is being run by another process right now (its checkpoint "
                f"{self.path} is locked): wait for it, or stop it and run this again"
            ) from None

    def _load(self, header: dict[str, Any], restart: bool) -> set[int]:
        with open(self._fd, "rb", closefd=False) as file:
            content = file.read()
        records = content.split(b"\n")
        torn = records.pop()  # b"" when the file ends with a whole record
        if torn:
            os.ftruncate(self._fd, len(content) - len(torn))
        if records and not restart:
            self._check_header(records[0], header)
            started: set[int] = set()
            for number, record in enumerate(records[1:], 2):
                try:
                    self._read(record, started)
                except (ValueError, UnicodeDecodeError):
                    raise CheckpointError(
                        f"{self.path} is corrupt at line {number} ({record[:60]!r}); "
                        "pass --restart to start a new run"
                    ) from None
            return started
        os.ftruncate(self._fd, 0)
        self._write(_MAGIC + orjson.dumps(header))
        return set()

    def _check_header(self, first: bytes, header: dict[str, Any]) -> None:
        try:
            found = orjson.loads(first.removeprefix(_MAGIC)) if first.startswith(_MAGIC) else {}
        except orjson.JSONDecodeError:
            found = {}
        if not isinstance(found, dict) or found.keys() != header.keys():
            raise CheckpointError(
                f"{self.path} is not a checkpoint of this version (found {first[:80]!r}); "
                "pass --restart to start a new run"
            )
        if (found["job"], found["dry"]) != (header["job"], header["dry"]):
            raise CheckpointError(
                f"{self.path} is not the checkpoint of this job file as it is now "
                f"(it belongs to content {found['job'][:16]}, dry={found['dry']})"
            )
        if found["target"] != header["target"]:
            raise CheckpointError(
                f"{self.path} records a run of this job against "
                f"{other_target(found['base_url'], header['base_url'])}: pass --restart to start "
                "a new run against it (the old checkpoint is forgotten)"
            )

    def _read(self, record: bytes, started: set[int]) -> None:
        kind, _, rest = record.decode().partition(" ")
        number, _, error = rest.partition(" ")
        line = int(number)
        if kind == "started" and not error:
            started.add(line)
        elif kind == "done" and not error:
            self.done_lines.add(line)
        elif kind == "failed":
            found = orjson.loads(error)
            if not isinstance(found, dict):
                raise ValueError(error)
            self.failures[line] = found
        else:
            raise ValueError(kind)

    def _write(self, record: bytes) -> None:
        if self._broken is not None:
            raise CheckpointError(self._broken)
        data = memoryview(record + b"\n")
        try:
            while data:
                data = data[os.write(self._fd, data) :]
        except OSError as error:
            raise self._fail(error) from None
        self._dirty = True

    def _fail(self, error: OSError) -> CheckpointError:
        self._broken = (
            f"cannot write the checkpoint {self.path}: {error.strerror or error}; nothing "
            "more is sent (run the same command again once it can be written)"
        )
        return CheckpointError(self._broken)

    async def keep_synced(self) -> None:
        """Until cancelled, fsync the file every :data:`SYNC_EVERY` seconds when written."""
        while True:
            await asyncio.sleep(SYNC_EVERY)
            if self._dirty:
                self._dirty = False
                try:
                    await asyncio.to_thread(os.fsync, self._fd)
                except OSError as error:
                    self._fail(error)  # the next record raises it
                    return

    async def started(self, line: int) -> bool:
        self._write(b"started %d" % line)
        return True

    async def done(self, line: int) -> None:
        self._write(b"done %d" % line)
        self.done_lines.add(line)
        self.done_now += 1

    async def failed(self, line: int, error: dict[str, Any]) -> None:
        self._write(b"failed %d %s" % (line, orjson.dumps(error)))
        self.failures[line] = error
        self.failed_now += 1

    def close(self) -> None:
        """fsync and close (which unlocks)."""
        try:
            os.fsync(self._fd)
        except OSError as error:
            if self._broken is None:
                raise self._fail(error) from None
        finally:
            os.close(self._fd)


def write_failures(
    calls: Iterable[tuple[int, bytes]], failures: Mapping[int, dict[str, Any]], target: Path
) -> None:
    """Write the failed lines among ``calls`` to ``target``, in file order: each the
    original line with an ``error`` member, so the file is itself a job for a retry run.
    The file is replaced whole (written aside, then renamed)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            for number, text in calls:
                if number in failures:
                    line = orjson.loads(text)  # checked: it reads and writes back
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
    """Calls made (and answered) by this run."""
    elapsed: float
    """Seconds this run took."""
    no_dry_run: int = 0
    """With ``dry=True``: lines not sent because their operation has no dry run."""
    failures_path: Path | None = field(default=None)
    """The file of failed lines (a job for a retry run), when there were any."""
    interrupted: bool = False
    """The run was stopped (SIGINT, SIGTERM) before every line was finished."""

    @property
    def failed_total(self) -> int:
        return sum(self.failed.values())

    @property
    def rate(self) -> float:
        """Calls per second made by this run."""
        return self.sent / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def exit_code(self) -> int:
        """0 when every line is done, 1 when some failed, 130 when interrupted."""
        return 130 if self.interrupted else 1 if self.failed_total else 0

    def report(self) -> str:
        """The summary as a few lines of text."""
        classes = ", ".join(f"{name}: {count}" for name, count in sorted(self.failed.items()))
        out = [
            f"{self.lines} lines: {self.done} done, {self.failed_total} failed"
            + (f" ({classes})" if classes else "")
        ]
        if self.interrupted:
            left = self.lines - self.no_dry_run - self.done - self.failed_total
            out.append(f"interrupted: {left} not finished; run the same command again to resume")
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
    rate: float | None = None,
    checkpoint: str | os.PathLike[str] | None = None,
    restart: bool = False,
    failures: str | os.PathLike[str] | None = None,
    progress: TextIO | None = None,
    progress_every: float = 10.0,
    stop: asyncio.Event | None = None,
    stop_grace: float = STOP_GRACE,
) -> Summary:
    """Run the job file at ``path`` with ``client`` in this process and return its summary.

    The file is read once; every line is checked first, and a bad line raises
    :class:`JobError` with nothing sent. Calls of one key (a customer session, a profile,
    ...: see :attr:`JobLine.key`) run one at a time in file order, the others in
    parallel, at most ``concurrency`` at once and at most ``rate`` a second (a 429
    answer slows the job down: see :class:`Pace`). ``dry=True`` adds ``dry=true`` to
    every call whose operation has it and sends no other line.

    Progress is kept in ``checkpoint`` (default: ``JOB.<hash>.checkpoint`` beside the
    job), bound to the job's content and to the client's deployment and credentials:
    run the same job again after a crash and it resumes, sending no line again that was
    answered, and sending again only those that were in flight (listed in
    :attr:`Summary.resent`). A checkpoint of another deployment or key raises
    :class:`CheckpointError` unless ``restart=True`` (a new run, from the first line); a
    run of the job going on in another process raises :class:`JobRunning`. The failed
    lines go to ``failures`` (default: ``JOB.failed.jsonl``, ``JOB.dry-failed.jsonl`` for
    dry runs), each with an ``error`` member. ``progress`` is a stream to show progress on.

    Setting ``stop`` stops the run gracefully: no call starts any more, the calls in
    flight are waited for (up to ``stop_grace`` seconds) and recorded, and the summary
    says it was interrupted.
    """
    job = Path(path)
    started = time.monotonic()
    with check_job(job, dry=dry) as read:
        sendable = {line for line, _, runnable in read.keys if runnable or not dry}
        book = Checkpoint(
            Path(checkpoint) if checkpoint else default_checkpoint(job, read.digest, dry=dry),
            read.digest,
            dry=dry,
            base_url=client.base_url,
            target=await client_fingerprint(client),
            restart=restart,
            job=job,
        )
        interrupted = False
        try:
            finished = (book.done_lines | book.failures.keys()) & sendable
            resent = tuple(sorted(book.in_flight & sendable))
            shown = Progress(len(sendable) - len(finished), progress, every=progress_every)
            executor = Executor(
                client, book, concurrency=concurrency, job=read.digest, pace=Pace(rate)
            )
            helpers = [
                asyncio.ensure_future(tick(shown, lambda: (book.done_now, book.failed_now))),
                asyncio.ensure_future(book.keep_synced()),
            ]
            if stop is not None:
                helpers.append(asyncio.ensure_future(stop_on(stop, executor)))
            try:
                for number, text in read.calls():
                    if number not in sendable or number in finished:
                        continue
                    # The same bytes as checked: the same request.
                    if not await executor.submit(read_line(number, text, dry=dry, checked=True)):
                        break
                await executor.drain(stop_grace)
            finally:
                interrupted = executor.stopping
                await executor.abort()
                for helper in helpers:
                    helper.cancel()
                await asyncio.gather(*helpers, return_exceptions=True)
            shown.close(book.done_now, book.failed_now)
        finally:
            book.close()
        target = Path(failures) if failures is not None else default_failures(job, dry=dry)
        if book.failures:
            write_failures(read.calls(), book.failures, target)
    done = len(book.done_lines & sendable)
    failed = {n: e for n, e in book.failures.items() if n in sendable}
    return Summary(
        lines=read.lines,
        done=done,
        failed=failure_counts(failed),
        skipped=len(finished),
        resent=resent,
        sent=book.done_now + book.failed_now,
        elapsed=time.monotonic() - started,
        no_dry_run=read.lines - len(sendable),
        failures_path=target if book.failures else None,
        interrupted=interrupted and done + len(failed) < len(sendable),
    )


async def stop_on(stop: asyncio.Event, executor: Executor) -> None:
    """Stop ``executor`` once ``stop`` is set."""
    await stop.wait()
    executor.stop()
