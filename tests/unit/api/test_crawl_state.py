"""The crawl ledger read for /health: read-only, optional, never fatal."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from api.crawl_state import LEDGER_NAME, read_crawl_state


def test_no_ledger_is_none(tmp_path: Path) -> None:
    assert read_crawl_state(tmp_path) is None


def test_cursors_and_last_dates(tmp_path: Path) -> None:
    path = tmp_path / LEDGER_NAME
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
    (tmp_path / LEDGER_NAME).write_bytes(b"this is not a database" * 100)
    state = read_crawl_state(tmp_path)
    assert state is not None
    assert "cannot read" in state["error"]
