"""Synthetic CORRESP/UPLOAD volume for benchmarks: N generated filings a crawler can discover.

Each synthetic filing re-serves one of the real UPLOAD/CORRESP submission samples under a new
accession number (`0000000000-99-NNNNNN` for UPLOAD, `{filer CIK}-99-NNNNNN` for CORRESP) with
its SGML header rewritten so a parser sees a consistent file: the accession in `<SEC-DOCUMENT>`,
`<SEC-HEADER>` and `ACCESSION NUMBER`, the dissemination day in `<SEC-DOCUMENT>`/`<SEC-HEADER>`,
and the filing day in `FILED AS OF DATE`/`<ACCEPTANCE-DATETIME>`. The documents are unchanged.

Filings are spread evenly over the business days (Mon-Fri) of a date range and listed in
generated daily `form.YYYYMMDD.idx` files and quarterly `form.idx` files of that range, in the
real fixed-width layout. Like real letters, each is dated 20-45 days before its release.
A synthetic `form` index replaces a sample index of the same day or quarter (the default range,
2023Q1, has none); other index kinds and other paths fall through to the samples.

`FormIndexes` (the generated `form.idx` files of any listed filings) and `form_index` (the
fixed-width layout) are shared with `letters`, which lists the real sample letters the same way.

Generation only creates small records; submission bodies are rendered per request and index
files on first request, so 20,000 filings cost a few milliseconds and a few megabytes.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol

from . import urls
from .messages import Reply, Request, file_reply, nightly_build, released
from .samples import SampleStore

LETTER_FORMS = frozenset({"UPLOAD", "CORRESP"})
MAX_FILINGS = 999_999
_HEADER_END = b"</SEC-HEADER>"
_COMPANY = re.compile(rb"COMPANY CONFORMED NAME:\s*(.+)")
_CIK = re.compile(rb"CENTRAL INDEX KEY:\s*(\d+)")
_RELEASE_DAY = re.compile(rb"(<SEC-DOCUMENT>\S+ : |<SEC-HEADER>\S+ : )\d{8}")
_FILING_DAY = re.compile(rb"(FILED AS OF DATE:\s+|<ACCEPTANCE-DATETIME>)\d{8}")

_RULE = "-" * 141
_COLUMNS = (
    "Form Type".ljust(12) + "Company Name".ljust(62) + "CIK".ljust(12) + "Date Filed".ljust(12)
) + "File Name"
_PREAMBLE = (
    "Description:           {title}\n"
    "Last Data Received:    {received}\n"
    "Comments:              webmaster@sec.gov\n"
    "Anonymous FTP:         ftp://ftp.sec.gov/edgar/\n"
    "{blank}\n{blank}\n{blank}\n{blank}\n" + _COLUMNS + "\n" + _RULE + "\n"
)


@dataclass(frozen=True)
class Template:
    """A real letter submission to clone: its SGML header and everything after it."""

    accession: str
    form: str
    cik: int
    company: str
    header: bytes = field(repr=False)
    rest: bytes = field(repr=False)

    @classmethod
    def parse(cls, accession: str, form: str, body: bytes) -> Template:
        header, end, rest = body.partition(_HEADER_END)
        cik, company = _CIK.search(header), _COMPANY.search(header)
        if not end or cik is None or company is None:
            raise ValueError(f"{accession}: not a submission with an SGML header")
        return cls(
            accession=accession,
            form=form,
            cik=int(cik[1]),
            company=company[1].decode().strip(),
            header=header,
            rest=end + rest,
        )


@dataclass(frozen=True)
class SyntheticFiling:
    """One generated filing: where it is listed and which template it re-serves."""

    accession: str
    form: str
    cik: int
    company: str
    filed: date
    disseminated: date
    template: Template = field(repr=False)

    @property
    def path(self) -> str:
        """URL path of the full submission in its filing folder."""
        return urls.submission_path(self.cik, self.accession)

    def render(self) -> bytes:
        """The template submission with this filing's accession and dates."""
        header = self.template.header.replace(
            self.template.accession.encode(), self.accession.encode()
        )
        header = _substitute_day(_RELEASE_DAY, header, self.disseminated)
        header = _substitute_day(_FILING_DAY, header, self.filed)
        return header + self.template.rest


