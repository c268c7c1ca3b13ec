"""The ``bulk`` and ``worker`` commands of ``python -m talon_async``.

``bulk run JOB.jsonl`` runs a job in this process, or with ``--broker`` hands it to
``worker`` processes. Exit codes: 0 every line done, 1 some lines failed (see the
failures file), 2 a usage error, bad lines, a checkpoint that cannot be used or a job
already running (nothing sent), 130 interrupted (run the same command again to resume).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from .._client import TalonClient
from ..auth import ApiKeyV1
from ._job import JobError
from ._runner import DEFAULT_CONCURRENCY, STOP_GRACE, CheckpointError, Summary, run_job

__all__ = ["add_commands", "run_command"]

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def _rate(text: str) -> float:
    try:
        value = float(text.removesuffix("/s"))
    except ValueError:
        value = -1.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a rate of calls per second (e.g. 50/s)")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0")
    return value


BROKER_ENV = "TALON_BULK_BROKER"
_FROM_ENV = "$" + BROKER_ENV


def _connection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base-url", help="the Talon.One deployment (default: $TALON_BASE_URL)")
    parser.add_argument(
        "--api-key",
        help="an Application API key (default: $TALON_API_KEY, which keeps it out of ps)",
    )


def _broker(parser: argparse.ArgumentParser, **options: Any) -> None:
    parser.add_argument(
        "--broker",
        metavar="REDIS_URL",
        help=f"the Redis of the queue (default: ${BROKER_ENV}, which keeps a password out of ps)",
        **options,
    )
    parser.add_argument(
        "--queue", default="talon-bulk", help="the Redis stream of the tasks (default: %(default)s)"
    )


def add_commands(commands: Any) -> None:
    """Add ``bulk`` and ``worker`` to the subcommands of ``python -m talon_async``
    (the object ``ArgumentParser.add_subparsers`` returned)."""
    bulk = commands.add_parser(
        "bulk", help="run a JSON Lines job of API calls", description="Bulk jobs."
    )
    bulk.set_defaults(bulk_parser=bulk)
    actions = bulk.add_subparsers(dest="bulk_command", metavar="COMMAND", title="commands")
    run = actions.add_parser(
        "run",
        help="run a job in this process, or through workers with --broker",
        description="Read JOB once and check every line, then send its calls: those of one "
        "customer session or profile in file order, one at a time, the others in "
        "parallel. Rerun the same command after a crash to resume; SIGINT or SIGTERM "
        f"stops it gracefully (the calls in flight are waited for, up to {STOP_GRACE:.0f} "
        "s; a second signal cuts them).",
    )
    run.add_argument("job", type=Path, help="the job: a JSON Lines file, one call per line")
    _connection(run)
    run.add_argument(
        "--concurrency",
        type=_positive,
        default=DEFAULT_CONCURRENCY,
        help=f"calls in flight at once (default {DEFAULT_CONCURRENCY}; with --broker, "
        "each worker's own setting applies)",
    )
    run.add_argument(
        "--rate",
        type=_rate,
        metavar="N/s",
        help="at most N calls a second, for the whole job (with --broker: all its workers "
        "together; given again, it changes a running job's). Default: no limit",
    )
    run.add_argument(
        "--dry",
        action="store_true",
        help="send dry=true on every call that has it; send no other line",
    )
    run.add_argument(
        "--checkpoint",
        type=Path,
        help="the checkpoint file (one process; default: JOB.<hash>.checkpoint beside it)",
    )
    run.add_argument(
        "--restart",
        action="store_true",
        help="a new run from the first line: forget the checkpoint (or the job's record in "
        "Redis), e.g. to run the job against another deployment or key",
    )
    run.add_argument(
        "--failures",
        type=Path,
        help="where failed lines go (default: JOB.failed.jsonl; JOB.dry-failed.jsonl with --dry)",
    )
    run.add_argument(
        "--progress-every",
        type=_seconds,
        default=10.0,
        metavar="SECONDS",
        help="when not on a terminal: a progress line every SECONDS (default 10)",
    )
    _broker(run, nargs="?", const=_FROM_ENV)
    run.add_argument(
        "--chunk-size",
        type=_positive,
        default=500,
        help="with --broker: lines per task, whole keys kept together (default 500)",
    )
    worker = commands.add_parser(
        "worker",
        help="run bulk jobs handed over with 'bulk run --broker' (taskiq on Redis)",
        description="A taskiq worker with one TalonClient, open while the worker runs. "
        "SIGINT or SIGTERM stop it gracefully: no new call, the calls in flight are waited "
        "for; its tasks are taken over by another worker after --reclaim-after seconds.",
    )
    _broker(worker)
    _connection(worker)
    worker.add_argument(
        "--concurrency",
        type=_positive,
        default=DEFAULT_CONCURRENCY,
        help=f"calls in flight at once in one task (default {DEFAULT_CONCURRENCY})",
    )
    worker.add_argument("--tasks", type=_positive, default=4, help="tasks run at once (default 4)")
    worker.add_argument(
        "--reclaim-after",
        type=_seconds,
        default=60.0,
        metavar="SECONDS",
        help="take over a task left unacknowledged, or a chunk whose worker stopped renewing "
        "its lease, after this long (default 60)",
    )


def _credentials(parser: argparse.ArgumentParser, args: argparse.Namespace) -> tuple[str, str]:
    base_url = args.base_url or os.environ.get("TALON_BASE_URL")
    api_key = args.api_key or os.environ.get("TALON_API_KEY")
    if not base_url:
        parser.error("give --base-url or set TALON_BASE_URL")
    if not api_key:
        parser.error("give --api-key or set TALON_API_KEY")
    from .._transport import normalize_base_url

    try:
        ApiKeyV1(api_key)
        return normalize_base_url(base_url), api_key
    except (TypeError, ValueError) as error:
        parser.error(str(error))


def _broker_url(parser: argparse.ArgumentParser, given: str | None) -> str:
    url = os.environ.get(BROKER_ENV) if given in (None, _FROM_ENV) else given
    if not url:
        parser.error(f"give --broker REDIS_URL or set {BROKER_ENV}")
    return url


def _taskiq(parser: argparse.ArgumentParser) -> Any:
    try:
        from . import taskiq
    except ImportError as error:
        parser.error(f"{error.name} is missing: pip install 'talon-async[taskiq]'")
    return taskiq


def run_command(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """Run ``bulk run`` or ``worker`` as parsed from the command line."""
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.WARNING
    )
    if args.command == "worker":
        base_url, api_key = _credentials(parser, args)
        url = _broker_url(parser, args.broker)
        return _interruptible(
            lambda stop: _taskiq(parser).serve_worker(
                lambda: TalonClient(base_url, auth=ApiKeyV1(api_key)),
                url,
                queue=args.queue,
                reclaim_after=args.reclaim_after,
                concurrency=args.concurrency,
                tasks=args.tasks,
                stop=stop,
            )
        )
    if args.bulk_command is None:
        args.bulk_parser.print_usage(sys.stderr)
        args.bulk_parser.error("a command is needed: run (python -m talon_async bulk run JOB)")
    if not args.job.is_file():
        parser.error(f"{args.job}: no such file")
    if args.broker:
        # The workers send. Given a deployment and key, the job is bound to them; else to
        # the first worker's.
        url = _broker_url(parser, args.broker)
        taskiq = _taskiq(parser)
        given = args.base_url or args.api_key or os.environ.get("TALON_BASE_URL")
        target = _credentials(parser, args) if given else None
        return _interruptible(lambda stop: taskiq.submit_command(url, target, args, stop))
    base_url, api_key = _credentials(parser, args)
    return _interruptible(lambda stop: _run_here(base_url, api_key, args, stop))


async def _run_here(
    base_url: str, api_key: str, args: argparse.Namespace, stop: asyncio.Event
) -> int:
    async with TalonClient(base_url, auth=ApiKeyV1(api_key)) as client:
        summary = await run_job(
            client,
            args.job,
            concurrency=args.concurrency,
            dry=args.dry,
            rate=args.rate,
            checkpoint=args.checkpoint,
            restart=args.restart,
            failures=args.failures,
            progress=sys.stderr,
            progress_every=args.progress_every,
            stop=stop,
        )
    return report(summary)


def report(summary: Summary) -> int:
    """Print the summary; the exit code."""
    print(summary.report(), flush=True)
    return summary.exit_code


def _interruptible(work: Callable[[asyncio.Event], Coroutine[Any, Any, int]]) -> int:
    """Run ``work(stop)``: the first SIGINT or SIGTERM sets ``stop`` (a graceful stop),
    a second one cancels the work."""

    async def main() -> int:
        stop = asyncio.Event()
        task = asyncio.ensure_future(work(stop))
        loop = asyncio.get_running_loop()

        def signalled() -> None:
            if stop.is_set():
                task.cancel()
                return
            stop.set()
            print(
                f"stopping: no new calls; waiting for those in flight (up to {STOP_GRACE:.0f} "
                "s; signal again to cut them)",
                file=sys.stderr,
                flush=True,
            )

        for number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(number, signalled)
        try:
            return await task
        except asyncio.CancelledError:
            print("interrupted: run the same command again to resume", file=sys.stderr)
            return EXIT_INTERRUPTED

    try:
        return asyncio.run(main())
    except (JobError, CheckpointError) as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
