"""Dates of earlier letters that a letter refers to: the strongest links between letters.

A staff follow-up cites the company's answer ("Response dated April 24, 2009", "your March
20, 2024 response") and its own earlier letter ("comments in our March 6, 2024 letter"). A
company response cites the staff letter it answers ("your letter dated August 30, 2007",
"the Staff's comment letter dated May 26, 2022") and sometimes its own earlier response.
Each mention is classified by the words around the date; dates of filings, periods and
calls are not letter citations.
"""

from __future__ import annotations

import re

from indexer.normalize.dates import find_dates
from indexer.normalize.letter import CitedDate
from indexer.normalize.literals import may_match, required_literals

__all__ = ["find_cited_dates"]

STAFF_LETTER = "staff_letter"
RESPONSE = "response"

_BEFORE_CHARS = 200
_AFTER_CHARS = 60
# A letter noun, then (within the same clause) "dated"/"of" right before the date: "your
# letter to the Company dated", "comment letter of the staff (the "Staff") ... dated".
_NOUN = re.compile(
    r"\b(?=[clr])(?P<noun>comment\s+letters?|letters?|correspondence|responses?|response\s+letters?|"
    r"comments?)\b",
    re.I,
)
"""The lookahead on the nouns' first letters rejects most positions at once."""
_DATED_TAIL = re.compile(
    r"(?P<between>[^;]{0,170}?),?\s+(?:dated|of|issued|sent|received(?:\s+on)?)\s*$", re.I
)
_FILED_TAIL = re.compile(r"(?P<between>[^;]{0,25}?),?\s+(?:filed|submitted|on)(?:\s+on)?\s*$", re.I)
_FROM_TAIL = re.compile(r"(?P<between>\s*)from\s*$", re.I)
"""Only for comments: "your comments from May 22, 2024"."""
_OWNER_WORDS = 3
"""Only the words right before a letter noun name its owner ("your", "the Company's")."""
_CLAUSE_START = re.compile(r"[.;:]\s")
_RESPONDS_TO = re.compile(r"\b(?:respon\w*|repl(?:y|ies))\s+to\s+(?:the\s+|your\s+|its\s+)?$", re.I)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_OF_STAFF = re.compile(r"^\W*(?:of|from)\s+the\s+(?:staff|commission|sec|division)\b", re.I)
_OF_COMPANY = re.compile(r"^\W*(?:of|from)\s+(?:the\s+)?(?:company|registrant|us)\b", re.I)
_TO_COMPANY = re.compile(r"^\W*to\s+(?:the\s+)?(?:company|registrant|us)\b", re.I)
_TO_STAFF = re.compile(r"^\W*to\s+(?:the\s+)?(?:staff|commission|sec|securities)\b", re.I)
# An owner right before the date and a letter noun right after: "your May 3, 2021 response".
_OWNER_BEFORE = re.compile(
    r"(?P<owner>\b(?:your|our|its|their)|[\w.’'-]+(?:'s|’s))(?:\s*\([^)]{0,40}\))?\s*$", re.I
)
_NOUN_AFTER = re.compile(
    r"^\s*,?\s*(?:(?:,|and|,\s*and)\s+[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4}\s*)*"
    r"(?P<noun>comment\s+letters?|letters?|responses?|response\s+letters?|correspondence|reply|"
    r"comments?)\b",
    re.I,
)
_FILING_DATE = re.compile(
    r"\b(?:Form|Schedule)\s+[\w-]+(?:/A)?(?:\s+\w+){0,2}?\s*,?\s*(?:dated|filed|furnished|"
    r"submitted)(?:\s+on)?\s*$",
    re.I,
)
_FILING_DATE_LITERALS = required_literals(_FILING_DATE.pattern)
_LIST_GAP = re.compile(r"^\s*(?:,|,?\s*and|,?\s*&)\s*$", re.I)
_SENTENCE_END = re.compile(r"[a-z)\]”\"]\.\s+[A-Z]")
_STAFF_OWNER = re.compile(r"\b(?:staff|commission|sec|division)\b", re.I)
_COMPANY_OWNER = re.compile(r"\b(?:company|registrant)\b", re.I)


