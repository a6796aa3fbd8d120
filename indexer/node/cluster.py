"""A managed Elasticsearch cluster of several nodes on loopback, for trying a cluster here.

``corresp es cluster up --nodes 3`` starts three nodes of the managed distribution, each with
its own name (``corresp-node-1``...), ports (HTTP ``http_port + i``, transport
``transport_port + i``) and folder (``<data_dir>/elasticsearch-cluster/node-<i>/``), which
find each other through ``discovery.seed_hosts`` and elect a master among themselves
(``cluster.initial_master_nodes`` on the first start). The layout is kept in
``<data_dir>/elasticsearch-cluster/cluster.json`` so ``down``, ``kill`` and ``start`` find the
nodes again. It is a real cluster (shards and replicas move between nodes, a lost node's
replicas are promoted) and what the multi-node reliability test runs on; a production
cluster runs on separate machines and is reached through ``elasticsearch.url``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from indexer.errors import NodeError, SearchBackendError
from indexer.es_client import backend_errors, make_es_client
from indexer.node.process import ManagedNode, NodeRole
from indexer.settings import Settings

__all__ = ["CLUSTER_FOLDER", "ClusterLayout", "ManagedCluster"]

Report = Callable[[str], None]
CLUSTER_FOLDER = "elasticsearch-cluster"
_CLUSTER_NAME = "corresp-cluster"


@dataclass(frozen=True)
class ClusterLayout:
    """How many nodes, on which first ports, with what heap each."""

    nodes: int
    http_port: int
    transport_port: int
    heap: str

    def roles(self) -> list[NodeRole]:
        names = [f"corresp-node-{i}" for i in range(1, self.nodes + 1)]
        seeds = ",".join(f"127.0.0.1:{self.transport_port + i}" for i in range(self.nodes))
        discovery = {
            "discovery.seed_hosts": seeds,
            "cluster.initial_master_nodes": ",".join(names),
        }
        return [
            NodeRole(
                name=name,
                cluster=_CLUSTER_NAME,
                http_port=self.http_port + i,
                transport_port=self.transport_port + i,
                heap=self.heap,
                folder=f"{CLUSTER_FOLDER}/node-{i + 1}",
                discovery=discovery,
            )
            for i, name in enumerate(names)
        ]

    def to_dict(self) -> dict[str, object]:
        return {
            "nodes": self.nodes,
            "http_port": self.http_port,
            "transport_port": self.transport_port,
            "heap": self.heap,
        }


class ManagedCluster:
    """The nodes of one ``ClusterLayout`` under one data folder."""

    def __init__(self, settings: Settings, layout: ClusterLayout) -> None:
        if layout.nodes < 2:
            raise NodeError("a managed cluster has at least 2 nodes (`corresp es up` runs one)")
        self.settings = settings
        self.layout = layout
        self.members = [ManagedNode(settings, role) for role in layout.roles()]

    @classmethod
    def default_layout(cls, settings: Settings, nodes: int) -> ClusterLayout:
        """Ports just above the single node's (``http_port + 10``...), heap 512m."""
        cfg = settings.elasticsearch.managed
        return ClusterLayout(nodes, cfg.http_port + 10, cfg.transport_port + 10, "512m")

    @classmethod
    def recorded(cls, settings: Settings) -> ManagedCluster | None:
        """The cluster last started under this data folder, or ``None``."""
        try:
            saved = json.loads(_layout_file(settings).read_text())
            layout = ClusterLayout(
                int(saved["nodes"]),
                int(saved["http_port"]),
                int(saved["transport_port"]),
                str(saved["heap"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return cls(settings, layout)

    @property
    def url(self) -> str:
        """Every node's URL, comma-separated: the value for ``elasticsearch.url``."""
        return ",".join(member.url for member in self.members)

    def member(self, number: int) -> ManagedNode:
        """Node ``number`` (1-based), or ``NodeError`` naming the valid range."""
        if not 1 <= number <= len(self.members):
            raise NodeError(f"no node {number}: the cluster has nodes 1 to {len(self.members)}")
        return self.members[number - 1]

    def up(self, report: Report) -> None:
        """Start every node that is not running (side by side: each waits for the others to
        elect a master) and return once all have joined and the cluster is yellow or green."""
        _layout_file(self.settings).parent.mkdir(parents=True, exist_ok=True)
        _layout_file(self.settings).write_text(json.dumps(self.layout.to_dict()))
        with ThreadPoolExecutor(max_workers=len(self.members)) as pool:
            started = [pool.submit(m.up, report, wait=False) for m in self.members]
            for future in started:
                future.result()
        self.wait_for(len(self.members), "yellow")

    def start(self, number: int, report: Report) -> None:
        """Start node ``number`` again (after ``kill``) and wait until it has rejoined."""
        self.member(number).up(report, wait=False)
        self.wait_for(len(self.members), "yellow")

    def down(self, report: Report) -> int:
        """Stop every node; return how many were running."""
        return sum(member.down(report) for member in self.members)

    def purge(self, report: Report) -> list[Path]:
        """Stop the nodes and remove their folders and the layout file."""
        removed = [path for member in self.members for path in member.purge(report)]
        layout = _layout_file(self.settings)
        if layout.exists():
            layout.unlink()
            removed.append(layout)
        folder = layout.parent
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            removed.append(folder)
        return removed

    def running(self) -> list[int]:
        """Numbers of the nodes whose process runs."""
        return [i for i, member in enumerate(self.members, 1) if member.pid() is not None]

    def wait_for(self, nodes: int, status: str, timeout_seconds: float | None = None) -> float:
        """Wait until ``nodes`` nodes have joined and health is ``status`` or better; return
        the seconds waited. ``NodeError`` (with the nodes' last log lines) on time-out."""
        timeout = timeout_seconds or self.settings.elasticsearch.managed.startup_timeout_seconds
        started = time.monotonic()
        deadline = started + timeout
        es = make_es_client(self.settings.elasticsearch, url=self.url, timeout_seconds=10)
        last = "no answer"
        try:
            while time.monotonic() < deadline:
                try:
                    with backend_errors("waiting for the cluster"):
                        health = es.options(request_timeout=8).cluster.health(
                            wait_for_nodes=str(nodes), wait_for_status=status, timeout="2s"
                        )
                    if not health.get("timed_out"):
                        return time.monotonic() - started
                    last = f"{health.get('number_of_nodes')} node(s), {health.get('status')}"
                except SearchBackendError as exc:
                    last = str(exc)
                    time.sleep(1)
        finally:
            es.close()
        tails = "\n".join(f"{m.role.name}:\n{m.log_tail(5)}" for m in self.members)
        raise NodeError(
            f"the cluster did not reach {nodes} node(s) and {status} health in "
            f"{timeout:.0f} s ({last}); last log lines:\n{tails}"
        )


def _layout_file(settings: Settings) -> Path:
    return settings.storage.data_dir.resolve() / CLUSTER_FOLDER / "cluster.json"
