"""Run many calls with bounded concurrency and keep every outcome."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

__all__ = ["run_batch"]

T = TypeVar("T")
R = TypeVar("R")


async def run_batch(
    func: Callable[[T], Awaitable[R]], items: Iterable[T], *, concurrency: int = 16
) -> list[R | Exception | asyncio.CancelledError]:
    """Await ``func(item)`` for every item, at most ``concurrency`` at a time.

    Returns one outcome per item, in input order: the result, or the exception that call
    raised (an ``asyncio.CancelledError`` too, when the call itself was cancelled, e.g. by
    a timeout inside it, while the batch was not). Nothing is dropped, raised away or run
    twice. Cancelling ``run_batch`` cancels the calls in flight, waits for them to finish,
    and re-raises the cancellation. Calls for one customer session still run one at a
    time, in input order, because the client orders them itself.
    """
    if type(concurrency) is not int or concurrency < 1:
        raise ValueError(f"concurrency must be an int of at least 1, got {concurrency!r}")
    work = list(items)
    outcomes: dict[int, R | Exception | asyncio.CancelledError] = {}
    indices = iter(range(len(work)))

    async def call(index: int) -> None:
        try:
            outcomes[index] = await func(work[index])
        except (Exception, asyncio.CancelledError) as exc:  # every failure is an outcome
            outcomes[index] = exc

    async def worker() -> None:
        for index in indices:
            # Each call runs in its own task, so that a cancellation coming from inside
            # the call (the call's task ends cancelled) is told apart from the cancellation
            # of the batch (this worker is cancelled while it waits).
            task = asyncio.ensure_future(call(index))
            try:
                await asyncio.wait((task,))
            except asyncio.CancelledError:
                task.cancel()
                await asyncio.wait((task,))
                raise

    workers = [asyncio.ensure_future(worker()) for _ in range(min(concurrency, len(work)))]
    try:
        await asyncio.gather(*workers)
    finally:
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
    return [outcomes[index] for index in range(len(work))]
