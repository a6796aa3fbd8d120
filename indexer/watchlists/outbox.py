"""The webhook outbox: deliveries recorded before anything is sent, sent by a worker.

An ingest only *records* alerts (``AlertEngine``): each new alert of a watchlist with a webhook
carries a ``delivery`` object ``{status: "pending", delivery_id, attempts: 0,
next_attempt_at}``, written to Elasticsearch before the ingest reports it. Nothing is sent
on the ingest path, so a dead receiver never slows or stops indexing.

``Outbox.deliver_due`` is the worker's pass (a job of ``corresp schedule`` and ``corresp
run``; the one-shot commands run one pass after indexing): it reads the deliveries whose next
attempt is due, groups their alerts by ``delivery_id`` (one watchlist, one ingest batch), and
makes **one** signed POST for each, carrying ``X-Corresp-Delivery: <delivery_id>``. The
outcome is then recorded:

- a 2xx: ``delivered``;
- a transient failure (no answer, 429, 5xx) below ``webhooks.max_attempts``: ``retrying``,
  next attempt after ``backoff_seconds`` doubled per attempt;
- anything else, or the last attempt: ``parked`` with its last error (shown on
  ``/watch/{id}`` and ``GET /watchlists/{id}``; ``corresp alerts retry`` queues it again).

A crash at any moment therefore loses nothing: alerts are recorded before any POST, and a
delivery whose outcome was not recorded (killed during the POST, or between the answer and the
record) is still due and is sent again with the same delivery id and the same alerts, so a
receiver drops the repeat by its id. Delivery is at least once, never silently never.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from elasticsearch import Elasticsearch

from indexer.es_client import backend_errors
from indexer.search.watchlists import (
    build_delivery_alerts_body,
    build_due_deliveries_body,
    build_parked_deliveries_body,
    read_delivery_ids,
)
from indexer.watchlists.alert_store import AlertStore
from indexer.watchlists.errors import WatchlistNotFoundError
from indexer.watchlists.indices import WatchIndices
from indexer.watchlists.models import Watchlist, WebhooksConfig
from indexer.watchlists.secrets import SecretBox
from indexer.watchlists.store import WatchlistStore
from indexer.watchlists.webhooks import Attempt, DeliveryPolicy, attempt_delivery

__all__ = [
    "Channel",
    "Outbox",
    "OutboxReport",
    "delivery_payload",
    "pending_delivery",
    "state_after",
    "webhook_channel",
]

logger = logging.getLogger(__name__)

_DELIVERIES = 50
"""Deliveries attempted per pass (more are left for the next pass)."""
_ALERTS = 10_000
_PARALLEL = 8
"""Deliveries attempted at once in one pass (each is one POST or one SMTP session)."""
"""Most alerts read for those deliveries (one ingest batch of one watchlist is far fewer)."""

Attempter = Callable[..., Attempt]
_STATE_FIELDS = ("delivery", "email")
"""Alert fields holding a channel's delivery state (never part of what is delivered)."""


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def pending_delivery(delivery_id: str, *, due: datetime) -> dict[str, Any]:
    """The ``delivery`` object of a new alert: recorded, not yet attempted, due at ``due``."""
    return {
        "status": "pending",
        "delivery_id": delivery_id,
        "attempts": 0,
        "next_attempt_at": _iso(due),
    }


def delivery_payload(
    watchlist: Watchlist, alerts: list[dict[str, Any]], *, delivery_id: str
) -> dict[str, Any]:
    """The JSON body of one delivery: the same bytes' content on every attempt."""
    ordered = sorted(alerts, key=lambda alert: str(alert["alert_id"]))
    found_at = min(str(alert["found_at"]) for alert in ordered)
    return {
        "event": "alerts",
        "delivery_id": delivery_id,
        "watchlist": {"id": watchlist.id, "name": watchlist.name},
        "found_at": found_at,
        "count": len(ordered),
        "alerts": [_public(alert) for alert in ordered],
    }


def _public(document: dict[str, Any]) -> dict[str, Any]:
    shown = {key: value for key, value in document.items() if key not in _STATE_FIELDS}
    return shown | {"web_path": f"/letter/{document['accession']}"}


def state_after(
    attempt: Attempt, *, delivery_id: str, policy: DeliveryPolicy, now: datetime
) -> dict[str, Any]:
    """The ``delivery`` object after ``attempt``: delivered, retrying (when next), or parked."""
    at = _iso(attempt.at)
    state: dict[str, Any] = {
        "delivery_id": delivery_id,
        "attempts": attempt.number,
        "last_error": attempt.error,
        "response_status": attempt.status,
        "last_attempt_at": at,
    }
    if attempt.ok:
        return state | {"status": "delivered", "delivered_at": at}
    if attempt.retryable and attempt.number < policy.max_attempts:
        wait = timedelta(seconds=policy.delay(attempt.number))
        return state | {"status": "retrying", "next_attempt_at": _iso(now + wait)}
    return state | {"status": "parked"}


@dataclass
class OutboxReport:
    delivered: int = 0
    """Deliveries (one POST of one watchlist's batch) answered with a 2xx in this pass."""
    retrying: int = 0
    parked: int = 0
    requeued: int = 0
    """Parked deliveries put back in the queue (``retry_parked``)."""


@dataclass(frozen=True)
class Channel:
    """One way alerts leave: the alert field that holds its state, its retries, one attempt."""

    name: str
    """``webhook`` or ``email``: in logs and reports."""
    field: str
    """The alert field of its state: ``delivery`` (webhooks) or ``email``."""
    policy: DeliveryPolicy
    """Its attempts and backoff (``state_after``)."""
    attempt: Callable[[Watchlist, str, list[dict[str, Any]], int], Attempt | str]
    """Attempt ``number`` of one delivery: its outcome, or why it cannot be made at all (the
    delivery is then parked unsent)."""


