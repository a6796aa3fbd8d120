"""``/health``: is the cluster reachable, are the aliases there, how many documents each holds.

Healthy means: the cluster answers with a green or yellow status and all three aliases
exist. The report also carries the crawl ledger's cursors when there is a ledger
(``api/crawl_state.py``). Elasticsearch errors are translated by ``backend_errors`` and
become the report's ``error``; nothing here raises.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from elasticsearch import Elasticsearch

from api.crawl_state import read_crawl_state
from indexer.errors import SearchBackendError
from indexer.es_client import backend_errors
from indexer.names import KINDS, Targets

__all__ = ["HEALTH_TIMEOUT_SECONDS", "check_health"]

HEALTH_TIMEOUT_SECONDS = 5.0


def check_health(es: Elasticsearch, targets: Targets, *, data_dir: Path) -> dict[str, Any]:
    """The health report; ``ok`` and ``status`` (200 or 503) say whether all is well."""
    problems: list[str] = []
    cluster: dict[str, Any] = {"reachable": False, "status": None}
    indices: dict[str, dict[str, Any]] = {
        kind: {"alias": targets.of(kind), "present": None, "documents": None} for kind in KINDS
    }
    client = es.options(request_timeout=HEALTH_TIMEOUT_SECONDS)
    try:
        with backend_errors("checking cluster health"):
            health = client.cluster.health()
        cluster = {"reachable": True, "status": health.get("status")}
        if cluster["status"] not in ("green", "yellow"):
            problems.append(f"cluster status is {cluster['status']}")
        for kind, entry in indices.items():
            with backend_errors(f"checking alias {entry['alias']}"):
                entry["present"] = bool(client.indices.exists_alias(name=entry["alias"]))
                if entry["present"]:
                    entry["documents"] = int(client.count(index=entry["alias"])["count"])
            if not entry["present"]:
                problems.append(f"alias {entry['alias']} is missing ({kind} not indexed yet)")
    except SearchBackendError as exc:
        problems.append(str(exc))
    status = 503 if problems else 200
    return {
        "ok": not problems,
        "status": status,
        "error": "; ".join(problems) or None,
        "elasticsearch": cluster,
        "indices": indices,
        "crawl": read_crawl_state(data_dir),
    }
