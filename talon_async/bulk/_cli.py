"""The ``bulk`` and ``worker`` commands of ``python -m talon_async``.

``bulk run JOB.jsonl`` runs a job in this process, or with ``--broker redis://...`` hands
it to ``worker`` processes. Exit codes: 0 every line done, 1 some lines failed (see the
failures file), 2 a usage error or bad lines (nothing sent), 130 interrupted (run the
same command again to resume).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from .._client import TalonClient
from ..auth import ApiKeyV1
from ._job import JobError
from ._runner import DEFAULT_CONCURRENCY, CheckpointError, Summary, run_job

__all__ = ["add_commands", "run_command"]

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0")
    return value


def _connection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base-url", help="the Talon.One deployment (default: $TALON_BASE_URL)")
    parser.add_argument(
        "--api-key",
        help="an Application API key (default: $TALON_API_KEY, which keeps it out of ps)",
    )


def add_commands(commands: Any) -> None:
    """Add ``bulk`` and ``worker`` to the subcommands of ``python -m talon_async``
    (the object ``ArgumentParser.add_subparsers`` returned)."""
    bulk = commands.add_parser("bulk", help="run a JSON Lines job of API calls")
    actions = bulk.add_subparsers(dest="bulk_command", required=True)
    run = actions.add_parser(
        "run",
        help="run a job in this process, or through workers with --broker",
        description="Check every line of JOB, then send its calls: those of one customer "
        "session or profile in file order, one at a time, the others in parallel. "
        "Rerun the same command after a crash to resume.",
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
        "--dry",
        action="store_true",
        help="send dry=true on every call that has it; send no other line",
    )
    run.add_argument("--checkpoint", type=Path, help="the checkpoint file (one process)")
    run.add_argument(
        "--failures", type=Path, help="where failed lines go (default: JOB.failed.jsonl)"
    )
    run.add_argument(
        "--progress-every",
        type=_seconds,
        default=10.0,
        metavar="SECONDS",
        help="when not on a terminal: a progress line every SECONDS (default 10)",
    )
    run.add_argument("--broker", metavar="REDIS_URL", help="hand the job to workers via Redis")
    run.add_argument(
        "--chunk-size",
        type=_positive,
        default=500,
        help="with --broker: lines per task, whole keys kept together (default 500)",
    )
    run.add_argument("--queue", default="talon-bulk", help="with --broker: the Redis stream")
    worker = commands.add_parser(
        "worker",
        help="run bulk jobs handed over with 'bulk run --broker' (taskiq on Redis)",
        description="A taskiq worker with one TalonClient, open while the worker runs. "
        "Stops on SIGINT or SIGTERM; a task of a worker that died is taken over by "
        "another worker after --reclaim-after seconds.",
    )
    worker.add_argument("--broker", metavar="REDIS_URL", required=True)
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
        help="take over a task left unacknowledged this long (default 60)",
    )
    worker.add_argument("--queue", default="talon-bulk", help="the Redis stream")


def _client_factory(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> Callable[[], TalonClient]:
    """Checks the credentials now; the factory makes a client with them."""
    base_url = args.base_url or os.environ.get("TALON_BASE_URL")
    api_key = args.api_key or os.environ.get("TALON_API_KEY")
    if not base_url:
        parser.error("give --base-url or set TALON_BASE_URL")
    if not api_key:
        parser.error("give --api-key or set TALON_API_KEY")
    return lambda: TalonClient(base_url, auth=ApiKeyV1(api_key))


def _taskiq(parser: argparse.ArgumentParser) -> Any:
    try:
        from . import taskiq
    except ImportError as error:
        parser.error(f"{error.name} is missing: pip install 'talon-async[taskiq]'")
    return taskiq


def run_command(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """Run ``bulk run`` or ``worker`` as parsed from the command line."""
    if args.command == "worker":
        factory = _client_factory(parser, args)
        return _interruptible(_taskiq(parser).serve_worker(factory, args))
    if not args.job.is_file():
        parser.error(f"{args.job}: no such file")
    if args.broker:  # the workers hold the credentials
        return _interruptible(_taskiq(parser).submit_command(args), job=args.job)
    return _interruptible(_run_here(_client_factory(parser, args), args), job=args.job)


async def _run_here(client_factory: Callable[[], TalonClient], args: argparse.Namespace) -> int:
    async with client_factory() as client:
        summary = await run_job(
            client,
            args.job,
            concurrency=args.concurrency,
            dry=args.dry,
            checkpoint=args.checkpoint,
            failures=args.failures,
            progress=sys.stderr,
            progress_every=args.progress_every,
        )
    return report(summary)


def report(summary: Summary) -> int:
    """Print the summary; the exit code."""
    print(summary.report(), flush=True)
    return summary.exit_code


def _interruptible(work: Coroutine[Any, Any, int], *, job: Path | None = None) -> int:
    """Run ``work``, turning SIGTERM into a cancellation as Ctrl-C is."""

    async def main() -> int:
        task = asyncio.ensure_future(work)
        loop = asyncio.get_running_loop()
        for number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(number, task.cancel)
        try:
            return await task
        except asyncio.CancelledError:
            again = f": run the same command again to resume {job}" if job else ""
            print(f"interrupted{again}", file=sys.stderr, flush=True)
            return EXIT_INTERRUPTED

    try:
        return asyncio.run(main())
    except (JobError, CheckpointError) as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
