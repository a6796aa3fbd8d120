"""``elasticsearch.indices``: shards and replicas per kind of index, on the real node.

Templates give new indices their configured shards and replicas; a changed replica count is
applied to the existing indices; shard copies the single test node cannot allocate (a
replica needs a second node) are reported by ``corresp es status`` and ``/health``, which
stays 200: a yellow cluster still serves.
"""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner
from elasticsearch import Elasticsearch
from fastapi.testclient import TestClient

from api.app import create_app
from indexer.cli.main import cli
from indexer.es_client import describe_indices
from indexer.lifecycle import ensure_schema, index_names
from indexer.settings import Settings
from indexer.watchlists.indices import WatchIndices, ensure_watch_indices


def _layout(**kinds: tuple[int, int]) -> dict[str, Any]:
    return {kind: {"shards": s, "replicas": r} for kind, (s, r) in kinds.items()}


def _settings(es_url: str, prefix: str, layout: dict[str, Any]) -> Settings:
    return Settings.model_validate(
        {"elasticsearch": {"url": es_url, "index_prefix": prefix, "indices": layout}}
    )


def test_shapes_are_applied_and_unallocated_copies_reported(
    es: Elasticsearch, es_url: str, es_prefix: str
) -> None:
    names = index_names(es_prefix)
    settings = _settings(es_url, es_prefix, _layout(letters=(2, 0), alerts=(1, 0)))
    ensure_schema(es, names, layout=settings.elasticsearch.indices)
    ensure_watch_indices(es, WatchIndices(es_prefix), shapes={"alerts": (1, 0)})
    shapes = {h.index: h for h in describe_indices(es, es_prefix)}
    letters = next(h for name, h in shapes.items() if name.startswith(f"{es_prefix}letters"))
    comments = next(h for name, h in shapes.items() if name.startswith(f"{es_prefix}comments"))
    assert (letters.shards, letters.replicas, letters.status) == (2, 0, "green")
    assert (comments.shards, comments.replicas) == (1, 0)

    # One replica asked of a one-node cluster: applied at once, and reported.
    wanted = _settings(es_url, es_prefix, _layout(letters=(2, 1)))
    ensure_schema(es, names, layout=wanted.elasticsearch.indices)
    letters = next(h for h in describe_indices(es, es_prefix) if h.index == letters.index)
    assert (letters.replicas, letters.unassigned_shards, letters.status) == (1, 2, "yellow")

    env = {
        "CORRESP__ELASTICSEARCH__URL": es_url,
        "CORRESP__ELASTICSEARCH__INDEX_PREFIX": es_prefix,
        "CORRESP__ELASTICSEARCH__INDICES__LETTERS__SHARDS": "2",
        "CORRESP__ELASTICSEARCH__INDICES__LETTERS__REPLICAS": "1",
    }
    shown = CliRunner().invoke(cli, ["es", "status", "--json"], env=env)
    assert shown.exit_code == 0, shown.output
    status = json.loads(shown.stdout)
    listed = {entry["index"]: entry for entry in status["indices"]}
    assert listed[letters.index]["unassigned_shards"] == 2
    assert "2 shard copies are not allocated" in status["warning"]
    assert "need at least 2 nodes, the cluster has 1" in status["warning"]
    text = CliRunner().invoke(cli, ["es", "status"], env=env)
    assert f"{letters.index}: 2 primary × 2 copies, yellow, 2 unassigned" in text.output
    assert "warning: 2 shard copies are not allocated" in text.output

    with TestClient(create_app(wanted)) as client:
        health = client.get("/health")
    body = health.json()
    assert health.status_code == 200, body  # yellow still serves
    assert body["ok"] is True
    assert any("not allocated" in warning for warning in body["warnings"])

    # Back to no replica: applied to the existing index, the warning goes.
    ensure_schema(es, names, layout=settings.elasticsearch.indices)
    letters = next(h for h in describe_indices(es, es_prefix) if h.index == letters.index)
    assert (letters.replicas, letters.unassigned_shards, letters.status) == (0, 0, "green")
