"""The pass pipeline: index steps and filing downloads on one pool of workers.

Module under test: ``crawler.pipeline``. The steps and downloads here are plain functions
over an in-memory ledger. The ordering tests are causal, not timed: a step or download
that must overlap another one waits for it on an event, which is set at once when the
pipeline overlaps them and never when it runs them one phase after another (the wait then
gives up after ``PATIENCE`` seconds and the test fails), so a loaded machine only slows
them down.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from crawler.errors import CrawlAborted, RateLimitedError, StorageError
from crawler.pipeline import BATCH, IndexRead, Pipeline, run_in_order
from crawler.state import PendingFiling

PATIENCE = 20.0
"""Seconds a gated step waits for the work it must overlap (only reached on a failure)."""


class Ledger:
    """Due filings by ``seq``, as ``CrawlState.due_filings(after=…)`` pages them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.filings: list[PendingFiling] = []

    def add(self, *accessions: str) -> int:
        with self._lock:
            for accession in accessions:
                seq = len(self.filings) + 1
                self.filings.append(PendingFiling(accession, "1", "UPLOAD", 0, seq=seq))
        return len(accessions)

    def due(self, after: int, count: int) -> list[PendingFiling]:
        with self._lock:
            return [f for f in self.filings if f.seq > after][:count]


