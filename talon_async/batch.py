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
) -> list[R | Exception]:
    """Await ``func(item)`` for every item, at most ``concurrency`` at a time.

    Returns one outcome per item, in input order: the result, or the exception that call
    raised. Nothing is dropped, raised away or run twice. Cancelling ``run_batch``
    cancels the calls in flight, waits for them to finish, and re-raises the cancellation.
    Calls for one customer session still run one at a time, in input order, because the
    client orders them itself.
    """
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    work = list(items)
    outcomes: dict[int, R | Exception] = {}
    indices = iter(range(len(work)))

    async def worker() -> None:
        for index in indices:
            try:
                outcomes[index] = await func(work[index])
            except Exception as exc:  # every failure is kept as that item's outcome
                outcomes[index] = exc

    workers = [asyncio.ensure_future(worker()) for _ in range(min(concurrency, len(work)))]
    try:
        await asyncio.gather(*workers)
    finally:
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
    return [outcomes[index] for index in range(len(work))]
