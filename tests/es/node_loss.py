"""One node of a three-node cluster killed under load, end to end, shared by test and bench.

Three managed nodes (``indexer.node.cluster``) form a real cluster on loopback ports; every
index gets one replica. Half of the sample letters are indexed, the API (a real uvicorn) is
pointed at all three node URLs, and a steady search loop runs through it: full-text
letters, comment search and letter lookups, one after another. The node holding the letters
index's primary is then SIGKILLed; the other half of the letters is indexed while it is
gone (writes go on: the replica is promoted), searching continues, the node is started
again and the cluster must return to green. Recorded: searches before, during and after the
loss, failed ones (an error status, or a partial answer) and 503s that succeeded when
retried, the write time during the loss, the seconds back to green, and the final counts
against what was written (no letter lost or duplicated).
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from api.app import create_app
from indexer.documents import comment_documents
from indexer.es_client import make_es_client
from indexer.incoming import IncomingLetter
from indexer.ingest import Ingester
from indexer.lifecycle import ensure_schema, index_names
from indexer.node.cluster import ClusterLayout, ManagedCluster
from indexer.normalize.pipeline import normalize_letter
from indexer.normalize.threads import build_threads
from indexer.settings import Settings
from tests.es.api.conftest import COMPANIES, sample_letters
from tests.es.api.live import live_api

__all__ = ["NodeLossResult", "run_node_loss"]

_KINDS = ("letters", "comments", "threads", "watchlists", "alerts")
_PAUSE_SECONDS = 0.05
"""Between two searches of the loop: a steady load that leaves the nodes CPU to recover."""


@dataclass
class NodeLossResult:
    nodes: int
    killed: str = ""
    killed_was_master: bool = False
    searches: Counter[str] = field(default_factory=Counter)
    """Searches answered 200 and complete, by phase (before, during, after)."""
    failed: list[str] = field(default_factory=list)
    """Searches that failed (status, path) even after a retry, or answered partial."""
    retried: int = 0
    """Searches answered 503 whose retry succeeded."""
    latencies_ms: dict[str, list[float]] = field(default_factory=dict)
    letters_before: int = 0
    letters_during: int = 0
    write_seconds_during: float = 0.0
    seconds_to_rejoin: float = 0.0
    seconds_to_green: float = 0.0
    letters_indexed: int = 0
    comments_expected: int = 0
    comments_indexed: int = 0
    distinct_letters: int = 0
    health_after: str = ""

    @property
    def lost(self) -> int:
        return max(self.letters_before + self.letters_during - self.distinct_letters, 0)

    @property
    def duplicated(self) -> int:
        return self.letters_indexed - self.distinct_letters

    def p95_ms(self, phase: str) -> float | None:
        values = sorted(self.latencies_ms.get(phase, []))
        return values[int(0.95 * (len(values) - 1))] if values else None


def run_node_loss(
    samples_dir: Path, data_dir: Path, *, heap: str = "384m", settle_seconds: float = 3.0
) -> NodeLossResult:
    """Run the scenario with the cluster's files under ``data_dir``; removes the nodes after."""
    http_port, transport_port = _free_runs(3)
    layout = ClusterLayout(3, http_port, transport_port, heap)
    base = Settings.model_validate({"storage": {"data_dir": str(data_dir)}})
    cluster = ManagedCluster(base, layout)
    result = NodeLossResult(nodes=layout.nodes)
    try:
        cluster.up(_quiet)
        settings = Settings.model_validate(
            {
                "storage": {"data_dir": str(data_dir)},
                "elasticsearch": {
                    "url": cluster.url,
                    "index_prefix": "loss-",
                    "indices": {kind: {"shards": 1, "replicas": 1} for kind in _KINDS},
                },
            }
        )
        _run(cluster, settings, samples_dir, result, settle_seconds)
    finally:
        cluster.purge(_quiet)  # stops the nodes, removes their folders
    return result


def _run(
    cluster: ManagedCluster,
    settings: Settings,
    samples_dir: Path,
    result: NodeLossResult,
    settle_seconds: float,
) -> None:
    letters = sample_letters(samples_dir, COMPANIES)
    first, second = letters[::2], letters[1::2]
    es = make_es_client(settings.elasticsearch, timeout_seconds=120)
    try:
        names = index_names(settings.elasticsearch.index_prefix)
        targets = ensure_schema(es, names, layout=settings.elasticsearch.indices)
        written = Ingester(es, targets).ingest(first)
        result.letters_before = written.letters
        result.comments_expected = _comments_of(letters)
        cluster.wait_for(3, "green", timeout_seconds=120)
        lookups = [letter.accession for letter in first[:20]]
        with (
            live_api(create_app(settings)) as api_url,
            _SearchLoop(api_url, lookups, result) as loop,
        ):
            time.sleep(settle_seconds)
            victim = _primary_holder(es, targets.letters)
            result.killed = cluster.member(victim).role.name
            result.killed_was_master = _master(es) == result.killed
            cluster.member(victim).kill()
            loop.phase = "during"
            result.write_seconds_during, report = _timed_ingest(es, targets, second)
            result.letters_during = report.letters
            time.sleep(settle_seconds)
            started = time.monotonic()
            cluster.member(victim).up(_quiet, wait=False)
            cluster.wait_for(3, "yellow", timeout_seconds=180)
            result.seconds_to_rejoin = time.monotonic() - started
            cluster.wait_for(3, "green", timeout_seconds=300)
            result.seconds_to_green = time.monotonic() - started
            loop.phase = "after"
            time.sleep(settle_seconds)
        _count(es, targets.letters, targets.comments, result)
    finally:
        es.close()


