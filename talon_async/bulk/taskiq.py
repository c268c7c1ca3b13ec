"""Bulk jobs spread over taskiq workers on Redis (``pip install 'talon-async[taskiq]'``).

The submitter (:func:`submit_job`, ``bulk run JOB --broker``) reads and checks the job once,
creates the job's record in Redis (once: a second submitter of the same job attaches to
it and reports), cuts the job into chunks of whole keys (every call of one session or
profile lands in the same chunk, in file order), stores them and hands one task per chunk
to the queue, each chunk exactly once.

The queue is a :class:`BulkStreamBroker`: a taskiq broker written on the public interface
of taskiq (:class:`~taskiq.AsyncBroker`) over a Redis stream and consumer group. A task
stays pending until it is acknowledged; a task left unacknowledged for ``reclaim_after``
seconds is delivered again, to any worker, whether the stream has new tasks or not; an
entry that is not a task of ours is moved to a dead-letter list and acknowledged, once.

A worker (:func:`register` on such a broker, or ``python -m talon_async worker``) holds
one long-lived :class:`TalonClient`. A task takes the lease of its chunk (a Redis key
with a token and a time to live, renewed while the task runs: the one liveness
mechanism); a task delivered again while the lease is held leaves the chunk to its
holder. Every line is marked in Redis by scripts that check the lease: ``started``
before its call (refused once the lease is lost or the line is finished), ``done`` or
``failed`` after its answer; the job's counts are counts of these marks. So a worker
that lost its lease (stopped, partitioned from Redis) starts no call that another worker
may also make, and a line is sent twice only when it was marked started and never
finished, and then it is listed as sent again.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import sys
import time
import uuid
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TextIO, TypeVar, cast
from urllib.parse import urlsplit, urlunsplit

import orjson
from attrs import define
from redis.asyncio import BlockingConnectionPool, Redis
from redis.exceptions import RedisError
from taskiq import (
    AckableMessage,
    AsyncBroker,
    BrokerMessage,
    Context,
    TaskiqDepends,
    TaskiqEvents,
    TaskiqMessage,
    TaskiqState,
)
from taskiq.acks import AcknowledgeType
from taskiq.decor import AsyncTaskiqDecoratedTask
from taskiq.receiver import Receiver

from .._client import TalonClient
from ..auth import ApiKeyV1, AuthStrategy
from ._cli import BROKER_ENV, report
from ._job import LineError, read_line
from ._progress import Progress
from ._runner import (
    DEFAULT_CONCURRENCY,
    STOP_GRACE,
    CheckpointError,
    Executor,
    Summary,
    check_job,
    client_fingerprint,
    default_failures,
    error_record,
    failure_counts,
    fingerprint,
    other_target,
    stop_on,
    write_failures,
)

__all__ = [
    "BROKER_ENV",
    "QUEUE",
    "TASK_NAME",
    "BulkStreamBroker",
    "redacted",
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
DEAD_LETTERS_KEPT = 1000
"""Entries kept in a queue's dead-letter list (``<queue>:dead``), newest first."""

logger: logging.Logger = logging.getLogger("talon_async.bulk")
T = TypeVar("T")


