"""data.sec.gov submissions JSON: a company's filing list and its older pages.

Owns reading ``/submissions/CIK##########.json`` (company fields plus ``filings.recent``, a
dict of parallel arrays, and ``filings.files``, the names of older pages) and the older pages
``CIK##########-submissions-NNN.json``, which are bare column dicts without company fields.
Keys are read by name and missing ones tolerated: the 2023 format lacks ``core_type`` and
``ownerOrg`` and writes the CIK unpadded. A row that cannot be read (columns of unequal
length, a bad accession or date) is reported as a ``BadLine``, never raised; so is an
older-page name that is not a plain file name (a URL of another host, a path).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from crawler.edgar.dates import to_date
from crawler.errors import ParseError
from crawler.models import BadLine, FilingRef
from indexer.models import normalize_accession, normalize_cik, normalize_file_number

__all__ = ["SUBMISSIONS_SOURCE", "SubmissionsPage", "parse_submissions_json"]

SUBMISSIONS_SOURCE = "submissions"
"""``FilingRef.source`` of rows read from submissions JSON."""

_ROW_COLUMNS = ("accessionNumber", "filingDate", "form")
_REPORT_DATE = "reportDate"
_FILE_NUMBER = "fileNumber"
_PAGE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\.json")
"""An older page's name, like ``CIK0000320193-submissions-001.json``."""


@dataclass(frozen=True, slots=True)
class SubmissionsPage:
    """The filings of one submissions JSON file."""

    cik: str
    name: str
    refs: list[FilingRef]
    older_pages: list[str]
    """File names of older pages (``filings.files``), newest first; empty for a page."""
    older_page_ends: dict[str, date]
    """The last filing date (``filingTo``) of each older page, where the file says."""
    company: dict[str, Any]
    """Every top-level field except ``filings`` (``sic``, ``ownerOrg``, ``formerNames`` ...),
    under SEC's own key names; empty for an older page."""
    bad_rows: list[BadLine]
    """Rows that could not be read (``line_no``: 1-based row number in the arrays) and
    unusable older-page names (``line_no``: 1-based position in ``filings.files``)."""


def parse_submissions_json(
    data: bytes,
    *,
    source: str,
    forms: frozenset[str] | None = None,
    cik: str | None = None,
    name: str | None = None,
) -> SubmissionsPage:
    """Parse a main submissions file or one of its older pages.

    ``source`` names the data in errors. ``forms`` keeps only rows of exactly those form types.
    An older page carries neither CIK nor company name: pass them as ``cik`` and ``name``
    (taken from the main file); for a main file they are only fallbacks.
    Raises ``ParseError`` when the data is not a submissions file at all.
    """
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError(source, f"not JSON: {exc}") from exc
    except RecursionError as exc:  # json recurses once per nested array or object
        raise ParseError(source, "JSON nested too deeply to read") from exc
    if not isinstance(document, dict):
        raise ParseError(source, "not a JSON object")

    if "filings" in document:
        filings = document["filings"] if isinstance(document["filings"], dict) else {}
        columns = filings.get("recent", {})
        older_pages, bad_pages = _older_pages(filings.get("files", []))
        page_ends = _page_ends(filings.get("files", []), older_pages)
        company = {key: value for key, value in document.items() if key != "filings"}
    elif "accessionNumber" in document:
        columns, older_pages, bad_pages, company = document, [], [], {}
        page_ends = {}
    else:
        raise ParseError(source, "neither filings.recent nor accessionNumber: not submissions JSON")
    if not isinstance(columns, dict):
        raise ParseError(source, "filing columns are not a JSON object")

    company_cik = _company_cik(company.get("cik", cik), source)
    company_name = str(company.get("name") or name or "")
    refs, bad_rows = _read_rows(
        columns, cik=company_cik, company_name=company_name, forms=forms, source=source
    )
    return SubmissionsPage(
        cik=company_cik,
        name=company_name,
        refs=refs,
        older_pages=older_pages,
        older_page_ends=page_ends,
        company=company,
        bad_rows=bad_pages + bad_rows,
    )


