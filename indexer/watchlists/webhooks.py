"""Webhook delivery: one signed JSON POST per watchlist and ingest, retried with backoff.

The indexer may not use httpx, so this module is the one place that speaks HTTP to
webhook receivers, with the standard library's ``urllib.request``; its exceptions are
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
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "SIGNATURE_HEADER",
    "Attempt",
    "DeliveryPolicy",
    "DeliveryResult",
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


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are answers, not instructions: a moved receiver is a failed delivery."""

    def redirect_request(self, *_args: Any, **_kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect())


def _where(url: str) -> str:
    """Scheme, host and port of ``url``: what may be logged (paths can hold tokens)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


def post_once(
    url: str, body: bytes, headers: dict[str, str], *, timeout_seconds: float, number: int = 1
) -> Attempt:
    """One POST; never raises for network or HTTP problems (they become the ``Attempt``)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - http(s) checked on input
    now = datetime.now(UTC)
    try:
        with _OPENER.open(request, timeout=timeout_seconds) as response:
            response.read(1 << 16)
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        status = int(exc.code)
        exc.close()
    except (urllib.error.URLError, TimeoutError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", None) or exc
        return Attempt(number, now, None, _short(f"no answer: {reason}"), retryable=True)
    except OSError as exc:
        return Attempt(number, now, None, _short(f"no answer: {exc}"), retryable=True)
    if 200 <= status < 300:
        return Attempt(number, now, status, None)
    retryable = status >= 500 or status == 429
    return Attempt(number, now, status, f"HTTP {status}", retryable=retryable)


def _short(text: str) -> str:
    return text if len(text) <= _MAX_ERROR_CHARS else text[: _MAX_ERROR_CHARS - 1] + "…"


Sender = Callable[..., Attempt]


def deliver(
    url: str,
    payload: dict[str, Any],
    secret: str,
    *,
    policy: DeliveryPolicy,
    delivery_id: str | None = None,
    on_attempt: Callable[[DeliveryResult, Attempt], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    send: Sender = post_once,
) -> DeliveryResult:
    """POST ``payload`` signed with ``secret``, retrying transient failures."""
    body = encode_body(payload)
    result = DeliveryResult(delivery_id or new_delivery_id())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "corresp-webhooks/1",
        EVENT_HEADER: "alerts",
        DELIVERY_HEADER: result.delivery_id,
        SIGNATURE_HEADER: sign_body(secret, body),
    }
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
