"""A research dataset: the letters of a search, their comments and their reviews, as files.

``write_dataset`` walks three indices with ``SearchService`` (each walk by its unique key
with ``search_after``; the letters and every unfiltered walk inside a point in time) and
writes one file per table of ``indexer/dataset/tables.py`` through
``indexer.dataset.writer.writing_table``, then ``DATA_DICTIONARY.md`` and ``manifest.json``:

1. The letters matching the filters. Their accessions and thread ids are kept as two sets
   of short strings (tens of megabytes for all of EDGAR); documents are never kept.
2. Their comments: every comment when nothing was filtered, else the comments of
   ``KEYS_PER_WALK`` accessions at a time (a ``terms`` filter).
3. Their reviews, the same way by thread id.

The tables stay consistent when the index changes during the walks: a comment or review
whose letters were not among the letters walked (indexed meanwhile) is left out and counted
in the manifest's ``consistency``, with the letters whose review was not found.

Files are written under hidden partial names and renamed only when every table is
complete, so a failed run leaves the folder as it was.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from api.search import SearchService
from indexer.dataset.columns import Table, build_row
from indexer.dataset.dictionary import DICTIONARY_NAME, render_dictionary
from indexer.dataset.manifest import MANIFEST_NAME, build_manifest, file_entry, project_version
from indexer.dataset.tables import COMMENTS, LETTERS, REVIEWS, TABLES
from indexer.dataset.writer import FILE_SUFFIXES, Compression, FileFormat, writing_table
from indexer.errors import DatasetError
from indexer.search.dataset import build_dataset_letters_body, build_dataset_linked_body
from indexer.search.params import LetterFilters

__all__ = [
    "KEYS_PER_WALK",
    "DatasetProgress",
    "DatasetRequest",
    "dataset_files",
    "write_dataset",
]

KEYS_PER_WALK = 1000
"""Accessions or thread ids in one ``terms`` walk of a filtered dataset."""
_TICK = 500
"""Rows between two progress updates."""


class DatasetProgress(Protocol):
    """Told each table's expected rows (``None``: unknown) and the rows written."""

    def table_started(self, table: str, total: int | None) -> None: ...

    def rows_written(self, table: str, rows: int) -> None: ...


@dataclass(frozen=True)
class DatasetRequest:
    """What to write and where."""

    out_dir: Path
    filters: LetterFilters
    file_format: FileFormat = "parquet"
    compression: Compression = "zstd"

    @property
    def filtered(self) -> bool:
        return self.filters != LetterFilters()

    def path(self, name: str) -> Path:
        return self.out_dir / name

    def table_name(self, table: Table) -> str:
        return f"{table.name}{FILE_SUFFIXES[self.file_format]}"


def dataset_files() -> tuple[str, ...]:
    """Every file name a dataset may have in its folder (both formats)."""
    tables = (f"{t.name}{suffix}" for t in TABLES for suffix in FILE_SUFFIXES.values())
    return (*tables, DICTIONARY_NAME, MANIFEST_NAME)


@dataclass
class _Selection:
    """What the letters walk selected: the keys the other tables are linked by."""

    accessions: set[str] = field(default_factory=set)
    thread_ids: set[str] = field(default_factory=set)
    expected_comments: int = 0
    """Comments the selected staff letters hold (each review's staff letters' comments)."""

    def add(self, row: Mapping[str, Any], source: Mapping[str, Any]) -> None:
        self.accessions.add(row["accession"])
        if row["thread_id"]:
            self.thread_ids.add(row["thread_id"])
            if source.get("sender") == "sec":
                self.expected_comments += int(row["comment_count"] or 0)


