"""``corresp alerts send|retry``: the webhook outbox by hand.

``send`` runs one pass of the outbox worker (what ``corresp schedule`` does every
``webhooks.send_interval_seconds``); ``retry`` puts the parked deliveries (of one watchlist,
or all) back in the queue with a fresh attempt count, then sends them.
"""

from __future__ import annotations

import click

from indexer.cli.context import CliContext, pass_cli
from indexer.cli.output import emit_json, out
from indexer.es_client import make_es_client
from indexer.settings import Settings
from indexer.watchlists.outbox import OutboxReport, open_outbox

__all__ = ["alerts_group"]


@click.group("alerts")
def alerts_group() -> None:
    """Watchlist alerts: send the due webhook deliveries, retry the parked ones."""


def _run(settings: Settings, *, requeue: bool, watchlist: str | None) -> OutboxReport:
    es = make_es_client(settings.elasticsearch)
    try:
        outbox = open_outbox(
            es, index_prefix=settings.elasticsearch.index_prefix, hooks=settings.webhooks
        )
        requeued = outbox.retry_parked(watchlist).requeued if requeue else 0
        report = outbox.deliver_due()
    finally:
        es.close()
    report.requeued = requeued
    return report


def _print(report: OutboxReport, as_json: bool) -> None:
    if as_json:
        emit_json(vars(report))
        return
    if report.requeued:
        out.print(f"{report.requeued} parked delivery(ies) queued again")
    out.print(
        f"webhook deliveries: {report.delivered} delivered, {report.retrying} to retry, "
        f"{report.parked} parked"
    )


@alerts_group.command("send")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary.")
@pass_cli
def send(cli_ctx: CliContext, as_json: bool) -> None:
    """Send every webhook delivery that is due now (one attempt each)."""
    _print(_run(cli_ctx.settings, requeue=False, watchlist=None), as_json)


@alerts_group.command("retry")
@click.option("--watchlist", "watchlist", metavar="ID", help="Only this watchlist's.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary.")
@pass_cli
def retry(cli_ctx: CliContext, watchlist: str | None, as_json: bool) -> None:
    """Queue the parked webhook deliveries again (attempts reset) and send them now."""
    _print(_run(cli_ctx.settings, requeue=True, watchlist=watchlist), as_json)
