"""Export rows as CSV or JSON Lines, in chunks for streaming. Pure.

CSV has one header line and the kind's ``export_columns``; lists are joined with ``;``,
booleans written ``true``/``false``, missing values left empty, and fields with commas,
quotes or line breaks quoted (RFC 4180, via the ``csv`` module). A text cell that a
spreadsheet would take for a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return; letters are written by outsiders) is prefixed with ``'`` so it is opened as
text, never evaluated. JSON Lines has one object
per line with the same fields, lists kept as lists.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Literal

__all__ = ["MEDIA_TYPES", "ExportFormat", "export_chunks", "to_csv_value"]

ExportFormat = Literal["csv", "jsonl"]
MEDIA_TYPES: Mapping[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson; charset=utf-8",
}
ROWS_PER_CHUNK = 500
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def to_csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(to_csv_value(item) for item in value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return str(value)


def export_chunks(
    columns: tuple[str, ...],
    rows: Iterable[Mapping[str, Any]],
    fmt: ExportFormat,
    *,
    rows_per_chunk: int = ROWS_PER_CHUNK,
) -> Iterator[str]:
    """The export of ``rows`` (documents' sources) as text chunks of several rows each."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if fmt == "csv":
        writer.writerow(columns)
    pending = 0
    for row in rows:
        if fmt == "csv":
            writer.writerow([to_csv_value(row.get(column)) for column in columns])
        else:
            record = {column: row.get(column) for column in columns}
            buffer.write(json.dumps(record, ensure_ascii=False) + "\n")
        pending += 1
        if pending >= rows_per_chunk:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if buffer.tell():
        yield buffer.getvalue()
