"""``AlertEngine``: after an ingest, each watchlist's new matches become alerts and webhooks.

``Ingester`` calls ``run`` once per batch, after the letters are indexed and threaded:

1. read every watchlist (so changes made through the API apply to the next batch);
2. match companies (CIKs and resolved tickers), SIC codes and file numbers in memory, and
   run the saved searches against the batch's letters only (one ``msearch``);
3. create one alert per (watchlist, letter, match), stamped with the time it was found;
   an alert that exists already is not new (``AlertStore.create``);
4. for each watchlist with a webhook and new alerts, POST them as one signed batch and
   record every attempt on those alerts.

``ensure_alert_engine`` prepares the indices and syncs ``config.yaml``'s watchlists first.
Elasticsearch failures propagate (the batch is retried by the next pass, and alerts that were
already created are then not new); webhook failures never do: they are recorded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from elasticsearch import Elasticsearch

from indexer.documents import edgar_url
from indexer.errors import IndexingError, SearchBackendError
from indexer.es_client import backend_errors
from indexer.normalize.letter import Letter
from indexer.watchlists.alert_store import AlertStore
from indexer.watchlists.indices import WatchIndices
from indexer.watchlists.matching import Match, match_letters, search_requests
from indexer.watchlists.models import Watchlist, WatchlistConfig, WebhooksConfig
from indexer.watchlists.store import WatchlistStore
from indexer.watchlists.sync import sync_config_watchlists
from indexer.watchlists.tickers import TickerMap, load_ticker_map
from indexer.watchlists.webhooks import (
    Attempt,
    DeliveryPolicy,
    DeliveryResult,
    deliver,
    new_delivery_id,
)

__all__ = [
    "AlertEngine",
    "AlertReport",
    "alert_document",
    "ensure_alert_engine",
    "public_alert",
    "webhook_payload",
]

logger = logging.getLogger(__name__)

Deliver = Callable[..., DeliveryResult]


@dataclass
class AlertReport:
    created: int = 0
    """New alerts."""
    deliveries: int = 0
    """Webhook batches delivered."""
    failed_deliveries: int = 0
    """Webhook batches that failed after their last attempt."""


def alert_document(
    match: Match,
    letter: Letter,
    *,
    found_at: datetime,
    thread_id: str | None,
    delivery_id: str | None,
) -> dict[str, Any]:
    """The alerts-index document of ``match``: the match, when, and the letter's summary."""
    when = letter.letter_date or letter.filing_date
    document: dict[str, Any] = {
        "alert_id": match.alert_id,
        "watchlist_id": match.watchlist_id,
        "accession": match.accession,
        "matched_by": match.matched_by,
        "found_at": found_at.isoformat(timespec="milliseconds"),
        "company": letter.company,
        "ciks": list(letter.ciks),
        "form": letter.form,
        "letter_type": str(letter.letter_type),
        "letter_date": when.isoformat() if when else None,
        "released_on": letter.released_on.isoformat() if letter.released_on else None,
        "url": edgar_url(letter.ciks[0] if letter.ciks else None, letter.accession),
        "thread_id": thread_id,
    }
    if delivery_id is not None:
        document["delivery"] = {"status": "pending", "delivery_id": delivery_id, "attempts": 0}
    return document


def public_alert(document: Mapping[str, Any]) -> dict[str, Any]:
    """An alert as webhook bodies show it: the document without delivery bookkeeping."""
    shown = {key: value for key, value in document.items() if key != "delivery"}
    return shown | {"web_path": f"/letter/{document['accession']}"}


def webhook_payload(
    watchlist: Watchlist, alerts: list[dict[str, Any]], *, delivery_id: str, found_at: datetime
) -> dict[str, Any]:
    """The JSON body POSTed for one watchlist's new alerts of one ingest."""
    return {
        "event": "alerts",
        "delivery_id": delivery_id,
        "watchlist": {"id": watchlist.id, "name": watchlist.name},
        "found_at": found_at.isoformat(timespec="milliseconds"),
        "count": len(alerts),
        "alerts": [public_alert(alert) for alert in alerts],
    }


