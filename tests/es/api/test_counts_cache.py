"""A search's exact total and facets come from a size-0 search beside the page of hits, which
Elasticsearch's request cache answers for the next pages and for repeated searches."""

from __future__ import annotations

from elasticsearch import Elasticsearch
from fastapi.testclient import TestClient

from tests.es.api.conftest import Indexed


def _cache_hits(es: Elasticsearch, index: str) -> int:
    stats = es.indices.stats(index=index, metric="request_cache")
    return int(stats["_all"]["total"]["request_cache"]["hit_count"])


def test_next_pages_take_their_counts_from_the_cache(
    client: TestClient, es: Elasticsearch, indexed: Indexed
) -> None:
    index = f"{indexed.prefix}letters"
    first = client.get("/search", params={"q": "revenue recognition", "size": 2}).json()
    assert first["total"] > 4 and first["next_cursor"]
    before = _cache_hits(es, index)
    second = client.get(
        "/search", params={"q": "revenue recognition", "size": 2, "cursor": first["next_cursor"]}
    ).json()
    assert _cache_hits(es, index) > before  # the counts of page 2 were not recomputed
    assert second["total"] == first["total"]
    assert second["facets"] == first["facets"]
    assert {h["accession"] for h in second["hits"]}.isdisjoint(
        h["accession"] for h in first["hits"]
    )
    assert second["partial"] is False
