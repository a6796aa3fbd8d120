"""Numbered-comment segmentation: staff comments and the company's answers to them.

``parse_comments(text, sender=...)`` takes CLEANED letter text (``clean_text``: paragraphs
separated by a blank line, lines by ``\\n``) and returns a ``CommentParse``: the comments in
order and warnings about what looked wrong. Pure: no I/O, never raises on odd input.

Staff letters (``sender="sec"``)
    A comment starts at a block (a paragraph, or the part of one that begins at a numbered
    line) opening with its number: ``1.``, ``1)``, ``1 .``, or the number alone followed by
    the text. Numbers must follow the expected sequence (previous + 1); a number that
    restarts at 1 inside a comment opens a nested list whose items are not comments, and a
    lost number is searched for inside the lines of the gap (mail-merge garbage can precede
    it). A comment runs to the next comment or to the closing boilerplate ("We remind you
    that the company…", "You may contact…", "Sincerely,", the Tandy acknowledgement, …).
    Its heading is the nearest caption above it (a short block that is not a sentence, or
    one that ends in "page N"); when captions stack, the last (most specific) one is used,
    as printed. A comment without a caption of its own inherits the previous heading.
Company letters (``sender="company"``)
    Each restated comment (numbered, "Comment 1:", "Comment No. 1", "Staff's comment:", or
    unnumbered before a "Response:" label) becomes one ``Comment`` whose ``response`` is the
    company's answer up to the next restated comment or the closing ("* * *", "Sincerely",
    "If you have any questions", …). Answers by number without a restatement give
    ``text=""``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.normalize.letter import Comment

__all__ = ["CommentParse", "parse_comments"]

_MAX_TEXT_CHARS = 1_000_000
_MAX_LINE_CHARS = 5_000
_MAX_NUMBER = 150
_RUN_LIMIT = 6
"""More stacked short blocks than this are a table, not captions."""


@dataclass(frozen=True, slots=True)
class CommentParse:
    """The comments found in one letter, and what looked wrong while finding them."""

    comments: tuple[Comment, ...]
    warnings: tuple[str, ...]


# --- patterns (all anchored and bounded) -------------------------------------------------

_SALUTATION = re.compile(
    r"^(?:Dear\b.{0,120}[:,;]?|Ladies\s+and\s+Gentlemen\s*[:,;.]?|Gentlemen\s*[:,;]|"
    r"To\s+whom\s+it\s+may\s+concern\s*[:,;]?)\s*$",
    re.I,
)
_NUMBERED = re.compile(r"^[^\w([$]{0,2}?(?P<num>\d{1,3})\s?[.)](?![\d.,])\s*(?P<rest>.{0,5000})$")
_NUMBER_ALONE = re.compile(r"^(?P<num>\d{1,3})\s?[.)]$")
_BURIED = re.compile(r"^(?P<pre>[^.:;?!]{1,30}?)\s(?P<num>\d{1,3})\.\s+(?P<rest>[A-Z].{0,5000})$")
"""A number behind mail-merge residue: "Tony Xu 10. We note …"."""
_NOT_BURIED = re.compile(
    r"(?:Note|Item|comments?|pages?|No|Nos|Section|Rule|Article|Part|Schedule|Exhibit|Step|"
    r"Topic|Question|ASC|Form|Table|\$|%|\d)\s*$",
    re.I,
)
_COMMENT_LABEL = re.compile(
    r"^(?:\d{1,3}\s?[.)]\s*)?(?:(?:SEC|Staff(?:['’]s)?|The\s+Staff['’]s)\s+)?"
    r"Comments?\s*(?:No\.?|Number|#)?\s*(?P<num>\d{1,3}(?![\d.,]*\d))?"
    r"\s*(?:[:.\-–—)]\s*|$)(?P<rest>.{0,5000})$",
    re.I,
)
_RESPONSE_LABEL = re.compile(
    r"^(?:(?:The\s+)?(?:[A-Z][\w&.'’-]{0,25}\s+){0,2})?(?:Response|Answer)s?"
    r"(?:\s+to\s+(?:the\s+)?(?:Staff['’]?s?\s+)?(?:Comment|Question)s?\s*(?:No\.?|Number|#)?\s*"
    r"(?P<num>\d{1,3}))?\s*(?:[:.\-–—]\s*|$)(?P<rest>.{0,5000})$",
    re.I,
)
_STRICT_RESPONSE_WORD = re.compile(r"\b(?:Response|Answer)s?\b", re.I)
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
_PAGE_REF = re.compile(
    r"\bpages?\s*[A-Z]{0,2}\s?-?\s?\d{1,4}(?:\s*(?:-|–|and|to)\s*[A-Z]?-?\d{1,4})?\s*\)?$", re.I
)
_SENTENCE_INSIDE = re.compile(r"[a-z]{3}[.?!][\"”’)]?\s+[A-Z]")
_ENDS_ABBREVIATION = re.compile(
    r"(?:\b(?:Inc|Corp|Co|Ltd|Plc|L\.P|N\.A|S\.A|LLC|No|Nos)\.|\.\s?\.\s?\.[\"”]?)$", re.I
)
_TERMINAL = re.compile(r"[.?!:;][\"”’)\]]{0,2}$")
_BULLET = re.compile(r"^(?:[•●▪◦·\-–—*o]\s|[•●▪◦·]|\(?[a-zA-Z]\)\s|[a-z]\.\s|\(?[ivx]{1,5}\)\s)")
_LETTERED = re.compile(r"^(?:[•●▪◦·\-–—*]|\(?[a-zA-Z]\)|[a-z]\.|\(?[ivx]{1,5}\)|\(\d{1,2}\))\s?")
_LETTER_MARK = re.compile(r"^\(?(?:[a-zA-Z]|\d{1,2}|[ivx]{1,5})\)\s")
_FURNITURE_LINE = re.compile(r"FirstName|LastName|Com(?:a)?pany Nam|Page \d+\s?Page \d+", re.I)
_QUOTES_ONLY = re.compile(r"^[\s“”\"’‘'`´]+$")
_DATE_LINE = re.compile(r"^[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s?,\s?\d{4}$")
_PAGE_LINE = re.compile(
    r"^(?:-\s*)?Page\s+\d{1,3}(?:\s+of\s+\d{1,3})?(?:\s*-)?"
    r"(?:\s*[<(\[]?[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4}[>)\]]?)?$",
    re.I,
)
_PAGE_NUMBER = re.compile(r"^(?:-\s*)?\d{1,3}(?:\s*-)?$")
_TRAILING_PAGE_NUMBER = re.compile(r"(?<=[.?!”\"])\s{2,}\d{1,3}$")
_ASKS_RESPONSE = re.compile(
    r"following\s+comments?|respond\s+to\s+(?:these|this|our|the)\s+(?:comments?|letter)", re.I
)
_CONNECTOR_END = re.compile(
    r"(?:[,\-–—&/(]|\b(?:of|and|or|the|a|an|to|for|in|on|by|with|our|your|its|from|at|as|"
    r"page|pages|under|into|per|vs\.?))$",
    re.I,
)
_STAFF_VOICE = re.compile(
    r"^[\"“]?(?:We\s+(?:note|also\s+note|further\s+note|have\s+read|have\s+reviewed|reviewed|"
    r"read|are\s+unable|reissue|re-issue|remind|refer|acknowledge\s+your|understand\s+from|"
    r"considered|have\s+considered|could\s+not|cannot|do\s+not\s+(?:see|believe)|"
    r"see\s+that|were\s+unable)|Please|Tell\s+us|Refer|Revise|Disclose|Expand|Provide|"
    r"Explain|Clarify|Quantify|Describe|Discuss|Address|Identify|Consider|Confirm|Advise|"
    r"File|Include|Remove|Update|Reconcile|Ensure|Supplementally|In\s+future\s+(?:\w+\s+)?"
    r"(?:filings|reports|periods)|To\s+the\s+extent|We\s+are\s+aware|From\s+your|"
    r"In\s+light\s+of|Based\s+on\s+your|For\s+(?:example|instance),?\s+(?:you|your|we)|"
    r"It\s+(?:appears|is\s+unclear|is\s+not\s+clear)|You\s|Your\s|With\s+(?:a\s+view|respect|"
    r"regard)|As\s+a\s+related\s+matter|In\s+(?:this|that)\s+regard|Regarding|Given|"
    r"Since\s+you|Also|Further|Additionally|In\s+addition|Here\s+and|On\s+page|Throughout)",
    re.I,
)


_COMPANY_VOICE = re.compile(
    r"^[\"“]?(?:The\s+(?:Company|Registrant|Partnership|Trust|Bank|Corporation|Fund)\b|"
    r"We\s+(?:have(?!\s+(?:read|reviewed|considered|been\s+unable))|will|respectfully|acknowledge(?!\s+your)|confirm|"
    r"believe(?!\s+(?:that\s+)?you)|agree|advise|do|are|did|"
    r"understand|supplementally|note\s+the\s+Staff|appreciate|hereby|intend|propose|"
    r"considered|would|recognize|concluded|present|record|report|exclude|revised)|"
    r"In\s+response|As\s+(?:requested|noted|discussed|described|disclosed|previously)|Our\s|"
    r"Management|[A-Z][\w&.’'-]{1,30}\s+(?:respectfully|acknowledges|confirms|advises|believes|"
    r"will|has|notes|agrees)\b)"
)


# --- blocks -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Block:
    """A paragraph, or the part of one that starts at a numbered or labelled line."""

    lines: list[str]
    caption: bool = False
    captions: list[str] = field(default_factory=list)

    @property
    def first(self) -> str:
        return self.lines[0]


@dataclass(slots=True)
class _Start:
    """A comment start: block index, number (None when unnumbered) and the opening text."""

    block: int
    number: int | None
    rest: str
    strong: bool = True
    buried: bool = False


def parse_comments(text: str, *, sender: str) -> CommentParse:
    """The numbered comments of a staff letter, or the restated comments of a response."""
    warnings: list[str] = []
    if not isinstance(text, str) or not text.strip():
        return CommentParse((), ())
    if len(text) > _MAX_TEXT_CHARS:
        text = text[:_MAX_TEXT_CHARS]
        warnings.append(f"text truncated to {_MAX_TEXT_CHARS} characters for comment parsing")
    blocks = _blocks(text)
    body = _body_start(blocks)
    if sender == "company":
        restating = _mentions_restated(text)
        comments = _parse_response(blocks, body, warnings, restating=restating)
        if not comments and restating:
            warnings.append("no restated comments found in a letter that restates comments")
    else:
        comments = _parse_staff(blocks, body, warnings)
        if not comments and _ASKS_RESPONSE.search(text[:6000]):
            warnings.append("no numbered comments found")
    return CommentParse(tuple(comments), tuple(warnings))


def _blocks(text: str) -> list[_Block]:
    paragraphs: list[list[str]] = []
    for raw in re.split(r"\n[ \t\f\v]*\n", text):
        raw_lines = [line.strip()[:_MAX_LINE_CHARS] for line in raw.split("\n") if line.strip()]
        if len(raw_lines) == 1 and _PAGE_NUMBER.match(raw_lines[0]):
            continue
        lines = [
            line
            for line in raw_lines
            if not _QUOTES_ONLY.match(line)
            and not _PAGE_LINE.match(line)
            and (not _FURNITURE_LINE.search(line) or _NUMBERED.match(line) or _buried(line))
        ]
        if len(lines) < len(raw_lines) and len(raw_lines) <= 6:
            if not any(_NUMBERED.match(line) or _buried(line) for line in lines):
                continue  # a mail-merge page header
        if lines and len(lines) * 2 > len(raw_lines):
            paragraphs.append(lines)
    header = _header_lines(paragraphs)
    paragraphs = [kept for lines in paragraphs if (kept := _drop_page_header(lines, header))]
    paragraphs = _drop_repeated_addressee(paragraphs, header[0])
    paragraphs = _join_broken(paragraphs)
    width = _wrap_width(paragraphs)
    blocks: list[_Block] = []
    for lines in paragraphs:
        current: list[str] = []
        for line in lines:
            if current and _opens_block(line) and _ends_line(current[-1]):
                blocks.append(_Block(current))
                current = []
            current.append(line)
        blocks.append(_Block(current))
    _split_trailing_captions(blocks, width)
    for block in blocks:
        captions = _caption_lines(block.lines, width)
        if captions is not None and not _is_marker(block) and not _response_label(block.first):
            block.caption, block.captions = True, captions
    return blocks


def _drop_repeated_addressee(paragraphs: list[list[str]], addressee: set[str]) -> list[list[str]]:
    """Drop one-line page headers of responses: an addressee line ("Ms. Jane Doe",
    "Securities and Exchange Commission") repeated after the salutation."""
    body = next(
        (i + 1 for i, lines in enumerate(paragraphs[:60]) if any(map(_SALUTATION.match, lines))),
        None,
    )
    if body is None:
        return paragraphs
    single = [_squash(lines[0]) if len(lines) == 1 else "" for lines in paragraphs]
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

    return [
        lines for i, lines in enumerate(paragraphs) if i < body or not header(single[i])
    ]


def _join_broken(paragraphs: list[list[str]]) -> list[list[str]]:
    """Rejoin a paragraph split by a page break: the next one starts in lower case."""
    joined: list[list[str]] = []
    for lines in paragraphs:
        first = lines[0]
        if (
            joined
            and first[:1].islower()
            and not _BULLET.match(first)
            and not _TERMINAL.search(joined[-1][-1])
            and not _is_caption(joined[-1][-1])
        ):
            joined[-1] = joined[-1] + lines
        else:
            lines[-1] = _TRAILING_PAGE_NUMBER.sub("", lines[-1])
            joined.append(lines)
    return joined


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
            squashed = _squash(line)
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

    def furniture(line: str) -> bool:
        squashed = _squash(line)
        return squashed == letter_date or squashed in addressee or bool(_PAGE_LINE.match(line))

    def overlay(line: str) -> bool:
        """A mail-merge header read across the page: "Chubb Ltd September 2, 2022 C …"."""
        squashed = _squash(line)
        return letter_date in squashed and any(
            squashed.startswith(name) for name in addressee if len(name) > 3
        )

    lines = [line for line in lines if not overlay(line)]

    kept: list[str] = []
    index = 0
    while index < len(lines):
        end = index
        while end < len(lines) and furniture(lines[end]):
            end += 1
        run = lines[index:end]
        dated = any(_squash(line) == letter_date or _PAGE_LINE.match(line) for line in run)
        if run and dated and (len(run) >= 2 or len(lines) == 1):
            index = end
            continue
        kept.append(lines[index])
        index += 1
    return kept


def _wrap_width(paragraphs: list[list[str]]) -> int:
    lengths = sorted(len(line) for lines in paragraphs if len(lines) > 2 for line in lines[:-1])
    if len(lengths) < 5:
        return 10_000
    return lengths[int(len(lengths) * 0.6)]


def _buried(line: str) -> re.Match[str] | None:
    match = _BURIED.match(line)
    if match and not _NOT_BURIED.search(match.group("pre")):
        return match
    return None


def _opens_block(line: str) -> bool:
    return bool(
        _NUMBERED.match(line)
        or _buried(line)
        or _NUMBER_ALONE.match(line)
        or (_COMMENT_LABEL.match(line) and _label_like(line))
        or _response_label(line) is not None
    )


def _ends_line(line: str) -> bool:
    """Whether a line can end a block: terminal punctuation, or a caption."""
    return bool(_TERMINAL.search(line)) or _is_caption(line) or bool(_NUMBER_ALONE.match(line))


def _split_trailing_captions(blocks: list[_Block], width: int) -> None:
    """Move caption lines glued to the end of a paragraph (TEXT-EXTRACT) into their own block."""
    index = 0
    while index < len(blocks) - 1:
        block, following = blocks[index], blocks[index + 1]
        lines = block.lines
        if len(lines) > 1 and _NUMBERED.match(following.first):
            cut = len(lines)
            while cut > 1 and len(lines) - cut < 3 and _is_caption(lines[cut - 1]):
                cut -= 1
            if cut < len(lines) and _TERMINAL.search(lines[cut - 1]):
                tail = lines[cut:]
                if _caption_lines(tail, width) is not None:
                    blocks[index] = _Block(lines[:cut])
                    blocks.insert(index + 1, _Block(tail))
                    index += 1
        index += 1


def _body_start(blocks: list[_Block]) -> int:
    for index, block in enumerate(blocks[:60]):
        if any(_SALUTATION.match(line) for line in block.lines):
            return index + 1
    return 0


# --- captions -----------------------------------------------------------------------------


def _is_caption(text: str) -> bool:
    """A short line or block that names a part of the filing rather than saying something."""
    text = text.strip()
    if len(text) < 3 or len(text) > 260 or "|" in text or "@" in text:
        return False
    first = text[0]
    if not (first.isupper() or first.isdigit() or first in "\"“'‘([" or _LETTER_MARK.match(text)):
        return False
    if sum(ch.isalpha() for ch in text) < 3:
        return False
    if _BULLET.match(text) and not (_LETTER_MARK.match(text) and _PAGE_REF.search(text)):
        return False
    lowered = text.lower()
    if lowered.startswith(("confidential treatment", "re:", "file no", "dear ", "http")):
        return False
    if _PAGE_REF.search(text):
        return not _SENTENCE_INSIDE.search(text[: max(0, len(text) - 40)]) or len(text) < 160
    if len(text) > 110 or len(text.split()) > 16:
        return False
    if _TERMINAL.search(text) and not _ENDS_ABBREVIATION.search(text):
        return False
    if text.endswith(","):
        return False
    return not _SENTENCE_INSIDE.search(text)


def _caption_lines(lines: list[str], width: int) -> list[str] | None:
    """The captions of a block made only of captions (wrapped lines joined), else None."""
    if len(lines) > 6:
        return None
    captions: list[str] = []
    for line in lines:
        if captions and _continues(captions[-1], line, width):
            captions[-1] = _join_two(captions[-1], line)
        else:
            captions.append(line)
    if all(_is_caption(caption) for caption in captions):
        return captions
    return None


def _continues(previous: str, line: str, width: int) -> bool:
    """Whether ``line`` wraps ``previous`` (one caption) rather than stacking a new caption."""
    if (line[:1].islower() and not _LETTER_MARK.match(line)) or re.match(r"^(?:pages?\s+)?[A-Z]?-?\d{1,4}\)?$", line):
        return True
    if _CONNECTOR_END.search(previous) or _open_quote(previous):
        return True
    return (
        len(previous) >= width * 0.9
        and not _PAGE_REF.search(previous)
        and len(line.split()) <= 4
        and bool(_PAGE_REF.search(line))
    )


def _open_quote(text: str) -> bool:
    return text.count("“") > text.count("”") or (
        text.count('"') % 2 == 1 and text.lstrip()[:1] == '"'
    )


# --- staff letters ------------------------------------------------------------------------


def _parse_staff(blocks: list[_Block], body: int, warnings: list[str]) -> list[Comment]:
    starts = _numbered_starts(blocks, body)
    chosen = _choose_sequence(starts, first_expected=1)
    _warn_gaps(chosen, warnings)
    comments: list[Comment] = []
    heading: str | None = None
    for position, start in enumerate(chosen):
        end = chosen[position + 1].block if position + 1 < len(chosen) else len(blocks)
        heading = _heading_before(blocks, body, start.block, heading, first=not position)
        parts = _collect(blocks, start, end)
        if start.number is not None:
            comments.append(Comment(number=start.number, heading=heading, text=parts))
        body = start.block + 1
    return comments


def _numbered_starts(blocks: list[_Block], body: int) -> list[_Start]:
    starts: list[_Start] = []
    for index in range(body, len(blocks)):
        block = blocks[index]
        line = block.first
        match = _NUMBERED.match(line)
        alone = _NUMBER_ALONE.match(line)
        if alone and len(block.lines) == 1:
            number = int(alone.group("num"))
            nxt = blocks[index + 1].first if index + 1 < len(blocks) else ""
            if not line.rstrip().endswith((".", ")")) and not (nxt[:1].isupper() and len(nxt) > 40):
                continue
            if 0 < number <= _MAX_NUMBER:
                starts.append(_Start(index, number, ""))
            continue
        buried = None if match else _buried(line)
        if not match and not buried:
            continue
        if buried:
            number = int(buried.group("num"))
            if 0 < number <= _MAX_NUMBER:
                starts.append(_Start(index, number, buried.group("rest"), buried=True))
            continue
        number = int(match.group("num"))
        rest = match.group("rest").strip()
        if not 0 < number <= _MAX_NUMBER or (rest[:1].islower() and not rest.startswith("e.")):
            continue
        full_rest = " ".join([rest, *block.lines[1:]]).strip()
        weak = _is_caption(full_rest) and not _STAFF_VOICE.match(full_rest)
        starts.append(_Start(index, number, rest, strong=not weak))
    return starts


def _choose_sequence(starts: list[_Start], *, first_expected: int | None) -> list[_Start]:
    """The starts that form the comment sequence 1, 2, 3, … (gaps allowed, nesting skipped)."""
    chosen: list[_Start] = []
    expected = first_expected
    run_next: int | None = None  # next number of a nested list restarted at 1
    for position, start in enumerate(starts):
        number = start.number
        if number is None:
            continue
        later = starts[position + 1 :]
        if start.buried and (
            number != expected or any(s.number == number and not s.buried for s in later)
        ):
            continue
        if expected is None:
            if start.strong and number <= 3:
                chosen.append(start)
                expected, run_next = number + 1, None
            continue
        if not start.strong and any(s.number == number for s in later[:3]):
            continue
        if number == expected:
            in_run = run_next is not None and number == run_next
            if in_run and any(s.number == expected for s in later):
                run_next += 1
                continue
            chosen.append(start)
            expected, run_next = number + 1, None
        elif run_next is not None and number == run_next:
            run_next += 1
        elif number == 1 and chosen:
            run_next = 2
        elif expected < number <= expected + 2 and start.strong and run_next is None:
            if not any(s.number == expected for s in later):
                chosen.append(start)
                expected = number + 1
    return chosen


def _warn_gaps(chosen: list[_Start], warnings: list[str]) -> None:
    previous = 0
    for start in chosen:
        if start.number is None:
            continue
        if start.number != previous + 1:
            warnings.append(f"comment numbering skips from {previous} to {start.number}")
        previous = start.number


def _is_closing(blocks: list[_Block], index: int) -> bool:
    block = blocks[index]
    squashed = _squash(" ".join(block.lines[:4])[:400])
    if squashed.startswith(_CLOSING_PREFIXES) or _CLOSING_SQUASHED.match(squashed):
        return True
    if _TANDY_ACK.search(" ".join(block.lines)[:600]):
        window = " ".join(" ".join(b.lines) for b in blocks[index : index + 3])[:2000]
        return bool(_TANDY_CLAUSE.search(window))
    return False


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def _heading_before(
    blocks: list[_Block], begin: int, start: int, inherited: str | None, *, first: bool = False
) -> str | None:
    """The last caption of the caption blocks right above ``start``, else ``inherited``.

    Above the first comment, up to two introductory paragraphs may separate it from its
    caption ("Note 2. …" then "We have reviewed your responses … and have the following
    comments").
    """
    index = start - 1
    while index >= begin and _is_marker(blocks[index]):
        index -= 1
    if first:
        skipped = 0
        while index >= begin and not blocks[index].caption and skipped < 2:
            if _is_closing(blocks, index):
                return inherited
            index -= 1
            skipped += 1
        if index < begin or not blocks[index].caption:
            index = start - 1
    captions: list[str] = []
    count = 0
    while index >= begin and blocks[index].caption and not _is_closing(blocks, index):
        captions = blocks[index].captions + captions
        count += 1
        index -= 1
    if not captions or count > _RUN_LIMIT:
        return inherited
    return _clean_heading(captions[-1])


def _is_marker(block: _Block) -> bool:
    """A block that only carries a comment's number or label ("1.", "Comment No. 1")."""
    line = block.first
    if len(block.lines) > 1:
        return False
    if _NUMBER_ALONE.match(line):
        return True
    match = _COMMENT_LABEL.match(line)
    return bool(match and _label_like(line) and not match.group("rest"))


def _clean_heading(caption: str) -> str:
    return re.sub(r"\s+", " ", caption).strip()


def _collect(blocks: list[_Block], start: _Start, end: int, *, answer: bool = False) -> str:
    """Comment text (or an answer): the opening after the marker, then blocks up to ``end``."""
    first = [start.rest, *blocks[start.block].lines[1:]] if start.rest else []
    text = _collect_range(blocks, start.block + 1, end, first)
    return text if answer else _strip_label(text, start.number)


def _collect_range(
    blocks: list[_Block], begin: int, end: int, first: list[str] | None = None
) -> str:
    """Running text of blocks ``begin``..``end``, stopping at closing boilerplate and
    leaving out the captions just above ``end`` (they head the next comment)."""
    parts: list[list[str]] = [first] if first else []
    stop = end
    for index in range(begin, end):
        if _is_closing(blocks, index):
            stop = index
            break
    while stop > begin and (blocks[stop - 1].caption or _is_marker(blocks[stop - 1])):
        stop -= 1
    parts.extend(blocks[index].lines for index in range(begin, stop))
    return "\n\n".join(_running_text(lines) for lines in parts if lines).strip()


def _strip_label(text: str, number: int | None = None) -> str:
    """The text without a leading marker kept by a label start ("1.", "Comment No. 1",
    "Staff's comment:")."""
    for _ in range(3):
        first, _sep, remainder = text.partition("\n")
        marker = re.match(r"^(\d{1,3})\s?[.)](?!\d)\s*", first)
        if marker and number is not None and int(marker.group(1)) == number:
            first = first[marker.end() :]
        else:
            match = _COMMENT_LABEL.match(first)
            if not match or not _label_like(first):
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
            out = _join_two(out, line)
    return out


def _join_two(left: str, right: str) -> str:
    if left.endswith("-") and len(left) > 1 and left[-2].isalpha() and right[:1].islower():
        return left + right
    return f"{left} {right}"


# --- company responses --------------------------------------------------------------------


def _label_like(line: str) -> bool:
    """A comment label, not a sentence that starts with "Comment"."""
    match = _COMMENT_LABEL.match(line)
    if not match:
        return False
    head = line[: match.start("rest")] if match.group("rest") else line
    return bool(match.group("num")) or bool(re.search(r"[:.\-–—)]\s*$", head.strip()))


def _response_label(line: str) -> re.Match[str] | None:
    """A "Response:" label ("Company Response:", "Response to Comment No. 1", "RESPONSE")."""
    match = _RESPONSE_LABEL.match(line)
    if not match:
        return None
    word = _STRICT_RESPONSE_WORD.search(line[:80])
    if word is None:
        return None
    prefix = line[: word.start()].split()
    if len(prefix) > 2 or any(not w[:1].isupper() for w in prefix):
        return None
    head = line[: match.start("rest")] if match.group("rest") else line
    if match.group("rest") and not re.search(r"[:.\-–—]\s*$", head.rstrip()):
        return None
    return match


def _parse_response(
    blocks: list[_Block], body: int, warnings: list[str], *, restating: bool
) -> list[Comment]:
    labels = [i for i in range(body, len(blocks)) if _response_label(blocks[i].first)]
    if labels:
        return _pair_with_labels(blocks, body, labels, warnings)
    starts = _company_starts(blocks, body)
    chosen = _choose_sequence(starts, first_expected=None)
    _warn_gaps(chosen, warnings)
    comments: list[Comment] = []
    heading: str | None = None
    begin = body
    for position, start in enumerate(chosen):
        end = chosen[position + 1].block if position + 1 < len(chosen) else len(blocks)
        heading = _heading_before(blocks, begin, start.block, heading, first=not position)
        text, response = _split_unlabelled(blocks, start, end, restating=restating)
        comments.append(
            Comment(
                number=start.number or position + 1, heading=heading, text=text, response=response
            )
        )
        begin = start.block + 1
    return comments


def _company_starts(blocks: list[_Block], body: int) -> list[_Start]:
    """Numbered starts and "Comment N" labels; a label and the number or captions printed
    right after it make one start (placed on the last of them, so the text follows)."""
    starts: list[_Start] = []
    for start in _numbered_starts(blocks, body):
        previous = starts[-1] if starts else None
        if previous and previous.number == start.number and start.block - previous.block == 1:
            if not previous.rest:
                starts[-1] = start
            continue
        starts.append(start)
    for index in range(body, len(blocks)):
        line = blocks[index].first
        match = _COMMENT_LABEL.match(line)
        if not match or not _label_like(line) or not match.group("num"):
            continue
        number = int(match.group("num"))
        rest = (match.group("rest") or "").strip()
        position = index
        if not rest:
            while position + 1 < len(blocks) and blocks[position + 1].caption and (
                position - index < 3
            ):
                position += 1
        near = [s for s in starts if 0 <= s.block - index <= position - index + 1]
        same = [s for s in near if s.number == number]
        if same:
            continue  # the number printed under the label starts the comment
        starts = [s for s in starts if s.block != index]
        starts.append(_Start(position, number, rest if position == index else ""))
    starts.sort(key=lambda s: s.block)
    return starts


def _pair_with_labels(
    blocks: list[_Block], body: int, labels: list[int], warnings: list[str]
) -> list[Comment]:
    starts = _company_starts(blocks, body)
    unnumbered = [
        i
        for i in range(body, len(blocks))
        if _COMMENT_LABEL.match(blocks[i].first)
        and _label_like(blocks[i].first)
        and not _COMMENT_LABEL.match(blocks[i].first).group("num")
    ]
    pairs: list[tuple[_Start, int]] = []
    previous_number = 0
    previous_end = body
    for label in labels:
        label_match = _response_label(blocks[label].first)
        label_number = (
            int(label_match.group("num")) if label_match and label_match.group("num") else None
        )
        gap = [s for s in starts if previous_end <= s.block < label]
        start = _pick_in_gap(gap, previous_number, label_number)
        if start is None:
            marker = next((i for i in unnumbered if previous_end <= i < label), None)
            if marker is not None:
                number = label_number or previous_number + 1
                rest = _COMMENT_LABEL.match(blocks[marker].first).group("rest").strip()
                start = _Start(marker, number, rest)
        if start is None and pairs and not _has_caption_between(blocks, previous_end, label):
            previous_end = label + 1
            continue  # a second answer label inside one response
        if start is None:
            first = _restated_without_marker(blocks, previous_end, label)
            if first is None:
                previous_end = label + 1
                continue
            start = _Start(first, label_number or previous_number + 1, blocks[first].first)
        pairs.append((start, label))
        previous_number = start.number or previous_number + 1
        previous_end = label + 1
    return _comments_from_pairs(blocks, body, pairs, warnings)


def _pick_in_gap(gap: list[_Start], previous: int, label_number: int | None) -> _Start | None:
    if not gap:
        return None
    wanted = label_number or previous + 1
    run_next: int | None = None
    for position, start in enumerate(gap):
        if start.number == wanted and start.strong:
            if (
                run_next is not None
                and start.number == run_next
                and any(s.number == wanted for s in gap[position + 1 :])
            ):
                run_next += 1
                continue
            return start
        if start.number == 1 and wanted != 1:
            run_next = 2
        elif run_next is not None and start.number == run_next:
            run_next += 1
    later = [s for s in gap if s.number is not None and s.number > previous and s.strong]
    return later[0] if later else None


def _has_caption_between(blocks: list[_Block], begin: int, end: int) -> bool:
    return any(blocks[i].caption for i in range(begin, end))


def _restated_without_marker(blocks: list[_Block], begin: int, label: int) -> int | None:
    """First block of a restated comment that has no number: after the last caption, else
    the paragraph just above the response label (with the paragraph introducing bullets)."""
    for index in range(label - 1, begin - 1, -1):
        if blocks[index].caption:
            return index + 1 if index + 1 < label else None
    if label - 1 < begin:
        return None
    index = label - 1
    while index - 1 >= begin and (
        _BULLET.match(blocks[index].first) or blocks[index - 1].lines[-1].endswith(":")
    ):
        index -= 1
    return index


def _comments_from_pairs(
    blocks: list[_Block], body: int, pairs: list[tuple[_Start, int]], warnings: list[str]
) -> list[Comment]:
    comments: list[Comment] = []
    heading: str | None = None
    begin = body
    previous = 0
    for position, (start, label) in enumerate(pairs):
        heading = _heading_before(blocks, begin, start.block, heading, first=not position)
        end = pairs[position + 1][0].block if position + 1 < len(pairs) else len(blocks)
        text = _collect(blocks, start, label) if start.block < label else ""
        label_match = _response_label(blocks[label].first)
        rest = label_match.group("rest").strip() if label_match else ""
        response = _collect(blocks, _Start(label, None, rest), end, answer=True)
        number = start.number or previous + 1
        if number <= previous:
            warnings.append(f"comment numbering goes back from {previous} to {number}")
        comments.append(Comment(number=number, heading=heading, text=text, response=response))
        previous = number
        begin = label + 1
    return comments


def _split_unlabelled(
    blocks: list[_Block], start: _Start, end: int, *, restating: bool
) -> tuple[str, str | None]:
    """A numbered item without a response label: restated comment + answer, or answer only.

    The item restates a comment when it opens in the staff's voice ("We note…", "Please…"),
    or, in a letter that says it restates the comments, when it does not open in the
    company's ("The Company…", "We have revised…")."""
    stop = end
    for index in range(start.block + 1, end):
        if _is_closing(blocks, index):
            stop = index
            break
    first_index = start.block if start.rest else start.block + 1
    if first_index >= stop:
        return "", None
    opening = start.rest if start.rest else blocks[first_index].first
    opening = _strip_label(opening)
    staff = _STAFF_VOICE.match(opening) and not _COMPANY_VOICE.match(opening)
    if not (staff or (restating and not _COMPANY_VOICE.match(opening))):
        whole = _collect(blocks, start, end, answer=True)
        return "", whole or None
    split = first_index + 1
    in_list = False
    while split < stop:
        line = blocks[split].first
        if _BULLET.match(line) and (in_list or blocks[split - 1].lines[-1].endswith(":")):
            in_list = True
            lone = len(blocks[split].lines) == 1 and re.fullmatch(r"[•●▪◦·\-–—*]", line)
            split += 2 if lone else 1
        elif _STAFF_VOICE.match(line) and not _COMPANY_VOICE.match(line):
            split += 1
        else:
            break
    split = min(split, stop)
    text = _collect(blocks, start, split)
    response = _collect_range(blocks, split, end) if split < stop else ""
    return text, response or None


def _mentions_restated(text: str) -> bool:
    return bool(
        re.search(
            r"(?:restated|reproduced|repeated|set\s+forth|reprinted)\s.{0,80}comments?"
            r"|comments?\s.{0,60}(?:restated|reproduced|repeated|set\s+forth|in\s+(?:bold|italics))",
            text[:8000],
            re.I,
        )
    )
