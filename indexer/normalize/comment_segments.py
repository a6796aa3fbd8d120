"""Numbered comments in a letter's blocks: where each starts and ends, its heading, its text.

Shared by staff letters (``comments``) and company responses (``responses``).
``numbered_starts`` finds the blocks that open with a comment number and ``choose_sequence``
keeps those that follow the expected sequence (previous + 1): a number that restarts at 1
inside a comment opens a nested list, a numbered caption of the filing is a caption when the
same number follows, a gap of one or two numbers is accepted and reported by ``warn_gaps``.
``is_closing`` recognises the closing boilerplate where comments end ("We remind you that
the company…", "You may contact…", "Sincerely,", "cc:", the Tandy acknowledgement).
``heading_before`` picks the caption a comment is about (the last, most specific one of
stacked captions; inherited when a comment has none). ``collect`` and ``collect_range`` give
a comment's running text: wrapped lines joined, paragraphs kept apart by a blank line,
bullet or lettered items on a line of their own, captions of the next comment left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.normalize.comment_blocks import Block, is_marker
from indexer.normalize.comment_lines import (
    COMMENT_LABEL,
    NUMBER_ALONE,
    NUMBERED,
    buried_number,
    is_caption,
    join_two,
    label_like,
    squash,
)

__all__ = [
    "STAFF_VOICE",
    "Start",
    "choose_sequence",
    "collect",
    "collect_range",
    "heading_before",
    "is_closing",
    "numbered_starts",
    "strip_label",
    "warn_gaps",
]


_MAX_NUMBER = 150
_RUN_LIMIT = 6
"""More stacked short blocks than this are a table, not captions."""


# --- patterns (all anchored and bounded) --------------------------------------------------

_CLOSING_PREFIXES = (
    "sincerely",
    "verytrulyyours",
    "yoursverytruly",
    "yourstruly",
    "respectfullysubmitted",
    "respectfullyyours",
    "respectfully,",
    "bestregards",
    "kindregards",
    "regards,",
    "cc:",
    "cc.:",
    "weurgeallpersons",
    "inrespondingtoourcomments",
    "youmaycontact",
    "pleasedirect",
    "pleasedonothesitate",
    "pleasefeelfreetocontact",
    "donothesitatetocontact",
    "refertorules460and461",
    "wewillconsiderawrittenrequest",
    "pleaseallowadequatetime",
    "inclosing,weremind",
    # the closing paragraphs of letters before 2016
    "pleaseprovideustheinformationrequestedwithin",
    "pleaserespondtothisletterwithin",
    "pleasefurnishacoverletter",
    "pleasefurnishaletter",
    "pleasefileyourresponse",
    "asappropriate,pleaseamend",
    "asappropriate,pleaserespond",
    "inconnectionwithrespondingtoourcomments",
    "inaddition,pleasebeadvisedthatthedivisionofenforcement",
    "notwithstandingourcomments,intheevent",
    "pleaseunderstandthatwemayhaveadditionalcomments",
    "thankyouforyour",
    "/s/",
    "***",
)
"""Openings of closing paragraphs, compared without spaces (PDF text splits words)."""
_CLOSING_SQUASHED = re.compile(
    r"^(?:.{0,30}sincerely,|(?:if|should)you(?:have|require)(?:any)?(?:further|additional)?"
    r"(?:questions|comments)|pleasecontact.{0,150}(?:question|\d{3}\W?\d{4})|"
    r"weremindyouthat.{0,200}(?:responsiblefor|foreclose|ourcomments)|"
    r"divisionofcorporationfinance$)"
)
_TANDY_ACK = re.compile(r"acknowledg\w{0,4}\s+that", re.I)
_TANDY_CLAUSE = re.compile(
    r"(?:responsible\s+for\s+the\s+(?:adequacy\s+and\s+accuracy|accuracy\s+and\s+adequacy)|"
    r"do\s+not\s+foreclose\s+the\s+Commission|may\s+not\s+assert\s+staff\s+comments)",
    re.I,
)
_LETTERED = re.compile(r"^(?:[•●▪◦·\-–—*]|\(?[a-zA-Z]\)|[a-z]\.|\(?[ivx]{1,5}\)|\(\d{1,2}\))\s?")
STAFF_VOICE = re.compile(
    r"^[\"“]?(?:We\s+(?:note(?!\s+the\s+Staff)|also\s+note|further\s+note|believe\s+(?:that\s+)?you|"
    r"have\s+read|have\s+reviewed|reviewed|"
    r"read|are\s+unable|reissue|re-issue|remind|refer|acknowledge\s+your|understand\s+from|"
    r"considered|have\s+considered|could\s+not|cannot|do\s+not\s+(?:see|believe)|"
    r"see\s+that|were\s+unable)|Please|Tell\s+us|Refer|Revise|Disclose|Expand|Provide|"
    r"Explain|Clarify|Quantify|Describe|Discuss|Address|Identify|Consider|Confirm|Advise|Separately|"
    r"File|Include|Remove|Update|Reconcile|Ensure|Supplementally|In\s+future\s+(?:\w+\s+)?"
    r"(?:filings|reports|periods)|To\s+the\s+extent|We\s+are\s+aware|From\s+your|"
    r"In\s+light\s+of|Based\s+on\s+your|For\s+(?:example|instance),?\s+(?:you|your|we)|"
    r"It\s+(?:appears|is\s+unclear|is\s+not\s+clear)|You\s|Your\s|With\s+(?:a\s+view|respect|"
    r"regard)|As\s+a\s+related\s+matter|In\s+(?:this|that)\s+regard|Regarding|Given|"
    r"Since\s+you|Also|Further|Additionally|In\s+addition|Here\s+and|On\s+page|Throughout)",
    re.I,
)


@dataclass(slots=True)
class Start:
    """A comment start: block index, number (None when unnumbered) and the opening text."""

    block: int
    number: int | None
    rest: str
    strong: bool = True
    buried: bool = False
    after_colon: bool = False
    """The block before ends with a colon (a list follows)."""
    lead: bool = False
    """Follows a caption or opens in the staff's voice: looks like a real comment."""
    on_caption: bool = False
    """Placed on the caption printed under a "Comment 1:" label (the caption heads it)."""


