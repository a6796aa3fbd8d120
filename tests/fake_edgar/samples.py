"""Read-only access to the real EDGAR samples folder and its MANIFEST.tsv.

The samples are never copied into the project: the fake reads them where they are, located by
argument, `EDGAR_SAMPLES` / `EDGAR_SAMPLES_DIR`, or `../shared/edgar-samples` next to the project.
Files are cached in memory after the first read (the whole folder is about 34 MB).
"""

from __future__ import annotations

import csv
import functools
import json
import os
import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SAMPLES_DIR = _PROJECT_ROOT.parent / "shared" / "edgar-samples"
ENV_VARS = ("EDGAR_SAMPLES", "EDGAR_SAMPLES_DIR")
_HEADER_CIK = re.compile(rb"CENTRAL INDEX KEY:\s*(\d+)")
_HEADER_END = b"</SEC-HEADER>"


class SamplesNotFoundError(FileNotFoundError):
    """The EDGAR samples folder (with its MANIFEST.tsv) does not exist."""


def locate_samples(explicit: str | Path | None = None) -> Path:
    """The samples folder: `explicit`, else the environment, else the shared default."""
    candidates = [explicit] if explicit is not None else [os.environ.get(v) for v in ENV_VARS]
    chosen = next((Path(c) for c in candidates if c), DEFAULT_SAMPLES_DIR)
    if not (chosen / "MANIFEST.tsv").is_file():
        raise SamplesNotFoundError(f"no EDGAR samples (MANIFEST.tsv) in {chosen}")
    return chosen.resolve()


@dataclass(frozen=True)
class ManifestRow:
    """The MANIFEST.tsv columns the fake needs."""

    local_path: str
    kind: str
    form_type: str
    ciks: tuple[int, ...]
    accession: str
    note: str = ""

    @property
    def form(self) -> str:
        """`form_type` without a trailing remark: "UPLOAD (inferred from …)" → "UPLOAD"."""
        return self.form_type.partition(" (")[0].strip()


class SampleStore:
    """Cached, path-safe reads of sample files plus MANIFEST lookups."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.manifest = _read_manifest(root / "MANIFEST.tsv")
        self._by_accession: dict[str, list[ManifestRow]] = {}
        for row in self.manifest:
            if row.accession:
                self._by_accession.setdefault(row.accession, []).append(row)
        self._cache: dict[str, bytes | None] = {}
        self._lock = threading.Lock()

    @classmethod
    def at(cls, root: str | Path | None = None) -> SampleStore:
        """The shared store of a samples folder (one per folder per process)."""
        return _store_for(locate_samples(root))

    def read(self, relative: str) -> bytes | None:
        """Bytes of a sample file, or None if it does not exist (or lies outside the folder)."""
        with self._lock:
            if relative in self._cache:
                return self._cache[relative]
        path = (self.root / relative).resolve()
        body = path.read_bytes() if path.is_relative_to(self.root) and path.is_file() else None
        with self._lock:
            self._cache[relative] = body
        return body

    def require(self, relative: str) -> bytes:
        """Bytes of a sample file the fake cannot work without."""
        body = self.read(relative)
        if body is None:
            raise SamplesNotFoundError(f"sample file {relative} missing in {self.root}")
        return body

    def first(self, pattern: str) -> str | None:
        """Relative path of the first file (sorted) matching a glob pattern, if any."""
        matches = sorted(self.root.glob(pattern))
        return matches[0].relative_to(self.root).as_posix() if matches else None

    def modified(self, relative: str) -> datetime:
        """File modification time (UTC) of a sample file."""
        return datetime.fromtimestamp((self.root / relative).stat().st_mtime, tz=UTC)

    def rows(self, kind: str, form_types: frozenset[str] | None = None) -> list[ManifestRow]:
        """MANIFEST rows of one kind, optionally restricted to some form types."""
        return [
            row
            for row in self.manifest
            if row.kind == kind and (form_types is None or row.form_type in form_types)
        ]

    def submissions_json(self, cik: int) -> dict[str, Any] | None:
        """A company's main submissions JSON (`json/` or `json/lehigh/`), parsed, if present."""
        return self._json(f"CIK{cik:010d}.json")

    def filing_rows(self, cik: int) -> dict[str, dict[str, Any]]:
        """A company's filings as the submissions JSON lists them (its `recent` arrays and the
        older `-submissions-NNN.json` pages the samples hold), one dict per accession."""
        main = self.submissions_json(cik)
        if main is None:
            return {}
        tables = [main.get("filings", {}).get("recent", {})]
        for page in main.get("filings", {}).get("files", []):
            older = self._json(str(page.get("name", "")))
            if older is not None:
                tables.append(older)
        rows: dict[str, dict[str, Any]] = {}
        for table in tables:
            columns = {key: value for key, value in table.items() if isinstance(value, list)}
            for i, accession in enumerate(columns.get("accessionNumber", [])):
                rows[accession] = {k: v[i] for k, v in columns.items() if i < len(v)}
        return rows

    def _json(self, name: str) -> dict[str, Any] | None:
        body = self.read(f"json/{name}") or self.read(f"json/lehigh/{name}")
        return json.loads(body) if body is not None else None

    def manifest_ciks(self, accession: str) -> frozenset[int]:
        """CIKs MANIFEST.tsv records for any file of an accession."""
        return frozenset(cik for row in self._by_accession.get(accession, []) for cik in row.ciks)

    def submission_ciks(self, accession: str, body: bytes) -> frozenset[int]:
        """CIKs a submission belongs to, per MANIFEST.tsv and its own SGML header."""
        header = body.split(_HEADER_END, 1)[0]
        from_header = {int(cik) for cik in _HEADER_CIK.findall(header)}
        return self.manifest_ciks(accession) | from_header


@functools.cache
def _store_for(root: Path) -> SampleStore:
    return SampleStore(root)


def _read_manifest(path: Path) -> list[ManifestRow]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            ManifestRow(
                local_path=record["local_path"],
                kind=record["kind"],
                form_type=record["form_type"],
                ciks=tuple(int(c) for c in record["cik"].split(";") if c.strip().isdigit()),
                accession=record["accession"],
                note=record["note"] or "",
            )
            for record in csv.DictReader(handle, delimiter="\t")
        ]
