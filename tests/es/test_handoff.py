"""The hand-off from the raw store to the indexer: what it marks, counts and parses.

Each test here was written against a defect and failed before its fix: a batch marked
``ingested`` whole although one filing's stored bytes could not be read; a reindex summary
that counted only the last batch's threads; a submission parsed again by the hand-off after
its download had parsed it.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from elasticsearch import Elasticsearch

import crawler.download
import crawler.handoff
import crawler.letter_pool
from crawler.cycle import Crawler
from crawler.edgar.sgml import Submission
from crawler.handoff import reindex
from crawler.state import CrawlState
from crawler.store import RawStore
from indexer.cli.main import cli
from indexer.config_file import load_settings
from indexer.data_folder import DataFolder
from tests.fake_edgar import FakeEdgar
from tests.integration.crawler.conftest import crawler_env

pytestmark = pytest.mark.samples

COMPANIES = ("1300514", "1551152", "7084", "1783180")


def _env(es_url: str, es_prefix: str, data_dir: Path) -> dict[str, str]:
    return {
        "CORRESP__STORAGE__DATA_DIR": str(data_dir),
        "CORRESP__ELASTICSEARCH__URL": es_url,
        "CORRESP__ELASTICSEARCH__INDEX_PREFIX": es_prefix,
    }


def _import(env: dict[str, str], samples_dir: Path, *extra: str) -> dict[str, Any]:
    # The documents, with the filing indexes that date them.
    folders = [
        str(samples_dir / tree / cik) for cik in COMPANIES for tree in ("documents", "filing-index")
    ]
    result = CliRunner().invoke(cli, ["import", *folders, "--json", *extra], env=env)
    assert result.exit_code == 0, result.output
    summary: dict[str, Any] = json.loads(result.stdout)
    return summary


def _ledger(data_dir: Path) -> dict[str, tuple[str, str | None]]:
    with closing(sqlite3.connect(DataFolder(data_dir).ledger)) as db:
        rows = db.execute("SELECT accession, status, ingest_error FROM filings").fetchall()
    return {accession: (status, error) for accession, status, error in rows}


def test_a_filing_whose_stored_bytes_cannot_be_read_waits_with_its_reason(
    es: Elasticsearch, es_url: str, es_prefix: str, samples_dir: Path, tmp_path: Path
) -> None:
    env = _env(es_url, es_prefix, tmp_path)
    imported = _import(env, samples_dir, "--no-index")
    assert imported["awaiting_index"] > 3
    state = CrawlState(DataFolder(tmp_path).ledger)
    try:
        damaged = state.stored_filings(only_pending_ingest=True)[1]
    finally:
        state.close()
    for path in [DataFolder(tmp_path).raw / damaged.raw_path]:
        files = sorted(path.glob("*.gz")) if path.is_dir() else [path]
        files[0].write_bytes(b"not gzip at all")

    result = CliRunner().invoke(cli, ["index", "--json"], env=env)
    summary = json.loads(result.stdout)

    assert result.exit_code == 0, result.output
    ledger = _ledger(tmp_path)
    status, error = ledger[damaged.accession]
    assert status == "fetched"  # not marked ingested with the rest of its batch
    assert error is not None and "unreadable raw filing" in error
    others = {a: s for a, (s, _) in ledger.items() if a != damaged.accession}
    assert set(others.values()) == {"ingested"}
    assert summary["ingested"] == len(others)
    assert (summary["unreadable"], summary["awaiting"]) == (1, 1)
    es.indices.refresh(index=f"{es_prefix}letters")
    assert not es.exists(index=f"{es_prefix}letters", id=damaged.accession)

    status_ = CliRunner().invoke(cli, ["status", "--json"], env=env)
    shown = json.loads(status_.stdout)
    assert any(p["accession"] == damaged.accession for p in shown["problems"])
    assert [row["accession"] for row in shown["not_indexed"]] == [damaged.accession]


def test_the_reindex_summary_counts_every_batch(
    es: Elasticsearch,
    es_url: str,
    es_prefix: str,
    samples_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env = _env(es_url, es_prefix, tmp_path)
    _import(env, samples_dir)
    es.indices.refresh(index=f"{es_prefix}threads")
    threads = es.count(index=f"{es_prefix}threads")["count"]
    comments = es.count(index=f"{es_prefix}comments")["count"]
    assert threads > 4

    monkeypatch.setattr(crawler.handoff, "_BATCH", 5)  # several batches, companies across them
    settings = load_settings(None, environ=env).settings
    folder = DataFolder(tmp_path)
    state = CrawlState(folder.ledger)
    try:
        report = reindex(settings, state, RawStore(folder.raw))
    finally:
        state.close()

    assert report.ingested > 2 * 5
    assert (report.threads, report.comments) == (threads, comments)
    assert report.searchable is not None and report.searchable["threads"] == threads


def test_a_crawled_submission_is_parsed_once_between_download_and_index(
    es_url: str, es_prefix: str, samples_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: Counter[str] = Counter()

    def counting(parse: Callable[..., Submission]) -> Callable[..., Submission]:
        def parse_and_count(data: bytes, *, source: str) -> Submission:
            submission = parse(data, source=source)
            parsed[submission.accession] += 1
            return submission

        return parse_and_count

    for module in (crawler.download, crawler.letter_pool):
        monkeypatch.setattr(module, "parse_submission", counting(module.parse_submission))

    with FakeEdgar(samples_dir) as edgar:
        filings = edgar.synthetic_filings(6, date(2023, 1, 9), date(2023, 1, 9))
        env = crawler_env(edgar, tmp_path, ELASTICSEARCH__URL=es_url)
        env["CORRESP__ELASTICSEARCH__INDEX_PREFIX"] = es_prefix
        settings = load_settings(None, environ=env).settings
        with Crawler(settings) as crawler_:
            report = crawler_.crawl(since=date(2023, 1, 9), until=date(2023, 1, 9))
            handoff = crawler_.index_stored(report)

    assert report.fetched == len(filings) > 0
    assert (handoff.ingested, handoff.awaiting, handoff.error) == (len(filings), 0, None)
    assert report.indexed == len(filings)
    assert parsed == Counter({filing.accession: 1 for filing in filings})
    assert len(crawler_.parsed) == 0  # the hand-off took every one it used
