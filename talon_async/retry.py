"""When a failed call is tried again, and after how long.

The transport asks the policy after every failed attempt; the policy answers with the
seconds to wait before the next attempt, or None to give up and raise the error.
"""

from __future__ import annotations

import random

from attrs import field, frozen, validators

from .errors import TalonConnectionError, TalonError, TalonStatusError

__all__ = ["DEFAULT_RETRY", "NO_RETRY", "RetryPolicy"]

ALWAYS_RETRIED_STATUSES = frozenset({429, 503})
"""The server refused the request without acting on it: safe to send again for any method."""
REPLAY_SAFE_RETRIED_STATUSES = frozenset({409, 502, 504})
"""409 (the session was being updated concurrently) or a gateway failure, which may hide a
request that reached the API: retried only when a replay is safe (idempotent or opted in)."""


@frozen
class RetryPolicy:
    """Retry transient failures with exponential backoff and jitter.

    * ``max_retries`` attempts after the first (0 turns retrying off);
    * the n-th retry waits ``backoff * 2**(n-1)`` seconds, capped at ``max_backoff``,
      of which a random part (up to half) is taken off so that clients spread out;
    * a ``Retry-After`` header is honoured as given, unless it asks for more than
      ``max_retry_after`` seconds: then the call gives up with the typed error at once.

    What is retried: a connection that provably never carried the request, 429 and 503
    for every operation; read timeouts, dropped connections, 409, 502 and 504 only when a
    replay is safe, i.e. for GET/PUT/DELETE or a call made with ``allow_replay=True``.
    """

    max_retries: int = field(default=2, validator=validators.ge(0))
    backoff: float = field(default=0.5, validator=validators.ge(0.0))
    max_backoff: float = field(default=8.0, validator=validators.ge(0.0))
    max_retry_after: float = field(default=30.0, validator=validators.ge(0.0))

    def delay_before_retry(
        self, attempt: int, error: TalonError, *, replay_safe: bool
    ) -> float | None:
        """Seconds to wait before attempt ``attempt + 1``, or None to give up."""
        if attempt > self.max_retries:
            return None
        if isinstance(error, TalonStatusError):
            retryable = error.status in ALWAYS_RETRIED_STATUSES or (
                replay_safe and error.status in REPLAY_SAFE_RETRIED_STATUSES
            )
            if not retryable:
                return None
            if error.retry_after is not None:
                return error.retry_after if error.retry_after <= self.max_retry_after else None
            return self._backoff(attempt)
        if isinstance(error, TalonConnectionError) and (
            replay_safe or not error.may_have_reached_server
        ):
            return self._backoff(attempt)
        return None

    def _backoff(self, attempt: int) -> float:
        delay = min(self.max_backoff, self.backoff * 2.0 ** (attempt - 1))
        return delay - random.uniform(0, delay / 2)


DEFAULT_RETRY = RetryPolicy()
"""The policy a client uses unless told otherwise."""
NO_RETRY = RetryPolicy(max_retries=0)
"""A policy that never retries."""