class Listed(Protocol):
    """What a `form.idx` row needs to know about a filing (synthetic or real sample)."""

    @property
    def accession(self) -> str: ...
    @property
    def form(self) -> str: ...
    @property
    def cik(self) -> int: ...
    @property
    def company(self) -> str: ...
    @property
    def filed(self) -> date: ...
    @property
    def disseminated(self) -> date: ...


class FormIndexes:
    """Generated daily and quarterly `form.idx` files listing some filings.

    A filing is listed in the daily index of its dissemination day and in the quarterly index
    of that day's quarter. With `span=(first, last)`, every business day and every quarter of
    that range also has an index, header-only where nothing is listed (as on EDGAR, where
    every business day and quarter has one), so no sample index of those days shows through.
    Index files are rendered on first request and cached.
    """

    def __init__(self, filings: Iterable[Listed], *, span: tuple[date, date] | None = None) -> None:
        self._by_day: dict[date, list[Listed]] = defaultdict(list)
        self._by_quarter: dict[tuple[int, int], list[Listed]] = defaultdict(list)
        for filing in filings:
            day = filing.disseminated
            self._by_day[day].append(filing)
            self._by_quarter[day.year, urls.quarter(day)].append(filing)
        self._span = span
        self._cache: dict[str, Reply] = {}
        self._lock = threading.Lock()

    @property
    def days(self) -> list[date]:
        """Dissemination days that list at least one filing."""
        return sorted(self._by_day)

    def listed(self, year: int, qtr: int) -> list[Listed]:
        """Filings of a quarterly index (in no particular order)."""
        return list(self._by_quarter.get((year, qtr), ()))

    def resolve(self, path: str) -> Reply | None:
        """The generated `form` index at `path`, or None when this listing has none there."""
        daily = urls.parse_daily_index(path)
        if daily is not None and daily.kind == "form" and self._has_day(daily.day):
            return self._cached(path, lambda: self._daily_reply(daily.day))
        full = urls.parse_full_index(path)
        if full is not None and full.kind == "form" and self._has_quarter(full.year, full.qtr):
            return self._cached(path, lambda: self._quarterly_reply(full.year, full.qtr))
        return None

    def _has_day(self, day: date) -> bool:
        if day in self._by_day:
            return True
        return self._span is not None and day.weekday() < 5 and _within(day, self._span)

    def _has_quarter(self, year: int, qtr: int) -> bool:
        if (year, qtr) in self._by_quarter:
            return True
        if self._span is None:
            return False
        first, last = self._span
        return (first.year, urls.quarter(first)) <= (year, qtr) <= (last.year, urls.quarter(last))

    def _cached(self, path: str, build: Callable[[], Reply]) -> Reply:
        with self._lock:
            cached = self._cache.get(path)
        if cached is None:
            cached = build()
            with self._lock:
                self._cache[path] = cached
        return cached

    def _daily_reply(self, day: date) -> Reply:
        body = form_index(self._by_day.get(day, ()), last_received=day, daily=True)
        return file_reply(body, "form.idx", nightly_build(day))

    def _quarterly_reply(self, year: int, qtr: int) -> Reply:
        filings = self._by_quarter.get((year, qtr), [])
        end = urls.quarter_end(year, qtr)
        last = max((f.disseminated for f in filings), default=previous_business_day(end))
        return file_reply(
            form_index(filings, last_received=last, daily=False), "form.idx", nightly_build(last)
        )