class Recorder:
    """What the pipeline did, in the order it did it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.events: list[str] = []
        self.downloaded: list[str] = []
        self.started: dict[str, threading.Event] = {}

    def event(self, name: str) -> threading.Event:
        with self._lock:
            return self.started.setdefault(name, threading.Event())

    def note(self, text: str) -> None:
        with self._lock:
            self.events.append(text)
        self.event(text).set()

    def download(self, filing: PendingFiling) -> None:
        self.note(f"download {filing.accession}")
        with self._lock:
            self.downloaded.append(filing.accession)


def quarter_step(
    name: str,
    ledger: Ledger,
    recorder: Recorder,
    filings: list[str],
    *,
    before_answer: Callable[[], None] | None = None,
) -> IndexRead[list[str]]:
    """A step that "reads" quarter ``name`` (listing ``filings``) and records them."""

    def fetch() -> list[str]:
        recorder.note(f"read {name}")
        if before_answer is not None:
            before_answer()
        return filings

    def take(listed: list[str]) -> int:
        recorder.note(f"take {name}")
        return ledger.add(*listed)

    return IndexRead(name, fetch, take)


def waits_for(recorder: Recorder, event: str, outcomes: list[bool]) -> Callable[[], None]:
    def wait() -> None:
        outcomes.append(recorder.event(event).wait(PATIENCE))

    return wait


def pipeline(
    steps: list[IndexRead[list[str]]],
    ledger: Ledger,
    recorder: Recorder,
    *,
    workers: int = 4,
    read_ahead: int = 2,
    **options: object,
) -> Pipeline:
    return Pipeline(
        steps,
        due=ledger.due,
        download=recorder.download,
        workers=workers,
        read_ahead=read_ahead,
        **options,  # type: ignore[arg-type]
    )


def test_the_next_quarter_is_read_while_the_filings_of_the_last_one_download() -> None:
    """Quarter 2's index is answered only once a filing of quarter 1 is downloading: a
    pass that read every index before downloading (or one index at a time, each after the
    filings of the one before) would never get there."""
    ledger, recorder, overlapped = Ledger(), Recorder(), list[bool]()
    steps = [
        quarter_step("2014Q1", ledger, recorder, ["a1", "a2", "a3"]),
        quarter_step(
            "2014Q2",
            ledger,
            recorder,
            ["b1", "b2"],
            before_answer=waits_for(recorder, "download a1", overlapped),
        ),
        quarter_step("2014Q3", ledger, recorder, ["c1"]),
    ]
    pipeline(steps, ledger, recorder).run()
    assert overlapped == [True]
    assert sorted(recorder.downloaded) == ["a1", "a2", "a3", "b1", "b2", "c1"]


def test_the_filings_of_a_quarter_download_while_the_next_index_is_read() -> None:
    """Every filing of quarter 1 waits until quarter 2's index is being read: it must not
    take the end of quarter 1 for the pipeline to start on quarter 2."""
    overlapped = list[bool]()

    class GatedDownloads(Recorder):
        def download(self, filing: PendingFiling) -> None:
            if filing.accession.startswith("a"):
                waits_for(self, "read 2014Q2", overlapped)()
            super().download(filing)

    ledger, recorder = Ledger(), GatedDownloads()
    steps = [
        quarter_step("2014Q1", ledger, recorder, ["a1", "a2"]),
        quarter_step("2014Q2", ledger, recorder, ["b1"]),
    ]
    pipeline(steps, ledger, recorder, read_ahead=1).run()
    assert overlapped == [True, True]
    assert sorted(recorder.downloaded) == ["a1", "a2", "b1"]


def test_index_steps_are_read_together_and_recorded_in_their_order() -> None:
    """Quarter 1's index answers only after quarter 2's was asked for (the reads overlap),
    yet quarter 1 is recorded first: cursors advance in order."""
    ledger, recorder, overlapped = Ledger(), Recorder(), list[bool]()
    steps = [
        quarter_step(
            "2014Q1",
            ledger,
            recorder,
            ["a1"],
            before_answer=waits_for(recorder, "read 2014Q3", overlapped),
        ),
        quarter_step("2014Q2", ledger, recorder, ["b1"]),
        quarter_step("2014Q3", ledger, recorder, ["c1"]),
        quarter_step("2014Q4", ledger, recorder, ["d1"]),
    ]
    pipeline(steps, ledger, recorder, read_ahead=3).run()
    assert overlapped == [True]
    takes = [event for event in recorder.events if event.startswith("take")]
    assert takes == ["take 2014Q1", "take 2014Q2", "take 2014Q3", "take 2014Q4"]


def test_no_more_steps_are_outstanding_than_the_read_ahead() -> None:
    ledger, recorder = Ledger(), Recorder()
    taken = [0]
    seen: list[int] = []

    def step(number: int) -> IndexRead[int]:
        def fetch() -> int:
            seen.append(number - taken[0])  # steps handed out and not yet recorded, minus one
            return number

        def take(_number: int) -> int:
            taken[0] += 1
            return ledger.add(f"f{number}")

        return IndexRead(str(number), fetch, take)

    Pipeline(
        [step(n) for n in range(40)],
        due=ledger.due,
        download=recorder.download,
        workers=8,
        read_ahead=3,
    ).run()
    assert max(seen) < 3
    assert len(recorder.downloaded) == 40


def test_each_due_filing_is_tried_once_and_the_limit_is_kept() -> None:
    ledger, recorder = Ledger(), Recorder()
    ledger.add(*(f"old{n}" for n in range(BATCH + 10)))  # due before the pass: more than a page
    steps = [quarter_step("2014Q1", ledger, recorder, ["new1", "new2"])]
    pipeline(steps, ledger, recorder, workers=6).run()
    assert sorted(recorder.downloaded) == sorted(f.accession for f in ledger.filings)
    assert len(set(recorder.downloaded)) == len(recorder.downloaded)

    limited = Recorder()
    pipeline(steps, Ledger(), limited, limit=0).run()  # steps still read, nothing downloaded
    assert limited.downloaded == []
    second = Ledger()
    second.add(*(f"x{n}" for n in range(30)))
    pipeline([], second, limited, limit=7).run()
    assert len(limited.downloaded) == 7


def test_a_repeated_block_in_a_step_stops_the_pass_and_is_raised() -> None:
    ledger, recorder = Ledger(), Recorder()
    told: list[Exception] = []

    def blocked() -> list[str]:
        raise RateLimitedError("https://www.sec.gov/x", status=403)

    steps = [
        quarter_step("2014Q1", ledger, recorder, ["a1"]),
        IndexRead("2014Q2", blocked, lambda listed: ledger.add(*listed)),
        quarter_step("2014Q3", ledger, recorder, ["c1"]),
    ]
    with pytest.raises(RateLimitedError):
        pipeline(steps, ledger, recorder, workers=1, read_ahead=1, on_error=told.append).run()
    assert [type(error) for error in told] == [RateLimitedError]
    assert "take 2014Q2" not in recorder.events
    assert "read 2014Q3" not in recorder.events  # nothing new after the block


def test_a_ledger_that_cannot_be_written_ends_the_pass() -> None:
    ledger, recorder = Ledger(), Recorder()

    def full_disk(_listed: list[str]) -> int:
        raise StorageError("data/crawl-state.sqlite3", "disk full")

    steps = [IndexRead("2014Q1", lambda: ["a1"], full_disk)]
    with pytest.raises(StorageError):
        pipeline(steps, ledger, recorder).run()
    assert recorder.downloaded == []


def test_a_stop_ends_the_pass_quietly() -> None:
    ledger, recorder = Ledger(), Recorder()
    stop = threading.Event()

    def stopping() -> list[str]:
        stop.set()
        raise CrawlAborted("stopping")

    ledger.add("due1")
    steps = [IndexRead("2014Q1", stopping, lambda listed: ledger.add(*listed))]
    pipeline(steps, ledger, recorder, workers=1, halted=stop.is_set).run()  # no error
    assert recorder.downloaded == []


def test_run_in_order_reads_discovery_alone() -> None:
    ledger, recorder = Ledger(), Recorder()
    steps = [quarter_step(f"2014Q{n}", ledger, recorder, [f"f{n}"]) for n in range(1, 5)]
    run_in_order(steps, workers=3)
    assert [f.accession for f in ledger.filings] == ["f1", "f2", "f3", "f4"]
    assert recorder.downloaded == []
