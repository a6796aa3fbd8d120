"""Index templates, the first indices, and atomic alias swaps.

``ensure_schema`` is idempotent and runs before every write: it installs the current
version's templates and, where an alias is missing, creates its first index. ``corresp
reindex`` builds complete new indices (``new_indices``) while searches keep using the old
ones, then ``swap_aliases`` moves all three aliases in a single ``_aliases`` request and
deletes the old indices.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from elasticsearch import Elasticsearch

from indexer.errors import SchemaError
from indexer.es_client import backend_errors
from indexer.names import KINDS, IndexNames, Targets
from indexer.schema import SCHEMA_VERSION, index_template, mappings
from indexer.settings import IndexLayout, IndexShape

__all__ = [
    "LOADING_SETTINGS",
    "SERVING_SETTINGS",
    "analysis_is_rich",
    "count_documents",
    "current_indices",
    "ensure_schema",
    "index_names",
    "new_indices",
    "swap_aliases",
]

logger = logging.getLogger(__name__)


def index_names(prefix: str) -> IndexNames:
    return IndexNames(prefix, SCHEMA_VERSION)


def analysis_is_rich(es: Elasticsearch) -> bool:
    """Whether every node has analysis-common (stemming); the test distribution does not."""
    with backend_errors("reading node modules"):
        nodes = es.nodes.info(metric="plugins", filter_path="nodes.*.modules.name")
    modules = [
        {m["name"] for m in node.get("modules", [])} for node in nodes.get("nodes", {}).values()
    ]
    return bool(modules) and all("analysis-common" in names for names in modules)


def count_documents(es: Elasticsearch, targets: Targets) -> dict[str, int]:
    """How many letters, comments and threads are searchable in ``targets`` now."""
    counts = {}
    with backend_errors("counting documents"):
        for kind in KINDS:
            counts[kind] = int(es.count(index=targets.of(kind))["count"])
    return counts


def ensure_schema(
    es: Elasticsearch, names: IndexNames, *, layout: IndexLayout | None = None
) -> Targets:
    """Install templates and first indices where missing; return the aliases to use.

    ``layout`` (``elasticsearch.indices``) sets shards and replicas in the templates; a
    changed replica count is applied to the existing indices at once, a changed shard count
    waits for ``corresp reindex`` (logged)."""
    layout = layout or IndexLayout()
    rich = analysis_is_rich(es)
    with backend_errors("installing index templates"):
        for kind in KINDS:
            shape = layout.shape(kind)
            es.indices.put_index_template(
                name=names.template(kind),
                **index_template(
                    kind,
                    pattern=names.pattern(kind),
                    rich=rich,
                    shards=shape.shards,
                    replicas=shape.replicas,
                ),
            )
        aliases = names.aliases
        fresh = names.new_indices()
        for kind in KINDS:
            if not es.indices.exists_alias(name=aliases.of(kind)):
                es.indices.create(index=fresh.of(kind), aliases={aliases.of(kind): {}})
                logger.info("created %s behind alias %s", fresh.of(kind), aliases.of(kind))
            else:
                _add_new_fields(es, aliases.of(kind), kind, rich=rich)
                _apply_shape(es, aliases.of(kind), layout.shape(kind))
    return aliases


def _apply_shape(es: Elasticsearch, alias: str, shape: IndexShape) -> None:
    """Set the configured replica count on the indices behind ``alias`` where it differs
    (replicas are a dynamic setting); log where the shard count differs."""
    current = es.indices.get_settings(
        index=alias, name="index.number_of_*", flat_settings=True
    ).body
    for index, entry in current.items():
        settings = entry.get("settings", {})
        if int(settings.get("index.number_of_replicas", 0)) != shape.replicas:
            es.indices.put_settings(index=index, settings={"number_of_replicas": shape.replicas})
            logger.info("%s: replicas set to %d", index, shape.replicas)
        shards = int(settings.get("index.number_of_shards", 1))
        if shards != shape.shards:
            logger.warning(
                "%s has %d primary shard(s), elasticsearch.indices asks for %d: "
                "`corresp reindex` moves it to the new count",
                index,
                shards,
                shape.shards,
            )


def _add_new_fields(es: Elasticsearch, alias: str, kind: str, *, rich: bool) -> None:
    """Put the current mapping on the indices behind ``alias``: fields added since they were
    created become usable without a reindex (a changed field is a ``SchemaError``)."""
    properties = mappings(kind, rich=rich)["properties"]
    answer = es.options(ignore_status=400).indices.put_mapping(index=alias, properties=properties)
    error = answer.body.get("error") if isinstance(answer.body, dict) else None
    if error:
        reason = error.get("reason") if isinstance(error, dict) else error
        raise SchemaError(
            f"the {alias} indices have an older, incompatible mapping ({reason}); "
            "run `corresp reindex` to rebuild them"
        )


def current_indices(es: Elasticsearch, names: IndexNames) -> dict[str, list[str]]:
    """Concrete indices behind each alias."""
    found: dict[str, list[str]] = {}
    with backend_errors("reading aliases"):
        for kind in KINDS:
            alias = names.aliases.of(kind)
            response = es.options(ignore_status=404).indices.get_alias(name=alias)
            found[kind] = sorted(index for index in response if not index.startswith("error"))
    return found


LOADING_SETTINGS = {"index": {"refresh_interval": "-1", "translog.durability": "async"}}
"""A reindex's new indices while they load: no refresh, the translog written every 5 s
rather than on every request (a crash means running the reindex again; nothing serves
from them yet). (Capping merged segments at 1 GB during the load was tried: 1,723 against
1,742 letters/s over 300,000 letters, no gain.)"""
SERVING_SETTINGS = {"index": {"refresh_interval": None, "translog.durability": None}}
"""Back to the defaults once loaded (``None`` removes a setting)."""


def new_indices(
    es: Elasticsearch, names: IndexNames, *, layout: IndexLayout | None = None
) -> Targets:
    """Create empty indices of the current schema (and of ``layout``'s shards and replicas)
    for a reindex, not yet behind aliases."""
    ensure_schema(es, names, layout=layout)
    targets = names.new_indices(datetime.now(UTC))
    with backend_errors("creating indices for the reindex"):
        for kind in KINDS:
            es.indices.create(index=targets.of(kind), settings=LOADING_SETTINGS)
    return targets


def swap_aliases(es: Elasticsearch, names: IndexNames, new: Targets) -> list[str]:
    """Point every alias at ``new`` in one atomic request; delete and return the old indices."""
    old = current_indices(es, names)
    actions: list[dict[str, dict[str, str]]] = []
    with backend_errors("swapping aliases"):
        for kind in KINDS:
            es.indices.put_settings(index=new.of(kind), settings=SERVING_SETTINGS)
            es.indices.flush(index=new.of(kind))  # every loaded document on disk
            es.indices.refresh(index=new.of(kind))
            actions += [
                {"remove": {"index": index, "alias": names.aliases.of(kind)}} for index in old[kind]
            ]
            actions.append({"add": {"index": new.of(kind), "alias": names.aliases.of(kind)}})
        es.indices.update_aliases(actions=actions)
        retired = [index for kind in KINDS for index in old[kind]]
        if retired:
            es.indices.delete(index=",".join(retired))
    return retired
