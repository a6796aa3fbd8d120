"""Bulk writes: actions in, a report out; every Elasticsearch error translated.

Uses the client's ``streaming_bulk`` (which backs off and retries on 429) with
``raise_on_error=False`` so that one rejected document never hides the others: the report
lists each failure with its reason, and the caller decides what it means.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from elasticsearch import Elasticsearch
from elasticsearch.helpers import streaming_bulk

from indexer.es_client import backend_errors

__all__ = ["BulkReport", "delete_action", "index_action", "update_action", "write_actions"]


@dataclass
class BulkReport:
    succeeded: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    """``(document id, reason)`` for each rejected action."""


def index_action(index: str, doc_id: str, document: dict[str, Any]) -> dict[str, Any]:
    return {"_op_type": "index", "_index": index, "_id": doc_id, "_source": document}


def update_action(index: str, doc_id: str, partial: dict[str, Any]) -> dict[str, Any]:
    return {"_op_type": "update", "_index": index, "_id": doc_id, "doc": partial}


def delete_action(index: str, doc_id: str) -> dict[str, Any]:
    return {"_op_type": "delete", "_index": index, "_id": doc_id}


def write_actions(
    es: Elasticsearch, actions: Iterable[dict[str, Any]], *, chunk_size: int = 500
) -> BulkReport:
    """Send ``actions``; a missing document on delete is not a failure."""
    report = BulkReport()
    with backend_errors("writing documents"):
        for ok, item in streaming_bulk(
            es,
            actions,
            chunk_size=chunk_size,
            max_retries=3,
            initial_backoff=1,
            raise_on_error=False,
            raise_on_exception=False,
        ):
            operation, result = next(iter(item.items()))
            if ok or (operation == "delete" and result.get("status") == 404):
                report.succeeded += 1
            else:
                reason = result.get("error")
                if isinstance(reason, dict):
                    reason = reason.get("reason") or reason.get("type")
                report.failed.append((str(result.get("_id")), str(reason)))
    return report
