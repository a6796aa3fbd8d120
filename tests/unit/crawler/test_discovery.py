"""Daily-index discovery when EDGAR misbehaves (crawler.discovery, crawler.index_gaps).

The fake EDGAR runs in process (`tests.fake_edgar.mock`) under the real client, whose throttle
runs on a fake clock and whose retries wait a millisecond, so nothing here sleeps.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from crawler.discovery import DAILY_CURSOR, Discovery
from crawler.edgar.urls import daily_index_path
from crawler.index_gaps import GAPS_CURSOR, LATE_INDEX_HORIZON_DAYS
from crawler.state import CrawlState
from tests.fake_edgar import EdgarApp, FakeEdgarConfig, SyntheticFiling, mock
from tests.unit.crawler.fake_client import FakeClock, fast_client

pytestmark = pytest.mark.samples

MON, TUE, WED = date(2023, 1, 9), date(2023, 1, 10), date(2023, 1, 11)
LATER = date(2023, 3, 1)
"""A "today" long after the listing days: their missing indexes are past any grace."""
UNPARSABLE = "unparsable"


@pytest.fixture
def app(samples_dir: Path) -> EdgarApp:
    return EdgarApp(samples_dir, FakeEdgarConfig(limit_per_second=100_000))


@pytest.fixture
def filings(app: EdgarApp) -> list[SyntheticFiling]:
    return app.synthetic_filings(6, MON, WED)


@pytest.fixture
def state(tmp_path: Path) -> Iterator[CrawlState]:
    state = CrawlState(tmp_path / "crawl-state.sqlite3")
    yield state
    state.close()


@pytest.fixture
def discovery(app: EdgarApp, state: CrawlState) -> Iterator[Discovery]:
    client = fast_client(mock.handler(app), FakeClock(), max_attempts=2)
    yield Discovery(client, state, forms=["UPLOAD", "CORRESP"], workers=1)
    client.close()


def known(state: CrawlState, filings: list[SyntheticFiling], day: date) -> bool:
    wanted = {f.accession for f in filings if f.disseminated == day}
    return state.known_accessions(wanted) == wanted


def problems(state: CrawlState) -> list[dict[str, str]]:
    return state.summary(limit=100).problems


@pytest.mark.parametrize("fault", ["status(503)", "bad_gzip", "truncate(100)", UNPARSABLE])
def test_an_index_unreadable_or_unparsable_is_recorded_and_holds_the_cursor(
    app: EdgarApp, filings, state: CrawlState, discovery: Discovery, fault: str
) -> None:
    path = daily_index_path(TUE)
    if fault == UNPARSABLE:  # a 200 with a maintenance page instead of the index
        app.add_file(path, b"<html>Service temporarily unavailable</html>\n")
    else:
        app.inject(path, fault, times=None)

    report = discovery.daily(MON, WED, today=LATER)

    assert known(state, filings, MON) and known(state, filings, WED)
    assert not known(state, filings, TUE)
    assert state.cursor(DAILY_CURSOR) == MON.isoformat()  # never past the unread day
    assert report.unreadable_files == 1
    assert report.errors and path in report.errors[0]
    (problem,) = problems(state)
    assert (problem["kind"], problem["source"].endswith(path)) == ("index", True)
    if fault != UNPARSABLE:
        assert problem["detail"].startswith("unreadable: ")

    app.fault_table.clear()  # EDGAR recovers: the next pass reads the day and moves on
    app.restore(path)
    discovery.daily(MON, WED, today=LATER)
    assert known(state, filings, TUE)
    assert state.cursor(DAILY_CURSOR) == WED.isoformat()


def test_an_index_published_after_the_look_back_window_is_still_read(
    app: EdgarApp, filings, state: CrawlState, discovery: Discovery
) -> None:
    app.remove(daily_index_path(WED))
    today = WED + timedelta(days=14)

    discovery.daily(MON, today, today=today)

    # Past the grace days, an absent index looks like a holiday: the cursor moves on...
    assert not known(state, filings, WED)
    assert state.cursor(DAILY_CURSOR) > (WED + timedelta(days=7)).isoformat()
    assert WED.isoformat() in (state.cursor(GAPS_CURSOR) or "")

    # ...and a pass reading only the days near the cursor still asks for it.
    app.restore(daily_index_path(WED))
    since = date.fromisoformat(state.cursor(DAILY_CURSOR) or "") - timedelta(days=5)
    assert since > WED
    discovery.daily(since, today, today=today)

    assert known(state, filings, WED)
    assert WED.isoformat() not in (state.cursor(GAPS_CURSOR) or "")


def test_a_day_never_published_is_given_up_after_the_horizon_with_a_problem(
    app: EdgarApp, state: CrawlState, discovery: Discovery
) -> None:
    holiday = date(2023, 1, 16)  # Martin Luther King Jr. Day: EDGAR is closed
    discovery.daily(holiday, holiday, today=holiday + timedelta(days=5))
    assert state.cursor(GAPS_CURSOR) == holiday.isoformat()

    discovery.daily(holiday, holiday, today=holiday + timedelta(days=10))
    assert state.cursor(GAPS_CURSOR) == holiday.isoformat()  # still watched

    later = holiday + timedelta(days=LATE_INDEX_HORIZON_DAYS + 1)
    discovery.daily(later, later, today=later)
    assert state.cursor(GAPS_CURSOR) == ""
    (problem,) = [p for p in problems(state) if p["kind"] == "index"]
    assert problem["source"].endswith(daily_index_path(holiday))
    assert "taken as a holiday" in problem["detail"]
    before = len(app.requests)
    discovery.daily(later, later, today=later)
    asked = {r.path for r in app.requests[before:]}
    assert daily_index_path(holiday) not in asked  # no longer asked for
