"""The outbox's delivery states and payloads (indexer.watchlists.outbox), without a cluster."""

from __future__ import annotations

from datetime import UTC, datetime

from indexer.watchlists.models import Watchlist
from indexer.watchlists.outbox import delivery_payload, pending_delivery, state_after
from indexer.watchlists.webhooks import Attempt, DeliveryPolicy

NOW = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
POLICY = DeliveryPolicy(max_attempts=3, backoff_seconds=2)


def _state(attempt: Attempt) -> dict[str, object]:
    return state_after(attempt, delivery_id="d1", policy=POLICY, now=NOW)


def test_a_new_delivery_is_pending_and_due_at_once() -> None:
    assert pending_delivery("d1", due=NOW) == {
        "status": "pending",
        "delivery_id": "d1",
        "attempts": 0,
        "next_attempt_at": "2026-12-07T09:30:00.000+00:00",
    }


def test_a_2xx_is_delivered() -> None:
    state = _state(Attempt(1, NOW, 204, None))
    assert (state["status"], state["attempts"], state["delivered_at"]) == (
        "delivered",
        1,
        "2026-12-07T09:30:00.000+00:00",
    )


def test_transient_failures_retry_with_doubling_waits_then_park() -> None:
    first = _state(Attempt(1, NOW, 503, "HTTP 503", retryable=True))
    second = _state(Attempt(2, NOW, None, "no answer: timed out", retryable=True))
    last = _state(Attempt(3, NOW, 503, "HTTP 503", retryable=True))
    assert (first["status"], first["next_attempt_at"]) == (
        "retrying",
        "2026-12-07T09:30:02.000+00:00",
    )
    assert (second["status"], second["next_attempt_at"]) == (
        "retrying",
        "2026-12-07T09:30:04.000+00:00",
    )
    assert (last["status"], last["last_error"]) == ("parked", "HTTP 503")
    assert "next_attempt_at" not in last


def test_a_refusal_or_a_4xx_is_parked_at_once() -> None:
    refused = _state(Attempt(1, NOW, None, "refused: webhook host resolves to 10.0.0.5"))
    gone = _state(Attempt(1, NOW, 410, "HTTP 410"))
    assert refused["status"] == gone["status"] == "parked"


def test_the_payload_is_the_same_whatever_order_the_alerts_are_read_in() -> None:
    watchlist = Watchlist(id="lvs", name="LVS")
    alerts = [
        {"alert_id": f"lvs:{n}:cik", "accession": str(n), "found_at": f"2026-12-07T09:0{n}"}
        | {"delivery": {"status": "pending"}}
        for n in (3, 1, 2)
    ]
    one = delivery_payload(watchlist, alerts, delivery_id="d1")
    other = delivery_payload(watchlist, list(reversed(alerts)), delivery_id="d1")
    assert one == other
    assert [a["alert_id"] for a in one["alerts"]] == ["lvs:1:cik", "lvs:2:cik", "lvs:3:cik"]
    assert one["found_at"] == "2026-12-07T09:01"
    assert "delivery" not in one["alerts"][0]
    assert one["alerts"][0]["web_path"] == "/letter/1"
