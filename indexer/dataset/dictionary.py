"""``DATA_DICTIONARY.md``: every column of every table, rendered from their declaration. Pure.

The text comes from ``indexer/dataset/tables.py`` alone (type, meaning, derivation, known
limits of each column), so the dictionary shipped with a dataset always describes the files
beside it. Accuracy is not measured by the export: the "Measured accuracy" section gives,
for each column checked against a hand-made gold set, the figure of its measure
(``indexer/dataset/accuracy.py``, which the gold tests keep equal to what they measure).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from indexer.dataset.accuracy import figure_text
from indexer.dataset.columns import Table, ValueType
from indexer.dataset.writer import FILE_SUFFIXES, LIST_SEPARATOR, FileFormat

__all__ = ["DICTIONARY_NAME", "TYPE_NOTES", "render_dictionary"]

DICTIONARY_NAME = "DATA_DICTIONARY.md"

TYPE_NOTES: dict[ValueType, tuple[str, str]] = {
    "string": ("string", "text"),
    "int": ("int32", "integer"),
    "float": ("double", "decimal number"),
    "bool": ("boolean", "`true` / `false`"),
    "date": ("date32", "`YYYY-MM-DD`"),
    "strings": (
        "list<string>",
        f"values joined with `{LIST_SEPARATOR}` (a `{LIST_SEPARATOR}` inside a value becomes `,`)",
    ),
    "json": ("string (JSON)", "JSON text"),
}
"""How each value type is stored: (Parquet type, CSV form)."""


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split()) or "—"


def _table_section(table: Table, fmt: FileFormat) -> list[str]:
    lines = [
        f"## `{table.name}` ({table.name}{FILE_SUFFIXES[fmt]})",
        "",
        f"{table.row} Key: `{table.key}`. Read from the `{table.kind}` index.",
        "",
        "| column | type | meaning | derivation | known limits |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| `{c.name}` | {c.type} | {_cell(c.meaning)} | {_cell(c.derivation)} | "
        f"{_cell(c.limits)} |"
        for c in table.columns
    ]
    return [*lines, ""]


def _accuracy_section(tables: Iterable[Table]) -> list[str]:
    measured: dict[str, list[str]] = defaultdict(list)
    for table in tables:
        for column in table.columns:
            if column.gold:
                measured[column.gold].append(f"`{table.name}.{column.name}`")
    lines = [
        "## Measured accuracy",
        "",
        "Not measured by this export: the figures below are those of the project's gold sets,",
        "checked by hand, as measured by the commit in `manifest.json`: `tests/gold/letters.json`",
        "(241 real letters of 23 companies checked field by field, with their review partition)",
        "and `tests/gold/answers.json` (247 answers of 93 complete response letters, with their",
        "outcomes). `make test` prints them (section `figures`). The gold letters come from the",
        "samples the rules were written against; on letters of other companies, expect less.",
        "",
        "| gold measure | columns | figure |",
        "| --- | --- | --- |",
    ]
    lines += [
        f"| {measure} | {', '.join(columns)} | {figure_text(measure) or 'not measured'} |"
        for measure, columns in measured.items()
    ]
    return [*lines, ""]


def render_dictionary(tables: Iterable[Table], *, fmt: FileFormat) -> str:
    """The data dictionary of ``tables`` written as ``fmt`` files."""
    tables = list(tables)
    links = [
        "# Data dictionary",
        "",
        "Tables of SEC comment letters written by `corresp dataset` (see `manifest.json` for",
        "the version, the filters, the row counts and the files' SHA-256). Keys and links:",
        "",
        "- `letters.accession`, `comments.comment_id` and `reviews.thread_id` are unique;",
        "- `comments.accession` is a row of `letters` (the staff letter with the comment);",
        "- `letters.thread_id` and `comments.thread_id` are rows of `reviews` (when not empty);",
        "- every table carries the company's CIK (`cik`, `ciks`), dates and `file_numbers`.",
        "",
        "A filtered dataset holds the selected letters, the comments of those letters and",
        "the reviews those letters belong to.",
        "",
        "## Types",
        "",
        "| type | Parquet | CSV |",
        "| --- | --- | --- |",
    ]
    links += [f"| {name} | {parquet} | {csv} |" for name, (parquet, csv) in TYPE_NOTES.items()]
    links += [
        "",
        "A missing value is null in Parquet and an empty field in CSV; an empty list is an",
        "empty list in Parquet and an empty field in CSV. CSV files are UTF-8 with a header",
        "line, fields quoted when they hold a comma, a quote or a line break.",
        "",
    ]
    body = [line for table in tables for line in _table_section(table, fmt)]
    return "\n".join([*links, *body, *_accuracy_section(tables)])
