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
    r"\b(?=[jfmasond\d])(?:"
    rf"{_MONTH}\.?\s{{0,3}}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s{{0,2}},?\s{{0,3}}(?P<year>(?:19|20)\d\d)\b"
    rf"|(?P<day2>\d{{1,2}})\s{{1,2}}(?P<month2>January|February|March|April|May|June|July|"
    rf"August|September|October|November|December),?\s{{1,2}}(?P<year2>(?:19|20)\d\d)\b"
    r"|(?P<m3>\d{1,2})/(?P<d3>\d{1,2})/(?P<y3>(?:19|20)\d\d)\b)",
    re.IGNORECASE,
)
"""The word boundary and the first letters of a month or a digit are tested before the
alternatives: ``re`` enters each alternative at every position, and that test rejects most
positions at once (the same matches, twice as fast)."""
_DATE_CHARS = 27
"""The longest ``_WRITTEN`` match: "September" (9), ".", 3 spaces, the day (2), "th", 2 spaces,
",", 3 spaces and the year (4)."""
_YEAR = re.compile(r"(?:19|20)\d\d")
"""What every ``_WRITTEN`` match ends with."""
_WORD = re.compile(r"\w*")
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
    for start, end in _year_regions(text):
        for match in _WRITTEN.finditer(text, start, end):
            value = _to_date(match)
            if value is not None:
                found.append(DateMention(value, match.start(), match.end()))
    return found


def _year_regions(text: str) -> list[tuple[int, int]]:
    """Disjoint stretches of ``text`` that hold every match of ``_WRITTEN``, in order.

    A date ends in its year and is at most ``_DATE_CHARS`` long, so it lies in the stretch
    from ``_DATE_CHARS - 4`` characters before a year to the end of the year's word (a year
    that ``_YEAR`` steps over shares that word with the one it found). Searched up to there
    alone (``finditer``'s ``endpos``), ``_WRITTEN`` finds the same matches as in the whole
    text: the stretch ends before a character that is no word character, as the text's end
    is, so the final ``\\b`` reads the same; and no match crosses a stretch's end. Finding the
    years first spares ``re`` trying the month names at every position of the letter.
    """
    regions: list[tuple[int, int]] = []
    for year in _YEAR.finditer(text):
        start = max(0, year.start() - (_DATE_CHARS - 4))
        if regions and start <= regions[-1][1]:
            first, end = regions[-1]
            # A year inside the last word found ends where that word ends: a long run of
            # digits is read once, not once per year in it (quadratic).
            regions[-1] = (first, end if year.end() <= end else _word_end(text, year.end()))
        else:
            regions.append((start, _word_end(text, year.end())))
    return regions


def _word_end(text: str, index: int) -> int:
    """The end of the word characters (``\\w``) from ``index`` on."""
    match = _WORD.match(text, index)
    return match.end() if match else index


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
