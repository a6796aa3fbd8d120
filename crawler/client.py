"""The only code that talks to EDGAR: one polite HTTP client for all three hosts.

Every request carries the declared User-Agent, waits for its turn in the shared ``Throttle``,
and is classified by status *and* body (SEC answers 403 both for "not there" and for "you are
blocked"). Retries follow ``RetryPolicy``; a block page or 429 silences every host for the
cool-down (or its ``Retry-After``, when longer) and the request is then tried again, up to a
bound. Bodies are size- and time-limited, and decoded here (``content_coding``) so that a
gzip stream cut short by a lying Content-Length is a failure, not a short body. Only paths
below the configured base URLs are ever fetched, so nothing read from a filing or an index
can send the crawler to another host: callers pass a host name and a path, the joined URL
must have the scheme, host and port of a configured base URL (checked again for every
request the HTTP client sends), and redirects are never followed (a 3xx is a failure naming
its target).

This module is the seam to httpx: its exceptions are translated here and nowhere else.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from email.utils import parsedate_to_datetime
from typing import Literal

import httpx

from crawler.content_coding import BodyDecoder, ContentCodingError
from crawler.edgar.pages import ErrorKind, classify_error_body
from crawler.errors import (
    CrawlAborted,
    DownloadError,
    EdgarNotFoundError,
    ForeignUrlError,
    RateLimitedError,
    ResponseTooLargeError,
    UserAgentError,
)
from crawler.retry import Block, GiveUp, Outcome, Retry, RetryPolicy
from crawler.throttle import Throttle
from indexer.settings import EdgarConfig, user_agent_problem

__all__ = ["EdgarClient", "FetchResult", "Host", "MockTransport", "make_client"]

logger = logging.getLogger(__name__)

Host = Literal["www", "data", "efts"]
MockTransport = httpx.MockTransport
"""Re-exported for tests that drive the client without sockets."""

_SERVER_ERRORS = frozenset({500, 502, 503, 504})
_MAX_CONSECUTIVE_BLOCKS = 3
MAX_RETRY_AFTER_SECONDS = 3600.0
"""The longest ``Retry-After`` honoured. A longer (or absurd) one is cut to this, with a
warning: the crawler waits an hour, and a server still refusing then ends the pass after
repeated blocks, instead of a pass that sleeps for days on one header."""
_CHUNK = 1 << 16


@dataclass(frozen=True)
class FetchResult:
    """A successful (or not-modified) response."""

    url: str
    status: int
    content: bytes
    """The body, decoded from any Content-Encoding; empty when not modified."""
    etag: str | None
    last_modified: str | None
    content_type: str | None
    attempts: int

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def last_modified_at(self) -> float | None:
        """``Last-Modified`` as a POSIX timestamp, when present and valid."""
        if not self.last_modified:
            return None
        try:
            return parsedate_to_datetime(self.last_modified).timestamp()
        except (TypeError, ValueError):
            return None


@dataclass(frozen=True)
class _Attempt:
    """How one request ended."""

    outcome: Outcome
    detail: str
    status: int | None = None
    result: FetchResult | None = None
    retry_after_seconds: float | None = None


@dataclass
class ClientStats:
    """Counters of everything sent, for status output and benchmarks."""

    requests: int = 0
    by_host: Counter[str] = field(default_factory=Counter)
    by_outcome: Counter[str] = field(default_factory=Counter)
    bytes_received: int = 0
    blocks: int = 0


class EdgarClient:
    """Fetches paths from the configured EDGAR hosts within SEC's fair-access rules."""

    def __init__(
        self,
        cfg: EdgarConfig,
        *,
        throttle: Throttle,
        policy: RetryPolicy,
        max_connections: int = 16,
        transport: httpx.BaseTransport | None = None,
        response_deadline_seconds: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if problem := user_agent_problem(cfg.user_agent):
            raise UserAgentError(f"edgar.user_agent is {problem}")
        self.cfg = cfg
        self.throttle = throttle
        self.policy = policy
        self.stats = ClientStats()
        self._lock = threading.Lock()
        self._consecutive_blocks = 0
        self._sleep = sleep
        self._deadline = response_deadline_seconds or cfg.timeout_seconds * 10
        self._bases: dict[Host, str] = {
            "www": cfg.base_urls.www,
            "data": cfg.base_urls.data,
            "efts": cfg.base_urls.efts,
        }
        self._allowed = frozenset(_url_parts(httpx.URL(base)) for base in self._bases.values())
        self._http = httpx.Client(
            headers={"User-Agent": cfg.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(cfg.timeout_seconds),
            limits=httpx.Limits(
                max_connections=max_connections, max_keepalive_connections=max_connections
            ),
            follow_redirects=False,
            transport=transport,
            # The throttle spaces turns by when requests really leave, not when granted.
            event_hooks={
                "request": [
                    lambda request: self.check_url(str(request.url)),
                    lambda _request: throttle.record_start(),
                ]
            },
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> EdgarClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def url(self, host: Host, path: str) -> str:
        """The absolute URL of ``path`` on ``host``; ``ForeignUrlError`` for anything else."""
        if not path.startswith("/") or path.startswith("//") or "://" in path or "\\" in path:
            raise ForeignUrlError(path, "not a plain path")
        url = self._bases[host] + path
        self.check_url(url)
        return url

    def check_url(self, url: str) -> None:
        """Raise ``ForeignUrlError`` unless ``url`` lies below a configured base URL.

        Below means the same scheme, host and port (default ports filled in) and a path
        inside the base URL's path, after dot segments are resolved. Every request the HTTP
        client sends passes here, so no caller can reach another host.
        """
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise ForeignUrlError(url, f"not a valid URL ({exc})") from exc
        scheme, host, port, path = _url_parts(parsed)
        bases = [base for base in self._allowed if base[:3] == (scheme, host, port)]
        if not bases:
            raise ForeignUrlError(url, f"{scheme}://{host}:{port} is not an EDGAR host")
        if not any(path.startswith(base_path.rstrip("/") + "/") for *_, base_path in bases):
            raise ForeignUrlError(url, f"path {path} is outside the base URL's path")

    def get(
        self,
        host: Host,
        path: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> FetchResult:
        """GET ``path`` from ``host`` with retries; conditional when ``etag``/``last_modified``.

        Raises ``EdgarNotFoundError`` (absent), ``ResponseTooLargeError``,
        ``RateLimitedError`` (blocked repeatedly), ``DownloadError`` (attempts exhausted or
        another 4xx) or ``CrawlAborted`` (``cancelled`` became true while waiting).
        """
        url = self.url(host, path)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        limit = max_bytes or self.cfg.max_response_bytes
        attempt = 0
        while True:
            attempt += 1
            if not self.throttle.acquire(cancelled=cancelled):
                raise CrawlAborted("stopping")
            epoch = self.throttle.block_epoch
            try:
                tried = self._attempt(url, headers, limit, attempt)
            except ResponseTooLargeError:
                self._count(host, _Attempt(Outcome.CLIENT_ERROR, "response too large"))
                raise
            self._count(host, tried)
            if tried.result is not None:
                return tried.result
            decision = self.policy.decide(
                tried.outcome, attempt, retry_after_seconds=tried.retry_after_seconds
            )
            if isinstance(decision, Block):
                self._on_block(url, tried, sent_in_epoch=epoch)
                attempt -= 1  # a blocked attempt is not the URL's fault
                continue
            if isinstance(decision, GiveUp):
                if tried.outcome is Outcome.NOT_FOUND:
                    raise EdgarNotFoundError(url, status=tried.status or 404)
                raise DownloadError(url, tried.detail, status=tried.status, attempts=attempt)
            assert isinstance(decision, Retry)
            logger.info("retrying %s in %.1fs: %s", url, decision.delay_seconds, tried.detail)
            if not self._wait(decision.delay_seconds, cancelled):
                raise CrawlAborted("stopping")

    def _attempt(self, url: str, headers: dict[str, str], limit: int, attempt: int) -> _Attempt:
        """Send one request and classify how it ended."""
        try:
            with self._http.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status == 200:
                    body = self._read_limited(response, url, limit)
                    result = self._result(url, response, body, attempt)
                    return _Attempt(Outcome.OK, "200", status, result)
                if status == 304:
                    result = self._result(url, response, b"", attempt)
                    return _Attempt(Outcome.NOT_MODIFIED, "304", status, result)
                if 300 <= status < 400:
                    target = response.headers.get("location", "")
                    detail = f"HTTP {status}: redirect to {target!r} not followed"
                    return _Attempt(Outcome.CLIENT_ERROR, detail, status)
                body = self._read_limited(response, url, 1 << 20, truncate=True)
                tried = self._classify(status, body, response.headers.get("content-type"))
                retry_after = _retry_after_seconds(response.headers.get("retry-after"))
                return replace(tried, retry_after_seconds=retry_after)
        except httpx.TimeoutException as exc:
            return _Attempt(Outcome.TRANSIENT, f"timed out ({type(exc).__name__}: {exc})")
        except (
            httpx.TransportError,
            httpx.DecodingError,
            httpx.StreamError,
            ContentCodingError,
        ) as exc:
            return _Attempt(Outcome.TRANSIENT, _transport_problem(exc))

    def _read_limited(
        self, response: httpx.Response, url: str, limit: int, *, truncate: bool = False
    ) -> bytes:
        declared = response.headers.get("content-length")
        if not truncate and declared and declared.isdigit() and int(declared) > limit:
            raise ResponseTooLargeError(url, limit=limit)
        started = time.monotonic()
        if response.is_stream_consumed:  # built in memory (a mock transport), decoded by httpx
            raws, decoder = response.iter_bytes(_CHUNK), BodyDecoder(None)
        else:
            raws = response.iter_raw(_CHUNK)
            decoder = BodyDecoder(response.headers.get("content-encoding"))
        chunks: list[bytes] = []
        size = 0
        for raw in raws:
            try:
                chunk = decoder.decode(raw)
            except ContentCodingError:
                if truncate:  # an error page: what was decoded is enough to classify it
                    break
                raise
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                if truncate:
                    break
                raise ResponseTooLargeError(url, limit=limit)
            if time.monotonic() - started > self._deadline:
                raise httpx.ReadTimeout(f"body not complete after {self._deadline:.0f} s")
        else:  # the whole body arrived: check that its encoding ended where it should
            if not truncate:
                chunks.append(decoder.finish())
                if size + len(chunks[-1]) > limit:
                    raise ResponseTooLargeError(url, limit=limit)
        return b"".join(chunks)

    @staticmethod
    def _result(url: str, response: httpx.Response, body: bytes, attempt: int) -> FetchResult:
        return FetchResult(
            url=url,
            status=response.status_code,
            content=body,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            content_type=response.headers.get("content-type"),
            attempts=attempt,
        )

    @staticmethod
    def _classify(status: int, body: bytes, content_type: str | None) -> _Attempt:
        kind = classify_error_body(status, body, content_type)
        if kind is ErrorKind.NOT_FOUND:
            return _Attempt(Outcome.NOT_FOUND, f"HTTP {status}: not on EDGAR", status)
        if kind in (ErrorKind.RATE_LIMITED, ErrorKind.UNDECLARED_TOOL) or status == 429:
            return _Attempt(Outcome.RATE_LIMITED, f"HTTP {status}: {kind.value}", status)
        if status in _SERVER_ERRORS:
            return _Attempt(Outcome.SERVER_ERROR, f"HTTP {status}: server error", status)
        if status == 403:
            # An unrecognized 403 page from SEC is treated as a block: continuing to send
            # during a real block would extend it, while pausing costs only time.
            return _Attempt(Outcome.RATE_LIMITED, "HTTP 403: unrecognized refusal page", status)
        if status == 404:
            return _Attempt(Outcome.NOT_FOUND, "HTTP 404: not found", status)
        return _Attempt(Outcome.CLIENT_ERROR, f"HTTP {status}: unexpected status", status)

    def _on_block(self, url: str, tried: _Attempt, *, sent_in_epoch: int) -> None:
        """Silence every host; give up after repeated blocks, not for requests in flight.

        Requests already sent when the first block page arrived are answered with block
        pages too: they extend the cool-down (SEC extends its block) but are the same block.
        """
        new_block = sent_in_epoch == self.throttle.block_epoch
        with self._lock:
            self.stats.blocks += 1
            if new_block:
                self._consecutive_blocks += 1
            blocks = self._consecutive_blocks
        # A Retry-After longer than the configured cool-down is honoured: sending before it
        # ends would meet the block again and extend it.
        seconds = max(self.throttle.cooldown_seconds, tried.retry_after_seconds or 0.0)
        self.throttle.start_cooldown(seconds)
        logger.warning(
            "SEC refused %s (%s): no request to any EDGAR host for %.0f s",
            url,
            tried.detail,
            seconds,
        )
        if blocks >= _MAX_CONSECUTIVE_BLOCKS:
            raise RateLimitedError(url, status=tried.status or 403)

    def _count(self, host: Host, tried: _Attempt) -> None:
        with self._lock:
            self.stats.requests += 1
            self.stats.by_host[host] += 1
            self.stats.by_outcome[tried.outcome.value] += 1
            self.stats.bytes_received += len(tried.result.content) if tried.result else 0
            if tried.outcome is not Outcome.RATE_LIMITED:
                self._consecutive_blocks = 0

    def _wait(self, seconds: float, cancelled: Callable[[], bool] | None) -> bool:
        """Sleep ``seconds`` in short steps (so a stop is noticed); False when cancelled."""
        remaining = seconds
        while remaining > 0:
            if cancelled is not None and cancelled():
                return False
            step = min(remaining, 0.5)
            self._sleep(step)
            remaining -= step
        return True


def _url_parts(url: httpx.URL) -> tuple[str, str, int, str]:
    """Scheme, host, port (the scheme's default when absent) and path of ``url``."""
    port = url.port or {"http": 80, "https": 443}.get(url.scheme, 0)
    return url.scheme, url.host, port, url.path or "/"


def _transport_problem(exc: httpx.HTTPError | httpx.StreamError | ContentCodingError) -> str:
    """What went wrong on the wire, in words a ledger reader can act on."""
    text = str(exc) or type(exc).__name__
    lowered = text.lower()
    if isinstance(exc, ContentCodingError):
        return text
    if isinstance(exc, httpx.DecodingError):
        return f"gzip/deflate body could not be decoded ({text})"
    if "reset" in lowered or isinstance(exc.__context__, ConnectionResetError):
        return f"connection reset ({type(exc).__name__}: {text})"
    if isinstance(exc, httpx.RemoteProtocolError) and "message body" in lowered:
        return f"truncated body: fewer bytes than its Content-Length ({text})"
    if isinstance(exc, httpx.RemoteProtocolError) and "without sending" in lowered:
        return f"connection closed without a response ({text})"
    return f"{type(exc).__name__}: {text}"


def _retry_after_seconds(value: str | None) -> float | None:
    """A ``Retry-After`` header (seconds or an HTTP date) in seconds from now, at most
    ``MAX_RETRY_AFTER_SECONDS``; None when absent or unreadable."""
    if not value:
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():
        seconds = float(text)
    else:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, OverflowError):
            return None
        seconds = max(0.0, moment.timestamp() - time.time())
    if seconds > MAX_RETRY_AFTER_SECONDS:
        logger.warning(
            "Retry-After %r is longer than the %.0f s the crawler waits at most: waiting %.0f s",
            text[:40],
            MAX_RETRY_AFTER_SECONDS,
            MAX_RETRY_AFTER_SECONDS,
        )
        return MAX_RETRY_AFTER_SECONDS
    return seconds


def make_client(
    cfg: EdgarConfig,
    *,
    max_connections: int = 16,
    transport: httpx.BaseTransport | None = None,
) -> EdgarClient:
    """A client with its own throttle and the configured retry policy."""
    throttle = Throttle(cfg.max_requests_per_second, cfg.block_cooldown_seconds)
    policy = RetryPolicy(max_attempts=cfg.max_attempts)
    return EdgarClient(
        cfg, throttle=throttle, policy=policy, max_connections=max_connections, transport=transport
    )
