"""``corresp es up|down|status``: the managed local Elasticsearch node and cluster status
(``corresp es cluster`` is in ``indexer.cli.cluster_commands``)."""

from __future__ import annotations

import click
from rich.markup import escape

from indexer.cli.cluster_commands import cluster_group
from indexer.cli.context import CliContext, pass_cli
from indexer.cli.output import emit_json, err, out, report
from indexer.errors import SearchBackendError
from indexer.es_client import (
    ClusterInfo,
    IndexHealth,
    describe_cluster,
    describe_indices,
    make_es_client,
    unassigned_warning,
)
from indexer.node.process import ManagedNode
from indexer.settings import Settings

__all__ = ["es_group", "read_cluster_info"]


@click.group("es")
def es_group() -> None:
    """Run a local Elasticsearch node, or inspect the configured cluster.

    With elasticsearch.url empty the project uses a managed single-node Elasticsearch
    whose files are under storage.data_dir/elasticsearch; `up` obtains the distribution once
    (Elastic's tarball, else Maven Central) into a cache shared by every data folder, and
    starts it. With elasticsearch.url set, nothing is started or stopped. `cluster` runs
    several managed nodes as one cluster on this machine.
    """


es_group.add_command(cluster_group)


@es_group.command("up")
@click.option("--json", "as_json", is_flag=True, help="Print the node status as JSON.")
@pass_cli
def up(cli_ctx: CliContext, as_json: bool) -> None:
    """Obtain (once) and start the managed node; wait until it is healthy."""
    settings = cli_ctx.settings
    if settings.elasticsearch.url:
        report(f"elasticsearch.url is set ({settings.elasticsearch.shown_url()}): nothing to start")
    else:
        ManagedNode(settings).up(report)
    _print_status(settings, as_json=as_json)


@es_group.command("down")
@click.option(
    "--purge",
    is_flag=True,
    help="Also remove the node's files (indices, logs, config) of this data folder, wherever "
    "they are; the shared distribution stays. `corresp reindex` rebuilds the indices from the "
    "raw store.",
)
@pass_cli
def down(cli_ctx: CliContext, purge: bool) -> None:
    """Stop the managed node (its data is kept unless --purge)."""
    settings = cli_ctx.settings
    if settings.elasticsearch.url:
        report(f"elasticsearch.url is set ({settings.elasticsearch.shown_url()}): not managed here")
        return
    node = ManagedNode(settings)
    if purge:
        removed = node.purge(report)
        out.print(f"purged ({len(removed)} path(s) removed)" if removed else "nothing to purge")
    elif node.down(report):
        out.print("stopped")


@es_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@pass_cli
def status(cli_ctx: CliContext, as_json: bool) -> None:
    """Report version, health and modules; exit 1 when no node is reachable."""
    _print_status(cli_ctx.settings, as_json=as_json)


def read_cluster_info(settings: Settings) -> ClusterInfo:
    """Describe the configured cluster; ``SearchBackendError`` when it cannot be reached."""
    return _read_cluster(settings)[0]


def _read_cluster(settings: Settings) -> tuple[ClusterInfo, list[IndexHealth]]:
    """The cluster and the health of this project's indices (of ``index_prefix``)."""
    url = settings.elasticsearch.shown_url()
    es = make_es_client(settings.elasticsearch, timeout_seconds=5)
    try:
        info = describe_cluster(es, url=url)
        return info, describe_indices(es, settings.elasticsearch.index_prefix)
    finally:
        es.close()


def _print_status(settings: Settings, *, as_json: bool) -> None:
    managed = not settings.elasticsearch.url
    url = settings.elasticsearch.shown_url()
    node = ManagedNode(settings) if managed else None
    pid = node.pid() if node else None
    try:
        info, indices = _read_cluster(settings)
    except SearchBackendError as exc:
        if as_json:
            emit_json({"running": False, "url": url, "managed": managed, "error": str(exc)})
        else:
            hint = " (start it with `corresp es up`)" if managed else ""
            err.print(f"[red]not running:[/red] no Elasticsearch node is reachable at {url}{hint}")
            err.print(f"[dim]{escape(str(exc))}[/dim]")
        raise SystemExit(1) from None
    if as_json:
        emit_json(
            {
                "running": True,
                "url": url,
                "managed": managed,
                "pid": pid,
                "distribution_cache": str(node.cache_dir) if node else None,
                "node_files": str(node.paths.root) if node else None,
                "version": info.version,
                "health": info.status,
                "nodes": info.number_of_nodes,
                "modules": info.modules,
                "plugins": info.plugins,
                "missing_optional_modules": info.missing_optional_modules,
                "indices": [index.to_dict() for index in indices],
                "warning": unassigned_warning(indices, info.number_of_nodes),
            }
        )
        return
    kind = f"managed node, pid {pid}" if managed and pid else ("managed" if managed else "external")
    out.print(f"Elasticsearch {info.version} at {url} ({kind})")
    out.print(f"health: {info.status}, nodes: {info.number_of_nodes}")
    out.print(f"modules: {', '.join(info.modules) or '-'}")
    if info.plugins:
        out.print(f"plugins: {', '.join(info.plugins)}")
    if node is not None:
        where = f"{node.paths.root}"
        if node.paths.relocated:
            where += f" (linked from {node.paths.link}; the service user cannot reach it there)"
        out.print(f"node files: {where}")
        out.print(f"distribution cache: {node.cache_dir}")
    if missing := info.missing_optional_modules:
        out.print(f"without: {', '.join(missing)} (the project falls back where it needs them)")
    _print_indices(indices, info.number_of_nodes)


def _print_indices(indices: list[IndexHealth], number_of_nodes: int) -> None:
    if not indices:
        out.print("indices: none yet")
        return
    out.print("indices (shards × copies, health):")
    for index in indices:
        unassigned = f", {index.unassigned_shards} unassigned" if index.unassigned_shards else ""
        out.print(
            f"  {index.index}: {index.shards} primary × {index.replicas + 1} "
            f"copies, {index.status}{unassigned}",
            markup=False,
        )
    if warning := unassigned_warning(indices, number_of_nodes):
        err.print(f"[yellow]warning:[/yellow] {escape(warning)}")
