"""The real sample letters as EDGAR lists them: `FakeEdgarConfig.list_samples` / `--list-samples`.

Every UPLOAD and CORRESP filing folder of the samples' `documents/{CIK}/{ACCNODASH}/` (358 of
them) becomes a `SampleLetter`, listed in generated daily and quarterly `form.idx` files
(`synthetic.FormIndexes`, EDGAR's fixed-width layout) so that a crawler discovers exactly the
letters the samples hold. SEC STAFF LETTER / SEC STAFF ACTION folders (accession prefix
9999999997) are not listed. The filings themselves are served as before by `routes`: the full
submission `{acc}.txt` is absent (S3 403 AccessDenied), `index.json` comes from `filing-index/`
and the letter from `documents/`.

Where each row's fields come from:

- CIK and accession: the folder (`documents/{CIK}/{ACCNODASH}/`) and its MANIFEST.tsv row.
- form: the row's `form_type` without its remark ("UPLOAD (inferred from accession prefix: …)"
  reads UPLOAD).
- filing date: `filingDate` in the row's note ("(filingDate 2022-03-01, acceptance …)"). Where
  the note says "filingDate ?" (14 letters of META, MS and TAP missing from their saved
  submissions JSON), the date of the earliest `last-modified` in the folder's `index.json`,
  which equals the filing date for each of the 344 letters where both are known.
- company: the `name` of the company's submissions JSON (`json/` or `json/lehigh/`) as of the
  filing date (a `formerNames` entry whose range holds the date, e.g. "Square, Inc." for Block's
  2018 letters), else the "NAME (TICKER); Lehigh thread" of the note, else the title in
  `json/company_tickers.json`, else "CIK nnnn".
- dissemination day: the filing date (a demo simplification: EDGAR releases letters weeks after
  they are written, and lists them on the release day).

The list is built once per samples folder on first need (about a quarter of a second, mostly
parsing the companies' submissions JSON) and cached; index files are rendered per request path
on first request and cached (`FormIndexes`).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from . import urls
from .samples import ManifestRow, SampleStore

LISTED_FORMS = frozenset({"UPLOAD", "CORRESP"})
_FILING_DATE = re.compile(r"\(filingDate (\d{4}-\d{2}-\d{2})\b")
_NOTE_COMPANY = re.compile(r"\(\d+\)\. (?P<name>.+?) \([A-Z][A-Z.\-]*\); Lehigh thread")
_DOCUMENT = re.compile(r"documents/(?P<cik>\d+)/(?P<folder>\d{18})/(?P<name>[^/]+)")
_TICKERS = "json/company_tickers.json"


@dataclass(frozen=True)
class SampleLetter:
    """One real letter of the samples, as a `form.idx` row and its filing folder."""

    accession: str
    form: str
    cik: int
    company: str
    filed: date
    disseminated: date
    document: str
    """File name of the letter in its folder (`filename1.pdf` / `filename1.htm`)."""

    @property
    def folder(self) -> str:
        return urls.folder(self.accession)

    @property
    def submission_path(self) -> str:
        """URL path of the full submission (absent from the samples: 403 AccessDenied)."""
        return urls.submission_path(self.cik, self.accession)

    @property
    def index_json_path(self) -> str:
        return f"/Archives/edgar/data/{self.cik}/{self.folder}/index.json"

    @property
    def document_path(self) -> str:
        return f"/Archives/edgar/data/{self.cik}/{self.folder}/{self.document}"

    @property
    def sample_index_json(self) -> str:
        """Relative path of the folder listing in the samples."""
        return f"filing-index/{self.cik}/{self.folder}/index.json"

    @property
    def sample_document(self) -> str:
        """Relative path of the letter in the samples."""
        return f"documents/{self.cik}/{self.folder}/{self.document}"


@functools.cache
def sample_letters(store: SampleStore) -> tuple[SampleLetter, ...]:
    """Every UPLOAD/CORRESP folder of `documents/`, sorted by filing date and accession."""
    rows = {row.local_path: row for row in store.manifest if row.kind == "document"}
    names = _CompanyNames(store)
    letters = []
    for path in sorted(store.root.glob("documents/*/*/*")):
        relative = path.relative_to(store.root).as_posix()
        match, row = _DOCUMENT.fullmatch(relative), rows.get(relative)
        if match is None or row is None or row.form not in LISTED_FORMS:
            continue
        cik = int(match["cik"])
        filed = _filing_date(store, row, cik, match["folder"])
        if filed is None:
            continue
        letters.append(
            SampleLetter(
                accession=row.accession,
                form=row.form,
                cik=cik,
                company=names.name(cik, filed, row.note),
                filed=filed,
                disseminated=filed,
                document=match["name"],
            )
        )
    return tuple(sorted(letters, key=lambda letter: (letter.filed, letter.accession)))


def listing_span(letters: tuple[SampleLetter, ...]) -> tuple[date, date] | None:
    """First day of the first letter's quarter to the last day of the last letter's quarter."""
    if not letters:
        return None
    first, last = letters[0].disseminated, letters[-1].disseminated
    start = date(first.year, (urls.quarter(first) - 1) * 3 + 1, 1)
    return start, urls.quarter_end(last.year, urls.quarter(last))


def _filing_date(store: SampleStore, row: ManifestRow, cik: int, folder: str) -> date | None:
    """The note's filingDate, else the day of the folder listing's earliest `last-modified`."""
    noted = _FILING_DATE.search(row.note)
    if noted is not None:
        return date.fromisoformat(noted[1])
    listing = store.read(f"filing-index/{cik}/{folder}/index.json")
    if listing is None:
        return None
    items = json.loads(listing).get("directory", {}).get("item", [])
    stamps = sorted(str(item.get("last-modified", ""))[:10] for item in items)
    stamps = [stamp for stamp in stamps if re.fullmatch(r"\d{4}-\d{2}-\d{2}", stamp)]
    return date.fromisoformat(stamps[0]) if stamps else None


class _CompanyNames:
    """Company names from the samples' submissions JSON, notes and company tickers."""

    def __init__(self, store: SampleStore) -> None:
        self._store = store
        self._submissions: dict[int, dict[str, Any] | None] = {}
        self._tickers: dict[int, str] | None = None

    def name(self, cik: int, filed: date, note: str) -> str:
        submissions = self._submissions_json(cik)
        if submissions is not None and submissions.get("name"):
            return _name_as_of(submissions, filed)
        noted = _NOTE_COMPANY.search(note)
        if noted is not None:
            return noted["name"]
        return self._ticker_titles().get(cik) or f"CIK {cik}"

    def _submissions_json(self, cik: int) -> dict[str, Any] | None:
        if cik not in self._submissions:
            self._submissions[cik] = self._store.submissions_json(cik)
        return self._submissions[cik]

    def _ticker_titles(self) -> dict[int, str]:
        if self._tickers is None:
            body = self._store.read(_TICKERS)
            entries = json.loads(body).values() if body is not None else []
            self._tickers = {int(e["cik_str"]): str(e["title"]) for e in entries}
        return self._tickers


def _name_as_of(submissions: dict[str, Any], day: date) -> str:
    """The company's name on `day`: the latest-starting `formerNames` range holding it, else
    the current name."""
    stamp = day.isoformat()
    held = [
        entry
        for entry in submissions.get("formerNames") or []
        if str(entry.get("from", ""))[:10] <= stamp <= str(entry.get("to", ""))[:10]
    ]
    if not held:
        return str(submissions["name"])
    return str(max(held, key=lambda entry: str(entry["from"]))["name"])
