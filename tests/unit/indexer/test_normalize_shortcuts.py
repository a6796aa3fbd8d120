"""The normalizer's shortcuts find exactly what the plain scans they replace find.

Dates are looked for only around years (``indexer/normalize/dates.py``), a connector only at
a line's end (``ends_in_connector``), whitespace is dropped with ``str.split``: each is checked
against the plain scan on texts drawn to be awkward (dates next to digits and letters, long
runs of spaces, every kind of whitespace).
"""

from __future__ import annotations

import random
import re
import time

from indexer.normalize import dates
from indexer.normalize.comment_lines import CONNECTOR_END, ends_in_connector, squash
from indexer.normalize.dates import DateMention, find_dates

_DATE_PARTS = [
    "January", "Sept", "Sept.", "september", "MAY", "may", "Dec", "12", "1", "31", "2019",
    "2020", "1999", "19", "20", "201", "2024", " ", "  ", "   ", ",", "/", "th", "st", "x",
    "\n", "a", "é", "٣", "0", "-", "_", "Re", "3/4/2021",
]  # fmt: skip
_LINE_PARTS = [
    "of", "and", "the", "pages", "page", "under", "vs", "vs.", ",", "-", "–", "&", "/", "(",
    " ", "x", "Of", "AND", "to", "\n", "into", "per", "word", "é",
]  # fmt: skip
_WHITESPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + "a-bC"


def _texts(parts: list[str], count: int, longest: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(parts, k=rng.randint(0, longest))) for _ in range(count)]


def _scanned_dates(text: str) -> list[DateMention]:
    """The whole text scanned with the date pattern (what find_dates did before)."""
    found = []
    for match in dates._WRITTEN.finditer(text):  # the pattern itself
        value = dates._to_date(match)
        if value is not None:
            found.append(DateMention(value, match.start(), match.end()))
    return found


def test_dates_are_found_around_years_as_by_a_scan_of_everything() -> None:
    for text in _texts(_DATE_PARTS, 5000, 16, seed=1):
        assert find_dates(text) == _scanned_dates(text), text


def test_dates_are_found_in_linear_time() -> None:
    # Years side by side in one long word: its end was looked for once per year (quadratic).
    started = time.perf_counter()
    assert find_dates("2019" * 100_000) == []
    assert find_dates("May 1, 2019 " * 20_000)[-1].start == 12 * 19_999
    assert time.perf_counter() - started < 3.0


def test_the_longest_date_fits_the_stretch_before_its_year() -> None:
    longest = "September.   12th  ,   2024"
    assert len(longest) == dates._DATE_CHARS
    text = f"x {longest} and 1 May 2020"
    assert [m.start for m in find_dates(text)] == [2, 34]
    assert find_dates(text) == _scanned_dates(text)


def test_a_connector_is_found_at_the_end_as_by_a_search_of_the_line() -> None:
    for line in _texts(_LINE_PARTS, 5000, 12, seed=2):
        assert ends_in_connector(line) == (CONNECTOR_END.search(line) is not None), line


def test_whitespace_is_squashed_as_by_the_pattern() -> None:
    for text in _texts(list(_WHITESPACE), 500, 20, seed=3):
        assert squash(text) == re.sub(r"\s+", "", text).lower()
