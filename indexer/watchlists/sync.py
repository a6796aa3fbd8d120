"""Bringing the store in line with the ``watchlists`` section of ``config.yaml``.

Run when the API starts and before each ingest. Each configured watchlist is written with
``source: config`` when it is new or its definition changed (otherwise left alone, so its
``updated_at`` means something); a configured watchlist no longer in the file is deleted
with its alerts. A watchlist created through the API under an id the file now uses is
replaced by the file's (with a warning): the file wins. Webhook secrets come from the
variable named by ``webhook_secret_env`` when set; a missing one is reported (the webhook is
then recorded as failing with "no webhook secret"), never logged.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pydantic import SecretStr, ValidationError

from indexer.watchlists.models import MIN_SECRET_CHARS, Watchlist, WatchlistConfig
from indexer.watchlists.store import WatchlistStore

__all__ = ["SyncReport", "build_config_watchlist", "sync_config_watchlists"]

logger = logging.getLogger(__name__)


@dataclass
class SyncReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _secret(config: WatchlistConfig, environ: Mapping[str, str]) -> tuple[SecretStr | None, str]:
    """The webhook secret and, when there is none usable, why."""
    if config.webhook_secret_env:
        value = environ.get(config.webhook_secret_env, "")
        if not value:
            return None, f"environment variable {config.webhook_secret_env} is not set"
        if len(value) < MIN_SECRET_CHARS:
            return None, (
                f"environment variable {config.webhook_secret_env} holds fewer than "
                f"{MIN_SECRET_CHARS} characters"
            )
        return SecretStr(value), ""
    return config.webhook_secret, ""


def build_config_watchlist(
    config: WatchlistConfig, environ: Mapping[str, str]
) -> tuple[Watchlist, str]:
    """The stored form of a configured watchlist, and a problem with its secret (or "")."""
    secret, problem = _secret(config, environ)
    values = config.model_dump(exclude={"webhook_secret_env", "webhook_secret"})
    values |= {"source": "config", "webhook_secret": secret}
    try:
        return Watchlist.model_validate(values), problem
    except ValidationError as exc:  # cannot happen for a validated config; be explicit
        raise ValueError(f"watchlists[{config.id}]: {exc}") from exc


def sync_config_watchlists(
    store: WatchlistStore,
    configs: Sequence[WatchlistConfig],
    *,
    environ: Mapping[str, str] | None = None,
) -> SyncReport:
    """Write new or changed configured watchlists, delete the ones removed from the file."""
    environ = os.environ if environ is None else environ
    report = SyncReport()
    existing = {watchlist.id: watchlist for watchlist in store.all()}
    wanted: set[str] = set()
    for config in configs:
        wanted.add(config.id)
        watchlist, problem = build_config_watchlist(config, environ)
        if problem:
            report.problems.append(f"watchlist {config.id}: webhook disabled: {problem}")
            logger.warning("watchlist %s: webhook disabled: %s", config.id, problem)
        before = existing.get(config.id)
        if (
            before is not None
            and before.source == "config"
            and before.definition() == watchlist.definition()
        ):
            report.unchanged.append(config.id)
            continue
        if before is not None and before.source != "config":
            logger.warning(
                "watchlist %s created through the API is replaced by config.yaml's", config.id
            )
        now = store.clock()
        created = before.created_at if before is not None and before.created_at else now
        store.put(watchlist.model_copy(update={"created_at": created, "updated_at": now}))
        report.written.append(config.id)
    for watchlist_id, watchlist in existing.items():
        if watchlist.source == "config" and watchlist_id not in wanted:
            store.delete(watchlist_id)
            report.removed.append(watchlist_id)
            logger.info("watchlist %s was removed from config.yaml: deleted", watchlist_id)
    return report
