"""Injected faults: wrong statuses and broken wire behaviour, selectable per path.

A fault either replaces the reply (`Status`, `AccessDenied`, `BadGzip`), changes how it goes
on the wire (`Timeout`, `Drop`, `Truncate`, `SlowBody`, `WrongLength`), or starts the server's
rate-limit block at that request (`StartBlock`: SEC's block page, and a real block for every
request after it). The wire is the small
`Wire` protocol the HTTP server implements, so faults never touch sockets directly and every
pause ends early when the server stops.

Faults can also be written as strings, as on the command line: `"status(503)"`, `"timeout(2)"`,
`"drop"`, `"drop(True)"` (TCP reset), `"truncate(100)"`, `"truncate(100, 3)"` (stall 3 s
mid-body), `"truncate(100, 0, True)"` (TCP reset mid-body), `"slow_body(1.5)"`,
`"wrong_length"` (declares 100 bytes more), `"wrong_length(-100)"` (100 bytes fewer),
`"bad_gzip"`, `"access_denied"`, `"block"`; and requested at fixed routes in the style of
scrapy's mock server, which need no injection: `/_fault/status/503`, `/_fault/slow/2`,
`/_fault/drop`, …
"""

from __future__ import annotations

import ast
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Protocol

from .errors import S3Errors, server_error
from .messages import Reply

_NO_LENGTH = frozenset({204, 304})


class Wire(Protocol):
    """How a fault writes to one client connection."""

    def send_head(self, status: int, headers: Mapping[str, str]) -> None:
        """Status line and headers, exactly as given (no Content-Length is added)."""

    def send_body(self, data: bytes) -> None:
        """Body bytes (ignored for HEAD requests)."""

    def pause(self, seconds: float) -> bool:
        """Wait; False if the server is stopping and the fault should give up."""

    def close(self) -> None:
        """Close the connection once this exchange ends (TCP FIN)."""

    def reset(self) -> None:
        """Abort the connection now (TCP RST)."""


def send(reply: Reply, wire: Wire, *, declared_length: int | None = None) -> None:
    """Send a reply: headers with a Content-Length (the true one unless told), then the body."""
    headers = dict(reply.headers)
    if reply.status not in _NO_LENGTH:
        length = len(reply.body) if declared_length is None else declared_length
        headers["Content-Length"] = str(length)
    wire.send_head(reply.status, headers)
    wire.send_body(reply.body)


@dataclass(frozen=True)
class Fault:
    """A way to mis-answer a request. The default answers correctly."""

    name: ClassVar[str] = "none"
    answers: ClassVar[bool] = True
    """Whether any status line reaches the client."""
    starts_block: ClassVar[bool] = False
    """Whether the server starts its rate-limit block at this request (and answers with the
    block page instead of the reply)."""

    def transform(self, reply: Reply, _s3: S3Errors, /) -> Reply:
        """The reply to send instead of `reply` (S3 errors at hand)."""
        return reply

    def send(self, reply: Reply, wire: Wire, /) -> None:
        """Put the (transformed) reply on the wire."""
        send(reply, wire)


@dataclass(frozen=True)
class Status(Fault):
    """Answer with another status (e.g. 500, 502, 503, 504) and an HTML error body."""

    name: ClassVar[str] = "status"
    code: int = 503

    def __post_init__(self) -> None:
        if not 100 <= self.code <= 599:
            raise ValueError(f"not an HTTP status: {self.code}")

    def transform(self, _reply: Reply, _s3: S3Errors, /) -> Reply:
        return server_error(self.code)


@dataclass(frozen=True)
class AccessDenied(Fault):
    """Answer with S3's 403 AccessDenied, as if the object did not exist."""

    name: ClassVar[str] = "access_denied"

    def transform(self, _reply: Reply, s3: S3Errors, /) -> Reply:
        return s3.access_denied()


@dataclass(frozen=True)
class BadGzip(Fault):
    """Declare `Content-Encoding: gzip` but send a gzip stream whose data is corrupt."""

    name: ClassVar[str] = "bad_gzip"
    # A valid gzip member header, then a deflate block of the reserved type 3: any inflater fails.
    CORRUPT: ClassVar[bytes] = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + b"\xff" * 32

    def transform(self, reply: Reply, _s3: S3Errors, /) -> Reply:
        return Reply(reply.status, self.CORRUPT, {**reply.headers, "Content-Encoding": "gzip"})


@dataclass(frozen=True)
class Timeout(Fault):
    """Hold the connection without answering for `seconds`, then close it."""

    name: ClassVar[str] = "timeout"
    answers: ClassVar[bool] = False
    seconds: float = 30.0

    def send(self, _reply: Reply, wire: Wire, /) -> None:
        wire.pause(self.seconds)
        wire.close()


@dataclass(frozen=True)
class Drop(Fault):
    """Close the connection without a response (`reset=True`: abort it with a TCP RST)."""

    name: ClassVar[str] = "drop"
    answers: ClassVar[bool] = False
    reset: bool = False

    def send(self, _reply: Reply, wire: Wire, /) -> None:
        if self.reset:
            wire.reset()
        else:
            wire.close()


