"""Company filing lists fetched from the fake data.sec.gov and kept in the data folder.

At most one request per company per day for the main submissions file; an older page only
when a letter may review a filing older than the main file's first one, and only once; a
company EDGAR has no file for is remembered for the day; a broken answer never replaces a
good file. Every request is counted in the fake's own log.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from crawler.client import EdgarClient, make_client
from crawler.company_filings import CompanyFilings
from indexer.settings import EdgarBaseUrls, EdgarConfig
from tests.fake_edgar import FakeEdgar
from tests.integration.crawler.conftest import USER_AGENT

pytestmark = pytest.mark.samples

CHUBB = "0000896159"
"""json/lehigh/ holds its main file (filings from 2017-10-26) and one older page."""
NO_JSON = "0001300514"
"""Las Vegas Sands: the samples hold no submissions JSON for it (EDGAR answers 404)."""


@pytest.fixture
def client(edgar: FakeEdgar) -> Iterator[EdgarClient]:
    base = EdgarBaseUrls(www=edgar.base_url, data=edgar.base_url, efts=edgar.base_url)
    with make_client(EdgarConfig(user_agent=USER_AGENT, base_urls=base)) as edgar_client:
        yield edgar_client


def _submissions_requests(edgar: FakeEdgar) -> list[str]:
    return [r.path for r in edgar.requests if r.path.startswith("/submissions/")]


def test_main_file_once_a_day_older_page_only_when_needed(
    edgar: FakeEdgar, client: EdgarClient, tmp_path: Path
) -> None:
    filings = CompanyFilings.in_data_dir(tmp_path)
    recent = filings.refresh(client, {CHUBB: date(2022, 9, 2)})
    listed = filings.listed(CHUBB)

    assert (recent.downloaded, recent.requests) == (1, 1)
    assert _submissions_requests(edgar) == [f"/submissions/CIK{CHUBB}.json"]
    assert (tmp_path / "companies" / f"CIK{CHUBB}.json").is_file()
    assert "0001104659-22-042195" in {f.accession for f in listed}  # the 2022 DEF 14A
    assert min(f.filed_on for f in listed) == date(2017, 10, 26)

    again = filings.refresh(client, {CHUBB: date(2022, 9, 2)})
    assert (again.fresh, again.requests) == (1, 0)

    # A 2016 letter may review a 2015 filing: the older page is fetched, once.
    older = filings.refresh(client, {CHUBB: date(2016, 7, 13)})
    assert (older.requests, older.downloaded) == (1, 1)
    assert _submissions_requests(edgar)[-1] == f"/submissions/CIK{CHUBB}-submissions-001.json"
    assert min(f.filed_on for f in filings.listed(CHUBB)) == date(1995, 2, 14)
    assert filings.refresh(client, {CHUBB: date(2016, 7, 13)}).requests == 0

    tomorrow = time.time() + 25 * 3600
    later = filings.refresh(client, {CHUBB: date(2016, 7, 13)}, now=lambda: tomorrow)
    assert (later.downloaded, later.requests) == (1, 1)  # only the main file changes
    assert len(_submissions_requests(edgar)) == 3


def test_a_company_without_a_file_is_remembered_for_the_day(
    edgar: FakeEdgar, client: EdgarClient, tmp_path: Path
) -> None:
    filings = CompanyFilings.in_data_dir(tmp_path)
    first = filings.refresh(client, {NO_JSON: date(2022, 5, 26)})
    second = filings.refresh(client, {NO_JSON: date(2022, 5, 26)})

    assert [r.status for r in edgar.requests] == [404]
    assert (first.missing, first.requests) == (1, 1)
    assert (second.missing, second.requests) == (1, 0)
    assert filings.listed(NO_JSON) == ()


def test_a_broken_answer_keeps_the_good_file(
    edgar: FakeEdgar, client: EdgarClient, tmp_path: Path
) -> None:
    filings = CompanyFilings.in_data_dir(tmp_path)
    filings.refresh(client, {CHUBB: date(2022, 9, 2)})
    good = (tmp_path / "companies" / f"CIK{CHUBB}.json").read_bytes()
    edgar.add_file(f"/submissions/CIK{CHUBB}.json", b'{"not": "submissions"}')

    tomorrow = time.time() + 25 * 3600
    report = filings.refresh(client, {CHUBB: date(2022, 9, 2)}, now=lambda: tomorrow)

    assert (report.failed, report.downloaded) == (1, 0)
    assert (tmp_path / "companies" / f"CIK{CHUBB}.json").read_bytes() == good
    assert filings.listed(CHUBB)