def find_cited_dates(text: str, *, sender: str) -> tuple[CitedDate, ...]:
    """Earlier letters cited by a letter from ``sender`` (``sec`` or ``company``).

    A cited letter may share the citing letter's date (a company answering the same day).
    """
    found: list[CitedDate] = []
    previous_kind: str | None = None
    previous_end = -1
    for mention in find_dates(text):
        between = text[previous_end : mention.start] if previous_end >= 0 else ""
        if previous_kind is not None and _LIST_GAP.match(between):
            kind: str | None = previous_kind  # "dated June 12, 2024 and September 30, 2024"
        else:
            before = " ".join(text[max(0, mention.start - _BEFORE_CHARS) : mention.start].split())
            after = " ".join(text[mention.end : mention.end + _AFTER_CHARS].split())
            kind = _classify(before, after, sender=sender)
        previous_kind, previous_end = kind, mention.end
        if kind is None:
            continue
        cited = CitedDate(mention.value, kind)
        if cited not in found:
            found.append(cited)
    return tuple(found)


def _classify(before: str, after: str, *, sender: str) -> str | None:
    if may_match(_FILING_DATE_LITERALS, before) and _FILING_DATE.search(before):
        return None  # "Form 8-K dated July 27, 2016": a filing's date, not a letter's
    for noun in reversed(list(_NOUN.finditer(before))):  # the noun nearest the date first
        rest = before[noun.end() :]
        tail = _DATED_TAIL.match(rest) or _FILED_TAIL.match(rest)
        if tail is None and noun.group("noun").lower().startswith("comment"):
            tail = _FROM_TAIL.match(rest)
        if tail is None:
            continue
        between = tail.group("between")
        if _SENTENCE_END.search(between) or _YEAR.search(between):
            break
        clause = _CLAUSE_START.split(before[max(0, noun.start() - 60) : noun.start()])[-1]
        if _RESPONDS_TO.search(clause):  # "in response to the letter dated …"
            return STAFF_LETTER if sender == "company" else RESPONSE
        owner_words = " ".join(clause.split()[-_OWNER_WORDS:])  # "the Staff’s comment letter"
        return _kind(noun.group("noun"), owner_words, between, sender=sender)
    noun_after = _NOUN_AFTER.match(after)  # anchored: cheaper than the search for an owner
    owner = _OWNER_BEFORE.search(before) if noun_after else None
    if owner and noun_after:
        return _kind(noun_after.group("noun"), owner.group("owner"), "", sender=sender)
    return None


def _kind(noun: str, owner_context: str, between: str, *, sender: str) -> str:
    """Who wrote the cited letter: from the words before its noun, else after it."""
    writer = _writer(owner_context, sender=sender)
    if writer is None:
        if _OF_STAFF.match(between) or _TO_COMPANY.match(between):
            writer = "staff"
        elif _OF_COMPANY.match(between) or _TO_STAFF.match(between):
            writer = "company"
    if writer is None and "response" in noun.lower():
        writer = "company"
    if writer is None:  # unowned: a company cites staff letters, the staff cites responses
        writer = "staff" if sender == "company" else "company"
    return STAFF_LETTER if writer == "staff" else RESPONSE


def _writer(context: str, *, sender: str) -> str | None:
    owner = _nearest_owner(context)
    if owner in ("your", "our"):
        writer_is_staff = (owner == "our") == (sender == "sec")
        return "staff" if writer_is_staff else "company"
    return owner


def _nearest_owner(context: str) -> str | None:
    """The owner word closest to the end of ``context``: ``staff`` or ``company``."""
    candidates = []
    for pattern, owner in (
        (re.compile(r"\byour\b", re.I), "your"),
        (re.compile(r"\b(?:our|we|us)\b", re.I), "our"),
        (_STAFF_OWNER, "staff"),
        (_COMPANY_OWNER, "company"),
        (re.compile(r"\b(?!(?:Staff|Commission|SEC|Division)\b)[A-Z][\w&.-]*(?:'s|’s)"), "company"),
    ):
        for match in pattern.finditer(context):
            candidates.append((match.end(), owner))
    if not candidates:
        return None
    _, owner = max(candidates)
    return owner