@dataclass(frozen=True)
class StartBlock(Fault):
    """Start the server's rate-limit block here, as if this request had exceeded the limit.

    The app answers it (and every request until the block ends) with SEC's block page; the
    block is recorded like any other, so a test can check that nothing arrived during it.
    """

    name: ClassVar[str] = "block"
    starts_block: ClassVar[bool] = True


@dataclass(frozen=True)
class Truncate(Fault):
    """Declare the full Content-Length, send `n_bytes` of body, stall, then close the
    connection (`reset=True`: abort it with a TCP RST instead)."""

    name: ClassVar[str] = "truncate"
    n_bytes: int = 0
    stall_seconds: float = 0.0
    reset: bool = False

    def send(self, reply: Reply, wire: Wire, /) -> None:
        wire.send_head(reply.status, {**reply.headers, "Content-Length": str(len(reply.body))})
        wire.send_body(reply.body[: self.n_bytes])
        wire.pause(self.stall_seconds)
        if self.reset:
            wire.reset()
        else:
            wire.close()


@dataclass(frozen=True)
class SlowBody(Fault):
    """Send the headers at once, then the body in `chunks` pieces spread over `seconds`."""

    name: ClassVar[str] = "slow_body"
    seconds: float = 1.0
    chunks: int = 10

    def send(self, reply: Reply, wire: Wire, /) -> None:
        wire.send_head(reply.status, {**reply.headers, "Content-Length": str(len(reply.body))})
        size = -(-len(reply.body) // self.chunks) or 1
        for start in range(0, len(reply.body), size):
            if not wire.pause(self.seconds / self.chunks):
                wire.close()
                return
            wire.send_body(reply.body[start : start + size])


@dataclass(frozen=True)
class WrongLength(Fault):
    """Declare a Content-Length `extra` bytes off the body's (longer if positive, shorter if
    negative), send the whole body, close."""

    name: ClassVar[str] = "wrong_length"
    extra: int = 100

    def send(self, reply: Reply, wire: Wire, /) -> None:
        send(reply, wire, declared_length=max(0, len(reply.body) + self.extra))
        wire.close()


FAULTS: dict[str, type[Fault]] = {
    cls.name: cls
    for cls in (
        Status,
        AccessDenied,
        BadGzip,
        StartBlock,
        Timeout,
        Drop,
        Truncate,
        SlowBody,
        WrongLength,
    )
}
FAULTS["slow"] = SlowBody  # scrapy mock-server spelling, as in `/_fault/slow`
ROUTE_PREFIX = "/_fault/"
_SPEC = re.compile(r"(?P<name>\w+)(?:\((?P<args>.*)\))?")


def parse(spec: str) -> Fault:
    """A fault from its textual form, e.g. `"status(503)"` or `"drop"`."""
    match = _SPEC.fullmatch(spec.strip())
    if match is None or match["name"] not in FAULTS:
        raise ValueError(f"unknown fault {spec!r}; known: {', '.join(sorted(FAULTS))}")
    try:
        args = [ast.literal_eval(a.strip()) for a in (match["args"] or "").split(",") if a.strip()]
        return FAULTS[match["name"]](*args)
    except (SyntaxError, TypeError, ValueError) as exc:
        raise ValueError(f"bad fault arguments in {spec!r}: {exc}") from exc


def from_route(path: str) -> Fault | None:
    """The fault a fixed route names: `/_fault/status/503`, `/_fault/slow/2`, `/_fault/drop`."""
    if not path.startswith(ROUTE_PREFIX):
        return None
    name, *args = path.removeprefix(ROUTE_PREFIX).split("/")
    try:
        return parse(f"{name}({', '.join(args)})")
    except ValueError:
        return None


@dataclass
class Injection:
    """A fault bound to a path (exact string) or a regex (searched in the path)."""

    target: str | re.Pattern[str]
    fault: Fault
    remaining: int | None
    """Uses left; None means forever."""
    hits: int = 0

    def matches(self, path: str) -> bool:
        if isinstance(self.target, re.Pattern):
            return self.target.search(path) is not None
        return self.target == path


class FaultTable:
    """Injected faults in order of injection; the first live match is used and counted."""

    def __init__(self) -> None:
        self._injections: list[Injection] = []
        self._lock = threading.Lock()

    def add(
        self, target: str | re.Pattern[str], fault: Fault | str, times: int | None
    ) -> Injection:
        if times is not None and times < 1:
            raise ValueError(f"times must be positive or None, got {times}")
        chosen = parse(fault) if isinstance(fault, str) else fault
        injection = Injection(target=target, fault=chosen, remaining=times)
        with self._lock:
            self._injections.append(injection)
        return injection

    def take(self, path: str) -> Fault | None:
        """The fault to apply to a request for `path`, consuming one use of it."""
        with self._lock:
            for injection in self._injections:
                if injection.remaining != 0 and injection.matches(path):
                    injection.hits += 1
                    if injection.remaining is not None:
                        injection.remaining -= 1
                    return injection.fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._injections.clear()