class AlertEngine:
    """Finds, stores and delivers the alerts of each ingest batch."""

    def __init__(
        self,
        es: Elasticsearch,
        names: WatchIndices,
        *,
        ticker_path: Path | None = None,
        policy: DeliveryPolicy | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        send: Deliver = deliver,
    ) -> None:
        self.es = es
        self.watchlists = WatchlistStore(es, names, clock=clock)
        self.alerts = AlertStore(es, names)
        self.ticker_path = ticker_path
        self.policy = policy or DeliveryPolicy()
        self.clock = clock
        self._send = send

    def run(
        self, letters: list[Letter], *, letters_index: str, thread_ids: Mapping[str, str]
    ) -> AlertReport:
        """Alerts for the batch ``letters`` (already indexed into ``letters_index``)."""
        report = AlertReport()
        watchlists = self.watchlists.all()
        if not watchlists or not letters:
            return report
        tickers = load_ticker_map(self.ticker_path) if self.ticker_path else TickerMap()
        matches = match_letters(watchlists, letters, tickers)
        matches += self._search_matches(watchlists, [m.accession for m in letters], letters_index)
        found_at = self.clock()
        hooked = {w.id: w for w in watchlists if w.webhook_url}
        delivery_ids = {watchlist_id: new_delivery_id() for watchlist_id in hooked}
        by_accession = {letter.accession: letter for letter in letters}
        documents = [
            alert_document(
                match,
                by_accession[match.accession],
                found_at=found_at,
                thread_id=thread_ids.get(match.accession),
                delivery_id=delivery_ids.get(match.watchlist_id),
            )
            for match in matches
        ]
        created = self.alerts.create(documents)
        report.created = len(created)
        if created:
            logger.info("%d new alert(s) of %d match(es)", len(created), len(matches))
        for watchlist_id, watchlist in hooked.items():
            batch = [alert for alert in created if alert["watchlist_id"] == watchlist_id]
            if not batch:
                continue
            if self._deliver(watchlist, batch, delivery_ids[watchlist_id], found_at):
                report.deliveries += 1
            else:
                report.failed_deliveries += 1
        return report

    def _search_matches(
        self, watchlists: list[Watchlist], accessions: list[str], letters_index: str
    ) -> list[Match]:
        requests = search_requests(watchlists, accessions)
        if not requests:
            return []
        searches: list[dict[str, Any]] = []
        for request in requests:
            searches += [{"index": letters_index}, request.body]
        with backend_errors("running saved searches"):
            response = self.es.msearch(searches=searches)
        matches = []
        for request, answer in zip(requests, response["responses"], strict=True):
            if "error" in answer:
                logger.warning(
                    "saved search %r of watchlist %s failed: %s",
                    request.name,
                    request.watchlist_id,
                    (answer["error"] or {}).get("reason", answer["error"]),
                )
                continue
            matches += [
                Match(request.watchlist_id, hit["_id"], request.matched_by)
                for hit in answer["hits"]["hits"]
            ]
        return matches

    def _deliver(
        self,
        watchlist: Watchlist,
        alerts: list[dict[str, Any]],
        delivery_id: str,
        found_at: datetime,
    ) -> bool:
        ids = [alert["alert_id"] for alert in alerts]
        assert watchlist.webhook_url is not None
        if watchlist.webhook_secret is None:
            self._record(ids, _failure(delivery_id, "no webhook secret is configured"))
            return False

        def on_attempt(result: DeliveryResult, attempt: Attempt) -> None:
            self._record(ids, _delivery_state(result, attempt, self.policy))

        payload = webhook_payload(watchlist, alerts, delivery_id=delivery_id, found_at=found_at)
        result = self._send(
            watchlist.webhook_url,
            payload,
            watchlist.webhook_secret.get_secret_value(),
            policy=self.policy,
            delivery_id=delivery_id,
            on_attempt=on_attempt,
        )
        return result.delivered

    def _record(self, alert_ids: list[str], delivery: dict[str, Any]) -> None:
        """Record a delivery state; a failing cluster only costs the record (logged)."""
        try:
            self.alerts.record_delivery(alert_ids, delivery)
        except (SearchBackendError, IndexingError) as exc:
            logger.warning("webhook delivery state not recorded: %s", exc)


def _failure(delivery_id: str, reason: str) -> dict[str, Any]:
    return {
        "status": "failed",
        "delivery_id": delivery_id,
        "attempts": 0,
        "last_error": reason,
        "last_attempt_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
    }


def _delivery_state(
    result: DeliveryResult, attempt: Attempt, policy: DeliveryPolicy
) -> dict[str, Any]:
    """The ``delivery`` object after ``attempt``."""
    if attempt.ok:
        status = "delivered"
    elif attempt.retryable and attempt.number < policy.max_attempts:
        status = "retrying"
    else:
        status = "failed"
    at = attempt.at.isoformat(timespec="milliseconds")
    return {
        "status": status,
        "delivery_id": result.delivery_id,
        "attempts": attempt.number,
        "last_error": attempt.error,
        "response_status": attempt.status,
        "last_attempt_at": at,
        "delivered_at": at if attempt.ok else None,
    }


def ensure_alert_engine(
    es: Elasticsearch,
    *,
    index_prefix: str,
    configured: Sequence[WatchlistConfig],
    hooks: WebhooksConfig,
    ticker_path: Path,
    send: Deliver = deliver,
) -> AlertEngine:
    """Indices ready, ``config.yaml``'s watchlists (``configured``) synced: the engine for an
    ingest into the indices of ``index_prefix``."""
    names = WatchIndices(index_prefix)
    store = WatchlistStore(es, names)
    store.ensure()
    sync_config_watchlists(store, configured)
    policy = DeliveryPolicy(
        timeout_seconds=hooks.timeout_seconds,
        max_attempts=hooks.max_attempts,
        backoff_seconds=hooks.backoff_seconds,
    )
    return AlertEngine(es, names, ticker_path=ticker_path, policy=policy, send=send)
