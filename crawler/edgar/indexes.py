"""EDGAR's daily and quarterly index files: ``form.idx``, ``company.idx``, ``master.idx``.

Owns turning an index file into ``FilingRef`` rows. The kind of index is recognized from its
column header, which is found through the dashed rule under it (some daily files wrap the
column header over two lines, and the number of preamble lines varies). Fixed-width rows are
split from the right: the trailing ``CIK  Date  edgar/data/...`` fields come off first (in
linear time, whatever the line), so a form type or company name wider than its column does
not shift the other fields; the boundary between the two leading fields is taken from the
column header itself. ``master.idx`` is split on pipes: first field CIK, last three form,
date and file name, anything between is the name.

A row that cannot be understood becomes a ``BadLine`` and parsing goes on; only a file without
a column header and rule raises ``ParseError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from crawler.edgar.dates import to_date
from crawler.errors import ParseError
from crawler.models import BadLine, FilingRef
from indexer.models import normalize_accession, normalize_cik

__all__ = ["IndexKind", "IndexParseResult", "parse_index"]

IndexKind = Literal["form", "company", "master"]

_RULE = re.compile(r"^-{20,}\s*$")
# [0-9], not \d: identifiers are ASCII (\d also matches other scripts' digits).
_CIK_FIELD = re.compile(r"[0-9]+")
_DATE_FIELD = re.compile(r"[0-9]{4}-?[0-9]{2}-?[0-9]{2}")
_TRAILING_FIELDS = 3
"""CIK, date filed and file name: split off from the right of a fixed-width row."""
_FILE_NAME = re.compile(
    r"^edgar/data/[0-9]+/(?P<accession>[0-9]{10}-[0-9]{2}-[0-9]{6}|[0-9]{18})\.txt$"
)
_FIELD_GAP = re.compile(r"\s{2,}")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
"""Not ``str.splitlines``: it also splits on ``\x85``, a cp1252 ellipsis decoded as latin-1."""
_MASTER_FIELDS = 5


@dataclass(frozen=True, slots=True)
class IndexParseResult:
    """The rows of one index file."""

    refs: list[FilingRef]
    bad_lines: list[BadLine]
    kind: IndexKind


@dataclass(frozen=True, slots=True)
class _Layout:
    kind: IndexKind
    first_row: int
    """0-based number of the line after the dashed rule."""
    boundary: int
    """Column where the second fixed-width field starts (unused for master.idx)."""


class _RowError(ValueError):
    """A row that cannot be parsed; its message is the ``BadLine`` reason."""


def parse_index(
    text: str,
    *,
    source: str,
    listed_on: date | None,
    forms: frozenset[str] | None = None,
) -> IndexParseResult:
    """Parse a ``form``/``company``/``master`` index, daily or quarterly.

    ``source`` and ``listed_on`` are stored on every ``FilingRef``; ``source`` also names the
    file in a ``ParseError``. ``forms`` keeps only rows of exactly those form types; lines that
    do not even mention one of them are skipped without parsing, so ``bad_lines`` then lists
    only lines that might have been wanted.
    """
    lines = _LINE_BREAK.split(text)
    layout = _find_layout(lines, source)
    refs: list[FilingRef] = []
    bad_lines: list[BadLine] = []
    for line_no, line in enumerate(lines[layout.first_row :], start=layout.first_row + 1):
        if not line.strip():
            continue
        if forms is not None and not any(form in line for form in forms):
            continue
        try:
            ref = _parse_row(line, layout, source=source, listed_on=listed_on)
        except _RowError as exc:
            bad_lines.append(BadLine(line_no=line_no, line=line, reason=str(exc)))
            continue
        if forms is None or ref.form in forms:
            refs.append(ref)
    return IndexParseResult(refs=refs, bad_lines=bad_lines, kind=layout.kind)


def _find_layout(lines: list[str], source: str) -> _Layout:
    """Locate the dashed rule and read the index kind from the column header above it."""
    rule = next((index for index, line in enumerate(lines) if _RULE.match(line)), None)
    if rule is None:
        raise ParseError(source, "no dashed rule under a column header: not an EDGAR index")
    for line in lines[:rule]:
        if line.startswith("CIK|"):
            return _Layout(kind="master", first_row=rule + 1, boundary=0)
        if line.startswith("Form Type") and "Company Name" in line:
            return _Layout(kind="form", first_row=rule + 1, boundary=line.index("Company Name"))
        if line.startswith("Company Name") and "Form Type" in line:
            return _Layout(kind="company", first_row=rule + 1, boundary=line.index("Form Type"))
    raise ParseError(source, "no Form Type / Company Name / CIK| column header above the rule")


def _parse_row(line: str, layout: _Layout, *, source: str, listed_on: date | None) -> FilingRef:
    if layout.kind == "master":
        fields = line.split("|")
        if len(fields) < _MASTER_FIELDS:
            raise _RowError(f"expected {_MASTER_FIELDS} '|'-separated fields, got {len(fields)}")
        cik, *name_parts, form, date_text, file_name = (field.strip() for field in fields)
        name = "|".join(name_parts)
    else:
        leading, cik, date_text, file_name = _split_trailing_fields(line)
        first, second = _split_leading_fields(leading, layout.boundary)
        form, name = (first, second) if layout.kind == "form" else (second, first)
    if not form:
        raise _RowError("empty form type")
    return FilingRef(
        accession=_accession_from_file_name(file_name),
        cik=_to_cik(cik),
        form=form,
        company_name=name,
        filing_date=_to_date(date_text),
        source=source,
        listed_on=listed_on,
    )


def _split_trailing_fields(line: str) -> tuple[str, str, str, str]:
    """(leading fields, CIK, date filed, file name) of a fixed-width row.

    The last three whitespace-separated fields are split off from the right, which takes
    linear time; a regex with a lazy leading group backtracked quadratically on long runs
    of spaces (a 100,000-character line took minutes).
    """
    parts = line.rsplit(None, _TRAILING_FIELDS)
    if len(parts) <= _TRAILING_FIELDS:
        raise _RowError("line does not end with CIK, date filed and file name")
    leading, cik, date_text, file_name = parts
    if not _CIK_FIELD.fullmatch(cik) or not _DATE_FIELD.fullmatch(date_text):
        raise _RowError("line does not end with CIK, date filed and file name")
    return leading, cik, date_text, file_name


def _split_leading_fields(leading: str, boundary: int) -> tuple[str, str]:
    """Split the two fixed-width fields before the CIK at the column ``boundary``.

    When the first field overflows its column (no space just before the boundary), split at
    the first gap of two or more spaces after the boundary instead.
    """
    if len(leading) <= boundary or leading[boundary - 1] == " ":
        return leading[:boundary].strip(), leading[boundary:].strip()
    gap = _FIELD_GAP.search(leading, boundary)
    if gap is None:
        raise _RowError("cannot tell where the first field ends: it overflows its column")
    return leading[: gap.start()].strip(), leading[gap.end() :].strip()


def _accession_from_file_name(file_name: str) -> str:
    match = _FILE_NAME.match(file_name)
    if match is None:
        raise _RowError(f"file name is not edgar/data/<CIK>/<accession>.txt: {file_name!r}")
    return normalize_accession(match.group("accession"))


def _to_cik(text: str) -> str:
    try:
        return normalize_cik(text)
    except ValueError as exc:
        raise _RowError(f"bad CIK {text!r}") from exc


def _to_date(text: str) -> date:
    filing_date = to_date(text)
    if filing_date is None:
        raise _RowError(f"bad date filed {text!r}")
    return filing_date
