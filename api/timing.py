"""``Server-Timing`` on every answer: how long the request spent in Elasticsearch, and in all.

``server_timing`` (a pure ASGI middleware) gives each HTTP request a ``RequestClock`` in a
context variable; ``SearchService`` adds the duration of each of its Elasticsearch calls to
it (``backend_call``), and the answer's headers carry
``Server-Timing: es;dur=12.5;desc="2 Elasticsearch calls", app;dur=15.1`` (milliseconds,
``app`` = the whole request until its headers were sent). Browsers' developer tools show it,
and ``bench/api_bench.py`` splits each request kind's latency into Elasticsearch and the
API's own work. Outside a request (the command line) nothing is recorded.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["RequestClock", "backend_call", "server_timing"]


@dataclass
class RequestClock:
    """Time spent by one request, in seconds."""

    started: float = field(default_factory=time.perf_counter)
    backend_seconds: float = 0.0
    backend_calls: int = 0

    def header(self) -> bytes:
        total_ms = (time.perf_counter() - self.started) * 1000
        calls = f"{self.backend_calls} Elasticsearch call{'s' * (self.backend_calls != 1)}"
        return (
            f'es;dur={self.backend_seconds * 1000:.1f};desc="{calls}", app;dur={total_ms:.1f}'
        ).encode("ascii")


_CLOCK: ContextVar[RequestClock | None] = ContextVar("corresp_request_clock", default=None)


@contextmanager
def backend_call() -> Iterator[None]:
    """Count the enclosed Elasticsearch call in the current request's clock, if any."""
    clock = _CLOCK.get()
    started = time.perf_counter()
    try:
        yield
    finally:
        if clock is not None:
            clock.backend_seconds += time.perf_counter() - started
            clock.backend_calls += 1


def server_timing(app: ASGIApp) -> ASGIApp:
    """``app`` adding ``Server-Timing`` to every HTTP answer (a middleware)."""

    async def timed(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        clock = RequestClock()
        token = _CLOCK.set(clock)

        async def send_with_timing(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", ()), (b"server-timing", clock.header())]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await app(scope, receive, send_with_timing)
        finally:
            _CLOCK.reset(token)

    return timed