def redacted(url: str) -> str:
    """``url`` with its password, if any, replaced by ``***``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = f"{parts.username}:***@" if parts.username else ":***@"
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=user + host))


class _Outage:
    """Waits between attempts while Redis cannot be reached: 0.1 s at first, growing to
    5 s; logs one line when an outage starts, one per minute while it lasts, and one
    when it is over. Shared by everything one task or process does with Redis."""

    LOG_EVERY = 60.0

    def __init__(self, what: str) -> None:
        self._what = what
        self._since: float | None = None
        self._logged = 0.0

    async def failed(self, error: BaseException) -> None:
        task = asyncio.current_task()
        if task is not None and getattr(task, "cancelling", lambda: 0)():
            # redis-py can turn a cancellation into a connection error: not retried.
            raise asyncio.CancelledError
        now = time.monotonic()
        if self._since is None:
            self._since = now
        if now - self._logged >= self.LOG_EVERY:
            self._logged = now
            logger.warning(
                "%s: %s: %s (retrying)", self._what, type(error).__name__, error or "no answer"
            )
        await asyncio.sleep(min(5.0, max(0.1, (now - self._since) / 2)))

    def ok(self) -> None:
        if self._since is not None:
            logger.warning(
                "%s: reachable again after %.1f s", self._what, time.monotonic() - self._since
            )
            self._since = None
            self._logged = 0.0

    async def run(self, attempt: Callable[[], Awaitable[T]]) -> T:
        """``attempt()`` until it does not fail for want of Redis."""
        while True:
            try:
                result = await attempt()
            except RedisError as error:
                await self.failed(error)
            else:
                self.ok()
                return result


def _redis(url: str, max_connections: int) -> Redis:
    """A Redis client whose commands end with an error rather than hang on a Redis that
    stopped answering (a blocking pool: tasks wait for a free connection)."""
    pool = BlockingConnectionPool.from_url(
        url,
        max_connections=max_connections,
        timeout=None,
        socket_connect_timeout=5,
        socket_timeout=10,
    )
    return Redis.from_pool(pool)


# -- the broker ---------------------------------------------------------------------------------


class BulkStreamBroker(AsyncBroker):
    """A taskiq broker on a Redis stream, for bulk jobs (see :func:`stream_broker`).

    Each worker reads with its own consumer of the queue's consumer group, one task at
    a time; a task left unacknowledged (its worker died, or left it) for
    ``reclaim_after`` seconds is delivered again. An entry that cannot be a task (no
    ``data``, not a taskiq message, a bulk task with wrong arguments) is acknowledged and
    kept in ``<queue>:dead`` with the reason, logged once. While Redis cannot be reached,
    :meth:`listen` waits and tries again (see :class:`_Outage`): it never raises.
    """

    def __init__(
        self,
        url: str,
        *,
        queue: str = QUEUE,
        reclaim_after: float = DEFAULT_RECLAIM_AFTER,
        max_connections: int = 64,
    ) -> None:
        super().__init__()
        self.queue_name: str = queue
        self.consumer_group_name: str = queue
        self.dead_letters: str = f"{queue}:dead"
        self.consumer_name: str = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.reclaim_after: float = reclaim_after
        self.redis: Redis = _redis(url, max_connections)
        self._block = max(100, min(2000, int(reclaim_after * 500)))
        self._group_ready = False
        # One for the listener and the acknowledgements: an outage is logged once.
        self._outage = _Outage(f"queue {queue!r}")

    async def shutdown(self) -> None:
        await super().shutdown()
        await self.redis.aclose()

    async def kick(self, message: BrokerMessage) -> None:
        await self.redis.xadd(self.queue_name, {b"data": message.message})

    async def listen(self) -> AsyncGenerator[AckableMessage, None]:
        outage = self._outage
        while True:
            # Shielded: a cancelled read (the worker stopping) may leave its connection
            # reading until the server answers; the tasks it fetched then stay pending
            # and are delivered again after reclaim_after.
            fetch = asyncio.ensure_future(self._fetch())
            try:
                messages = await asyncio.shield(fetch)
            except asyncio.CancelledError:
                fetch.add_done_callback(_consume)
                raise
            except RedisError as error:
                self._group_ready = False
                await outage.failed(error)
                continue
            outage.ok()
            for message in messages:
                yield message

    async def _fetch(self) -> list[AckableMessage]:
        """One new task, then one task idle for ``reclaim_after`` seconds, if any."""
        if not self._group_ready:
            try:  # from the start of the stream: tasks kicked before any worker ran count
                await self.redis.xgroup_create(
                    self.queue_name, self.consumer_group_name, id="0", mkstream=True
                )
            except RedisError as error:
                if "BUSYGROUP" not in str(error):
                    raise
            self._group_ready = True
        fetched: Any = await self.redis.xreadgroup(
            self.consumer_group_name,
            self.consumer_name,
            {self.queue_name: ">"},
            count=1,
            block=self._block,
        )
        entries = [entry for _, stream_entries in fetched or () for entry in stream_entries]
        claimed: Any = await self.redis.xautoclaim(
            self.queue_name,
            self.consumer_group_name,
            self.consumer_name,
            min_idle_time=int(self.reclaim_after * 1000),
            count=1,
        )
        entries += [entry for entry in claimed[1] if entry[1]]  # a deleted entry has none
        messages = []
        for entry_id, fields in entries:
            problem = self._problem(fields)
            if problem is None:
                ack = self._acknowledger(entry_id)
                messages.append(AckableMessage(data=fields[b"data"], ack=ack))
            else:
                await self._dead_letter(entry_id, fields, problem)
        return messages

    def _problem(self, fields: Mapping[bytes, bytes]) -> str | None:
        """Why a stream entry cannot be run, or None."""
        data = fields.get(b"data")
        if data is None:
            return "the entry has no data field"
        try:
            message = self.formatter.loads(data)
        except Exception as error:  # whatever the formatter raises on bad input
            return f"not a taskiq message ({type(error).__name__})"
        if message.task_name == TASK_NAME:
            args = message.args
            if not (
                len(args) == 3
                and not message.kwargs
                and isinstance(args[0], str)
                and isinstance(args[1], str)
                and type(args[2]) is int
            ):
                return "a bulk task whose arguments are not (job id, run id, chunk number)"
        return None

    async def _dead_letter(self, entry_id: bytes, fields: Mapping[bytes, bytes], why: str) -> None:
        record = {
            "id": entry_id.decode(),
            "reason": why,
            "consumer": self.consumer_name,
            "fields": {
                key.decode(errors="replace"): value[:2000].decode(errors="replace")
                for key, value in fields.items()
            },
        }
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.lpush(self.dead_letters, orjson.dumps(record))
            pipe.ltrim(self.dead_letters, 0, DEAD_LETTERS_KEPT - 1)
            pipe.xack(self.queue_name, self.consumer_group_name, entry_id)
            pipe.xdel(self.queue_name, entry_id)
            await pipe.execute()
        logger.warning(
            "queue %r: entry %s is not a task (%s): acknowledged and kept in %r",
            self.queue_name,
            entry_id.decode(),
            why,
            self.dead_letters,
        )

    def _acknowledger(self, entry_id: bytes) -> Callable[[], Awaitable[None]]:
        async def ack() -> None:
            async def attempt() -> None:
                async with self.redis.pipeline(transaction=True) as pipe:
                    pipe.xack(self.queue_name, self.consumer_group_name, entry_id)
                    pipe.xdel(self.queue_name, entry_id)
                    await pipe.execute()

            await self._outage.run(attempt)

        return ack


def _consume(task: asyncio.Task[Any]) -> None:
    if not task.cancelled():
        task.exception()  # retrieved: an abandoned read's error is of no interest


def stream_broker(
    url: str, *, queue: str = QUEUE, reclaim_after: float = DEFAULT_RECLAIM_AFTER
) -> BulkStreamBroker:
    """A :class:`BulkStreamBroker` for the Redis at ``url``: a task left unacknowledged
    for ``reclaim_after`` seconds (and a chunk whose lease was not renewed for that long)
    is taken over by another worker."""
    return BulkStreamBroker(url, queue=queue, reclaim_after=reclaim_after)


# -- where a job lives in Redis, and the scripts that change it ----------------------------------


class _Keys:
    """Where one job lives in Redis."""

    def __init__(self, job_id: str) -> None:
        prefix = f"talon-bulk:{job_id}:"
        self.meta = prefix + "meta"
        """Hash: run, target, base_url, digest, lines, chunks, chunk_size, dry, rate,
        loaded; done and failed (the counts of the marks d and f); the pace's state."""
        self.state = prefix + "state"
        """Hash: line number -> s (started), d (done), f (failed)."""
        self.failures = prefix + "failures"
        """Hash: line number -> the error (JSON)."""
        self.resent = prefix + "resent"
        """Set: lines sent again, as they were started and never finished."""
        self.kicked = prefix + "kicked"
        """Set: chunks handed to the queue."""
        self._prefix = prefix

    def chunk(self, number: int) -> str:
        """Hash: line number -> the line's text, of the chunk's lines."""
        return f"{self._prefix}chunk:{number}"

    def lease(self, number: int) -> str:
        return f"{self._prefix}lease:{number}"

    def all(self, chunks: int) -> list[str]:
        fixed = [self.meta, self.state, self.failures, self.resent, self.kicked]
        return fixed + [self.chunk(number) for number in range(chunks)]


