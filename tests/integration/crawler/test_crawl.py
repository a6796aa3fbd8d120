"""`corresp crawl`, `backfill` and `import` against a fake EDGAR that enforces SEC's rules."""

from __future__ import annotations

import gzip
import json
import re
import sqlite3
from datetime import date
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner, Result

from crawler.cycle import Crawler
from indexer.cli.main import cli
from indexer.settings import Settings
from tests.fake_edgar import FakeEdgar
from tests.integration.crawler.conftest import USER_AGENT, crawler_env

pytestmark = pytest.mark.samples

WEEK = (date(2023, 1, 9), date(2023, 1, 13))


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def ledger(data_dir: Path) -> dict[str, dict[str, object]]:
    with sqlite3.connect(data_dir / "crawl-state.sqlite3") as db:
        db.row_factory = sqlite3.Row
        return {row["accession"]: dict(row) for row in db.execute("SELECT * FROM filings")}


def stored_files(data_dir: Path) -> dict[str, bytes]:
    return {
        path.name.removesuffix(".txt.gz"): gzip.decompress(path.read_bytes())
        for path in (data_dir / "raw").glob("*/*/*.txt.gz")
    }


def test_crawl_stores_every_listed_filing_once(edgar: FakeEdgar, tmp_path: Path) -> None:
    filings = edgar.synthetic_filings(12, *WEEK)
    env = crawler_env(edgar, tmp_path)
    result = run(env, "crawl", "--since", "2023-01-09", "--until", "2023-01-13", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    expected = {filing.accession for filing in filings}
    assert summary["found"] == len(expected)
    assert summary["fetched"] == len(expected)
    assert summary["failed"] == 0
    rows = ledger(tmp_path)
    assert set(rows) == expected
    assert {row["status"] for row in rows.values()} == {"fetched"}
    stored = stored_files(tmp_path)
    assert set(stored) == expected
    for filing in filings:
        row = rows[filing.accession]
        # Three dates: the letter's filing date, the index day that listed it, our clock.
        assert row["filing_date"] < row["disseminated_on"]
        assert row["disseminated_source"] == "daily-index"
        assert row["first_seen_at"]
        assert filing.accession.encode() in stored[filing.accession][:2000]
    # One request per filing, plus one per daily index file.
    submissions = [r for r in edgar.requests if r.path.endswith(".txt")]
    assert len(submissions) == len(expected)
    assert edgar.violations == 0

    # Unchanged indexes cost a 304 each and download nothing.
    again = json.loads(
        run(env, "crawl", "--since", "2023-01-09", "--until", "2023-01-13", "--json").stdout
    )
    assert (again["found"], again["fetched"]) == (0, 0)
    assert len([r for r in edgar.requests if r.path.endswith(".txt")]) == len(expected)


def test_rebuilt_index_adds_only_the_new_filing(edgar: FakeEdgar, tmp_path: Path) -> None:
    first, second, late = edgar.synthetic_filings(3, date(2023, 1, 9), date(2023, 1, 9))
    index_path = "/Archives/edgar/daily-index/2023/QTR1/form.20230109.idx"
    full_index = _fetch(edgar, index_path)
    late_row = next(
        line for line in full_index.splitlines(keepends=True) if late.accession.encode() in line
    )
    edgar.add_file(index_path, full_index.replace(late_row, b""))
    env = crawler_env(edgar, tmp_path)
    run(env, "crawl", "--since", "2023-01-09", "--until", "2023-01-09")
    assert set(ledger(tmp_path)) == {first.accession, second.accession}

    edgar.add_file(index_path, full_index)  # SEC rebuilt the day's index overnight
    # --since defaults to the cursor minus crawler.daily_index_lookback_days.
    again = json.loads(run(env, "crawl", "--until", "2023-01-13", "--json").stdout)
    assert (again["found"], again["new"], again["already_stored"]) == (3, 1, 2)
    assert again["fetched"] == 1
    assert set(stored_files(tmp_path)) == {first.accession, second.accession, late.accession}


def test_index_files_are_fetched_conditionally(edgar: FakeEdgar, tmp_path: Path) -> None:
    edgar.synthetic_filings(3, *WEEK)
    env = crawler_env(edgar, tmp_path)
    run(env, "crawl", "--since", "2023-01-09", "--until", "2023-01-13")
    second = len(edgar.requests)
    run(env, "crawl", "--since", "2023-01-09", "--until", "2023-01-13")
    index_requests = [r for r in edgar.requests[second:] if r.path.endswith(".idx")]
    assert index_requests
    # 304 for unchanged indexes, 403 AccessDenied for days without an index; never a body.
    assert 304 in {r.status for r in index_requests}
    assert 200 not in {r.status for r in index_requests}


def test_backfill_reads_quarterly_indexes(edgar: FakeEdgar, tmp_path: Path) -> None:
    filings = edgar.synthetic_filings(15, date(2023, 1, 3), date(2023, 3, 31))
    env = crawler_env(edgar, tmp_path)
    result = run(env, "backfill", "--from", "2023-01-01", "--to", "2023-03-31", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["fetched"] == 15
    assert set(stored_files(tmp_path)) == {filing.accession for filing in filings}
    paths = {r.path for r in edgar.requests}
    assert "/Archives/edgar/full-index/2023/QTR1/form.idx" in paths
    # The quarter after the range is read too, for letters released late.
    assert "/Archives/edgar/full-index/2023/QTR2/form.idx" in paths
    assert edgar.violations == 0


def test_real_daily_index_rows_missing_from_edgar_are_recorded_failures(
    edgar: FakeEdgar, tmp_path: Path
) -> None:
    env = crawler_env(edgar, tmp_path)
    result = run(env, "crawl", "--since", "2020-03-18", "--until", "2020-03-18", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    # 32 CORRESP, UPLOAD and DRSLTR rows in form.20200318.idx: 29 filings, as co-registrants'
    # filings are listed once per registrant.
    assert summary["found"] == 29
    rows = ledger(tmp_path)
    assert len(rows) == 29
    failed = [row for row in rows.values() if row["status"] == "pending" and row["attempts"]]
    assert failed, "filings EDGAR does not have must be recorded as failures"
    assert all("not on EDGAR" in str(row["last_error"]) for row in failed)
    status = json.loads(run(env, "status", "--json").stdout)
    assert status["retrying"] == len(failed)


def test_malformed_index_lines_truncated_and_undecodable_filings(
    edgar: FakeEdgar, tmp_path: Path
) -> None:
    good, truncated, damaged = edgar.synthetic_filings(3, date(2023, 1, 9), date(2023, 1, 9))
    index_path = "/Archives/edgar/daily-index/2023/QTR1/form.20230109.idx"
    listing = _fetch(edgar, index_path)
    edgar.add_file(index_path, listing + b"UPLOAD      this line is garbage\n")
    body = _fetch(edgar, truncated.path)
    edgar.add_file(truncated.path, body[: len(body) // 2])
    body = _fetch(edgar, damaged.path)
    start = body.index(b"begin 644")
    cut = body.index(b"\n", start + 300) + 1
    edgar.add_file(damaged.path, body[:cut] + b"M\x00\x01 not uuencoded \x7f\n" + body[cut:])

    env = crawler_env(edgar, tmp_path)
    result = run(env, "crawl", "--since", "2023-01-09", "--until", "2023-01-09", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["bad_lines"] == 1
    rows = ledger(tmp_path)
    assert rows[good.accession]["status"] == "fetched"
    assert "truncated" in str(rows[truncated.accession]["last_error"])
    assert rows[truncated.accession]["status"] == "pending"
    status = json.loads(run(env, "status", "--json").stdout)
    kinds = {problem["kind"] for problem in status["problems"]}
    assert {"index-line", "document"} <= kinds
    # The damaged filing is kept (its raw bytes are the truth); the bad document is reported.
    assert rows[damaged.accession]["status"] == "fetched"
    document_problem = next(p for p in status["problems"] if p["kind"] == "document")
    assert document_problem["accession"] == damaged.accession


def _fetch(edgar: FakeEdgar, path: str) -> bytes:
    response = httpx.get(edgar.url(path), headers={"User-Agent": "Test t@example.org"})
    response.raise_for_status()
    return response.content


def test_missing_user_agent_stops_before_any_request(edgar: FakeEdgar, tmp_path: Path) -> None:
    env = crawler_env(edgar, tmp_path, EDGAR__USER_AGENT="")
    result = CliRunner().invoke(cli, ["crawl"], env=env)
    assert result.exit_code == 1
    assert "edgar.user_agent" in result.stderr
    assert "e-mail" in result.stderr
    assert edgar.requests == []


def test_invalid_user_agent_is_a_config_error(edgar: FakeEdgar, tmp_path: Path) -> None:
    env = crawler_env(edgar, tmp_path, EDGAR__USER_AGENT="python-httpx/0.28")
    result = CliRunner().invoke(cli, ["crawl"], env=env)
    assert result.exit_code == 2
    assert "edgar.user_agent" in result.stderr
    assert edgar.requests == []


def test_import_samples_folder_stores_every_letter(samples_dir: Path, tmp_path: Path) -> None:
    env = {"CORRESP__STORAGE__DATA_DIR": str(tmp_path)}
    result = run(env, "import", str(samples_dir), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    expected = _manifest_letters(samples_dir)
    assert summary["stored"] == len(expected)
    assert set(ledger(tmp_path)) == expected
    again = json.loads(run(env, "import", str(samples_dir), "--json").stdout)
    assert again["stored"] == 0
    assert again["already_stored"] == len(expected)


def _manifest_letters(samples_dir: Path) -> set[str]:
    expected = set()
    lines = (samples_dir / "MANIFEST.tsv").read_text().splitlines()
    header = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t"), strict=False))
        # Some rows say "UPLOAD (inferred from accession prefix: ...)".
        is_letter = row["form_type"].split(" ")[0] in ("UPLOAD", "CORRESP")
        is_filing = row["kind"] == "document" or row["local_path"].count("/") == 1
        if is_letter and is_filing and row["local_path"].startswith(("documents/", "submissions/")):
            expected.add(row["accession"])
    return expected


def test_a_pass_ended_by_a_block_leaves_the_next_pass_working(
    edgar: FakeEdgar, tmp_path: Path
) -> None:
    """In the daemon one Crawler runs every pass: a block must end one pass, not all."""
    filings = edgar.synthetic_filings(5, date(2023, 1, 9), date(2023, 1, 9))
    settings = Settings.model_validate(
        {
            "edgar": {
                "user_agent": USER_AGENT,
                "base_urls": dict.fromkeys(("www", "data", "efts"), edgar.base_url),
                "block_cooldown_seconds": 0.2,
            },
            "storage": {"data_dir": str(tmp_path)},
        }
    )
    edgar.inject(re.compile(r"\.txt$"), "status(429)", times=None)
    with Crawler(settings) as crawler:
        blocked = crawler.crawl(since=date(2023, 1, 9), until=date(2023, 1, 9))
        assert blocked.stopped is not None and "blocked" in blocked.stopped
        assert blocked.fetched == 0
        edgar.fault_table.clear()
        resumed = crawler.crawl(since=date(2023, 1, 9), until=date(2023, 1, 9))
    assert resumed.stopped is None
    assert resumed.fetched == len(filings)
