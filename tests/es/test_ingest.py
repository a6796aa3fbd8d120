"""Ingest into a real Elasticsearch node: letters, comments with answers, threads, re-ingest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from elasticsearch import Elasticsearch

from crawler.extract.letters import letter_from_folder
from indexer.errors import SchemaError
from indexer.ingest import Ingester
from indexer.lifecycle import current_indices, ensure_schema, index_names, new_indices, swap_aliases
from indexer.schema import mappings

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
    loading = _index_settings(es, fresh.letters)
    assert loading["refresh_interval"] == "-1"
    assert loading["translog"]["durability"] == "async"
    Ingester(es, fresh, refresh=False).ingest(_incoming(samples_dir, LVS))
    assert es.count(index=targets.letters)["count"] == 9  # still served by the old index
    retired = swap_aliases(es, names, fresh)
    serving = _index_settings(es, fresh.letters)  # back to the defaults
    assert not {"refresh_interval", "translog"} & serving.keys(), serving
    assert sorted(retired) == sorted(i for kind in before.values() for i in kind)
    assert current_indices(es, names)["letters"] == [fresh.letters]
    assert es.count(index=targets.letters)["count"] == 9


def _index_settings(es: Elasticsearch, index: str) -> dict[str, Any]:
    (entry,) = es.indices.get_settings(index=index).values()
    return dict(entry["settings"]["index"])


def test_fields_added_to_the_mapping_reach_live_indices_without_a_reindex(
    es: Elasticsearch, es_prefix: str, samples_dir: Path
) -> None:
    """An index created before the review fields existed takes them on the next write."""
    names = index_names(es_prefix)
    targets = ensure_schema(es, names)
    for kind in ("letters", "threads"):  # as an index of an earlier release had them
        index = current_indices(es, names)[kind][0]
        es.indices.delete(index=index)
        old = mappings(kind, rich=False)
        old["properties"].pop("warnings" if kind == "threads" else "opens_review")
        old["properties"]["reviewed_filings"]["properties"].pop("filed_by")
        es.indices.create(index=index, mappings=old, aliases={names.aliases.of(kind): {}})

    targets = ensure_schema(es, names)  # what every ingest does first
    Ingester(es, targets).ingest(_incoming(samples_dir, "896159"))  # Chubb: five reviews

    properties = es.indices.get_mapping(index=targets.letters)
    (mapping,) = properties.values()
    assert "opens_review" in mapping["mappings"]["properties"]
    opened = es.count(index=targets.letters, query={"term": {"opens_review": True}})["count"]
    assert opened >= 4
    reviews = es.search(index=targets.threads, size=10)["hits"]["hits"]
    assert len(reviews) == 5  # the 8-K and the 10-K reviews of 2016 stay apart
    evidence = [m["evidence"] for hit in reviews for m in hit["_source"]["letters"][1:]]
    assert all(evidence), evidence


def test_an_incompatible_old_mapping_asks_for_a_reindex(es: Elasticsearch, es_prefix: str) -> None:
    names = index_names(es_prefix)
    ensure_schema(es, names)
    index = current_indices(es, names)["letters"][0]
    es.indices.delete(index=index)
    es.indices.create(
        index=index,
        mappings={"properties": {"opens_review": {"type": "keyword"}}},
        aliases={names.aliases.letters: {}},
    )
    with pytest.raises(SchemaError, match="corresp reindex"):
        ensure_schema(es, names)