# Creates the job's record, unless there is one; with ARGV[9] == "1" (--restart) deletes
# the old one first. Returns the record's run, target, base URL and chunk size.
_CREATE = """
local meta = KEYS[1]
if redis.call('exists', meta) == 1 and ARGV[9] ~= '1' then
  return redis.call('hmget', meta, 'run', 'target', 'base_url', 'chunk_size')
end
local chunks = tonumber(redis.call('hget', meta, 'chunks') or '0')
local prefix = string.sub(meta, 1, -5)
for _, name in ipairs({'meta', 'state', 'failures', 'resent', 'kicked'}) do
  redis.call('del', prefix .. name)
end
for n = 0, chunks - 1 do
  redis.call('del', prefix .. 'chunk:' .. n, prefix .. 'lease:' .. n)
end
redis.call('hset', meta, 'run', ARGV[1], 'target', ARGV[2], 'base_url', ARGV[3],
  'digest', ARGV[4], 'lines', ARGV[5], 'chunk_size', ARGV[6], 'dry', ARGV[7],
  'rate', ARGV[8], 'chunks', ARGV[10], 'done', 0, 'failed', 0)
return {ARGV[1], ARGV[2], ARGV[3], ARGV[6]}
"""

# Hands chunk ARGV[1] to the queue (stream KEYS[2]) unless it was handed over already.
_KICK = """
if redis.call('sadd', KEYS[1], ARGV[1]) == 1 then
  redis.call('xadd', KEYS[2], '*', 'data', ARGV[2])
end
return 0
"""

# Before a call: {1} send it, {0} skip it (finished), {-1} the lease is lost, {-2} the
# run is gone (expired, or restarted), {2, ms} wait that long for the job's pace.
# KEYS: lease, meta, state, resent; ARGV: lease token, run, line.
# The pace: at most `rate` calls a second, spaced by 1/rate (`tat`: the next call's
# earliest time, in ms); `pause`: no call before then (a 429); `slow`: the rate is
# divided by it until `slow_until`.
_START = """
if redis.call('get', KEYS[1]) ~= ARGV[1] then return {-1} end
local meta = KEYS[2]
if redis.call('hget', meta, 'run') ~= ARGV[2] then return {-2} end
local old = redis.call('hget', KEYS[3], ARGV[3])
if old == 'd' or old == 'f' then return {0} end
local clock = redis.call('time')
local now = clock[1] * 1000 + math.floor(clock[2] / 1000)
local pause = tonumber(redis.call('hget', meta, 'pause') or '0')
if pause > now then return {2, pause - now} end
local rate = tonumber(redis.call('hget', meta, 'rate') or '0')
if rate > 0 then
  local slow = 1
  if tonumber(redis.call('hget', meta, 'slow_until') or '0') > now then
    slow = tonumber(redis.call('hget', meta, 'slow'))
  end
  local at = math.max(tonumber(redis.call('hget', meta, 'tat') or '0'), now)
  if at > now then return {2, at - now} end
  redis.call('hset', meta, 'tat', at + math.ceil(1000 * slow / rate))
end
if old == 's' then redis.call('sadd', KEYS[4], ARGV[3]) end
redis.call('hset', KEYS[3], ARGV[3], 's')
return {1}
"""

