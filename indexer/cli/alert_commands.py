"""``corresp alerts send|retry|new-key|rekey``: the webhook outbox and secret key by hand.

``send`` runs one pass of the outbox worker (what ``corresp schedule`` does every
``webhooks.send_interval_seconds``); ``retry`` puts the parked deliveries (of one watchlist,
or all) back in the queue with a fresh attempt count, then sends them. ``new-key`` prints a
key for ``api.secret_key``; ``rekey`` encrypts every stored webhook secret with its first key.
"""

from __future__ import annotations

import click
from elasticsearch import Elasticsearch

from indexer.cli.context import CliContext, pass_cli
from indexer.cli.output import emit_json, out
from indexer.data_folder import DataFolder
from indexer.es_client import make_es_client
from indexer.settings import Settings
from indexer.watchlists.errors import SecretKeyError
from indexer.watchlists.indices import WatchIndices
from indexer.watchlists.outbox import Outbox, OutboxReport, open_outbox
from indexer.watchlists.secrets import new_key, secret_box
from indexer.watchlists.store import WatchlistStore

__all__ = ["alerts_group", "outbox_for"]


@click.group("alerts")
def alerts_group() -> None:
    """Watchlist alerts: send the due webhook deliveries, retry the parked ones."""


def outbox_for(es: Elasticsearch, settings: Settings) -> Outbox:
    """The webhook outbox of the configured indices, webhook policy and secret key."""
    folder = DataFolder(settings.storage.data_dir)
    return open_outbox(
        es,
        index_prefix=settings.elasticsearch.index_prefix,
        hooks=settings.webhooks,
        box=secret_box(settings.api.secret_key, folder, create=False),
    )


def _run(settings: Settings, *, requeue: bool, watchlist: str | None) -> OutboxReport:
    es = make_es_client(settings.elasticsearch)
    try:
        outbox = outbox_for(es, settings)
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


@alerts_group.command("new-key")
def new_key_command() -> None:
    """Print a fresh key for api.secret_key (CORRESP__API__SECRET_KEY); nothing is stored."""
    out.print(new_key(), markup=False)


@alerts_group.command("rekey")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary.")
@pass_cli
def rekey(cli_ctx: CliContext, as_json: bool) -> None:
    """Encrypt every stored webhook secret again with the first key of api.secret_key.

    To rotate: put a new key first (CORRESP__API__SECRET_KEY=NEW,OLD), run this, then
    drop the old key.
    """
    settings = cli_ctx.settings
    box = secret_box(settings.api.secret_key, DataFolder(settings.storage.data_dir), create=False)
    if box is None:
        raise SecretKeyError("no key: set api.secret_key or keep storage.data_dir/secret.key")
    es = make_es_client(settings.elasticsearch)
    try:
        store = WatchlistStore(es, WatchIndices(settings.elasticsearch.index_prefix), box=box)
        written = store.rekey()
    finally:
        es.close()
    if as_json:
        emit_json({"rekeyed": written})
    else:
        out.print(f"{written} webhook secret(s) encrypted with the first key of {box.source}")
