"""``AlertEngine``: after an ingest, each watchlist's new matches become recorded alerts.

``Ingester`` calls ``run`` once per batch, after the letters are indexed and threaded:

1. read every watchlist (so changes made through the API apply to the next batch);
2. match companies (CIKs and resolved tickers), SIC codes and file numbers in memory, and
   run the saved searches against the batch's letters only (one ``msearch``);
3. keep the matches released inside each watchlist's window (``matching.in_window``: no
   alerts for history unless the watchlist's ``since`` asks for it);
4. create one alert per (watchlist, letter, match), stamped with the time it was found; an
   alert that exists already is not new (``AlertStore.create``). The new alerts of a
   watchlist with a webhook carry one pending delivery (``outbox.pending_delivery``), those
   of a watchlist with e-mail addresses a pending digest (``mail.digest_due``/``digest_id``):
   the outbox worker sends them (``indexer/watchlists/outbox.py``), never this ingest.

``ensure_alert_engine`` prepares the indices and syncs ``config.yaml``'s watchlists first.
Elasticsearch failures propagate (the batch is retried by the next pass, and alerts that were
already created are then not new, their deliveries still queued).
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
from indexer.es_client import backend_errors
from indexer.normalize.letter import Letter
from indexer.watchlists.alert_store import AlertStore
from indexer.watchlists.indices import Shapes, WatchIndices
from indexer.watchlists.mail import digest_due, digest_id
from indexer.watchlists.matching import Match, in_window, match_letters, search_requests
from indexer.watchlists.models import Watchlist, WatchlistConfig
from indexer.watchlists.outbox import pending_delivery
from indexer.watchlists.secrets import SecretBox
from indexer.watchlists.store import WatchlistStore
from indexer.watchlists.sync import sync_config_watchlists
from indexer.watchlists.tickers import TickerMap, load_ticker_map
from indexer.watchlists.webhooks import new_delivery_id

__all__ = [
    "AlertEngine",
    "AlertReport",
    "alert_document",
    "ensure_alert_engine",
]

logger = logging.getLogger(__name__)


@dataclass
class AlertReport:
    created: int = 0
    """New alerts."""
    queued: int = 0
    """Webhook deliveries queued for the outbox (one per watchlist with new alerts)."""
    emails_queued: int = 0
    """Watchlists whose new alerts wait for an e-mail digest."""


def alert_document(
    match: Match,
    letter: Letter,
    *,
    found_at: datetime,
    thread_id: str | None,
    delivery: dict[str, Any] | None,
    email: dict[str, Any] | None = None,
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
    if delivery is not None:
        document["delivery"] = delivery
    if email is not None:
        document["email"] = email
    return document


class AlertEngine:
    """Finds and records the alerts of each ingest batch (and queues their deliveries)."""

    def __init__(
        self,
        es: Elasticsearch,
        names: WatchIndices,
        *,
        ticker_path: Path | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        box: SecretBox | None = None,
        daily_at: tuple[int, int] = (7, 0),
    ) -> None:
        self.es = es
        self.watchlists = WatchlistStore(es, names, clock=clock, box=box)
        self.alerts = AlertStore(es, names)
        self.ticker_path = ticker_path
        self.clock = clock
        self.daily_at = daily_at
        """When daily e-mail digests go out (``alerts.smtp.daily_at``, US Eastern)."""

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
        by_id = {watchlist.id: watchlist for watchlist in watchlists}
        by_accession = {letter.accession: letter for letter in letters}
        matches = [
            m for m in matches if in_window(by_id[m.watchlist_id], by_accession[m.accession])
        ]
        found_at = self.clock()
        deliveries = {
            w.id: pending_delivery(new_delivery_id(), due=found_at)
            for w in watchlists
            if w.webhook_url
        }
        emails = {w.id: self._pending_email(w, found_at) for w in watchlists if w.email}
        documents = [
            alert_document(
                match,
                by_accession[match.accession],
                found_at=found_at,
                thread_id=thread_ids.get(match.accession),
                delivery=deliveries.get(match.watchlist_id),
                email=emails.get(match.watchlist_id),
            )
            for match in matches
        ]
        created = self.alerts.create(documents)
        report.created = len(created)
        report.queued = len({a["watchlist_id"] for a in created if a.get("delivery")})
        report.emails_queued = len({a["watchlist_id"] for a in created if a.get("email")})
        if created:
            logger.info(
                "%d new alert(s) of %d match(es); %d webhook delivery(ies) and %d e-mail "
                "digest(s) queued",
                len(created),
                len(matches),
                report.queued,
                report.emails_queued,
            )
        return report

    def _pending_email(self, watchlist: Watchlist, found_at: datetime) -> dict[str, Any]:
        due = digest_due(found_at, watchlist.email_digest, self.daily_at)
        return pending_delivery(digest_id(watchlist.id, watchlist.email_digest, due), due=due)

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


def ensure_alert_engine(
    es: Elasticsearch,
    *,
    index_prefix: str,
    configured: Sequence[WatchlistConfig],
    ticker_path: Path,
    box: SecretBox | None,
    daily_at: tuple[int, int] = (7, 0),
    shapes: Shapes | None = None,
) -> AlertEngine:
    """Indices ready, ``config.yaml``'s watchlists (``configured``) synced: the engine for an
    ingest into the indices of ``index_prefix``."""
    names = WatchIndices(index_prefix)
    store = WatchlistStore(es, names, box=box)
    store.ensure(shapes)
    sync_config_watchlists(store, configured)
    return AlertEngine(es, names, ticker_path=ticker_path, box=box, daily_at=daily_at)
