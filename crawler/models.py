"""Records the crawler passes between discovery, download and the ledger.

``FilingRef`` is one filing as a discovery source lists it (an index row, a feed entry, a
submissions-JSON row). ``BadLine`` is an index line that could not be understood; it is
recorded with its reason and never stops a crawl.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class FilingRef:
    """One filing as listed by a discovery source."""

    accession: str
    """Dashed accession number, ``0000320193-24-000061``."""
    cik: str
    """10-digit zero-padded CIK of the company the listing files it under."""
    form: str
    """Form type as listed (``UPLOAD``, ``CORRESP``, ...)."""
    company_name: str
    filing_date: date
    """EDGAR's filing date: for letters, the letter's date (not when it became public)."""
    source: str
    """Discovery source: ``daily-index``, ``full-index``, ``submissions``, ``feed``, ``import``."""
    listed_on: date | None = None
    """The index or feed day that listed the filing (its dissemination day) when known."""
    report_date: date | None = None
    """The submissions JSON's ``reportDate`` (period of a report, event date of an 8-K)."""
    file_number: str | None = None
    """The submissions JSON's ``fileNumber`` (a registration statement's 333- number)."""


@dataclass(frozen=True, slots=True)
class BadLine:
    """A line of an index file that could not be parsed."""

    line_no: int
    line: str
    reason: str
