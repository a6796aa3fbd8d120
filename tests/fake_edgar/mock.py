"""The fake EDGAR in process, for `httpx.MockTransport` (unit tier, style.md §6.1).

`handler(app)` answers httpx requests with `EdgarApp.handle`: same samples, overlays, rules and
log as over loopback, but no sockets and no latency. Pair it with `EdgarApp(clock=fake_clock)`
to test throttling and blocks without sleeping.

Wire faults are played against a recording wire whose pauses take no time, and what the client
would have seen becomes the exception httpx raises on a real connection: no response at all →
`RemoteProtocolError` (`ReadError` after a reset, `ReadTimeout` if the server stalled first);
a body shorter than its Content-Length → `RemoteProtocolError` (`ReadTimeout` if it stalled).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import httpx

from .app import EdgarApp
from .messages import Request


def handler(app: EdgarApp) -> Callable[[httpx.Request], httpx.Response]:
    """A `MockTransport` handler serving `app`."""

    def handle(request: httpx.Request) -> httpx.Response:
        outcome = app.handle(
            Request(
                method=request.method,
                path=request.url.path,
                query=request.url.query.decode("ascii"),
                headers={name.lower(): value for name, value in request.headers.items()},
            )
        )
        wire = _RecordingWire(head_only=request.method == "HEAD")
        outcome.fault.send(outcome.reply, wire)
        return wire.response(request)

    return handle


class _RecordingWire:
    """The `faults.Wire` protocol, recorded instead of written to a socket."""

    def __init__(self, *, head_only: bool) -> None:
        self._head_only = head_only
        self.status: int | None = None
        self.headers: dict[str, str] = {}
        self.body = bytearray()
        self.stalled = False
        self.aborted = False

    def send_head(self, status: int, headers: Mapping[str, str]) -> None:
        self.status, self.headers = status, dict(headers)

    def send_body(self, data: bytes) -> None:
        if not self._head_only:
            self.body += data

    def pause(self, seconds: float) -> bool:
        self.stalled = self.stalled or seconds > 0
        return True

    def close(self) -> None:
        """Closing after the exchange changes nothing the client sees in process."""

    def reset(self) -> None:
        self.aborted = True

    def response(self, request: httpx.Request) -> httpx.Response:
        """What the client receives, or the error it gets instead."""
        if self.status is None:
            if self.aborted:
                raise httpx.ReadError("connection reset by peer", request=request)
            if self.stalled:
                raise httpx.ReadTimeout("timed out waiting for a response", request=request)
            message = "Server disconnected without sending a response."
            raise httpx.RemoteProtocolError(message, request=request)
        declared = int(self.headers.get("Content-Length", len(self.body)))
        if not self._head_only and declared > len(self.body):
            if self.stalled:
                raise httpx.ReadTimeout("timed out reading the body", request=request)
            message = f"peer closed connection after {len(self.body)} of {declared} bytes"
            raise httpx.RemoteProtocolError(message, request=request)
        return httpx.Response(
            self.status, headers=self.headers, content=bytes(self.body), request=request
        )
