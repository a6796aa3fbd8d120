"""The data folder (``storage.data_dir``): where each part keeps its files, and crawl progress.

::

    <data_dir>/
      crawl-state.sqlite3    the crawl ledger            written by crawler/state.py
      raw/                   original EDGAR bytes        crawler/store.py
      companies/             submissions JSON by company crawler/company_filings.py
      company_tickers.json   SEC's ticker map            crawler/ticker_map.py (read by watchlists)
      secret.key             key of webhook secrets      indexer/watchlists/secrets.py (mode 0600)
      elasticsearch/         the managed node's files    indexer/node/paths.py

Every path under the data folder is named here and nowhere else. The ledger belongs to the
crawler; ``crawl_progress`` is the read-only view of it that the API reports on ``/health``:
it opens the file read-only with the standard library and reads only the two facts the
crawler keeps for it (the ``cursors`` table, and ``filings.ingested_at``). A missing ledger is
normal (nothing crawled yet); an unreadable one is reported, never raised.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CrawlCursor", "CrawlProgress", "DataFolder", "crawl_progress"]


@dataclass(frozen=True)
class DataFolder:
    """The files of one data folder."""

    root: Path

    @property
    def ledger(self) -> Path:
        return self.root / "crawl-state.sqlite3"

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def companies(self) -> Path:
        return self.root / "companies"

    @property
    def ticker_map(self) -> Path:
        return self.root / "company_tickers.json"

    @property
    def secret_key(self) -> Path:
        return self.root / "secret.key"

    @property
    def elasticsearch(self) -> Path:
        return self.root / "elasticsearch"


@dataclass(frozen=True)
class CrawlCursor:
    value: str
    updated_at: str | None


@dataclass(frozen=True)
class CrawlProgress:
    """Where the crawl stands: its cursors, when it last advanced and last indexed."""

    cursors: dict[str, CrawlCursor]
    last_indexed_at: str | None
    error: str | None = None
    """Why the ledger could not be read (the other fields are then empty)."""

    @property
    def last_crawl_at(self) -> str | None:
        return max((c.updated_at for c in self.cursors.values() if c.updated_at), default=None)

    def to_dict(self) -> dict[str, object]:
        if self.error is not None:
            return {"error": self.error}
        return {
            "cursors": {
                name: {"value": c.value, "updated_at": c.updated_at}
                for name, c in self.cursors.items()
            },
            "last_crawl_at": self.last_crawl_at,
            "last_indexed_at": self.last_indexed_at,
        }


def crawl_progress(folder: DataFolder) -> CrawlProgress | None:
    """The ledger's cursors and last indexing, read-only; ``None`` when there is no ledger."""
    path = folder.ledger
    if not path.is_file():
        return None
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            cursors = {
                str(name): CrawlCursor(str(value), updated_at)
                for name, value, updated_at in db.execute(
                    "SELECT name, value, updated_at FROM cursors ORDER BY name"
                )
            }
            (last_indexed_at,) = db.execute("SELECT max(ingested_at) FROM filings").fetchone()
    except sqlite3.Error as exc:
        return CrawlProgress({}, None, error=f"cannot read {path.name}: {exc}")
    return CrawlProgress(cursors, last_indexed_at)
