"""``corresp es cluster up|down|kill|start``: a managed cluster of several loopback nodes."""

from __future__ import annotations

import click

from indexer.cli.context import CliContext, pass_cli
from indexer.cli.output import emit_json, out, report
from indexer.errors import NodeError
from indexer.node.cluster import ClusterLayout, ManagedCluster
from indexer.settings import Settings

__all__ = ["cluster_group"]


@click.group("cluster")
def cluster_group() -> None:
    """Run a cluster of several managed nodes on this machine, to try a cluster out.

    The nodes use the managed distribution, each with its own folder under
    storage.data_dir/elasticsearch-cluster/ and its own ports (HTTP from
    elasticsearch.managed.http_port + 10 up). Point the project at them with the URL list
    `up` prints (elasticsearch.url, or the variable CORRESP__ELASTICSEARCH__URL) and
    give indices replicas (elasticsearch.indices.<kind>.replicas) so that a node can be lost.
    A production cluster runs on separate machines; see the README's "Cluster" section.
    """


@cluster_group.command("up")
@click.option("--nodes", type=click.IntRange(2, 9), default=3, show_default=True)
@click.option("--http-port", type=click.IntRange(1024, 65000), help="First node's HTTP port.")
@click.option("--transport-port", type=click.IntRange(1024, 65000), help="First transport port.")
@click.option("--heap", default="512m", show_default=True, help="JVM heap of each node.")
@click.option("--json", "as_json", is_flag=True, help="Print the nodes as JSON.")
@pass_cli
def up(
    cli_ctx: CliContext,
    *,
    nodes: int,
    http_port: int | None,
    transport_port: int | None,
    heap: str,
    as_json: bool,
) -> None:
    """Start the nodes (obtaining the distribution once) and wait until all have joined."""
    settings = cli_ctx.settings
    default = ManagedCluster.default_layout(settings, nodes)
    layout = ClusterLayout(
        nodes, http_port or default.http_port, transport_port or default.transport_port, heap
    )
    cluster = ManagedCluster(settings, layout)
    cluster.up(report)
    _print_nodes(cluster, as_json=as_json)


@cluster_group.command("down")
@click.option("--purge", is_flag=True, help="Also remove the nodes' folders (their indices).")
@pass_cli
def down(cli_ctx: CliContext, purge: bool) -> None:
    """Stop every node of the managed cluster."""
    cluster = _recorded(cli_ctx.settings)
    if purge:
        removed = cluster.purge(report)
        out.print(f"purged ({len(removed)} path(s) removed)")
    else:
        out.print(f"stopped {cluster.down(report)} node(s)")


@cluster_group.command("kill")
@click.argument("node", type=int)
@pass_cli
def kill(cli_ctx: CliContext, node: int) -> None:
    """SIGKILL node NODE (1-based), as a crash or a lost machine would stop it."""
    pid = _recorded(cli_ctx.settings).member(node).kill()
    out.print(f"node {node} killed (pid {pid})" if pid else f"node {node} was not running")


@cluster_group.command("start")
@click.argument("node", type=int)
@pass_cli
def start(cli_ctx: CliContext, node: int) -> None:
    """Start node NODE again and wait until it has rejoined the cluster."""
    cluster = _recorded(cli_ctx.settings)
    cluster.start(node, report)
    _print_nodes(cluster, as_json=False)


def _recorded(settings: Settings) -> ManagedCluster:
    cluster = ManagedCluster.recorded(settings)
    if cluster is None:
        raise NodeError(
            f"no managed cluster under {settings.storage.data_dir} (start one with "
            "`corresp es cluster up`)"
        )
    return cluster


def _print_nodes(cluster: ManagedCluster, *, as_json: bool) -> None:
    running = set(cluster.running())
    nodes = [
        {
            "node": i,
            "name": member.role.name,
            "url": member.url,
            "pid": member.pid(),
            "running": i in running,
            "files": str(member.paths.root),
        }
        for i, member in enumerate(cluster.members, 1)
    ]
    if as_json:
        emit_json({"url": cluster.url, "nodes": nodes})
        return
    for node in nodes:
        state = f"pid {node['pid']}" if node["running"] else "not running"
        out.print(f"node {node['node']} {node['name']} at {node['url']} ({state})", markup=False)
    out.print(f"use it with: CORRESP__ELASTICSEARCH__URL={cluster.url}", markup=False)
