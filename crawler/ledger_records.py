"""What the crawl ledger (``crawler/state.py``) answers with: filings to download, filings in
the raw store, a discovery step's counts and the ledger's summary for ``corresp status``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

__all__ = ["DiscoveryCount", "PendingFiling", "StatusSummary", "StoredFiling"]


@dataclass(frozen=True)
class PendingFiling:
    """A filing to download."""

    accession: str
    cik: str
    form: str
    attempts: int
    seq: int = field(default=0, compare=False)
    """Its place in the ledger (first sighting order), for paging through due filings."""


@dataclass(frozen=True)
class StoredFiling:
    """A filing in the raw store, with the ledger's facts about it."""

    accession: str
    cik: str
    form: str
    company: str | None
    filing_date: date | None
    released_on: date | None
    first_seen_at: datetime
    raw_path: str


@dataclass(frozen=True)
class DiscoveryCount:
    new: int
    known: int


@dataclass(frozen=True)
class StatusSummary:
    counts: dict[str, int]
    cursors: dict[str, str]
    parked: list[dict[str, str]]
    retrying: int
    problems: list[dict[str, str]]
    problem_count: int
    not_indexed: list[dict[str, str]] = field(default_factory=list)
    """Stored filings whose last indexing failed, with the reason (they are tried again)."""
