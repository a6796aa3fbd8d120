"""``corresp dataset`` on the indexed sample letters: linked tables that load and add up.

The Parquet files are read back with pyarrow and DuckDB, the CSV files with pyarrow; keys
must join (every comment's letter and every letter's review are rows), the counts must be
the index's, a filter must give the same consistent subset however its walks are batched,
and the manifest and the data dictionary must describe the files beside them.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from elasticsearch import Elasticsearch

from api import dataset as dataset_module
from indexer.cli.main import cli
from indexer.dataset.tables import TABLES
from tests.es.api.conftest import LVS, Indexed

pytestmark = pytest.mark.samples

FILES = ("letters", "comments", "reviews")


@dataclass(frozen=True)
class Written:
    """A dataset written by the command: its folder, manifest and tables (as Python rows)."""

    folder: Path
    manifest: dict[str, Any]
    tables: dict[str, list[dict[str, Any]]]


def _run(config: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--config", str(config), "dataset", *args])
    return result.exit_code, result.stdout, result.stderr


def _write(config: Path, folder: Path, *args: str) -> Written:
    code, stdout, stderr = _run(config, str(folder), "--json", *args)
    assert code == 0, stderr
    manifest = json.loads(stdout)
    if "csv" in args:  # as text: a loader guessing types would read CIKs as numbers
        tables = {name: _csv_rows(folder / f"{name}.csv") for name in FILES}
    else:
        tables = {name: pq.read_table(folder / f"{name}.parquet").to_pylist() for name in FILES}
    return Written(folder, manifest, tables)


def _csv_rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def config(es_url: str, indexed: Indexed, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dataset-config") / "config.yaml"
    path.write_text(
        f"elasticsearch:\n  url: {es_url}\n  index_prefix: {indexed.prefix}\n", encoding="utf-8"
    )
    return path


@pytest.fixture(scope="module")
def whole(config: Path, tmp_path_factory: pytest.TempPathFactory) -> Written:
    """The whole index as Parquet."""
    return _write(config, tmp_path_factory.mktemp("whole"))


@pytest.fixture
def few_keys_per_walk(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Filtered walks of 3 keys at a time: many batches even on the samples."""
    monkeypatch.setattr(dataset_module, "KEYS_PER_WALK", 3)
    yield


def _count(es: Elasticsearch, prefix: str, kind: str, query: dict[str, Any] | None = None) -> int:
    return int(es.count(index=f"{prefix}{kind}", query=query or {"match_all": {}})["count"])


def _keys(rows: list[dict[str, Any]], column: str) -> set[Any]:
    return {row[column] for row in rows if row[column]}


def _assert_linked(written: Written) -> None:
    """Keys are unique and every link lands on a row of the table it names."""
    letters, comments, reviews = (written.tables[name] for name in FILES)
    for table in TABLES:
        keys = [row[table.key] for row in written.tables[table.name]]
        assert len(keys) == len(set(keys)), table.name
    assert _keys(comments, "accession") <= _keys(letters, "accession")
    assert _keys(letters, "thread_id") == _keys(reviews, "thread_id")
    assert _keys(comments, "thread_id") <= _keys(reviews, "thread_id")
    consistency = written.manifest["consistency"]
    assert consistency["comments_expected"] == len(comments)
    assert consistency["comments_left_out"] == consistency["reviews_left_out"] == 0
    assert consistency["reviews_not_found"] == 0


def test_whole_index_tables_join_and_match_the_index_counts(
    whole: Written, es: Elasticsearch, indexed: Indexed
) -> None:
    letters, comments, reviews = (whole.tables[name] for name in FILES)
    assert len(letters) == _count(es, indexed.prefix, "letters") == indexed.letters
    assert len(comments) == _count(es, indexed.prefix, "comments") > 0
    assert len(reviews) == _count(es, indexed.prefix, "threads") > 0
    _assert_linked(whole)
    assert whole.manifest["counts"] == {
        "letters": len(letters),
        "comments": len(comments),
        "reviews": len(reviews),
    }
    assert {row["cik"] for row in letters} == {f"{int(c):010d}" for c in indexed.companies}
    closed = [row for row in reviews if row["status"] == "closed" and row["rounds"]]
    assert closed
    assert all(row["days_to_close"] >= 0 for row in closed)
    schema = pq.read_schema(whole.folder / "comments.parquet")
    assert schema.field("letter_date").type == pa.date32()
    outcomes = schema.field("outcomes").type
    assert pa.types.is_list(outcomes)
    assert outcomes.value_type == pa.string()
    assert all(row["outcomes"] is not None for row in comments)
    answered = [row for row in comments if row["has_response"]]
    assert answered
    assert all(row["response"] and row["response_accession"] for row in answered)


