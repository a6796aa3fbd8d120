"""Paths of the EDGAR objects the crawler fetches (``edgar.md`` §3).

Every builder returns a path starting with ``/``; the caller joins it to the configured base URL
of the right host (``www.sec.gov`` for ``/Archives`` and ``/cgi-bin``, ``data.sec.gov`` for
``/submissions``). Links shown to people are built in the core (``indexer.documents.edgar_url``).
Identifiers are normalized on the way in; an invalid CIK or accession raises ``ValueError``.
"""

from __future__ import annotations

from datetime import date
from typing import Literal
from urllib.parse import urlencode

from indexer.models import accession_folder, normalize_accession, normalize_cik

__all__ = [
    "FEED_PAGE_SIZES",
    "IndexFileKind",
    "current_feed_path",
    "daily_index_path",
    "document_path",
    "filing_folder_path",
    "filing_index_page_path",
    "full_index_path",
    "index_json_path",
    "submission_path",
    "submissions_json_path",
    "submissions_page_path",
]

IndexFileKind = Literal["form", "company", "master"]

FEED_PAGE_SIZES = frozenset({10, 20, 40, 80, 100})
"""The only ``count`` values the current-filings feed accepts."""

_QUARTERS = range(1, 5)


def daily_index_path(day: date, kind: IndexFileKind = "form") -> str:
    """``/Archives/edgar/daily-index/2020/QTR1/form.20200318.idx``."""
    quarter = (day.month - 1) // 3 + 1
    return f"/Archives/edgar/daily-index/{day.year}/QTR{quarter}/{kind}.{day:%Y%m%d}.idx"


def full_index_path(year: int, quarter: int, kind: IndexFileKind = "form") -> str:
    """``/Archives/edgar/full-index/2021/QTR1/form.idx``."""
    if quarter not in _QUARTERS:
        raise ValueError(f"quarter must be 1-4, got {quarter}")
    return f"/Archives/edgar/full-index/{year}/QTR{quarter}/{kind}.idx"


def filing_folder_path(cik: str | int, accession: str) -> str:
    """``/Archives/edgar/data/320193/000032019324000061/`` (CIK without leading zeros)."""
    return f"/Archives/edgar/data/{_unpadded_cik(cik)}/{accession_folder(accession)}/"


def submission_path(cik: str | int, accession: str) -> str:
    """The full submission: ``.../000032019324000061/0000320193-24-000061.txt``."""
    return document_path(cik, accession, f"{normalize_accession(accession)}.txt")


def index_json_path(cik: str | int, accession: str) -> str:
    """The folder listing: ``.../000032019324000061/index.json``."""
    return document_path(cik, accession, "index.json")


def document_path(cik: str | int, accession: str, filename: str) -> str:
    """One file of the filing folder: ``.../000000000024003505/filename1.pdf``."""
    if not filename or "/" in filename or filename in {".", ".."}:
        raise ValueError(f"not a file name inside a filing folder: {filename!r}")
    return filing_folder_path(cik, accession) + filename


def filing_index_page_path(cik: str | int, accession: str) -> str:
    """The human-readable page: ``.../000000000024003505/0000000000-24-003505-index.html``."""
    return document_path(cik, accession, f"{normalize_accession(accession)}-index.html")


def submissions_json_path(cik: str | int) -> str:
    """data.sec.gov: ``/submissions/CIK0000320193.json``."""
    return f"/submissions/CIK{normalize_cik(cik)}.json"


def submissions_page_path(name: str) -> str:
    """data.sec.gov: an older page listed in ``filings.files``, e.g.
    ``/submissions/CIK0000320193-submissions-001.json``."""
    if not name or "/" in name:
        raise ValueError(f"not a submissions page name: {name!r}")
    return f"/submissions/{name}"


def current_feed_path(form: str, start: int = 0, count: int = 100) -> str:
    """The current-filings Atom feed for one form type, one page of ``count`` entries."""
    if count not in FEED_PAGE_SIZES:
        raise ValueError(f"count must be one of {sorted(FEED_PAGE_SIZES)}, got {count}")
    if start < 0:
        raise ValueError(f"start must not be negative, got {start}")
    query = urlencode(
        {
            "action": "getcurrent",
            "type": form,
            "owner": "include",
            "count": count,
            "start": start,
            "output": "atom",
        }
    )
    return f"/cgi-bin/browse-edgar?{query}"


def _unpadded_cik(cik: str | int) -> str:
    return str(int(normalize_cik(cik)))