def webhook_channel(hooks: WebhooksConfig, *, attempt: Attempter = attempt_delivery) -> Channel:
    """Webhook deliveries: one signed POST of the alerts to the watchlist's URL."""
    policy = DeliveryPolicy.from_config(hooks)

    def send(
        watchlist: Watchlist, delivery_id: str, alerts: list[dict[str, Any]], number: int
    ) -> Attempt | str:
        if not watchlist.webhook_url:
            return "the watchlist has no webhook any more"
        if watchlist.webhook_secret is None:
            return (
                "refused: the webhook secret cannot be read (the key of api.secret_key or "
                "storage.data_dir/secret.key is missing or wrong); never sent unsigned"
            )
        return attempt(
            watchlist.webhook_url,
            delivery_payload(watchlist, alerts, delivery_id=delivery_id),
            watchlist.webhook_secret.get_secret_value(),
            policy=policy,
            delivery_id=delivery_id,
            number=number,
        )

    return Channel("webhook", "delivery", policy, send)


class Outbox:
    """Sends the due deliveries of one channel and records each outcome."""

    def __init__(
        self,
        es: Elasticsearch,
        names: WatchIndices,
        *,
        channel: Channel,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        box: SecretBox | None = None,
    ) -> None:
        self.es = es
        self.names = names
        self.channel = channel
        self.clock = clock
        self.alerts = AlertStore(es, names)
        self.watchlists = WatchlistStore(es, names, box=box)

    def deliver_due(self) -> OutboxReport:
        """One pass: one attempt for every delivery that is due now.

        Deliveries are attempted ``_PARALLEL`` at a time, so a receiver that holds every
        POST until the timeout delays only its own deliveries, not the other watchlists'."""
        report = OutboxReport()
        due = build_due_deliveries_body(self.clock(), size=_DELIVERIES, field=self.channel.field)
        groups = self._grouped(due)
        if not groups:
            return report
        with ThreadPoolExecutor(
            max_workers=min(_PARALLEL, len(groups)), thread_name_prefix="outbox"
        ) as pool:
            statuses = list(pool.map(lambda group: self._attempt_and_record(*group), groups))
        for status in statuses:
            if status == "delivered":
                report.delivered += 1
            elif status == "retrying":
                report.retrying += 1
            else:
                report.parked += 1
        return report

    def _attempt_and_record(self, delivery_id: str, alerts: list[dict[str, Any]]) -> str:
        state = self._send(delivery_id, alerts)
        self._record(alerts, state)
        return str(state["status"])

    def retry_parked(self, watchlist_id: str | None = None) -> OutboxReport:
        """Queue the parked deliveries again (of one watchlist, or all), attempts reset."""
        report = OutboxReport()
        body = build_parked_deliveries_body(
            watchlist_id, size=_DELIVERIES, field=self.channel.field
        )
        while groups := self._grouped(body):
            for delivery_id, alerts in groups:
                last = alerts[0][self.channel.field]
                state = pending_delivery(delivery_id, due=self.clock())
                state["last_error"] = last.get("last_error")
                self._record(alerts, state)
                report.requeued += 1
        return report

    def _grouped(self, body: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
        """The deliveries ``body`` selects, each with all of its alerts (a delivery is never
        sent in part: its body is the same on every attempt)."""
        field = self.channel.field
        with backend_errors(f"reading {self.channel.name} deliveries"):
            ids = read_delivery_ids(self.es.search(index=self.names.alerts, **body).body)
            if not ids:
                return []
            alerts_body = build_delivery_alerts_body(ids, size=_ALERTS, field=field)
            response = self.es.search(index=self.names.alerts, **alerts_body)
        groups: dict[str, list[dict[str, Any]]] = {delivery_id: [] for delivery_id in ids}
        for hit in response["hits"]["hits"]:
            alert = hit["_source"]
            groups[str(alert[field]["delivery_id"])].append(alert)
        return [(delivery_id, alerts) for delivery_id, alerts in groups.items() if alerts]

    def _send(self, delivery_id: str, alerts: list[dict[str, Any]]) -> dict[str, Any]:
        """Make the next attempt of one delivery; its new state."""
        previous = alerts[0][self.channel.field]
        number = int(previous.get("attempts") or 0) + 1
        try:
            watchlist = self.watchlists.get(str(alerts[0]["watchlist_id"]))
        except WatchlistNotFoundError:
            return self._parked(delivery_id, number - 1, "the watchlist was deleted")
        attempt = self.channel.attempt(watchlist, delivery_id, alerts, number)
        if isinstance(attempt, str):
            return self._parked(delivery_id, number - 1, attempt)
        policy = self.channel.policy
        return state_after(attempt, delivery_id=delivery_id, policy=policy, now=self.clock())

    def _parked(self, delivery_id: str, attempts: int, reason: str) -> dict[str, Any]:
        logger.warning("%s delivery %s parked: %s", self.channel.name, delivery_id, reason)
        return {
            "status": "parked",
            "delivery_id": delivery_id,
            "attempts": attempts,
            "last_error": reason,
            "last_attempt_at": _iso(self.clock()),
        }

    def _record(self, alerts: list[dict[str, Any]], state: dict[str, Any]) -> None:
        ids = [str(alert["alert_id"]) for alert in alerts]
        self.alerts.record_delivery(ids, state, field=self.channel.field)
