"""What a dataset column is: its type, its meaning, how it is read from a document. Pure.

A ``Column`` carries everything said about it in one place: the value type (``ValueType``),
what it means, how it is derived, its known limits, the hand-checked gold measure of its
accuracy if there is one, and the ``Source`` that reads its value from an Elasticsearch
document. ``indexer/dataset/tables.py`` declares the three tables with these; the rows
(``build_row``), the files' schemas (``indexer/dataset/writer.py``), the fields each walk
asks Elasticsearch for (``Table.source_fields``) and ``DATA_DICTIONARY.md``
(``indexer/dataset/dictionary.py``) are all made from that one declaration, so they cannot
drift apart.

Values are normalized by type when a row is built: dates from ISO text to ``datetime.date``,
a missing list to ``[]``, ``json`` values (nested records) to compact JSON text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

__all__ = [
    "Column",
    "Document",
    "Source",
    "Table",
    "ValueType",
    "build_row",
    "derived",
    "first_of",
    "from_field",
    "to_value",
]

ValueType = Literal["string", "int", "float", "bool", "date", "strings", "json"]
"""``strings`` is a list of strings (identifiers and short names, never containing ``;``);
``json`` is nested data written as JSON text."""
Document = Mapping[str, Any]
Reader = Callable[[Document], Any]


@dataclass(frozen=True, slots=True)
class Source:
    """Where a column's value comes from: the document fields it reads and how."""

    fields: tuple[str, ...]
    """Source fields to ask Elasticsearch for (dotted paths inside stored objects)."""
    read: Reader


def from_field(name: str) -> Source:
    """The value of one document field as stored."""
    return Source((name,), lambda doc: doc.get(name))


def first_of(name: str) -> Source:
    """The first value of a list field (``None`` when the list is empty)."""
    return Source((name,), lambda doc: next(iter(doc.get(name) or ()), None))


def derived(read: Reader, *fields: str) -> Source:
    """A value computed from ``fields`` by ``read`` (a pure function of the document)."""
    return Source(fields, read)


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a dataset table, described for the data dictionary."""

    name: str
    type: ValueType
    meaning: str
    derivation: str
    limits: str = ""
    gold: str | None = None
    """The measure of ``tests/unit/test_gold_accuracy.py`` that checks this value by hand."""
    source: Source | None = None
    """How the value is read; by default the document field of the column's name."""

    @property
    def reader(self) -> Source:
        return self.source or from_field(self.name)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _strings(value: Any) -> list[str]:
    return [str(item) for item in value or () if item is not None]


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


_CONVERTERS: dict[ValueType, Callable[[Any], Any]] = {
    "string": _text,
    "int": _int,
    "float": _float,
    "bool": _bool,
    "date": _date,
    "strings": _strings,
    "json": _json,
}


def to_value(kind: ValueType, value: Any) -> Any:
    """``value`` as a column of type ``kind`` holds it (``None`` stays ``None``, except for a
    list: ``[]``)."""
    return _CONVERTERS[kind](value)


@dataclass(frozen=True, slots=True)
class Table:
    """One table of the dataset: one row per document of one index."""

    name: str
    """``letters``, ``comments`` or ``reviews``; also the file name's stem."""
    kind: str
    """The index the rows come from (``letters``, ``comments``, ``threads``)."""
    key: str
    """The column that identifies a row."""
    row: str
    """What one row is, in words."""
    columns: tuple[Column, ...]
    plan: tuple[tuple[str, Callable[[Any], Any], Reader], ...] = field(
        init=False, repr=False, compare=False
    )
    """Each column's name, converter and reader, worked out once (rows are built by the
    million)."""

    def __post_init__(self) -> None:
        names = [column.name for column in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"table {self.name} declares a column twice")
        if self.key not in names:
            raise ValueError(f"table {self.name}: key {self.key} is not a column")
        plan = tuple((c.name, _CONVERTERS[c.type], c.reader.read) for c in self.columns)
        object.__setattr__(self, "plan", plan)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def source_fields(self) -> list[str]:
        """Every document field some column reads (what a walk asks Elasticsearch for)."""
        return sorted({name for column in self.columns for name in column.reader.fields})


def build_row(table: Table, doc: Document) -> dict[str, Any]:
    """The row of ``table`` for one document's source."""
    return {name: convert(read(doc)) for name, convert, read in table.plan}
