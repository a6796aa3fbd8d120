"""One crawl pass: discover, download, store, record; and the scheduled-job wrapper.

``Crawler`` owns the client, the ledger and the raw store for one process. A pass runs one
pipeline (``crawler.pipeline``) of ``edgar.max_concurrent_requests`` workers sharing the
client's throttle: the index files of its discovery (quarterly for a backfill, daily for a
crawl) are read in it, a few ahead, while the filings already listed download, so neither
slow answers nor the boundaries between index files leave the request budget unused while
the throttle alone sets the pace. The submissions-JSON and feed sources, whose requests
depend on one another, run before the pipeline.

Per-filing problems (download errors, truncated or unparsable submissions, undecodable
documents) are recorded and the pass goes on; a filing that keeps failing is parked. A
repeated rate-limit block ends the pass (the next one starts normally). A data directory
that cannot be written (``StorageError``: disk full, read-only) ends the pass at once and is
raised after the workers stop, with nothing recorded against any filing. ``stop()`` (called
on SIGTERM) lets every worker finish the filing in hand, starts nothing new in this pass or
any later one, and leaves the ledger consistent.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

from crawler.client import EdgarClient, make_client
from crawler.discovery import DAILY_CURSOR, Discovery, DiscoveryReport, eastern_today
from crawler.download import download_filing
from crawler.errors import (
    CrawlAborted,
    CrawlerError,
    DownloadError,
    ParseError,
    RateLimitedError,
    StorageError,
)
from crawler.handoff import HandoffReport, ingest_pending
from crawler.parsed import ParsedSubmissions
from crawler.pipeline import Pipeline, Step
from crawler.state import CrawlState, PendingFiling
from crawler.store import RawStore
from indexer.data_folder import DataFolder
from indexer.errors import CorrespError
from indexer.settings import Settings

__all__ = ["CrawlReport", "Crawler", "FetchOutcome", "run_scheduled_job"]

logger = logging.getLogger(__name__)

Plan = Callable[[], tuple[DiscoveryReport, Sequence[Step]]]
"""A pass's discovery: its report (filled in as its steps are recorded) and its steps."""


class FetchOutcome(StrEnum):
    FETCHED = "fetched"
    ADOPTED = "adopted"
    FAILED = "failed"
    PARKED = "parked"
    STOPPED = "stopped"


@dataclass
class CrawlReport:
    """What one pass did; printed by the commands (``--json``) and used by benchmarks."""

    found: int = 0
    """Distinct filings of the configured forms listed by the sources read."""
    new: int = 0
    """Of those, filings this ledger had never seen."""
    already_stored: int = 0
    """Of those, filings whose raw bytes were stored before this pass."""
    fetched: int = 0
    """Filings downloaded and stored by this pass (old retries included)."""
    adopted: int = 0
    """Filings found complete in the raw store after an interrupted run (no download)."""
    failed: int = 0
    """Failed download attempts this pass (each filing is retried later)."""
    parked: int = 0
    """Filings that reached the attempt limit this pass."""
    requeued: int = 0
    """Parked filings put back in the queue before this pass (``--retry-failed``)."""
    requests: int = 0
    index_files: int = 0
    bad_lines: int = 0
    document_problems: int = 0
    elapsed_seconds: float = 0.0
    indexed: int = 0
    """Filings normalized, threaded and indexed after the pass."""
    awaiting_index: int = 0
    """Filings stored but not indexed yet (Elasticsearch down, or ``--no-index``)."""
    index_error: str | None = None
    stopped: str | None = None
    """Why the pass ended early, if it did."""
    errors: list[str] = field(default_factory=list)

    def add_discovery(self, report: DiscoveryReport, already_stored: int) -> None:
        self.found += len(report.accessions)
        self.new += report.new
        self.index_files += report.index_files
        self.bad_lines += report.bad_lines
        self.already_stored += already_stored
        self.errors.extend(report.errors)

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["errors"] = self.errors[:20]
        return data


