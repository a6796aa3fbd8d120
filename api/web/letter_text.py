"""A letter's text as readable blocks, and search words marked in plain text. Pure.

Letter text comes from PDF text layers (hard-wrapped lines, paragraphs broken at page ends),
SEC's text extracts and HTML (one paragraph per line). ``build_text_blocks`` turns any of
them into paragraphs that reflow on a small screen: wrapped lines are joined, short lines
(addresses, signature blocks) keep their breaks, a paragraph cut by a page break is joined
again, and a paragraph that opens one of the letter's numbered comments (``2. Please
revise…``, or a lone ``2.`` before it) is set off as that comment; a company's ``Response:``
paragraphs are marked too.

``mark_terms`` escapes plain text and wraps the search's words and phrases in ``<mark>``;
its result is ``Markup`` (safe by construction), so templates never need ``|safe`` for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from markupsafe import Markup, escape

__all__ = ["TextBlock", "build_marker", "build_text_blocks", "mark_terms", "paragraphs"]

BlockKind = Literal["para", "comment", "response"]

WRAPPED_LINE = 60
"""A line at least this long that ends a paragraph's line was wrapped, not broken."""

_BULLETS = str.maketrans({"\uf0b7": "•", "\uf0a7": "•", "\uf0d8": "•", "\u25cf": "•"})
_BLANK_LINES = re.compile(r"\n[ \t\f\v]*\n\s*")
_NUMBER_ONLY = re.compile(r"^(\d{1,3})\.$")
_NUMBERED = re.compile(r"^(\d{1,3})\.\s+(\S.*)$", re.S)
_RESPONSE = re.compile(r"^(Company\s+)?Response\b", re.I)
_ENDS_SENTENCE = tuple('.:;?!"”’)]')


@dataclass(frozen=True, slots=True)
class TextBlock:
    """A paragraph: plain, the start of comment ``number``, or a company's response."""

    kind: BlockKind
    lines: tuple[str | Markup, ...]
    number: int | None = None


def _reflow(lines: Sequence[str]) -> list[str]:
    """Join wrapped lines; keep the breaks after short lines."""
    out: list[str] = []
    joining = False
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if joining and out:
            glue = "" if out[-1].endswith("-") and line[:1].islower() else " "
            out[-1] = out[-1] + glue + line
        else:
            out.append(line)
        joining = len(line) >= WRAPPED_LINE
    return out


def paragraphs(text: str) -> list[list[str]]:
    """The text's paragraphs as lists of display lines; page-broken paragraphs rejoined."""
    result: list[list[str]] = []
    for chunk in _BLANK_LINES.split(text.translate(_BULLETS).replace("\r\n", "\n").strip()):
        lines = _reflow(chunk.split("\n"))
        if not lines:
            continue
        if result and _continues(result[-1], lines):
            result[-1][-1] = result[-1][-1] + " " + lines[0]
            result[-1].extend(lines[1:])
        else:
            result.append(lines)
    return result


def _continues(previous: list[str], lines: list[str]) -> bool:
    """Whether ``lines`` carry on a paragraph a page break cut (long line, no full stop)."""
    last = previous[-1]
    return (
        len(last) >= WRAPPED_LINE
        and not last.endswith(_ENDS_SENTENCE)
        and not _NUMBERED.match(lines[0])
        and not _NUMBER_ONLY.match(lines[0])
    )


def build_text_blocks(
    text: str | None,
    comment_numbers: Iterable[int] = (),
    *,
    marker: re.Pattern[str] | None = None,
) -> list[TextBlock]:
    """The letter's text as blocks; each of ``comment_numbers`` opens one comment block."""
    expected = set(comment_numbers)
    blocks: list[TextBlock] = []
    pending: int | None = None  # a lone "2." waiting for its paragraph
    for paragraph in paragraphs(text or ""):
        lines = paragraph
        lone = _NUMBER_ONLY.match(lines[0]) if len(lines) == 1 else None
        if lone and int(lone.group(1)) in expected:
            pending = int(lone.group(1))
            continue
        kind: BlockKind = "para"
        number = None
        numbered = _NUMBERED.match(lines[0])
        if pending is not None:
            kind, number, pending = "comment", pending, None
        elif numbered and int(numbered.group(1)) in expected:
            kind, number = "comment", int(numbered.group(1))
            lines = [numbered.group(2), *lines[1:]]
        elif _RESPONSE.match(lines[0]):
            kind = "response"
        if number is not None:
            expected.discard(number)
        shown = tuple(mark_terms(line, marker) if marker else line for line in lines)
        blocks.append(TextBlock(kind, shown, number))
    return blocks


def _term_pattern(term: str) -> str | None:
    prefix = term.endswith("*")
    words = re.findall(r"\w+", term.rstrip("*"))
    if not words:
        return None
    body = r"\W+".join(re.escape(word) for word in words)
    return rf"\b{body}" + (r"\w*" if prefix else r"(?:s|es)?\b")


def build_marker(terms: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern finding any of the search's words or phrases (``word*`` as a prefix)."""
    patterns = sorted(
        {p for p in (_term_pattern(term) for term in terms) if p}, key=len, reverse=True
    )
    return re.compile("|".join(patterns), re.I) if patterns else None


def mark_terms(text: str | None, marker: re.Pattern[str] | None) -> Markup:
    """``text`` escaped, with every match of ``marker`` inside ``<mark>``."""
    if not text:
        return Markup("")
    if marker is None:
        return escape(text)
    parts: list[Markup] = []
    last = 0
    for match in marker.finditer(text):
        if match.end() == match.start():
            continue
        parts.append(escape(text[last : match.start()]))
        parts.append(Markup("<mark>%s</mark>") % match.group())
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)
