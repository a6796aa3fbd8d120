"""SEC's fair-access rate rule (edgar.md §6) with an injectable clock.

Rule: a request arriving at `t` counts together with every earlier request in `(t - 1 s, t]`,
across all hosts. If that makes more than `limit_per_second`, the request starts a block of
`block_seconds` (it is the *triggering* request). While a block is active every request is
refused and pushes the block end to `now + block_seconds` ("continuing to exceed … during the
time-out period will extend" it). Every block is remembered as a `BlockWindow` (start, and an
end that moves out while it is extended), so tests can check that nothing arrived during one.
`peak_requests` applies the same window to a log, so tests can assert what the client actually
did.
"""

from __future__ import annotations

import enum
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

Clock = Callable[[], float]


@dataclass(frozen=True)
class BlockWindow:
    """One block as the server applied it: from `start` until `end` (clock times)."""

    start: float
    end: float
    manual: bool
    """Started by hand (`set_block`, an injected block) rather than by the limit."""

    def holds(self, moment: float) -> bool:
        return self.start <= moment < self.end


class Admission(enum.Enum):
    """What the limiter decided for one arriving request."""

    ALLOWED = "allowed"
    TRIGGERED = "triggered"
    """This request exceeded the limit and started a block."""
    BLOCKED = "blocked"
    """A block was already active; the request extended it."""

    @property
    def refused(self) -> bool:
        return self is not Admission.ALLOWED


class RateLimiter:
    """Sliding-window counter plus block state; thread-safe."""

    def __init__(
        self,
        limit_per_second: int,
        block_seconds: float,
        *,
        window_seconds: float = 1.0,
        clock: Clock = time.monotonic,
    ) -> None:
        self.limit = limit_per_second
        self.block_seconds = block_seconds
        self.window = window_seconds
        self.clock = clock
        self.violations = 0
        self._arrivals: deque[float] = deque()
        self._blocked_until: float | None = None
        self._windows: list[BlockWindow] = []
        self._lock = threading.Lock()

    def admit(self, now: float | None = None) -> Admission:
        """Count one request arriving at `now` (default: the clock) and decide on it."""
        now = self.clock() if now is None else now
        with self._lock:
            self._arrivals.append(now)
            while self._arrivals and self._arrivals[0] <= now - self.window:
                self._arrivals.popleft()
            if self._active(now):
                self._extend(now)
                return Admission.BLOCKED
            if len(self._arrivals) > self.limit:
                self.violations += 1
                self._begin(now, manual=False)
                return Admission.TRIGGERED
            return Admission.ALLOWED

    def set_block(self, active: bool, now: float | None = None) -> None:
        """Start a block by hand (not counted as a violation), or lift the current one."""
        now = self.clock() if now is None else now
        with self._lock:
            if not active:
                if self._active(now):
                    self._windows[-1] = replace(self._windows[-1], end=now)
                self._blocked_until = None
            elif self._active(now):
                self._extend(now)
            else:
                self._begin(now, manual=True)

    def blocked(self, now: float | None = None) -> bool:
        """Whether a block is active at `now`."""
        now = self.clock() if now is None else now
        with self._lock:
            return self._active(now)

    def windows(self) -> list[BlockWindow]:
        """Every block so far, oldest first (the last one may still be running)."""
        with self._lock:
            return list(self._windows)

    @property
    def blocked_until(self) -> float | None:
        """Clock time the current (or last) block ends, None if there never was one."""
        return self._blocked_until

    def reset(self) -> None:
        """Forget arrivals, the block and the violation count."""
        with self._lock:
            self._arrivals.clear()
            self._blocked_until = None
            self._windows.clear()
            self.violations = 0

    def _begin(self, now: float, *, manual: bool) -> None:
        self._blocked_until = now + self.block_seconds
        self._windows.append(BlockWindow(now, self._blocked_until, manual))

    def _extend(self, now: float) -> None:
        self._blocked_until = now + self.block_seconds
        self._windows[-1] = replace(self._windows[-1], end=self._blocked_until)

    def _active(self, now: float) -> bool:
        return self._blocked_until is not None and now < self._blocked_until


def peak_requests(times: Iterable[float], seconds: float = 1.0) -> int:
    """Most requests in any window `(t - seconds, t]`, the window the limiter applies."""
    ordered = sorted(times)
    peak = start = 0
    for end, moment in enumerate(ordered):
        while ordered[start] <= moment - seconds:
            start += 1
        peak = max(peak, end - start + 1)
    return peak