class ProgressCallback(Protocol):
    """Told how many filings are due, of each one's outcome, and of more found meanwhile."""

    def start(self, total: int) -> None: ...

    def grow(self, total: int) -> None:
        """Discovery found more filings: ``total`` are now due in this pass."""
        ...

    def advance(self, outcome: FetchOutcome) -> None: ...


class Crawler:
    """Everything a crawl pass needs in one process."""

    def __init__(
        self,
        settings: Settings,
        *,
        client: EdgarClient | None = None,
        forms: Iterable[str] | None = None,
    ) -> None:
        self.settings = settings
        self.forms = [form.upper() for form in (forms or settings.crawler.forms)]
        self.client = client or make_client(
            settings.edgar, max_connections=settings.edgar.max_concurrent_requests
        )
        folder = DataFolder(settings.storage.data_dir)
        self.state = CrawlState(folder.ledger)
        self.store = RawStore(folder.raw)
        self.parsed = ParsedSubmissions()
        """Submissions parsed by this pass's downloads, until the hand-off takes them."""
        self.store.remove_stale_temporaries()
        self._shutdown = threading.Event()
        """Set for good by ``stop()`` (SIGTERM): no pass starts anything after it."""
        self._abort = threading.Event()
        """Set for the current pass only (a repeated block, a storage error)."""
        self._stop_reason: str | None = None
        self.stop_signal: int | None = None
        """The signal that stopped the process's passes, if one did (commands exit 128+N)."""
        self._abort_reason: str | None = None
        self._storage_error: StorageError | None = None
        self._report_lock = threading.Lock()
        self.discovery = Discovery(
            self.client, self.state, forms=self.forms, cancelled=self._halted
        )

    def close(self) -> None:
        self.client.close()
        self.state.close()

    def __enter__(self) -> Crawler:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def stop(self, reason: str = "stop requested") -> None:
        """Finish the filings in hand, start nothing new, in this pass and any later one."""
        self._stop_reason = self._stop_reason or reason
        self._shutdown.set()

    def _abort_pass(self, reason: str) -> None:
        """End the current pass like ``stop()``; the next pass starts afresh."""
        with self._report_lock:
            self._abort_reason = self._abort_reason or reason
        self._abort.set()

    def _halt_reason(self) -> str | None:
        # Read through a method: the attributes are set by other threads meanwhile.
        return self._abort_reason or self._stop_reason

    def _halted(self) -> bool:
        return self._shutdown.is_set() or self._abort.is_set()

    @property
    def stopping(self) -> bool:
        return self._halted()

    # -- passes ------------------------------------------------------------------------------

    def crawl(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        ciks: list[str] | None = None,
        limit: int | None = None,
        progress: ProgressCallback | None = None,
    ) -> CrawlReport:
        """Incremental pass: daily indexes (or the CIKs' submissions JSON), and downloads."""
        return self._pass(
            lambda: self._discover_recent(since, until, ciks),
            limit,
            progress,
            beside=self.beside_pass,
        )

    def backfill(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        limit: int | None = None,
        progress: ProgressCallback | None = None,
    ) -> CrawlReport:
        """Quarterly indexes from ``start`` (default ``crawler.start_date``), and downloads."""
        start = start or self.settings.crawler.start_date
        end = end or eastern_today()
        return self._pass(
            lambda: self.discovery.quarterly_steps(start, end),
            limit,
            progress,
            beside=self.beside_pass,
        )

    def poll_feed(self, *, progress: ProgressCallback | None = None) -> CrawlReport:
        """Same-day letters from the current-filings feed."""
        return self._pass(lambda: (self.discovery.feed(), ()), None, progress)

    def beside_pass(self) -> None:
        """Work done in a thread of its own beside each crawl and backfill pass, through the
        same client and throttle (nothing here; ``TickerMapCrawler`` refreshes its map)."""

    def index_stored(
        self, report: CrawlReport | None = None, *, refresh_filing_lists: bool = True
    ) -> HandoffReport:
        """Hand every stored filing not yet indexed to the indexer (normalize, thread, index,
        alert), with the submissions this process parsed; the figures go into ``report``.

        ``refresh_filing_lists`` lets the hand-off ask EDGAR for the filing lists of the
        companies it indexes (at most once a day each); without it nothing is requested."""
        handoff = ingest_pending(
            self.settings,
            self.state,
            self.store,
            client=self.client if refresh_filing_lists else None,
            parsed=self.parsed,
        )
        if report is not None:
            report.indexed, report.awaiting_index = handoff.ingested, handoff.awaiting
            report.index_error = handoff.error
        return handoff

    # -- internals -------------------------------------------------------------------------

    def _discover_recent(
        self, since: date | None, until: date | None, ciks: list[str] | None
    ) -> tuple[DiscoveryReport, Sequence[Step]]:
        if ciks:
            return self.discovery.companies(ciks), ()
        crawler_cfg = self.settings.crawler
        today = eastern_today()
        if since is None:
            cursor = self.state.cursor(DAILY_CURSOR)
            if cursor:
                since = date.fromisoformat(cursor) - timedelta(
                    crawler_cfg.daily_index_lookback_days
                )
            else:
                since = today - timedelta(days=crawler_cfg.first_crawl_days)
        return self.discovery.daily_steps(since, until or today, today=today)

    def _pass(
        self,
        plan: Plan,
        limit: int | None,
        progress: ProgressCallback | None,
        *,
        beside: Callable[[], None] | None = None,
    ) -> CrawlReport:
        started = time.monotonic()
        requests_before = self.client.stats.requests
        report = CrawlReport()
        self._abort.clear()
        self._abort_reason = None
        self._storage_error = None
        found, stored_before = DiscoveryReport(), set[str]()
        # Started with the pass rather than before it, so its request shares the first turns.
        side = threading.Thread(target=beside, name="beside-pass") if beside else None
        if side is not None:
            side.start()
        try:
            stored_before = self.state.stored_accessions()
            found, steps = plan()
            self._run_pipeline(steps, report, limit, progress)
        except RateLimitedError as exc:
            report.stopped = f"blocked by SEC repeatedly: {exc}"
        except CrawlAborted as exc:
            report.stopped = exc.reason
        except StorageError as exc:  # the ledger cannot be written: nothing more is recorded
            self._storage_failed(exc)
        finally:
            if side is not None:
                side.join()
        report.add_discovery(found, len(found.accessions & stored_before))
        if self.stopping and report.stopped is None:
            report.stopped = self._halt_reason()
        report.requests = self.client.stats.requests - requests_before
        report.elapsed_seconds = round(time.monotonic() - started, 3)
        if self._storage_error is not None:
            raise self._storage_error
        return report

    def _run_pipeline(
        self,
        steps: Sequence[Step],
        report: CrawlReport,
        limit: int | None,
        progress: ProgressCallback | None,
    ) -> None:
        """Read ``steps`` and download every due filing (those they add too) in one pool."""
        due_total = self.state.count_due(forms=self.forms) if progress is not None else 0
        if progress is not None:
            progress.start(due_total if limit is None else min(due_total, limit))

        def taken(new: int) -> None:
            nonlocal due_total
            if progress is not None and new:
                due_total += new
                progress.grow(due_total if limit is None else min(due_total, limit))

        def download(filing: PendingFiling) -> None:
            outcome = self._fetch_one(filing, report)
            if progress is not None:
                progress.advance(outcome)

        pipeline = Pipeline(
            steps,
            due=lambda after, count: self.state.due_filings(
                forms=self.forms, limit=count, after=after
            ),
            download=download,
            workers=self.settings.edgar.max_concurrent_requests,
            read_ahead=self.discovery.workers,
            limit=limit,
            halted=self._halted,
            on_taken=taken,
            on_error=self._step_failed,
        )
        pipeline.run()

    def _step_failed(self, error: CrawlerError) -> None:
        """An index step ended the pass: cancel the requests in flight too."""
        if isinstance(error, StorageError):
            self._storage_failed(error)
        elif isinstance(error, RateLimitedError):
            self._abort_pass(f"blocked by SEC repeatedly: {error}")
        else:
            self._abort_pass(str(error))

    def _fetch_one(self, filing: PendingFiling, report: CrawlReport) -> FetchOutcome:
        if self.stopping:
            return FetchOutcome.STOPPED
        try:
            return self._fetch_and_record(filing, report)
        except StorageError as exc:  # a filing stored but not recorded is adopted next pass
            return self._storage_failed(exc)

    def _fetch_and_record(self, filing: PendingFiling, report: CrawlReport) -> FetchOutcome:
        try:
            downloaded = download_filing(self.client, self.store, filing, cancelled=self._halted)
        except CrawlAborted:
            return FetchOutcome.STOPPED
        except RateLimitedError as exc:
            self._abort_pass(f"blocked by SEC repeatedly: {exc}")
            return FetchOutcome.STOPPED
        except (DownloadError, ParseError) as exc:
            return self._record_failure(filing, str(exc), report)
        if downloaded.submission is not None:
            self.parsed.put(filing.accession, downloaded.submission, downloaded.stored.size)
        self.state.mark_fetched(
            filing.accession,
            raw_path=downloaded.stored.relative_path,
            raw_sha256=downloaded.stored.sha256,
            raw_bytes=downloaded.stored.size,
            filing_date=downloaded.filing_date,
            released_on=downloaded.released_on,
        )
        for problem in downloaded.problems:
            self.state.record_problem(
                filing.accession, "document", problem, accession=filing.accession
            )
        with self._report_lock:
            report.document_problems += len(downloaded.problems)
            if downloaded.adopted:
                report.adopted += 1
            else:
                report.fetched += 1
        return FetchOutcome.ADOPTED if downloaded.adopted else FetchOutcome.FETCHED

    def _storage_failed(self, error: StorageError) -> FetchOutcome:
        """Stop the pass: nothing can be stored, and no filing is to blame."""
        with self._report_lock:
            self._storage_error = self._storage_error or error
        self._abort_pass(f"storage error: {error}")
        return FetchOutcome.STOPPED

    def _record_failure(
        self, filing: PendingFiling, reason: str, report: CrawlReport
    ) -> FetchOutcome:
        crawler_cfg = self.settings.crawler
        parked = self.state.record_failure(
            filing.accession,
            reason,
            max_attempts=crawler_cfg.max_attempts_per_filing,
            retry_after=timedelta(seconds=crawler_cfg.retry_delay_seconds),
        )
        logger.warning("%s %s: %s", filing.accession, "parked" if parked else "failed", reason)
        with self._report_lock:
            report.failed += 1
            report.parked += int(parked)
            report.errors.append(f"{filing.accession}: {reason}")
        return FetchOutcome.PARKED if parked else FetchOutcome.FAILED


def run_scheduled_job(name: str, job: Callable[[], CrawlReport]) -> CrawlReport | None:
    """Run one scheduled job; log and swallow any error so the scheduler keeps running.

    This is the project's single broad ``except Exception``: a scheduled job must never take
    the daemon down, and the next run starts from the ledger's consistent state.
    """
    try:
        report = job()
    except CorrespError as exc:  # explained errors (a full disk, …): one line, no traceback
        logger.error("scheduled job %s failed; it will run again on schedule: %s", name, exc)
        return None
    except Exception:
        logger.exception("scheduled job %s failed; it will run again on schedule", name)
        return None
    logger.info("scheduled job %s: %s", name, report.to_dict())
    return report
