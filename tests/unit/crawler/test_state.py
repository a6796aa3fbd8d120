"""The crawl ledger on a real SQLite file (crawler.state)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from crawler.models import FilingRef
from crawler.state import CrawlState, DiscoveryCount
from indexer.data_folder import DataFolder, crawl_progress

FORMS = ["UPLOAD", "CORRESP"]


def ref(
    number: int,
    *,
    form: str = "UPLOAD",
    listed_on: date | None = None,
    source: str = "daily-index",
    filing_date: date = date(2024, 4, 2),
) -> FilingRef:
    return FilingRef(
        accession=f"0000000000-24-{number:06d}",
        cik="0000320193",
        form=form,
        company_name="Apple Inc.",
        filing_date=filing_date,
        source=source,
        listed_on=listed_on,
    )


def row(path: Path, accession: str) -> dict[str, object]:
    """A filing's row, read through a separate connection."""
    with closing(sqlite3.connect(path)) as db:
        db.row_factory = sqlite3.Row
        found = db.execute("SELECT * FROM filings WHERE accession = ?", (accession,)).fetchone()
    assert found is not None, accession
    return dict(found)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "state" / "crawl.sqlite"


@pytest.fixture
def state(db_path: Path) -> Iterator[CrawlState]:
    ledger = CrawlState(db_path)
    yield ledger
    ledger.close()


def later(**delta: float) -> datetime:
    return datetime.now(UTC) + timedelta(**delta)


# -- discovery -----------------------------------------------------------------------------------


def test_record_discovered_is_idempotent(state: CrawlState) -> None:
    first = state.record_discovered([ref(1), ref(2), ref(3)])
    again = state.record_discovered([ref(1), ref(2), ref(3), ref(4)])
    same_twice = state.record_discovered([ref(5), ref(5)])

    assert first == DiscoveryCount(new=3, known=0)
    assert again == DiscoveryCount(new=1, known=3)
    assert same_twice == DiscoveryCount(new=1, known=1)
    assert state.summary().counts == {"pending": 5}
    assert len(state.due_filings(forms=FORMS)) == 5


def test_the_earliest_listing_day_is_kept_as_dissemination_day(
    state: CrawlState, db_path: Path
) -> None:
    accession = ref(1).accession
    state.record_discovered([ref(1, listed_on=date(2024, 6, 14), source="feed")])
    state.record_discovered([ref(1, listed_on=date(2024, 6, 10), source="daily-index")])
    state.record_discovered([ref(1, listed_on=date(2024, 6, 20), source="full-index")])
    state.record_discovered([ref(1, listed_on=None, source="submissions")])

    stored = row(db_path, accession)
    assert (stored["disseminated_on"], stored["disseminated_source"]) == (
        "2024-06-10",
        "daily-index",
    )
    assert stored["source"] == "feed", "the first discovery source is kept"


def test_a_listing_day_fills_a_filing_first_seen_without_one(
    state: CrawlState, db_path: Path
) -> None:
    state.record_discovered([ref(1, listed_on=None, source="submissions")])
    assert row(db_path, ref(1).accession)["disseminated_on"] is None

    state.record_discovered([ref(1, listed_on=date(2024, 6, 14))])

    stored = row(db_path, ref(1).accession)
    assert (stored["disseminated_on"], stored["disseminated_source"]) == (
        "2024-06-14",
        "daily-index",
    )


def test_cursor_and_validators_are_stored_with_the_filings(state: CrawlState) -> None:
    url = "https://www.sec.gov/Archives/edgar/daily-index/2024/QTR2/form.20240614.idx"

    state.record_discovered(
        [ref(1)], cursor=("daily-index", "2024-06-14"), validators=(url, '"etag-1"', "Fri, 14 Jun")
    )

    assert state.cursor("daily-index") == "2024-06-14"
    assert state.validators(url) == ('"etag-1"', "Fri, 14 Jun")
    assert state.validators("https://www.sec.gov/other") == (None, None)
    state.record_discovered([], cursor=("daily-index", "2024-06-17"), validators=(url, None, "x"))
    assert state.cursor("daily-index") == "2024-06-17"
    assert state.validators(url) == (None, "x")


