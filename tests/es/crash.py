"""Crash trials: SIGKILL the crawler at chosen moments, restart, compare with a clean run.

A reference crawl runs once, uninterrupted, into its own data directory and index prefix.
The trial crawl then runs as ``corresp crawl --limit L`` (each run downloads a few filings,
then indexes them) and is killed with SIGKILL at one moment per trial, in turn:

- ``index``   while a daily index file is on the wire (sent slowly by the fake EDGAR);
- ``body``    in the middle of a filing's body (sent slowly);
- ``ledger``  after a filing's file is stored and before the ledger records it (the test
              holds the ledger's write lock, waits for a stored file the ledger does not
              know, and kills);
- ``bulk``    while a ``_bulk`` request to Elasticsearch is in flight (seen by a relay);
- ``random``  at a random time.

After the trials one last run completes. The final raw store, ledger facts and the three
indices must equal the reference's: nothing lost, nothing twice, nothing half-written.
"""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from elasticsearch import Elasticsearch

from tests.es.api.relay import TcpRelay
from tests.fake_edgar import FakeEdgar, FakeEdgarConfig
from tests.fake_edgar.faults import SlowBody
from tests.integration.crawler.conftest import crawler_env
from tests.integration.crawler.datadir import LEDGER, read_data_dir

PHASES = ("index", "body", "ledger", "bulk", "random")
SINCE, UNTIL = date(2023, 1, 9), date(2023, 1, 20)
_INDEXES = ("letters", "comments", "threads")
_VOLATILE = frozenset({"first_seen_at"})
"""Document fields that record when a run happened, not what it found."""
_DAILY_INDEX = re.compile(r"/daily-index/.*\.idx$")
_FILING = re.compile(r"\.txt$")
_REFERENCE_AGENT = "Corresp Reference Run reference@example.org"


@dataclass
class CrashResult:
    filings: int
    kills: Counter[str] = field(default_factory=Counter)
    """Kills by the moment actually hit (``missed:PHASE`` when the moment never came)."""
    final_exit: int | None = None
    differences: list[str] = field(default_factory=list)
    """Every way the final state differs from the reference run's."""
    store_problems: list[str] = field(default_factory=list)
    temporaries_left: int = 0
    downloads: int = 0
    """Filing downloads over all trial runs (a kill may cost a download again)."""
    stored: int = 0
    indexed: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total_kills(self) -> int:
        return sum(self.kills.values())

    @property
    def passed(self) -> bool:
        return (
            self.final_exit == 0
            and not self.differences
            and not self.store_problems
            and self.temporaries_left == 0
            and self.stored == self.filings
        )


def run_crash_trials(
    *,
    es_url: str,
    prefix: str,
    samples_dir: Path,
    work_dir: Path,
    kills: int = 20,
    filings: int = 120,
    seed: int = 20261121,
) -> CrashResult:
    """Reference run, ``kills`` killed runs (each phase in turn), a final run; compare."""
    rng = random.Random(seed)
    result = CrashResult(filings=filings)
    started = time.monotonic()
    url = httpx.URL(es_url)
    config = FakeEdgarConfig(delay_ms=(10, 40), limit_per_second=25)
    with (
        FakeEdgar(samples_dir, config) as edgar,
        TcpRelay(url.host, url.port or 9200) as relay,
    ):
        edgar.synthetic_filings(filings, SINCE, UNTIL)
        reference_dir, trial_dir = work_dir / "reference", work_dir / "trials"
        # The reference runs beside the trials (the fake's limit is raised for both).
        reference_env = _env(edgar, reference_dir, es_url, f"{prefix}ref-")
        reference = _crawl(reference_env | {"CORRESP__EDGAR__USER_AGENT": _REFERENCE_AGENT})
        trials = _env(edgar, trial_dir, relay.url, f"{prefix}run-")
        for number in range(kills):
            phase = PHASES[number % len(PHASES)]
            limit = rng.randint(4, 9)
            result.kills[_kill_once(phase, trials, limit, edgar, relay, trial_dir, rng)] += 1
        edgar.fault_table.clear()
        result.final_exit = _crawl(trials).wait(timeout=300)
        assert reference.wait(timeout=300) == 0, "the reference crawl failed"
        result.downloads = _count_downloads_since(edgar, 0)
    found = read_data_dir(trial_dir)
    result.stored = len(found.stored)
    result.store_problems = found.problems()
    result.temporaries_left = len(found.temporaries)
    result.differences = _differences(
        es_url, reference_dir, f"{prefix}ref-", trial_dir, f"{prefix}run-", result
    )
    result.seconds = round(time.monotonic() - started, 1)
    return result


def _env(edgar: FakeEdgar, data_dir: Path, es_url: str, prefix: str) -> dict[str, str]:
    return os.environ | crawler_env(
        edgar,
        data_dir,
        ELASTICSEARCH__URL=es_url,
        ELASTICSEARCH__INDEX_PREFIX=prefix,
        # A restarted process may start sending while the killed one's last second still
        # counts: 8/s each stays under the fake's raised limit even for two processes.
        EDGAR__MAX_REQUESTS_PER_SECOND="8",
        EDGAR__MAX_CONCURRENT_REQUESTS="4",
    )


