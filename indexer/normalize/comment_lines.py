"""What one line of a letter is, for comment segmentation: a number, a label, a caption.

The line-level rules shared by the block builder (``comment_blocks``), the comment finder
(``comment_segments``) and the response parser (``responses``): anchored, bounded patterns
for comment numbers ("1.", "1)", "1 .", the number alone, a number behind mail-merge residue
as in "Tony Xu 10. We note …"), "Comment No. 1" labels and "Response:" labels; the caption
rule (a short line or block that names a part of the filing rather than saying something,
or one that ends in "page N"); joining a wrapped line to the one before it; and comparing
lines without spaces or case (PDF text splits words).
"""

from __future__ import annotations

import re

__all__ = [
    "BULLET",
    "COMMENT_LABEL",
    "CONNECTOR_END",
    "NOT_BURIED",
    "NUMBERED",
    "NUMBER_ALONE",
    "TERMINAL",
    "buried_number",
    "caption_lines",
    "ends_in_connector",
    "is_caption",
    "join_two",
    "label_like",
    "response_label",
    "squash",
]


# --- patterns (all anchored and bounded) --------------------------------------------------

NUMBERED = re.compile(r"^[^\w([$]{0,2}?(?P<num>\d{1,3})\s?[.)](?![\d.,])\s*(?P<rest>.{0,5000})$")
NUMBER_ALONE = re.compile(r"^(?P<num>\d{1,3})\s?[.)]$")
_BURIED = re.compile(r"^(?P<pre>[^.:;?!]{1,30}?)\s(?P<num>\d{1,3})\.\s+(?P<rest>[A-Z].{0,5000})$")
"""A number behind mail-merge residue: "Tony Xu 10. We note …"."""
NOT_BURIED = re.compile(
    r"(?:Note|Item|comments?|pages?|No|Nos|Section|Rule|Article|Part|Schedule|Exhibit|Step|"
    r"Topic|Question|ASC|Form|Table|\$|%|\d)\s*$",
    re.I,
)
COMMENT_LABEL = re.compile(
    r"^(?:\d{1,3}\s?[.)]\s*)?(?:(?:SEC|Staff(?:['’]s)?|The\s+Staff['’]s)\s+)?"
    r"Comments?\s*(?:No\.?|Number|#)?\s*(?P<num>\d{1,3}(?![\d.,]*\d))?"
    r"\s*(?:[:.\-–—)]\s*|$)(?P<rest>.{0,5000})$",
    re.I,
)
_RESPONSE_LABEL = re.compile(
    r"^(?:(?:The\s+)?(?:[A-Z][\w&.'’-]{0,25}\s+){0,2})?Responses?"
    r"(?:\s+to\s+(?:the\s+)?(?:Staff['’]?s?\s+)?(?:Comment|Question)s?\s*(?:No\.?|Number|#)?\s*"
    r"(?P<num>\d{1,3}))?\s*(?:[:.\-–—]\s*|$)(?P<rest>.{0,5000})$",
    re.I,
)
_STRICT_RESPONSE_WORD = re.compile(r"\bResponses?\b", re.I)
_PAGE_REF = re.compile(
    r"\bpages?\s*[A-Z]{0,2}\s?-?\s?\d{1,4}(?:\s*(?:-|–|and|to)\s*[A-Z]?-?\d{1,4})?\s*\)?$", re.I
)
_NOT_CAPTIONS = ("confidential treatment", "re:", "file no", "dear ", "http")
_SENTENCE_INSIDE = re.compile(r"[a-z]{3}[.?!][\"”’)]?\s+[A-Z]")
_ENDS_ABBREVIATION = re.compile(
    r"(?:\b(?:Inc|Corp|Co|Ltd|Plc|L\.P|N\.A|S\.A|LLC|No|Nos)\.|\.\s?\.\s?\.[\"”]?)$", re.I
)
TERMINAL = re.compile(r"[.?!:;][\"”’)\]]{0,2}$")
BULLET = re.compile(r"^(?:[•●▪◦·\-–—*o]\s|[•●▪◦·]|\(?[a-zA-Z]\)\s|[a-z]\.\s|\(?[ivx]{1,5}\)\s)")
_LETTER_MARK = re.compile(r"^\(?(?:[a-zA-Z]|\d{1,2}|[ivx]{1,5})\)\s")
CONNECTOR_END = re.compile(
    r"(?:[,\-–—&/(]|\b(?:of|and|or|the|a|an|to|for|in|on|by|with|our|your|its|from|at|as|"
    r"page|pages|under|into|per|vs\.?))$",
    re.I,
)
_CONNECTOR_WINDOW = 12
"""``CONNECTOR_END`` matches at most 5 characters and a line end, and looks one character
further back for the word boundary: the end of a line this long holds any match it has."""


