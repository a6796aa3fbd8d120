"""CSV and JSON Lines rows, in chunks."""

from __future__ import annotations

import csv
import io
import json

from api.export import export_chunks, to_csv_value

COLUMNS = ("accession", "ciks", "has_response", "text")
ROWS = [
    {"accession": "a", "ciks": ["1", "2"], "has_response": True, "text": 'x, "y"\nz'},
    {"accession": "b", "ciks": [], "has_response": None},
    {"accession": "c", "ciks": ["3"], "has_response": False, "text": "=SUM(A1)", "other": 1},
]


def test_csv_values() -> None:
    assert [to_csv_value(v) for v in (None, True, False, ["a", "b"], 3, "x")] == [
        "",
        "true",
        "false",
        "a;b",
        "3",
        "x",
    ]


def test_csv_has_a_header_and_quotes_what_needs_it() -> None:
    text = "".join(export_chunks(COLUMNS, ROWS, "csv"))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(COLUMNS)
    assert rows[1] == ["a", "1;2", "true", 'x, "y"\nz']
    assert rows[2] == ["b", "", "", ""]
    assert len(rows) == 4


def test_jsonl_keeps_types_and_only_the_columns() -> None:
    lines = "".join(export_chunks(COLUMNS, ROWS, "jsonl")).splitlines()
    records = [json.loads(line) for line in lines]
    assert records[0] == {
        "accession": "a",
        "ciks": ["1", "2"],
        "has_response": True,
        "text": 'x, "y"\nz',
    }
    assert "other" not in records[2]
    assert len(records) == 3


def test_chunks_hold_several_rows_and_nothing_is_lost() -> None:
    rows = [{"accession": str(i)} for i in range(1050)]
    chunks = list(export_chunks(("accession",), rows, "csv", rows_per_chunk=500))
    assert len(chunks) == 3
    assert "".join(chunks).splitlines() == ["accession", *(str(i) for i in range(1050))]
    assert list(export_chunks(("accession",), [], "jsonl")) == []


def test_text_a_spreadsheet_would_evaluate_is_opened_as_text() -> None:
    hostile = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\r=1"]
    assert [to_csv_value(v) for v in hostile] == ["'" + v for v in hostile]
    assert to_csv_value(["=1", "a"]) == "'=1;a"
    assert to_csv_value(-5) == "-5"  # numbers stay numbers
    assert to_csv_value("001-32373") == "001-32373"
    (chunk,) = export_chunks(("text",), [{"text": "=cmd|' /C calc'!A0"}], "csv")
    assert chunk.splitlines()[1] == "'=cmd|' /C calc'!A0"
