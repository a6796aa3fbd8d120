"""Importing local EDGAR files into the raw store and ledger, without any network.

Accepted inputs: full submission files (``{ACCESSION}.txt``), dissemination ``.nc`` files,
daily Feed archives (``*.nc.tar.gz`` / ``.tar.gz`` of ``.nc`` or ``.txt`` members), and
folders, walked recursively. Inside a folder, any ``…/{CIK}/{18-digit accession}/`` directory
is a filing folder: its documents (and its ``index.json`` listing, which may sit in a
parallel tree, as in the samples' ``filing-index/`` beside ``documents/``) are merged by
accession. Submissions JSON files found in the folder say each accession's form and filing
date; without one, a folder's form comes from the document's own SGML wrapper
(``<TYPE>CORRESP``) or the SEC-generated accession prefix ``0000000000-`` (UPLOAD).

Only the configured forms are stored, and submissions of other forms that carry letters
inside them (a document of type CORRESP in an S-1/A, as before 2005): their letters are
indexed under the accession plus the document's sequence. Anything unreadable is recorded
with its reason.
"""

from __future__ import annotations

import re
import tarfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from crawler.download import checked_submission, submission_facts
from crawler.edgar.filing_index import parse_index_json
from crawler.edgar.submissions_json import parse_submissions_json
from crawler.errors import ParseError
from crawler.extract.letters import EMBEDDED_LETTER_TYPES
from crawler.models import FilingRef
from crawler.state import CrawlState
from crawler.store import RawStore, StoredRaw
from indexer.models import normalize_accession, normalize_cik

__all__ = ["ImportReport", "run_import"]

_FOLDER = re.compile(r"^\d{18}$")
_SUBMISSION_START = (
    b"<SEC-DOCUMENT>",
    b"-----BEGIN PRIVACY-ENHANCED MESSAGE-----",
    b"<SUBMISSION>",
)
_SGML_TYPE = re.compile(rb"^\s*<DOCUMENT>\s*<TYPE>([^\s<]+)", re.IGNORECASE)
_SEC_GENERATED_PREFIX = "0000000000-"
_SEC_ACTION_PREFIX = "9999999997-"
"""SEC-originated ``SEC STAFF LETTER`` and ``SEC STAFF ACTION`` filings (not UPLOADs)."""
_LETTER_SUFFIXES = (".pdf", ".htm", ".html", ".txt")


@dataclass
class ImportReport:
    """What an import found and stored."""

    files_read: int = 0
    filings_found: int = 0
    """Filings of any form recognized in the inputs."""
    stored: int = 0
    already_stored: int = 0
    other_forms: int = 0
    embedded_letters: int = 0
    """Letters found inside submissions of other forms (stored with their submission)."""
    failed: int = 0
    problems: list[str] = field(default_factory=list)
    accessions: list[str] = field(default_factory=list)
    """The accessions of the configured forms, stored now or before."""


@dataclass(frozen=True)
class _Meta:
    form: str
    cik: str
    filing_date: date
    company_name: str


@dataclass(frozen=True)
class _Target:
    """Where imported filings go and which forms are wanted."""

    state: CrawlState
    store: RawStore
    wanted: frozenset[str]
    report: ImportReport
    names: Mapping[str, str]


@dataclass
class _FolderFiling:
    cik: str
    accession: str
    documents: dict[str, Path] = field(default_factory=dict)


def run_import(
    paths: list[Path],
    *,
    state: CrawlState,
    store: RawStore,
    forms: list[str],
    names: Mapping[str, str] | None = None,
) -> ImportReport:
    """Import ``paths``; return what was found, stored and refused.

    ``names`` (company names by CIK, from SEC's ticker map) names the companies of filing
    folders that come without a submissions JSON, whose listings carry no name.
    """
    report = ImportReport()
    target = _Target(state, store, frozenset(forms), report, names or {})
    files = [file for path in paths for file in _walk(path)]
    meta = _read_submissions_json(files, report)
    folders: dict[str, _FolderFiling] = {}
    for file in files:
        if _is_in_filing_folder(file):
            accession = normalize_accession(file.parent.name)
            folder = folders.setdefault(
                accession, _FolderFiling(file.parent.parent.name, accession)
            )
            folder.documents[file.name] = file
        elif file.name.endswith((".tar.gz", ".tgz")):
            for name, data in _archive_members(file, report):
                _import_submission(data, name, target)
        elif file.suffix in (".txt", ".nc"):
            data = file.read_bytes()
            if data.lstrip()[:64].startswith(_SUBMISSION_START):
                report.files_read += 1
                _import_submission(data, str(file), target)
    from_submissions = set(report.accessions)
    for accession, folder in sorted(folders.items()):
        if accession in from_submissions:
            continue  # the full submission was imported already
        _import_folder(folder, meta.get(accession), target)
    return report


def _walk(path: Path) -> Iterator[Path]:
    if path.is_dir():
        yield from sorted(p for p in path.rglob("*") if p.is_file())
    elif path.is_file():
        yield path
    else:
        raise FileNotFoundError(f"{path}: no such file or folder")


def _is_in_filing_folder(file: Path) -> bool:
    return bool(_FOLDER.match(file.parent.name)) and file.parent.parent.name.isdigit()


