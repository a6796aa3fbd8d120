"""The one request budget shared by every EDGAR host: pacing and the block cool-down.

SEC counts requests per user across www, data and efts together, and blocks for about ten
minutes when more than 10 arrive in a second. ``Throttle`` hands out start times so that
request starts are at least ``interval`` apart, where ``interval`` leaves a small margin
below the configured rate, and so that no window of one second (plus the margin) holds more
than ``floor(max_requests_per_second)`` starts. The window counts when requests really
start: a worker delayed between its turn and sending (a busy machine) reports its actual
start (``record_start``, called by the client just before sending), and later turns are
spaced from that. ``max_requests_per_second`` is thus a ceiling never reached, even when
the machine or the network bunches requests. Reservations are made under a lock and slept
outside it, so any number of workers can wait and the throttle alone sets the pace.

After a block page, ``start_cooldown`` silences every caller until the cool-down ends; a
caller that had already reserved a slot re-checks before it sends. The clock and sleep are
injected so tests run on a fake clock.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["SAFETY_MARGIN", "Throttle", "ThrottleStats"]

SAFETY_MARGIN = 0.06
"""Fraction by which the spacing of request starts exceeds ``1 / max_requests_per_second``."""


@dataclass
class ThrottleStats:
    """Counters for reports and benchmarks."""

    granted: int = 0
    cooldowns: int = 0
    waited_seconds: float = 0.0
    cooldown_seconds: float = 0.0


class _Start:
    """One request's start: its turn, raised to when it really started once known."""

    __slots__ = ("at",)

    def __init__(self, at: float) -> None:
        self.at = at


@dataclass
class Throttle:
    """Spaces request starts and enforces block cool-downs for all EDGAR hosts together."""

    max_requests_per_second: float
    cooldown_seconds: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    stats: ThrottleStats = field(default_factory=ThrottleStats)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _next_start: float = field(default=float("-inf"), repr=False)
    _cooldown_until: float = field(default=float("-inf"), repr=False)
    _starts: deque[_Start] = field(init=False, repr=False)
    _per_window: int = field(init=False, repr=False)
    _local: threading.local = field(default_factory=threading.local, repr=False)
    _epoch: int = field(default=0, repr=False)

    def __post_init__(self) -> None:
        if not 0 < self.max_requests_per_second <= 10:
            raise ValueError("max_requests_per_second must be in (0, 10]")
        self._per_window = max(1, math.floor(self.max_requests_per_second))
        self._starts = deque(maxlen=4 * self._per_window)

    @property
    def interval(self) -> float:
        """Seconds between two request starts."""
        return (1.0 + SAFETY_MARGIN) / self.max_requests_per_second

    def acquire(self, *, cancelled: Callable[[], bool] | None = None) -> bool:
        """Wait for this caller's turn; return ``False`` if ``cancelled`` became true first."""
        while True:
            if cancelled is not None and cancelled():
                return False
            with self._lock:
                now = self.clock()
                slot: _Start | None = None
                if now < self._cooldown_until:
                    wait = self._cooldown_until - now
                else:
                    start = max(now, self._next_start, self._window_opens())
                    self._next_start = start + self.interval
                    slot = _Start(start)
                    self._starts.append(slot)
                    wait = start - now
                self.stats.waited_seconds += max(wait, 0.0)
            if wait > 0 and not self._sleep(wait, cancelled):
                return False
            with self._lock:
                if slot is not None and self.clock() >= self._cooldown_until:
                    self.stats.granted += 1
                    self._local.slot = slot
                    return True
                if slot is not None:
                    self._starts.remove(slot)  # a cool-down began: this turn is void
            # Either we waited out a cool-down, or one began while we slept on our slot:
            # take a fresh turn so the cool-down is honoured and spacing starts anew.

    def record_start(self) -> None:
        """The calling worker's request starts now (call just before sending it)."""
        slot: _Start | None = getattr(self._local, "slot", None)
        if slot is None:
            return
        self._local.slot = None
        with self._lock:
            slot.at = max(slot.at, self.clock())

    def _window_opens(self) -> float:
        """Earliest start keeping ``floor(rate)`` starts per (1 s + margin) window."""
        if len(self._starts) < self._per_window:
            return float("-inf")
        latest = sorted(start.at for start in self._starts)[-self._per_window]
        return latest + 1.0 + SAFETY_MARGIN

    @property
    def block_epoch(self) -> int:
        """How many distinct blocks began (a block met during a cool-down only extends it)."""
        with self._lock:
            return self._epoch

    def start_cooldown(self, seconds: float | None = None) -> None:
        """Stop every request to every host for ``seconds`` (default: the configured)."""
        seconds = self.cooldown_seconds if seconds is None else seconds
        with self._lock:
            now = self.clock()
            if now >= self._cooldown_until:
                self._epoch += 1
            until = now + seconds
            if until > self._cooldown_until:
                self._cooldown_until = until
                self.stats.cooldowns += 1
                self.stats.cooldown_seconds += seconds
            self._next_start = max(self._next_start, until)

    def in_cooldown(self) -> bool:
        with self._lock:
            return self.clock() < self._cooldown_until

    def cooldown_remaining(self) -> float:
        with self._lock:
            return max(0.0, self._cooldown_until - self.clock())

    def _sleep(self, seconds: float, cancelled: Callable[[], bool] | None) -> bool:
        """Sleep in short steps so a shutdown is noticed; return ``False`` when cancelled."""
        deadline = self.clock() + seconds
        while True:
            if cancelled is not None and cancelled():
                return False
            remaining = deadline - self.clock()
            if remaining <= 0:
                return True
            self.sleep(min(remaining, 0.5))