# --- where comments start -----------------------------------------------------------------


def numbered_starts(blocks: list[Block], body: int) -> list[Start]:
    """Blocks from ``body`` on that open with a comment number ("1.", "1)", the number
    alone, a number behind mail-merge residue), for ``choose_sequence`` to pick from."""
    starts: list[Start] = []
    for index in range(body, len(blocks)):
        block = blocks[index]
        line = block.first
        match = NUMBERED.match(line)
        alone = NUMBER_ALONE.match(line)
        start: Start | None = None
        if alone and len(block.lines) == 1:
            start = Start(index, int(alone.group("num")), "")
        elif match:
            rest = match.group("rest").strip()
            if rest[:1].islower() and not rest.startswith("e."):
                continue  # a wrapped line or a list item inside a sentence
            full_rest = " ".join([rest, *block.lines[1:]]).strip()
            weak = is_caption(full_rest) and not STAFF_VOICE.match(full_rest)
            start = Start(index, int(match.group("num")), rest, strong=not weak)
        elif buried := buried_number(line):
            rest = _clean_overlay(buried.group("rest"))
            start = Start(index, int(buried.group("num")), rest, buried=True)
        if start is None or not 0 < (start.number or 0) <= _MAX_NUMBER:
            continue
        previous = blocks[index - 1] if index > body else None
        opening = start.rest or (blocks[index + 1].first if index + 1 < len(blocks) else "")
        start.after_colon = bool(previous and previous.lines[-1].endswith(":"))
        start.lead = bool(
            (previous and previous.caption) or STAFF_VOICE.match(strip_label(opening))
        )
        starts.append(start)
    return starts


def _clean_overlay(rest: str) -> str:
    """The text of a line read across a mail-merge overlay: "LtNTX Please …" → "Please …";
    "We note your dil ld Fir 10. ame We note your references …" → the second copy."""
    rest = re.sub(r"^[A-Z][a-z]?[A-Z][A-Za-z]{0,4}\s+(?=[A-Z][a-z])", "", rest)
    opening = " ".join(rest.split()[:3])
    again = rest.find(opening, len(opening)) if len(opening) > 8 else -1
    return rest[again:] if again > 0 else rest


def choose_sequence(starts: list[Start], *, first_expected: int | None) -> list[Start]:
    """The starts that form the comment sequence 1, 2, 3, … (gaps allowed, nesting skipped).

    A number that restarts at 1 after a comment opens a nested list; its items are skipped.
    When an item of that list also has the expected number, it is still taken as nested if
    the same number comes again later, or if the list was introduced by a colon and the
    item neither follows a caption nor opens in the staff's voice.
    """
    chosen: list[Start] = []
    expected = first_expected
    run_next: int | None = None  # next number of a nested list restarted at 1
    run_colon = False
    last: dict[int | None, int] = {}  # number -> last position
    last_plain: dict[int | None, int] = {}  # the same, numbers printed at a line start
    for position, start in enumerate(starts):
        last[start.number] = position
        if not start.buried:
            last_plain[start.number] = position

    def again(number: int | None, position: int) -> bool:
        return last.get(number, -1) > position

    for position, start in enumerate(starts):
        number = start.number
        if number is None:
            continue
        if start.buried and (number != expected or last_plain.get(number, -1) > position):
            continue
        if expected is None:  # a response may answer from any comment on
            expected = number if start.strong and number <= 3 else None
        if expected is None or (
            not start.strong
            and any(s.number == number for s in starts[position + 1 : position + 4])
        ):
            continue
        if number == expected:
            if (
                run_next is not None
                and number == run_next
                and (again(expected, position) or (run_colon and not start.lead))
            ):
                run_next += 1
                continue
            chosen.append(start)
            expected, run_next = number + 1, None
        elif run_next is not None and number == run_next:
            run_next += 1
        elif number == 1 and chosen:
            run_next, run_colon = 2, start.after_colon
        elif (
            expected < number <= expected + 2
            and start.strong
            and run_next is None
            and not again(expected, position)
        ):
            chosen.append(start)
            expected = number + 1
    return chosen


