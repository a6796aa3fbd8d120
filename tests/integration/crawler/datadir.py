"""An independent look at a crawler's data directory: what is stored, what the ledger says.

Reads the raw store's files and the ledger's SQLite table directly (not through the
crawler's own classes), so the fault and crash tests check the crawler's result with code
that shares none of its logic.
"""

from __future__ import annotations

import gzip
import hashlib
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

LEDGER = "crawl-state.sqlite3"
# Facts that must be the same whatever interruptions the crawl went through (not times,
# attempt counts or errors of retried failures).
_STABLE = "accession, cik, form, filing_date, status, raw_path, raw_sha256, raw_bytes"


@dataclass(frozen=True)
class DataDir:
    """The raw store's complete files and the ledger's stable facts, by accession."""

    stored: dict[str, bytes]
    """Original bytes of every complete stored submission (``*.txt.gz``)."""
    ledger: dict[str, tuple[object, ...]]
    temporaries: list[Path]
    """Leftover ``.tmp-*`` files or folders."""

    @property
    def fetched(self) -> set[str]:
        return {accession for accession, row in self.ledger.items() if row[4] == "fetched"}

    def problems(self) -> list[str]:
        """Every way the store and the ledger disagree (empty when consistent)."""
        found = []
        for accession in sorted(self.fetched):
            row = self.ledger[accession]
            data = self.stored.get(accession)
            if data is None:
                found.append(f"{accession}: ledger says fetched, no complete file stored")
            elif hashlib.sha256(data).hexdigest() != row[6] or len(data) != row[7]:
                found.append(f"{accession}: stored bytes differ from the ledger's digest/size")
        for accession in sorted(set(self.stored) - set(self.ledger)):
            found.append(f"{accession}: stored but unknown to the ledger")
        return found


def read_data_dir(data_dir: Path) -> DataDir:
    raw = data_dir / "raw"
    stored = {
        path.name.removesuffix(".txt.gz"): gzip.decompress(path.read_bytes())
        for path in raw.glob("*/*/*.txt.gz")
    }
    ledger: dict[str, tuple[object, ...]] = {}
    if (data_dir / LEDGER).exists():
        with closing(_read_only(data_dir)) as db:
            for row in db.execute(f"SELECT {_STABLE} FROM filings"):
                ledger[row[0]] = tuple(row)
    return DataDir(stored, ledger, sorted(raw.glob("*/*/.tmp-*")))


def fetched_count(data_dir: Path) -> int:
    """Filings the ledger records as fetched (the ledger only; the store is not read)."""
    return _count(data_dir, "status = 'fetched'")


def awaiting_index(data_dir: Path) -> int:
    """Fetched filings the ledger does not yet record as indexed."""
    return _count(data_dir, "status = 'fetched' AND ingested_at IS NULL")


def _count(data_dir: Path, condition: str) -> int:
    if not (data_dir / LEDGER).exists():
        return 0
    with closing(_read_only(data_dir)) as db:
        return int(db.execute(f"SELECT COUNT(*) FROM filings WHERE {condition}").fetchone()[0])


def failures(data_dir: Path) -> dict[str, str | None]:
    """Accession -> last recorded error of every filing not fetched."""
    with closing(_read_only(data_dir)) as db:
        rows = db.execute("SELECT accession, last_error FROM filings WHERE status != 'fetched'")
        return dict(rows.fetchall())


def _read_only(data_dir: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{data_dir / LEDGER}?mode=ro", uri=True)