class _Run:
    """One dataset being written: the walks, the writers and the counts."""

    def __init__(
        self, service: SearchService, request: DatasetRequest, progress: DatasetProgress
    ) -> None:
        self.service = service
        self.request = request
        self.progress = progress
        self.selection = _Selection()
        self.left_out: dict[str, int] = {"comments": 0, "reviews": 0}
        self.rows: dict[str, int] = {}

    def partial(self, name: str) -> Path:
        return self.request.path(f".{name}.partial")

    def write_table(
        self,
        table: Table,
        hits: Iterable[dict[str, Any]],
        *,
        total: int | None,
        keep: Callable[[dict[str, Any], Mapping[str, Any]], bool],
    ) -> None:
        """Write the rows of ``hits`` that ``keep`` accepts into ``table``'s partial file."""
        self.progress.table_started(table.name, total)
        pending = 0
        path = self.partial(self.request.table_name(table))
        fmt, compression = self.request.file_format, self.request.compression
        with writing_table(table, path, fmt=fmt, compression=compression) as writer:
            for hit in hits:
                source = hit["_source"]
                row = build_row(table, source)
                if keep(row, source):
                    writer.write(row)
                    pending += 1
                if pending >= _TICK:
                    self.progress.rows_written(table.name, pending)
                    pending = 0
        self.progress.rows_written(table.name, pending)
        self.rows[table.name] = writer.rows

    def letters(self) -> None:
        body = build_dataset_letters_body(self.request.filters, source=LETTERS.source_fields)
        scan = self.service.walk(self.service.targets.letters, body)

        def keep(row: dict[str, Any], source: Mapping[str, Any]) -> bool:
            self.selection.add(row, source)
            return True

        self.write_table(LETTERS, scan, total=scan.total, keep=keep)

    def linked(self, table: Table, keys: set[str], *, link: str, total: int) -> None:
        """Write the rows of ``table`` whose ``link`` column is one of ``keys``."""

        def keep(row: dict[str, Any], _source: Mapping[str, Any]) -> bool:
            if row[link] in keys:
                return True
            self.left_out[table.name] += 1
            return False

        self.write_table(table, self._linked_hits(table, keys), total=total, keep=keep)

    def _linked_hits(self, table: Table, keys: set[str]) -> Iterator[dict[str, Any]]:
        index = self.service.targets.of(table.kind)
        source = table.source_fields
        if not self.request.filtered:
            body = build_dataset_linked_body(table.kind, keys=None, source=source)
            yield from self.service.walk(index, body)
            return
        ordered = sorted(keys)
        for start in range(0, len(ordered), KEYS_PER_WALK):
            batch = ordered[start : start + KEYS_PER_WALK]
            body = build_dataset_linked_body(table.kind, keys=batch, source=source)
            yield from self.service.scan(index, body)

    def consistency(self) -> dict[str, int]:
        return {
            "comments_left_out": self.left_out["comments"],
            "reviews_left_out": self.left_out["reviews"],
            "reviews_not_found": len(self.selection.thread_ids) - self.rows["reviews"],
            "comments_expected": self.selection.expected_comments,
        }


def write_dataset(
    service: SearchService,
    request: DatasetRequest,
    *,
    indices: Mapping[str, Mapping[str, Any]],
    progress: DatasetProgress,
) -> dict[str, Any]:
    """Write the dataset of ``request`` and return its manifest.

    ``indices`` describes the Elasticsearch indices read (alias and concrete indices of each
    kind), for the manifest."""
    created_at = datetime.now(UTC)
    try:
        request.out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatasetError(f"cannot create {request.out_dir}: {exc}") from exc
    run = _Run(service, request, progress)
    partials = [run.partial(request.table_name(t)) for t in TABLES]
    partials += [run.partial(DICTIONARY_NAME), run.partial(MANIFEST_NAME)]
    try:
        run.letters()
        selection = run.selection
        run.linked(
            COMMENTS, selection.accessions, link="accession", total=selection.expected_comments
        )
        run.linked(REVIEWS, selection.thread_ids, link="thread_id", total=len(selection.thread_ids))
        _write_text(
            run.partial(DICTIONARY_NAME), render_dictionary(TABLES, fmt=request.file_format)
        )
        names = [request.table_name(t) for t in TABLES]
        tables = {
            t.name: file_entry(run.partial(name), name=name, rows=run.rows[t.name])
            for t, name in zip(TABLES, names, strict=True)
        }
        files = [file_entry(run.partial(DICTIONARY_NAME), name=DICTIONARY_NAME)]
        manifest = build_manifest(
            created_at=created_at,
            project=project_version(),
            file_format=request.file_format,
            compression=request.compression if request.file_format == "parquet" else None,
            filters=request.filters.model_dump(mode="json", exclude_defaults=True),
            indices=indices,
            tables=tables,
            files=files,
            consistency=run.consistency(),
        )
        _write_text(run.partial(MANIFEST_NAME), _json(manifest))
        for name in [*names, DICTIONARY_NAME, MANIFEST_NAME]:
            _replace(run.partial(name), request.path(name))
        _remove_other_format(request)
    finally:
        for path in partials:
            path.unlink(missing_ok=True)
    return manifest


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def _write_text(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise DatasetError(f"cannot write {path}: {exc}") from exc


def _replace(partial: Path, final: Path) -> None:
    try:
        partial.replace(final)
    except OSError as exc:
        raise DatasetError(f"cannot write {final}: {exc}") from exc


def _remove_other_format(request: DatasetRequest) -> None:
    """Table files of the other format, left by an earlier dataset in the same folder."""
    for table in TABLES:
        for fmt, suffix in FILE_SUFFIXES.items():
            path = request.path(f"{table.name}{suffix}")
            if fmt == request.file_format:
                continue
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                raise DatasetError(f"cannot remove the earlier {path}: {exc}") from exc
