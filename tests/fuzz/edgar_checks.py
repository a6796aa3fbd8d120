"""Checks of the EDGAR file parsers (``crawler.edgar``) on one input each.

Each ``check_*`` runs a public entry point and returns an ``Outcome`` (see ``outcome``): the
documented ``ParseError`` is a rejection whose reason must be non-empty; a result must be well
formed (ASCII accession numbers and CIKs, every damaged part reported by a warning); any other
exception escapes to the caller. Round-trip checks compare a parse with what was generated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from crawler.edgar.feed import parse_current_feed
from crawler.edgar.filing_index import parse_index_json, pick_letter_documents
from crawler.edgar.indexes import parse_index
from crawler.edgar.pages import ErrorKind, classify_error_body
from crawler.edgar.sgml import Submission, parse_submission
from crawler.edgar.sgml_header import SubmissionHeader, parse_submission_header
from crawler.edgar.submissions_json import parse_submissions_json
from crawler.edgar.uuencoding import decode_uuencoded
from crawler.errors import ParseError
from crawler.models import BadLine, FilingRef
from tests.fuzz.edgar_generators import GeneratedSubmission, IndexRow
from tests.fuzz.outcome import (
    Outcome,
    expect,
    expect_accession,
    expect_cik,
    expect_filing_ref,
    explained,
    rejected,
)

__all__ = [
    "SOURCE",
    "check_error_body",
    "check_feed",
    "check_feed_round_trip",
    "check_folder_listing",
    "check_header",
    "check_index",
    "check_index_round_trip",
    "check_submission",
    "check_submission_round_trip",
    "check_submissions_json",
    "check_uudecode",
]

SOURCE = "fuzz-input"
"""The ``source`` every parser is given; errors must name it."""

_FILE_NUMBER = re.compile(r"\d{3}-\d{5,8}(?:-\d{2,3})?", re.ASCII)
_ENCODINGS = frozenset({"text", "uuencoded", "pdf-uuencoded"})


def check_submission(data: bytes) -> Outcome:
    """``parse_submission``: a submission whose damage is all in its warnings, or ParseError."""
    try:
        submission = parse_submission(data, source=SOURCE)
    except ParseError as exc:
        return _rejected_naming_source(exc)
    _expect_header(submission.header)
    _expect_documents(submission)
    return explained(submission.all_warnings)


def check_header(text: str) -> Outcome:
    """``parse_submission_header`` on header text (either spelling)."""
    try:
        header, warnings = parse_submission_header(text, source=SOURCE)
    except ParseError as exc:
        return _rejected_naming_source(exc)
    _expect_header(header)
    return explained(warnings)


def _rejected_naming_source(error: ParseError) -> Outcome:
    expect(error.source == SOURCE, f"ParseError names {error.source!r}, not the input")
    return rejected(error)


def _expect_header(header: SubmissionHeader) -> None:
    expect_accession(header.accession, "header accession")
    expect(header.form and header.form == header.form.strip(), f"form {header.form!r}")
    if header.public_reference_accession is not None:
        expect_accession(header.public_reference_accession, "public reference accession")
    for party in header.parties:
        if party.cik is not None:
            expect_cik(party.cik, "party CIK")
    for number in header.file_numbers:
        expect(_FILE_NUMBER.fullmatch(number), f"file number {number!r}")
    count = header.public_document_count
    expect(count is None or count >= 0, f"document count {count!r}")


def _expect_documents(submission: Submission) -> None:
    for document in submission.documents:
        expect(isinstance(document.content, bytes), "document content is not bytes")
        expect(document.encoding in _ENCODINGS, f"encoding {document.encoding!r}")
        expect(document.sequence is None or document.sequence >= 0, "negative sequence")
    expect(
        not submission.truncated or submission.warnings,
        "a truncated submission without a warning saying why",
    )


def check_index(text: str, *, forms: frozenset[str] | None = None) -> Outcome:
    """``parse_index``: well-formed rows, a reason for every bad line, or ParseError."""
    try:
        result = parse_index(text, source=SOURCE, listed_on=None, forms=forms)
    except ParseError as exc:
        return _rejected_naming_source(exc)
    expect(result.kind in ("form", "company", "master"), f"index kind {result.kind!r}")
    for ref in result.refs:
        expect_filing_ref(ref, forms=forms)
        expect(ref.source == SOURCE, f"row source {ref.source!r}")
    return explained(_bad_line_reasons(result.bad_lines))


def _bad_line_reasons(bad_lines: Sequence[BadLine]) -> list[str]:
    for bad in bad_lines:
        expect(bad.line_no >= 1, f"bad line number {bad.line_no}")
    return [bad.reason for bad in bad_lines]


def check_feed(data: bytes) -> Outcome:
    """``parse_current_feed``: well-formed rows (skipped entries are logged), or ParseError."""
    try:
        refs = parse_current_feed(data, source=SOURCE)
    except ParseError as exc:
        return _rejected_naming_source(exc)
    for ref in refs:
        expect_filing_ref(ref)
    return explained([])


def check_folder_listing(data: bytes, *, form: str) -> Outcome:
    """``parse_index_json`` and ``pick_letter_documents`` on its items."""
    try:
        items = parse_index_json(data, source=SOURCE)
    except ParseError as exc:
        return _rejected_naming_source(exc)
    names = [item.name for item in items]
    for item in items:
        expect(isinstance(item.name, str) and item.name, f"item name {item.name!r}")
        expect(item.size is None or item.size >= 0, f"item size {item.size!r}")
    picked = pick_letter_documents(items, form)
    expect(set(picked) <= set(names), f"picked {picked!r} not among {names!r}")
    return explained([])


def check_submissions_json(
    data: bytes, *, forms: frozenset[str] | None = None, cik: str | None = None
) -> Outcome:
    """``parse_submissions_json``: well-formed rows and a reason per bad row, or ParseError."""
    try:
        page = parse_submissions_json(data, source=SOURCE, forms=forms, cik=cik)
    except ParseError as exc:
        return _rejected_naming_source(exc)
    expect_cik(page.cik, "company CIK")
    for ref in page.refs:
        expect_filing_ref(ref, forms=forms)
        expect(ref.cik == page.cik, "a row with another CIK than its page")
    expect(all(isinstance(name, str) for name in page.older_pages), "older page names")
    return explained(_bad_line_reasons(page.bad_rows))


def check_error_body(status: int, body: bytes, content_type: str | None) -> Outcome:
    """``classify_error_body``: never raises; a success status is never an error kind."""
    kind = classify_error_body(status, body, content_type)
    expect(isinstance(kind, ErrorKind), f"kind {kind!r}")
    expect(status >= 400 or kind is ErrorKind.OTHER, f"status {status} classified {kind}")
    return explained([])


def check_uudecode(block: bytes, *, expected: bytes | None = None) -> Outcome:
    """``decode_uuencoded``: never raises; damage is reported; ``expected`` is the round trip."""
    decoded = decode_uuencoded(block)
    if decoded is None:
        expect(expected is None, "a generated uuencoded block was not recognized")
        return Outcome("rejected", "no 'begin' line: not a uuencoded block")
    expect(decoded.complete or decoded.warnings, "an incomplete block without a warning")
    if expected is not None:
        expect(decoded.complete, "a generated block decoded as incomplete")
        expect(decoded.warnings == [], f"warnings on a clean block: {decoded.warnings}")
        expect(decoded.data == expected, "decoded bytes differ from the encoded ones")
    return explained(decoded.warnings)


def check_submission_round_trip(generated: GeneratedSubmission) -> Outcome:
    """A generated submission parses back to its identity and its documents' exact bytes."""
    submission = parse_submission(generated.data, source=SOURCE)
    header = submission.header
    expect(submission.all_warnings == [], f"warnings: {submission.all_warnings}")
    expect(not submission.truncated, "a complete submission parsed as truncated")
    expect(
        (header.accession, header.form, header.filed_as_of)
        == (generated.accession, generated.form, generated.filed_on),
        "header identity differs from the generated one",
    )
    expect([p.cik for p in header.parties] == [generated.cik], "filer CIK differs")
    expect(len(submission.documents) == len(generated.documents), "document count differs")
    for parsed, wanted in zip(submission.documents, generated.documents, strict=True):
        expect(
            (parsed.type, parsed.sequence, parsed.filename)
            == (wanted.type, wanted.sequence, wanted.filename),
            f"document tags differ: {parsed.label}",
        )
        expect(parsed.encoding == ("pdf-uuencoded" if wanted.pdf else "text"), "encoding")
        expect(parsed.content == wanted.content, f"{parsed.label}: content differs")
    return explained([])


def check_index_round_trip(text: str, rows: Sequence[IndexRow]) -> Outcome:
    """A generated index parses back to exactly its rows, with no bad line."""
    result = parse_index(text, source=SOURCE, listed_on=None)
    expect(result.bad_lines == [], f"bad lines in a generated index: {result.bad_lines[:2]}")
    expect(_as_rows(result.refs) == list(rows), "parsed rows differ from the generated rows")
    return explained([])


def check_feed_round_trip(data: bytes, rows: Sequence[IndexRow]) -> Outcome:
    """A generated feed page parses back to exactly its entries."""
    refs = parse_current_feed(data, source=SOURCE)
    expect(_as_rows(refs) == list(rows), "parsed feed entries differ from the generated ones")
    return explained([])


def _as_rows(refs: Sequence[FilingRef]) -> list[IndexRow]:
    return [
        IndexRow(r.accession, r.cik, r.form, r.company_name, r.filing_date.isoformat())
        for r in refs
    ]
