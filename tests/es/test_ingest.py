"""Ingest into a real Elasticsearch node: letters, comments with answers, threads, re-ingest."""

from __future__ import annotations

from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from crawler.extract.letters import letter_from_folder
from indexer.ingest import Ingester
from indexer.lifecycle import current_indices, ensure_schema, index_names, new_indices, swap_aliases

pytestmark = pytest.mark.samples

LVS = "1300514"  # Las Vegas Sands 2022: four rounds, every comment answered


def _incoming(samples_dir: Path, cik: str) -> list:
    folders = sorted((samples_dir / "documents" / cik).iterdir())
    return [letter_from_folder(folder) for folder in folders]


def test_ingest_writes_letters_comments_and_threads(
    es: Elasticsearch, es_prefix: str, samples_dir: Path
) -> None:
    names = index_names(es_prefix)
    targets = ensure_schema(es, names)
    report = Ingester(es, targets).ingest(_incoming(samples_dir, LVS))
    assert (report.letters, report.threads) == (9, 1)
    assert es.count(index=targets.letters)["count"] == 9
    (thread,) = es.search(index=targets.threads)["hits"]["hits"]
    assert thread["_source"]["status"] == "closed"
    assert thread["_source"]["rounds"] == 4
    letters = es.search(index=targets.letters, size=20)["hits"]["hits"]
    assert {hit["_source"]["thread_id"] for hit in letters} == {thread["_id"]}
    comments = es.search(index=targets.comments, size=50, query={"term": {"number": 1}})
    first = next(
        h["_source"]
        for h in comments["hits"]["hits"]
        if h["_source"]["accession"] == "0000000000-22-005802"
    )
    assert "Macao" in first["text"]
    assert first["has_response"] is True
    assert first["response_accession"] == "0001300514-22-000075"
    assert first["thread_id"] == thread["_id"]
    phrase = es.search(
        index=targets.letters,
        query={"match_phrase": {"text": "Sample Letter to China-Based Companies"}},
    )
    assert phrase["hits"]["total"]["value"] >= 2


def test_reingest_is_idempotent_and_threads_merge(
    es: Elasticsearch, es_prefix: str, samples_dir: Path
) -> None:
    targets = ensure_schema(es, index_names(es_prefix))
    ingester = Ingester(es, targets)
    incoming = _incoming(samples_dir, LVS)
    ingester.ingest(incoming[5:])  # the later rounds first, as a crawl may see them
    ingester.ingest(incoming[:5])
    ingester.ingest(incoming)  # and everything again
    assert es.count(index=targets.letters)["count"] == 9
    assert es.count(index=targets.threads)["count"] == 1  # partial threads merged, stale deleted
    counts = es.count(index=targets.comments)["count"]
    ingester.ingest(incoming)
    assert es.count(index=targets.comments)["count"] == counts


def test_reindex_swaps_aliases_atomically(
    es: Elasticsearch, es_prefix: str, samples_dir: Path
) -> None:
    names = index_names(es_prefix)
    targets = ensure_schema(es, names)
    Ingester(es, targets).ingest(_incoming(samples_dir, LVS))
    before = current_indices(es, names)
    fresh = new_indices(es, names)
    Ingester(es, fresh, refresh=False).ingest(_incoming(samples_dir, LVS))
    assert es.count(index=targets.letters)["count"] == 9  # still served by the old index
    retired = swap_aliases(es, names, fresh)
    assert sorted(retired) == sorted(i for kind in before.values() for i in kind)
    assert current_indices(es, names)["letters"] == [fresh.letters]
    assert es.count(index=targets.letters)["count"] == 9
