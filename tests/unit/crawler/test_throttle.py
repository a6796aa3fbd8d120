"""The shared request budget: pacing of request starts and the block cool-down.

Module under test: ``crawler.throttle``.
"""

from __future__ import annotations

import bisect
import math
import random
import threading
import time
from itertools import pairwise

import pytest

from crawler.throttle import SAFETY_MARGIN, Throttle

WINDOW = 1.0


class FakeClock:
    """A monotonic clock that only moves when someone sleeps on it."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0, f"negative sleep {seconds}"
        self.sleeps.append(seconds)
        self.now += seconds


def fake_throttle(rate: float, cooldown: float = 600.0) -> tuple[Throttle, FakeClock]:
    clock = FakeClock()
    return Throttle(rate, cooldown, clock=clock, sleep=clock.sleep), clock


def max_in_window(timestamps: list[float], window: float = WINDOW) -> int:
    """The largest number of timestamps inside any closed window of ``window`` seconds."""
    ordered = sorted(timestamps)
    return max(
        bisect.bisect_right(ordered, start + window) - index for index, start in enumerate(ordered)
    )


def grant_times(throttle: Throttle, clock: FakeClock, count: int, *, idle: random.Random | None):
    """Acquire ``count`` times; with ``idle``, the caller sometimes pauses between requests."""
    granted = []
    for _ in range(count):
        if idle is not None and idle.random() < 0.2:
            clock.now += idle.uniform(0.0, 3.0)  # the caller was busy elsewhere, then bursts
        assert throttle.acquire() is True
        granted.append(clock.now)
    return granted


# -- pacing on a fake clock ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "rate",
    [
        10,
        9,
        2.5,
    ],
)
@pytest.mark.parametrize("bursty", [False, True], ids=["steady", "bursty"])
def test_no_window_of_one_second_holds_more_than_floor_rate_starts(
    rate: float, bursty: bool
) -> None:
    throttle, clock = fake_throttle(rate)

    granted = grant_times(throttle, clock, 600, idle=random.Random(7) if bursty else None)

    assert max_in_window(granted) <= math.floor(rate)
    assert throttle.stats.granted == 600


@pytest.mark.parametrize(("rate", "attainable"), [(10, 10), (9, 9), (2.5, 2)])
def test_long_run_uses_the_rate_up_to_the_safety_margin(rate: float, attainable: int) -> None:
    """Whole rates are used but for the safety margin (over 90%, SEC's 10/s allows 9.4/s);
    a fractional rate R allows only floor(R) per second."""
    throttle, clock = fake_throttle(rate)

    granted = grant_times(throttle, clock, 1000, idle=None)

    achieved = (len(granted) - 1) / (granted[-1] - granted[0])
    assert 0.99 * attainable / (1 + SAFETY_MARGIN) <= achieved <= rate
    assert achieved >= 0.9 * attainable
    assert all(b - a >= throttle.interval - 1e-9 for a, b in pairwise(granted))
    # All waiting went through the injected sleep, in steps short enough to notice a shutdown.
    assert clock.sleeps
    assert max(clock.sleeps) <= 0.5


def test_first_request_is_not_delayed() -> None:
    throttle, clock = fake_throttle(10)
    started = clock.now

    assert throttle.acquire() is True

    assert clock.now == started
    assert clock.sleeps == []


def test_idle_time_does_not_accumulate_a_burst_allowance() -> None:
    throttle, clock = fake_throttle(10)
    throttle.acquire()
    clock.now += 60.0  # a minute without requests

    granted = grant_times(throttle, clock, 20, idle=None)

    gaps = [b - a for a, b in pairwise(granted)]
    assert min(gaps) >= throttle.interval - 1e-9


# -- pacing with real threads on the real clock ---------------------------------------------------


def test_concurrent_threads_never_exceed_the_rate_in_any_second() -> None:
    seen = threading.local()

    def clock() -> float:
        # The grant is decided on the last clock reading inside acquire(): record it per thread,
        # so a thread that is scheduled late after acquire() returns does not skew the data.
        seen.now = time.monotonic()
        return seen.now

    throttle = Throttle(10, 600.0, clock=clock)
    granted: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(10)

    def worker() -> None:
        barrier.wait()
        for _ in range(2):
            assert throttle.acquire() is True
            with lock:
                granted.append(seen.now)

    threads = [threading.Thread(target=worker) for _ in range(10)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    elapsed = time.monotonic() - started

    assert len(granted) == 20
    assert throttle.stats.granted == 20
    assert max_in_window(granted) <= 10
    # 20 starts at 10/s (less the margin) cannot take less than 19 intervals.
    assert max(granted) - min(granted) >= 19 * throttle.interval * 0.99
    assert elapsed < 5


# -- the block cool-down ------------------------------------------------------------------------


def test_cooldown_silences_every_acquire_until_it_ends() -> None:
    throttle, clock = fake_throttle(10, cooldown=660.0)
    grant_times(throttle, clock, 3, idle=None)

    throttle.start_cooldown()
    blocked_from = clock.now
    assert throttle.in_cooldown()
    assert throttle.cooldown_remaining() == pytest.approx(660.0)
    granted = grant_times(throttle, clock, 5, idle=None)

    assert min(granted) >= blocked_from + 660.0
    assert not throttle.in_cooldown()
    assert throttle.cooldown_remaining() == 0.0
    assert throttle.stats.cooldowns == 1
    assert throttle.stats.cooldown_seconds == 660.0
    # After the cool-down, spacing starts anew: no catch-up burst.
    assert max_in_window(granted) <= 10


def test_caller_holding_a_reservation_waits_for_a_cooldown_begun_while_it_slept() -> None:
    throttle, clock = fake_throttle(10, cooldown=600.0)
    assert throttle.acquire() is True  # the next slot is now one interval away
    blocked: list[float] = []
    sleep = clock.sleep

    def sleep_while_another_worker_is_blocked(seconds: float) -> None:
        if not blocked:
            # Another worker gets SEC's block page while this caller sleeps on its slot.
            blocked.append(clock.now)
            throttle.start_cooldown(30.0)
        sleep(seconds)

    throttle.sleep = sleep_while_another_worker_is_blocked

    assert throttle.acquire() is True

    assert blocked, "the caller should have slept on its reservation"
    assert clock.now >= blocked[0] + 30.0
    assert throttle.stats.granted == 2


def test_no_grant_inside_a_cooldown_started_while_threads_wait() -> None:
    seen = threading.local()

    def clock() -> float:
        seen.now = time.monotonic()
        return seen.now

    throttle = Throttle(10, 0.25, clock=clock)
    granted: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(2):
            assert throttle.acquire() is True
            with lock:
                granted.append(seen.now)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(0.12)  # some granted, the others asleep on their reservations
    before = time.monotonic()
    throttle.start_cooldown()
    after = time.monotonic()
    for thread in threads:
        thread.join(timeout=10)

    assert len(granted) == 6
    assert any(t < before for t in granted), "some grants must come before the cool-down"
    assert [t for t in granted if after <= t < before + 0.25] == []
    assert any(t >= before + 0.25 for t in granted), "some grants must come after the cool-down"
    assert throttle.stats.cooldowns == 1


def test_a_shorter_cooldown_never_shortens_a_running_one() -> None:
    throttle, clock = fake_throttle(10)
    started = clock.now
    throttle.start_cooldown(100.0)
    clock.now += 10.0

    throttle.start_cooldown(5.0)

    assert throttle.cooldown_remaining() == pytest.approx(90.0)
    assert throttle.stats.cooldowns == 1
    granted = grant_times(throttle, clock, 1, idle=None)
    assert granted[0] >= started + 100.0


# -- cancellation -----------------------------------------------------------------------------


def test_cancel_during_a_cooldown_returns_false_within_one_sleep_step() -> None:
    throttle, clock = fake_throttle(10, cooldown=600.0)
    throttle.start_cooldown()
    cancel_at = clock.now + 1.0

    assert throttle.acquire(cancelled=lambda: clock.now >= cancel_at) is False

    assert cancel_at <= clock.now <= cancel_at + 0.5
    assert throttle.stats.granted == 0


def test_cancel_while_waiting_for_a_slot_returns_false_promptly_on_the_real_clock() -> None:
    throttle = Throttle(0.1, 600.0)  # one start every 10.4 s
    assert throttle.acquire() is True
    stop = threading.Event()
    timer = threading.Timer(0.05, stop.set)
    started = time.monotonic()
    timer.start()
    try:
        result = throttle.acquire(cancelled=stop.is_set)
    finally:
        timer.join()

    assert result is False
    assert time.monotonic() - started < 0.8
    assert throttle.stats.granted == 1


# -- configuration ------------------------------------------------------------------------------


@pytest.mark.parametrize("rate", [0, -1, 10.0001, 11, 50, math.nan, math.inf, -math.inf])
def test_invalid_rates_are_refused(rate: float) -> None:
    with pytest.raises(ValueError, match="max_requests_per_second"):
        Throttle(rate, 600.0)


@pytest.mark.parametrize("rate", [0.5, 2.5, 10])
def test_valid_rates_are_accepted_with_a_margin_below_the_rate(rate: float) -> None:
    throttle = Throttle(rate, 600.0)

    assert throttle.interval > 1.0 / rate


def test_a_request_that_starts_late_pushes_the_window_back() -> None:
    """A worker delayed between its turn and sending must not let later turns crowd it."""
    throttle, clock = fake_throttle(10)
    assert throttle.acquire()
    first_turn = clock.now
    clock.now += 0.08  # the worker was descheduled before it could send
    throttle.record_start()
    for _ in range(9):
        assert throttle.acquire()
    assert throttle.acquire()  # the 11th request: its window is counted from the real start
    assert clock.now >= first_turn + 0.08 + 1.0 + SAFETY_MARGIN


def test_record_start_outside_a_turn_is_harmless() -> None:
    throttle, clock = fake_throttle(10)
    throttle.record_start()  # nothing granted on this thread yet
    assert throttle.acquire()
    assert clock.sleeps == []
