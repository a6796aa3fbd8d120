"""Requests beyond a cluster limit get a clear 400 naming what to narrow, on the real node.

``search.max_buckets`` is lowered for the test (a dynamic cluster setting, restored after)
so that statistics and facets need more buckets than allowed; an export's point in time is
closed behind its back, as an expired one would be, between two pages.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from elasticsearch import Elasticsearch
from fastapi.testclient import TestClient

import api.search
from api.search import SearchService
from indexer.errors import QueryLimitError
from indexer.lifecycle import index_names
from indexer.search.kinds import KINDS
from indexer.search.params import ExportParams
from tests.es.api.conftest import Indexed, assert_error


@pytest.fixture
def few_buckets(es: Elasticsearch) -> Iterator[int]:
    es.cluster.put_settings(persistent={"search.max_buckets": 3})
    try:
        yield 3
    finally:
        es.cluster.put_settings(persistent={"search.max_buckets": None})


def test_too_many_buckets_is_a_400_naming_the_limit(client: TestClient, few_buckets: int) -> None:
    for path in ("/stats", "/search?q=revenue", "/comments/search?q=goodwill"):
        body = assert_error(client.get(path), 400)
        assert f"search.max_buckets = {few_buckets}" in body["error"], (path, body)
        assert "narrow the query" in body["error"]
    assert client.get("/health").json()["ok"] is True  # not taken for a failing cluster


def test_limits_restored_answer_again(client: TestClient) -> None:
    answer = client.get("/stats")
    assert answer.status_code == 200, answer.json()


def test_an_expired_point_in_time_stops_the_walk_with_its_reason(
    es: Elasticsearch, indexed: Indexed, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api.search, "SCAN_PAGE_SIZE", 10)
    service = SearchService(es, index_names(indexed.prefix).aliases)
    kind = KINDS["letters"]
    params = ExportParams()
    scan = service.export(kind, params, kind.order(None, has_query=False))
    assert scan.total == indexed.letters > 10
    rows = iter(scan)
    first_page = [next(rows) for _ in range(10)]
    assert len(first_page) == 10
    pit = scan._pit  # expired behind its back, as the cluster would
    assert pit is not None
    es.close_point_in_time(id=pit)
    with pytest.raises(QueryLimitError, match="point in time of this walk expired"):
        next(rows)
