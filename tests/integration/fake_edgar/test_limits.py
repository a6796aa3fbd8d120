"""SEC's rate rule on a fake clock: the sliding window, blocks, their extension and windows."""

from __future__ import annotations

import pytest

from tests.fake_edgar.limits import Admission, BlockWindow, RateLimiter, peak_requests


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def limiter(clock: FakeClock) -> RateLimiter:
    return RateLimiter(10, 600, clock=clock)


def test_the_eleventh_request_within_a_second_triggers_a_block(
    limiter: RateLimiter, clock: FakeClock
) -> None:
    decisions = []
    for _ in range(11):
        decisions.append(limiter.admit())
        clock.now += 0.09

    assert decisions == [Admission.ALLOWED] * 10 + [Admission.TRIGGERED]
    assert limiter.violations == 1
    assert limiter.blocked()


def test_the_window_is_half_open(limiter: RateLimiter, clock: FakeClock) -> None:
    first = [limiter.admit() for _ in range(10)]
    clock.now += 1.0  # the first ten are now exactly one second old: outside (t - 1, t]
    second = [limiter.admit() for _ in range(10)]

    assert first == second == [Admission.ALLOWED] * 10
    assert limiter.violations == 0


def test_requests_during_a_block_extend_it(limiter: RateLimiter, clock: FakeClock) -> None:
    for _ in range(11):
        limiter.admit()
    clock.now += 599
    assert limiter.admit() is Admission.BLOCKED  # pushes the end to now + 600
    clock.now += 599
    assert limiter.blocked()
    clock.now += 1
    assert not limiter.blocked()
    assert limiter.admit() is Admission.ALLOWED
    assert limiter.violations == 1


def test_manual_block_and_reset(limiter: RateLimiter) -> None:
    limiter.set_block(True)
    assert limiter.admit() is Admission.BLOCKED
    assert limiter.violations == 0
    limiter.set_block(False)
    assert limiter.admit() is Admission.ALLOWED
    limiter.reset()
    assert (limiter.violations, limiter.blocked_until) == (0, None)


def test_every_block_is_remembered_as_a_window_that_grows_while_extended(
    limiter: RateLimiter, clock: FakeClock
) -> None:
    for _ in range(11):
        limiter.admit()  # the eleventh starts a block at 1000
    clock.now += 100
    limiter.admit()  # extends it to 1100 + 600
    clock.now += 700
    limiter.set_block(True)  # a manual block at 1800
    clock.now += 50
    limiter.set_block(False)  # lifted at 1850

    assert limiter.windows() == [
        BlockWindow(1000.0, 1700.0, manual=False),
        BlockWindow(1800.0, 1850.0, manual=True),
    ]
    assert limiter.windows()[0].holds(1699.9)
    assert not limiter.windows()[0].holds(1700.0)
    limiter.reset()
    assert limiter.windows() == []


@pytest.mark.parametrize(
    ("times", "peak"),
    [
        ([], 0),
        ([0.0], 1),
        ([0.0, 0.5, 0.99], 3),
        ([0.0, 0.5, 1.0], 2),  # same half-open window as the limiter
        ([3.0, 0.0, 0.1, 2.5, 2.6, 2.7], 4),
    ],
)
def test_peak_requests(times: list[float], peak: int) -> None:
    assert peak_requests(times) == peak
