"""The managed cluster's layout: each node's name, ports, folder and discovery settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.errors import NodeError
from indexer.node.cluster import ClusterLayout, ManagedCluster
from indexer.settings import Settings


def test_each_node_gets_its_ports_folder_and_the_same_discovery() -> None:
    roles = ClusterLayout(3, 9260, 9360, "384m").roles()
    assert [r.name for r in roles] == ["corresp-node-1", "corresp-node-2", "corresp-node-3"]
    assert [(r.http_port, r.transport_port) for r in roles] == [
        (9260, 9360),
        (9261, 9361),
        (9262, 9362),
    ]
    assert [r.folder for r in roles] == [f"elasticsearch-cluster/node-{i}" for i in (1, 2, 3)]
    assert {r.cluster for r in roles} == {"corresp-cluster"}
    assert all(r.heap == "384m" for r in roles)
    discovery = roles[0].discovery
    assert discovery["discovery.seed_hosts"] == "127.0.0.1:9360,127.0.0.1:9361,127.0.0.1:9362"
    assert discovery["cluster.initial_master_nodes"].split(",") == [r.name for r in roles]
    assert "discovery.type" not in discovery  # not single-node


def test_the_cluster_is_found_again_and_names_bad_node_numbers(tmp_path: Path) -> None:
    settings = Settings.model_validate({"storage": {"data_dir": str(tmp_path)}})
    assert ManagedCluster.recorded(settings) is None
    layout = ManagedCluster.default_layout(settings, 3)
    assert (layout.http_port, layout.transport_port) == (9260, 9360)  # managed node's + 10
    cluster = ManagedCluster(settings, layout)
    assert cluster.url == "http://127.0.0.1:9260,http://127.0.0.1:9261,http://127.0.0.1:9262"
    assert cluster.member(2).paths.link == tmp_path.resolve() / "elasticsearch-cluster" / "node-2"
    with pytest.raises(NodeError, match="the cluster has nodes 1 to 3"):
        cluster.member(4)
    with pytest.raises(NodeError, match="at least 2 nodes"):
        ManagedCluster(settings, ClusterLayout(1, 9260, 9360, "512m"))