def _timed_ingest(es: Any, targets: Any, letters: list[IncomingLetter]) -> tuple[float, Any]:
    started = time.monotonic()
    report = Ingester(es, targets).ingest(letters)
    return time.monotonic() - started, report


def _quiet(message: str) -> None:
    """Progress messages of the nodes are not needed here."""


def _comments_of(incoming: list[IncomingLetter]) -> int:
    """How many comment documents the letters make when indexed together on one node."""
    letters = [normalize_letter(item) for item in incoming]
    known = {letter.accession: letter for letter in letters}
    return len(
        {
            document["comment_id"]
            for thread in build_threads(letters)
            for document in comment_documents(thread, known)
        }
    )


def _count(es: Any, letters: str, comments: str, result: NodeLossResult) -> None:
    es.indices.refresh(index=f"{letters},{comments}")
    result.letters_indexed = int(es.count(index=letters)["count"])
    result.comments_indexed = int(es.count(index=comments)["count"])
    accessions = es.search(
        index=letters,
        size=0,
        aggs={"distinct": {"cardinality": {"field": "accession", "precision_threshold": 40000}}},
    )
    result.distinct_letters = int(accessions["aggregations"]["distinct"]["value"])
    result.health_after = str(es.cluster.health()["status"])


def _primary_holder(es: Any, alias: str) -> int:
    """Number (1-based) of the node holding the primary of the letters index."""
    shards = es.cat.shards(index=alias, format="json", h="prirep,node")
    primary = next(row["node"] for row in shards if row["prirep"] == "p")
    return int(str(primary).rsplit("-", 1)[1])


def _master(es: Any) -> str:
    return str(es.cat.master(format="json")[0]["node"])


class _SearchLoop:
    """Searches through the API, one after another, until the ``with`` block ends."""

    def __init__(self, api_url: str, accessions: list[str], result: NodeLossResult) -> None:
        self.result = result
        self.phase = "before"
        self.paths = [
            "/search?q=revenue%20recognition&size=10",
            "/comments/search?q=goodwill&size=10",
            "/search?q=segment&size=5",
            *[f"/letters/{accession}" for accession in accessions[:5]],
        ]
        self._client = httpx.Client(base_url=api_url, timeout=30)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> _SearchLoop:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=60)
        self._client.close()

    def _loop(self) -> None:
        i = 0
        while not self._stop.is_set():
            path = self.paths[i % len(self.paths)]
            i += 1
            self._search(path)
            time.sleep(_PAUSE_SECONDS)

    def _search(self, path: str) -> None:
        phase = self.phase
        started = time.monotonic()
        answer = self._get(path)
        if answer is not None and answer.status_code == 503:
            time.sleep(min(float(answer.headers.get("retry-after", "1")), 2.0))
            answer = self._get(path)
            if answer is not None and answer.status_code == 200:
                self.result.retried += 1
        elapsed_ms = (time.monotonic() - started) * 1000
        if answer is None or answer.status_code != 200:
            status = "no answer" if answer is None else str(answer.status_code)
            self.result.failed.append(f"{phase}: {status} {path}")
            return
        body = answer.json()
        if body.get("partial"):
            self.result.failed.append(f"{phase}: partial {path} {body.get('partial_reason')}")
            return
        self.result.searches[phase] += 1
        self.result.latencies_ms.setdefault(phase, []).append(elapsed_ms)

    def _get(self, path: str) -> httpx.Response | None:
        try:
            return self._client.get(path)
        except httpx.HTTPError:
            return None


def _free_runs(count: int) -> tuple[int, int]:
    """Two runs of ``count`` consecutive free loopback ports (HTTP, transport)."""
    found: list[int] = []
    for start in range(20000, 60000, 97):
        if all(_free(port) for port in range(start, start + count)):
            found.append(start)
            if len(found) == 2:
                return found[0], found[1]
    raise RuntimeError("no free loopback ports for the cluster")


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True
