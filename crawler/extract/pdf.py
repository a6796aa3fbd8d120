"""Text of a PDF letter from its text layer (pypdfium2), with lines and paragraphs rebuilt.

pdfium returns text runs with their boxes. Runs sharing a baseline become one line (left to
right); a vertical gap clearly larger than the page's usual line pitch starts a new
paragraph, so numbered comments and headings come out as separate paragraphs. Pages are
separated by a form feed. A PDF with (almost) no text is a scan, and so is one whose text
layer is garbage (a font without a usable encoding: few of the words any English letter is
made of, ``common_words``): with ``ocr`` options it is read by OCR (``crawler.extract.ocr``,
``text_source`` ``ocr`` with the mean word confidence), else it yields no text and says so,
rather than indexing garbage.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from itertools import pairwise

import pypdfium2 as pdfium

from crawler.extract.common_words import common_share
from crawler.extract.ocr import OcrOptions, ocr_pdf
from crawler.extract.result import ExtractedText
from indexer.incoming import TextSource

__all__ = ["extract_pdf_text"]

_MIN_CHARS_PER_PAGE = 40
"""Fewer printable characters than this per page on average means no usable text layer."""
_MIN_COMMON_SHARE = 0.2
"""Letters are at least 40% common words (all 358 samples); under this share is garbage."""
_MIN_WORDS_TO_JUDGE = 30
_PARAGRAPH_GAP = 1.3
"""A gap this many times the usual line pitch separates paragraphs."""
_SOFT_HYPHEN = "\x02"
_NONCHARACTER_HYPHEN = "\ufffe"
"""pdfium marks a hyphen at a line end with U+0002 or U+FFFE; it is kept as a hyphen."""


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    top: float | None
    """Top of the line's first character on the page (points from the bottom), if known."""

    @property
    def hidden_breaks(self) -> int:
        """Line ends pdfium folded into this line at a hyphen (it marks them, adds no break)."""
        end = len(self.text) - 1
        return self.text.count(_SOFT_HYPHEN, 0, end) + self.text.count(_NONCHARACTER_HYPHEN, 0, end)


def extract_pdf_text(data: bytes, *, ocr: OcrOptions | None = None) -> ExtractedText:
    """The text of every page of ``data``, by OCR for a scan when ``ocr`` allows it; never
    raises for a damaged PDF."""
    layer = _text_layer(data)
    if layer.source != TextSource.NONE or ocr is None or not ocr.enabled:
        return layer
    if layer.warnings and layer.warnings[0].startswith("unreadable PDF"):
        return layer
    read = ocr_pdf(data, ocr)
    if not read.text.strip():
        return ExtractedText("", TextSource.NONE, (*layer.warnings, *read.warnings))
    return ExtractedText(read.text, TextSource.OCR, read.warnings, confidence=read.confidence)


def _text_layer(data: bytes) -> ExtractedText:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        return ExtractedText("", TextSource.NONE, (f"unreadable PDF: {exc}",))
    try:
        pages = [_page_text(document[index]) for index in range(len(document))]
    except pdfium.PdfiumError as exc:
        return ExtractedText("", TextSource.NONE, (f"unreadable PDF page: {exc}",))
    finally:
        document.close()
    printable = sum(len("".join(page.split())) for page in pages)
    if not pages or printable < _MIN_CHARS_PER_PAGE * len(pages):
        warning = f"no text layer ({len(pages)} page(s), {printable} characters): a scan"
        return ExtractedText("", TextSource.NONE, (warning,))
    text = "\n\f\n".join(pages)
    share, words = common_share(text)
    if words >= _MIN_WORDS_TO_JUDGE and share < _MIN_COMMON_SHARE:
        warning = f"garbage text layer ({share:.0%} common words of {words}): read as a scan"
        return ExtractedText("", TextSource.NONE, (warning,))
    return ExtractedText(text, TextSource.PDF_TEXT, ())


def _page_text(page: pdfium.PdfPage) -> str:
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        lines = []
        offset = 0
        for raw in text.split("\r\n"):
            stripped = raw.strip()
            top = None
            if stripped:
                first = offset + (len(raw) - len(raw.lstrip()))
                top = textpage.get_charbox(first, loose=True)[3]
                lines.append(_Line(stripped, top))
            offset += len(raw) + 2
    finally:
        textpage.close()
        page.close()
    return _layout(lines)


def _layout(lines: list[_Line]) -> str:
    """Lines in pdfium's reading order, split into paragraphs at wide vertical gaps."""
    if not lines:
        return ""
    tops = [line.top for line in lines]
    pitches = [
        above - below
        for above, below in pairwise(tops)
        if above is not None and below is not None and above > below
    ]
    pitch = statistics.median(pitches) if pitches else 0.0
    paragraphs: list[list[str]] = [[]]
    for previous, line in zip([None, *lines], lines, strict=False):
        gap = (
            previous.top - line.top - pitch * previous.hidden_breaks
            if previous is not None and previous.top is not None and line.top is not None
            else 0.0
        )
        if pitch and gap > pitch * _PARAGRAPH_GAP and paragraphs[-1]:
            paragraphs.append([])
        text = line.text.replace(_SOFT_HYPHEN, "-").replace(_NONCHARACTER_HYPHEN, "-")
        paragraphs[-1].append(" ".join(text.split()))
    return "\n\n".join("\n".join(lines) for lines in paragraphs if lines)