def test_duckdb_joins_the_parquet_tables(whole: Written) -> None:
    folder = whole.folder
    db = duckdb.connect()
    for name in FILES:
        db.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{folder / name}.parquet')")
    orphans = db.execute(
        "SELECT count(*) FROM comments c LEFT JOIN letters l USING (accession) "
        "WHERE l.accession IS NULL"
    ).fetchone()
    assert orphans == (0,)
    unreviewed = db.execute(
        "SELECT count(*) FROM letters l LEFT JOIN reviews r USING (thread_id) "
        "WHERE l.thread_id IS NOT NULL AND r.thread_id IS NULL"
    ).fetchone()
    assert unreviewed == (0,)
    per_review = db.execute(
        "SELECT count(*) FROM reviews r WHERE r.comment_count <> "
        "(SELECT count(*) FROM comments c WHERE c.thread_id = r.thread_id)"
    ).fetchone()
    assert per_review == (0,)
    lvs = db.execute(f"SELECT count(*) FROM letters WHERE list_contains(ciks, '{int(LVS):010d}')")
    assert lvs.fetchone()[0] > 0


def test_manifest_counts_and_hashes_match_the_files(whole: Written, indexed: Indexed) -> None:
    manifest = whole.manifest
    on_disk = json.loads((whole.folder / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk == {key: value for key, value in manifest.items() if key != "out_dir"}
    for name in FILES:
        entry = manifest["tables"][name]
        path = whole.folder / entry["name"]
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert entry["bytes"] == path.stat().st_size
        assert entry["rows"] == pq.ParquetFile(path).metadata.num_rows
    (dictionary,) = manifest["files"]
    path = whole.folder / dictionary["name"]
    assert dictionary["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert manifest["format"] == "parquet"
    assert manifest["compression"] == "zstd"
    assert manifest["filters"] == {}
    assert manifest["elasticsearch"]["letters"]["alias"] == f"{indexed.prefix}letters"
    assert manifest["elasticsearch"]["letters"]["indices"][0].startswith(indexed.prefix)
    commit = manifest["project"]["commit"]
    assert commit is None or re.fullmatch(r"[0-9a-f]{40}", commit)
    assert sorted(p.name for p in whole.folder.iterdir()) == sorted(
        [*(f"{name}.parquet" for name in FILES), "DATA_DICTIONARY.md", "manifest.json"]
    )


def test_dictionary_lists_every_column_of_every_written_table(whole: Written) -> None:
    text = (whole.folder / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    sections = {s.split("`")[1]: s for s in re.split(r"^## ", text, flags=re.M) if s[:1] == "`"}
    for name in FILES:
        columns = pq.read_schema(whole.folder / f"{name}.parquet").names
        listed = re.findall(r"^\| `(\w+)` \|", sections[name], flags=re.M)
        assert listed == columns
    assert [t.name for t in TABLES] == list(FILES)


@pytest.mark.usefixtures("few_keys_per_walk")
def test_a_cik_filter_gives_a_consistent_subset(
    config: Path,
    whole: Written,
    es: Elasticsearch,
    indexed: Indexed,
    tmp_path: Path,
) -> None:
    cik = f"{int(LVS):010d}"
    part = _write(config, tmp_path / "lvs", "--cik", LVS)
    letters, comments, reviews = (part.tables[name] for name in FILES)
    expected = _count(es, indexed.prefix, "letters", {"terms": {"ciks": [cik]}})
    assert len(letters) == expected > 3  # more accessions than one batch of 3
    assert {row["cik"] for row in letters} == {cik}
    _assert_linked(part)
    assert part.manifest["filters"] == {"cik": [cik]}
    # The same rows as the whole dataset's rows of those letters.
    accessions = _keys(letters, "accession")
    by_id = sorted(comments, key=lambda row: row["comment_id"])
    wanted = [r for r in whole.tables["comments"] if r["accession"] in accessions]
    assert by_id == sorted(wanted, key=lambda row: row["comment_id"])
    threads = _keys(letters, "thread_id")
    assert sorted(r["thread_id"] for r in reviews) == sorted(
        r["thread_id"] for r in whole.tables["reviews"] if r["thread_id"] in threads
    )


@pytest.mark.usefixtures("few_keys_per_walk")
def test_a_date_range_selects_letters_and_their_reviews(
    config: Path, es: Elasticsearch, indexed: Indexed, tmp_path: Path
) -> None:
    part = _write(config, tmp_path / "2022", "--date-from", "2022-01-01", "--date-to", "2022-12-31")
    letters = part.tables["letters"]
    dated = {"range": {"letter_date": {"gte": "2022-01-01", "lte": "2022-12-31"}}}
    assert len(letters) == _count(es, indexed.prefix, "letters", dated) > 0
    assert all(date(2022, 1, 1) <= row["letter_date"] <= date(2022, 12, 31) for row in letters)
    _assert_linked(part)


def test_csv_loads_back_with_the_same_rows(config: Path, whole: Written, tmp_path: Path) -> None:
    part = _write(config, tmp_path / "csv", "--format", "csv")
    for name in FILES:
        assert len(part.tables[name]) == len(whole.tables[name])
        assert part.manifest["tables"][name]["rows"] == len(whole.tables[name])
        assert part.manifest["tables"][name]["name"] == f"{name}.csv"
    by_accession = {row["accession"]: row for row in whole.tables["letters"]}
    for row in part.tables["letters"]:
        assert row["ciks"] == ";".join(by_accession[row["accession"]]["ciks"])
    # Another reader (multi-line quoted text included) sees the same number of rows.
    for name in FILES:
        found = duckdb.sql(
            f"SELECT count(*) FROM read_csv('{part.folder / name}.csv', all_varchar = true)"
        ).fetchall()
        assert found == [(len(whole.tables[name]),)]
    text = (part.folder / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    assert "comments.csv" in text
    assert part.manifest["compression"] is None
    # Writing Parquet over it replaces the CSV files (with --overwrite).
    code, _, stderr = _run(config, str(part.folder), "--overwrite")
    assert code == 0, stderr
    assert not list(part.folder.glob("*.csv"))
    assert not list(part.folder.glob(".*partial"))


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--date-from", "2022-13-01"], "--date-from"),
        (["--cik", "apple"], "--cik"),
        (["--file-number", "abc"], "--file-number"),
        (["--date-from", "2023-01-01", "--date-to", "2022-01-01"], "--date-to"),
        (["--format", "xlsx"], "--format"),
    ],
)
def test_bad_options_are_usage_errors_naming_the_option(
    config: Path, tmp_path: Path, args: list[str], option: str
) -> None:
    folder = tmp_path / "never"
    code, _, stderr = _run(config, str(folder), *args)
    assert code == 2
    assert option in stderr
    assert "Traceback" not in stderr
    assert not folder.exists()


def test_a_folder_holding_a_dataset_is_not_overwritten_by_default(
    config: Path, whole: Written
) -> None:
    before = (whole.folder / "manifest.json").read_bytes()
    code, _, stderr = _run(config, str(whole.folder))
    assert code == 2
    assert "--overwrite" in stderr
    assert (whole.folder / "manifest.json").read_bytes() == before


def test_an_unindexed_prefix_is_a_one_line_error(es_url: str, tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        f"elasticsearch:\n  url: {es_url}\n  index_prefix: test-nothing-here-\n", encoding="utf-8"
    )
    code, _, stderr = _run(config, str(tmp_path / "out"))
    assert code == 1
    assert "nothing indexed under test-nothing-here-letters" in stderr
    assert "Traceback" not in stderr
