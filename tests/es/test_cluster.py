"""The Elasticsearch seam against a real node: facts, readiness, error translation."""

from __future__ import annotations

import pytest
from elasticsearch import Elasticsearch

from indexer.errors import SearchBackendError
from indexer.es_client import backend_errors, describe_cluster, make_es_client, wait_until_ready
from indexer.settings import ElasticsearchConfig


def test_cluster_is_described_from_health_and_nodes(es: Elasticsearch, es_url: str) -> None:
    info = describe_cluster(es, url=es_url)
    major = int(info.version.split(".")[0])
    assert major in (8, 9)
    assert info.status in ("green", "yellow")
    assert info.number_of_nodes >= 1
    assert "x-pack-core" in info.modules
    # What the code falls back on must match what the node really lacks.
    for module in info.missing_optional_modules:
        assert not info.has(module)


def test_missing_modules_are_detected_for_real(es: Elasticsearch, es_url: str) -> None:
    """Probe one optional module's feature and check the detection agrees with the node."""
    info = describe_cluster(es, url=es_url)
    analyzed = True
    try:
        es.indices.analyze(analyzer="english", text="reviewed filings")
    except Exception:  # noqa: BLE001 - the point is whether the analyzer exists at all
        analyzed = False
    assert analyzed == info.has("analysis-common")


def test_client_from_config_reaches_the_node(es_url: str) -> None:
    client = make_es_client(ElasticsearchConfig(url=es_url))
    try:
        wait_until_ready(client, timeout_seconds=30)
        assert client.cluster.health()["status"] in ("green", "yellow")
    finally:
        client.close()


def test_a_list_of_nodes_goes_on_to_the_next_when_one_is_down(es_url: str) -> None:
    """``elasticsearch.url`` may name several nodes: a node that cannot be reached is
    passed over (here the first, where nothing listens), and no request fails for it."""
    config = ElasticsearchConfig(url=f"http://127.0.0.1:9, {es_url}")
    assert config.hosts() == ["http://127.0.0.1:9", es_url.rstrip("/")]
    client = make_es_client(config, timeout_seconds=5)
    try:
        for _ in range(6):  # the client rotates over its nodes: each one is tried first
            assert client.cluster.health()["status"] in ("green", "yellow")
    finally:
        client.close()


def test_api_errors_become_backend_errors(es: Elasticsearch, es_prefix: str) -> None:
    with pytest.raises(SearchBackendError, match="404") as exc_info, backend_errors("reading"):
        es.indices.get(index=f"{es_prefix}absent")
    assert "no such index" in str(exc_info.value)


def test_index_prefix_fixture_isolates_and_cleans(es: Elasticsearch, es_prefix: str) -> None:
    es.indices.create(index=f"{es_prefix}letters")
    es.index(index=f"{es_prefix}letters", id="a", document={"x": 1}, refresh=True)
    assert es.count(index=f"{es_prefix}letters")["count"] == 1


def test_unreachable_node_is_reported_quickly() -> None:
    client = make_es_client(ElasticsearchConfig(url="http://127.0.0.1:9"), timeout_seconds=2)
    try:
        with pytest.raises(SearchBackendError, match="not ready"):
            wait_until_ready(client, timeout_seconds=1.5, poll_seconds=0.5)
    finally:
        client.close()
