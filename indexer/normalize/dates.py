"""Dates in letter text: parsing written dates and finding the date printed on a letter.

Letters write dates as "April 2, 2024", "Apr. 2, 2024", "Sept. 5, 2019", "2 April 2024" and,
rarely, "4/2/2024". The printed date of a letter is the first date standing on its own line
(or with a place name, "New York, March 3, 2021") before the Re: block or the salutation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

__all__ = ["DateMention", "find_dates", "find_letter_date", "parse_date"]

_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"  # noqa: E501
_WRITTEN = re.compile(
    rf"\b{_MONTH}\.?\s{{0,3}}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s{{0,2}},?\s{{0,3}}(?P<year>(?:19|20)\d\d)\b"
    rf"|\b(?P<day2>\d{{1,2}})\s{{1,2}}(?P<month2>January|February|March|April|May|June|July|"
    rf"August|September|October|November|December),?\s{{1,2}}(?P<year2>(?:19|20)\d\d)\b"
    r"|\b(?P<m3>\d{1,2})/(?P<d3>\d{1,2})/(?P<y3>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_BEFORE_BODY = re.compile(
    r"^\s*(?:re\s*:|re\s{2,}|dear\b|ladies and gentlemen|gentlemen|to whom|"
    r"this is to advise you)",
    re.IGNORECASE | re.MULTILINE,
)
_DATE_LINE_EXTRA = re.compile(r"^[A-Z][A-Za-z .,'-]{0,40},\s*$")
"""What may precede a date on its line: a place, "New York, "."""


@dataclass(frozen=True, slots=True)
class DateMention:
    value: date
    start: int
    end: int


def parse_date(text: str) -> date | None:
    """The first date written in ``text``, or None."""
    mentions = find_dates(text)
    return mentions[0].value if mentions else None


def find_dates(text: str) -> list[DateMention]:
    """Every valid date written in ``text``, in order."""
    found = []
    for match in _WRITTEN.finditer(text):
        value = _to_date(match)
        if value is not None:
            found.append(DateMention(value, match.start(), match.end()))
    return found


def _to_date(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    try:
        if groups["month"]:
            month = _MONTHS[groups["month"].lower().rstrip(".")]
            return date(int(groups["year"]), month, int(groups["day"]))
        if groups["month2"]:
            month = _MONTHS[groups["month2"].lower()]
            return date(int(groups["year2"]), month, int(groups["day2"]))
        return date(int(groups["y3"]), int(groups["m3"]), int(groups["d3"]))
    except (ValueError, KeyError):
        return None


def find_letter_date(text: str) -> date | None:
    """The date printed at the head of a letter (before its Re: block or salutation)."""
    body = _BEFORE_BODY.search(text)
    head = text[: body.start()] if body else text[:1500]
    mentions = find_dates(head)
    for mention in mentions:
        line_start = head.rfind("\n", 0, mention.start) + 1
        line_end = head.find("\n", mention.end)
        before = head[line_start : mention.start]
        after = head[mention.end : line_end if line_end != -1 else len(head)]
        if (not before.strip() or _DATE_LINE_EXTRA.match(before)) and len(after.strip()) <= 3:
            return mention.value
    if mentions:
        return mentions[0].value
    return None