class SyntheticCorpus:
    """A set of synthetic filings and the EDGAR objects (indexes, submissions) listing them."""

    def __init__(self, filings: Sequence[SyntheticFiling]) -> None:
        self.filings = tuple(filings)
        self._by_accession = {f.accession: f for f in self.filings}
        self.indexes = FormIndexes(self.filings)

    @classmethod
    def generate(
        cls, templates: Sequence[Template], n: int, start: date, end: date
    ) -> SyntheticCorpus:
        """N filings cycling through `templates`, spread over the business days start..end."""
        if not 0 <= n <= MAX_FILINGS:
            raise ValueError(f"n must be between 0 and {MAX_FILINGS}, got {n}")
        if n and not templates:
            raise ValueError("no template submissions to clone")
        days = business_days(start, end)
        if n and not days:
            raise ValueError(f"no business day between {start} and {end}")
        filings = []
        for i in range(n):
            template = templates[i % len(templates)]
            disseminated = days[i * len(days) // n]
            prefix = 0 if template.form == "UPLOAD" else template.cik
            filings.append(
                SyntheticFiling(
                    accession=f"{prefix:010d}-99-{i + 1:06d}",
                    form=template.form,
                    cik=template.cik,
                    company=template.company,
                    filed=previous_business_day(disseminated - timedelta(days=20 + i % 26)),
                    disseminated=disseminated,
                    template=template,
                )
            )
        return cls(filings)

    @classmethod
    def from_samples(cls, store: SampleStore, n: int, start: date, end: date) -> SyntheticCorpus:
        """N filings cloned from the real UPLOAD/CORRESP `.txt` submissions of the samples."""
        templates = [
            Template.parse(row.accession, row.form_type, store.require(row.local_path))
            for row in sorted(store.rows("submission", LETTER_FORMS), key=lambda r: r.accession)
            if row.local_path == f"submissions/{row.accession}.txt"
        ]
        return cls.generate(templates, n, start, end)

    @property
    def accessions(self) -> list[str]:
        return [f.accession for f in self.filings]

    @property
    def days(self) -> list[date]:
        """Dissemination days that have a daily index."""
        return self.indexes.days

    def resolve(self, request: Request) -> Reply | None:
        """A synthetic object at `request.path`, or None to fall through to the samples."""
        return self.indexes.resolve(request.path) or self.submission(request.path)

    def submission(self, path: str) -> Reply | None:
        """The rendered full submission of a synthetic filing at `path`, if it is one."""
        submission = urls.parse_submission(path)
        filing = None if submission is None else self._by_accession.get(submission.accession)
        if submission is None or filing is None or filing.cik != submission.cik:
            return None
        return file_reply(filing.render(), path, released(filing.disseminated))


def form_index(filings: Iterable[Listed], *, last_received: date, daily: bool) -> bytes:
    """A `form.idx` in EDGAR's fixed-width layout (daily or quarterly variant, edgar.md §4.1)."""
    if daily:
        title = "Daily Index of EDGAR Dissemination Feed by Form Type"
        received = f"{last_received:%b} {last_received.day:2d}, {last_received.year}"
    else:
        title = "Master Index of EDGAR Dissemination Feed by Form Type"
        received = f"{last_received:%B} {last_received.day}, {last_received.year}"
    lines = [_PREAMBLE.format(title=title, received=received, blank=" " if daily else "")]
    for f in sorted(filings, key=lambda f: (f.form, f.company, f.accession)):
        filed = f"{f.filed:%Y%m%d}" if daily else f.filed.isoformat()
        file_name = urls.index_file_name(f.cik, f.accession)
        row = f"{f.form:<12}{f.company[:61]:<62}{f.cik:<12}{filed:<12}"
        lines.append(row + (f"{file_name:<52}" if daily else file_name) + "\n")
    return "".join(lines).encode("ascii", errors="replace")


def business_days(start: date, end: date) -> list[date]:
    """Mondays to Fridays from `start` to `end` inclusive."""
    count = (end - start).days + 1
    return [d for d in (start + timedelta(days=i) for i in range(count)) if d.weekday() < 5]


def previous_business_day(day: date) -> date:
    """`day` itself if a weekday, else the Friday before it."""
    return day - timedelta(days=max(0, day.weekday() - 4))


def _within(day: date, span: tuple[date, date]) -> bool:
    return span[0] <= day <= span[1]


def _substitute_day(pattern: re.Pattern[bytes], header: bytes, day: date) -> bytes:
    stamp = f"{day:%Y%m%d}".encode()
    return pattern.sub(lambda m: m[1] + stamp, header)