def test_a_failure_while_reading_refs_commits_neither_refs_nor_cursor(state: CrawlState) -> None:
    url = "https://www.sec.gov/Archives/edgar/daily-index/2024/QTR2/form.20240614.idx"
    state.set_cursor("daily-index", "2024-06-13")

    def refs_then_crash() -> Iterator[FilingRef]:
        yield ref(1)
        yield ref(2)
        raise RuntimeError("index file ended mid-line")

    with pytest.raises(RuntimeError, match="mid-line"):
        state.record_discovered(
            refs_then_crash(),
            cursor=("daily-index", "2024-06-14"),
            validators=(url, '"e"', None),
        )

    assert state.known_accessions([ref(1).accession, ref(2).accession]) == set()
    assert state.cursor("daily-index") == "2024-06-13"
    assert state.validators(url) == (None, None)
    # The ledger is usable afterwards: no transaction was left open.
    assert state.record_discovered([ref(1)]) == DiscoveryCount(new=1, known=0)


def test_a_failure_after_the_cursor_is_written_rolls_the_cursor_back(state: CrawlState) -> None:
    # The cursor is written after the refs; an unstorable validator fails after it.
    with pytest.raises(sqlite3.Error):
        state.record_discovered(
            [ref(1)],
            cursor=("daily-index", "2024-06-14"),
            validators=("https://www.sec.gov/x", object(), None),  # type: ignore[arg-type]
        )

    assert state.cursor("daily-index") is None
    assert state.known_accessions([ref(1).accession]) == set()


def test_known_and_stored_accessions(state: CrawlState) -> None:
    state.record_discovered([ref(1), ref(2)])
    state.mark_fetched(
        ref(1).accession,
        raw_path="p",
        raw_sha256="s",
        raw_bytes=1,
        filing_date=None,
        released_on=None,
    )

    asked = [ref(1).accession, ref(2).accession, ref(3).accession]
    assert state.known_accessions(asked) == {ref(1).accession, ref(2).accession}
    assert state.stored_among(asked) == {ref(1).accession}
    assert state.stored_accessions() == {ref(1).accession}


# -- the download queue --------------------------------------------------------------------------


def test_due_filings_honours_forms_limit_and_order(state: CrawlState) -> None:
    state.record_discovered(
        [ref(3), ref(1, form="CORRESP"), ref(2, form="10-K"), ref(4), ref(5, form="CORRESP")]
    )

    due = state.due_filings(forms=FORMS)
    only_letters = state.due_filings(forms=["CORRESP"])
    first_two = state.due_filings(forms=FORMS, limit=2)

    assert [f.accession[-1] for f in due] == ["3", "1", "4", "5"], "oldest sighting first"
    assert {f.form for f in only_letters} == {"CORRESP"}
    assert len(only_letters) == 2
    assert [f.accession for f in first_two] == [f.accession for f in due[:2]]
    assert state.due_filings(forms=[]) == []
    assert state.count_due(forms=FORMS) == 4
    assert (due[0].cik, due[0].form, due[0].attempts) == ("0000320193", "UPLOAD", 0)


def test_due_filings_page_on_after_a_seq_and_see_filings_found_later(state: CrawlState) -> None:
    state.record_discovered([ref(1), ref(2), ref(3)])
    first = state.due_filings(forms=FORMS, limit=2)
    state.record_discovered([ref(4)])  # discovery goes on while the first page downloads
    rest = state.due_filings(forms=FORMS, after=first[-1].seq)
    assert [f.accession[-1] for f in first] == ["1", "2"]
    assert [f.accession[-1] for f in rest] == ["3", "4"]
    assert state.due_filings(forms=FORMS, after=rest[-1].seq) == []


