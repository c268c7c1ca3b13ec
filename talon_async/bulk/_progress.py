"""What a bulk run shows while it works: a live line on a terminal, plain lines elsewhere."""

from __future__ import annotations

import time
from typing import TextIO

__all__ = ["Progress", "duration"]


def duration(seconds: float) -> str:
    """``seconds`` as ``h:mm:ss``."""
    whole = int(seconds + 0.5)
    return f"{whole // 3600}:{whole // 60 % 60:02}:{whole % 60:02}"


class Progress:
    """Shows done, failed, rate and ETA of the ``total`` calls a run has to make.

    On a terminal one line is redrawn at most ten times a second; otherwise (a log file,
    a pipe) a plain line is written every ``every`` seconds. ``stream=None`` shows nothing.
    """

    def __init__(self, total: int, stream: TextIO | None, *, every: float = 10.0) -> None:
        self.total = total
        self._stream = stream
        self._live = stream is not None and stream.isatty()
        self._every = 0.1 if self._live else every
        self._started = time.monotonic()
        self._shown = self._started
        self._drawn = False

    def line(self, done: int, failed: int) -> str:
        """The progress text for ``done`` and ``failed`` calls of this run so far."""
        elapsed = time.monotonic() - self._started
        finished = done + failed
        rate = finished / elapsed if elapsed > 0 else 0.0
        left = self.total - finished
        eta = duration(left / rate) if rate > 0 else "-"
        return (
            f"{finished}/{self.total} calls: {done} done, {failed} failed, {rate:.0f}/s, ETA {eta}"
        )

    def update(self, done: int, failed: int, *, force: bool = False) -> None:
        """Show the counts if it is time to (or ``force``)."""
        if self._stream is None:
            return
        now = time.monotonic()
        if not force and now - self._shown < self._every:
            return
        self._shown = now
        if self._live:
            self._stream.write(f"\r{self.line(done, failed)}\x1b[K")
            self._drawn = True
        else:
            self._stream.write(f"progress: {self.line(done, failed)}\n")
        self._stream.flush()

    def close(self, done: int, failed: int) -> None:
        """Show the final counts; the live line is ended with a newline."""
        self.update(done, failed, force=True)
        if self._stream is not None and self._drawn:
            self._stream.write("\n")
            self._stream.flush()