# --- numbers and labels -------------------------------------------------------------------


def buried_number(line: str) -> re.Match[str] | None:
    """A comment number behind mail-merge residue ("Tony Xu 10. We note …"), unless
    the words before it make it a reference ("… see Note 10. Revenue")."""
    match = _BURIED.match(line)
    if match and not NOT_BURIED.search(match.group("pre")):
        return match
    return None


def label_like(line: str) -> bool:
    """A comment label, not a sentence that starts with "Comment"."""
    match = COMMENT_LABEL.match(line)
    if not match:
        return False
    head = line[: match.start("rest")] if match.group("rest") else line
    return bool(match.group("num")) or bool(re.search(r"[:.\-–—)]\s*$", head.strip()))


def response_label(line: str) -> re.Match[str] | None:
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


def ends_in_connector(line: str) -> bool:
    """Whether ``line`` ends in a connector (``CONNECTOR_END``: "of", "and", a comma …).

    Only the line's end is searched: a search of the whole line tried every alternative at
    every position, and the paragraphs of HTML letters are lines of thousands of characters.
    """
    return CONNECTOR_END.search(line[-_CONNECTOR_WINDOW:]) is not None


# --- captions -----------------------------------------------------------------------------


def is_caption(text: str) -> bool:
    """A short line or block that names a part of the filing rather than saying something:
    it ends in a page reference ("…, page 51"), or it is short, has no terminal punctuation
    and holds no sentence."""
    text = text.strip()
    first = text[:1]
    lettered = bool(_LETTER_MARK.match(text))
    if (
        not 3 <= len(text) <= 260
        or "|" in text
        or "@" in text
        or not (first.isupper() or first.isdigit() or first in "\"“'‘([" or lettered)
        or not _has_letters(text, 3)
        or (BULLET.match(text) and not (lettered and _PAGE_REF.search(text)))
        or text.lower().startswith(_NOT_CAPTIONS)
    ):
        return False
    if _PAGE_REF.search(text):
        return len(text) < 160 or not _SENTENCE_INSIDE.search(text[: len(text) - 40])
    return (
        len(text) <= 110
        and len(text.split()) <= 16
        and not (TERMINAL.search(text) and not _ENDS_ABBREVIATION.search(text))
        and not text.endswith(",")
        and not _SENTENCE_INSIDE.search(text)
    )


def _has_letters(text: str, count: int) -> bool:
    """Whether ``text`` holds at least ``count`` (> 0) letters; stops at the last one needed."""
    for char in text:
        if char.isalpha():
            count -= 1
            if count == 0:
                return True
    return False


def caption_lines(lines: list[str], width: int) -> list[str] | None:
    """The captions of a block made only of captions (wrapped lines joined), else None."""
    if len(lines) > 6:
        return None
    captions: list[str] = []
    for line in lines:
        if captions and _continues(captions[-1], line, width):
            captions[-1] = join_two(captions[-1], line)
        else:
            captions.append(line)
    if all(is_caption(caption) for caption in captions):
        return captions
    return None


def _continues(previous: str, line: str, width: int) -> bool:
    """Whether ``line`` wraps ``previous`` (one caption) rather than stacking a new caption."""
    if (line[:1].islower() and not _LETTER_MARK.match(line)) or re.match(
        r"^(?:pages?\s+)?[A-Z]?-?\d{1,4}\)?$", line
    ):
        return True
    if ends_in_connector(previous) or _open_quote(previous):
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


# --- joining and comparing lines ----------------------------------------------------------


def join_two(left: str, right: str) -> str:
    """Two wrapped lines as one (a word hyphenated at the line end is rejoined)."""
    if left.endswith("-") and len(left) > 1 and left[-2].isalpha() and right[:1].islower():
        return left + right
    return f"{left} {right}"


def squash(text: str) -> str:
    """The text without whitespace, lower-cased, for comparisons that PDF text
    extraction (which splits words) must not defeat."""
    return "".join(text.split()).lower()  # str.split and re's \s know the same whitespace
