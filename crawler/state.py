"""The crawl ledger: every filing seen, its three dates and status, cursors and problems.

SQLite in WAL mode, one connection shared under a lock (writes are tiny). Each discovery
step commits its filings and its cursor in one transaction, so a crawl killed at any instant
resumes exactly where its last commit left it: nothing is lost (the raw store is written
before the ledger, and an already-stored filing is adopted, not downloaded again) and
nothing is counted twice (the accession is the primary key).

Filing statuses: ``pending`` (to download; ``next_attempt_at`` delays retries), ``fetched``
(raw bytes stored, awaiting ingest), ``ingested``, and ``failed`` (parked after
``max_attempts`` with its last error; shown by ``corresp status``, retried by ``--retry-failed``).
"""

from __future__ import annotations

import errno
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from crawler.errors import StorageError
from crawler.ledger_records import DiscoveryCount, PendingFiling, StatusSummary, StoredFiling
from crawler.models import FilingRef

__all__ = ["CrawlState", "DiscoveryCount", "PendingFiling", "StatusSummary", "StoredFiling"]

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS filings (
    accession TEXT PRIMARY KEY,
    cik TEXT NOT NULL,
    form TEXT NOT NULL,
    company_name TEXT NOT NULL DEFAULT '',
    filing_date TEXT,
    disseminated_on TEXT,
    disseminated_source TEXT,
    first_seen_at TEXT NOT NULL,
    source TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    next_attempt_at TEXT,
    raw_path TEXT,
    raw_sha256 TEXT,
    raw_bytes INTEGER,
    fetched_at TEXT,
    ingest_attempts INTEGER NOT NULL DEFAULT 0,
    ingest_error TEXT,
    ingested_at TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS filings_due ON filings (status, next_attempt_at);
CREATE TABLE IF NOT EXISTS cursors (
    name TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS http_cache (
    url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, checked_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS problems (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    accession TEXT,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (source, kind, detail)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


class CrawlState:
    """The ledger at ``path`` (created on first use)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=30000")
            self._db.executescript(_SCHEMA)
            self._db.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )
        except OSError as exc:
            raise StorageError.from_os_error(path, exc) from exc
        except sqlite3.Error as exc:
            raise _storage_error(path, exc) from exc

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: everything inside commits together or not at all.

        A ledger that cannot be written (disk full, read-only, locked for too long) raises
        ``StorageError``; the write is rolled back whole.
        """
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                    self._db.execute("COMMIT")
                except BaseException:
                    if self._db.in_transaction:
                        self._db.execute("ROLLBACK")
                    raise
            except sqlite3.OperationalError as exc:
                raise _storage_error(self.path, exc) from exc

    # -- discovery -------------------------------------------------------------------------

    def record_discovered(
        self,
        refs: Iterable[FilingRef],
        *,
        cursor: tuple[str, str] | None = None,
        validators: tuple[str, str | None, str | None] | None = None,
        seen_at: datetime | None = None,
    ) -> DiscoveryCount:
        """Add new filings as ``pending``; keep the earliest dissemination day of known ones.

        ``cursor`` (name, value) and the source file's ``validators`` (url, ETag,
        Last-Modified) are stored in the same transaction, so a file is never marked as read
        unless its filings are recorded.
        """
        seen = _iso(seen_at or _now())
        new = known = 0
        with self.transaction() as db:
            for ref in refs:
                listed = ref.listed_on.isoformat() if ref.listed_on else None
                inserted = db.execute(
                    """INSERT OR IGNORE INTO filings (accession, cik, form, company_name,
                       filing_date, disseminated_on, disseminated_source, first_seen_at, source,
                       updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    (
                        ref.accession,
                        ref.cik,
                        ref.form,
                        ref.company_name,
                        ref.filing_date.isoformat(),
                        listed,
                        ref.source if listed else None,
                        seen,
                        ref.source,
                        seen,
                    ),
                ).rowcount
                if inserted:
                    new += 1
                    continue
                known += 1
                if listed:
                    db.execute(
                        """UPDATE filings SET disseminated_on = ?, disseminated_source = ?,
                           updated_at = ? WHERE accession = ? AND (disseminated_on IS NULL
                           OR disseminated_on > ?)""",
                        (listed, ref.source, seen, ref.accession, listed),
                    )
            if cursor is not None:
                self._set_cursor(db, *cursor)
            if validators is not None:
                self._remember_validators(db, *validators)
        return DiscoveryCount(new, known)

    def stored_among(self, accessions: Iterable[str]) -> set[str]:
        """Those of ``accessions`` whose raw bytes are stored (fetched or ingested)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT accession FROM filings WHERE status IN ('fetched', 'ingested') "
                "AND accession IN (SELECT value FROM json_each(?))",
                (json.dumps(list(accessions)),),
            )
            return {row[0] for row in rows}

    def known_accessions(self, accessions: Iterable[str]) -> set[str]:
        with self._lock:
            rows = self._db.execute(
                "SELECT accession FROM filings WHERE accession IN (SELECT value FROM json_each(?))",
                (json.dumps(list(accessions)),),
            )
            return {row[0] for row in rows}

    # -- downloading -----------------------------------------------------------------------

    def due_filings(
        self,
        *,
        forms: Iterable[str],
        limit: int | None = None,
        now: datetime | None = None,
        after: int = 0,
    ) -> list[PendingFiling]:
        """Pending filings of ``forms`` whose next attempt is due, oldest sighting first.

        ``after`` (a ``seq`` returned before) pages on: only filings first seen after that
        one, so a pass reads the due filings once each while discovery adds new ones."""
        query = (
            "SELECT rowid, accession, cik, form, attempts FROM filings WHERE status = 'pending' "
            "AND rowid > ? AND form IN (SELECT value FROM json_each(?)) "
            "AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY rowid LIMIT ?"
        )
        due_at, count = _iso(now or _now()), -1 if limit is None else limit
        params = (after, json.dumps(list(forms)), due_at, count)
        with self._lock:
            rows = self._db.execute(query, params).fetchall()
        return [
            PendingFiling(r["accession"], r["cik"], r["form"], r["attempts"], seq=r["rowid"])
            for r in rows
        ]

    def count_due(self, *, forms: Iterable[str], now: datetime | None = None) -> int:
        with self._lock:
            row = self._db.execute(
                "SELECT COUNT(*) FROM filings WHERE status = 'pending' "
                "AND form IN (SELECT value FROM json_each(?)) "
                "AND (next_attempt_at IS NULL OR next_attempt_at <= ?)",
                (json.dumps(list(forms)), _iso(now or _now())),
            ).fetchone()
        return int(row[0])

    def mark_fetched(
        self,
        accession: str,
        *,
        raw_path: str,
        raw_sha256: str,
        raw_bytes: int,
        filing_date: date | None,
        released_on: date | None,
    ) -> None:
        """Record stored raw bytes; fill dates the listing lacked from the SEC header."""
        now = _iso(_now())
        with self.transaction() as db:
            db.execute(
                """UPDATE filings SET status = 'fetched', raw_path = ?, raw_sha256 = ?,
                   raw_bytes = ?, fetched_at = ?, last_error = NULL, next_attempt_at = NULL,
                   filing_date = COALESCE(filing_date, ?),
                   disseminated_source = CASE WHEN disseminated_on IS NULL AND ? IS NOT NULL
                       THEN 'sec-header' ELSE disseminated_source END,
                   disseminated_on = COALESCE(disseminated_on, ?),
                   updated_at = ? WHERE accession = ?""",
                (
                    raw_path,
                    raw_sha256,
                    raw_bytes,
                    now,
                    filing_date.isoformat() if filing_date else None,
                    released_on.isoformat() if released_on else None,
                    released_on.isoformat() if released_on else None,
                    now,
                    accession,
                ),
            )

    def record_failure(
        self, accession: str, reason: str, *, max_attempts: int, retry_after: timedelta
    ) -> bool:
        """Count a failed attempt; park the filing after ``max_attempts``. True if parked."""
        now = _now()
        with self.transaction() as db:
            row = db.execute(
                "SELECT attempts FROM filings WHERE accession = ?", (accession,)
            ).fetchone()
            attempts = (row["attempts"] if row else 0) + 1
            parked = attempts >= max_attempts
            db.execute(
                """UPDATE filings SET attempts = ?, last_error = ?, status = ?,
                   next_attempt_at = ?, updated_at = ? WHERE accession = ?""",
                (
                    attempts,
                    reason[:2000],
                    "failed" if parked else "pending",
                    None if parked else _iso(now + retry_after * 2 ** (attempts - 1)),
                    _iso(now),
                    accession,
                ),
            )
        return parked

    def retry_failed(self) -> int:
        """Put every parked filing back in the queue with a fresh attempt count."""
        with self.transaction() as db:
            return db.execute(
                """UPDATE filings SET status = 'pending', attempts = 0, next_attempt_at = NULL,
                   updated_at = ? WHERE status = 'failed'""",
                (_iso(_now()),),
            ).rowcount

    # -- ingest hand-off -------------------------------------------------------------------

    def stored_filings(
        self,
        *,
        only_pending_ingest: bool,
        limit: int | None = None,
        skip: Iterable[str] = (),
    ) -> list[StoredFiling]:
        """Filings whose raw bytes are stored: awaiting ingest, or all (for a reindex);
        ``skip`` leaves out accessions already tried in this pass."""
        statuses = ("fetched",) if only_pending_ingest else ("fetched", "ingested")
        with self._lock:
            rows = self._db.execute(
                "SELECT accession, cik, form, company_name, filing_date, disseminated_on, "
                "first_seen_at, raw_path FROM filings WHERE status IN "
                "(SELECT value FROM json_each(?)) AND accession NOT IN "
                "(SELECT value FROM json_each(?)) ORDER BY rowid LIMIT ?",
                (json.dumps(statuses), json.dumps(list(skip)), -1 if limit is None else limit),
            ).fetchall()
        return [
            StoredFiling(
                accession=row["accession"],
                cik=row["cik"],
                form=row["form"],
                company=row["company_name"] or None,
                filing_date=date.fromisoformat(row["filing_date"]) if row["filing_date"] else None,
                released_on=date.fromisoformat(row["disseminated_on"])
                if row["disseminated_on"]
                else None,
                first_seen_at=datetime.fromisoformat(row["first_seen_at"]),
                raw_path=row["raw_path"],
            )
            for row in rows
        ]

    def count_awaiting_ingest(self) -> int:
        with self._lock:
            row = self._db.execute("SELECT COUNT(*) FROM filings WHERE status = 'fetched'")
            return int(row.fetchone()[0])

    def mark_ingested(self, accessions: Iterable[str]) -> None:
        now = _iso(_now())
        with self.transaction() as db:
            db.executemany(
                """UPDATE filings SET status = 'ingested', ingested_at = ?, ingest_error = NULL,
                   updated_at = ? WHERE accession = ?""",
                [(now, now, accession) for accession in accessions],
            )

    def record_ingest_failure(self, accessions: Iterable[str], reason: str) -> None:
        now = _iso(_now())
        with self.transaction() as db:
            db.executemany(
                """UPDATE filings SET ingest_attempts = ingest_attempts + 1, ingest_error = ?,
                   updated_at = ? WHERE accession = ?""",
                [(reason[:2000], now, accession) for accession in accessions],
            )

    def mark_unreadable(self, accession: str, reason: str) -> None:
        """Its stored bytes could not be read back: it waits for indexing, with the reason."""
        now = _iso(_now())
        with self.transaction() as db:
            db.execute(
                """UPDATE filings SET status = 'fetched', ingest_attempts = ingest_attempts + 1,
                   ingest_error = ?, updated_at = ? WHERE accession = ?""",
                (reason[:2000], now, accession),
            )

    # -- cursors, conditional-request cache, problems ---------------------------------------

    def cursor(self, name: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM cursors WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def set_cursor(self, name: str, value: str) -> None:
        with self.transaction() as db:
            self._set_cursor(db, name, value)

    @staticmethod
    def _set_cursor(db: sqlite3.Connection, name: str, value: str) -> None:
        db.execute(
            "INSERT INTO cursors (name, value, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value, "
            "updated_at = excluded.updated_at",
            (name, value, _iso(_now())),
        )

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified last seen for ``url``."""
        with self._lock:
            row = self._db.execute(
                "SELECT etag, last_modified FROM http_cache WHERE url = ?", (url,)
            ).fetchone()
        return (row[0], row[1]) if row else (None, None)

    @staticmethod
    def _remember_validators(
        db: sqlite3.Connection, url: str, etag: str | None, last_modified: str | None
    ) -> None:
        db.execute(
            "INSERT INTO http_cache (url, etag, last_modified, checked_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, "
            "last_modified = excluded.last_modified, checked_at = excluded.checked_at",
            (url, etag, last_modified, _iso(_now())),
        )

    def record_problem(
        self, source: str, kind: str, detail: str, *, accession: str | None = None
    ) -> None:
        """Record something that could not be understood; the crawl goes on."""
        with self.transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO problems (source, accession, kind, detail, recorded_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (source, accession, kind, detail[:2000], _iso(_now())),
            )

    # -- reporting ---------------------------------------------------------------------------

    def summary(self, *, limit: int = 20) -> StatusSummary:
        with self._lock:
            db = self._db
            counts = dict(db.execute("SELECT status, COUNT(*) FROM filings GROUP BY status"))
            cursors = dict(db.execute("SELECT name, value FROM cursors ORDER BY name"))
            parked = [
                dict(row)
                for row in db.execute(
                    "SELECT accession, cik, form, attempts, last_error, updated_at FROM filings "
                    "WHERE status = 'failed' ORDER BY updated_at DESC LIMIT ?",
                    (limit,),
                )
            ]
            retrying = db.execute(
                "SELECT COUNT(*) FROM filings WHERE status = 'pending' AND attempts > 0"
            ).fetchone()[0]
            problems = [
                dict(row)
                for row in db.execute(
                    "SELECT source, accession, kind, detail, recorded_at FROM problems "
                    "ORDER BY id DESC LIMIT ?",
                    (limit,),
                )
            ]
            problem_count = db.execute("SELECT COUNT(*) FROM problems").fetchone()[0]
            not_indexed = [
                dict(row)
                for row in db.execute(
                    "SELECT accession, cik, form, ingest_attempts, ingest_error, updated_at "
                    "FROM filings WHERE status = 'fetched' AND ingest_error IS NOT NULL "
                    "ORDER BY updated_at DESC LIMIT ?",
                    (limit,),
                )
            ]
        return StatusSummary(
            counts, cursors, parked, retrying, problems, problem_count, not_indexed
        )

    def stored_accessions(self) -> set[str]:
        """Accessions whose raw bytes are stored (fetched or ingested)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT accession FROM filings WHERE status IN ('fetched', 'ingested')"
            )
            return {row[0] for row in rows}


def _storage_error(path: Path, exc: sqlite3.Error) -> StorageError:
    """The ledger's SQLite error as a ``StorageError`` saying what to do."""
    message = f"ledger: {exc}"
    if "locked" in message:
        return StorageError(path, f"{message} (is a second crawler using it?)")
    if "readonly" in message or "unable to open" in message:
        return StorageError(path, f"{message} (make storage.data_dir writable and run again)")
    return StorageError.explained(path, message, errno.ENOSPC if "full" in message else None)
