"""Importing local EDGAR files into the raw store and ledger (crawler.importer)."""

from __future__ import annotations

import csv
import re
import shutil
import sqlite3
import tarfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from crawler.importer import ImportReport, run_import
from crawler.state import CrawlState
from crawler.store import RawStore
from indexer.watchlists.tickers import load_company_names

pytestmark = pytest.mark.samples

LETTER_FORMS = ["UPLOAD", "CORRESP"]
NC_SAMPLES = {
    "0002002260-24-000001": "D",
    "0001398344-24-000491": "D/A",
}


@dataclass
class Imported:
    state: CrawlState
    store: RawStore
    report: ImportReport


def expected_letters(samples_dir: Path) -> set[str]:
    """UPLOAD/CORRESP accessions of the samples, derived from MANIFEST.tsv and the .txt headers."""
    expected = set()
    with (samples_dir / "MANIFEST.tsv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            # Some rows say "CORRESP (inferred from accession prefix: ...)": same form.
            form = (row["form_type"].split() or [""])[0]
            if row["kind"] == "document" and form in LETTER_FORMS:
                expected.add(row["accession"])
    for file in (samples_dir / "submissions").glob("*.txt"):
        header = file.read_bytes()[:4000]
        form = re.search(rb"CONFORMED SUBMISSION TYPE:\s*(\S+)", header)
        if form and form.group(1).decode() in LETTER_FORMS:
            expected.add(file.stem)
    return expected


@pytest.fixture(scope="module")
def imported(samples_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Imported]:
    """The whole samples folder imported once (about a second) for the tests that only read."""
    root = tmp_path_factory.mktemp("import-all")
    state = CrawlState(root / "state.sqlite")
    store = RawStore(root / "raw")
    report = run_import([samples_dir], state=state, store=store, forms=LETTER_FORMS)
    yield Imported(state, store, report)
    state.close()


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[CrawlState]:
    state = CrawlState(tmp_path / "state.sqlite")
    yield state
    state.close()


@pytest.fixture
def store(tmp_path: Path) -> RawStore:
    return RawStore(tmp_path / "raw")


def test_every_letter_of_the_samples_is_stored(imported: Imported, samples_dir: Path) -> None:
    expected = expected_letters(samples_dir)

    assert len(expected) > 300
    assert imported.state.stored_accessions() == expected
    assert imported.store.accessions() == expected
    assert set(imported.report.accessions) == expected
    assert imported.report.stored == len(expected)
    assert imported.report.already_stored == 0


def test_every_stored_letter_has_its_form_date_and_raw_digest(imported: Imported) -> None:
    with closing(sqlite3.connect(imported.state.path)) as db:
        rows = db.execute(
            "SELECT accession, form, filing_date, status, raw_path, raw_sha256, raw_bytes "
            "FROM filings"
        ).fetchall()

    assert {row[1] for row in rows} == set(LETTER_FORMS)
    for accession, form, filing_date, status, raw_path, sha256, size in rows:
        assert status == "fetched", accession
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", filing_date or ""), accession
        assert form != "UPLOAD" or accession.startswith("0000000000-"), accession
        found = imported.store.find(accession)
        assert found is not None
        assert (found.relative_path, found.sha256, found.size) == (raw_path, sha256, size)


def test_a_second_import_stores_nothing_new(imported: Imported, samples_dir: Path) -> None:
    before = imported.state.stored_accessions()

    again = run_import(
        [samples_dir], state=imported.state, store=imported.store, forms=LETTER_FORMS
    )

    assert again.stored == 0
    assert again.already_stored == len(before)
    assert set(again.accessions) == before
    assert imported.state.stored_accessions() == before


def test_other_forms_in_the_samples_are_counted_not_stored(imported: Imported) -> None:
    report = imported.report

    assert report.other_forms > 0
    assert report.filings_found == report.stored + report.already_stored + report.other_forms
    assert "0001628280-25-058337" not in report.accessions  # an 8-K
    assert "0001628280-25-058337" not in imported.store.accessions()


def test_importing_a_single_submission_file(
    ledger: CrawlState, store: RawStore, samples_dir: Path
) -> None:
    file = samples_dir / "submissions" / "0000320193-24-000061.txt"

    report = run_import([file], state=ledger, store=store, forms=LETTER_FORMS)

    assert (report.files_read, report.filings_found, report.stored, report.failed) == (1, 1, 1, 0)
    assert report.accessions == ["0000320193-24-000061"]
    stored = store.find("0000320193-24-000061")
    assert stored is not None
    assert store.read(stored.relative_path) == file.read_bytes()
    with closing(sqlite3.connect(ledger.path)) as db:
        row = db.execute(
            "SELECT cik, form, filing_date, disseminated_on, disseminated_source, source, status "
            "FROM filings"
        ).fetchall()
    assert row == [
        ("0000320193", "CORRESP", "2024-04-29", "2024-06-14", "sec-header", "import", "fetched")
    ]


@pytest.mark.parametrize(
    ("cut_after", "reason"),
    [("<SEC-HEADER>", "no ACCESSION NUMBER"), ("</SEC-HEADER>", "truncated")],
    ids=["inside-header", "after-header"],
)
def test_a_corrupt_submission_is_reported_as_a_problem(
    ledger: CrawlState,
    store: RawStore,
    samples_dir: Path,
    tmp_path: Path,
    cut_after: str,
    reason: str,
) -> None:
    original = (samples_dir / "submissions" / "0000000000-24-003505.txt").read_bytes()
    cut = original.index(cut_after.encode()) + len(cut_after)
    corrupt = tmp_path / "inbox" / "0000000000-24-003505.txt"
    corrupt.parent.mkdir()
    corrupt.write_bytes(original[:cut] + bytes(range(256)) * 50)
    good = samples_dir / "submissions" / "0000000000-24-005673.txt"

    report = run_import([corrupt, good], state=ledger, store=store, forms=LETTER_FORMS)

    assert report.failed == 1
    assert len(report.problems) == 1
    assert report.problems[0].startswith(f"{corrupt}: ")
    assert reason in report.problems[0]
    assert report.accessions == ["0000000000-24-005673"]
    assert store.accessions() == {"0000000000-24-005673"}
    problems = ledger.summary().problems
    assert [(p["source"], p["kind"]) for p in problems] == [(str(corrupt), "import")]


def test_a_truncated_submission_is_reported_and_not_stored(
    ledger: CrawlState, store: RawStore, samples_dir: Path, tmp_path: Path
) -> None:
    original = (samples_dir / "submissions" / "0000000000-24-003505.txt").read_bytes()
    cut = tmp_path / "0000000000-24-003505.txt"
    cut.write_bytes(original[: len(original) // 2])

    report = run_import([cut], state=ledger, store=store, forms=LETTER_FORMS)

    assert report.failed == 1
    assert "truncated" in report.problems[0]
    assert store.accessions() == set()
    assert ledger.stored_accessions() == set()


def feed_archive(samples_dir: Path, tmp_path: Path) -> Path:
    """A daily Feed-style archive of the two Form D ``.nc`` samples."""
    archive = tmp_path / "20240111.nc.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for accession in NC_SAMPLES:
            tar.add(samples_dir / "submissions" / "nc" / f"{accession}.nc", f"{accession}.nc")
    return archive


def test_a_feed_archive_is_read_and_other_forms_are_skipped(
    ledger: CrawlState, store: RawStore, samples_dir: Path, tmp_path: Path
) -> None:
    archive = feed_archive(samples_dir, tmp_path)

    report = run_import([archive], state=ledger, store=store, forms=LETTER_FORMS)

    assert (report.files_read, report.filings_found, report.other_forms) == (1, 2, 2)
    assert (report.stored, report.failed, report.problems) == (0, 0, [])
    assert store.accessions() == set()


def test_a_feed_archive_stores_its_filings_when_their_form_is_wanted(
    ledger: CrawlState, store: RawStore, samples_dir: Path, tmp_path: Path
) -> None:
    archive = feed_archive(samples_dir, tmp_path)

    report = run_import(
        [archive], state=ledger, store=store, forms=sorted(set(NC_SAMPLES.values()))
    )

    assert (report.stored, report.other_forms, report.failed) == (2, 0, 0)
    assert ledger.stored_accessions() == set(NC_SAMPLES)
    for accession in NC_SAMPLES:
        stored = store.find(accession)
        assert stored is not None
        assert (
            store.read(stored.relative_path)
            == (samples_dir / "submissions" / "nc" / f"{accession}.nc").read_bytes()
        )
    with closing(sqlite3.connect(ledger.path)) as db:
        forms = dict(db.execute("SELECT accession, form FROM filings"))
    assert forms == NC_SAMPLES


def test_an_unreadable_archive_is_a_problem(
    ledger: CrawlState, store: RawStore, tmp_path: Path
) -> None:
    archive = tmp_path / "broken.nc.tar.gz"
    archive.write_bytes(b"\x1f\x8b\x08\x00 definitely not a tarball")

    report = run_import([archive], state=ledger, store=store, forms=LETTER_FORMS)

    assert report.failed == 1
    assert "unreadable archive" in report.problems[0]


def test_a_missing_path_is_refused(ledger: CrawlState, store: RawStore, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        run_import([tmp_path / "nowhere"], state=ledger, store=store, forms=LETTER_FORMS)


def test_a_filing_folder_without_submissions_json_takes_its_form_from_the_accession(
    ledger: CrawlState, store: RawStore, samples_dir: Path, tmp_path: Path
) -> None:
    # The documents and the listing of one UPLOAD, in EDGAR's {cik}/{folder} layout, alone.
    folder = "1090872/000000000016092800"
    copy = tmp_path / "inbox"
    for part, name in (("documents", "filename1.pdf"), ("filing-index", "index.json")):
        target = copy / part / folder / name
        target.parent.mkdir(parents=True)
        target.write_bytes((samples_dir / part / folder / name).read_bytes())

    report = run_import([copy], state=ledger, store=store, forms=LETTER_FORMS)

    assert report.accessions == ["0000000000-16-092800"]
    stored = store.find("0000000000-16-092800")
    assert stored is not None
    assert set(store.read(stored.relative_path)) == {"filename1.pdf", "index.json"}
    with closing(sqlite3.connect(ledger.path)) as db:
        assert db.execute("SELECT cik, form, filing_date FROM filings").fetchall() == [
            ("0001090872", "UPLOAD", "2016-09-14")
        ]


def test_a_filing_folder_without_submissions_json_is_named_from_the_ticker_map(
    ledger: CrawlState, store: RawStore, samples_dir: Path, tmp_path: Path
) -> None:
    folder = "1300514/000000000022005802"
    copy = tmp_path / "inbox"
    shutil.copytree(samples_dir / "documents" / folder, copy / "documents" / folder)
    shutil.copytree(samples_dir / "filing-index" / folder, copy / "filing-index" / folder)
    names = load_company_names(samples_dir / "json" / "company_tickers.json")

    run_import([copy], state=ledger, store=store, forms=LETTER_FORMS, names=names)

    with closing(sqlite3.connect(ledger.path)) as db:
        assert db.execute("SELECT cik, company_name FROM filings").fetchall() == [
            ("0001300514", "LAS VEGAS SANDS CORP")
        ]
