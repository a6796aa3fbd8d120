"""Full EDGAR submissions: ``{ACC}.txt`` files and dissemination ``.nc`` files.

Owns splitting a submission into its header and its documents and decoding each document:
text documents keep their bytes exactly as between ``<TEXT>`` and ``</TEXT>``; uuencoded
documents (``<PDF>`` letters, bare ``GRAPHIC`` images, XBRL zips) are decoded. The header itself
is parsed by ``crawler.edgar.sgml_header``.

Everything works on bytes with ``bytes.find`` on the SGML markers, so a large submission is
split in linear time; only the small header and the per-document tag lines are decoded (as
latin-1: the markup is ASCII, letters may be cp1252). A damaged or cut-off submission does not
raise: it is returned with warnings and ``truncated=True`` so the crawl can record it.
``ParseError`` is reserved for data that is not a submission at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from crawler.edgar.sgml_header import SubmissionHeader, parse_submission_header
from crawler.edgar.uuencoding import decode_uuencoded
from crawler.errors import ParseError

__all__ = ["DocumentEncoding", "Submission", "SubmissionDocument", "parse_submission"]

DocumentEncoding = Literal["text", "uuencoded", "pdf-uuencoded"]

_FIRST_TAG = re.compile(rb"^[ \t]*<", re.MULTILINE)
_DOCUMENT_TAG = re.compile(r"<([A-Z][A-Z0-9-]*)>((?:[^<\r\n]|<(?!/?[A-Z][A-Z0-9-]*>))*)")
_LEADING_SPACE = re.compile(rb"\s*")

_DOCUMENT_OPEN = b"<DOCUMENT>"
_DOCUMENT_CLOSE = b"</DOCUMENT>"
_TEXT_OPEN = b"<TEXT>"
_TEXT_CLOSE = b"</TEXT>"
_PDF_OPEN = b"<PDF>"
_PDF_CLOSE = b"</PDF>"


@dataclass(frozen=True, slots=True)
class SubmissionDocument:
    """One ``<DOCUMENT>`` of a submission."""

    type: str | None
    """``<TYPE>``: ``LETTER``, ``TEXT-EXTRACT``, ``CORRESP``, ``GRAPHIC`` ..."""
    sequence: int | None
    filename: str | None
    """``<FILENAME>``; absent in 1990s submissions."""
    description: str | None
    content: bytes
    """Text: the bytes between ``<TEXT>`` and ``</TEXT>``, unchanged. Uuencoded: the decoded
    bytes; if no ``begin`` line was found, the undecoded block (see ``warnings``)."""
    encoding: DocumentEncoding
    """How the document was stored in the submission."""
    warnings: list[str]

    @property
    def label(self) -> str:
        """A short name for messages: the file name, else ``document <sequence>``."""
        return self.filename or f"document {self.sequence if self.sequence is not None else '?'}"


@dataclass(frozen=True, slots=True)
class Submission:
    """A parsed submission: header, documents, and what went wrong on the way."""

    accession: str
    header: SubmissionHeader
    documents: list[SubmissionDocument]
    warnings: list[str]
    """Header and structure warnings; each document also carries its own."""
    truncated: bool
    """The file is incomplete: no documents, or a closing tag or a uuencoded ``end`` is missing."""

    @property
    def all_warnings(self) -> list[str]:
        """Submission warnings followed by every document's warnings, prefixed by its label."""
        return self.warnings + [
            f"{document.label}: {warning}"
            for document in self.documents
            for warning in document.warnings
        ]


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where the header and the documents of one file format are."""

    header_close: bytes | None
    """Tag ending the header; None when the header simply runs up to the first document."""
    file_close: bytes


_SGML_LAYOUT = _Layout(header_close=b"</SEC-HEADER>", file_close=b"</SEC-DOCUMENT>")
_DISSEMINATION_LAYOUT = _Layout(header_close=None, file_close=b"</SUBMISSION>")


def parse_submission(data: bytes, *, source: str) -> Submission:
    """Parse a full submission (``{ACC}.txt``, also PEM-wrapped) or a dissemination ``.nc`` file.

    ``source`` names the data in errors (URL or path). Raises ``ParseError`` only when ``data``
    has no SGML header with an accession number and form type.
    """
    first_tag = _FIRST_TAG.search(data)
    if first_tag is None:
        raise ParseError(source, "no SGML tag at the start of any line: not an EDGAR submission")
    header_start = first_tag.end() - 1
    layout = (
        _DISSEMINATION_LAYOUT if data.startswith(b"<SUBMISSION>", header_start) else _SGML_LAYOUT
    )
    warnings: list[str] = []
    header_end = _find_header_end(data, header_start, layout, warnings)
    header, header_warnings = parse_submission_header(
        data[header_start:header_end].decode("latin-1"), source=source
    )
    warnings.extend(header_warnings)

    documents, documents_end, documents_complete = _split_documents(data, header_end, warnings)
    truncated = not documents_complete
    if not documents:
        warnings.append("submission has no documents")
        truncated = True
    if data.rfind(layout.file_close, documents_end) == -1:
        warnings.append(f"no {layout.file_close.decode()}: submission is truncated")
        truncated = True
    return Submission(
        accession=header.accession,
        header=header,
        documents=documents,
        warnings=warnings,
        truncated=truncated,
    )


def _find_header_end(data: bytes, start: int, layout: _Layout, warnings: list[str]) -> int:
    """Offset just past the header: its closing tag, else the first document, else the end."""
    if layout.header_close is not None:
        close = data.find(layout.header_close, start)
        if close != -1:
            return close
        warnings.append(f"no {layout.header_close.decode()} in submission header")
    first_document = data.find(_DOCUMENT_OPEN, start)
    return first_document if first_document != -1 else len(data)


def _split_documents(
    data: bytes, start: int, warnings: list[str]
) -> tuple[list[SubmissionDocument], int, bool]:
    """Documents from ``start`` on; also the offset after the last one and whether all closed."""
    documents: list[SubmissionDocument] = []
    complete = True
    position = start
    closing: int | None = None
    while (opening := data.find(_DOCUMENT_OPEN, position)) != -1:
        body_start = opening + len(_DOCUMENT_OPEN)
        if closing is None or -1 < closing < body_start:
            # Searched again only once passed: with no </DOCUMENT> left, searching to the end
            # for each of many unclosed <DOCUMENT>s took quadratic time.
            closing = data.find(_DOCUMENT_CLOSE, body_start)
        next_opening = data.find(_DOCUMENT_OPEN, body_start)
        closed = closing != -1 and (next_opening == -1 or closing < next_opening)
        if closed:
            body_end, position = closing, closing + len(_DOCUMENT_CLOSE)
        else:
            body_end = position = next_opening if next_opening != -1 else len(data)
        document, document_complete = _parse_document(data, body_start, body_end, closed=closed)
        if not document_complete:
            warnings.append(f"{document.label} is incomplete")
            complete = False
        documents.append(document)
    return documents, position, complete


def _parse_document(
    data: bytes, start: int, end: int, *, closed: bool
) -> tuple[SubmissionDocument, bool]:
    """One document from the bytes after ``<DOCUMENT>`` up to ``end``.

    ``closed`` tells whether ``end`` is a ``</DOCUMENT>``. Also returns whether the document is
    complete: closed, with its ``</TEXT>`` and any uuencoded ``end`` line.
    """
    text_open = data.find(_TEXT_OPEN, start, end)
    tags_end = text_open if text_open != -1 else end
    tags = {
        match.group(1): match.group(2).strip()
        for match in _DOCUMENT_TAG.finditer(data[start:tags_end].decode("latin-1"))
    }
    warnings: list[str] = []
    complete = closed
    if not closed:
        warnings.append("no </DOCUMENT>: document is truncated")
    content: bytes = b""
    encoding: DocumentEncoding = "text"
    if text_open == -1:
        warnings.append("document has no <TEXT>")
    else:
        content_start = text_open + len(_TEXT_OPEN)
        text_close = data.rfind(_TEXT_CLOSE, content_start, end)
        if text_close == -1:
            warnings.append("no </TEXT>: document text is truncated")
            complete = False
        content_end = text_close if text_close != -1 else end
        content, encoding, content_complete = _decode_content(
            data[content_start:content_end], warnings
        )
        complete = complete and content_complete
    sequence = tags.get("SEQUENCE", "")
    document = SubmissionDocument(
        type=tags.get("TYPE") or None,
        sequence=int(sequence) if sequence.isdecimal() else None,
        filename=tags.get("FILENAME") or None,
        description=tags.get("DESCRIPTION") or None,
        content=content,
        encoding=encoding,
        warnings=warnings,
    )
    return document, complete


def _decode_content(text: bytes, warnings: list[str]) -> tuple[bytes, DocumentEncoding, bool]:
    """Decode a document's ``<TEXT>`` body: (content, encoding, complete)."""
    lead = _LEADING_SPACE.match(text)
    body_start = lead.end() if lead else 0
    if text.startswith(_PDF_OPEN, body_start):
        pdf_start = body_start + len(_PDF_OPEN)
        pdf_close = text.rfind(_PDF_CLOSE, pdf_start)
        if pdf_close == -1:
            warnings.append("no </PDF>: PDF is truncated")
        block = text[pdf_start : pdf_close if pdf_close != -1 else len(text)]
        decoded = decode_uuencoded(block)
        if decoded is None:
            warnings.append("<PDF> holds no uuencoded 'begin' line: content left undecoded")
            return block, "pdf-uuencoded", pdf_close != -1
        warnings.extend(decoded.warnings)
        return decoded.data, "pdf-uuencoded", decoded.complete and pdf_close != -1
    decoded = decode_uuencoded(text)
    if decoded is None:
        return text, "text", True
    warnings.extend(decoded.warnings)
    return decoded.data, "uuencoded", decoded.complete
