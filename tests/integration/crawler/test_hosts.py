"""The crawler contacts only the configured EDGAR base URLs, whatever the data it reads says.

A second fake EDGAR on another loopback address stands for a foreign host: it serves real
content at the planted URLs (so following one would succeed) and records every request. URLs
of it are planted where EDGAR data can carry them: a daily-index line, a folder listing and
the filing's index page, a submissions JSON's older-page names, a current-feed entry's link,
and a redirect. The foreign
server must see no request; each planted URL ends as a recorded problem with its reason (the
feed's link is only read for the CIK and accession, so that filing comes from EDGAR), while
the legitimate filings around it are fetched as usual.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from crawler.client import make_client
from crawler.cycle import Crawler
from crawler.edgar.urls import (
    filing_index_page_path,
    index_json_path,
    submissions_json_path,
)
from crawler.errors import ForeignUrlError
from indexer.cli.main import cli
from indexer.settings import EdgarBaseUrls, EdgarConfig, Settings
from tests.fake_edgar import FakeEdgar, FakeEdgarConfig
from tests.integration.crawler.conftest import USER_AGENT, crawler_env

pytestmark = pytest.mark.samples

DAY = date(2023, 1, 9)
INDEX_PATH = "/Archives/edgar/daily-index/2023/QTR1/form.20230109.idx"


@pytest.fixture
def foreign(samples_dir: Path) -> Iterator[FakeEdgar]:
    """Another host (127.0.0.2) that would answer anything the crawler asked of it."""
    with FakeEdgar(samples_dir, FakeEdgarConfig(), host="127.0.0.2") as server:
        yield server


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def crawl_day(edgar: FakeEdgar, data_dir: Path, *extra: str) -> dict[str, Any]:
    env = crawler_env(edgar, data_dir)
    result = run(env, "crawl", "--since", DAY.isoformat(), "--until", DAY.isoformat(), *extra)
    assert result.exit_code == 0, result.output
    return json.loads(run(env, "status", "--json").stdout)


def ledger(data_dir: Path) -> dict[str, dict[str, object]]:
    with sqlite3.connect(data_dir / "crawl-state.sqlite3") as db:
        db.row_factory = sqlite3.Row
        return {row["accession"]: dict(row) for row in db.execute("SELECT * FROM filings")}


def fetch(edgar: FakeEdgar, path: str) -> bytes:
    response = httpx.get(edgar.url(path), headers={"User-Agent": USER_AGENT})
    response.raise_for_status()
    return response.content


def test_index_line_naming_another_host_is_a_bad_line(
    edgar: FakeEdgar, foreign: FakeEdgar, tmp_path: Path
) -> None:
    (good,) = edgar.synthetic_filings(1, DAY, DAY)
    path = "/Archives/edgar/data/999999/0000999999-23-000001.txt"
    foreign.add_file(path, fetch(edgar, good.path))
    planted = foreign.url(path)
    row = f"{'CORRESP':<12}{'Planted Corp':<62}{999999:<12}{DAY:%Y%m%d}{'':<4}{planted}\n"
    edgar.add_file(INDEX_PATH, fetch(edgar, INDEX_PATH) + row.encode())

    status = crawl_day(edgar, tmp_path)

    assert foreign.requests == []
    assert ledger(tmp_path)[good.accession]["status"] == "fetched"
    problems = [p for p in status["problems"] if p["kind"] == "index-line"]
    assert len(problems) == 1
    assert planted in problems[0]["detail"]
    assert "file name is not edgar/data/<CIK>/<accession>.txt" in problems[0]["detail"]


def test_folder_listing_naming_another_host_fails_the_filing(
    edgar: FakeEdgar, foreign: FakeEdgar, tmp_path: Path
) -> None:
    good, listed = edgar.synthetic_filings(2, DAY, DAY)
    body = fetch(edgar, listed.path)
    edgar.remove(listed.path)  # no full submission: the crawler falls back to the listing
    document = foreign.url("/letters/filename1.pdf")
    foreign.add_file("/letters/filename1.pdf", body)
    item = {"name": document, "type": "", "size": "100", "last-modified": "2023-01-09 10:00:00"}
    edgar.add_file(
        index_json_path(listed.cik, listed.accession),
        json.dumps({"directory": {"item": [item]}}).encode(),
    )
    edgar.add_file(
        filing_index_page_path(listed.cik, listed.accession),
        f'<html><body><a href="{document}">filename1.pdf</a></body></html>'.encode(),
    )

    crawl_day(edgar, tmp_path)

    assert foreign.requests == []
    rows = ledger(tmp_path)
    assert rows[good.accession]["status"] == "fetched"
    assert rows[listed.accession]["status"] == "pending"  # retried later, then parked
    error = str(rows[listed.accession]["last_error"])
    assert "refusing document names with a folder part" in error
    assert document in error


def test_submissions_json_naming_another_host_is_a_recorded_problem(
    edgar: FakeEdgar, foreign: FakeEdgar, tmp_path: Path
) -> None:
    (filing,) = edgar.synthetic_filings(1, DAY, DAY)
    cik = f"{filing.cik:010d}"
    recent = {
        "accessionNumber": [filing.accession],
        "filingDate": [filing.filed.isoformat()],
        "form": [filing.form],
    }
    page = f"/submissions/CIK{cik}-submissions-001.json"
    foreign.add_file(page, json.dumps(recent).encode())  # a valid older page, if fetched
    older = [foreign.url(page), "//" + foreign.url(page).split("://", 1)[1], ".."]
    main = {
        "cik": cik,
        "name": filing.company,
        "filings": {"recent": recent, "files": [{"name": name} for name in older]},
    }
    edgar.add_file(submissions_json_path(cik), json.dumps(main).encode())
    env = crawler_env(edgar, tmp_path)

    result = run(env, "crawl", "--cik", cik, "--json")

    assert result.exit_code == 0, result.output
    assert foreign.requests == []
    assert ledger(tmp_path)[filing.accession]["status"] == "fetched"
    status = json.loads(run(env, "status", "--json").stdout)
    details = [p["detail"] for p in status["problems"]]
    for name in older:
        assert any(repr(name) in detail and "not fetched" in detail for detail in details), name
    # EDGAR itself was asked for the main file and the filing (and SEC's ticker map), nothing
    # built from the planted names.
    expected = {submissions_json_path(cik), filing.path, "/files/company_tickers.json"}
    assert {r.path for r in edgar.requests} == expected


def test_redirect_to_another_host_is_not_followed(
    edgar: FakeEdgar, foreign: FakeEdgar, tmp_path: Path
) -> None:
    good, moved = edgar.synthetic_filings(2, DAY, DAY)
    foreign.add_file(moved.path, fetch(edgar, moved.path))
    target = foreign.url(moved.path)
    edgar.add_file(moved.path, b"", status=302, headers={"Location": target})
    before = len(edgar.requests)

    crawl_day(edgar, tmp_path)

    assert foreign.requests == []
    rows = ledger(tmp_path)
    assert rows[good.accession]["status"] == "fetched"
    assert rows[moved.accession]["status"] == "pending"
    error = str(rows[moved.accession]["last_error"])
    assert f"HTTP 302: redirect to {target!r} not followed" in error
    # Asked once: a redirect is a failure of the filing, not retried at once.
    assert len([r for r in edgar.requests[before:] if r.path == moved.path]) == 1


def test_feed_entry_linking_another_host_is_fetched_from_edgar(
    edgar: FakeEdgar, foreign: FakeEdgar, tmp_path: Path
) -> None:
    (filing,) = edgar.synthetic_filings(1, DAY, DAY)
    page = foreign.url(filing_index_page_path(filing.cik, filing.accession))
    foreign.add_file(filing.path, fetch(edgar, filing.path))
    entry = (
        f"<entry><title>{filing.form} - {filing.company} ({filing.cik:010d}) (Filed for)</title>"
        f'<link rel="alternate" type="text/html" href="{page}"/>'
        f"<summary type='html'> Filed: {filing.filed} AccNo: {filing.accession}</summary>"
        f"<updated>{DAY}T09:00:00-05:00</updated><id>urn:x:{filing.accession}</id></entry>"
    )
    feed = f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">{entry}</feed>'
    edgar.add_file("/cgi-bin/browse-edgar", feed.encode())  # every form's feed page
    settings = Settings.model_validate(
        {
            "edgar": {
                "user_agent": USER_AGENT,
                "base_urls": dict.fromkeys(("www", "data", "efts"), edgar.base_url),
            },
            "storage": {"data_dir": str(tmp_path)},
        }
    )

    with Crawler(settings) as crawler:
        report = crawler.poll_feed()

    assert report.fetched == 1
    assert foreign.requests == []
    assert ledger(tmp_path)[filing.accession]["status"] == "fetched"


def test_client_refuses_every_url_outside_the_base_urls(
    edgar: FakeEdgar, foreign: FakeEdgar
) -> None:
    base = EdgarBaseUrls(www=edgar.base_url, data=edgar.base_url + "/data", efts=edgar.base_url)
    config = EdgarConfig(user_agent=USER_AGENT, base_urls=base)
    foreign_port = foreign.base_url.rsplit(":", 1)[1]
    edgar_port = edgar.base_url.rsplit(":", 1)[1]
    with make_client(config) as client:
        for path in (
            foreign.url("/x.txt"),
            f"//127.0.0.2:{foreign_port}/x.txt",
            "x.txt",
            "/\\127.0.0.2/x.txt",
        ):
            with pytest.raises(ForeignUrlError, match="not a plain path"):
                client.get("www", path)
        for url, reason in (
            (foreign.url("/x.txt"), "is not an EDGAR host"),
            (f"https://127.0.0.1:{edgar_port}/x.txt", "is not an EDGAR host"),
            (f"http://127.0.0.1:{int(edgar_port) + 1}/x", "is not an EDGAR host"),
            (f"http://localhost:{edgar_port}/x", "is not an EDGAR host"),
        ):
            with pytest.raises(ForeignUrlError, match=reason):
                client.check_url(url)
        client.check_url(edgar.url("/Archives/x.txt"))  # below www: allowed
        client.check_url(edgar.url("/data/submissions/x.json"))  # below data: allowed
        # Dot segments are resolved before the check, so they cannot climb out of a base path.
        with make_client(config.model_copy(update={"base_urls": _only(edgar, "/data")})) as data:
            with pytest.raises(ForeignUrlError, match="outside the base URL's path"):
                data.check_url(edgar.url("/data/../Archives/x.txt"))
            with pytest.raises(ForeignUrlError, match="outside the base URL's path"):
                data.get("www", "/../Archives/x.txt")
    assert foreign.requests == []
    assert edgar.requests == []


def _only(edgar: FakeEdgar, path: str) -> EdgarBaseUrls:
    base = edgar.base_url + path
    return EdgarBaseUrls(www=base, data=base, efts=base)
