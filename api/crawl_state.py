"""The crawler's ledger, read for ``/health``: cursors and the last indexing, read-only.

The ledger (``{data_dir}/crawl-state.sqlite3``) belongs to the crawler, which the API never
imports; it is opened here with the standard library in read-only mode, only to report when
the crawl last advanced. A missing file is normal (no crawl yet); an unreadable one is
reported, never fatal.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

__all__ = ["LEDGER_NAME", "read_crawl_state"]

LEDGER_NAME = "crawl-state.sqlite3"


def read_crawl_state(data_dir: Path) -> dict[str, Any] | None:
    """Cursors, the last crawl and the last indexing; ``None`` when there is no ledger."""
    path = data_dir / LEDGER_NAME
    if not path.is_file():
        return None
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            cursors = {
                name: {"value": value, "updated_at": updated_at}
                for name, value, updated_at in db.execute(
                    "SELECT name, value, updated_at FROM cursors ORDER BY name"
                )
            }
            (last_indexed_at,) = db.execute("SELECT max(ingested_at) FROM filings").fetchone()
    except sqlite3.Error as exc:
        return {"error": f"cannot read {path.name}: {exc}"}
    updates = [cursor["updated_at"] for cursor in cursors.values() if cursor["updated_at"]]
    return {
        "cursors": cursors,
        "last_crawl_at": max(updates, default=None),
        "last_indexed_at": last_indexed_at,
    }