def _page_ends(files: object, names: list[str]) -> dict[str, date]:
    ends: dict[str, date] = {}
    for page in files if isinstance(files, list) else []:
        if isinstance(page, dict) and page.get("name") in names:
            end = to_date(str(page.get("filingTo") or ""))
            if end is not None:
                ends[str(page["name"])] = end
    return ends


def _older_pages(files: object) -> tuple[list[str], list[BadLine]]:
    """The older pages' file names; a name that is not a plain ``.json`` file name (a URL,
    a path, ``..``) is a ``BadLine`` and never fetched, so data cannot point elsewhere."""
    names: list[str] = []
    bad: list[BadLine] = []
    for position, page in enumerate(files if isinstance(files, list) else []):
        if not isinstance(page, dict) or not page.get("name"):
            continue
        name = str(page["name"])
        if _PAGE_NAME.fullmatch(name):
            names.append(name)
        else:
            reason = f"filings.files name {name!r} is not a file name on data.sec.gov: not fetched"
            bad.append(BadLine(line_no=position + 1, line=json.dumps(page), reason=reason))
    return names, bad


def _company_cik(value: object, source: str) -> str:
    if value is None:
        raise ParseError(source, "no cik in the file: pass cik= for an older page")
    try:
        return normalize_cik(str(value))
    except ValueError as exc:
        raise ParseError(source, f"bad cik {value!r}") from exc


def _read_rows(
    columns: dict[str, Any],
    *,
    cik: str,
    company_name: str,
    forms: frozenset[str] | None,
    source: str,
) -> tuple[list[FilingRef], list[BadLine]]:
    """FilingRefs from the parallel arrays; unreadable rows become BadLines."""
    arrays: dict[str, list[Any]] = {}
    for column in _ROW_COLUMNS:
        values = columns.get(column, [])
        if not isinstance(values, list):
            raise ParseError(source, f"column {column} is not an array")
        arrays[column] = values
    row_count = max(len(values) for values in arrays.values())
    for optional in (_REPORT_DATE, _FILE_NUMBER):  # older files may lack them
        values = columns.get(optional)
        if isinstance(values, list) and len(values) == row_count:
            arrays[optional] = values
    refs: list[FilingRef] = []
    bad_rows: list[BadLine] = []
    for index in range(row_count):
        row = {column: values[index] for column, values in arrays.items() if index < len(values)}
        form = row.get("form")
        if forms is not None and isinstance(form, str) and form not in forms:
            continue
        try:
            refs.append(_to_ref(row, cik=cik, company_name=company_name))
        except _RowError as exc:
            line = json.dumps(row, default=str)
            bad_rows.append(BadLine(line_no=index + 1, line=line, reason=str(exc)))
    return refs, bad_rows


class _RowError(ValueError):
    """A row that cannot be read; its message is the ``BadLine`` reason."""


def _to_ref(row: dict[str, Any], *, cik: str, company_name: str) -> FilingRef:
    missing = [column for column in _ROW_COLUMNS if column not in row]
    if missing:
        raise _RowError(f"columns of unequal length: no {', '.join(missing)} for this row")
    accession_text, filing_date_text, form = (row[column] for column in _ROW_COLUMNS)
    if not isinstance(form, str) or not form:
        raise _RowError(f"bad form {form!r}")
    filing_date = to_date(filing_date_text) if isinstance(filing_date_text, str) else None
    if filing_date is None:
        raise _RowError(f"bad filingDate {filing_date_text!r}")
    try:
        accession = normalize_accession(str(accession_text))
    except ValueError as exc:
        raise _RowError(f"bad accessionNumber {accession_text!r}") from exc
    report = row.get(_REPORT_DATE)
    return FilingRef(
        accession=accession,
        cik=cik,
        form=form,
        company_name=company_name,
        filing_date=filing_date,
        source=SUBMISSIONS_SOURCE,
        listed_on=None,
        report_date=to_date(report) if isinstance(report, str) and report else None,
        file_number=_file_number(row.get(_FILE_NUMBER)),
    )


def _file_number(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return normalize_file_number(value)
    except ValueError:
        return None
