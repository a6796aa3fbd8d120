"""``corresp es up|down|status``: the managed local Elasticsearch node and cluster status."""

from __future__ import annotations

import click
from rich.markup import escape

from indexer.cli.context import CliContext, pass_cli
from indexer.cli.output import emit_json, err, out, report
from indexer.errors import SearchBackendError
from indexer.es_client import ClusterInfo, describe_cluster, make_es_client
from indexer.node.process import ManagedNode
from indexer.settings import Settings

__all__ = ["es_group", "read_cluster_info"]


@click.group("es")
def es_group() -> None:
    """Run a local Elasticsearch node, or inspect the configured cluster.

    With elasticsearch.url empty the project uses a managed single-node Elasticsearch
    under storage.data_dir; `up` obtains it once (Elastic's tarball, else Maven Central)
    and starts it. With elasticsearch.url set, nothing is started or stopped.
    """


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
@pass_cli
def down(cli_ctx: CliContext) -> None:
    """Stop the managed node (data is kept)."""
    settings = cli_ctx.settings
    if settings.elasticsearch.url:
        report(f"elasticsearch.url is set ({settings.elasticsearch.shown_url()}): not managed here")
        return
    if ManagedNode(settings).down(report):
        out.print("stopped")


@es_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@pass_cli
def status(cli_ctx: CliContext, as_json: bool) -> None:
    """Report version, health and modules; exit 1 when no node is reachable."""
    _print_status(cli_ctx.settings, as_json=as_json)


def read_cluster_info(settings: Settings) -> ClusterInfo:
    """Describe the configured cluster; ``SearchBackendError`` when it cannot be reached."""
    url = settings.elasticsearch.shown_url()
    es = make_es_client(settings.elasticsearch, timeout_seconds=5)
    try:
        return describe_cluster(es, url=url)
    finally:
        es.close()


def _print_status(settings: Settings, *, as_json: bool) -> None:
    managed = not settings.elasticsearch.url
    url = settings.elasticsearch.shown_url()
    node = ManagedNode(settings) if managed else None
    pid = node.pid() if node else None
    try:
        info = read_cluster_info(settings)
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
                "version": info.version,
                "health": info.status,
                "nodes": info.number_of_nodes,
                "modules": info.modules,
                "plugins": info.plugins,
                "missing_optional_modules": info.missing_optional_modules,
            }
        )
        return
    kind = f"managed node, pid {pid}" if managed and pid else ("managed" if managed else "external")
    out.print(f"Elasticsearch {info.version} at {url} ({kind})")
    out.print(f"health: {info.status}, nodes: {info.number_of_nodes}")
    out.print(f"modules: {', '.join(info.modules) or '-'}")
    if info.plugins:
        out.print(f"plugins: {', '.join(info.plugins)}")
    if missing := info.missing_optional_modules:
        out.print(f"without: {', '.join(missing)} (the project falls back where it needs them)")
