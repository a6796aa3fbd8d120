"""``corresp alerts send|retry|new-key|rekey``: the outbox and secret key by hand.

``send`` runs one pass of the outbox worker over both channels, webhooks and e-mail digests
(what ``corresp schedule`` does every ``webhooks.send_interval_seconds``); ``retry`` puts the
parked deliveries (of one watchlist, or all) back in the queue with a fresh attempt count,
then sends them. ``new-key`` prints a
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
from indexer.watchlists.mail import email_channel
from indexer.watchlists.outbox import Outbox, OutboxReport, webhook_channel
from indexer.watchlists.secrets import new_key, secret_box
from indexer.watchlists.store import WatchlistStore

__all__ = ["alerts_group", "outboxes_for"]


@click.group("alerts")
def alerts_group() -> None:
    """Watchlist alerts: send the due webhook deliveries and e-mail digests, retry the
    parked ones, manage the key that encrypts webhook secrets."""


def outboxes_for(es: Elasticsearch, settings: Settings) -> list[Outbox]:
    """The outboxes of the configured indices: webhooks (policy ``webhooks``, secrets opened
    with the secret key) and e-mail digests (``alerts.smtp``)."""
    folder = DataFolder(settings.storage.data_dir)
    names = WatchIndices(settings.elasticsearch.index_prefix)
    box = secret_box(settings.api.secret_key, folder, create=False)
    return [
        Outbox(es, names, channel=webhook_channel(settings.webhooks), box=box),
        Outbox(es, names, channel=email_channel(settings.alerts.smtp), box=box),
    ]


def _run(settings: Settings, *, requeue: bool, watchlist: str | None) -> dict[str, OutboxReport]:
    """One pass of each outbox (after queueing the parked deliveries again with ``requeue``)."""
    es = make_es_client(settings.elasticsearch)
    reports: dict[str, OutboxReport] = {}
    try:
        for outbox in outboxes_for(es, settings):
            requeued = outbox.retry_parked(watchlist).requeued if requeue else 0
            report = outbox.deliver_due()
            report.requeued = requeued
            reports[outbox.channel.name] = report
    finally:
        es.close()
    return reports


def _print(reports: dict[str, OutboxReport], as_json: bool) -> None:
    hooks, mail = reports["webhook"], reports["email"]
    if as_json:
        emit_json(vars(hooks) | {"email": vars(mail)})
        return
    requeued = hooks.requeued + mail.requeued
    if requeued:
        out.print(f"{requeued} parked delivery(ies) queued again")
    out.print(
        f"webhook deliveries: {hooks.delivered} delivered, {hooks.retrying} to retry, "
        f"{hooks.parked} parked"
    )
    out.print(
        f"e-mail digests: {mail.delivered} sent, {mail.retrying} to retry, {mail.parked} parked"
    )


@alerts_group.command("send")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary.")
@pass_cli
def send(cli_ctx: CliContext, as_json: bool) -> None:
    """Send every webhook delivery and e-mail digest that is due now (one attempt each)."""
    _print(_run(cli_ctx.settings, requeue=False, watchlist=None), as_json)


@alerts_group.command("retry")
@click.option("--watchlist", "watchlist", metavar="ID", help="Only this watchlist's.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary.")
@pass_cli
def retry(cli_ctx: CliContext, watchlist: str | None, as_json: bool) -> None:
    """Queue the parked webhook deliveries and e-mail digests again (attempts reset) and
    send them now."""
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
