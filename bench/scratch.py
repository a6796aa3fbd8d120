"""A throw-away place for a bench that crawls and indexes: a work folder and an index prefix.

``scratch_run("crash")`` yields the node's URL, the EDGAR samples, a temporary folder and a
unique index prefix, and removes the folder and every index of the prefix afterwards.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from elasticsearch import Elasticsearch

from tests.conftest import DEFAULT_ES_URL, DEFAULT_SAMPLES, remove_prefix

__all__ = ["ScratchRun", "scratch_run"]


@dataclass(frozen=True)
class ScratchRun:
    es_url: str
    samples_dir: Path
    work_dir: Path
    prefix: str


@contextmanager
def scratch_run(name: str) -> Iterator[ScratchRun]:
    """Where bench ``name`` may write; everything is removed when the block ends."""
    es_url = os.environ.get("ELASTICSEARCH_URL") or DEFAULT_ES_URL
    samples = Path(os.environ.get("EDGAR_SAMPLES") or DEFAULT_SAMPLES)
    prefix = f"bench-{name}-{uuid.uuid4().hex[:8]}-"
    try:
        with tempfile.TemporaryDirectory(prefix=f"{name}-bench-") as work:
            yield ScratchRun(es_url, samples, Path(work), prefix)
    finally:
        with Elasticsearch(es_url) as es:
            remove_prefix(es, prefix)
