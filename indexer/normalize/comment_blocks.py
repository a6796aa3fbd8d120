"""Cleaned letter text as blocks, with the page layout repaired, for comment segmentation.

``letter_blocks(text, company=...)`` splits CLEANED letter text (``clean_text``: paragraphs
separated by a blank line, lines by ``\\n``) into ``Block``s: a paragraph, or the part of one
that begins at a numbered or labelled line, marked as a caption block when it holds only
captions. Layout is repaired first: page headers (addressee lines and the letter date
repeated on every page, mail-merge residue, "Page N", one-line headers of responses),
stand-alone page numbers and response letterheads are dropped; a paragraph split by a page
break is rejoined; a comment number that a PDF text layer printed after the comment's first
lines is put back at the comment's start; caption lines glued to the end of a paragraph get
a block of their own. ``reflow`` re-breaks text extracted without paragraphs at inline
comment numbers and "Response:" labels; ``body_start`` is the first block after the
salutation; ``is_marker`` tells a block that only carries a comment's number or label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.normalize.comment_lines import (
    BULLET,
    COMMENT_LABEL,
    NOT_BURIED,
    NUMBER_ALONE,
    NUMBERED,
    TERMINAL,
    buried_number,
    caption_lines,
    ends_in_connector,
    is_caption,
    label_like,
    response_label,
    squash,
)
from indexer.normalize.literals import may_match, required_literals

__all__ = ["Block", "body_start", "is_marker", "letter_blocks", "reflow"]


_MAX_LINE_CHARS = 5_000


# --- patterns (all anchored and bounded) --------------------------------------------------

_SALUTATION = re.compile(
    r"^(?:Dear\b.{0,120}[:,;]?|Ladies\s+and\s+Gentlemen\s*[:,;.]?|Gentlemen\s*[:,;]|"
    r"To\s+whom\s+it\s+may\s+concern\s*[:,;]?)\s*$",
    re.I,
)
_FURNITURE_LINE = re.compile(r"FirstName|LastName|Com(?:a)?pany Nam|Page \d+\s?Page \d+", re.I)
_FURNITURE_LITERALS = required_literals(_FURNITURE_LINE.pattern)
_INLINE_MARKER = re.compile(
    r"(?:(?<=[.?!”\"]) |(?<=\d) )(?=(?:\d{1,2}\.\s+[A-Z“\"]|(?:Company\s+)?Response:|Comment:))"
)
_INLINE_SENTENCE = re.compile(r"(?<=[a-z]{2}[.?!]) (?=[A-Z][a-z])")
"""Inside a reflowed text, one sentence per line keeps wrapped-line rules working."""
_LETTERHEAD = re.compile(
    r"^(?:[^a-z]*CONFIDENTIAL\s+TREATMENT\s+REQUESTED[^a-z]*|(?:[A-Z][A-Z.,&'’-]*\s+){5,}[A-Z.,&'’-]+"
    # Rule 83 page legends of a response: "Confidential Treatment Requested by Apple Inc.",
    # the page's identifying number ("AI-004"), "*** - Information omitted and provided …"
    r"|Confidential\s+Treatment\s+Requested\s+by\s+[^.]{2,80}\.?"
    r"|[A-Z]{2,6}[- ]?\d{3,7}"
    r"|\*{3}\s*-\s*Information\s+omitted\b.{0,120})$"
)
_CONTINUATION = re.compile(
    r"^(?:In\s+addition|Additionally|Also|Further|Accordingly|In\s+this\s+regard|"
    r"As\s+a\s+related\s+matter|For\s+example|If|To\s+the\s+extent|See|Refer|Otherwise|"
    r"However|Alternatively|Finally|Similarly)\b|^[a-z(•]"
)
_QUOTES_ONLY = re.compile(r"^[\s“”\"’‘'`´]+$")
_PAGE_LINE = re.compile(
    r"^(?:-\s*)?Page\s+\d{1,3}(?:\s+of\s+\d{1,3})?(?:\s*-)?"
    r"(?:\s*[<(\[]?[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4}[>)\]]?)?$",
    re.I,
)
_PAGE_NUMBER = re.compile(r"^(?:-\s*)?\d{1,3}(?:\s*-)?$")
_TRAILING_PAGE_NUMBER = re.compile(r"(?<=[.?!”\"])\s{2,}\d{1,3}$")


@dataclass(slots=True)
class Block:
    """A paragraph, or the part of one that starts at a numbered or labelled line."""

    lines: list[str]
    caption: bool = False
    captions: list[str] = field(default_factory=list)

    @property
    def first(self) -> str:
        return self.lines[0]


def reflow(text: str) -> str:
    """Break text extracted without its paragraphs (a few huge lines) at inline comment
    numbers and answer labels, so the paragraph rules can apply."""
    lines = text.split("\n")
    long_chars = sum(len(line) for line in lines if len(line) > 1500)
    if long_chars < 0.6 * len(text):
        return text
    text = _INLINE_MARKER.sub("\n\n", text)
    return _INLINE_SENTENCE.sub("\n", text)


_CELL = re.compile(r"^[$€£(]?\s*[\d.,—–-]*\s*\)?%?$")
"""A table cell as HTML extraction leaves it, one per paragraph: a figure, a currency sign,
a dash."""


def _in_table(raws: list[str], position: int) -> bool:
    """Whether the lone number at ``position`` sits among table cells (a figure next to
    another figure or a currency sign) rather than at a page break."""
    neighbours = raws[max(position - 1, 0) : position] + raws[position + 1 : position + 2]
    return any(_CELL.match(raw.strip()) and raw.strip() for raw in neighbours)


def letter_blocks(text: str, *, company: bool = False) -> list[Block]:
    """The blocks of cleaned letter text, page layout repaired, captions marked;
    ``company`` also drops response letterheads repeated on every page."""
    paragraphs: list[list[str]] = []
    raws = re.split(r"\n[ \t\f\v]*\n", text)
    for position, raw in enumerate(raws):
        raw_lines = [line.strip()[:_MAX_LINE_CHARS] for line in raw.split("\n") if line.strip()]
        if (
            len(raw_lines) == 1
            and _PAGE_NUMBER.match(raw_lines[0])
            and not _in_table(raws, position)
        ):
            continue
        if company:  # letterhead and legends repeated on every page of a response
            raw_lines = [line for line in raw_lines if not _LETTERHEAD.match(line)]
            if not raw_lines:
                continue
        lines = [
            line
            for line in raw_lines
            if not _QUOTES_ONLY.match(line)
            and not _PAGE_LINE.match(line)
            and (not _is_furniture(line) or NUMBERED.match(line) or buried_number(line))
        ]
        if len(lines) < len(raw_lines) <= 6 and not any(
            NUMBERED.match(line) or buried_number(line) for line in lines
        ):
            continue  # a mail-merge page header
        if lines and len(lines) * 2 > len(raw_lines):
            paragraphs.append(lines)
    header = _header_lines(paragraphs)
    paragraphs = [kept for lines in paragraphs if (kept := _drop_page_header(lines, header))]
    paragraphs = _drop_repeated_addressee(paragraphs, header[0])
    paragraphs = _join_broken(_place_displaced_numbers(paragraphs))
    width = _wrap_width(paragraphs)
    blocks: list[Block] = []
    for lines in paragraphs:
        current: list[str] = []
        for line in lines:
            if current and _opens_block(line) and _ends_line(current[-1]):
                blocks.append(Block(current))
                current = []
            current.append(line)
        blocks.append(Block(current))
    blocks = _split_trailing_captions(blocks, width)
    for block in blocks:
        captions = caption_lines(block.lines, width)
        if captions is not None and not is_marker(block) and not response_label(block.first):
            block.caption, block.captions = True, captions
    return blocks


# --- page furniture -----------------------------------------------------------------------


def _is_furniture(line: str) -> bool:
    """Whether ``line`` holds mail-merge labels or a doubled "Page N" (``_FURNITURE_LINE``;
    a substring test first: the search tried its alternatives at every position)."""
    return may_match(_FURNITURE_LITERALS, line) and _FURNITURE_LINE.search(line) is not None


def _drop_repeated_addressee(paragraphs: list[list[str]], addressee: set[str]) -> list[list[str]]:
    """Drop one-line page headers of responses: an addressee line ("Ms. Jane Doe",
    "Securities and Exchange Commission") repeated after the salutation."""
    body = next(
        (i + 1 for i, lines in enumerate(paragraphs[:60]) if any(map(_SALUTATION.match, lines))),
        None,
    )
    if body is None:
        return paragraphs
    single = [squash(lines[0]) if len(lines) == 1 else "" for lines in paragraphs]
    counts: dict[str, int] = {}
    for squashed in single[body:]:
        if squashed in addressee:
            counts[squashed] = counts.get(squashed, 0) + 1

    def header(squashed: str) -> bool:
        return squashed in addressee and (
            counts.get(squashed, 0) > 1
            or "exchangecommission" in squashed
            or bool(re.match(r"^(?:mr|ms|mrs|dr|miss)\.", squashed))
        )

    return [lines for i, lines in enumerate(paragraphs) if i < body or not header(single[i])]


def _header_lines(paragraphs: list[list[str]]) -> tuple[set[str], str | None]:
    """Squashed addressee lines (before "Re:") and the letter date: what page headers repeat."""
    addressee: set[str] = set()
    letter_date: str | None = None
    in_addressee = True
    for lines in paragraphs[:40]:
        for line in lines:
            if _SALUTATION.match(line):
                return addressee, letter_date
            if re.match(r"^re\s*:", line, re.I):
                in_addressee = False
            squashed = squash(line)
            if letter_date is None and re.match(r"^[a-z]{3,9}\.?\d{1,2},\d{4}$", squashed):
                letter_date = squashed
            elif in_addressee and len(line) < 80:
                addressee.add(squashed)
    return addressee, letter_date


def _drop_page_header(lines: list[str], header: tuple[set[str], str | None]) -> list[str]:
    """The lines without runs that repeat the addressee block and date (page headers)."""
    addressee, letter_date = header
    if letter_date is None:
        return lines

    def furniture(line: str, squashed: str) -> bool:
        return squashed == letter_date or squashed in addressee or bool(_PAGE_LINE.match(line))

    def overlay(squashed: str) -> bool:
        """A mail-merge header read across the page: "Chubb Ltd September 2, 2022 C …"."""
        return letter_date in squashed and any(
            squashed.startswith(name) for name in addressee if len(name) > 3
        )

    pairs = [(line, squash(line)) for line in lines]  # each line squashed once
    pairs = [pair for pair in pairs if not overlay(pair[1])]

    kept: list[str] = []
    index = 0
    while index < len(pairs):
        end = index
        while end < len(pairs) and furniture(*pairs[end]):
            end += 1
        run = pairs[index:end]
        dated = any(squashed == letter_date or _PAGE_LINE.match(line) for line, squashed in run)
        if run and dated and (len(run) >= 2 or len(pairs) == 1):
            index = end
            continue
        # No part of a run that is no page header is one either: keep it whole, so that a
        # long run of addressee-like lines is scanned once, not once per line (quadratic).
        kept.extend(line for line, _ in run or pairs[index : index + 1])
        index = max(end, index + 1)
    return kept


# --- paragraphs broken by the text layer --------------------------------------------------


def _place_displaced_numbers(paragraphs: list[list[str]]) -> list[list[str]]:
    """Put back a comment number that the PDF text layer printed after the comment's first
    lines ("…any additional control\n1.\n\ndeficiencies exist…"): at the start of the
    comment, i.e. after the nearest caption above, else at the start of its paragraph."""
    result: list[list[str]] = []
    for index, lines in enumerate(paragraphs):
        marker = NUMBER_ALONE.match(lines[-1])
        following = paragraphs[index + 1][0] if index + 1 < len(paragraphs) else ""
        if marker and len(lines) > 1 and not NOT_BURIED.search(lines[-2]):
            result.append(lines[:-1])  # the number printed at the end of the paragraph
        elif not (
            marker
            and result
            and following[:1].islower()
            and not TERMINAL.search(result[-1][-1])
            and not NOT_BURIED.search(result[-1][-1])
        ):
            result.append(lines)
            continue
        _prefix_number(result, len(result) - 1, marker.group("num"))
    return result


def _prefix_number(paragraphs: list[list[str]], index: int, number: str) -> None:
    """Prefix ``number`` to the first line of the comment that ends at ``index``.

    When the paragraph already holds the previous comment's number (comments printed
    without a blank line between them), the comment starts at the last sentence-initial
    line that does not continue a request ("In addition, …"); otherwise at the paragraph
    after the nearest caption above, or at the paragraph itself."""
    lines = paragraphs[index]
    numbered = [i for i, line in enumerate(lines) if NUMBERED.match(line)]
    if numbered:
        for line_no in range(len(lines) - 1, numbered[-1], -1):
            line = lines[line_no]
            if TERMINAL.search(lines[line_no - 1]) and not _CONTINUATION.match(line):
                lines[line_no] = f"{number}. {line}"
                return
        return
    start = index
    for back in range(index, max(-1, index - 7), -1):
        first = paragraphs[back][0]
        if back < index and (NUMBERED.match(first) or _SALUTATION.match(first)):
            break
        if back < index and all(is_caption(line) for line in paragraphs[back]):
            start = back + 1
            break
    paragraphs[start] = [f"{number}. {paragraphs[start][0]}", *paragraphs[start][1:]]


def _join_broken(paragraphs: list[list[str]]) -> list[list[str]]:
    """Rejoin a paragraph split by a page break: the next one starts in lower case."""
    joined: list[list[str]] = []
    for lines in paragraphs:
        first = lines[0]
        previous = joined[-1][-1] if joined else ""
        broken_after_connector = (
            len(previous) >= 60
            and ends_in_connector(previous)
            and first[:1].isupper()
            and not _opens_block(first)
        )
        if (
            joined
            and (
                first[:1].islower()
                or (first[:1] in "“\"‘'" and first[1:2].islower())
                or broken_after_connector
            )
            and not BULLET.match(first)
            and not TERMINAL.search(joined[-1][-1])
            and not (
                len(joined[-1]) == 1
                and is_caption(joined[-1][0])
                and not NUMBERED.match(joined[-1][0])
            )
        ):
            joined[-1] = joined[-1] + lines
        else:
            if lines[-1][-1:].isdigit():  # what _TRAILING_PAGE_NUMBER needs; faster than a scan
                lines[-1] = _TRAILING_PAGE_NUMBER.sub("", lines[-1])
            joined.append(lines)
    return joined


# --- splitting paragraphs into blocks -----------------------------------------------------


def _wrap_width(paragraphs: list[list[str]]) -> int:
    lengths = sorted(len(line) for lines in paragraphs if len(lines) > 2 for line in lines[:-1])
    if len(lengths) < 5:
        return 10_000
    return lengths[int(len(lengths) * 0.6)]


def _opens_block(line: str) -> bool:
    return bool(
        NUMBERED.match(line)
        or buried_number(line)
        or NUMBER_ALONE.match(line)
        or (COMMENT_LABEL.match(line) and label_like(line))
        or response_label(line) is not None
    )


def _ends_line(line: str) -> bool:
    """Whether a line can end a block: terminal punctuation, or a caption."""
    return bool(TERMINAL.search(line)) or is_caption(line) or bool(NUMBER_ALONE.match(line))


def _split_trailing_captions(blocks: list[Block], width: int) -> list[Block]:
    """Move caption lines glued to the end of a paragraph (TEXT-EXTRACT) into their own block."""
    result: list[Block] = []
    for index, block in enumerate(blocks):
        lines = block.lines
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if following is not None and len(lines) > 1 and NUMBERED.match(following.first):
            cut = len(lines)
            while cut > 1 and len(lines) - cut < 3 and is_caption(lines[cut - 1]):
                cut -= 1
            tail = lines[cut:]
            if tail and TERMINAL.search(lines[cut - 1]) and caption_lines(tail, width):
                result.extend((Block(lines[:cut]), Block(tail)))
                continue
        result.append(block)
    return result


def is_marker(block: Block) -> bool:
    """A block that only carries a comment's number or label ("1.", "Comment No. 1")."""
    line = block.first
    if len(block.lines) > 1:
        return False
    if NUMBER_ALONE.match(line):
        return True
    match = COMMENT_LABEL.match(line)
    return bool(match and label_like(line) and not match.group("rest"))


def body_start(blocks: list[Block]) -> int:
    """The first block after the salutation (0 when there is none)."""
    for index, block in enumerate(blocks[:60]):
        if any(_SALUTATION.match(line) for line in block.lines):
            return index + 1
    return 0
