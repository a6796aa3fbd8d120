"""`full_submissions`: each listed sample letter is served as one `ACCESSION.txt`, as on EDGAR.

The assembled files are read back with the crawler's own SGML parser and compared with the
sample files they were built from; the header values checked by hand below come from the
samples' `index.json` listings and submissions JSON. The last test backfills every letter
through the crawler and counts the requests per filing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from crawler.edgar.sgml import parse_submission
from indexer.cli.main import cli
from tests.fake_edgar import FakeEdgar, FakeEdgarConfig, urls
from tests.integration.crawler.conftest import crawler_env

pytestmark = [pytest.mark.integration, pytest.mark.samples]

UA = {"User-Agent": "Corresp Tests tests@example.com"}
LETTER_COUNT = 358


@pytest.fixture(scope="module")
def edgar(samples_dir: Path) -> Iterator[FakeEdgar]:
    config = FakeEdgarConfig(limit_per_second=10_000, list_samples=True, full_submissions=True)
    with FakeEdgar(samples_dir, config) as server:
        yield server


@pytest.fixture(scope="module")
def client(edgar: FakeEdgar) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=edgar.base_url, headers=UA, timeout=10) as http:
        yield http


def test_every_listed_letter_has_a_full_submission_holding_its_document(
    edgar: FakeEdgar, client: httpx.Client, samples_dir: Path
) -> None:
    letters = edgar.sample_letters
    assert len(letters) == LETTER_COUNT
    for letter in letters:
        response = client.get(letter.submission_path)
        assert response.status_code == 200, letter.accession
        assert response.headers["content-type"] == "text/plain"
        body = response.content
        submission = parse_submission(body, source=letter.submission_path)
        sample = (samples_dir / letter.sample_document).read_bytes()

        assert not submission.truncated, letter.accession
        assert submission.warnings == [], (letter.accession, submission.warnings)
        assert submission.accession == letter.accession
        assert submission.header.form == letter.form
        assert submission.header.filed_as_of == letter.filed
        assert submission.header.sec_document_date == letter.disseminated
        assert submission.header.public_document_count == 1
        [party] = submission.header.parties
        assert (party.cik, party.name) == (f"{letter.cik:010d}", letter.company)
        assert party.role == ("filed_for" if letter.form == "UPLOAD" else "filer")
        [document] = submission.documents
        assert document.filename == letter.document
        assert document.warnings == []
        if letter.document.endswith(".pdf"):
            assert document.type == "LETTER"
            assert document.content == sample, letter.accession  # uudecoded byte for byte
        else:
            # EDGAR stores CORRESP documents with their own wrapper: included once, as is.
            assert body.count(b"<DOCUMENT>") == 1, letter.accession
            assert sample in body
            assert document.type == "CORRESP"


def test_header_values_come_from_the_samples(client: httpx.Client) -> None:
    """Hand-checked against index.json and the submissions JSON of each company."""

    def header(cik: int, accession: str) -> str:
        body = client.get(urls.submission_path(cik, accession)).content
        return body.split(b"</SEC-HEADER>")[0].decode()

    tpl = header(1811074, "0000000000-25-010920")
    assert "<ACCEPTANCE-DATETIME>20251121103607\n" in tpl  # index.json last-modified
    assert "\t\tSEC FILE NUMBER:\t001-39804\n" in tpl  # fileNumber of the filing
    assert "\t\tORGANIZATION NAME:           \t01 Energy & Transportation\n" in tpl
    assert "\t\tSTANDARD INDUSTRIAL CLASSIFICATION:\tOIL ROYALTY TRADERS [6792]\n" in tpl
    assert tpl.startswith("<SEC-DOCUMENT>0000000000-25-010920.txt : 20251121\n")
    assert "FILED FOR:" in tpl

    # Block, Inc. was Square, Inc. until 2021-12-08: its name on each filing day.
    square = header(1512673, "0000000000-18-025443")
    block = header(1512673, "0000000000-23-006942")
    assert "COMPANY CONFORMED NAME:\t\t\tSquare, Inc.\n" in square
    assert "FORMER COMPANY" not in square
    assert "COMPANY CONFORMED NAME:\t\t\tBlock, Inc.\n" in block
    assert "FORMER CONFORMED NAME:\tSquare, Inc.\n\t\tDATE OF NAME CHANGE:\t20211208" in block

    # A company response: FILER, no file number (the JSON gives CORRESP filings none).
    isrg = header(1035267, "0001035267-22-000070")
    assert "\nFILER:\n" in isrg
    assert "SEC FILE NUMBER" not in isrg
    assert "BUSINESS PHONE:\t\t(408) 523-2100" in isrg


def test_a_wrong_cik_or_an_unlisted_accession_is_still_missing(
    client: httpx.Client, edgar: FakeEdgar
) -> None:
    letter = edgar.sample_letters[0]
    wrong_cik = client.get(urls.submission_path(letter.cik + 1, letter.accession))
    unlisted = client.get(urls.submission_path(letter.cik, "0000000000-16-999999"))
    real_sample = client.get(urls.submission_path(320193, "0000320193-24-000061"))

    assert wrong_cik.status_code == 403
    assert unlisted.status_code == 403
    assert real_sample.status_code == 200  # the samples' own full submissions still answer
    assert b"<Code>AccessDenied</Code>" in wrong_cik.content


def test_full_submissions_need_the_listing() -> None:
    with pytest.raises(ValueError, match="needs list_samples"):
        FakeEdgarConfig(full_submissions=True)


@pytest.mark.slow
def test_backfill_makes_one_request_per_filing_and_records_no_problem(
    samples_dir: Path, tmp_path: Path, report_figures
) -> None:
    config = FakeEdgarConfig(list_samples=True, full_submissions=True)
    with FakeEdgar(samples_dir, config) as edgar:
        env = crawler_env(edgar, tmp_path)  # 9 requests/s, the default ceiling
        runner = CliRunner()
        backfill = runner.invoke(
            cli,
            ["backfill", "--from", "2016-01-01", "--to", "2025-12-31", "--no-index", "--json"],
            env=env,
            catch_exceptions=False,
        )
        requests = edgar.requests
        status = runner.invoke(cli, ["status", "--json"], env=env, catch_exceptions=False)

    assert backfill.exit_code == 0, backfill.output
    summary = json.loads(backfill.stdout)
    filing_requests = [r for r in requests if "/Archives/edgar/data/" in r.path]
    per_filing = len(filing_requests) / summary["fetched"]
    report_figures(
        f"demo backfill with full submissions: {summary['fetched']} filings, "
        f"{len(filing_requests)} filing requests ({per_filing:.3f} per filing, limit 1.05), "
        f"{len(requests)} requests in all, {summary['document_problems']} problem(s)"
    )
    assert summary["fetched"] == LETTER_COUNT
    assert summary["failed"] == 0
    assert per_filing <= 1.05
    assert all(r.path.endswith(".txt") for r in filing_requests)
    assert summary["document_problems"] == 0
    assert json.loads(status.stdout)["problem_count"] == 0
    assert edgar.violations == 0
