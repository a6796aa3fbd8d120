"""The filing lists of the companies whose letters are indexed, kept in the data folder.

A letter's Re: block names the filings under review by form, period and date; the company's
submissions JSON on data.sec.gov lists every filing with its accession, so the normalizer
can resolve each reviewed filing to its EDGAR folder (``indexer.normalize.resolution``).

``CompanyFilings`` reads ``{data_dir}/companies/CIK##########.json`` and the older pages it
names (``CIK##########-submissions-NNN.json``), and, with a crawler's client, refreshes them
before an ingest: the main file at most once a day per company (``MAX_AGE_SECONDS``), an older
page only when a letter may review a filing older than the main file's first one, once (older
pages do not change). Every download goes through the polite client (User-Agent, throttle,
retries) and is checked with the submissions parser before it replaces a cached file; a
company EDGAR has no file for is remembered for the day. Nothing here ever stops a crawl or an
ingest: a failed download leaves the accessions unknown, with a warning in the log.

``corresp parse`` and ``corresp threads`` read the same files from any folders
(``--filings``), searched recursively, without downloading.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from crawler.client import EdgarClient
from crawler.edgar.submissions_json import SubmissionsPage, parse_submissions_json
from crawler.errors import CrawlerError, EdgarNotFoundError
from crawler.models import FilingRef
from crawler.store import atomic_write
from indexer.data_folder import DataFolder
from indexer.incoming import ListedFiling
from indexer.models import normalize_cik

__all__ = ["MAX_AGE_SECONDS", "REVIEW_LAG", "CompanyFilings", "FilingsRefresh"]

logger = logging.getLogger(__name__)

MAX_AGE_SECONDS = 24 * 3600.0
REVIEW_LAG = timedelta(days=2 * 366)
"""How far before a letter the filings it reviews may lie (a 10-K reviewed a year later)."""
_MISSING = ".missing"


@dataclass
class FilingsRefresh:
    """What a refresh did."""

    downloaded: int = 0
    fresh: int = 0
    missing: int = 0
    failed: int = 0
    requests: int = 0


class CompanyFilings:
    """Cached submissions JSON of companies: their filings as ``ListedFiling`` rows."""

    def __init__(self, *roots: Path) -> None:
        self.roots = roots
        self._index: dict[str, Path] | None = None
        self._listed: dict[str, tuple[ListedFiling, ...]] = {}

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> CompanyFilings:
        return cls(DataFolder(data_dir).companies)

    @property
    def folder(self) -> Path:
        """Where downloads are kept (the first root)."""
        return self.roots[0]

    def listed(self, cik: str) -> tuple[ListedFiling, ...]:
        """The company's filings from the cached files (empty when none are cached)."""
        cik = normalize_cik(cik)
        if cik not in self._listed:
            self._listed[cik] = self._load(cik)
        return self._listed[cik]

    def refresh(
        self,
        client: EdgarClient,
        oldest_letter: Mapping[str, date],
        *,
        now: Callable[[], float] = time.time,
        cancelled: Callable[[], bool] | None = None,
    ) -> FilingsRefresh:
        """Bring the cached files of these companies up to date (see the module docstring);
        ``oldest_letter`` gives, per CIK, the date of its oldest letter to be indexed."""
        report = FilingsRefresh()
        for cik, oldest in sorted(oldest_letter.items()):
            if cancelled is not None and cancelled():
                break
            self._refresh_company(
                client, normalize_cik(cik), oldest, report=report, moment=now(), cancelled=cancelled
            )
        self._index = None
        self._listed.clear()
        return report

    # -- internals -------------------------------------------------------------------------

    def _refresh_company(
        self,
        client: EdgarClient,
        cik: str,
        oldest: date,
        *,
        report: FilingsRefresh,
        moment: float,
        cancelled: Callable[[], bool] | None,
    ) -> None:
        main = self.folder / f"CIK{cik}.json"
        marker = self.folder / f"CIK{cik}.json{_MISSING}"
        if _younger_than(marker, MAX_AGE_SECONDS, moment):
            report.missing += 1
            return
        page: SubmissionsPage | None = None
        if _younger_than(main, MAX_AGE_SECONDS, moment):
            report.fresh += 1
            page = _read_page(main, cik)
        else:
            page = self._download(client, main.name, cik, report, cancelled, marker=marker)
        if page is None:
            return
        for name in self._older_pages_needed(page, oldest):
            target = self.folder / name
            if not target.exists():
                self._download(client, name, cik, report, cancelled)

    def _download(
        self,
        client: EdgarClient,
        name: str,
        cik: str,
        report: FilingsRefresh,
        cancelled: Callable[[], bool] | None,
        *,
        marker: Path | None = None,
    ) -> SubmissionsPage | None:
        path = f"/submissions/{name}"
        report.requests += 1
        try:
            fetched = client.get("data", path, cancelled=cancelled)
            page = parse_submissions_json(fetched.content, source=fetched.url, cik=cik)
            atomic_write(self.folder / name, fetched.content)
        except EdgarNotFoundError:
            if marker is not None:
                atomic_write(marker, b"")
            report.missing += 1
            return None
        except (CrawlerError, OSError) as exc:
            logger.warning("filing list %s not refreshed: %s", name, exc)
            report.failed += 1
            return None
        report.downloaded += 1
        return page

    @staticmethod
    def _older_pages_needed(page: SubmissionsPage, oldest: date) -> list[str]:
        """Older pages holding filings from ``REVIEW_LAG`` before the oldest letter on."""
        first = min((ref.filing_date for ref in page.refs), default=None)
        wanted = oldest - REVIEW_LAG
        if first is None or first <= wanted:
            return []
        return [
            name
            for name in page.older_pages
            if (end := page.older_page_ends.get(name)) is None or end >= wanted
        ]

    def _load(self, cik: str) -> tuple[ListedFiling, ...]:
        paths = self._paths()
        main = paths.get(f"CIK{cik}.json")
        if main is None:
            return ()
        page = _read_page(main, cik)
        if page is None:
            return ()
        listed = [_listed(ref) for ref in page.refs]
        for name in page.older_pages:
            older = paths.get(name)
            if older is not None and (older_page := _read_page(older, cik)) is not None:
                listed.extend(_listed(ref) for ref in older_page.refs)
        return tuple(listed)

    def _paths(self) -> dict[str, Path]:
        """Every submissions JSON file under the roots, by file name (first root wins)."""
        if self._index is None:
            index: dict[str, Path] = {}
            for root in self.roots:
                if root.is_dir():
                    for path in sorted(root.rglob("CIK*.json")):
                        index.setdefault(path.name, path)
            self._index = index
        return self._index


def _read_page(path: Path, cik: str) -> SubmissionsPage | None:
    try:
        return parse_submissions_json(path.read_bytes(), source=str(path), cik=cik)
    except (CrawlerError, OSError) as exc:
        logger.warning("unreadable filing list %s: %s", path, exc)
        return None


def _listed(ref: FilingRef) -> ListedFiling:
    return ListedFiling(
        ref.accession, ref.form, ref.filing_date, ref.report_date, file_number=ref.file_number
    )


def _younger_than(path: Path, seconds: float, moment: float) -> bool:
    try:
        age = moment - path.stat().st_mtime
    except OSError:
        return False
    return 0 <= age < seconds


def ciks_of(letters: Iterable[tuple[str, date | None]]) -> dict[str, date]:
    """The oldest letter date per CIK, from (cik, date) pairs."""
    oldest: dict[str, date] = {}
    for cik, day in letters:
        if day is not None and (cik not in oldest or day < oldest[cik]):
            oldest[cik] = day
    return oldest
