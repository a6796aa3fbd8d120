"""Handing stored filings to the indexer: normalize, thread, index, then mark ingested.

Filings are read back from the raw store (never from EDGAR; a crawl pass hands over the
submissions it parsed at download, ``crawler/parsed.py``), turned into ``IncomingLetter``
records with the ledger's dates (the listing day as ``released_on``, ``first_seen_at``), and
ingested in batches. A batch that Elasticsearch cannot take (it is down, or rejects documents)
leaves its filings ``fetched`` with the reason recorded, so the next pass indexes them without
downloading anything again. A filing whose stored bytes cannot be read back or parsed stays
``fetched`` too, with its reason and a recorded problem, while the rest of its batch is
indexed. ``reindex`` rebuilds every index from the raw store into new indices and swaps the
aliases at the end; its summary counts the threads of the new indices.

Each pass of ``ingest_pending`` first syncs the watchlists of ``config.yaml``; every batch then
turns the watchlists' new matches into alerts (and webhook deliveries), counted in the report.
A reindex creates no alerts: its letters are not new.

Each letter carries its company's filing list (``company_filings``) so the reviewed filings
resolve to accessions. With a client (crawls and the scheduler), the lists of the companies
about to be indexed are refreshed first (``crawler.resolve_reviewed_filings``; at most one
request per company per day); otherwise (``corresp index``, ``reindex``, ``import``) only
what is in the data folder is used.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from elasticsearch import Elasticsearch

from crawler.client import EdgarClient
from crawler.company_filings import ciks_of
from crawler.extract.ocr import OcrOptions
from crawler.letter_pool import LetterMaker, MadeLetters, MakerSetup, worker_count
from crawler.parsed import ParsedSubmissions
from crawler.state import CrawlState, StoredFiling
from crawler.store import RawStore
from indexer.cli.alert_commands import outboxes_for
from indexer.data_folder import DataFolder
from indexer.errors import IndexingError, SearchBackendError
from indexer.es_client import make_es_client
from indexer.ingest import Ingester
from indexer.lifecycle import (
    count_documents,
    ensure_schema,
    index_names,
    new_indices,
    swap_aliases,
)
from indexer.normalize.letter import Letter
from indexer.settings import Settings
from indexer.watchlists.alerts import AlertEngine, ensure_alert_engine
from indexer.watchlists.outbox import OutboxReport
from indexer.watchlists.secrets import secret_box

__all__ = [
    "HandoffReport",
    "alert_engine_for",
    "ingest_pending",
    "reindex",
    "send_due",
]

logger = logging.getLogger(__name__)

_BATCH = 200
Progress = Callable[[int], None]


@dataclass
class HandoffReport:
    ingested: int = 0
    awaiting: int = 0
    """Filings stored but not yet indexed after this pass."""
    unreadable: int = 0
    """Filings left waiting because their stored bytes could not be read or parsed."""
    threads: int = 0
    comments: int = 0
    alerts: int = 0
    """New watchlist alerts."""
    webhooks_queued: int = 0
    """Webhook deliveries recorded in the outbox by this ingest."""
    webhooks_delivered: int = 0
    """Of the outbox's due deliveries, those a pass after this ingest delivered (``send_due``)."""
    webhooks_retrying: int = 0
    webhooks_parked: int = 0
    emails_queued: int = 0
    """Watchlists whose new alerts of this ingest wait for an e-mail digest."""
    emails_sent: int = 0
    """E-mail digests a pass after this ingest handed to the SMTP server."""
    emails_retrying: int = 0
    emails_parked: int = 0
    error: str | None = None
    searchable: dict[str, int] | None = None
    """Letters, comments and threads searchable after this pass (None if not counted)."""


def alert_engine_for(es: Elasticsearch, settings: Settings) -> AlertEngine:
    """The watchlists' alert engine for an ingest, from the sections of ``settings`` it needs."""
    folder = DataFolder(settings.storage.data_dir)
    return ensure_alert_engine(
        es,
        index_prefix=settings.elasticsearch.index_prefix,
        configured=settings.watchlists,
        ticker_path=folder.ticker_map,
        box=secret_box(settings.api.secret_key, folder, create=True),
        daily_at=settings.alerts.smtp.daily_time,
        shapes=settings.elasticsearch.indices.shapes("watchlists", "alerts"),
    )


def send_due(settings: Settings, report: HandoffReport | None = None) -> OutboxReport:
    """One pass of the outbox worker: an attempt for every webhook delivery and e-mail
    digest that is due; their figures added up (each channel's in ``report``).

    The one-shot commands run it after their hand-off, so an import or a crawl delivers its
    own alerts; ``corresp schedule`` runs it on its own every few seconds. A cluster that
    cannot be reached leaves the deliveries queued (logged, never raised)."""
    es = make_es_client(settings.elasticsearch)
    sent: dict[str, OutboxReport] = {}
    try:
        for outbox in outboxes_for(es, settings):
            name = outbox.channel.name
            try:
                sent[name] = outbox.deliver_due()
            except (SearchBackendError, IndexingError) as exc:
                logger.warning("%s deliveries postponed: %s", name, exc)
    finally:
        es.close()
    hooks, mail = sent.get("webhook", OutboxReport()), sent.get("email", OutboxReport())
    if report is not None:
        report.webhooks_delivered = hooks.delivered
        report.webhooks_retrying = hooks.retrying
        report.webhooks_parked = hooks.parked
        report.emails_sent = mail.delivered
        report.emails_retrying = mail.retrying
        report.emails_parked = mail.parked
    return OutboxReport(
        delivered=hooks.delivered + mail.delivered,
        retrying=hooks.retrying + mail.retrying,
        parked=hooks.parked + mail.parked,
    )


