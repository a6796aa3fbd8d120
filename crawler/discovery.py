"""Finding filings: daily and quarterly indexes, submissions JSON per company, the live feed.

Each source records what it finds in the ledger together with its cursor, in one
transaction, so it resumes where it stopped. Incremental crawling is keyed on the day EDGAR
*lists* a filing (its dissemination day), never on the filing date: a review's letters are
released together weeks after they were written.

- Daily indexes (``form.YYYYMMDD.idx``): the source of record. The cursor is the last day up
  to which every day was read; each crawl re-reads a trailing window of days because SEC
  rebuilds indexes overnight. A day whose index is absent is not yet published when recent
  (the cursor then stops before it); once past, it is probably a holiday, but it is asked
  for again on every pass for a month (``IndexGaps``), since SEC sometimes publishes late.
  A day whose index cannot be read (5xx, broken bodies, after the client's retries) or
  parsed is recorded as a problem and holds the cursor, so the next pass reads it again.
- Quarterly full indexes, for backfill from ``crawler.start_date``, also reading the quarter
  after the requested range for late releases.
- Submissions JSON for listed CIKs (with its older pages).
- The current-filings Atom feed, for same-day freshness.

Index files are fetched with conditional requests, so an unchanged index costs a 304. An
index file that cannot be read never ends the pass: its problem is recorded and the other
sources and downloads go on; only a repeated rate-limit block does.

Daily and quarterly indexes are also offered as steps (``daily_steps``, ``quarterly_steps``:
one ``IndexRead`` per file, fetched in any worker and recorded in order) so that a pass
reads them in the same pipeline as its downloads (``crawler.pipeline``); ``daily`` and
``quarterly`` run the same steps on their own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from crawler.client import EdgarClient, FetchResult, Host
from crawler.edgar.feed import parse_current_feed
from crawler.edgar.indexes import parse_index
from crawler.edgar.submissions_json import SubmissionsPage, parse_submissions_json
from crawler.edgar.urls import (
    current_feed_path,
    daily_index_path,
    full_index_path,
    submissions_json_path,
    submissions_page_path,
)
from crawler.errors import DownloadError, EdgarNotFoundError, ParseError, RateLimitedError
from crawler.index_gaps import LATE_INDEX_HORIZON_DAYS, IndexGaps
from crawler.models import BadLine, FilingRef
from crawler.pipeline import IndexRead, run_in_order
from crawler.state import CrawlState

__all__ = [
    "Discovery",
    "DiscoveryReport",
    "Fetched",
    "Quarter",
    "Unreadable",
    "business_days",
    "eastern_today",
]

logger = logging.getLogger(__name__)

EASTERN = ZoneInfo("America/New_York")
DAILY_CURSOR = "daily-index"
QUARTERLY_CURSOR = "full-index"
_UNPUBLISHED_GRACE_DAYS = 3
"""An absent daily index this recent may still be published; older ones are holidays."""
_FEED_PAGES = 5


def eastern_today(now: datetime | None = None) -> date:
    return (now or datetime.now(EASTERN)).astimezone(EASTERN).date()


def business_days(start: date, end: date) -> list[date]:
    """Monday-to-Friday days from ``start`` to ``end`` inclusive."""
    days = []
    day = start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    quarter: int

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> Quarter:
        year, quarter = text.split("Q")
        return cls(int(year), int(quarter))

    def next(self) -> Quarter:
        return Quarter(self.year + self.quarter // 4, self.quarter % 4 + 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter}"


@dataclass
class DiscoveryReport:
    """What discovery found in one pass."""

    listed: int = 0
    """Rows of the configured forms in the sources read."""
    new: int = 0
    index_files: int = 0
    unchanged_files: int = 0
    missing_files: int = 0
    unreadable_files: int = 0
    """Index files that could not be read or parsed (each recorded as a problem)."""
    bad_lines: int = 0
    accessions: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)

    def add_unreadable(self, url: str, reason: str) -> None:
        self.unreadable_files += 1
        self.errors.append(f"{url}: {reason}")


@dataclass(frozen=True)
class Unreadable:
    """An index file that could not be read this time; its problem is already recorded."""

    url: str
    reason: str


Fetched = FetchResult | Unreadable | None
"""An index file read: its body (or a 304), unreadable this time, or absent on EDGAR."""


class _DailyCursor:
    """The daily cursor as a pass's days are recorded in order: it stops before a day that
    is not settled (unpublished, unreadable), so the next pass reads that day again."""

    def __init__(self, cursor: date | None) -> None:
        self.cursor = cursor
        self.contiguous = True


class Discovery:
    """The discovery sources, sharing one client and one ledger."""

    def __init__(
        self,
        client: EdgarClient,
        state: CrawlState,
        *,
        forms: Iterable[str],
        cancelled: Callable[[], bool] | None = None,
        workers: int = 4,
    ) -> None:
        self.client = client
        self.state = state
        self.forms = frozenset(forms)
        self.cancelled = cancelled
        self.workers = workers

    # -- daily indexes -------------------------------------------------------------------

    def daily(self, since: date, until: date, *, today: date | None = None) -> DiscoveryReport:
        """Read the daily indexes of ``since``..``until`` and advance the cursor."""
        report, steps = self.daily_steps(since, until, today=today)
        run_in_order(steps, workers=self.workers, halted=self.cancelled)
        return report

    def daily_steps(
        self, since: date, until: date, *, today: date | None = None
    ) -> tuple[DiscoveryReport, list[IndexRead[Fetched]]]:
        """One step per daily index of ``since``..``until`` (and of the watched gaps); the
        report fills in as the steps are recorded."""
        report = DiscoveryReport()
        today = today or eastern_today()
        cursor_text = self.state.cursor(DAILY_CURSOR)
        cursor = _DailyCursor(date.fromisoformat(cursor_text) if cursor_text else None)
        gaps = IndexGaps(self.state, today=today)
        for day in gaps.expire():
            url = self.client.url("www", daily_index_path(day))
            reason = f"not published within {LATE_INDEX_HORIZON_DAYS} days: taken as a holiday"
            self.state.record_problem(url, "index", reason)
        days = sorted({*business_days(since, min(until, today)), *gaps.days})

        def step(day: date) -> IndexRead[Fetched]:
            def take(fetched: Fetched) -> int:
                before = report.new
                advance = cursor.contiguous and (cursor.cursor is None or day > cursor.cursor)
                update = (DAILY_CURSOR, day.isoformat()) if advance else None
                if not self._take_daily(day, fetched, report, gaps, cursor=update, today=today):
                    cursor.contiguous = False  # the cursor stays before this day
                elif advance:
                    cursor.cursor = day
                return report.new - before

            path = daily_index_path(day)
            return IndexRead(path, lambda: self._read_index("www", path), take)

        return report, [step(day) for day in days]

    def _take_daily(
        self,
        day: date,
        fetched: Fetched,
        report: DiscoveryReport,
        gaps: IndexGaps,
        *,
        cursor: tuple[str, str] | None,
        today: date,
    ) -> bool:
        """Record one day's index (and ``cursor``); False if the day is not settled yet."""
        if isinstance(fetched, Unreadable):
            report.add_unreadable(fetched.url, fetched.reason)
            return False
        if fetched is None:
            report.missing_files += 1
            if day >= today - timedelta(days=_UNPUBLISHED_GRACE_DAYS):
                return False  # not published yet
            gaps.watch(day)  # a holiday, or published late: asked for again for a while
        elif fetched.not_modified:
            report.unchanged_files += 1
        else:
            recorded = self._record_index(
                fetched, report, listed_on=day, source="daily-index", cursor=cursor
            )
            if recorded:  # else unparsable now
                gaps.close(day)
            return recorded
        if fetched is not None:
            gaps.close(day)
        if cursor is not None:
            self.state.set_cursor(*cursor)
        return True

    # -- quarterly indexes ---------------------------------------------------------------

    def quarterly(self, start: date, end: date, *, today: date | None = None) -> DiscoveryReport:
        """Read quarterly indexes from ``start``'s quarter to the quarter after ``end``'s."""
        report, steps = self.quarterly_steps(start, end, today=today)
        run_in_order(steps, workers=self.workers, halted=self.cancelled)
        return report

    def quarterly_steps(
        self, start: date, end: date, *, today: date | None = None
    ) -> tuple[DiscoveryReport, list[IndexRead[Fetched]]]:
        """One step per quarterly index from ``start``'s quarter to the quarter after
        ``end``'s (for letters released late); the report fills in as they are recorded."""
        report = DiscoveryReport()
        current = Quarter.of(today or eastern_today())
        last = min(Quarter.of(end).next(), current)
        quarters = []
        quarter = Quarter.of(start)
        while quarter <= last:
            quarters.append(quarter)
            quarter = quarter.next()

        def step(quarter: Quarter) -> IndexRead[Fetched]:
            path = full_index_path(quarter.year, quarter.quarter)
            return IndexRead(
                path,
                lambda: self._read_index("www", path),
                lambda fetched: self._take_quarter(quarter, fetched, report, current=current),
            )

        return report, [step(quarter) for quarter in quarters]

    def _take_quarter(
        self, quarter: Quarter, fetched: Fetched, report: DiscoveryReport, *, current: Quarter
    ) -> int:
        """Record one quarter's index; return how many filings it added."""
        before = report.new
        if isinstance(fetched, Unreadable):
            report.add_unreadable(fetched.url, fetched.reason)
        elif fetched is None:
            report.missing_files += 1
        elif fetched.not_modified:
            report.unchanged_files += 1
        else:
            # A closed quarter's index no longer changes; the current one is a bridge.
            done = str(quarter) if quarter < current else None
            cursor = (QUARTERLY_CURSOR, done) if done else None
            self._record_index(fetched, report, listed_on=None, source="full-index", cursor=cursor)
        return report.new - before

    # -- submissions JSON ----------------------------------------------------------------

    def companies(self, ciks: Iterable[str]) -> DiscoveryReport:
        """Every filing of the configured forms in each company's submissions JSON."""
        report = DiscoveryReport()
        for cik in ciks:
            fetched = self._read_index("data", submissions_json_path(cik))
            if isinstance(fetched, Unreadable):
                report.add_unreadable(fetched.url, fetched.reason)
                continue
            if fetched is None:
                report.missing_files += 1
                self.state.record_problem(submissions_json_path(cik), "company", "no such CIK")
                continue
            if fetched.not_modified:
                report.unchanged_files += 1
                continue
            page = self._parse_json(fetched, cik=None, name=None)
            if page is None:
                continue
            self._record_refs(page.refs, page.bad_rows, fetched, report)
            for name in page.older_pages:
                older = self._read_index("data", submissions_page_path(name))
                if isinstance(older, Unreadable):
                    report.add_unreadable(older.url, older.reason)
                    continue
                if older is None or older.not_modified:
                    continue
                older_page = self._parse_json(older, cik=page.cik, name=page.name)
                if older_page is not None:
                    self._record_refs(older_page.refs, older_page.bad_rows, older, report)
        return report

    # -- current feed ----------------------------------------------------------------------

    def feed(self, *, today: date | None = None) -> DiscoveryReport:
        """The newest filings of each form from EDGAR's current-filings Atom feed.

        A filing in the feed is being disseminated now, so its listing day is today (the
        entry's own time is its acceptance, which for a letter is its writing day).
        """
        report = DiscoveryReport()
        today = today or eastern_today()
        for form in sorted(self.forms):
            for page in range(_FEED_PAGES):
                path = current_feed_path(form, start=page * 100, count=100)
                read = self._read_index("www", path)
                if read is None:
                    report.missing_files += 1
                    break
                if isinstance(read, Unreadable):
                    report.add_unreadable(read.url, read.reason)
                    break
                fetched = read
                if fetched.not_modified:
                    report.unchanged_files += 1
                    break  # the page has not changed since the last poll: nothing new
                try:
                    entries = parse_current_feed(fetched.content, source=fetched.url)
                except ParseError as exc:
                    self.state.record_problem(fetched.url, "feed", exc.reason)
                    break
                refs = [replace(ref, listed_on=today) for ref in entries if ref.form in self.forms]
                known = self.state.known_accessions(r.accession for r in refs)
                self._record_refs(refs, [], fetched, report)
                if not refs or known:
                    break  # reached filings seen before
        return report

    # -- shared steps ----------------------------------------------------------------------

    def _read_index(self, host: Host, path: str) -> Fetched:
        """``_get_index``, with a failure after the client's retries recorded, not raised.

        A repeated rate-limit block still raises: it ends the pass.
        """
        try:
            return self._get_index(host, path)
        except RateLimitedError:
            raise
        except DownloadError as exc:
            return self._unreadable(exc)

    def _unreadable(self, error: DownloadError) -> Unreadable:
        where = f"HTTP {error.status}" if error.status is not None else "no response"
        reason = f"unreadable: {error.reason} ({where}, {error.attempts} attempt(s))"
        self.state.record_problem(error.url, "index", reason)
        logger.warning("%s %s; read again next pass", error.url, reason)
        return Unreadable(error.url, reason)

    def _get_index(self, host: Host, path: str) -> FetchResult | None:
        """A conditional GET of an index file; ``None`` when EDGAR does not have it."""
        url = self.client.url(host, path)
        etag, last_modified = self.state.validators(url)
        try:
            return self.client.get(
                host, path, etag=etag, last_modified=last_modified, cancelled=self.cancelled
            )
        except EdgarNotFoundError:
            return None

    def _record_index(
        self,
        fetched: FetchResult,
        report: DiscoveryReport,
        *,
        listed_on: date | None,
        source: str,
        cursor: tuple[str, str] | None,
    ) -> bool:
        """Record the index's filings (and the cursor); False if it cannot be parsed."""
        text = fetched.content.decode("latin-1")
        try:
            parsed = parse_index(text, source=source, listed_on=listed_on, forms=self.forms)
        except ParseError as exc:
            self.state.record_problem(fetched.url, "index", exc.reason)
            report.add_unreadable(fetched.url, exc.reason)
            return False
        self._record_refs(parsed.refs, parsed.bad_lines, fetched, report, cursor=cursor)
        return True

    def _parse_json(
        self, fetched: FetchResult, *, cik: str | None, name: str | None
    ) -> SubmissionsPage | None:
        try:
            return parse_submissions_json(
                fetched.content, source=fetched.url, forms=self.forms, cik=cik, name=name
            )
        except ParseError as exc:
            self.state.record_problem(fetched.url, "submissions-json", exc.reason)
            return None

    def _record_refs(
        self,
        refs: list[FilingRef],
        bad_lines: list[BadLine],
        fetched: FetchResult | None,
        report: DiscoveryReport,
        *,
        cursor: tuple[str, str] | None = None,
    ) -> None:
        url = fetched.url if fetched else "feed"
        for bad in bad_lines:
            self.state.record_problem(
                url, "index-line", f"line {bad.line_no}: {bad.reason}: {bad.line.strip()[:200]}"
            )
        validators = (url, fetched.etag, fetched.last_modified) if fetched else None
        count = self.state.record_discovered(refs, cursor=cursor, validators=validators)
        report.index_files += 1 if fetched else 0
        report.listed += len(refs)
        report.new += count.new
        report.bad_lines += len(bad_lines)
        report.accessions.update(ref.accession for ref in refs)
