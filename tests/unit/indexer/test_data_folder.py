"""The data folder's paths, and the crawl ledger read for /health: read-only, never fatal."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from indexer.data_folder import DataFolder, crawl_progress


def read_crawl_state(root: Path) -> dict[str, object] | None:
    progress = crawl_progress(DataFolder(root))
    return None if progress is None else progress.to_dict()


def test_no_ledger_is_none(tmp_path: Path) -> None:
    assert read_crawl_state(tmp_path) is None


def test_cursors_and_last_dates(tmp_path: Path) -> None:
    path = DataFolder(tmp_path).ledger
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE cursors (name TEXT PRIMARY KEY, value TEXT, updated_at TEXT)")
        db.execute("CREATE TABLE filings (accession TEXT PRIMARY KEY, ingested_at TEXT)")
        db.executemany(
            "INSERT INTO cursors VALUES (?, ?, ?)",
            [
                ("daily-index", "2024-05-01", "2024-05-02T01:30"),
                ("backfill", "2020Q1", "2024-04-01"),
            ],
        )
    db.close()
    before = path.read_bytes()
    state = read_crawl_state(tmp_path)
    assert state == {
        "cursors": {
            "backfill": {"value": "2020Q1", "updated_at": "2024-04-01"},
            "daily-index": {"value": "2024-05-01", "updated_at": "2024-05-02T01:30"},
        },
        "last_crawl_at": "2024-05-02T01:30",
        "last_indexed_at": None,
    }
    assert path.read_bytes() == before


def test_an_unreadable_ledger_is_reported(tmp_path: Path) -> None:
    DataFolder(tmp_path).ledger.write_bytes(b"this is not a database" * 100)
    state = read_crawl_state(tmp_path)
    assert state is not None
    assert "cannot read" in str(state["error"])


def test_the_folder_names_each_part(tmp_path: Path) -> None:
    folder = DataFolder(tmp_path)
    assert {
        folder.ledger.name,
        folder.raw.name,
        folder.companies.name,
        folder.ticker_map.name,
        folder.elasticsearch.name,
    } == {"crawl-state.sqlite3", "raw", "companies", "company_tickers.json", "elasticsearch"}
    assert all(
        p.parent == tmp_path
        for p in (folder.ledger, folder.raw, folder.companies, folder.ticker_map)
    )
