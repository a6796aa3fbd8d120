"""Webhook delivery: one signed JSON POST per watchlist and ingest, retried with backoff.

The indexer may not use httpx, so this module is the one place that speaks HTTP to
webhook receivers, with the standard library's ``http.client``; its exceptions are
translated here into ``Attempt`` outcomes and nothing above sees them.

Each POST carries::

    Content-Type: application/json
    X-Corresp-Event: alerts
    X-Corresp-Delivery: <unique id of the batch; the same on every retry>
    X-Corresp-Signature: sha256=<hex HMAC-SHA256 of the raw body with the watchlist's secret>

A 2xx answer is a delivery. Network errors, timeouts, 429 and 5xx are retried up to
``max_attempts`` with exponential backoff (``backoff_seconds``, doubling); any other answer
(3xx: redirects are not followed; 4xx) ends the delivery as failed. ``on_attempt`` is told of
every attempt, so its outcome can be recorded as it happens. Neither the secret nor the
URL's path or query is ever logged.

Before every attempt the host is resolved and checked (``addresses.AddressPolicy``: no
loopback, private, link-local… address unless ``webhooks.allow_private_networks``); a
forbidden address ends the delivery at once (``refused: …``, not retried, nothing sent), a
name that does not resolve is a retried "no answer". The connection then goes to the checked
addresses themselves, never to a second lookup, so DNS cannot answer differently between
check and connect (rebinding): ``Host`` and the TLS server name (certificate checked as
usual) are the URL's host. No proxy from the environment is used, and redirects are never
followed: ``http.client`` has no notion of them, so a 3xx is just a failed answer.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import http.client
import json
import logging
import socket
import ssl
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit

from indexer.watchlists.addresses import (
    AddressPolicy,
    ForbiddenAddressError,
    IPAddress,
    Resolver,
    UnresolvableHostError,
    WebhookAddressError,
    WebhookTarget,
    resolve_host,
)
from indexer.watchlists.models import WebhooksConfig

__all__ = [
    "SIGNATURE_HEADER",
    "Attempt",
    "DeliveryPolicy",
    "DeliveryResult",
    "attempt_delivery",
    "deliver",
    "encode_body",
    "new_delivery_id",
    "post_once",
    "sign_body",
    "verify_signature",
]

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Corresp-Signature"
DELIVERY_HEADER = "X-Corresp-Delivery"
EVENT_HEADER = "X-Corresp-Event"
_MAX_ERROR_CHARS = 300


def sign_body(secret: str, body: bytes) -> str:
    """The signature header value: ``sha256=`` and the hex HMAC-SHA256 of ``body``."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify_signature(secret: str, body: bytes, header: str | None) -> bool:
    """Whether ``header`` is the signature of ``body`` (constant-time; for receivers)."""
    return bool(header) and hmac.compare_digest(sign_body(secret, body), str(header))


