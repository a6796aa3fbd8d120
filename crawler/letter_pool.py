"""Normalized letters from stored filings, made on every core.

Reading a stored filing back (gunzip, SGML, uudecode), extracting its letters' text (PDF,
HTML, OCR for scans) and normalizing them (``indexer.normalize``) is pure CPU work and the
slowest stage of an ingest. ``LetterMaker`` does it for a batch of filings in a pool of
worker processes (``normalizer.workers``; 0 = one per core), each set up once with the raw
store, the company filing lists, the OCR options and the taxonomy, and answers in the batch's
order. A filing that cannot be read comes back with its reason instead of letters, for the
caller to record. Small batches (a crawl's few new letters) are made in this process: a pool
only pays once a batch has several filings per worker.

Workers are started with ``spawn``: the caller may hold threads (the scheduler, HTTP pools)
that a ``fork`` would copy in an unknown state.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from crawler.company_filings import CompanyFilings
from crawler.edgar.sgml import Submission, parse_submission
from crawler.errors import ParseError, RawReadError
from crawler.extract.letters import letter_from_documents, letters_in_submission
from crawler.extract.ocr import OcrOptions
from crawler.state import StoredFiling
from crawler.store import RawStore
from indexer.incoming import IncomingLetter
from indexer.normalize.letter import Letter
from indexer.normalize.outcomes import OutcomeRules, outcome_rules_for
from indexer.normalize.pipeline import normalize_letter
from indexer.normalize.topics import Taxonomy, taxonomy_for

__all__ = ["LetterMaker", "MadeLetters", "MakerSetup", "incoming_letters", "worker_count"]

_PER_WORKER = 4
"""A batch goes to the pool when it has at least this many filings per worker."""


@dataclass(frozen=True)
class MakerSetup:
    """What a worker needs to make letters (plain values: it crosses to other processes)."""

    store_root: Path
    data_dir: Path
    ocr: OcrOptions
    taxonomy_path: str
    outcomes_path: str = ""


@dataclass(frozen=True)
class MadeLetters:
    """The normalized letters of one stored filing, or why it could not be read."""

    accession: str
    letters: tuple[Letter, ...] = ()
    unreadable: str | None = None


def worker_count(configured: int) -> int:
    """``normalizer.workers``: 0 = one per core this process may use."""
    if configured > 0:
        return configured
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class _Context:
    """One process's means to make letters."""

    def __init__(self, setup: MakerSetup) -> None:
        self.store = RawStore(setup.store_root)
        self.filings = CompanyFilings.in_data_dir(setup.data_dir)
        self.ocr = setup.ocr
        self.taxonomy: Taxonomy = taxonomy_for(setup.taxonomy_path)
        self.outcome_rules: OutcomeRules = outcome_rules_for(setup.outcomes_path)

    def make(self, filing: StoredFiling, parsed: Submission | None) -> MadeLetters:
        try:
            incoming = incoming_letters(filing, self.store, ocr=self.ocr, parsed=parsed)
        except (ParseError, RawReadError, OSError) as exc:
            return MadeLetters(filing.accession, unreadable=f"unreadable raw filing: {exc}")
        letters = []
        for letter in incoming:
            cik = letter.ciks[0] if letter.ciks else filing.cik
            listed = replace(letter, company_filings=self.filings.listed(cik))
            letters.append(
                normalize_letter(listed, taxonomy=self.taxonomy, outcome_rules=self.outcome_rules)
            )
        return MadeLetters(filing.accession, tuple(letters))


def incoming_letters(
    stored: StoredFiling,
    store: RawStore,
    *,
    ocr: OcrOptions | None = None,
    parsed: Submission | None = None,
) -> list[IncomingLetter]:
    """The letters of a stored filing, with the ledger's facts where the filing lacks them:
    its own letter, or the letters filed inside it (a CORRESP document in an S-1/A).

    ``parsed`` is its submission as parsed at download; without it the raw store is read
    (``RawReadError``, ``ParseError`` when that fails)."""
    raw = store.read(stored.raw_path) if parsed is None else None
    if isinstance(raw, dict):
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
    submission = parsed or parse_submission(raw or b"", source=stored.raw_path)
    letters = letters_in_submission(
        submission,
        released_on=stored.released_on,
        first_seen_at=stored.first_seen_at,
        ocr=ocr,
    )
    return [letter if letter.ciks else replace(letter, ciks=(stored.cik,)) for letter in letters]


_WORKER: _Context | None = None


def _start_worker(setup: MakerSetup) -> None:
    global _WORKER  # noqa: PLW0603 - one context per worker process, set once
    _WORKER = _Context(setup)


def _make_in_worker(job: tuple[StoredFiling, Submission | None]) -> MadeLetters:
    assert _WORKER is not None, "worker not started"
    return _WORKER.make(*job)


class LetterMaker:
    """Makes the normalized letters of batches of stored filings; ``close`` (or ``with``)
    stops its workers."""

    def __init__(self, setup: MakerSetup, *, workers: int) -> None:
        self.setup = setup
        self.workers = max(workers, 1)
        self._local = _Context(setup)
        self._pool: Executor | None = None

    @property
    def filings(self) -> CompanyFilings:
        """The company filing lists this process's letters resolve against (refresh them
        here before making letters: workers read the refreshed files)."""
        return self._local.filings

    def __enter__(self) -> LetterMaker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def make(self, batch: list[tuple[StoredFiling, Submission | None]]) -> list[MadeLetters]:
        """The letters of every filing of ``batch``, in its order."""
        return self.start(batch)()

    def start(
        self, batch: list[tuple[StoredFiling, Submission | None]]
    ) -> Callable[[], list[MadeLetters]]:
        """Start making ``batch``'s letters in the workers; the returned function waits for
        them (a small batch is made in this process when it is called)."""
        if self.workers == 1 or len(batch) < _PER_WORKER * self.workers:
            return lambda: [self._local.make(filing, parsed) for filing, parsed in batch]
        chunk = max(len(batch) // (self.workers * 4), 1)
        results = self._started().map(_make_in_worker, batch, chunksize=chunk)
        return lambda: list(results)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _started(self) -> Executor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(self.setup,),
            )
        return self._pool
