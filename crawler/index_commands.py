"""``corresp index`` and ``corresp reindex``: stored filings into Elasticsearch.

``index`` catches up on filings stored while Elasticsearch was unreachable (or crawled with
``--no-index``). ``reindex`` rebuilds every index from the raw store into new indices of the
current schema while searches keep being answered from the old ones, then swaps the
aliases in one atomic step: use it after upgrading the normalizer or the schema.
"""

from __future__ import annotations

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from crawler.handoff import HandoffReport, ingest_pending, reindex, send_due
from crawler.state import CrawlState
from crawler.store import RawStore
from indexer.cli.context import CliContext, pass_cli
from indexer.cli.output import emit_json, err, out
from indexer.data_folder import DataFolder
from indexer.settings import Settings

__all__ = ["index", "reindex_command"]


def _open(settings: Settings) -> tuple[CrawlState, RawStore]:
    folder = DataFolder(settings.storage.data_dir)
    return CrawlState(folder.ledger), RawStore(folder.raw)


def _print(report: HandoffReport, *, as_json: bool, verb: str) -> None:
    if as_json:
        emit_json(vars(report))
    else:
        out.print(f"{report.ingested} filing(s) {verb}, {report.awaiting} awaiting indexing")
        if report.unreadable:
            err.print(
                f"{report.unreadable} stored filing(s) could not be read back "
                "(reasons: corresp status)"
            )
        if report.error:
            err.print(f"indexing postponed: {report.error}", markup=False)
    if report.error:
        raise SystemExit(1)


@click.command("index")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary.")
@pass_cli
def index(cli_ctx: CliContext, as_json: bool) -> None:
    """Index every stored filing that is not indexed yet (nothing is downloaded)."""
    state, store = _open(cli_ctx.settings)
    try:
        report = ingest_pending(cli_ctx.settings, state, store)
        if report.error is None:
            send_due(cli_ctx.settings, report)
    finally:
        state.close()
    _print(report, as_json=as_json, verb="indexed")


@click.command("reindex")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary.")
@pass_cli
def reindex_command(cli_ctx: CliContext, as_json: bool) -> None:
    """Rebuild letters, comments and threads from the raw store; swap aliases atomically.

    Searches are answered from the current indices until the new ones are complete.
    """
    state, store = _open(cli_ctx.settings)
    total = len(state.stored_filings(only_pending_ingest=False))
    columns = (BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    try:
        with Progress(*columns, console=err, disable=as_json or not err.is_terminal) as bar:
            task = bar.add_task("reindex", total=total)
            report = reindex(
                cli_ctx.settings, state, store, progress=lambda n: bar.advance(task, n)
            )
    finally:
        state.close()
    _print(report, as_json=as_json, verb="reindexed")
