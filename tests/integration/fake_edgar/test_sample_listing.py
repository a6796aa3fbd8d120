"""`list_samples`: the fake's form indexes list the real sample letters, and a crawl gets them all.

The expected letters are read straight from MANIFEST.tsv here, independently of the fake's own
derivation (`tests/fake_edgar/letters.py`).
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from indexer.cli.main import cli
from tests.fake_edgar import FakeEdgar, FakeEdgarConfig, urls

pytestmark = [pytest.mark.integration, pytest.mark.samples]

UA = {"User-Agent": "Corresp Tests tests@example.com"}
PROJECT_ROOT = Path(__file__).resolve().parents[3]
LETTER_COUNT = 358
IDX_ROW = re.compile(
    r"(?P<form>.{12})(?P<company>.{62})(?P<cik>\d+) +(?P<filed>[\d-]+) +(?P<file>edgar/data/\S+)"
)
FILE_NAME = re.compile(r"edgar/data/(?P<cik>\d+)/(?P<accession>\d{10}-\d{2}-\d{6})\.txt")
FILING_DATE = re.compile(r"\(filingDate (\d{4}-\d{2}-\d{2}),")
HTTP_URL = re.compile(r"http://[\d.]+:\d+")

Serve = Callable[..., FakeEdgar]


@dataclass(frozen=True)
class Expected:
    """A letter folder of documents/ as MANIFEST.tsv records it."""

    accession: str
    cik: int
    form: str
    filed: date | None
    """None where the note says "filingDate ?"."""
    document: str


@dataclass(frozen=True)
class Row:
    """One parsed form.idx row."""

    form: str
    company: str
    cik: int
    filed: str
    accession: str


def manifest_letters(samples_dir: Path) -> dict[str, Expected]:
    """UPLOAD/CORRESP document rows of MANIFEST.tsv, by accession."""
    letters: dict[str, Expected] = {}
    with (samples_dir / "MANIFEST.tsv").open(newline="", encoding="utf-8") as handle:
        for record in csv.DictReader(handle, delimiter="\t"):
            form = record["form_type"].split()[0] if record["form_type"] else ""
            if not record["local_path"].startswith("documents/") or form not in {
                "UPLOAD",
                "CORRESP",
            }:
                continue
            noted = FILING_DATE.search(record["note"])
            letters[record["accession"]] = Expected(
                accession=record["accession"],
                cik=int(record["cik"]),
                form=form,
                filed=date.fromisoformat(noted[1]) if noted else None,
                document=record["local_path"],
            )
    return letters


def idx_rows(body: str) -> list[Row]:
    lines = body.splitlines()
    rows = []
    for line in lines[lines.index("-" * 141) + 1 :]:
        match = IDX_ROW.fullmatch(line.rstrip())
        assert match is not None, f"not a form.idx row: {line!r}"
        file = FILE_NAME.fullmatch(match["file"])
        assert file is not None, match["file"]
        assert int(file["cik"]) == int(match["cik"])
        rows.append(
            Row(
                form=match["form"].strip(),
                company=match["company"].strip(),
                cik=int(match["cik"]),
                filed=match["filed"],
                accession=file["accession"],
            )
        )
    return rows


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, urls.quarter(day)


@pytest.fixture
def serve(samples_dir: Path) -> Iterator[Serve]:
    with ExitStack() as stack:

        def start(**settings: Any) -> FakeEdgar:
            return stack.enter_context(FakeEdgar(samples_dir, FakeEdgarConfig(**settings)))

        yield start


@pytest.fixture
def edgar(serve: Serve) -> FakeEdgar:
    return serve(limit_per_second=10_000, list_samples=True)


@pytest.fixture
def client(edgar: FakeEdgar) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=edgar.base_url, headers=UA, timeout=10) as client:
        yield client


@pytest.fixture(scope="module")
def expected(samples_dir: Path) -> dict[str, Expected]:
    letters = manifest_letters(samples_dir)
    assert len(letters) == LETTER_COUNT
    return letters


# -- quarterly and daily indexes --------------------------------------------------------------


def test_quarterly_indexes_list_exactly_the_sample_letters(
    client: httpx.Client, expected: dict[str, Expected]
) -> None:
    listed: dict[str, list[tuple[tuple[int, int], Row]]] = {}
    for year in range(2016, 2026):
        for qtr in range(1, 5):
            response = client.get(urls.full_index_path(year, qtr))
            assert response.status_code == 200, (year, qtr)
            assert response.headers["content-type"] == "text/plain"
            for row in idx_rows(response.text):
                listed.setdefault(row.accession, []).append(((year, qtr), row))
    outside = [client.get(urls.full_index_path(2015, 4)), client.get(urls.full_index_path(2026, 1))]

    assert sorted(listed) == sorted(expected)
    assert all(len(places) == 1 for places in listed.values()), "a letter listed twice"
    assert not [a for a in listed if a.startswith("9999999997")]
    for accession, [(quarter, row)] in listed.items():
        letter = expected[accession]
        assert (row.form, row.cik) == (letter.form, letter.cik), accession
        assert quarter == quarter_of(date.fromisoformat(row.filed)), accession
        if letter.filed is not None:
            assert row.filed == letter.filed.isoformat(), accession
    dated = sum(1 for letter in expected.values() if letter.filed is not None)
    assert dated == LETTER_COUNT - 14
    assert [r.status_code for r in outside] == [403, 403]
    assert all(b"<Code>AccessDenied</Code>" in r.content for r in outside)

    def row(accession: str) -> tuple[str, str, int, str, tuple[int, int]]:
        [(quarter, found)] = listed[accession]
        return found.form, found.company, found.cik, found.filed, quarter

    # Checked by hand against MANIFEST.tsv, index.json and the submissions JSON.
    assert row("0000000000-22-002263") == (
        "UPLOAD",
        "INTUITIVE SURGICAL INC",
        1035267,
        "2022-03-01",
        (2022, 1),
    )
    assert row("0001035267-22-000070") == (
        "CORRESP",
        "INTUITIVE SURGICAL INC",
        1035267,
        "2022-03-08",
        (2022, 1),
    )
    assert row("0000000000-16-065580") == (
        "UPLOAD",
        "COMFORT SYSTEMS USA INC",
        1035983,
        "2016-02-19",
        (2016, 1),
    )
    # "filingDate ?" in MANIFEST: the day of index.json's last-modified; no submissions JSON,
    # so the name comes from company_tickers.json.
    assert row("0000000000-22-010750") == (
        "UPLOAD",
        "Meta Platforms, Inc.",
        1326801,
        "2022-09-29",
        (2022, 3),
    )
    assert row("0000000000-16-060314") == (
        "UPLOAD",
        "MOLSON COORS BEVERAGE CO",
        24545,
        "2016-01-05",
        (2016, 1),
    )
    # The name on the filing day (formerNames), as EDGAR's index of the time shows it.
    assert row("0001193125-18-260894") == (
        "CORRESP",
        "Square, Inc.",
        1512673,
        "2018-08-28",
        (2018, 3),
    )
    assert row("0000000000-23-006942")[:2] == ("UPLOAD", "Block, Inc.")


def test_daily_index_lists_its_days_letters(client: httpx.Client, samples_dir: Path) -> None:
    day = date(2018, 8, 16)
    response = client.get(urls.daily_index_path(day))
    real_daily = (samples_dir / "index/daily-index/form.20200318.idx").read_text().splitlines()
    lines = response.text.splitlines()
    rows = idx_rows(response.text)

    assert response.status_code == 200
    received = "Last Data Received:    Aug 16, 2018"
    assert lines[:10] == [real_daily[0], received, *real_daily[2:10]]
    assert all(len(line) == 150 for line in lines[10:])
    assert sorted((r.accession, r.form, r.cik, r.filed) for r in rows) == [
        ("0000000000-18-025369", "UPLOAD", 1037540, "20180816"),
        ("0000000000-18-025443", "UPLOAD", 1512673, "20180816"),
        ("0000769397-18-000031", "CORRESP", 769397, "20180816"),
    ]


def test_every_letter_is_in_its_days_daily_index(
    edgar: FakeEdgar, client: httpx.Client, expected: dict[str, Expected]
) -> None:
    days = sorted({letter.filed for letter in edgar.sample_letters})
    listed: dict[str, date] = {}
    for day in days:
        listed |= {
            row.accession: day for row in idx_rows(client.get(urls.daily_index_path(day)).text)
        }

    assert sorted(listed) == sorted(expected)
    assert all(listed[a] == e.filed for a, e in expected.items() if e.filed is not None)


def test_listing_hides_the_samples_own_form_indexes_only_when_on(
    serve: Serve, client: httpx.Client
) -> None:
    """Days and quarters of 2016-2025 without letters get header-only form indexes."""
    plain = serve(limit_per_second=10_000)
    real_day = "/Archives/edgar/daily-index/2020/QTR1/form.20200318.idx"
    master = "/Archives/edgar/daily-index/2020/QTR1/master.20200103.idx"
    with httpx.Client(base_url=plain.base_url, headers=UA) as without:
        before = [without.get(real_day), without.get(urls.full_index_path(2021, 1))]
        master_before = without.get(master).content
    after = [client.get(real_day), client.get(urls.full_index_path(2025, 1))]
    weekend = client.get(urls.daily_index_path(date(2020, 3, 21)))

    assert len(idx_rows(before[0].text)) > 30  # the real day lists letters not in the samples
    assert before[1].status_code == 200
    assert after[0].status_code == 200
    assert idx_rows(after[0].text) == []
    assert idx_rows(after[1].text) == []
    assert "Last Data Received:    March 31, 2025" in after[1].text
    assert weekend.status_code == 403
    assert client.get(master).content == master_before


# -- the filings --------------------------------------------------------------------------------


def test_listed_letters_are_served_byte_identical(
    edgar: FakeEdgar, client: httpx.Client, samples_dir: Path, expected: dict[str, Expected]
) -> None:
    letters = edgar.sample_letters
    assert len(letters) == LETTER_COUNT
    for letter in letters:
        listing = client.get(letter.index_json_path)
        document = client.get(letter.document_path)
        assert listing.status_code == 200, letter.accession
        assert listing.content == (samples_dir / letter.sample_index_json).read_bytes()
        assert letter.document in {item["name"] for item in listing.json()["directory"]["item"]}
        assert document.status_code == 200, letter.accession
        assert document.content == (samples_dir / expected[letter.accession].document).read_bytes()
    content_types = {client.get(letter.document_path).headers["content-type"] for letter in letters}
    assert content_types == {"application/pdf", "text/html"}


def test_full_submission_of_a_listed_letter_is_access_denied(
    edgar: FakeEdgar, client: httpx.Client
) -> None:
    answers = {client.get(letter.submission_path).status_code for letter in edgar.sample_letters}
    one = client.get(edgar.sample_letters[0].submission_path)

    assert answers == {403}
    assert one.headers["content-type"] == "application/xml"
    assert b"<Code>AccessDenied</Code>" in one.content


# -- combined with synthetic volume, laziness, command line -----------------------------------


def test_list_samples_combines_with_synthetic_filings(serve: Serve) -> None:
    edgar = serve(
        limit_per_second=10_000,
        list_samples=True,
        synthetic=5,
        synthetic_start=date(2023, 3, 13),
        synthetic_end=date(2023, 3, 17),
    )
    with httpx.Client(base_url=edgar.base_url, headers=UA) as client:
        quarter = idx_rows(client.get(urls.full_index_path(2023, 1)).text)
        day = idx_rows(client.get(urls.daily_index_path(date(2023, 3, 15))).text)
        synthetic = client.get(edgar.synthetic.filings[0].path)

    listed = {row.accession for row in quarter}
    assert listed == {"0000000000-23-002523", "0000000000-23-003113", *edgar.synthetic_accessions}
    assert "0000000000-23-002523" in {row.accession for row in day}
    assert synthetic.status_code == 200

    replaced = edgar.synthetic_filings(2, date(2023, 3, 13), date(2023, 3, 17))
    with httpx.Client(base_url=edgar.base_url, headers=UA) as client:
        again = idx_rows(client.get(urls.full_index_path(2023, 1)).text)
    assert len(again) == 2 + len(replaced)


def test_listing_is_built_lazily_and_cheaply(serve: Serve) -> None:
    started = time.perf_counter()
    edgar = serve(limit_per_second=10_000, list_samples=True)
    with httpx.Client(base_url=edgar.base_url, headers=UA) as client:
        client.get("/Archives/edgar/data/1035267/000000000022002263/index.json")
        built_before_index = edgar._listing is not None
        client.get(urls.full_index_path(2022, 1))
        first = time.perf_counter() - started
        timings = []
        for _ in range(3):
            again = time.perf_counter()
            client.get(urls.full_index_path(2022, 1))
            timings.append(time.perf_counter() - again)

    assert not built_before_index
    assert edgar._listing is not None
    assert first < 5.0
    assert min(timings) < 0.1


def test_command_line_lists_the_samples(samples_dir: Path) -> None:
    command = [sys.executable, "-m", "tests.fake_edgar", "--port", "0", "--list-samples"]
    command += ["--samples", str(samples_dir)]
    with subprocess.Popen(
        command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        watchdog = threading.Timer(30, process.kill)
        watchdog.start()
        assert process.stdout is not None
        lines = [process.stdout.readline(), process.stdout.readline()]
        base_url = HTTP_URL.search(lines[1])
        assert base_url is not None, lines
        response = httpx.get(base_url[0] + urls.full_index_path(2021, 4), headers=UA)
        process.terminate()
        out, err = process.communicate(timeout=10)
        watchdog.cancel()

    assert lines[0] == f"{LETTER_COUNT} sample letters listed, 2016-01-05..2025-11-21\n"
    assert response.status_code == 200
    assert len(idx_rows(response.text)) == 19
    assert process.returncode == 0, err
    assert "1 requests" in out


# -- end to end: the real crawler CLI backfills every letter ----------------------------------


@pytest.mark.slow
def test_backfill_through_the_crawler_stores_every_sample_letter(
    samples_dir: Path, tmp_path: Path, expected: dict[str, Expected]
) -> None:
    with FakeEdgar(samples_dir, FakeEdgarConfig(list_samples=True)) as edgar:
        env = {
            "CORRESP__EDGAR__USER_AGENT": "Demo demo@example.org",
            "CORRESP__EDGAR__BASE_URLS__WWW": edgar.base_url,
            "CORRESP__EDGAR__BASE_URLS__DATA": edgar.base_url,
            "CORRESP__EDGAR__BASE_URLS__EFTS": edgar.base_url,
            "CORRESP__STORAGE__DATA_DIR": str(tmp_path),
            "CORRESP__EDGAR__MAX_REQUESTS_PER_SECOND": "9",
        }
        started = time.perf_counter()
        result = CliRunner().invoke(
            cli,
            ["backfill", "--from", "2016-01-01", "--to", "2025-12-31", "--no-index", "--json"],
            env=env,
            catch_exceptions=False,
        )
        elapsed = time.perf_counter() - started
        requests = edgar.requests

    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    print(
        f"\nbackfill of the {summary['fetched']} sample letters: {elapsed:.1f} s, "
        f"{len(requests)} requests ({summary['requests']} counted by the crawler), "
        f"peak {edgar.max_requests_in_any_window()}/s, {summary['document_problems']} "
        "document problem(s)"
    )
    assert summary["fetched"] == LETTER_COUNT
    assert summary["failed"] == 0
    assert summary["parked"] == 0
    assert summary["stopped"] is None
    assert summary["errors"] == []
    assert edgar.violations == 0
    fetched = {
        match["accession"]
        for record in requests
        if (match := re.search(r"/(?P<accession>\d{10}-\d{2}-\d{6})\.txt$", record.path))
    }
    assert fetched == set(expected)
