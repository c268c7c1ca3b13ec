"""Fault injection: failed answers, delays and dropped connections on chosen requests.

Every fault can be limited to one HTTP method and/or a path prefix (matched against the
decoded path, e.g. ``"/v2/customer_sessions/"``). Faults that fail or drop a request act
before the operation runs, so such a request changes nothing; only
``drop_next(after_apply=True)`` lets the operation run and then loses its answer.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Literal

from ._wire import Answer, error_body

_Kind = Literal["fail", "drop", "drop_after", "delay", "random"]


@dataclass
class _Fault:
    kind: _Kind
    remaining: int | None
    method: str | None
    path_prefix: str | None
    answer: Answer | None = None
    seconds: float = 0.0
    fraction: float = 0.0
    rng: random.Random | None = None

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and (
            self.path_prefix is None or path.startswith(self.path_prefix)
        )


def _failure(status: int, retry_after: float | str | None, body: Any) -> Answer:
    if body is None:
        try:
            message = HTTPStatus(status).phrase
        except ValueError:
            message = f"Status {status}"
        body = error_body(status, message)
    elif isinstance(body, str):
        body = body.encode()
    headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
    return Answer(status, body, headers)


def _check_times(times: int | None) -> None:
    if times is not None and times < 1:
        raise ValueError("times must be at least 1 (or None for every request)")


class Faults:
    """The fault knobs of a :class:`FakeTalon` (``fake.faults``); safe to use from any thread."""

    def __init__(self) -> None:
        self._faults: list[_Fault] = []
        self._lock = threading.Lock()

    def _add(self, fault: _Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def fail_next(
        self,
        status: int = 503,
        *,
        times: int = 1,
        retry_after: float | str | None = None,
        body: Any = None,
        method: str | None = None,
        path_prefix: str | None = None,
    ) -> None:
        """Answer the next ``times`` matching requests with ``status``.

        ``retry_after`` becomes a ``Retry-After`` header (seconds or an HTTP date).
        ``body`` is JSON data, a str or bytes sent as is (e.g. an HTML error page), or
        None for a Talon error body.
        """
        _check_times(times)
        answer = _failure(status, retry_after, body)
        self._add(_Fault("fail", times, method, path_prefix, answer=answer))

    def fail_randomly(
        self,
        fraction: float,
        *,
        status: int = 503,
        seed: int = 0,
        retry_after: float | str | None = None,
        body: Any = None,
        method: str | None = None,
        path_prefix: str | None = None,
    ) -> None:
        """Answer about ``fraction`` (0..1) of matching requests with ``status``, until
        :meth:`clear`. The choice is drawn from a generator seeded with ``seed``."""
        if not 0 <= fraction <= 1:
            raise ValueError("fraction must be between 0 and 1")
        self._add(
            _Fault(
                "random",
                None,
                method,
                path_prefix,
                answer=_failure(status, retry_after, body),
                fraction=fraction,
                rng=random.Random(seed),
            )
        )

    def delay(
        self,
        seconds: float,
        *,
        times: int | None = None,
        method: str | None = None,
        path_prefix: str | None = None,
    ) -> None:
        """Wait ``seconds`` before handling the next ``times`` matching requests (all of
        them when ``times`` is None). A request whose client gave up meanwhile is still
        handled afterwards, as a real server would."""
        _check_times(times)
        if seconds < 0:
            raise ValueError("seconds must not be negative")
        self._add(_Fault("delay", times, method, path_prefix, seconds=seconds))

    def drop_next(
        self,
        *,
        times: int = 1,
        after_apply: bool = False,
        method: str | None = None,
        path_prefix: str | None = None,
    ) -> None:
        """Close the connection of the next ``times`` matching requests without answering.

        With ``after_apply=True`` the operation runs first (its changes persist) and only
        the answer is lost: the request reached the server, the client never learns so.
        Note that aiohttp's client silently resends a GET, PUT or DELETE once when its
        connection closes without an answer; ``times=2`` defeats that resend.
        """
        _check_times(times)
        kind: _Kind = "drop_after" if after_apply else "drop"
        self._add(_Fault(kind, times, method, path_prefix))

    def clear(self) -> None:
        """Remove every fault."""
        with self._lock:
            self._faults.clear()

    def _take(self, kinds: tuple[_Kind, ...], method: str, path: str) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.kind in kinds and fault.matches(method, path):
                    if fault.remaining is not None:
                        fault.remaining -= 1
                        if fault.remaining == 0:
                            self._faults.remove(fault)
                    return fault
        return None

    def take_delay(self, method: str, path: str) -> float:
        """Seconds to wait before handling this request (0 when no delay applies)."""
        fault = self._take(("delay",), method, path)
        return fault.seconds if fault else 0.0

    def take_before(self, method: str, path: str) -> Answer | Literal["drop"] | None:
        """The failure or drop to apply instead of handling this request, if any."""
        fault = self._take(("fail", "drop"), method, path)
        if fault is not None:
            return fault.answer or "drop"
        with self._lock:
            for fault in self._faults:
                if fault.kind == "random" and fault.matches(method, path):
                    assert fault.rng is not None
                    if fault.rng.random() < fault.fraction:
                        return fault.answer
        return None

    def take_drop_after(self, method: str, path: str) -> bool:
        """Whether to lose the answer of this request after handling it."""
        return self._take(("drop_after",), method, path) is not None