def test_record_failure_schedules_retries_with_doubling_delay(state: CrawlState) -> None:
    state.record_discovered([ref(1), ref(2)])
    accession = ref(1).accession
    hour = timedelta(hours=1)

    assert state.record_failure(accession, "HTTP 503", max_attempts=5, retry_after=hour) is False
    assert [f.accession for f in state.due_filings(forms=FORMS)] == [ref(2).accession]
    at_55_minutes = state.due_filings(forms=FORMS, now=later(minutes=55))
    assert [f.accession for f in at_55_minutes] == [ref(2).accession]
    assert accession in {f.accession for f in state.due_filings(forms=FORMS, now=later(hours=1.1))}

    state.record_failure(accession, "HTTP 503 again", max_attempts=5, retry_after=hour)
    not_yet = state.due_filings(forms=FORMS, now=later(hours=1.9))
    due = state.due_filings(forms=FORMS, now=later(hours=2.1))

    assert accession not in {f.accession for f in not_yet}
    retried = next(f for f in due if f.accession == accession)
    assert retried.attempts == 2
    assert state.summary().retrying == 1
    assert state.count_due(forms=FORMS, now=later(hours=2.1)) == 2


def test_record_failure_parks_after_max_attempts_and_retry_failed_unparks(
    state: CrawlState, db_path: Path
) -> None:
    state.record_discovered([ref(1)])
    accession = ref(1).accession
    minute = timedelta(minutes=1)

    results = [
        state.record_failure(accession, f"attempt {n} failed", max_attempts=3, retry_after=minute)
        for n in (1, 2, 3)
    ]

    assert results == [False, False, True]
    parked = row(db_path, accession)
    assert (parked["status"], parked["attempts"], parked["last_error"]) == (
        "failed",
        3,
        "attempt 3 failed",
    )
    assert parked["next_attempt_at"] is None
    assert state.due_filings(forms=FORMS, now=later(days=365)) == []
    summary = state.summary()
    assert summary.counts == {"failed": 1}
    assert [(p["accession"], p["last_error"]) for p in summary.parked] == [
        (accession, "attempt 3 failed")
    ]

    assert state.retry_failed() == 1

    back = state.due_filings(forms=FORMS)
    assert [(f.accession, f.attempts) for f in back] == [(accession, 0)]
    assert state.summary().counts == {"pending": 1}
    assert state.retry_failed() == 0


def test_long_error_messages_are_truncated(state: CrawlState, db_path: Path) -> None:
    state.record_discovered([ref(1)])

    state.record_failure(ref(1).accession, "x" * 5000, max_attempts=3, retry_after=timedelta(0))

    assert len(str(row(db_path, ref(1).accession)["last_error"])) == 2000


# -- fetched filings -----------------------------------------------------------------------------


def test_mark_fetched_takes_the_header_release_day_only_when_no_listing_day_is_known(
    state: CrawlState, db_path: Path
) -> None:
    unlisted = ref(1, listed_on=None, source="submissions")
    listed = ref(2, listed_on=date(2024, 6, 17))
    state.record_discovered([unlisted, listed])
    state.record_failure(unlisted.accession, "HTTP 503", max_attempts=5, retry_after=timedelta(1))

    for item in (unlisted, listed):
        state.mark_fetched(
            item.accession,
            raw_path=f"0000000000/24/{item.accession}.txt.gz",
            raw_sha256="ab" * 32,
            raw_bytes=46547,
            filing_date=date(2024, 4, 1),
            released_on=date(2024, 6, 14),
        )

    first, second = row(db_path, unlisted.accession), row(db_path, listed.accession)
    assert (first["disseminated_on"], first["disseminated_source"]) == ("2024-06-14", "sec-header")
    assert (second["disseminated_on"], second["disseminated_source"]) == (
        "2024-06-17",
        "daily-index",
    )
    # The listing's filing date is kept; the header only fills what is missing.
    assert first["filing_date"] == second["filing_date"] == "2024-04-02"
    assert first["status"] == "fetched"
    assert (first["raw_path"], first["raw_sha256"], first["raw_bytes"]) == (
        f"0000000000/24/{unlisted.accession}.txt.gz",
        "ab" * 32,
        46547,
    )
    assert (first["last_error"], first["next_attempt_at"]) == (None, None)
    assert state.due_filings(forms=FORMS) == []
    pending = state.stored_filings(only_pending_ingest=True)
    assert [(f.accession, f.raw_path, f.released_on.isoformat()) for f in pending] == [
        (unlisted.accession, f"0000000000/24/{unlisted.accession}.txt.gz", "2024-06-14"),
        (listed.accession, f"0000000000/24/{listed.accession}.txt.gz", "2024-06-17"),
    ]


