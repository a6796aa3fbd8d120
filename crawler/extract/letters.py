"""From a filing (full submission, document folder or single file) to an ``IncomingLetter``.

The letter is the filing's primary document: for a staff letter (UPLOAD), SEC's
TEXT-EXTRACT when present, else the PDF's text layer; for a company letter, the document
whose type is the form (``CORRESP``), else ``filename1.*``. Identity and dates come from the
SGML header when there is one. Text extraction never raises: a letter that cannot be read
arrives with ``text_source = none`` and the reason in ``extraction_warnings``.

**Letters filed inside other submissions.** Before 2005, and now and then later, a response
letter was filed as a document of type CORRESP (or UPLOAD) inside an S-1/A or another
registration amendment. ``letters_in_submission`` returns, for a submission of any other form,
one letter per such document, a letter of the submission's company whose id is the accession
plus the document's sequence (``0001193125-10-099603.13``, see
``indexer.models.embedded_letter_id``). A filing folder whose letter document carries a
``<SEQUENCE>`` above 1 is such a document too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from crawler.edgar.sgml import Submission, SubmissionDocument, parse_submission
from crawler.extract.html import extract_html_text
from crawler.extract.ocr import OcrOptions
from crawler.extract.pdf import extract_pdf_text
from crawler.extract.plaintext import extract_plain_text
from crawler.extract.result import ExtractedText
from indexer.incoming import DocumentInfo, IncomingLetter, TextSource
from indexer.models import LETTER_FORMS, embedded_letter_id, normalize_accession, normalize_cik

__all__ = [
    "EMBEDDED_LETTER_TYPES",
    "extract_document",
    "letter_from_documents",
    "letter_from_file",
    "letter_from_folder",
    "letter_from_submission",
    "letters_from_file",
    "letters_in_submission",
]

EMBEDDED_LETTER_TYPES = frozenset(LETTER_FORMS)
"""Document types that are letters wherever they are filed."""

_TEXT_EXTRACT = "TEXT-EXTRACT"
_HTML_START = re.compile(rb"<(?:!doctype|html|body|div|p|table|font|br)\b", re.IGNORECASE)
_SGML_TYPE = re.compile(rb"^\s*<DOCUMENT>\s*<TYPE>([^\s<]+)", re.IGNORECASE)
_SGML_SEQUENCE = re.compile(rb"<SEQUENCE>\s*([0-9]{1,4})\b", re.IGNORECASE)
_SEC_GENERATED_PREFIX = "0000000000-"
_SUBMISSION_STARTS = (b"<SEC-DOCUMENT>", b"<SUBMISSION>", b"-----BEGIN PRIVACY-ENHANCED")


def extract_document(
    name: str, data: bytes, *, text_extract: bool = False, ocr: OcrOptions | None = None
) -> ExtractedText:
    """Text of one document, by its content (a PDF, HTML, or plain text); a scanned PDF is
    read by OCR when ``ocr`` allows it."""
    if data[:1024].lstrip().startswith(b"%PDF"):
        return extract_pdf_text(data, ocr=ocr)
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
    ocr: OcrOptions | None = None,
) -> IncomingLetter:
    """The letter of a parsed full submission (``.txt`` or ``.nc``)."""
    header = submission.header
    documents = submission.documents
    extracted, primary = _choose_submission_text(header.form, documents, ocr)
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
        text_confidence=extracted.confidence,
    )


def letters_in_submission(
    submission: Submission,
    *,
    source_url: str | None = None,
    released_on: date | None = None,
    first_seen_at: datetime | None = None,
    ocr: OcrOptions | None = None,
) -> list[IncomingLetter]:
    """The letters of a submission: its own (a CORRESP or UPLOAD submission), else one per
    document of a letter type filed inside it (none for an ordinary filing)."""
    if submission.header.form in EMBEDDED_LETTER_TYPES:
        return [
            letter_from_submission(
                submission,
                source_url=source_url,
                released_on=released_on,
                first_seen_at=first_seen_at,
                ocr=ocr,
            )
        ]
    container = letter_from_submission(submission, source_url=source_url)
    letters = []
    for document in submission.documents:
        kind = (document.type or "").upper()
        if kind not in EMBEDDED_LETTER_TYPES or document.sequence is None:
            continue
        name = document.filename or document.label
        extracted = extract_document(name, document.content, ocr=ocr)
        warnings = extracted.warnings
        if not document.content.strip():
            warnings = (*warnings, f"{document.label}: a {kind} document without any text")
            extracted = ExtractedText("", TextSource.NONE, warnings)
        letters.append(
            replace(
                container,
                accession=embedded_letter_id(submission.accession, document.sequence),
                form=kind,
                text=extracted.text,
                text_source=extracted.source,
                released_on=released_on,
                first_seen_at=first_seen_at,
                header_file_numbers=(),  # the container's numbers, not the letter's
                public_reference_accession=None,
                primary_document=name,
                filed_within=f"{submission.header.form} {submission.accession}",
                extraction_warnings=warnings,
                text_confidence=extracted.confidence,
            )
        )
    return letters


def letters_from_file(
    path: Path, *, form: str | None = None, ocr: OcrOptions | None = None
) -> list[IncomingLetter]:
    """The letters of a file: every letter of a submission file, else the one document."""
    data = path.read_bytes()
    if data.lstrip()[:64].startswith(_SUBMISSION_STARTS):
        return letters_in_submission(parse_submission(data, source=str(path)), ocr=ocr)
    return [letter_from_file(path, form=form, ocr=ocr)]


def _choose_submission_text(
    form: str, documents: list[SubmissionDocument], ocr: OcrOptions | None
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
    return extract_document(name, document.content, ocr=ocr), name


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
    ocr: OcrOptions | None = None,
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
        extracted = extract_document(primary, documents[primary], ocr=ocr)
    else:
        extracted = ExtractedText("", TextSource.NONE, ("no letter document in the folder",))
    if filing_date is None and "index.json" in documents:
        filing_date = _listing_date(documents["index.json"])
    if form is None:
        warnings.append("form unknown: not UPLOAD by its accession and no <TYPE> wrapper")
    sequence = _sequence(documents[primary]) if primary is not None else None
    filed_within = None
    if sequence is not None and sequence > 1 and accession.count("-") == 2:
        filed_within = f"submission {accession}"  # a letter document filed inside another
        accession = embedded_letter_id(accession, sequence)
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
        filed_within=filed_within,
        text_confidence=extracted.confidence,
    )


def _sequence(data: bytes) -> int | None:
    """The ``<SEQUENCE>`` of a document that keeps its SGML wrapper."""
    if _SGML_TYPE.match(data[:200]) is None:
        return None
    match = _SGML_SEQUENCE.search(data[:300])
    return int(match.group(1)) if match else None


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


def letter_from_file(
    path: Path, *, form: str | None = None, ocr: OcrOptions | None = None
) -> IncomingLetter:
    """A letter from a file: a ``.txt``/``.nc`` submission, or one document (``form`` given)."""
    data = path.read_bytes()
    if data.lstrip()[:64].startswith(_SUBMISSION_STARTS):
        return letter_from_submission(parse_submission(data, source=str(path)), ocr=ocr)
    accession, ciks = _identity_from_path(path.parent, fallback=path.stem)
    return letter_from_documents(accession, {path.name: data}, form=form, ciks=ciks, ocr=ocr)


def letter_from_folder(
    folder: Path, *, form: str | None = None, ocr: OcrOptions | None = None
) -> IncomingLetter:
    """A letter from a filing folder in EDGAR's layout (``…/CIK/ACCESSION/``)."""
    documents = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
    accession, ciks = _identity_from_path(folder, fallback=folder.name)
    return letter_from_documents(accession, documents, form=form, ciks=ciks, ocr=ocr)


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