# After a call: marks line ARGV[2] d (done) or f (failed, ARGV[3] the error) and keeps
# the counts done and failed equal to the numbers of such marks. A line once done stays
# done (a failed resend does not undo that the call was applied). Nothing is written for
# a run that is gone (-2). KEYS: meta, state, failures; ARGV: run, line, mark, error.
_FINISH = """
local meta = KEYS[1]
if redis.call('hget', meta, 'run') ~= ARGV[1] then return -2 end
local old = redis.call('hget', KEYS[2], ARGV[2])
if old == 'd' or old == ARGV[3] then return 0 end
if old == 'f' then
  redis.call('hincrby', meta, 'failed', -1)
  redis.call('hdel', KEYS[3], ARGV[2])
end
redis.call('hset', KEYS[2], ARGV[2], ARGV[3])
if ARGV[3] == 'd' then
  redis.call('hincrby', meta, 'done', 1)
else
  redis.call('hincrby', meta, 'failed', 1)
  redis.call('hset', KEYS[3], ARGV[2], ARGV[4])
end
return 1
"""

# A 429: no call of the job before now + ARGV[1] ms; the first 429 of a pause also
# halves the rate (down to a sixteenth) for 30 s. KEYS: meta.
_THROTTLE = """
local meta = KEYS[1]
local clock = redis.call('time')
local now = clock[1] * 1000 + math.floor(clock[2] / 1000)
local pause = tonumber(redis.call('hget', meta, 'pause') or '0')
if pause <= now then
  local slow = 1
  if tonumber(redis.call('hget', meta, 'slow_until') or '0') > now then
    slow = tonumber(redis.call('hget', meta, 'slow'))
  end
  redis.call('hset', meta, 'slow', math.min(16, slow * 2), 'slow_until', now + 30000)
end
redis.call('hset', meta, 'pause', math.max(pause, now + tonumber(ARGV[1])))
return 0
"""

# Binds a job submitted without a target to ARGV[1] (base URL ARGV[2]), unless bound.
_BIND = """
if redis.call('hget', KEYS[1], 'target') == '' then
  redis.call('hset', KEYS[1], 'target', ARGV[1], 'base_url', ARGV[2])
end
return redis.call('hmget', KEYS[1], 'target', 'base_url')
"""

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


# -- the worker side --------------------------------------------------------------------------


class LeaseLost(RuntimeError):
    """The chunk's lease ran out (Redis unreachable, the worker stalled) or was taken
    over: the task starts no more calls and leaves the chunk to another worker."""


class RunGone(RuntimeError):
    """The job's run is gone (its record expired, or it was restarted): the task ends."""


class _Lease:
    """An exclusive hold on one chunk for ``seconds``, renewed while the task runs.

    It is held until a renewal fails to reach Redis for ``seconds`` (measured from the
    last renewal sent), or Redis says it is gone; :meth:`check` raises from then on. The
    scripts that mark a line started check the token in Redis itself, so a task that
    lost its lease starts no call even before it notices.
    """

    def __init__(self, redis: Redis, key: str, seconds: float, outage: _Outage) -> None:
        self.redis = redis
        self.key = key
        self.token = uuid.uuid4().hex
        self.seconds = seconds
        self._outage = outage
        self._deadline = 0.0
        self._lost = False
        self._released = False
        self._heartbeat: asyncio.Task[None] | None = None

    async def acquire(self) -> bool:
        sent = time.monotonic()
        milliseconds = max(1, int(self.seconds * 1000))
        if not await self.redis.set(self.key, self.token, nx=True, px=milliseconds):
            return False
        self._deadline = sent + self.seconds
        self._heartbeat = asyncio.ensure_future(self._keep(milliseconds))
        return True

    async def _keep(self, milliseconds: int) -> None:
        # Ends on `_released` too: redis-py can swallow the cancellation of a command.
        while not self._released:
            await asyncio.sleep(self.seconds / 4)
            sent = time.monotonic()
            try:
                renewed = await self.redis.eval(_RENEW, 1, self.key, self.token, milliseconds)
            except RedisError as error:
                if not self._released:
                    logger.warning(
                        "lease %s not renewed: %s: %s", self.key, type(error).__name__, error
                    )
                continue
            if not renewed:
                self._lost = True
                return
            self._deadline = sent + self.seconds

    @property
    def held(self) -> bool:
        return not self._lost and time.monotonic() < self._deadline

    def check(self) -> None:
        if not self.held:
            raise LeaseLost(f"{self.key} was not renewed in time or was taken over")

    async def release(self) -> None:
        self._released = True
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            await asyncio.gather(self._heartbeat, return_exceptions=True)
        if self.held:
            try:
                await self.redis.eval(_RELEASE, 1, self.key, self.token)
            except RedisError as error:  # it runs out by itself
                logger.warning("lease %s not released: %s", self.key, error)


