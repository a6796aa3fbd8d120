"""What the crawler hands the indexer for each letter: ``IncomingLetter``.

It carries the letter's identity and dates from EDGAR (header, ledger) and the text extracted
from its primary document, with the source of that text. Everything derived from the text
(letter type, file numbers, comments, threads) is computed in ``indexer/normalize/`` from this
record, so it can be recomputed at any time from the raw store without contacting SEC.

Text conventions, shared by every extractor: paragraphs are separated by a blank line, lines
inside a paragraph by ``\\n``, pages by a form feed (``\\f``) on its own line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

__all__ = ["DocumentInfo", "IncomingLetter", "ListedFiling", "TextSource"]


class TextSource(StrEnum):
    """Where a letter's text came from."""

    TEXT_EXTRACT = "text_extract"
    """SEC's own plain-text rendering of a staff letter's PDF (``TEXT-EXTRACT``)."""
    PDF_TEXT = "pdf_text"
    """The PDF's text layer."""
    HTML = "html"
    PLAIN = "plain"
    OCR = "ocr"
    """Read from the page images of a scanned PDF by OCR (see ``text_confidence``)."""
    NONE = "none"
    """No usable text: a scan that could not be read, or no letter document."""


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """One document of the filing."""

    name: str
    type: str | None
    size: int


@dataclass(frozen=True, slots=True)
class ListedFiling:
    """One filing of the company as EDGAR lists it (its submissions JSON): what a reviewed
    filing named in a Re: block is resolved against."""

    accession: str
    form: str
    filed_on: date
    period: date | None = None
    """EDGAR's ``reportDate``: the period of a report, the event date of an 8-K."""
    file_number: str | None = None
    """EDGAR's ``fileNumber`` (normalized): a registration statement's own number."""


@dataclass(frozen=True, slots=True)
class IncomingLetter:
    """One correspondence filing, ready to normalize."""

    accession: str
    form: str
    """``UPLOAD``, ``CORRESP`` or ``DRSLTR``."""
    text: str
    text_source: TextSource
    ciks: tuple[str, ...] = ()
    """10-digit CIKs of the companies the filing is filed under or for, header order."""
    company: str | None = None
    filing_date: date | None = None
    accepted_at: datetime | None = None
    released_on: date | None = None
    """The day EDGAR first listed the filing (its dissemination day), when known."""
    first_seen_at: datetime | None = None
    header_file_numbers: tuple[str, ...] = ()
    """Normalized ``SEC FILE NUMBER`` values of the SGML header (UPLOAD only)."""
    public_reference_accession: str | None = None
    """The filing under review, from an UPLOAD header."""
    office_code: str | None = None
    """The header's ``ORGANIZATION NAME``, e.g. ``06 Technology`` (the company's office)."""
    sic: str | None = None
    state_of_incorporation: str | None = None
    fiscal_year_end: str | None = None
    documents: tuple[DocumentInfo, ...] = ()
    primary_document: str | None = None
    source_url: str | None = None
    extraction_warnings: tuple[str, ...] = field(default=())
    text_confidence: float | None = None
    """OCR's mean word confidence (0-100) for text read from a scan."""
    filed_within: str | None = None
    """For a letter filed as a document inside another submission: that submission
    (``S-1/A 0001193125-10-099603``)."""
    company_filings: tuple[ListedFiling, ...] = ()
    """The company's filings, when the crawler has its submissions JSON (one shared tuple per
    company), to resolve the reviewed filings to their accessions."""