def warn_gaps(chosen: list[Start], warnings: list[str], *, from_one: bool = True) -> None:
    """Warn where the chosen numbers skip ("comment numbering skips from N to M");
    unless ``from_one``, the numbering may start above 1."""
    previous = 0
    for start in chosen:
        if start.number is None:
            continue
        if start.number != previous + 1 and (from_one or previous):
            warnings.append(f"comment numbering skips from {previous} to {start.number}")
        previous = start.number


# --- where comments end -------------------------------------------------------------------


def is_closing(blocks: list[Block], index: int) -> bool:
    """Whether block ``index`` is closing boilerplate (sign-off, contact lines, the
    Tandy acknowledgement), where the comments end."""
    block = blocks[index]
    squashed = squash(" ".join(block.lines[:4])[:400])
    if squashed.startswith(_CLOSING_PREFIXES) or _CLOSING_SQUASHED.match(squashed):
        return True
    if _TANDY_ACK.search(" ".join(block.lines)[:600]):
        window = " ".join(" ".join(b.lines) for b in blocks[index : index + 3])[:2000]
        return bool(_TANDY_CLAUSE.search(window))
    return False


# --- headings -----------------------------------------------------------------------------


def heading_before(
    blocks: list[Block],
    begin: int,
    start: int,
    inherited: str | None,
    *,
    first: bool = False,
    on_caption: bool = False,
) -> str | None:
    """The last caption of the caption blocks right above ``start``, else ``inherited``.

    Above the first comment, up to two introductory paragraphs may separate it from its
    caption ("Note 2. …" then "We have reviewed your responses … and have the following
    comments").
    """
    index = start - 1
    if on_caption:
        index = start
    while index >= begin and is_marker(blocks[index]):
        index -= 1
    if first:
        skipped = 0
        while index >= begin and not blocks[index].caption and skipped < 2:
            if is_closing(blocks, index):
                return inherited
            index -= 1
            skipped += 1
        if index < begin or not blocks[index].caption:
            index = start - 1
    captions: list[str] = []
    count = 0
    while (
        index >= begin
        and count <= _RUN_LIMIT
        and blocks[index].caption
        and not is_closing(blocks, index)
    ):
        captions = blocks[index].captions + captions
        count += 1
        index -= 1
    if not captions or count > _RUN_LIMIT:
        return inherited
    return _clean_heading(captions[-1])


def _clean_heading(caption: str) -> str:
    return re.sub(r"\s+", " ", caption).strip()


# --- comment text -------------------------------------------------------------------------


def collect(blocks: list[Block], start: Start, end: int, *, answer: bool = False) -> str:
    """Comment text (or an answer): the opening after the marker, then blocks up to ``end``."""
    first = [line for line in (start.rest, *blocks[start.block].lines[1:]) if line]
    text = collect_range(blocks, start.block + 1, end, first)
    return text if answer else strip_label(text, start.number)


def collect_range(blocks: list[Block], begin: int, end: int, first: list[str] | None = None) -> str:
    """Running text of blocks ``begin``..``end``, stopping at closing boilerplate and
    leaving out the captions just above ``end`` (they head the next comment)."""
    parts: list[list[str]] = [first] if first else []
    stop = end
    for index in range(begin, end):
        if is_closing(blocks, index):
            stop = index
            break
    while stop > begin and (blocks[stop - 1].caption or is_marker(blocks[stop - 1])):
        stop -= 1
    parts.extend(blocks[index].lines for index in range(begin, stop))
    return "\n\n".join(_running_text(lines) for lines in parts if lines).strip()


def strip_label(text: str, number: int | None = None) -> str:
    """The text without a leading marker kept by a label start ("1.", "Comment No. 1",
    "Staff's comment:")."""
    for _ in range(3):
        first, _sep, remainder = text.partition("\n")
        marker = re.match(r"^(\d{1,3})\s?[.)](?!\d)\s*", first)
        if marker and number is not None and int(marker.group(1)) == number:
            first = first[marker.end() :]
        else:
            match = COMMENT_LABEL.match(first)
            if not match or not label_like(first):
                break
            first = match.group("rest") or ""
        text = (first + "\n" + remainder if first else remainder).strip()
    return text.strip()


def _running_text(lines: list[str]) -> str:
    out = ""
    for line in lines:
        if not out:
            out = line
        elif _LETTERED.match(line) and not _LETTERED.match(line[2:].lstrip() or "x"):
            out += "\n" + line
        else:
            out = join_two(out, line)
    return out