class _RedisCallRecord:
    """The executor's marks, in Redis, through the scripts above. A Redis outage is
    waited out: before a call while the lease holds, after a call (its answer is the
    truth, lease or not) for as long again; past that the task stops
    (:class:`LeaseLost`), and the line stays started, to be sent again and reported."""

    def __init__(self, keys: _Keys, lease: _Lease, run: str, outage: _Outage) -> None:
        self._redis = lease.redis
        self._keys = keys
        self._lease = lease
        self._run = run
        self._outage = outage
        self._throttles: set[asyncio.Task[Any]] = set()

    async def _script(self, script: str, keys: list[str], *args: Any, lease: bool) -> Any:
        give_up = time.monotonic() + self._lease.seconds
        while True:
            if lease:
                self._lease.check()
            elif time.monotonic() > give_up and not self._lease.held:
                raise LeaseLost(f"{self._lease.key}: the answer of a call could not be recorded")
            try:
                result = await self._redis.eval(script, len(keys), *keys, *args)
            except RedisError as error:
                await self._outage.failed(error)
            else:
                self._outage.ok()
                return result

    async def started(self, line: int) -> bool:
        keys = self._keys
        while True:
            code, *wait = await self._script(
                _START,
                [self._lease.key, keys.meta, keys.state, keys.resent],
                self._lease.token,
                self._run,
                line,
                lease=True,
            )
            if code == 2:
                await asyncio.sleep(wait[0] / 1000)
                continue
            if code == -1:
                raise LeaseLost(f"{self._lease.key} was taken over")
            if code == -2:
                raise RunGone(self._run)
            return bool(code == 1)

    async def _finish(self, line: int, mark: str, error: bytes = b"") -> None:
        keys = self._keys
        found = await self._script(
            _FINISH,
            [keys.meta, keys.state, keys.failures],
            self._run,
            line,
            mark,
            error,
            lease=False,
        )
        if found == -2:
            raise RunGone(self._run)

    async def done(self, line: int) -> None:
        await self._finish(line, "d")

    async def failed(self, line: int, error: dict[str, Any]) -> None:
        await self._finish(line, "f", orjson.dumps(error))

    def throttled(self, seconds: float) -> None:
        """A call was answered 429: pause every worker of the job (see ``_THROTTLE``)."""
        task = asyncio.ensure_future(
            self._redis.eval(_THROTTLE, 1, self._keys.meta, int(seconds * 1000))
        )
        self._throttles.add(task)
        task.add_done_callback(self._thrown)

    def _thrown(self, task: asyncio.Task[Any]) -> None:
        self._throttles.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.warning("a 429 could not be shared with the other workers: %s", task.exception())


@define
class WorkerState:
    """What a worker holds while it runs (``broker.state.talon_bulk``)."""

    client: TalonClient
    target: str
    """The fingerprint of the client's deployment and credentials."""
    redis: Redis
    """Where the jobs' records are (the broker's Redis, unless ``register`` was told)."""
    concurrency: int
    lease: float
    stopping: asyncio.Event
    """Set to stop gracefully: tasks start no more calls and leave their chunks."""
    refused: set[str]
    """Jobs of another deployment seen by this worker (logged once each)."""


