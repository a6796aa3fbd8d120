"""``write_dataset`` over an in-memory search service: selection, consistency, atomic files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from api import dataset as dataset_module
from api.dataset import DatasetRequest, write_dataset
from indexer.errors import SearchBackendError
from indexer.names import Targets
from indexer.search.params import LetterFilters

A, B = "0000000001", "0000000002"


def _letter(accession: str, cik: str, thread_id: str, *, sec: bool, comments: int = 0) -> Any:
    return {
        "accession": accession,
        "ciks": [cik],
        "sender": "sec" if sec else "company",
        "form": "UPLOAD" if sec else "CORRESP",
        "thread_id": thread_id,
        "comment_count": comments,
        "letter_date": "2024-01-02",
    }


def _comment(accession: str, number: int, thread_id: str) -> dict[str, Any]:
    return {
        "comment_id": f"{accession}-{number}",
        "accession": accession,
        "number": number,
        "thread_id": thread_id,
    }


def _thread(thread_id: str, cik: str) -> dict[str, Any]:
    return {"thread_id": thread_id, "ciks": [cik], "status": "open", "letters": []}


DOCS = {
    "letters": [
        _letter("a-1", A, "a-1", sec=True, comments=2),
        _letter("a-2", A, "a-1", sec=False),
        _letter("b-1", B, "b-1", sec=True, comments=1),
    ],
    "comments": [_comment("a-1", 1, "a-1"), _comment("a-1", 2, "a-1"), _comment("b-1", 1, "b-1")],
    "threads": [_thread("a-1", A), _thread("b-1", B)],
}
KEYS = {"letters": "accession", "comments": "comment_id", "threads": "thread_id"}


class _Scan(list[dict[str, Any]]):
    total = 0


class FakeService:
    """Answers walks from ``docs`` as Elasticsearch would: terms filters, sorted by key."""

    def __init__(self, docs: dict[str, list[dict[str, Any]]], *, failing: str = "") -> None:
        self.docs = docs
        self.targets = Targets("letters", "comments", "threads")
        self.failing = failing
        self.batches: list[list[str]] = []

    def walk(self, index: str, body: dict[str, Any]) -> _Scan:
        if index == self.failing:
            raise SearchBackendError(f"reading {index}: the cluster went away")
        clauses = [body["query"]]
        if "bool" in body["query"]:
            clauses = body["query"]["bool"].get("filter", [])
        docs = self.docs[index]
        for clause in clauses:
            if "terms" in clause:
                ((name, values),) = clause["terms"].items()
                if name != "ciks":
                    self.batches.append(values)
                docs = [d for d in docs if set(_values(d.get(name))) & set(values)]
        scan = _Scan({"_source": doc} for doc in sorted(docs, key=lambda d: d[KEYS[index]]))
        scan.total = len(scan)
        return scan

    scan = walk


def _values(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


class Progress:
    def __init__(self) -> None:
        self.totals: dict[str, int | None] = {}
        self.rows: dict[str, int] = {}

    def table_started(self, table: str, total: int | None) -> None:
        self.totals[table] = total
        self.rows[table] = 0

    def rows_written(self, table: str, rows: int) -> None:
        self.rows[table] += rows


def _write(
    service: FakeService, folder: Path, fmt: Any = "parquet", **filters: Any
) -> tuple[dict[str, Any], Progress]:
    progress = Progress()
    request = DatasetRequest(folder, LetterFilters.model_validate(filters), file_format=fmt)
    manifest = write_dataset(service, request, indices={}, progress=progress)  # type: ignore[arg-type]
    return manifest, progress


def _ids(folder: Path, name: str, key: str) -> list[str]:
    return pq.read_table(folder / f"{name}.parquet").column(key).to_pylist()


def test_whole_index_with_totals_for_the_progress_bars(tmp_path: Path) -> None:
    manifest, progress = _write(FakeService(DOCS), tmp_path)
    assert manifest["counts"] == {"letters": 3, "comments": 3, "reviews": 2}
    assert progress.totals == {"letters": 3, "comments": 3, "reviews": 2}
    assert progress.rows == manifest["counts"]
    assert manifest["consistency"] == {
        "comments_left_out": 0,
        "reviews_left_out": 0,
        "reviews_not_found": 0,
        "comments_expected": 3,
    }
    on_disk = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk == manifest
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "DATA_DICTIONARY.md",
        "comments.parquet",
        "letters.parquet",
        "manifest.json",
        "reviews.parquet",
    ]


@pytest.fixture
def one_key_per_walk(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(dataset_module, "KEYS_PER_WALK", 1)
    yield


@pytest.mark.usefixtures("one_key_per_walk")
def test_a_filter_selects_comments_and_reviews_of_its_letters_in_batches(tmp_path: Path) -> None:
    service = FakeService(DOCS)
    manifest, _ = _write(service, tmp_path, cik=[A])
    assert _ids(tmp_path, "letters", "accession") == ["a-1", "a-2"]
    assert _ids(tmp_path, "comments", "comment_id") == ["a-1-1", "a-1-2"]
    assert _ids(tmp_path, "reviews", "thread_id") == ["a-1"]
    assert service.batches == [["a-1"], ["a-2"], ["a-1"]]  # accessions one by one, then threads
    assert manifest["filters"] == {"cik": [A]}


def test_rows_of_letters_indexed_during_the_walks_are_left_out_and_counted(
    tmp_path: Path,
) -> None:
    docs = {
        "letters": DOCS["letters"],
        "comments": [*DOCS["comments"], _comment("c-1", 1, "c-1")],  # its letter came later
        "threads": [_thread("b-1", B), _thread("c-1", A)],  # a-1 was rebuilt meanwhile
    }
    manifest, _ = _write(FakeService(docs), tmp_path)
    assert manifest["counts"] == {"letters": 3, "comments": 3, "reviews": 1}
    assert manifest["consistency"]["comments_left_out"] == 1
    assert manifest["consistency"]["reviews_left_out"] == 1
    assert manifest["consistency"]["reviews_not_found"] == 1
    assert "c-1-1" not in _ids(tmp_path, "comments", "comment_id")


def test_a_failed_walk_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    _write(FakeService(DOCS), tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(SearchBackendError, match="went away"):
        _write(FakeService(DOCS, failing="threads"), tmp_path, "csv")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_a_new_format_replaces_the_other_formats_files(tmp_path: Path) -> None:
    _write(FakeService(DOCS), tmp_path)
    manifest, _ = _write(FakeService(DOCS), tmp_path, "csv")
    assert manifest["compression"] is None
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".csv", ".csv", ".csv", ".json", ".md"]