def ingest_pending(
    settings: Settings,
    state: CrawlState,
    store: RawStore,
    *,
    progress: Progress | None = None,
    client: EdgarClient | None = None,
    parsed: ParsedSubmissions | None = None,
) -> HandoffReport:
    """Index every stored filing not yet indexed; stop quietly if Elasticsearch is down.

    With ``client``, the filing lists of the companies to be indexed are refreshed first;
    ``parsed`` holds submissions already parsed by this process's downloads."""
    report = HandoffReport()
    reader = _Reader(settings, state, store, parsed)
    pending = state.stored_filings(only_pending_ingest=True)
    if client is not None and settings.crawler.resolve_reviewed_filings:
        reader.maker.filings.refresh(client, ciks_of((f.cik, f.filing_date) for f in pending))
    es = make_es_client(settings.elasticsearch)
    try:
        targets = ensure_schema(
            es,
            index_names(settings.elasticsearch.index_prefix),
            layout=settings.elasticsearch.indices,
        )
        ingester = Ingester(es, targets, alerts=alert_engine_for(es, settings))
        for batch, letters in reader.batches(pending):
            accessions = [filing.accession for filing in batch]
            try:
                result = ingester.index_letters(letters)
            except (SearchBackendError, IndexingError) as exc:
                state.record_ingest_failure(accessions, str(exc))
                raise
            indexed = reader.readable(accessions)
            state.mark_ingested(indexed)
            report.ingested += len(indexed)
            report.threads += result.threads
            report.comments += result.comments
            report.alerts += result.alerts
            report.webhooks_queued += result.webhooks_queued
            report.emails_queued += result.emails_queued
            if progress is not None:
                progress(len(batch))
        report.searchable = count_documents(es, targets)
    except (SearchBackendError, IndexingError) as exc:
        report.error = str(exc)
        logger.warning("indexing postponed: %s", exc)
    finally:
        es.close()
        reader.maker.close()
    report.unreadable = len(reader.unreadable)
    report.awaiting = state.count_awaiting_ingest()
    return report


def reindex(
    settings: Settings, state: CrawlState, store: RawStore, *, progress: Progress | None = None
) -> HandoffReport:
    """Rebuild every index from the raw store into new indices; swap aliases at the end."""
    report = HandoffReport()
    names = index_names(settings.elasticsearch.index_prefix)
    reader = _Reader(settings, state, store)
    es = make_es_client(settings.elasticsearch)
    try:
        targets = new_indices(es, names, layout=settings.elasticsearch.indices)
        ingester = Ingester(es, targets, refresh=False)
        stored = state.stored_filings(only_pending_ingest=False)
        for batch, letters in reader.batches(stored):
            ingester.index_letters(letters)
            if progress is not None:
                progress(len(batch))
        swap_aliases(es, names, targets)
        indexed = reader.readable(filing.accession for filing in stored)
        state.mark_ingested(indexed)
        report.ingested = len(indexed)
        report.searchable = count_documents(es, targets)
        # Batches rebuild the threads of their companies, and a company's letters can span
        # batches: the reindex's figures are those of the new indices.
        report.threads = report.searchable["threads"]
        report.comments = report.searchable["comments"]
    finally:
        es.close()
        reader.maker.close()
    report.unreadable = len(reader.unreadable)
    report.awaiting = state.count_awaiting_ingest()
    return report


class _Reader:
    """Makes the normalized letters of stored filings (on every core, ``LetterMaker``);
    remembers those that could not be read."""

    def __init__(
        self,
        settings: Settings,
        state: CrawlState,
        store: RawStore,
        parsed: ParsedSubmissions | None = None,
    ) -> None:
        self.state = state
        self.parsed = parsed
        setup = MakerSetup(
            store_root=store.root,
            data_dir=settings.storage.data_dir,
            ocr=OcrOptions.from_config(settings.crawler.ocr),
            taxonomy_path=settings.normalizer.taxonomy_path,
            outcomes_path=settings.normalizer.outcomes_path,
        )
        self.maker = LetterMaker(setup, workers=worker_count(settings.normalizer.workers))
        self.unreadable: dict[str, str] = {}
        """Why each unreadable filing of this pass could not be read, by accession."""

    def readable(self, accessions: Iterable[str]) -> list[str]:
        return [accession for accession in accessions if accession not in self.unreadable]

    def batches(
        self, stored: list[StoredFiling]
    ) -> Iterator[tuple[list[StoredFiling], list[Letter]]]:
        """``stored`` in batches, each with its letters; the workers make the next batch's
        letters while the caller indexes this one."""
        chunks = [stored[start : start + _BATCH] for start in range(0, len(stored), _BATCH)]
        ahead = self._start(chunks[0]) if chunks else None
        for number, chunk in enumerate(chunks):
            assert ahead is not None
            made = ahead()
            ahead = self._start(chunks[number + 1]) if number + 1 < len(chunks) else None
            yield chunk, self._letters(made)

    def _start(self, batch: list[StoredFiling]) -> Callable[[], list[MadeLetters]]:
        jobs = [
            (filing, None if self.parsed is None else self.parsed.take(filing.accession))
            for filing in batch
        ]
        return self.maker.start(jobs)

    def _letters(self, made: list[MadeLetters]) -> list[Letter]:
        letters: list[Letter] = []
        for filing in made:
            if filing.unreadable is not None:
                self._unreadable(filing.accession, filing.unreadable)
            letters.extend(filing.letters)
        return letters

    def _unreadable(self, accession: str, reason: str) -> None:
        self.unreadable[accession] = reason
        self.state.mark_unreadable(accession, reason)
        self.state.record_problem(accession, "ingest", reason, accession=accession)