async def _run_chunk(worker: WorkerState, job_id: str, run: str, chunk: int) -> bool:
    """Run what is left of a chunk; True when the task is finished with (acknowledge it)."""
    redis, keys = worker.redis, _Keys(job_id)
    outage = _Outage(f"bulk job {job_id} chunk {chunk}")
    meta = cast(dict[bytes, bytes], await outage.run(lambda: redis.hgetall(keys.meta)))
    if meta.get(b"run") != run.encode():
        logger.warning("bulk job %s: its run %s is gone (expired, or restarted)", job_id, run)
        return True
    if not meta[b"target"]:  # submitted without a target: bound to the first worker's
        bound = await outage.run(
            lambda: redis.eval(_BIND, 1, keys.meta, worker.target, worker.client.base_url)
        )
        meta[b"target"], meta[b"base_url"] = bound
    if meta[b"target"] != worker.target.encode():
        if job_id not in worker.refused:
            worker.refused.add(job_id)
            logger.error(
                "bulk job %s is for %s with other credentials than this worker's (%s): "
                "its chunks are left to the workers of that deployment",
                job_id,
                meta[b"base_url"].decode(),
                worker.client.base_url,
            )
        await outage.run(lambda: redis.hset(keys.meta, "refused", worker.client.base_url))
        return False
    lease = _Lease(redis, keys.lease(chunk), worker.lease, outage)
    if not await outage.run(lease.acquire):
        return False  # held by a live task: it finishes the chunk
    record = _RedisCallRecord(keys, lease, run, outage)
    executor = Executor(
        worker.client,
        record,
        concurrency=worker.concurrency,
        job=meta[b"digest"].decode(),
        on_429=record.throttled,
    )
    stopper = asyncio.ensure_future(stop_on(worker.stopping, executor))
    try:
        lines = await outage.run(lambda: redis.hgetall(keys.chunk(chunk)))
        numbers = sorted(int(number) for number in lines)
        states = await outage.run(lambda: redis.hmget(keys.state, numbers))
        dry = meta[b"dry"] == b"1"
        for number, state in zip(numbers, states, strict=True):
            if state in (b"d", b"f"):
                continue
            try:
                call = read_line(number, lines[str(number).encode()], dry=dry, checked=True)
            except LineError as error:  # a worker running another version of the library
                await record.failed(number, error_record(error))
                continue
            if not await executor.submit(call):
                break
        await executor.drain(STOP_GRACE)
    except RunGone:
        logger.warning("bulk job %s: its run %s is gone (expired, or restarted)", job_id, run)
        return True
    except LeaseLost as error:
        logger.warning("bulk job %s chunk %d: %s; left to another worker", job_id, chunk, error)
        return False
    finally:
        await executor.abort()
        stopper.cancel()
        await lease.release()
    return not executor.stopping


async def run_chunk(
    job_id: str,
    run: str,
    chunk: int,
    context: Context = TaskiqDepends(),  # noqa: B008 - how taskiq hands a task its context
) -> None:
    """The bulk task: run chunk ``chunk`` of run ``run`` of the job ``job_id``, then
    acknowledge it. Registered under :data:`TASK_NAME` by :func:`register`. A task that
    cannot finish its chunk (its lease is held by another task or was lost, the worker is
    stopping) is left unacknowledged, to be delivered again after ``reclaim_after``."""
    if await _run_chunk(context.state.talon_bulk, job_id, run, chunk):
        await context.ack()


def _task(broker: AsyncBroker) -> AsyncTaskiqDecoratedTask[Any, Any]:
    found = broker.find_task(TASK_NAME)
    if found is not None:
        return found
    return broker.register_task(run_chunk, task_name=TASK_NAME, **LABELS)


def register(
    broker: BulkStreamBroker,
    client_factory: Callable[[], TalonClient],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    lease: float | None = None,
    redis_url: str | None = None,
) -> AsyncTaskiqDecoratedTask[Any, Any]:
    """Make ``broker``'s workers run bulk tasks; returns the registered task.

    On worker startup ``client_factory()`` makes the worker's one TalonClient (once, even
    if taskiq starts its receiver again), closed on worker shutdown. A task runs at most
    ``concurrency`` calls at once, and runs only jobs submitted for the client's
    deployment and credentials. ``lease`` (seconds; default: the broker's
    ``reclaim_after``) is how long a chunk stays held by a task that stopped renewing it.
    The jobs' records are in the broker's Redis, or at ``redis_url`` (give
    :func:`submit_job` the same). Set ``broker.state.talon_bulk.stopping`` to stop
    gracefully (``python -m talon_async worker`` does on SIGINT and SIGTERM).
    """
    if not isinstance(broker, BulkStreamBroker):
        raise TypeError(f"broker must be a BulkStreamBroker, got {type(broker).__name__}")

    async def startup(state: TaskiqState) -> None:
        if getattr(state, "talon_bulk", None) is None:
            client = client_factory()
            state.talon_bulk = WorkerState(
                client=client,
                target=await client_fingerprint(client),
                redis=_redis(redis_url, 64) if redis_url else broker.redis,
                concurrency=concurrency,
                lease=lease or broker.reclaim_after,
                stopping=asyncio.Event(),
                refused=set(),
            )

    async def shutdown(state: TaskiqState) -> None:
        worker: WorkerState | None = getattr(state, "talon_bulk", None)
        if worker is not None:
            state.talon_bulk = None
            await worker.client.aclose()
            if worker.redis is not broker.redis:
                await worker.redis.aclose()

    broker.add_event_handler(TaskiqEvents.WORKER_STARTUP, startup)
    broker.add_event_handler(TaskiqEvents.WORKER_SHUTDOWN, shutdown)
    return _task(broker)


async def serve_worker(
    client_factory: Callable[[], TalonClient],
    broker_url: str,
    *,
    queue: str,
    reclaim_after: float,
    concurrency: int,
    tasks: int,
    stop: asyncio.Event,
) -> int:
    """``python -m talon_async worker``: run bulk tasks until ``stop`` is set, then stop
    gracefully (no new task, no new call; the calls in flight are waited for)."""
    broker = stream_broker(broker_url, queue=queue, reclaim_after=reclaim_after)
    register(broker, client_factory, concurrency=concurrency)
    broker.is_worker_process = True
    finish = asyncio.Event()

    async def stopping() -> None:
        await stop.wait()
        finish.set()
        worker: WorkerState | None = getattr(broker.state, "talon_bulk", None)
        if worker is not None:
            worker.stopping.set()

    watcher = asyncio.ensure_future(stopping())
    receiver = Receiver(
        broker,
        run_startup=True,
        max_async_tasks=tasks,
        max_prefetch=0,
        wait_tasks_timeout=STOP_GRACE + 5,
    )
    print(
        f"worker {broker.consumer_name} serving queue {queue!r} on {redacted(broker_url)}",
        flush=True,
    )
    try:
        await receiver.listen(finish)
    finally:
        watcher.cancel()
        await broker.shutdown()
    print("worker stopped", flush=True)
    return 0


