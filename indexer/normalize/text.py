"""Cleaning extracted letter text: what is on the page but not part of the letter.

Removed: SEC's logo alt text, the SGML remnant of CORRESP documents (``CORRESP 1
filename1.htm``), mail-merge residue of staff letters (``FirstName LastName``, the misspelled
``Comapany Name``), page headers and footers repeated on every page (addressee, company,
date, ``Page N``), and page breaks. Paragraphs stay separated by blank lines, lines by
newlines, so numbered comments and headings keep their structure. Pure functions.
"""

from __future__ import annotations

import re
from collections import Counter

from indexer.normalize.literals import may_match, required_literals

__all__ = ["clean_text", "paragraphs"]

_LOGO = re.compile(
    r"^[^\S\n]*united states securities and exchange commission logo[^\S\n]*$", re.I | re.M
)
"""Spaces but not line breaks around the logo: ``^\\s*`` at every line start of a run of
blank lines rescanned the whole run (quadratic)."""
_SGML_REMNANT = re.compile(
    r"\A\s*(?:<DOCUMENT>\s*)?(?:<TYPE>)?(?:CORRESP|DRSLTR|UPLOAD|LETTER)\s+(?:<SEQUENCE>)?\d+\s+"
    r"(?:<FILENAME>)?\S+\.(?:htm|html|txt|pdf)\s*(?:<TEXT>)?",
    re.I,
)
_MAIL_MERGE_LINE = re.compile(
    r"^.*(?:FirstName LastName|Comapany Name|Company Name(?=[A-Z])).*$", re.M
)
"""A line carrying mail-merge field labels: the page's sidebar, residue from end to end."""
_CLOSING = re.compile(r"\b(Sincerely,?|Very truly yours,?)\s*$")
_PAGE_LINE = re.compile(r"^\s*(?:-\s*)?Page\s+\d+(?:\s+of\s+\d+)?\s*(?:-\s*)?$", re.I)
_PAGE_WITH_DATE = re.compile(r"^[A-Z][a-z]+\.? \d{1,2}, \d{4}\s+Page\s+\d+\b\s*(?P<rest>.*)$")
"""A mail-merge footer read across the page: "May 26, 2022 Page 2 Office of …"."""
_PAGE_NUMBER_ONLY = re.compile(r"^\s*(?:-\s*)?\d{1,2}\s*(?:-\s*)?$")
"""Each ``\\s*`` follows something it cannot match: adjacent ones (``\\s*-?\\s*``) backtrack
quadratically on a long run of spaces."""
_FORM_FEED = re.compile(r"\n?\f\n?")
_BLANKS = re.compile(r"\n\n\n+")
"""Three line breaks or more; spelled so that ``re`` finds the literal start fast (with
``\\n{3,}`` it tried every position)."""
_LOGO_LITERALS = required_literals(_LOGO.pattern)
_MAIL_MERGE_FIELDS = ("FirstName LastName", "Comapany Name", "Company Name")
"""What ``_MAIL_MERGE_LINE`` (case-sensitive) needs on a line."""
_CHARACTERS = (
    ("\u00a0", " "),
    ("\u2007", " "),
    ("\u202f", " "),
    ("\u200b", ""),
    ("\u2010", "-"),
    ("\u2011", "-"),
    ("\u2012", "-"),
    ("\u2013", "-"),
    ("\u2212", "-"),
)
"""Spaces and hyphens typeset with special characters ("Form S\u20114", "333\u2013231164").
Replaced one after the other: no replacement makes another character to replace, and nine
``str.replace`` scans are many times faster than ``str.translate`` with a mapping."""
_HEADER_DEPTH = 4


def clean_text(text: str) -> str:
    """The letter's text without page furniture, in the shared paragraph layout."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for special, plain in _CHARACTERS:
        text = text.replace(special, plain)
    text = _SGML_REMNANT.sub("", text, count=1)
    # The line patterns have no fast start: they are only run on letters holding their words.
    if may_match(_LOGO_LITERALS, text):
        text = _LOGO.sub("", text)
    if any(field in text for field in _MAIL_MERGE_FIELDS):
        text = _MAIL_MERGE_LINE.sub(_keep_closing, text)
    text = _remove_page_headers(text)
    if "\f" in text:
        text = _FORM_FEED.sub("\n\n", text)
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines)
    return _BLANKS.sub("\n\n", text).strip()


def _keep_closing(match: re.Match[str]) -> str:
    """A mail-merge line is dropped, except a "Sincerely," that shares it."""
    closing = _CLOSING.search(match.group(0))
    return closing.group(1) if closing else ""


def paragraphs(text: str) -> list[str]:
    """The paragraphs of cleaned text."""
    return [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]


def _remove_page_headers(text: str) -> str:
    """Drop ``Page N`` lines and the lines repeated just above them on every page."""
    lines = text.split("\n")
    page_lines = [i for i, line in enumerate(lines) if _PAGE_LINE.match(line)]
    repeated = _repeated_header_lines(lines, page_lines)
    drop: set[int] = set()
    for index in page_lines:
        drop.add(index)
        cursor = index - 1
        while cursor >= 0 and index - cursor <= _HEADER_DEPTH:
            stripped = lines[cursor].strip()
            if not stripped or stripped == "\f":
                cursor -= 1
                continue
            if stripped in repeated:
                drop.add(cursor)
                cursor -= 1
                continue
            break
    kept = []
    for index, line in enumerate(lines):
        if index in drop:
            continue
        if footer := _PAGE_WITH_DATE.match(line.strip()):
            kept.append(footer.group("rest"))  # keep what shares the line, e.g. the office
        elif not (_PAGE_NUMBER_ONLY.match(line) and _near_page_break(lines, index)):
            kept.append(line)
    return "\n".join(kept)


def _repeated_header_lines(lines: list[str], page_lines: list[int]) -> set[str]:
    """Lines seen just above a ``Page N`` line (a header block), on one page or more.

    With a single ``Page 2`` the block cannot be confirmed by repetition; its lines are
    accepted when they also occur earlier in the letter (the addressee, company and date
    of the first page), which a sentence of the letter body almost never does.
    """
    seen: Counter[str] = Counter()
    for index in page_lines:
        for cursor in range(max(0, index - _HEADER_DEPTH), index):
            stripped = lines[cursor].strip()
            if stripped and len(stripped) < 80:
                seen[stripped] += 1
    first_page = {line.strip() for line in lines[: page_lines[0]]} if page_lines else set()
    return {
        line
        for line, count in seen.items()
        if count > 1 or (line in first_page and _occurs_before(lines, line, page_lines[0]))
    }


def _occurs_before(lines: list[str], line: str, limit: int) -> bool:
    """Whether ``line`` stands alone on a line before ``limit`` minus the header itself."""
    return (
        sum(1 for candidate in lines[: max(0, limit - _HEADER_DEPTH)] if candidate.strip() == line)
        > 0
    )


def _near_page_break(lines: list[str], index: int) -> bool:
    window = lines[max(0, index - 2) : index + 3]
    return any("\f" in line for line in window)
