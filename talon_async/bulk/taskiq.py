"""Bulk jobs spread over taskiq workers on Redis (``pip install 'talon-async[taskiq]'``).

The submitter (:func:`submit_job`, ``bulk run JOB --broker redis://...``) checks the job,
cuts it into chunks of whole keys (every call of one session or profile lands in the same
chunk, in file order), stores the chunks in Redis and hands one task per chunk to the
broker: a :class:`~taskiq_redis.RedisStreamBroker`, whose consumer group keeps a task
pending until it is acknowledged and lets another worker claim a task left
unacknowledged for ``reclaim_after`` seconds (a worker that died).

A worker (:func:`register` on any taskiq broker of this kind, or ``python -m talon_async
worker``) holds one long-lived :class:`TalonClient`, opened and closed with the worker.
A task takes a lease on its chunk in Redis (so that a task taken over from a worker
still running waits for it rather than overlapping it), reads the state of its lines,
and runs those not yet finished through the same executor as the one-process mode,
marking each line in Redis as started before its call and done or failed after it. It
acknowledges its task only once the chunk is finished: a worker killed mid-task loses
nothing, as its task is delivered again and skips every line already marked; only the
lines marked started and not finished are sent again, and they are recorded as such.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
import uuid
from collections.abc import AsyncGenerator, Callable, Mapping
from pathlib import Path
from typing import Any, TextIO, cast

import orjson
from attrs import define
from redis.asyncio import BlockingConnectionPool, Redis
from taskiq import AckableMessage, AsyncBroker, Context, TaskiqDepends, TaskiqEvents, TaskiqState
from taskiq.acks import AcknowledgeType
from taskiq.api import run_receiver_task
from taskiq.decor import AsyncTaskiqDecoratedTask
from taskiq.kicker import AsyncKicker
from taskiq_redis import RedisStreamBroker

from .._client import TalonClient
from ._job import LineError, parse_line
from ._progress import Progress
from ._runner import (
    DEFAULT_CONCURRENCY,
    Executor,
    Summary,
    check_job,
    default_failures,
    failure_counts,
    job_lines,
    write_failures,
)

__all__ = [
    "QUEUE",
    "TASK_NAME",
    "register",
    "run_chunk",
    "stream_broker",
    "submit_job",
]

QUEUE = "talon-bulk"
"""The default Redis stream (and consumer group) of bulk tasks."""
TASK_NAME = "talon_async.bulk.run_chunk"
LABELS = {"ack_type": AcknowledgeType.MANUAL.value}
"""The task acknowledges itself, once its chunk is finished (whatever the worker's default)."""
KEEP_SECONDS = 7 * 24 * 3600
"""How long a finished job's record stays in Redis (a rerun reports from it)."""
DEFAULT_CHUNK_SIZE = 500
DEFAULT_RECLAIM_AFTER = 60.0

logger = logging.getLogger("talon_async.bulk")


class BulkStreamBroker(RedisStreamBroker):
    """taskiq-redis's Redis Stream broker, claiming abandoned tasks even when idle, and
    never claiming a task whose worker is alive and working on it.

    ``RedisStreamBroker.listen`` (taskiq-redis 1.2) claims the tasks left unacknowledged
    by a dead worker only right after it has read a new task, so once the stream holds
    no new task they stay pending forever, and so does the job. This listener reads one
    new task, then claims one abandoned task, every round, whether the read found
    anything or not. And it claims any task idle that long, one still running in a live
    worker too; :meth:`keep_pending` lets a running task say that it is alive.
    """

    def __init__(self, url: str, **options: Any) -> None:
        super().__init__(url, **options)
        self._entries: dict[str, bytes] = {}  # task id -> its stream entry, until acked

    async def listen(self) -> AsyncGenerator[AckableMessage, None]:
        async with Redis(connection_pool=self.connection_pool) as redis:
            while True:
                fetched: list[Any] = await redis.xreadgroup(  # type: ignore[assignment]
                    self.consumer_group_name,
                    self.consumer_name,
                    {self.queue_name: ">"},
                    block=self.block,
                    count=1,
                )
                entries = [entry for _, stream_entries in fetched or () for entry in stream_entries]
                claim: list[Any] = await redis.xautoclaim(
                    self.queue_name,
                    self.consumer_group_name,
                    self.consumer_name,
                    min_idle_time=self.idle_timeout,
                    count=1,
                )
                for entry_id, fields in [*entries, *claim[1]]:
                    if fields:  # a claimed task deleted from the stream has none
                        yield self._message(entry_id, fields[b"data"])

    def _message(self, entry_id: bytes, data: bytes) -> AckableMessage:
        task_id = self.formatter.loads(data).task_id
        self._entries[task_id] = entry_id
        ack = self._ack_generator(id=entry_id, queue_name=self.queue_name)  # type: ignore[arg-type]

        async def acknowledge() -> None:
            await ack()
            self._entries.pop(task_id, None)

        return AckableMessage(data=data, ack=acknowledge)

    async def keep_pending(self, task_id: str, every: float) -> None:
        """Every ``every`` seconds until cancelled, mark the task ``task_id`` (delivered
        to this worker) as just delivered, so that no other worker claims it."""
        async with Redis(connection_pool=self.connection_pool) as redis:
            while True:
                await asyncio.sleep(every)
                entry_id = self._entries.get(task_id)
                if entry_id is not None:
                    await redis.xclaim(
                        self.queue_name,
                        self.consumer_group_name,
                        self.consumer_name,
                        min_idle_time=0,
                        message_ids=[entry_id],
                        justid=True,
                    )


def stream_broker(
    url: str, *, queue: str = QUEUE, reclaim_after: float = DEFAULT_RECLAIM_AFTER
) -> BulkStreamBroker:
    """A Redis Stream broker set up for bulk jobs.

    Its consumer group reads the stream from the start (tasks sent before the first
    worker started are not missed); a worker fetches one task at a time (none waits in
    a busy worker while another is idle), and claims a task left unacknowledged for
    ``reclaim_after`` seconds, one at a time.
    """
    milliseconds = int(reclaim_after * 1000)
    return BulkStreamBroker(
        url,
        queue_name=queue,
        consumer_group_name=queue,
        consumer_id="0",
        xread_block=max(100, min(2000, milliseconds // 2)),
        idle_timeout=milliseconds,
    )


class _Keys:
    """Where one job lives in Redis."""

    def __init__(self, job_id: str) -> None:
        prefix = f"talon-bulk:{job_id}:"
        self.meta = prefix + "meta"
        """Hash: lines, chunks, dry, loaded; counters done and failed."""
        self.state = prefix + "state"
        """Hash: line number -> s (started), d (done), f (failed)."""
        self.failures = prefix + "failures"
        """Hash: line number -> the error (JSON)."""
        self.resent = prefix + "resent"
        """Set: lines sent again, as they were in flight when a worker died."""
        self.kicked = prefix + "kicked"
        """Set: chunks handed to the broker."""
        self._prefix = prefix

    def chunk(self, number: int) -> str:
        """List: ``b"<line number> <line>"`` of the chunk's lines, in file order."""
        return f"{self._prefix}chunk:{number}"

    def lock(self, number: int) -> str:
        return f"{self._prefix}lock:{number}"

    def all(self, chunks: int) -> list[str]:
        fixed = [self.meta, self.state, self.failures, self.resent, self.kicked]
        return fixed + [self.chunk(number) for number in range(chunks)]


# -- the worker side ------------------------------------------------------------------------

_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


class LeaseLost(RuntimeError):
    """Another task took over the chunk: this one stops without acknowledging."""


class _Lease:
    """An exclusive hold on one chunk, kept alive while the task runs.

    A task taken over from a worker that is still running waits here until that one
    finishes (or its lease runs out because it died), so a chunk never runs twice at once.
    """

    def __init__(self, redis: Redis, key: str, seconds: float) -> None:
        self._redis = redis
        self._key = key
        self._milliseconds = max(1, int(seconds * 1000))
        self._token = uuid.uuid4().hex
        self._lost = False
        self._heartbeat: asyncio.Task[None] | None = None

    async def __aenter__(self) -> _Lease:
        wait = min(1.0, self._milliseconds / 4000)
        # Polled: the holder is another process, there is nothing local to wait on.
        while not await self._redis.set(  # noqa: ASYNC110
            self._key, self._token, nx=True, px=self._milliseconds
        ):
            await asyncio.sleep(wait)
        self._heartbeat = asyncio.ensure_future(self._keep())
        return self

    async def _keep(self) -> None:
        while True:
            await asyncio.sleep(self._milliseconds / 3000)
            renewed = await self._redis.eval(_RENEW, 1, self._key, self._token, self._milliseconds)
            if not renewed:
                self._lost = True
                return

    def check(self) -> None:
        if self._lost:
            raise LeaseLost(f"{self._key} was taken over by another task")

    async def __aexit__(self, *exc_info: object) -> None:
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            await asyncio.gather(self._heartbeat, return_exceptions=True)
        await self._redis.eval(_RELEASE, 1, self._key, self._token)


class _RedisLedger:
    """The executor's marks, in Redis."""

    def __init__(self, redis: Redis, keys: _Keys, lease: _Lease) -> None:
        self._redis = redis
        self._keys = keys
        self._lease = lease

    async def started(self, line: int) -> None:
        self._lease.check()
        await self._redis.hset(self._keys.state, str(line), "s")

    async def done(self, line: int) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._keys.state, str(line), "d")
            pipe.hincrby(self._keys.meta, "done", 1)
            await pipe.execute()

    async def failed(self, line: int, error: dict[str, Any]) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._keys.state, str(line), "f")
            pipe.hset(self._keys.failures, str(line), orjson.dumps(error))
            pipe.hincrby(self._keys.meta, "failed", 1)
            await pipe.execute()


@define
class WorkerState:
    """What a worker holds while it runs (``broker.state.talon_bulk``)."""

    client: TalonClient
    redis: Redis
    concurrency: int
    lease: float


async def _run_chunk(worker: WorkerState, job_id: str, chunk: int) -> None:
    redis, keys = worker.redis, _Keys(job_id)
    meta = await redis.hgetall(keys.meta)
    if meta.get(b"loaded") != b"1":
        logger.warning("bulk job %s is not in Redis (expired?): chunk %d skipped", job_id, chunk)
        return
    dry = meta[b"dry"] == b"1"
    async with _Lease(redis, keys.lock(chunk), worker.lease) as lease:
        entries = cast(list[bytes], await redis.lrange(keys.chunk(chunk), 0, -1))
        lines = [entry.split(b" ", 1) for entry in entries]
        states = await redis.hmget(keys.state, [number.decode() for number, _ in lines])
        ledger = _RedisLedger(redis, keys, lease)
        executor = Executor(worker.client, ledger, concurrency=worker.concurrency)
        try:
            for (number_text, text), state in zip(lines, states, strict=True):
                if state in (b"d", b"f"):
                    continue
                number = int(number_text)
                if state == b"s":
                    await redis.sadd(keys.resent, number)
                try:
                    call = parse_line(number, text, dry=dry)
                except LineError as error:  # a worker running another version of the library
                    await ledger.failed(
                        number, {"class": "LineError", "status": None, "message": str(error)}
                    )
                    continue
                await executor.submit(call)
            await executor.drain()
        finally:
            await executor.abort()


async def run_chunk(
    job_id: str,
    chunk: int,
    context: Context = TaskiqDepends(),  # noqa: B008 - how taskiq hands a task its context
) -> None:
    """The bulk task: run chunk ``chunk`` of the job ``job_id``, then acknowledge it.

    Registered under :data:`TASK_NAME` by :func:`register`, which also gives the worker
    the client and Redis connection this task uses. Raises (leaving the task pending, to
    be claimed again) when Redis fails or the chunk was taken over.
    """
    worker: WorkerState = context.state.talon_bulk
    broker = context.broker
    alive = (
        asyncio.ensure_future(broker.keep_pending(context.message.task_id, worker.lease / 3))
        if isinstance(broker, BulkStreamBroker)
        else None
    )
    try:
        await _run_chunk(worker, job_id, chunk)
    finally:
        if alive is not None:
            alive.cancel()
            await asyncio.gather(alive, return_exceptions=True)
    await context.ack()


def _task(broker: AsyncBroker) -> AsyncTaskiqDecoratedTask[Any, Any]:
    found = broker.find_task(TASK_NAME)
    if found is not None:
        return found
    return broker.register_task(run_chunk, task_name=TASK_NAME, **LABELS)


def register(
    broker: AsyncBroker,
    client_factory: Callable[[], TalonClient],
    *,
    redis_url: str,
    concurrency: int = DEFAULT_CONCURRENCY,
    lease: float = DEFAULT_RECLAIM_AFTER,
) -> AsyncTaskiqDecoratedTask[Any, Any]:
    """Make ``broker``'s workers run bulk tasks; returns the registered task.

    On worker startup ``client_factory()`` makes the worker's one TalonClient, closed on
    worker shutdown; the job's marks are kept in the Redis at ``redis_url``. A task runs
    at most ``concurrency`` calls at once. ``lease`` (seconds) bounds how long a chunk
    stays held by a worker that died: use the broker's reclaim time (``idle_timeout``).
    The broker must acknowledge tasks and hand a task left unacknowledged to another
    worker: a :class:`~taskiq_redis.RedisStreamBroker` (see :func:`stream_broker`).
    """

    async def startup(state: TaskiqState) -> None:
        # A blocking pool: the calls of every task share it, waiting for a free connection.
        pool = BlockingConnectionPool.from_url(redis_url, max_connections=64, timeout=None)
        state.talon_bulk = WorkerState(client_factory(), Redis.from_pool(pool), concurrency, lease)

    async def shutdown(state: TaskiqState) -> None:
        worker: WorkerState | None = getattr(state, "talon_bulk", None)
        if worker is not None:
            await worker.client.aclose()
            await worker.redis.aclose()

    broker.add_event_handler(TaskiqEvents.WORKER_STARTUP, startup)
    broker.add_event_handler(TaskiqEvents.WORKER_SHUTDOWN, shutdown)
    return _task(broker)


async def serve_worker(client_factory: Callable[[], TalonClient], args: argparse.Namespace) -> int:
    """``python -m talon_async worker``: run bulk tasks until cancelled."""
    broker = stream_broker(args.broker, queue=args.queue, reclaim_after=args.reclaim_after)
    register(
        broker,
        client_factory,
        redis_url=args.broker,
        concurrency=args.concurrency,
        lease=args.reclaim_after,
    )
    print(f"worker {broker.consumer_name} serving queue {args.queue!r}", flush=True)
    try:
        await run_receiver_task(
            broker, run_startup=True, max_async_tasks=args.tasks, max_prefetch=0
        )
    except asyncio.CancelledError:
        pass
    finally:
        await broker.shutdown()
    print("worker stopped", flush=True)
    return 0


# -- the submitting side --------------------------------------------------------------------


def _chunks(
    plan_keys: tuple[tuple[int, tuple[str, str] | None, bool], ...], sendable: set[int], size: int
) -> dict[int, int]:
    """Line number -> chunk: whole keys per chunk, a new chunk once one holds ``size``."""
    chunk_of_key: dict[object, int] = {}
    sizes: list[int] = []
    chunk_of_line: dict[int, int] = {}
    for number, key, _ in plan_keys:
        if number not in sendable:
            continue
        index = chunk_of_key.get(key if key is not None else ("line", number))
        if index is None:
            if not sizes or sizes[-1] >= size:
                sizes.append(0)
            index = len(sizes) - 1
            chunk_of_key[key if key is not None else ("line", number)] = index
        sizes[index] += 1
        chunk_of_line[number] = index
    return chunk_of_line


async def _load(
    redis: Redis, keys: _Keys, job: Path, chunk_of_line: Mapping[int, int], *, dry: bool
) -> int:
    """Store the job's chunks (again, after a submitter died while storing them)."""
    old = await redis.hget(keys.meta, "chunks")
    if old is not None:
        await redis.delete(*[keys.chunk(n) for n in range(int(old))])
    chunks = max(chunk_of_line.values(), default=-1) + 1
    await redis.hset(
        keys.meta, mapping={"lines": len(chunk_of_line), "chunks": chunks, "dry": int(dry)}
    )
    pipe = redis.pipeline(transaction=False)
    for number, text in job_lines(job):
        index = chunk_of_line.get(number)
        if index is not None:
            pipe.rpush(keys.chunk(index), b"%d %s" % (number, text))
            if len(pipe) >= 1000:
                await pipe.execute()
    await pipe.execute()
    await redis.hset(keys.meta, "loaded", 1)
    return chunks


def _counts(values: list[Any]) -> tuple[int, int]:
    done, failed = (int(value or 0) for value in values)
    return done, failed


async def submit_job(
    redis_url: str,
    path: str | Path,
    *,
    queue: str = QUEUE,
    dry: bool = False,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    failures: str | Path | None = None,
    progress: TextIO | None = None,
    progress_every: float = 10.0,
) -> Summary:
    """Hand the job at ``path`` to the workers of ``queue`` and wait until it is finished.

    Checks every line first (a bad line raises :class:`JobError`, nothing is stored).
    The job is known in Redis by its content hash: submitting the same file again (after
    the submitter was stopped, or once it is finished) resumes it or reports it, and
    sends nothing that was finished. Shows progress on ``progress``, writes the failed
    lines to ``failures`` (default ``JOB.failed.jsonl``) and returns the summary, as
    :func:`~talon_async.bulk.run_job` does.
    """
    job = Path(path)
    started = time.monotonic()
    plan = await check_job(job, dry=dry)
    sendable = {number for number, _, runnable in plan.keys if runnable or not dry}
    job_id = plan.digest[:32] + ("-dry" if dry else "")
    keys = _Keys(job_id)
    redis = Redis.from_url(redis_url)
    broker = stream_broker(redis_url, queue=queue)
    try:
        await broker.startup()
        if await redis.hget(keys.meta, "loaded") == b"1":
            chunks = int(await redis.hget(keys.meta, "chunks") or 0)
        else:
            chunks = await _load(
                redis, keys, job, _chunks(plan.keys, sendable, chunk_size), dry=dry
            )
        before = _counts(await redis.hmget(keys.meta, ["done", "failed"]))
        kicked = {int(number) for number in await redis.smembers(keys.kicked)}
        kicker: AsyncKicker[Any, Any] = AsyncKicker(TASK_NAME, broker, dict(LABELS))
        for number in range(chunks):
            if number not in kicked:
                await kicker.kiq(job_id, number)
                await redis.sadd(keys.kicked, number)
        shown = Progress(len(sendable) - sum(before), progress, every=progress_every)
        while True:
            done, failed = _counts(await redis.hmget(keys.meta, ["done", "failed"]))
            shown.update(done - before[0], failed - before[1])
            if done + failed >= len(sendable):
                break
            await asyncio.sleep(0.1)
        shown.close(done - before[0], failed - before[1])
        failed_lines = {
            int(number): orjson.loads(error)
            for number, error in (await redis.hgetall(keys.failures)).items()
        }
        resent = tuple(sorted(int(number) for number in await redis.smembers(keys.resent)))
        for key in keys.all(chunks):
            await redis.expire(key, KEEP_SECONDS)
    finally:
        await broker.shutdown()
        await redis.aclose()
    target = Path(failures) if failures is not None else default_failures(job, dry=dry)
    if failed_lines:
        write_failures(job, failed_lines, target)
    return Summary(
        lines=plan.lines,
        done=done,
        failed=failure_counts(failed_lines),
        skipped=sum(before),
        resent=resent,
        sent=done + failed - sum(before),
        elapsed=time.monotonic() - started,
        no_dry_run=plan.lines - len(sendable),
        failures_path=target if failed_lines else None,
    )


async def submit_command(args: argparse.Namespace) -> int:
    """``python -m talon_async bulk run JOB --broker URL``."""
    from ._cli import report

    summary = await submit_job(
        args.broker,
        args.job,
        queue=args.queue,
        dry=args.dry,
        chunk_size=args.chunk_size,
        failures=args.failures,
        progress=sys.stderr,
        progress_every=args.progress_every,
    )
    return report(summary)