def test_mark_fetched_without_a_release_day_leaves_dissemination_unknown(
    state: CrawlState, db_path: Path
) -> None:
    state.record_discovered([ref(1, listed_on=None)])

    state.mark_fetched(
        ref(1).accession,
        raw_path="p",
        raw_sha256="s",
        raw_bytes=1,
        filing_date=None,
        released_on=None,
    )

    stored = row(db_path, ref(1).accession)
    assert (stored["disseminated_on"], stored["disseminated_source"]) == (None, None)


def test_ingest_hand_off(state: CrawlState) -> None:
    state.record_discovered([ref(1), ref(2)])
    for number in (1, 2):
        state.mark_fetched(
            ref(number).accession,
            raw_path=str(number),
            raw_sha256="s",
            raw_bytes=1,
            filing_date=None,
            released_on=None,
        )

    state.mark_ingested([ref(1).accession])

    pending = state.stored_filings(only_pending_ingest=True)
    assert [(f.accession, f.raw_path) for f in pending] == [(ref(2).accession, "2")]
    assert len(state.stored_filings(only_pending_ingest=False)) == 2
    assert state.count_awaiting_ingest() == 1
    assert state.summary().counts == {"fetched": 1, "ingested": 1}
    assert state.stored_accessions() == {ref(1).accession, ref(2).accession}


# -- reporting ----------------------------------------------------------------------------------


def test_summary_reports_counts_cursors_parked_retrying_and_problems(state: CrawlState) -> None:
    state.record_discovered([ref(n) for n in range(1, 6)], cursor=("daily-index", "2024-06-14"))
    state.set_cursor("feed", "2024-06-14T12:00:00")
    day = timedelta(days=1)
    state.record_failure(ref(1).accession, "HTTP 503", max_attempts=1, retry_after=day)
    state.record_failure(ref(2).accession, "timeout", max_attempts=3, retry_after=day)
    state.mark_fetched(
        ref(3).accession,
        raw_path="p",
        raw_sha256="s",
        raw_bytes=1,
        filing_date=None,
        released_on=None,
    )
    state.record_problem("form.20240614.idx", "bad-line", "line 12: no accession")
    state.record_problem("form.20240614.idx", "bad-line", "line 12: no accession")  # deduplicated
    state.record_problem("import", "import", "truncated", accession=ref(4).accession)

    summary = state.summary()

    assert summary.counts == {"pending": 3, "failed": 1, "fetched": 1}
    assert summary.cursors == {"daily-index": "2024-06-14", "feed": "2024-06-14T12:00:00"}
    assert [p["accession"] for p in summary.parked] == [ref(1).accession]
    assert summary.parked[0]["last_error"] == "HTTP 503"
    assert summary.retrying == 1
    assert summary.problem_count == 2
    assert [(p["kind"], p["accession"]) for p in summary.problems] == [
        ("import", ref(4).accession),
        ("bad-line", None),
    ]
    assert len(state.summary(limit=1).problems) == 1


# -- concurrency and durability ----------------------------------------------------------------


