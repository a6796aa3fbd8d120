"""What to do after one attempt at a URL: the retry policy as data and a pure decision.

Outcomes are classified once (``Outcome``) by the client from the status and the body; the
policy then decides: retry after a delay (timeouts, dropped connections, 5xx), stop all
traffic (SEC's block page or a 429), or give up (the object is absent, another 4xx, or
attempts exhausted). Backoff is exponential with upward-only jitter and a cap, and honours a
``Retry-After`` header when a server sends one (SEC does not). Nothing here ever shortens a
delay after an error.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Block", "GiveUp", "Outcome", "Retry", "RetryPolicy"]


class Outcome(StrEnum):
    """How one attempt ended."""

    OK = "ok"
    NOT_MODIFIED = "not-modified"
    NOT_FOUND = "not-found"
    """S3 AccessDenied / NoSuchKey: the object is not (yet) on EDGAR."""
    RATE_LIMITED = "rate-limited"
    """SEC's block page, the undeclared-tool page, or a 429."""
    SERVER_ERROR = "server-error"
    """500, 502, 503, 504."""
    TRANSIENT = "transient"
    """Timeout, reset or dropped connection, truncated or undecodable body."""
    CLIENT_ERROR = "client-error"
    """Any other 4xx: retrying cannot help."""


@dataclass(frozen=True)
class Retry:
    delay_seconds: float


@dataclass(frozen=True)
class GiveUp:
    reason: str


@dataclass(frozen=True)
class Block:
    """Stop every request to every EDGAR host for the cool-down."""


Decision = Retry | GiveUp | Block


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries with exponential backoff and upward-only jitter."""

    max_attempts: int = 4
    base_delay_seconds: float = 1.0
    max_delay_seconds: float = 60.0
    jitter: float = 0.5
    """Up to this fraction of the delay is added at random (never subtracted)."""

    def decide(
        self,
        outcome: Outcome,
        attempt: int,
        *,
        retry_after_seconds: float | None = None,
        rng: random.Random | None = None,
    ) -> Decision:
        """The decision after attempt number ``attempt`` (1-based) ended with ``outcome``."""
        if outcome is Outcome.RATE_LIMITED:
            return Block()
        if outcome in (Outcome.NOT_FOUND, Outcome.CLIENT_ERROR):
            return GiveUp(outcome.value)
        if outcome in (Outcome.OK, Outcome.NOT_MODIFIED):
            raise ValueError(f"nothing to decide after {outcome}")
        if attempt >= self.max_attempts:
            return GiveUp(f"{outcome.value} after {attempt} attempt(s)")
        delay = self.base_delay_seconds * 2 ** (attempt - 1)
        delay = min(delay * (1 + self.jitter * (rng or random).random()), self.max_delay_seconds)
        if retry_after_seconds is not None:
            delay = max(delay, retry_after_seconds)
        return Retry(delay)
