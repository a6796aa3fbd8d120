"""Handing stored filings to the indexer: normalize, thread, index, then mark ingested.

Filings are read back from the raw store (never from EDGAR), turned into
``IncomingLetter`` records with the ledger's dates (the listing day as ``released_on``,
``first_seen_at``), and ingested in batches. A batch that Elasticsearch cannot take (it is
down, or rejects documents) leaves its filings ``fetched`` with the reason recorded, so the
next pass indexes them without downloading anything again. ``reindex`` rebuilds every index
from the raw store into new indices and swaps the aliases at the end.

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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from crawler.client import EdgarClient
from crawler.company_filings import CompanyFilings, ciks_of
from crawler.edgar.sgml import parse_submission
from crawler.errors import ParseError
from crawler.extract.letters import letter_from_documents, letters_in_submission
from crawler.extract.ocr import OcrOptions
from crawler.state import CrawlState, StoredFiling
from crawler.store import RawStore
from indexer.errors import IndexingError, SearchBackendError
from indexer.es_client import make_es_client
from indexer.incoming import IncomingLetter
from indexer.ingest import Ingester
from indexer.lifecycle import (
    count_documents,
    ensure_schema,
    index_names,
    new_indices,
    swap_aliases,
)
from indexer.normalize.topics import taxonomy_for
from indexer.settings import Settings
from indexer.watchlists.alerts import ensure_alert_engine

__all__ = ["HandoffReport", "incoming_letters", "ingest_pending", "reindex"]

logger = logging.getLogger(__name__)

_BATCH = 200
Progress = Callable[[int], None]


@dataclass
class HandoffReport:
    ingested: int = 0
    awaiting: int = 0
    """Filings stored but not yet indexed after this pass."""
    threads: int = 0
    comments: int = 0
    alerts: int = 0
    """New watchlist alerts."""
    webhooks_delivered: int = 0
    webhooks_failed: int = 0
    error: str | None = None
    searchable: dict[str, int] | None = None
    """Letters, comments and threads searchable after this pass (None if not counted)."""


def incoming_letters(
    stored: StoredFiling, store: RawStore, *, ocr: OcrOptions | None = None
) -> list[IncomingLetter]:
    """The letters of a stored filing, with the ledger's facts where the filing lacks them:
    its own letter, or the letters filed inside it (a CORRESP document in an S-1/A)."""
    raw = store.read(stored.raw_path)
    if isinstance(raw, bytes):
        letters = letters_in_submission(
            parse_submission(raw, source=stored.raw_path),
            released_on=stored.released_on,
            first_seen_at=stored.first_seen_at,
            ocr=ocr,
        )
        return [
            letter if letter.ciks else replace(letter, ciks=(stored.cik,)) for letter in letters
        ]
    return [
        letter_from_documents(
            stored.accession,
            raw,
            form=stored.form,
            ciks=(stored.cik,),
            company=stored.company,
            filing_date=stored.filing_date,
            released_on=stored.released_on,
            first_seen_at=stored.first_seen_at,
            ocr=ocr,
        )
    ]


def ingest_pending(
    settings: Settings,
    state: CrawlState,
    store: RawStore,
    *,
    progress: Progress | None = None,
    client: EdgarClient | None = None,
) -> HandoffReport:
    """Index every stored filing not yet indexed; stop quietly if Elasticsearch is down.

    With ``client``, the filing lists of the companies to be indexed are refreshed first."""
    report = HandoffReport()
    ocr = OcrOptions.from_config(settings.crawler.ocr)
    filings = CompanyFilings.in_data_dir(settings.storage.data_dir)
    if client is not None and settings.crawler.resolve_reviewed_filings:
        pending = state.stored_filings(only_pending_ingest=True)
        filings.refresh(client, ciks_of((f.cik, f.filing_date) for f in pending))
    es = make_es_client(settings.elasticsearch)
    try:
        targets = ensure_schema(es, index_names(settings.elasticsearch.index_prefix))
        ingester = Ingester(
            es,
            targets,
            taxonomy=taxonomy_for(settings.normalizer.taxonomy_path),
            alerts=ensure_alert_engine(es, settings),
        )
        while batch := state.stored_filings(only_pending_ingest=True, limit=_BATCH):
            accessions = [filing.accession for filing in batch]
            try:
                result = ingester.ingest(_letters(batch, store, state, filings, ocr))
            except (SearchBackendError, IndexingError) as exc:
                state.record_ingest_failure(accessions, str(exc))
                raise
            state.mark_ingested(accessions)
            report.ingested += len(batch)
            report.threads += result.threads
            report.comments += result.comments
            report.alerts += result.alerts
            report.webhooks_delivered += result.webhooks_delivered
            report.webhooks_failed += result.webhooks_failed
            if progress is not None:
                progress(len(batch))
        report.searchable = count_documents(es, targets)
    except (SearchBackendError, IndexingError) as exc:
        report.error = str(exc)
        logger.warning("indexing postponed: %s", exc)
    finally:
        es.close()
    report.awaiting = state.count_awaiting_ingest()
    return report


def reindex(
    settings: Settings, state: CrawlState, store: RawStore, *, progress: Progress | None = None
) -> HandoffReport:
    """Rebuild every index from the raw store into new indices; swap aliases at the end."""
    report = HandoffReport()
    names = index_names(settings.elasticsearch.index_prefix)
    es = make_es_client(settings.elasticsearch)
    try:
        targets = new_indices(es, names)
        taxonomy = taxonomy_for(settings.normalizer.taxonomy_path)
        ingester = Ingester(es, targets, taxonomy=taxonomy, refresh=False)
        stored = state.stored_filings(only_pending_ingest=False)
        filings = CompanyFilings.in_data_dir(settings.storage.data_dir)
        ocr = OcrOptions.from_config(settings.crawler.ocr)
        for start in range(0, len(stored), _BATCH):
            batch = stored[start : start + _BATCH]
            result = ingester.ingest(_letters(batch, store, state, filings, ocr))
            report.ingested += len(batch)
            report.threads = result.threads
            if progress is not None:
                progress(len(batch))
        swap_aliases(es, names, targets)
        state.mark_ingested(filing.accession for filing in stored)
    finally:
        es.close()
    return report


def _letters(
    batch: list[StoredFiling],
    store: RawStore,
    state: CrawlState,
    filings: CompanyFilings,
    ocr: OcrOptions,
) -> Iterator[IncomingLetter]:
    for filing in batch:
        try:
            letters = incoming_letters(filing, store, ocr=ocr)
        except (ParseError, OSError) as exc:
            state.record_problem(
                filing.accession,
                "ingest",
                f"unreadable raw filing: {exc}",
                accession=filing.accession,
            )
            continue
        for letter in letters:
            cik = letter.ciks[0] if letter.ciks else filing.cik
            yield replace(letter, company_filings=filings.listed(cik))
