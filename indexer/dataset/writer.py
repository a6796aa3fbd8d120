"""Dataset files, written in batches: Parquet or CSV. The only module that imports pyarrow.

A ``TableWriter`` (opened with ``writing_table``) takes rows
(``indexer.dataset.columns.build_row``) one at a time and writes them every
``ROWS_PER_BATCH`` rows (or ``MAX_BATCH_CHARS`` characters of text) as one Arrow record
batch, so memory holds one batch whatever the size of the table. Column types come from the
table's declaration:

- Parquet (``zstd`` or ``snappy`` compression): strings, 32-bit integers, doubles,
  booleans, dates (``date32``), lists of strings; ``json`` columns are JSON text. Each
  field's metadata carries the column's meaning (``description``). Each batch is one row
  group.
- CSV (RFC 4180, UTF-8, a header line, fields quoted when needed): lists are joined with
  ``;`` (a ``;`` inside a value becomes ``,``; an empty list and a missing value are both
  an empty field), booleans are ``true``/``false``, dates ``YYYY-MM-DD``, a missing value
  is an empty field. Text is written as it is (no spreadsheet-formula escaping, unlike
  ``corresp export``: this is data for analysis).

pyarrow and file system errors become ``DatasetError`` here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from indexer.dataset.columns import Table, ValueType
from indexer.errors import DatasetError

__all__ = [
    "FILE_SUFFIXES",
    "LIST_SEPARATOR",
    "MAX_BATCH_CHARS",
    "ROWS_PER_BATCH",
    "Compression",
    "FileFormat",
    "TableWriter",
    "arrow_schema",
    "writing_table",
]

FileFormat = Literal["parquet", "csv"]
Compression = Literal["zstd", "snappy"]
FILE_SUFFIXES: Mapping[str, str] = {"parquet": ".parquet", "csv": ".csv"}
ROWS_PER_BATCH = 5000
MAX_BATCH_CHARS = 16_000_000
"""A batch is written early once its text reaches this many characters (long comments and
answers), so a batch stays within some tens of megabytes."""
LIST_SEPARATOR = ";"

_PARQUET_TYPES: Mapping[ValueType, Any] = {
    "string": pa.string(),
    "int": pa.int32(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
    "strings": pa.list_(pa.string()),
    "json": pa.string(),
}


def arrow_schema(table: Table, fmt: FileFormat) -> Any:
    """The Arrow schema of ``table``'s file in format ``fmt`` (lists are text in CSV)."""
    fields = []
    for column in table.columns:
        kind = "string" if fmt == "csv" and column.type == "strings" else column.type
        metadata = {"description": column.meaning} if fmt == "parquet" else None
        fields.append(pa.field(column.name, _PARQUET_TYPES[kind], metadata=metadata))
    return pa.schema(fields)


class TableWriter:
    """Writes the rows of one table to ``path`` in batches; ``rows`` counts them."""

    def __init__(
        self,
        table: Table,
        path: Path,
        *,
        fmt: FileFormat,
        compression: Compression = "zstd",
        rows_per_batch: int = ROWS_PER_BATCH,
    ) -> None:
        self.table = table
        self.path = path
        self.rows = 0
        self._fmt = fmt
        self._schema = arrow_schema(table, fmt)
        self._lists = tuple(c.name for c in table.columns if c.type == "strings")
        self._batch: list[Mapping[str, Any]] = []
        self._chars = 0
        self._rows_per_batch = rows_per_batch
        with _writing(path):
            if fmt == "parquet":
                self._writer: Any = pq.ParquetWriter(
                    str(path), self._schema, compression=compression
                )
            else:
                self._writer = pa_csv.CSVWriter(
                    str(path),
                    self._schema,
                    write_options=pa_csv.WriteOptions(quoting_style="needed"),
                )

    def write(self, row: Mapping[str, Any]) -> None:
        self._batch.append(self._csv_row(row) if self._fmt == "csv" else row)
        self._chars += sum(len(value) for value in row.values() if isinstance(value, str))
        if len(self._batch) >= self._rows_per_batch or self._chars >= MAX_BATCH_CHARS:
            self._flush()

    def close(self) -> int:
        """Write what is left and close the file (idempotent); the number of rows."""
        if self._writer is not None:
            try:
                self._flush()
            finally:
                writer, self._writer = self._writer, None
                with _writing(self.path):
                    writer.close()
        return self.rows

    def discard(self) -> None:
        """Close the file without writing what is pending (the caller removes it)."""
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.close()

    def _csv_row(self, row: Mapping[str, Any]) -> dict[str, Any]:
        joined = {name: _joined(row[name]) for name in self._lists}
        return {**row, **joined}

    def _flush(self) -> None:
        if not self._batch:
            return
        with _writing(self.path):
            batch = pa.RecordBatch.from_pylist(self._batch, schema=self._schema)
            self._writer.write_batch(batch)
        self.rows += len(self._batch)
        self._batch = []
        self._chars = 0


@contextmanager
def writing_table(
    table: Table,
    path: Path,
    *,
    fmt: FileFormat,
    compression: Compression = "zstd",
    rows_per_batch: int = ROWS_PER_BATCH,
) -> Iterator[TableWriter]:
    """A ``TableWriter`` closed when the block ends, or discarded when it fails."""
    writer = TableWriter(
        table, path, fmt=fmt, compression=compression, rows_per_batch=rows_per_batch
    )
    try:
        yield writer
    except BaseException:
        writer.discard()
        raise
    writer.close()


def _joined(values: list[str]) -> str | None:
    """A list as one CSV field (an element's own ``;`` becomes ``,``)."""
    if not values:
        return None
    return LIST_SEPARATOR.join(value.replace(LIST_SEPARATOR, ",") for value in values)


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Translates pyarrow's and the file system's errors while writing ``path``."""
    try:
        yield
    except (OSError, pa.ArrowException) as exc:
        raise DatasetError(f"cannot write {path}: {exc}") from exc
