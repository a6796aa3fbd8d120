"""The seam to Elasticsearch: client construction, readiness, cluster facts, error translation.

Only this module catches the ``elasticsearch`` package's exceptions; callers see
``SearchBackendError``. Readiness and version use ``_cluster/health`` and ``_nodes`` because
the minimal integ-test distribution has no handler for ``GET /`` (so ``ping()`` and
``info()`` fail there).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

from elasticsearch import ApiError, Elasticsearch, TransportError
from elasticsearch.serializer import OrjsonSerializer

from indexer.cluster_limits import limit_message
from indexer.errors import QueryLimitError, SearchBackendError
from indexer.settings import ElasticsearchConfig

__all__ = [
    "ClusterInfo",
    "IndexHealth",
    "backend_errors",
    "describe_cluster",
    "describe_indices",
    "make_es_client",
    "raise_item_error",
    "unassigned_warning",
    "wait_until_ready",
]

# Modules whose absence changes what the project does (see docs: the integ-test-zip lacks them).
OPTIONAL_MODULES = (
    "analysis-common",
    "lang-painless",
    "reindex",
    "mapper-extras",
    "percolator",
    "parent-join",
    "aggregations",
    "ingest-common",
    "rest-root",
)


@dataclass(frozen=True)
class ClusterInfo:
    """What a cluster is and offers."""

    url: str
    version: str
    status: str
    """Cluster health: ``green``, ``yellow`` or ``red``."""
    number_of_nodes: int
    modules: tuple[str, ...]
    plugins: tuple[str, ...]

    def has(self, module: str) -> bool:
        """Whether every node has ``module`` (as a module or an installed plugin)."""
        return module in self.modules or module in self.plugins

    @property
    def missing_optional_modules(self) -> tuple[str, ...]:
        return tuple(name for name in OPTIONAL_MODULES if not self.has(name))


@dataclass(frozen=True)
class IndexHealth:
    """Shards and replicas of one index, and how many of its copies are not allocated."""

    index: str
    status: str
    shards: int
    replicas: int
    active_shards: int
    unassigned_shards: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def describe_indices(es: Elasticsearch, prefix: str) -> list[IndexHealth]:
    """The health of every index of ``prefix`` (``_cluster/health?level=indices``)."""
    with backend_errors("reading index health"):
        health = es.cluster.health(index=f"{prefix}*", level="indices")
    found = health.get("indices") or {}
    return [
        IndexHealth(
            index=name,
            status=str(entry.get("status", "unknown")),
            shards=int(entry.get("number_of_shards", 0)),
            replicas=int(entry.get("number_of_replicas", 0)),
            active_shards=int(entry.get("active_shards", 0)),
            unassigned_shards=int(entry.get("unassigned_shards", 0)),
        )
        for name, entry in sorted(found.items())
    ]


def unassigned_warning(indices: list[IndexHealth], number_of_nodes: int) -> str | None:
    """Why some shard copies are not allocated, for people; None when all are."""
    unassigned = sum(index.unassigned_shards for index in indices)
    if not unassigned:
        return None
    most = max(index.replicas for index in indices)
    hint = (
        f" (replicas {most} need at least {most + 1} nodes, the cluster has {number_of_nodes}: "
        "add nodes or lower elasticsearch.indices.*.replicas)"
        if most + 1 > number_of_nodes
        else ""
    )
    return f"{unassigned} shard copies are not allocated{hint}"


def make_es_client(
    cfg: ElasticsearchConfig, *, url: str | None = None, timeout_seconds: float | None = None
) -> Elasticsearch:
    """A client for the configured cluster (or ``url``), with credentials when configured.

    With several node URLs, a request that cannot reach a node (or gets its 502/503/504) is
    sent to the next one, once per other node; with one, it is never retried here (callers
    decide)."""
    hosts = url.split(",") if url else cfg.hosts()
    options: dict[str, Any] = {
        "request_timeout": timeout_seconds or cfg.request_timeout_seconds,
        "retry_on_timeout": False,
        "max_retries": len(hosts) - 1,
    }
    if api_key := cfg.api_key.get_secret_value():
        options["api_key"] = api_key
    if cfg.username:
        options["basic_auth"] = (cfg.username, cfg.password.get_secret_value())
    if cfg.ca_certs:
        options["ca_certs"] = cfg.ca_certs
    return Elasticsearch(hosts, serializer=OrjsonSerializer(), **options)


@contextmanager
def backend_errors(action: str) -> Iterator[None]:
    """Translate any Elasticsearch client error raised inside into ``SearchBackendError``."""
    try:
        yield
    except ApiError as exc:
        if limit := limit_message(exc.body):
            raise QueryLimitError(f"{action}: {limit}") from exc
        reason = _api_reason(exc)
        raise SearchBackendError(
            f"{action}: Elasticsearch answered {exc.meta.status}: {reason}"
        ) from exc
    except TransportError as exc:
        raise SearchBackendError(f"{action}: Elasticsearch unreachable ({exc.message})") from exc


def raise_item_error(action: str, item: dict[str, Any]) -> None:
    """Raise the error of one answer of a ``_msearch`` (which answers 200 for the whole), as
    ``backend_errors`` would have raised it for a single search; nothing when it succeeded."""
    if "error" not in item:
        return
    if limit := limit_message(item):
        raise QueryLimitError(f"{action}: {limit}")
    reason = _error_reason(item, "no reason given")
    raise SearchBackendError(
        f"{action}: Elasticsearch answered {item.get('status', '?')}: {reason}"
    )


def _api_reason(exc: ApiError) -> str:
    return _error_reason(exc.body, exc.message)


def _error_reason(body: Any, fallback: str) -> str:
    """The reason of an Elasticsearch error body (``{"error": {"reason": …}}``)."""
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return str(error.get("reason") or error.get("type") or fallback)
    return str(error or fallback)


def wait_until_ready(
    es: Elasticsearch,
    *,
    timeout_seconds: float,
    is_alive: Callable[[], bool] | None = None,
    poll_seconds: float = 1.0,
) -> None:
    """Wait for yellow health; give up early when ``is_alive`` says the process died."""
    deadline = time.monotonic() + timeout_seconds
    last_error = "no answer"
    while time.monotonic() < deadline:
        if is_alive is not None and not is_alive():
            raise SearchBackendError("the Elasticsearch process exited during start-up")
        try:
            with backend_errors("waiting for the cluster"):
                health = es.options(request_timeout=poll_seconds + 5).cluster.health(
                    wait_for_status="yellow", timeout=f"{max(int(poll_seconds), 1)}s"
                )
            if not health.get("timed_out") and health.get("status") in ("green", "yellow"):
                return
            last_error = f"health {health.get('status')}"
        except SearchBackendError as exc:
            last_error = str(exc)
            time.sleep(poll_seconds)
    raise SearchBackendError(f"Elasticsearch not ready after {timeout_seconds:.0f} s: {last_error}")


def describe_cluster(es: Elasticsearch, *, url: str) -> ClusterInfo:
    """Version, health and the modules every node has."""
    with backend_errors("reading cluster state"):
        health = es.cluster.health()
        nodes = es.nodes.info(
            metric="plugins",
            filter_path="nodes.*.version,nodes.*.modules.name,nodes.*.plugins.name",
        )
    per_node = list(nodes.get("nodes", {}).values())
    versions = sorted({node.get("version", "?") for node in per_node})
    modules = _common_names(per_node, "modules")
    plugins = _common_names(per_node, "plugins")
    return ClusterInfo(
        url=url,
        version=", ".join(versions) or "unknown",
        status=str(health.get("status", "unknown")),
        number_of_nodes=int(health.get("number_of_nodes", len(per_node))),
        modules=modules,
        plugins=plugins,
    )


def _common_names(nodes: list[dict[str, Any]], key: str) -> tuple[str, ...]:
    sets = [{item["name"] for item in node.get(key) or []} for node in nodes]
    return tuple(sorted(set.intersection(*sets))) if sets else ()
