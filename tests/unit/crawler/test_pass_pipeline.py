"""A backfill and a crawl read their index files in the same pipeline as their downloads.

Module under test: ``crawler.cycle`` (``Crawler.backfill``, ``Crawler.crawl``) over
``crawler.discovery``'s steps and ``crawler.pipeline``. The fake EDGAR runs in process
(``tests.fake_edgar.mock``) under the real client, whose throttle runs on a fake clock.
Some answers are held until another request has been made, which happens at once when
the pass overlaps them and never when it works in phases (then the hold gives up after
``PATIENCE`` seconds and the test fails): causal checks, not timings.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from crawler.cycle import Crawler, FetchOutcome
from crawler.discovery import DAILY_CURSOR, QUARTERLY_CURSOR
from crawler.edgar.urls import daily_index_path, full_index_path
from indexer.settings import Settings
from tests.fake_edgar import EdgarApp, FakeEdgarConfig, SyntheticFiling, mock
from tests.unit.crawler.fake_client import USER_AGENT, FakeClock, fast_client

pytestmark = pytest.mark.samples

PATIENCE = 20.0
"""Seconds a held answer waits for the request it must overlap (only reached on a failure)."""


class HeldEdgar:
    """The in-process EDGAR, with answers held until some other request has arrived."""

    def __init__(self, app: EdgarApp) -> None:
        self.inner = mock.handler(app)
        self.seen: list[str] = []
        self.released: dict[str, bool] = {}
        self._holds: dict[str, Callable[[str], bool]] = {}
        self._arrived = threading.Condition()

    def hold(self, path: str, until: Callable[[str], bool]) -> None:
        """Answer ``path`` only once a request for which ``until(path)`` holds arrived."""
        self._holds[path] = until

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        with self._arrived:
            self.seen.append(path)
            self._arrived.notify_all()
        until = self._holds.get(path)
        if until is not None:
            with self._arrived:
                met = self._arrived.wait_for(lambda: any(map(until, self.seen)), PATIENCE)
            self.released[path] = met
        return self.inner(request)


class Progress:
    """The progress bar's view of a pass: its total as it grows, and the outcomes."""

    def __init__(self) -> None:
        self.totals: list[int] = []
        self.outcomes: list[FetchOutcome] = []

    def start(self, total: int) -> None:
        self.totals.append(total)

    def grow(self, total: int) -> None:
        self.totals.append(total)

    def advance(self, outcome: FetchOutcome) -> None:
        self.outcomes.append(outcome)


@pytest.fixture
def app(samples_dir: Path) -> EdgarApp:
    return EdgarApp(samples_dir, FakeEdgarConfig(limit_per_second=100_000))


@pytest.fixture
def edgar(app: EdgarApp) -> HeldEdgar:
    return HeldEdgar(app)


@pytest.fixture
def crawler(edgar: HeldEdgar, tmp_path: Path) -> Iterator[Crawler]:
    settings = Settings.model_validate(
        {"edgar": {"user_agent": USER_AGENT}, "storage": {"data_dir": str(tmp_path)}}
    )
    with Crawler(settings, client=fast_client(edgar, FakeClock())) as crawler:
        yield crawler


def paths_of(filings: list[SyntheticFiling], first: date, last: date) -> set[str]:
    return {f.path for f in filings if first <= f.disseminated <= last}


def test_a_backfill_reads_quarterly_indexes_while_it_downloads(
    app: EdgarApp, edgar: HeldEdgar, crawler: Crawler
) -> None:
    filings = app.synthetic_filings(12, date(2022, 1, 3), date(2022, 9, 30))
    q1, q2, q3 = (full_index_path(2022, quarter) for quarter in (1, 2, 3))
    first_quarter = paths_of(filings, date(2022, 1, 1), date(2022, 3, 31))
    # The reads overlap: Q1's index answers only once Q3's was asked for …
    edgar.hold(q1, lambda path: path == q3)
    # … and the downloads begin before the later indexes are in: Q2's index answers only
    # once a filing of Q1 was asked for (a pass reading every index first never gets there).
    edgar.hold(q2, lambda path: path in first_quarter)
    # Nor does a quarter wait for the end of the one before: each filing of Q1 answers only
    # once Q3's index was asked for.
    for path in first_quarter:
        edgar.hold(path, lambda seen: seen == q3)

    progress = Progress()
    report = crawler.backfill(start=date(2022, 1, 1), end=date(2022, 9, 30), progress=progress)

    assert report.stopped is None
    assert edgar.released == dict.fromkeys([q1, q2, *first_quarter], True)
    assert report.fetched == len(filings) == report.found
    filing_requests = [p for p in edgar.seen if p.endswith(".txt")]
    assert sorted(filing_requests) == sorted(f.path for f in filings)  # one request each
    assert crawler.state.cursor(QUARTERLY_CURSOR) == "2022Q3"  # Q4 has no index here
    # The bar's total grows as each quarter is recorded, up to every filing of the pass.
    assert progress.totals[0] == 0 and progress.totals[-1] == len(filings)
    assert progress.totals == sorted(progress.totals)
    assert progress.outcomes == [FetchOutcome.FETCHED] * len(filings)


def test_a_crawl_reads_daily_indexes_while_it_downloads_and_keeps_its_cursor(
    app: EdgarApp, edgar: HeldEdgar, crawler: Crawler
) -> None:
    mon, tue, thu = date(2023, 1, 9), date(2023, 1, 10), date(2023, 1, 12)
    filings = app.synthetic_filings(8, mon, thu)
    mon_index, tue_index, thu_index = (daily_index_path(d) for d in (mon, tue, thu))
    # Monday's index answers last of the first four; the cursor still advances in order.
    edgar.hold(mon_index, lambda path: path == thu_index)
    edgar.hold(tue_index, lambda path: path in paths_of(filings, mon, mon))

    report = crawler.crawl(since=mon, until=thu)

    assert report.stopped is None
    assert edgar.released == {mon_index: True, tue_index: True}
    assert report.fetched == len(filings)
    assert crawler.state.cursor(DAILY_CURSOR) == thu.isoformat()


def test_a_stop_during_discovery_ends_the_pass_cleanly(
    app: EdgarApp, edgar: HeldEdgar, crawler: Crawler
) -> None:
    app.synthetic_filings(6, date(2022, 1, 3), date(2022, 6, 30))
    q2 = full_index_path(2022, 2)

    def stop_on_second_quarter(path: str) -> bool:
        if path != q2:
            return False
        crawler.stop("stopped by SIGINT")  # as the SIGINT handler does, mid-discovery
        return True

    edgar.hold(q2, stop_on_second_quarter)
    report = crawler.backfill(start=date(2022, 1, 1), end=date(2022, 6, 30))
    assert report.stopped == "stopped by SIGINT"
    # Nothing is lost: what was listed and not fetched stays due for the next pass.
    assert report.fetched + crawler.state.count_due(forms=crawler.forms) == report.new
