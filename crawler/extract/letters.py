"""From a filing (full submission, document folder or single file) to an ``IncomingLetter``.

The letter is the filing's primary document: for a staff letter (UPLOAD), SEC's
TEXT-EXTRACT when present, else the PDF's text layer; for a company letter, the document
whose type is the form (``CORRESP``), else ``filename1.*``. Identity and dates come from the
SGML header when there is one. Text extraction never raises: a letter that cannot be read
arrives with ``text_source = none`` and the reason in ``extraction_warnings``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

from crawler.edgar.sgml import Submission, SubmissionDocument, parse_submission
from crawler.extract.html import extract_html_text
from crawler.extract.pdf import extract_pdf_text
from crawler.extract.plaintext import extract_plain_text
from crawler.extract.result import ExtractedText
from indexer.incoming import DocumentInfo, IncomingLetter, TextSource
from indexer.models import normalize_accession, normalize_cik

__all__ = [
    "extract_document",
    "letter_from_documents",
    "letter_from_file",
    "letter_from_folder",
    "letter_from_submission",
]

_TEXT_EXTRACT = "TEXT-EXTRACT"
_HTML_START = re.compile(rb"<(?:!doctype|html|body|div|p|table|font|br)\b", re.IGNORECASE)
_SGML_TYPE = re.compile(rb"^\s*<DOCUMENT>\s*<TYPE>([^\s<]+)", re.IGNORECASE)
_SEC_GENERATED_PREFIX = "0000000000-"
_SUBMISSION_STARTS = (b"<SEC-DOCUMENT>", b"<SUBMISSION>", b"-----BEGIN PRIVACY-ENHANCED")


def extract_document(name: str, data: bytes, *, text_extract: bool = False) -> ExtractedText:
    """Text of one document, by its content (a PDF, HTML, or plain text)."""
    if data[:1024].lstrip().startswith(b"%PDF"):
        return extract_pdf_text(data)
    if text_extract:
        return extract_plain_text(data, text_extract=True)
    if name.lower().endswith((".htm", ".html")) or _HTML_START.search(data[:4096]):
        return extract_html_text(data)
    return extract_plain_text(data)


def letter_from_submission(
    submission: Submission,
    *,
    source_url: str | None = None,
    released_on: date | None = None,
    first_seen_at: datetime | None = None,
) -> IncomingLetter:
    """The letter of a parsed full submission (``.txt`` or ``.nc``)."""
    header = submission.header
    documents = submission.documents
    extracted, primary = _choose_submission_text(header.form, documents)
    party = next((p for p in header.parties if p.cik), None)
    ciks = tuple(dict.fromkeys(p.cik for p in header.parties if p.cik))
    return IncomingLetter(
        accession=submission.accession,
        form=header.form,
        text=extracted.text,
        text_source=extracted.source,
        ciks=ciks,
        company=party.name if party else None,
        filing_date=header.filed_as_of,
        accepted_at=header.accepted_at,
        released_on=released_on or (header.sec_document_date if header.private_to_public else None),
        first_seen_at=first_seen_at,
        header_file_numbers=tuple(header.file_numbers),
        public_reference_accession=header.public_reference_accession,
        office_code=party.organization_name if party else None,
        sic=party.sic_code if party else None,
        state_of_incorporation=party.state_of_incorporation if party else None,
        fiscal_year_end=party.fiscal_year_end if party else None,
        documents=tuple(
            DocumentInfo(d.filename or d.label, d.type, len(d.content)) for d in documents
        ),
        primary_document=primary,
        source_url=source_url,
        extraction_warnings=extracted.warnings,
    )


def _choose_submission_text(
    form: str, documents: list[SubmissionDocument]
) -> tuple[ExtractedText, str | None]:
    if form == "UPLOAD":
        for document in documents:
            if document.type == _TEXT_EXTRACT and document.content.strip():
                name = document.filename or document.label
                return extract_plain_text(document.content, text_extract=True), name
    candidates = (
        [d for d in documents if d.type == form]
        or [d for d in documents if (d.filename or "").lower().startswith("filename1")]
        or [d for d in documents if d.type not in ("GRAPHIC", "ZIP", "EXCEL", "XML")]
    )
    if not candidates:
        return ExtractedText("", TextSource.NONE, ("no letter document in the filing",)), None
    document = candidates[0]
    name = document.filename or document.label
    return extract_document(name, document.content), name


def letter_from_documents(
    accession: str,
    documents: Mapping[str, bytes],
    *,
    form: str | None = None,
    ciks: tuple[str, ...] = (),
    company: str | None = None,
    filing_date: date | None = None,
    released_on: date | None = None,
    first_seen_at: datetime | None = None,
    source_url: str | None = None,
) -> IncomingLetter:
    """The letter of a filing folder: its documents by name (``index.json`` optional)."""
    if re.fullmatch(r"[0-9]{10}-?[0-9]{2}-?[0-9]{6}", accession):
        accession = normalize_accession(accession)
    names = sorted(name for name in documents if name != "index.json")
    form = form or _guess_form(accession, documents, names)
    warnings: list[str] = []
    primary = next((n for n in names if n.lower().startswith("filename1")), None) or next(
        (n for n in names if n.lower().endswith((".pdf", ".htm", ".html", ".txt"))), None
    )
    extract_name = "filename2.txt" if form == "UPLOAD" and "filename2.txt" in documents else None
    if extract_name:
        extracted = extract_plain_text(documents[extract_name], text_extract=True)
        primary = extract_name
    elif primary is not None:
        extracted = extract_document(primary, documents[primary])
    else:
        extracted = ExtractedText("", TextSource.NONE, ("no letter document in the folder",))
    if filing_date is None and "index.json" in documents:
        filing_date = _listing_date(documents["index.json"])
    if form is None:
        warnings.append("form unknown: not UPLOAD by its accession and no <TYPE> wrapper")
    return IncomingLetter(
        accession=accession,
        form=form or "UNKNOWN",
        text=extracted.text,
        text_source=extracted.source,
        ciks=ciks,
        company=company,
        filing_date=filing_date,
        released_on=released_on,
        first_seen_at=first_seen_at,
        documents=tuple(DocumentInfo(n, None, len(documents[n])) for n in names),
        primary_document=primary,
        source_url=source_url,
        extraction_warnings=(*extracted.warnings, *warnings),
    )


def _guess_form(accession: str, documents: Mapping[str, bytes], names: list[str]) -> str | None:
    for name in names:
        match = _SGML_TYPE.match(documents[name][:200])
        if match:
            return match.group(1).decode("ascii", "replace").upper()
    return "UPLOAD" if accession.startswith(_SEC_GENERATED_PREFIX) else None


def _listing_date(listing: bytes) -> date | None:
    try:
        items = json.loads(listing)["directory"]["item"]
        moments = [datetime.strptime(i["last-modified"], "%Y-%m-%d %H:%M:%S") for i in items]
    except (ValueError, KeyError, TypeError, RecursionError):  # RecursionError: deep nesting
        return None
    return min(moments).date() if moments else None


def letter_from_file(path: Path, *, form: str | None = None) -> IncomingLetter:
    """A letter from a file: a ``.txt``/``.nc`` submission, or one document (``form`` given)."""
    data = path.read_bytes()
    if data.lstrip()[:64].startswith(_SUBMISSION_STARTS):
        return letter_from_submission(parse_submission(data, source=str(path)))
    accession, ciks = _identity_from_path(path.parent, fallback=path.stem)
    return letter_from_documents(accession, {path.name: data}, form=form, ciks=ciks)


def letter_from_folder(folder: Path, *, form: str | None = None) -> IncomingLetter:
    """A letter from a filing folder in EDGAR's layout (``…/CIK/ACCESSION/``)."""
    documents = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
    accession, ciks = _identity_from_path(folder, fallback=folder.name)
    return letter_from_documents(accession, documents, form=form, ciks=ciks)


def _identity_from_path(folder: Path, *, fallback: str) -> tuple[str, tuple[str, ...]]:
    """Accession and CIK from EDGAR's ``…/CIK/ACCESSION-NO-DASHES/`` layout, when present."""
    if re.fullmatch(r"[0-9]{18}", folder.name):
        ciks = (
            (normalize_cik(folder.parent.name),)
            if folder.parent.name.isascii() and folder.parent.name.isdigit()
            else ()
        )
        return normalize_accession(folder.name), ciks
    return fallback, ()