def encode_body(payload: dict[str, Any]) -> bytes:
    """The exact bytes sent (and signed): compact JSON, UTF-8."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def new_delivery_id() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class DeliveryPolicy:
    """Bounded attempts, short timeouts, exponential backoff."""

    timeout_seconds: float = 5.0
    max_attempts: int = 4
    backoff_seconds: float = 1.0
    allow_private_networks: bool = False
    """Deliver to loopback, private, link-local… addresses too (``addresses.py``)."""

    @classmethod
    def from_config(cls, hooks: WebhooksConfig) -> DeliveryPolicy:
        return cls(
            timeout_seconds=hooks.timeout_seconds,
            max_attempts=hooks.max_attempts,
            backoff_seconds=hooks.backoff_seconds,
            allow_private_networks=hooks.allow_private_networks,
        )

    def delay(self, attempt: int) -> float:
        """Wait after failed attempt number ``attempt`` (1-based)."""
        return self.backoff_seconds * 2.0 ** (attempt - 1)


@dataclass(frozen=True)
class Attempt:
    """How one POST ended."""

    number: int
    at: datetime
    status: int | None
    """The HTTP status, or ``None`` when no answer came."""
    error: str | None
    """``None`` on success; otherwise what went wrong, for people."""
    retryable: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class DeliveryResult:
    delivery_id: str
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def delivered(self) -> bool:
        return bool(self.attempts) and self.attempts[-1].ok


def _connect(addresses: Sequence[IPAddress], port: int, timeout: float | None) -> socket.socket:
    """A TCP connection to the first of ``addresses`` that answers."""
    error: OSError = OSError("no address to connect to")
    for address in addresses:
        try:
            return socket.create_connection((str(address), port), timeout)
        except OSError as exc:
            error = exc
    raise error


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to ``host`` (its ``Host`` header) over a connection to checked ``addresses``."""

    def __init__(self, target: WebhookTarget, port: int, *, timeout: float) -> None:
        super().__init__(target.host, port, timeout=timeout)
        self.addresses = target.addresses

    def connect(self) -> None:
        self.sock = _connect(self.addresses, self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS likewise; the certificate must be valid for ``host`` (the TLS server name)."""

    def __init__(self, target: WebhookTarget, port: int, *, timeout: float) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(target.host, port, timeout=timeout, context=self.tls)
        self.addresses = target.addresses

    def connect(self) -> None:
        sock = _connect(self.addresses, self.port, self.timeout)
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)


def _where(url: str) -> str:
    """Scheme, host and port of ``url``: what may be logged (paths can hold tokens)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


def _connection(url: str, target: WebhookTarget, timeout: float) -> http.client.HTTPConnection:
    """An unopened connection for ``url`` to ``target``; ``ValueError`` for a bad port."""
    parts = urlsplit(url.strip())
    if parts.scheme == "https":
        return _PinnedHTTPSConnection(target, parts.port or 443, timeout=timeout)
    if parts.scheme == "http":
        return _PinnedHTTPConnection(target, parts.port or 80, timeout=timeout)
    raise ValueError(f"not an http(s) URL: {parts.scheme}")


def _request_path(url: str) -> str:
    """Path and query of ``url`` as sent (non-ASCII percent-encoded; ``/`` when empty)."""
    parts = urlsplit(url.strip())
    path = parts.path or "/"
    if parts.query:
        path += f"?{parts.query}"
    return quote(path, safe="!#$%&'()*+,/:;=?@[]~")


def post_once(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout_seconds: float,
    number: int = 1,
    addresses: AddressPolicy | None = None,
) -> Attempt:
    """One POST to the checked address of ``url``'s host (``addresses``: the default policy
    when ``None``); never raises for network or HTTP problems (they become the ``Attempt``)."""
    now = datetime.now(UTC)
    try:
        target = (addresses or AddressPolicy()).target(url)
        connection = _connection(url, target, timeout_seconds)
    except UnresolvableHostError as exc:
        return Attempt(number, now, None, _short(f"no answer: {exc}"), retryable=True)
    except ForbiddenAddressError as exc:
        return Attempt(number, now, None, _short(f"refused: webhook host {exc}"))
    except (WebhookAddressError, ValueError, http.client.InvalidURL) as exc:
        return Attempt(number, now, None, _short(f"refused: invalid webhook URL ({exc})"))
    try:
        connection.request("POST", _request_path(url), body=body, headers=headers)
        with connection.getresponse() as response:
            response.read(1 << 16)
            status = int(response.status)
    except (OSError, http.client.HTTPException) as exc:
        reason = str(exc) or type(exc).__name__
        return Attempt(number, now, None, _short(f"no answer: {reason}"), retryable=True)
    finally:
        connection.close()
    if 200 <= status < 300:
        return Attempt(number, now, status, None)
    retryable = status >= 500 or status == 429
    return Attempt(number, now, status, f"HTTP {status}", retryable=retryable)


def _short(text: str) -> str:
    return text if len(text) <= _MAX_ERROR_CHARS else text[: _MAX_ERROR_CHARS - 1] + "…"


Sender = Callable[..., Attempt]


def _checked_sender(policy: DeliveryPolicy, resolve: Resolver) -> Sender:
    addresses = AddressPolicy(policy.allow_private_networks, resolve=resolve)
    return functools.partial(post_once, addresses=addresses)


def _headers(body: bytes, secret: str, delivery_id: str) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "corresp-webhooks/1",
        EVENT_HEADER: "alerts",
        DELIVERY_HEADER: delivery_id,
        SIGNATURE_HEADER: sign_body(secret, body),
    }


def attempt_delivery(
    url: str,
    payload: dict[str, Any],
    secret: str,
    *,
    policy: DeliveryPolicy,
    delivery_id: str,
    number: int,
    send: Sender | None = None,
    resolve: Resolver = resolve_host,
) -> Attempt:
    """Attempt number ``number`` of delivery ``delivery_id``: one signed POST, no waiting (the
    outbox schedules the next attempt)."""
    body = encode_body(payload)
    attempt = (send or _checked_sender(policy, resolve))(
        url,
        body,
        _headers(body, secret, delivery_id),
        timeout_seconds=policy.timeout_seconds,
        number=number,
    )
    if not attempt.ok:
        logger.warning(
            "webhook delivery %s to %s, attempt %d: %s",
            delivery_id,
            _where(url),
            number,
            attempt.error,
        )
    return attempt


def deliver(
    url: str,
    payload: dict[str, Any],
    secret: str,
    *,
    policy: DeliveryPolicy,
    delivery_id: str | None = None,
    on_attempt: Callable[[DeliveryResult, Attempt], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    send: Sender | None = None,
    resolve: Resolver = resolve_host,
) -> DeliveryResult:
    """POST ``payload`` signed with ``secret``, retrying transient failures.

    ``send`` defaults to ``post_once`` with the policy's address check, names resolved by
    ``resolve``."""
    send = send or _checked_sender(policy, resolve)
    body = encode_body(payload)
    result = DeliveryResult(delivery_id or new_delivery_id())
    headers = _headers(body, secret, result.delivery_id)
    for number in range(1, policy.max_attempts + 1):
        attempt = send(url, body, headers, timeout_seconds=policy.timeout_seconds, number=number)
        result.attempts.append(attempt)
        if on_attempt is not None:
            on_attempt(result, attempt)
        if attempt.ok or not attempt.retryable or number == policy.max_attempts:
            break
        delay = policy.delay(number)
        logger.info(
            "webhook %s attempt %d failed (%s); retrying in %.1f s",
            _where(url),
            number,
            attempt.error,
            delay,
        )
        sleep(delay)
    if not result.delivered:
        logger.warning(
            "webhook delivery %s to %s failed after %d attempt(s): %s",
            result.delivery_id,
            _where(url),
            len(result.attempts),
            result.attempts[-1].error,
        )
    return result