# -- the submitting side --------------------------------------------------------------------------


def _chunks(keys: Iterable[tuple[int, Any, bool]], sendable: set[int], size: int) -> dict[int, int]:
    """Line number -> chunk: whole keys per chunk, a new chunk once one holds ``size``."""
    chunk_of_key: dict[object, int] = {}
    sizes: list[int] = []
    chunk_of_line: dict[int, int] = {}
    for number, key, _ in keys:
        if number not in sendable:
            continue
        name = key if key is not None else ("line", number)
        index = chunk_of_key.get(name)
        if index is None:
            if not sizes or sizes[-1] >= size:
                sizes.append(0)
            index = chunk_of_key[name] = len(sizes) - 1
        sizes[index] += 1
        chunk_of_line[number] = index
    return chunk_of_line


def _kick_message(broker: AsyncBroker, job_id: str, run: str, chunk: int) -> bytes:
    message = TaskiqMessage(
        task_id=uuid.uuid4().hex,
        task_name=TASK_NAME,
        labels=dict(LABELS),
        args=[job_id, run, chunk],
        kwargs={},
    )
    return broker.formatter.dumps(message).message


async def submit_job(
    redis_url: str,
    path: str | Path,
    *,
    base_url: str | None = None,
    auth: AuthStrategy | Iterable[AuthStrategy] | None = None,
    queue: str = QUEUE,
    dry: bool = False,
    rate: float | None = None,
    restart: bool = False,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    failures: str | Path | None = None,
    progress: TextIO | None = None,
    progress_every: float = 10.0,
    stop: asyncio.Event | None = None,
) -> Summary:
    """Hand the job at ``path`` to the workers of ``queue`` and wait until it is finished.

    The file is read once and every line checked first (a bad line raises
    :class:`JobError`, nothing is stored). The job is known in Redis by its content hash,
    and bound to the deployment and credentials the workers must have: ``base_url`` and
    ``auth`` (only a fingerprint is stored), or, without them, those of the first worker
    that takes a chunk of it. Submitting the same file again (after the
    submitter was stopped, or while another submitter follows it, or once it is
    finished) attaches to it and reports; nothing finished is sent again. Submitting it
    for another deployment or key raises :class:`CheckpointError`, unless ``restart=True``
    (a new run from the first line: the old run's tasks end). ``rate`` caps the calls a
    second of all the job's workers together (given again, it changes a running job's).
    Shows progress on ``progress``, writes the failed lines to ``failures`` (default
    ``JOB.failed.jsonl``) and returns the summary, as :func:`~talon_async.bulk.run_job`
    does. Setting ``stop`` stops following the job (the workers go on with it).
    """
    from .._transport import normalize_base_url

    job = Path(path)
    started = time.monotonic()
    if (base_url is None) != (auth is None):
        raise TypeError("give both base_url and auth, or neither")
    target = ""  # bound to the first worker's
    if base_url is not None and auth is not None:
        base_url = normalize_base_url(base_url)
        strategies = [auth] if isinstance(auth, AuthStrategy) else list(auth)
        target = await fingerprint(base_url, strategies)
    with check_job(job, dry=dry) as read:
        sendable = {number for number, _, runnable in read.keys if runnable or not dry}
        job_id = read.digest[:32] + ("-dry" if dry else "")
        keys = _Keys(job_id)
        broker = BulkStreamBroker(redis_url, queue=queue, max_connections=4)
        redis, outage = broker.redis, _Outage(f"Redis at {redacted(redis_url)}")
        try:
            chunk_of_line = _chunks(read.keys, sendable, chunk_size)
            chunks = max(chunk_of_line.values(), default=-1) + 1
            record = await outage.run(
                lambda: redis.eval(
                    _CREATE,
                    1,
                    keys.meta,
                    uuid.uuid4().hex,
                    target,
                    base_url or "",
                    read.digest,
                    len(sendable),
                    chunk_size,
                    int(dry),
                    rate or 0,
                    int(restart),
                    chunks,
                )
            )
            run, found_target, found_url, found_size = (value.decode() for value in record)
            if target and not found_target:
                bound = await outage.run(
                    lambda: redis.eval(_BIND, 1, keys.meta, target, base_url or "")
                )
                found_target, found_url = (value.decode() for value in bound)
            if target and found_target != target:
                raise CheckpointError(
                    f"{job} was submitted for {other_target(found_url, base_url or '')}: pass "
                    "--restart to start a new run (the old run's record is forgotten, its "
                    "tasks end)"
                )
            if int(found_size) != chunk_size:
                chunk_of_line = _chunks(read.keys, sendable, int(found_size))
            if rate is not None:
                await outage.run(lambda: redis.hset(keys.meta, "rate", rate))
            await _load(redis, outage, keys, read.calls(), chunk_of_line)
            kicked = {int(n) for n in await outage.run(lambda: redis.smembers(keys.kicked))}
            for number in sorted(set(chunk_of_line.values()) - kicked):
                message = _kick_message(broker, job_id, run, number)
                await outage.run(
                    lambda: redis.eval(_KICK, 2, keys.kicked, queue, number, message)  # noqa: B023
                )
            before = await _counts(redis, outage, keys, run, job, queue)
            shown = Progress(len(sendable) - sum(before), progress, every=progress_every)
            interrupted = False
            while True:
                done, failed = await _counts(redis, outage, keys, run, job, queue)
                shown.update(done - before[0], failed - before[1])
                if done + failed >= len(sendable):
                    break
                if stop is not None and stop.is_set():
                    interrupted = True
                    break
                await asyncio.sleep(0.1)
            shown.close(done - before[0], failed - before[1])
            failed_lines = {
                int(number): orjson.loads(error)
                for number, error in (
                    await outage.run(lambda: redis.hgetall(keys.failures))
                ).items()
            }
            resent_lines = await outage.run(lambda: redis.smembers(keys.resent))
            resent = tuple(sorted(int(number) for number in resent_lines))
            if not interrupted:
                for key in keys.all(chunks):
                    await outage.run(lambda: redis.expire(key, KEEP_SECONDS))  # noqa: B023
        finally:
            await broker.shutdown()
        target_path = Path(failures) if failures is not None else default_failures(job, dry=dry)
        if failed_lines:
            write_failures(read.calls(), failed_lines, target_path)
    return Summary(
        lines=read.lines,
        done=done,
        failed=failure_counts(failed_lines),
        skipped=sum(before),
        resent=resent,
        sent=done + failed - sum(before),
        elapsed=time.monotonic() - started,
        no_dry_run=read.lines - len(sendable),
        failures_path=target_path if failed_lines else None,
        interrupted=interrupted,
    )


