"""A polite client that never sleeps: its throttle runs on a fake clock, its retries wait 1 ms.

Shared by the unit tests that drive ``EdgarClient`` through an in-process transport.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from crawler.client import EdgarClient, MockTransport
from crawler.retry import RetryPolicy
from crawler.throttle import Throttle
from indexer.settings import EdgarConfig

USER_AGENT = "Corresp Tests tests@example.org"
COOLDOWN = 660.0


class FakeClock:
    """Monotonic time that moves only when slept on."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)


def fast_client(
    handler: Callable[[httpx.Request], httpx.Response], clock: FakeClock, *, max_attempts: int = 3
) -> EdgarClient:
    """An ``EdgarClient`` on ``handler`` whose waits all pass on ``clock``."""
    return EdgarClient(
        EdgarConfig(user_agent=USER_AGENT),
        throttle=Throttle(10, COOLDOWN, clock=clock, sleep=clock.sleep),
        policy=RetryPolicy(max_attempts=max_attempts, base_delay_seconds=0.001, jitter=0),
        transport=MockTransport(handler),
        sleep=lambda _seconds: None,
    )
