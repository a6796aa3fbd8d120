"""EDGAR's URL grammar (edgar.md §3): path patterns, typed parses and path builders.

The three SEC hosts share one fake server because their paths never collide. This module knows
only the shape of the paths; which bytes answer them is decided by `routes` (real samples) and
`synthetic` (generated filings). Tests use the builders to ask for the same URLs a crawler would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

ACCESSION = r"\d{10}-\d{2}-\d{6}"
_CIK = r"(?P<cik>\d{1,10})"
_FOLDER = r"(?P<folder>\d{18})"
_DATA = r"/Archives/edgar/data/"

DAILY_INDEX = re.compile(
    r"/Archives/edgar/daily-index/(?P<year>\d{4})/QTR(?P<qtr>[1-4])/(?P<kind>[a-z]+)\.(?P<day>\d{8})\.idx"
)
FULL_INDEX = re.compile(
    r"/Archives/edgar/full-index/(?P<year>\d{4})/QTR(?P<qtr>[1-4])/(?P<kind>[a-z]+)\.idx"
)
INDEX_LISTING = re.compile(
    r"/Archives/edgar/(?P<tree>daily-index|full-index)/(?P<year>\d{4})/QTR(?P<qtr>[1-4])/?"
)
FILING_INDEX_JSON = re.compile(_DATA + _CIK + "/" + _FOLDER + r"/index\.json")
SUBMISSION = re.compile(_DATA + _CIK + f"/(?:{_FOLDER}/)?(?P<accession>{ACCESSION})" + r"\.txt")
INDEX_PAGE = re.compile(
    _DATA
    + _CIK
    + f"/(?:{_FOLDER}/)?(?P<name>(?P<accession>{ACCESSION})"
    + r"-index(?:-headers)?\.(?:html?|json))"
)
DOCUMENT = re.compile(_DATA + _CIK + "/" + _FOLDER + r"/(?P<name>[^/]+)")
SUBMISSIONS_JSON = re.compile(r"/submissions/(?P<name>CIK\d{10}(?:-submissions-\d{3})?\.json)")
TICKERS = re.compile(r"/files/(?P<name>company_tickers(?:_exchange)?\.json)")
SEARCH = re.compile(r"/LATEST/search-index")


def quarter(day: date) -> int:
    """Calendar quarter (1-4) of `day`."""
    return (day.month - 1) // 3 + 1


def quarter_end(year: int, qtr: int) -> date:
    """Last day of a calendar quarter."""
    return date(year + qtr // 4, qtr * 3 % 12 + 1, 1) - timedelta(days=1)


def folder(accession: str) -> str:
    """Filing folder name: the 18-digit accession without dashes."""
    return accession.replace("-", "")


@dataclass(frozen=True)
class DailyIndexUrl:
    """`/Archives/edgar/daily-index/{Y}/QTR{q}/{kind}.{YYYYMMDD}.idx`."""

    kind: str
    day: date

    @classmethod
    def from_match(cls, match: re.Match[str]) -> DailyIndexUrl | None:
        """None unless the year and quarter folder contain the day (else no such object)."""
        try:
            day = datetime.strptime(match["day"], "%Y%m%d").date()
        except ValueError:
            return None
        if day.year != int(match["year"]) or quarter(day) != int(match["qtr"]):
            return None
        return cls(kind=match["kind"], day=day)


@dataclass(frozen=True)
class FullIndexUrl:
    """`/Archives/edgar/full-index/{Y}/QTR{q}/{kind}.idx`."""

    kind: str
    year: int
    qtr: int

    @classmethod
    def from_match(cls, match: re.Match[str]) -> FullIndexUrl:
        return cls(kind=match["kind"], year=int(match["year"]), qtr=int(match["qtr"]))


@dataclass(frozen=True)
class SubmissionUrl:
    """`…/data/{cik}/{accnodash}/{acc}.txt` or the legacy `…/data/{cik}/{acc}.txt`."""

    cik: int
    accession: str

    @classmethod
    def from_match(cls, match: re.Match[str]) -> SubmissionUrl | None:
        """None when the folder is not the accession's own folder."""
        accession = match["accession"]
        if match["folder"] is not None and match["folder"] != folder(accession):
            return None
        return cls(cik=int(match["cik"]), accession=accession)


def parse_daily_index(path: str) -> DailyIndexUrl | None:
    """Parse a daily-index path."""
    match = DAILY_INDEX.fullmatch(path)
    return None if match is None else DailyIndexUrl.from_match(match)


def parse_full_index(path: str) -> FullIndexUrl | None:
    """Parse a quarterly full-index path."""
    match = FULL_INDEX.fullmatch(path)
    return None if match is None else FullIndexUrl.from_match(match)


def parse_submission(path: str) -> SubmissionUrl | None:
    """Parse a full-submission path (either layout)."""
    match = SUBMISSION.fullmatch(path)
    return None if match is None else SubmissionUrl.from_match(match)


def daily_index_path(day: date, kind: str = "form") -> str:
    """URL path of the daily index of `kind` for `day`."""
    return f"/Archives/edgar/daily-index/{day.year}/QTR{quarter(day)}/{kind}.{day:%Y%m%d}.idx"


def full_index_path(year: int, qtr: int, kind: str = "form") -> str:
    """URL path of the quarterly index of `kind`."""
    return f"/Archives/edgar/full-index/{year}/QTR{qtr}/{kind}.idx"


def submission_path(cik: int, accession: str, *, legacy: bool = False) -> str:
    """URL path of a full submission, in its filing folder or in the legacy idx layout."""
    if legacy:
        return f"{_DATA}{cik}/{accession}.txt"
    return f"{_DATA}{cik}/{folder(accession)}/{accession}.txt"


def index_file_name(cik: int, accession: str) -> str:
    """The idx `File Name` column: the legacy submission path without `/Archives/`."""
    return submission_path(cik, accession, legacy=True).removeprefix("/Archives/")
