"""Dataset files without Elasticsearch: writer, data dictionary, manifest, walk bodies."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

from indexer.dataset import manifest as manifest_module
from indexer.dataset import writer as writer_module
from indexer.dataset.columns import build_row
from indexer.dataset.dictionary import render_dictionary
from indexer.dataset.manifest import ProjectVersion, build_manifest, file_entry, project_version
from indexer.dataset.shared_columns import OTHER_MEASURES
from indexer.dataset.tables import LETTERS, REVIEWS, TABLES
from indexer.dataset.writer import TableWriter, writing_table
from indexer.errors import DatasetError
from indexer.search.dataset import build_dataset_letters_body, build_dataset_linked_body
from indexer.search.params import LetterFilters
from tests.unit.test_gold_accuracy import CHECKS

ROWS = [
    build_row(
        LETTERS,
        {
            "accession": f"0000000000-24-{n:06d}",
            "ciks": ["0000320193", "0000320194"],
            "letter_date": "2024-01-02",
            "staff_names": ["A; B", "C"] if n else [],
            "comment_count": n,
            "opens_review": n == 1,
            "text_source": "=cmd" if n == 2 else "html",
        },
    )
    for n in range(7)
]


def test_parquet_keeps_types_and_describes_columns(tmp_path: Path) -> None:
    path = tmp_path / "letters.parquet"
    with writing_table(LETTERS, path, fmt="parquet", rows_per_batch=3) as writer:
        for row in ROWS:
            writer.write(row)
    assert writer.rows == 7
    parquet = pq.ParquetFile(path)
    assert parquet.metadata.num_row_groups == 3  # one per batch: memory holds one batch
    table = parquet.read()
    assert table.schema.field("letter_date").type == pa.date32()
    assert table.schema.field("ciks").type == pa.list_(pa.string())
    assert table.schema.field("comment_count").type == pa.int32()
    assert table.schema.field("cik").metadata[b"description"].startswith(b"CIK")
    assert table.to_pylist() == ROWS
    assert parquet.metadata.row_group(0).column(0).compression == "ZSTD"


def test_long_texts_are_written_in_smaller_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer_module, "MAX_BATCH_CHARS", 1000)
    path = tmp_path / "letters.parquet"
    long = [row | {"company": "x" * 600} for row in ROWS[:5]]
    with writing_table(LETTERS, path, fmt="parquet") as writer:
        for row in long:
            writer.write(row)
    parquet = pq.ParquetFile(path)
    assert [parquet.metadata.row_group(i).num_rows for i in range(3)] == [2, 2, 1]
    assert parquet.read().to_pylist() == long


def test_csv_joins_lists_and_keeps_text_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "letters.csv"
    with writing_table(LETTERS, path, fmt="csv", rows_per_batch=2) as writer:
        for row in ROWS:
            writer.write(row)
    table = pa_csv.read_csv(path)
    assert table.num_rows == 7
    assert table.column_names == list(LETTERS.column_names)
    rows = table.to_pylist()
    assert rows[1]["ciks"] == "0000320193;0000320194"
    assert rows[1]["staff_names"] == "A, B;C"  # a ';' inside a value cannot split it
    assert not rows[0]["staff_names"]  # an empty field
    assert rows[2]["text_source"] == "=cmd"
    assert rows[1]["opens_review"] is True
    assert rows[0]["letter_date"] == date(2024, 1, 2)


def test_an_empty_table_still_has_its_header(tmp_path: Path) -> None:
    for fmt in ("csv", "parquet"):
        path = tmp_path / f"reviews.{fmt}"
        with writing_table(REVIEWS, path, fmt=fmt):
            pass
        read = pa_csv.read_csv(path) if fmt == "csv" else pq.read_table(path)
        assert read.num_rows == 0
        assert read.column_names == list(REVIEWS.column_names)


def test_a_file_that_cannot_be_written_is_a_dataset_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="cannot write"):
        TableWriter(LETTERS, tmp_path / "absent" / "letters.parquet", fmt="parquet")


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_the_dictionary_lists_every_column_of_every_table(fmt: str) -> None:
    text = render_dictionary(TABLES, fmt=fmt)  # type: ignore[arg-type]
    sections = re.split(r"^## ", text, flags=re.M)
    for table in TABLES:
        (section,) = [s for s in sections if s.startswith(f"`{table.name}` ")]
        assert f"{table.name}.{fmt}" in section
        listed = re.findall(r"^\| `(\w+)` \|", section, flags=re.M)
        assert listed == list(table.column_names)
    assert "not measured by this export" in text.lower()
    accuracy = text.split("## Measured accuracy", 1)[1]
    pairing = "| answer paired with its comment (answers gold) | `comments.response` | 98.4%"
    assert pairing in accuracy
    assert "not measured |" not in accuracy  # every measure named by a column has its figure
    assert "| file_numbers |" in text


def test_gold_measures_named_by_columns_exist() -> None:
    named = {c.gold for t in TABLES for c in t.columns if c.gold}
    assert named
    assert named <= {*CHECKS, *OTHER_MEASURES}


def test_file_entries_and_manifest(tmp_path: Path) -> None:
    path = tmp_path / "letters.csv"
    path.write_bytes(b"accession\nx\n")
    entry = file_entry(path, rows=1)
    assert entry == {
        "name": "letters.csv",
        "bytes": 12,
        "rows": 1,
        "sha256": hashlib.sha256(b"accession\nx\n").hexdigest(),
    }
    manifest = build_manifest(
        created_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        project=ProjectVersion("0.1.0", None, None),
        file_format="csv",
        compression=None,
        filters={"cik": ["0000320193"]},
        indices={"letters": {"alias": "edgar-letters", "indices": ["edgar-letters-v1-1"]}},
        tables={"letters": entry},
        files=[],
        consistency={"comments_left_out": 0},
    )
    assert manifest["counts"] == {"letters": 1}
    assert manifest["created_at"] == "2026-01-02T03:04:05+00:00"
    assert manifest["project"]["commit"] is None


def test_project_version_without_git_is_still_an_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    found = project_version()
    assert found.commit is None or re.fullmatch(r"[0-9a-f]{40}", found.commit)
    monkeypatch.setattr(manifest_module.shutil, "which", lambda _name: None)
    assert project_version().commit is None
    monkeypatch.setattr(manifest_module.shutil, "which", lambda _name: "/nonexistent/git")
    assert project_version().commit is None


def test_walk_bodies_ask_for_the_columns_only_by_unique_key() -> None:
    filters = LetterFilters.model_validate({"cik": ["320193"], "date_from": "2020-01-01"})
    body = build_dataset_letters_body(filters, source=LETTERS.source_fields)
    assert {"terms": {"ciks": ["0000320193"]}} in body["query"]["bool"]["filter"]
    assert body["sort"] == [{"accession": {"order": "asc", "missing": "_last"}}]
    assert body["source"] == LETTERS.source_fields
    linked = build_dataset_linked_body("comments", keys=["a", "b"], source=["accession"])
    assert linked["query"] == {"terms": {"accession": ["a", "b"]}}
    assert linked["sort"] == [{"comment_id": {"order": "asc", "missing": "_last"}}]
    everything = build_dataset_linked_body("threads", keys=None, source=["thread_id"])
    assert everything["query"] == {"match_all": {}}
    assert everything["sort"] == [{"thread_id": {"order": "asc", "missing": "_last"}}]
