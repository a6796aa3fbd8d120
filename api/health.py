"""``/health``: is the cluster reachable, are the aliases there, how many documents each holds.

Healthy means: the cluster answers with a green or yellow status and all three aliases
exist. The report also carries the crawl ledger's cursors when there is a ledger
(``indexer/data_folder.py``). Elasticsearch errors are translated by ``backend_errors`` and
become the report's ``error``; nothing here raises.
"""

from __future__ import annotations

from typing import Any

from elasticsearch import Elasticsearch

from indexer.data_folder import DataFolder, crawl_progress
from indexer.errors import SearchBackendError
from indexer.es_client import backend_errors, describe_indices, unassigned_warning
from indexer.names import KINDS, Targets

__all__ = ["HEALTH_TIMEOUT_SECONDS", "check_health"]

HEALTH_TIMEOUT_SECONDS = 5.0


def check_health(
    es: Elasticsearch, targets: Targets, *, folder: DataFolder, prefix: str
) -> dict[str, Any]:
    """The health report; ``ok`` and ``status`` (200 or 503) say whether all is well.

    Shard copies the cluster cannot allocate (replicas on too few nodes: a yellow cluster
    still serves) are a ``warnings`` entry, not a failure."""
    problems: list[str] = []
    warnings: list[str] = []
    cluster: dict[str, Any] = {"reachable": False, "status": None}
    indices: dict[str, dict[str, Any]] = {
        kind: {"alias": targets.of(kind), "present": None, "documents": None} for kind in KINDS
    }
    client = es.options(request_timeout=HEALTH_TIMEOUT_SECONDS)
    try:
        with backend_errors("checking cluster health"):
            health = client.cluster.health()
        cluster = {
            "reachable": True,
            "status": health.get("status"),
            "nodes": health.get("number_of_nodes"),
            "unassigned_shards": health.get("unassigned_shards"),
        }
        if cluster["status"] not in ("green", "yellow"):
            problems.append(f"cluster status is {cluster['status']}")
        shapes = describe_indices(client, prefix)
        warning = unassigned_warning(shapes, int(health.get("number_of_nodes") or 1))
        if warning:
            warnings.append(warning)
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
    progress = crawl_progress(folder)
    return {
        "ok": not problems,
        "status": status,
        "error": "; ".join(problems) or None,
        "warnings": warnings,
        "elasticsearch": cluster,
        "indices": indices,
        "crawl": None if progress is None else progress.to_dict(),
    }
