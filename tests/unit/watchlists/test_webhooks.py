"""Webhook signing (pure) and the retry policy, with a scripted sender (no sockets)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from datetime import UTC, datetime
from typing import Any

import pytest

from indexer.watchlists.webhooks import (
    Attempt,
    DeliveryPolicy,
    DeliveryResult,
    deliver,
    encode_body,
    sign_body,
    verify_signature,
)

SECRET = "a-webhook-secret-of-some-length"
URL = "https://hooks.example.org/path/with-token-123"
NOW = datetime(2026, 1, 2, tzinfo=UTC)


def test_signature_is_hmac_sha256_of_the_raw_body() -> None:
    body = encode_body({"b": 1, "a": "é"})
    assert body == '{"b":1,"a":"é"}'.encode()
    expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert sign_body(SECRET, body) == f"sha256={expected}"
    assert verify_signature(SECRET, body, f"sha256={expected}")
    assert not verify_signature(SECRET, body + b" ", f"sha256={expected}")
    assert not verify_signature("another-secret-value", body, f"sha256={expected}")
    assert not verify_signature(SECRET, body, None)


class Script:
    """A sender answering with the given statuses (``None`` = no answer), recording calls."""

    def __init__(self, *statuses: int | None) -> None:
        self.statuses = list(statuses)
        self.calls: list[dict[str, Any]] = []

    def __call__(
        self, url: str, body: bytes, headers: dict[str, str], *, timeout_seconds: float, number: int
    ) -> Attempt:
        self.calls.append(
            {"url": url, "body": body, "headers": headers, "timeout": timeout_seconds}
        )
        status = self.statuses.pop(0)
        if status is None:
            return Attempt(number, NOW, None, "no answer: refused", retryable=True)
        if 200 <= status < 300:
            return Attempt(number, NOW, status, None)
        return Attempt(number, NOW, status, f"HTTP {status}", retryable=status >= 500)


POLICY = DeliveryPolicy(timeout_seconds=2, max_attempts=4, backoff_seconds=0.5)


def _deliver(script: Script, policy: DeliveryPolicy = POLICY) -> tuple[DeliveryResult, list]:
    sleeps: list[float] = []
    seen: list[tuple[int, str | None]] = []
    result = deliver(
        URL,
        {"alerts": [1, 2]},
        SECRET,
        policy=policy,
        on_attempt=lambda _result, attempt: seen.append((attempt.number, attempt.error)),
        sleep=sleeps.append,
        send=script,
    )
    return result, [sleeps, seen]


def test_one_signed_post_when_the_receiver_answers() -> None:
    script = Script(204)
    result, (sleeps, seen) = _deliver(script)
    assert result.delivered
    assert (len(script.calls), sleeps, seen) == (1, [], [(1, None)])
    call = script.calls[0]
    headers = call["headers"]
    assert headers["X-Corresp-Signature"] == sign_body(SECRET, call["body"])
    assert headers["X-Corresp-Delivery"] == result.delivery_id
    assert headers["Content-Type"] == "application/json"
    assert json.loads(call["body"]) == {"alerts": [1, 2]}
    assert call["timeout"] == 2


def test_network_errors_and_5xx_are_retried_with_exponential_backoff() -> None:
    script = Script(None, 500, 503, 200)
    result, (sleeps, seen) = _deliver(script)
    assert result.delivered
    assert sleeps == [0.5, 1.0, 2.0]
    assert [number for number, _ in seen] == [1, 2, 3, 4]
    ids = {call["headers"]["X-Corresp-Delivery"] for call in script.calls}
    assert ids == {result.delivery_id}  # one delivery, however many attempts


def test_attempts_are_bounded() -> None:
    script = Script(500, 500, 500)
    result, (sleeps, _) = _deliver(script, DeliveryPolicy(max_attempts=3, backoff_seconds=1))
    assert not result.delivered
    assert (len(result.attempts), sleeps) == (3, [1, 2])
    assert result.attempts[-1].error == "HTTP 500"


def test_client_errors_are_not_retried() -> None:
    script = Script(410)
    result, (sleeps, _) = _deliver(script)
    assert not result.delivered
    assert (len(script.calls), sleeps) == (1, [])


def test_logs_name_the_host_only(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="indexer.watchlists.webhooks"):
        _deliver(Script(500, 500, 500, 500))
    text = caplog.text
    assert "https://hooks.example.org" in text
    assert "with-token-123" not in text
    assert SECRET not in text