def _crawl(env: dict[str, str], *extra: str) -> subprocess.Popen[bytes]:
    command = ["crawl", "--since", str(SINCE), "--until", str(UNTIL), *extra]
    return subprocess.Popen(
        [sys.executable, "-m", "indexer", *command],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _kill_once(
    phase: str,
    env: dict[str, str],
    limit: int,
    edgar: FakeEdgar,
    relay: TcpRelay,
    data_dir: Path,
    rng: random.Random,
) -> str:
    """Run one limited crawl and SIGKILL it at ``phase``; the moment actually hit."""
    edgar.fault_table.clear()
    seen = len(edgar.requests)
    bulk = threading.Event()
    if phase == "index":
        edgar.inject(_DAILY_INDEX, SlowBody(1.5, 15), times=1)
    elif phase == "body":
        edgar.inject(_FILING, SlowBody(1.5, 15), times=1)
    if phase == "bulk":
        relay.watch = lambda data: bulk.set() if b"/_bulk" in data else None
    process = _crawl(env, "--limit", str(limit))
    try:
        hit = _wait_for(phase, process, edgar, seen, bulk, data_dir, rng)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
        relay.watch = None
    return phase if hit else f"missed:{phase}"


def _wait_for(
    phase: str,
    process: subprocess.Popen[bytes],
    edgar: FakeEdgar,
    seen: int,
    bulk: threading.Event,
    data_dir: Path,
    rng: random.Random,
) -> bool:
    """Block until the moment of ``phase`` (True), or until it cannot come (False)."""
    if phase == "random":
        time.sleep(rng.uniform(0.5, 5.0))
        return process.poll() is None
    if phase == "bulk":
        if not bulk.wait(timeout=60):
            return False
        time.sleep(rng.uniform(0.0, 0.3))
        return True
    if phase == "ledger":
        return _kill_point_between_store_and_ledger(process, edgar, seen, data_dir)
    pattern = _DAILY_INDEX if phase == "index" else _FILING

    def on_the_wire() -> bool:
        return any(r.fault == "slow_body" and pattern.search(r.path) for r in edgar.requests[seen:])

    if not _until(on_the_wire, process, 60):
        return False
    time.sleep(rng.uniform(0.05, 1.2))  # somewhere in the middle of the body
    return True


def _kill_point_between_store_and_ledger(
    process: subprocess.Popen[bytes], edgar: FakeEdgar, seen: int, data_dir: Path
) -> bool:
    """Hold the ledger's write lock until a stored file is unknown to the ledger."""
    if not _until(lambda: _count_downloads_since(edgar, seen) > 0, process, 60):
        return False
    with closing(sqlite3.connect(data_dir / LEDGER, timeout=30, isolation_level=None)) as db:
        db.execute("BEGIN IMMEDIATE")
        try:
            fetched_at_lock = {
                row[0] for row in db.execute("SELECT accession FROM filings WHERE status='fetched'")
            }
            stored_at_lock = _stored(data_dir)
            return _until(
                lambda: bool(_stored(data_dir) - stored_at_lock - fetched_at_lock), process, 15
            )
        finally:
            # The kill comes first (in the caller) only if we return first; keep the lock
            # until the process is gone so no ledger write can slip in.
            process.send_signal(signal.SIGKILL)
            process.wait()
            db.execute("ROLLBACK")


def _count_downloads_since(edgar: FakeEdgar, seen: int) -> int:
    """Filing downloads of the trial runs since request number ``seen``."""
    return sum(
        bool(_FILING.search(r.path)) and r.user_agent != _REFERENCE_AGENT
        for r in edgar.requests[seen:]
    )


def _stored(data_dir: Path) -> set[str]:
    return {p.name.removesuffix(".txt.gz") for p in (data_dir / "raw").glob("*/*/*.txt.gz")}


def _until(condition: Callable[[], bool], process: subprocess.Popen[bytes], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.01)
    return False


def _differences(
    es_url: str,
    reference_dir: Path,
    reference_prefix: str,
    trial_dir: Path,
    trial_prefix: str,
    result: CrashResult,
) -> list[str]:
    differences = []
    reference, trial = read_data_dir(reference_dir), read_data_dir(trial_dir)
    if len(reference.stored) != result.filings:
        differences.append(f"the reference stored {len(reference.stored)}/{result.filings}")
    for accession in sorted(set(reference.stored) | set(trial.stored)):
        if reference.stored.get(accession) != trial.stored.get(accession):
            differences.append(f"raw store: {accession} differs or is missing")
    for accession in sorted(set(reference.ledger) | set(trial.ledger)):
        if reference.ledger.get(accession) != trial.ledger.get(accession):
            differences.append(f"ledger: {accession} differs or is missing")
    with Elasticsearch(es_url) as es:
        for name in _INDEXES:
            expected = _documents(es, f"{reference_prefix}{name}")
            found = _documents(es, f"{trial_prefix}{name}")
            result.indexed[name] = len(found)
            if not expected:
                differences.append(f"index {name}: the reference has no documents")
            for doc_id in sorted(set(expected) | set(found)):
                if expected.get(doc_id) != found.get(doc_id):
                    differences.append(f"index {name}: document {doc_id} differs or is missing")
    return differences


def _documents(es: Elasticsearch, alias: str) -> dict[str, dict[str, Any]]:
    """Every document of an index by id, without the fields that record run times."""
    es.indices.refresh(index=alias)
    hits = es.search(index=alias, size=10_000, query={"match_all": {}})["hits"]["hits"]
    return {
        hit["_id"]: {k: v for k, v in hit["_source"].items() if k not in _VOLATILE} for hit in hits
    }