def test_concurrent_writers_lose_no_update(state: CrawlState) -> None:
    shared = ref(999_999).accession
    state.record_discovered([ref(999_999)])
    errors: list[BaseException] = []

    def writer(worker: int) -> None:
        try:
            for n in range(25):
                state.record_discovered([ref(worker * 1000 + n)], cursor=(f"w{worker}", str(n)))
                state.record_failure(
                    shared, f"w{worker}", max_attempts=10_000, retry_after=timedelta(0)
                )
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(1, 7)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert state.summary().counts == {"pending": 6 * 25 + 1}
    assert state.summary().cursors == {f"w{w}": "24" for w in range(1, 7)}
    shared_row = next(
        f for f in state.due_filings(forms=FORMS, now=later(days=1)) if f.accession == shared
    )
    assert shared_row.attempts == 6 * 25


def test_writers_on_separate_connections_lose_no_update(db_path: Path) -> None:
    CrawlState(db_path).close()
    errors: list[BaseException] = []

    def writer(worker: int) -> None:
        ledger = CrawlState(db_path)
        try:
            for n in range(20):
                ledger.record_discovered([ref(worker * 1000 + n)])
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            ledger.close()

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    reader = CrawlState(db_path)
    try:
        assert reader.summary().counts == {"pending": 80}
    finally:
        reader.close()


def test_a_second_ledger_on_the_same_file_sees_committed_data_only(
    state: CrawlState, db_path: Path
) -> None:
    other = CrawlState(db_path)
    try:
        state.record_discovered([ref(1)], cursor=("daily-index", "2024-06-14"))
        assert other.known_accessions([ref(1).accession]) == {ref(1).accession}
        assert other.cursor("daily-index") == "2024-06-14"

        with state.transaction() as db:
            db.execute("INSERT INTO cursors (name, value, updated_at) VALUES ('feed', 'x', 'now')")
            # WAL: a reader is not blocked by the open write and does not see it.
            assert other.cursor("feed") is None
        assert other.cursor("feed") == "x"
    finally:
        other.close()

    with closing(sqlite3.connect(db_path)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_data_survives_closing_and_reopening(db_path: Path) -> None:
    ledger = CrawlState(db_path)
    ledger.record_discovered([ref(1)], cursor=("daily-index", "2024-06-14"))
    ledger.close()

    reopened = CrawlState(db_path)
    try:
        assert reopened.known_accessions([ref(1).accession]) == {ref(1).accession}
        assert reopened.cursor("daily-index") == "2024-06-14"
    finally:
        reopened.close()


def test_the_core_reads_crawl_progress_from_this_ledger(tmp_path: Path) -> None:
    """``indexer.data_folder.crawl_progress`` (the API's view) reads what this ledger writes."""
    folder = DataFolder(tmp_path)
    state = CrawlState(folder.ledger)
    try:
        state.record_discovered([ref(1)], cursor=("daily-index", "2024-04-02"))
        state.mark_fetched(
            ref(1).accession,
            raw_path="x",
            raw_sha256="0" * 64,
            raw_bytes=1,
            filing_date=None,
            released_on=None,
        )
        state.mark_ingested([ref(1).accession])
    finally:
        state.close()
    progress = crawl_progress(folder)
    assert progress is not None and progress.error is None
    assert progress.cursors["daily-index"].value == "2024-04-02"
    assert progress.last_crawl_at is not None
    assert progress.last_indexed_at is not None


def test_an_unreadable_filing_waits_with_its_reason(state: CrawlState) -> None:
    state.record_discovered([ref(1), ref(2)])
    for number in (1, 2):
        state.mark_fetched(
            ref(number).accession,
            raw_path=f"p{number}",
            raw_sha256="0" * 64,
            raw_bytes=1,
            filing_date=None,
            released_on=None,
        )
    state.mark_unreadable(ref(1).accession, "unreadable raw filing: truncated")
    assert state.count_awaiting_ingest() == 2
    waiting = state.stored_filings(only_pending_ingest=True, skip=[ref(1).accession])
    assert [f.accession for f in waiting] == [ref(2).accession]
