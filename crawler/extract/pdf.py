"""Text of a PDF letter from its text layer (pypdfium2), with lines and paragraphs rebuilt.

pdfium returns text runs with their boxes. Runs sharing a baseline become one line (left to
right); a vertical gap clearly larger than the page's usual line pitch starts a new
paragraph, so numbered comments and headings come out as separate paragraphs. Pages are
separated by a form feed. A PDF with (almost) no text is a scan: it yields no text and says
so, rather than indexing garbage.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from itertools import pairwise

import pypdfium2 as pdfium

from crawler.extract.result import ExtractedText
from indexer.incoming import TextSource

__all__ = ["extract_pdf_text"]

_MIN_CHARS_PER_PAGE = 40
"""Fewer printable characters than this per page on average means no usable text layer."""
_PARAGRAPH_GAP = 1.3
"""A gap this many times the usual line pitch separates paragraphs."""
_SOFT_HYPHEN = "\x02"


@dataclass(frozen=True, slots=True)
class _Run:
    left: float
    bottom: float
    right: float
    top: float
    text: str


def extract_pdf_text(data: bytes) -> ExtractedText:
    """The text of every page of ``data``; never raises for a damaged PDF."""
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
    return ExtractedText("\n\f\n".join(pages), TextSource.PDF_TEXT, ())


def _page_text(page: pdfium.PdfPage) -> str:
    textpage = page.get_textpage()
    try:
        runs = []
        for index in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(index)
            text = textpage.get_text_bounded(left, bottom, right, top)
            if text.strip():
                runs.append(_Run(left, bottom, right, top, text))
    finally:
        textpage.close()
        page.close()
    return _layout(runs)


def _layout(runs: list[_Run]) -> str:
    """Group runs into lines (top to bottom) and lines into paragraphs."""
    lines: list[list[_Run]] = []
    for run in sorted(runs, key=lambda r: (-r.top, r.left)):
        middle = (run.top + run.bottom) / 2
        if lines and lines[-1][0].bottom <= middle <= lines[-1][0].top:
            lines[-1].append(run)
        else:
            lines.append([run])
    if not lines:
        return ""
    tops = [line[0].top for line in lines]
    pitches = [above - below for above, below in pairwise(tops) if above > below]
    pitch = statistics.median(pitches) if pitches else 0.0
    paragraphs: list[list[str]] = [[]]
    for index, line in enumerate(lines):
        if index and pitch and tops[index - 1] - tops[index] > pitch * _PARAGRAPH_GAP:
            paragraphs.append([])
        paragraphs[-1].append(_line_text(line))
    return "\n\n".join(_join_lines(lines) for lines in paragraphs if lines)


def _line_text(runs: list[_Run]) -> str:
    parts = []
    previous: _Run | None = None
    for run in sorted(runs, key=lambda r: r.left):
        text = run.text.replace("\r", "").replace("\n", " ")
        if previous is not None and not parts[-1].endswith(" ") and not text.startswith(" "):
            parts.append(" ")
        parts.append(text)
        previous = run
    return " ".join("".join(parts).split())


def _join_lines(lines: list[str]) -> str:
    """Lines of one paragraph; a line ending in pdfium's hyphen mark keeps its hyphen."""
    return "\n".join(line.replace(_SOFT_HYPHEN, "-") for line in lines)