def _read_submissions_json(files: list[Path], report: ImportReport) -> dict[str, _Meta]:
    meta: dict[str, _Meta] = {}
    for file in files:
        if file.suffix != ".json" or not file.name.startswith("CIK"):
            continue
        try:
            page = parse_submissions_json(file.read_bytes(), source=str(file))
        except ParseError:
            continue  # a JSON file that is not a submissions file says nothing about forms
        report.files_read += 1
        for ref in page.refs:
            meta.setdefault(ref.accession, _Meta(ref.form, ref.cik, ref.filing_date, page.name))
    return meta


def _archive_members(file: Path, report: ImportReport) -> Iterator[tuple[str, bytes]]:
    try:
        with tarfile.open(file) as archive:
            report.files_read += 1
            for member in archive:
                if member.isfile() and member.name.endswith((".nc", ".txt")):
                    handle = archive.extractfile(member)
                    if handle is not None:
                        yield f"{file}:{member.name}", handle.read()
    except (tarfile.TarError, OSError, EOFError) as exc:
        _fail(report, str(file), f"unreadable archive: {exc}")


def _import_submission(data: bytes, source: str, target: _Target) -> None:
    report = target.report
    try:
        header_accession = _accession_of(data, source)
        submission = checked_submission(data, source=source, accession=header_accession)
    except ParseError as exc:
        _fail(report, source, exc.reason)
        target.state.record_problem(source, "import", exc.reason)
        return
    report.filings_found += 1
    header = submission.header
    embedded = [
        d
        for d in submission.documents
        if (d.type or "").upper() in EMBEDDED_LETTER_TYPES and header.form not in target.wanted
    ]
    if header.form not in target.wanted and not embedded:
        report.other_forms += 1
        return
    report.embedded_letters += len(embedded)
    party = next((p for p in header.parties if p.cik), None)
    if party is None or header.filed_as_of is None:
        _fail(report, source, "header names no company CIK or filing date")
        return
    ref = FilingRef(
        submission.accession,
        party.cik or "",
        header.form,
        party.name or "",
        header.filed_as_of,
        "import",
    )
    filing_date, released_on = submission_facts(submission)
    _store(
        ref,
        lambda: target.store.put_submission(ref.accession, data),
        target,
        filing_date=filing_date,
        released_on=released_on,
    )


def _accession_of(data: bytes, source: str) -> str:
    match = re.search(rb"ACCESSION[ -]NUMBER[:>]\s*(\d{10}-\d{2}-\d{6})", data[:20000])
    if match is None:
        raise ParseError(source, "no ACCESSION NUMBER in the header")
    return match.group(1).decode()


def _import_folder(folder: _FolderFiling, meta: _Meta | None, target: _Target) -> None:
    report = target.report
    source = f"folder {folder.cik}/{folder.accession}"
    listing = folder.documents.get("index.json")
    letters = sorted(n for n in folder.documents if n.lower().endswith(_LETTER_SUFFIXES))
    if not letters:
        return  # only a listing: the documents are not here
    report.filings_found += 1
    documents = {name: path.read_bytes() for name, path in folder.documents.items()}
    form = meta.form if meta else _form_of_documents(folder.accession, documents, letters)
    if form is None and folder.accession.startswith(_SEC_ACTION_PREFIX):
        report.other_forms += 1  # SEC STAFF LETTER / SEC STAFF ACTION: not an UPLOAD
        return
    if form is None:
        _fail(report, source, "form unknown: no submissions JSON and no SGML <TYPE> wrapper")
        return
    if form not in target.wanted:
        report.other_forms += 1
        return
    filing_date = meta.filing_date if meta else _listing_date(listing, source)
    if filing_date is None:
        _fail(report, source, "filing date unknown: no submissions JSON and no index.json")
        return
    cik = normalize_cik(meta.cik if meta else folder.cik)
    company_name = (meta.company_name if meta else "") or target.names.get(cik, "")
    ref = FilingRef(folder.accession, cik, form, company_name, filing_date, "import")
    _store(
        ref,
        lambda: target.store.put_documents(ref.accession, documents),
        target,
        filing_date=filing_date,
        released_on=None,
    )


def _form_of_documents(
    accession: str, documents: dict[str, bytes], letters: list[str]
) -> str | None:
    for name in letters:
        match = _SGML_TYPE.match(documents[name][:200])
        if match:
            return match.group(1).decode("ascii", "replace").upper()
    if accession.startswith(_SEC_GENERATED_PREFIX):
        return "UPLOAD"
    return None


def _listing_date(listing: Path | None, source: str) -> date | None:
    if listing is None:
        return None
    try:
        items = parse_index_json(listing.read_bytes(), source=source)
    except ParseError:
        return None
    moments = [item.last_modified for item in items if item.last_modified]
    return min(moments).date() if moments else None


def _store(
    ref: FilingRef,
    put: Callable[[], StoredRaw],
    target: _Target,
    *,
    filing_date: date | None,
    released_on: date | None,
) -> None:
    """Record ``ref`` and store its bytes unless they are stored already."""
    state, report = target.state, target.report
    state.record_discovered([ref])
    if state.stored_among([ref.accession]):
        report.already_stored += 1
        report.accessions.append(ref.accession)
        return
    stored = target.store.find(ref.accession) or put()
    state.mark_fetched(
        ref.accession,
        raw_path=stored.relative_path,
        raw_sha256=stored.sha256,
        raw_bytes=stored.size,
        filing_date=filing_date,
        released_on=released_on,
    )
    report.stored += 1
    report.accessions.append(ref.accession)


def _fail(report: ImportReport, source: str, reason: str) -> None:
    report.failed += 1
    report.problems.append(f"{source}: {reason}")