async def _load(
    redis: Redis,
    outage: _Outage,
    keys: _Keys,
    calls: Iterable[tuple[int, bytes]],
    chunk_of_line: Mapping[int, int],
) -> None:
    """Store the job's chunks, unless they are: writing a line twice writes the same
    field, so submitters loading the same job at once (or again, after one died while
    loading) cannot duplicate a line."""
    if await outage.run(lambda: redis.hget(keys.meta, "loaded")) == b"1":
        return
    batch: dict[str, dict[int, bytes]] = {}
    size = 0
    for number, text in calls:
        index = chunk_of_line.get(number)
        if index is not None:
            batch.setdefault(keys.chunk(index), {})[number] = text
            size += len(text)
            if size >= 4 << 20:
                await outage.run(lambda: _store(redis, batch))  # noqa: B023
                batch, size = {}, 0
    await outage.run(lambda: _store(redis, batch))
    await outage.run(lambda: redis.hset(keys.meta, "loaded", 1))


async def _store(redis: Redis, batch: Mapping[str, Mapping[int, bytes]]) -> None:
    if batch:
        async with redis.pipeline(transaction=False) as pipe:
            for key, lines in batch.items():
                pipe.hset(key, mapping=lines)  # type: ignore[arg-type]
            await pipe.execute()


async def _counts(
    redis: Redis, outage: _Outage, keys: _Keys, run: str, job: Path, queue: str
) -> tuple[int, int]:
    found = await outage.run(lambda: redis.hmget(keys.meta, ["run", "done", "failed", "refused"]))
    now_run, done, failed, refused = cast(list[bytes | None], found)
    if now_run != run.encode():
        raise CheckpointError(f"{job}: its run was restarted by another submitter, or expired")
    if refused is not None:
        raise CheckpointError(
            f"{job}: a worker of queue {queue!r} serves {refused.decode()} "
            "(or other credentials), not the deployment it was submitted for: start workers "
            "for it, or use another --queue"
        )
    return int(done or 0), int(failed or 0)


async def submit_command(
    broker_url: str, target: tuple[str, str] | None, args: Any, stop: asyncio.Event
) -> int:
    """``python -m talon_async bulk run JOB --broker``; ``target`` the base URL and API key
    the job is for (None: those of the first worker that takes it)."""
    base_url, api_key = target if target is not None else (None, None)
    summary = await submit_job(
        broker_url,
        args.job,
        base_url=base_url,
        auth=ApiKeyV1(api_key) if api_key is not None else None,
        queue=args.queue,
        dry=args.dry,
        rate=args.rate,
        restart=args.restart,
        chunk_size=args.chunk_size,
        failures=args.failures,
        progress=sys.stderr,
        progress_every=args.progress_every,
        stop=stop,
    )
    return report(summary)
