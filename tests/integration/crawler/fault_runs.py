"""Running a fault scenario with the real crawler, and judging it without trusting the crawler.

`run_scenario` starts a fake EDGAR listing synthetic filings, lets the scenario break it, and
runs ``python -m indexer crawl`` in a subprocess once per pass. `check` then judges the run
only from what the crawler cannot vouch for itself: the fake's request log and its record of
block windows, the ledger file (``crawl-state.sqlite3``) and the raw store on disk:

- every listed filing is stored exactly once, byte-equal to what the fake serves, with a
  ledger row that says so; or, where the scenario made the fault permanent, recorded with a
  reason naming the fault (a parked filing's last error, an unreadable index's problem);
- no request arrived during a block window, past the moment the first block page could have
  reached the crawler (`IN_FLIGHT_SECONDS`: requests already on the wire then are the
  server's to refuse);
- no busy loop: no path was asked more than `max_attempts` times in a pass (block pages
  aside), the fake never saw its limit exceeded, no window of one second held more than the
  configured ceiling (plus `JITTER_REQUESTS`: the throttle spaces request *starts*, the fake
  stamps arrivals, and on a loaded machine its stamps bunch), and the crawler's CPU time
  stayed well below its wall time;
- each pass exited 0 (per-filing failures are recorded, not fatal) with no traceback.
"""

from __future__ import annotations

import gzip
import hashlib
import math
import os
import random
import re
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo

from tests.fake_edgar import FakeEdgar, FakeEdgarConfig, RequestRecord
from tests.fake_edgar.limits import BlockWindow, peak_requests
from tests.fake_edgar.urls import daily_index_path
from tests.integration.crawler.conftest import crawler_env
from tests.integration.crawler.datadir import LEDGER, fetched_count
from tests.integration.crawler.fault_matrix import Arena, Scenario, Timings

__all__ = [
    "IN_FLIGHT_SECONDS",
    "JITTER_REQUESTS",
    "Observation",
    "Pass",
    "Verdict",
    "check",
    "run_scenario",
]

IN_FLIGHT_SECONDS = 0.25
"""After a block starts, requests sent before its page reached the crawler may still arrive."""
JITTER_REQUESTS = 1
"""Allowance on the ceiling for arrival stamps bunched by scheduling (seen at load 8 on 2
cores: 10 arrivals within one second at a ceiling of 9, none of them a violation)."""
_PASS_TIMEOUT_SECONDS = 180
_EASTERN = ZoneInfo("America/New_York")


@dataclass(frozen=True)
class Pass:
    """One ``corresp crawl`` subprocess."""

    exit_code: int
    stdout: str
    stderr: str
    wall_seconds: float
    cpu_seconds: float
    started: float
    """Server clock when the pass started."""
    stored_after: int
    """Filings the ledger held as stored when the pass ended."""


@dataclass
class Observation:
    """Everything `check` judges, collected once the passes ended."""

    scenario: Scenario
    arena: Arena
    passes: list[Pass]
    requests: list[RequestRecord]
    windows: list[BlockWindow]
    violations: int
    served: dict[str, bytes]
    """Accession -> the bytes the fake serves for it when nothing is broken."""
    ledger: dict[str, dict[str, object]]
    problems: list[dict[str, object]]
    stored: dict[str, list[Path]]
    """Accession -> its entries in the raw store (one expected)."""
    data_dir: Path


@dataclass
class Verdict:
    """The figures of one run and what went wrong in it (nothing, when it passed)."""

    figures: dict[str, float] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def eastern_today() -> date:
    return datetime.now(_EASTERN).date()


def run_scenario(
    scenario: Scenario,
    samples_dir: Path,
    data_dir: Path,
    *,
    filings: int = 12,
    seed: int = 0,
    timings: Timings | None = None,
) -> Observation:
    """Run every pass of `scenario` against a fresh fake EDGAR; collect what `check` needs."""
    timings = timings or Timings()
    config = FakeEdgarConfig(**{"block_seconds": timings.block_seconds, **scenario.fake})
    today = eastern_today()
    first, last = scenario.span(today)
    with FakeEdgar(samples_dir, config) as edgar:
        listed = edgar.synthetic_filings(filings, first, last)
        arena = Arena(edgar, listed, timings, random.Random(seed))
        scenario.arrange(arena)
        env = os.environ | crawler_env(edgar, data_dir, **_settings(timings, scenario))
        until = today if scenario.until_today else last
        passes = []
        for number in range(scenario.passes):
            if number and scenario.between is not None:
                scenario.between(arena)
            since = ["--since", first.isoformat()] if number == 0 else []
            args = [*since, "--until", until.isoformat()]
            passes.append(_crawl(edgar, env, args, data_dir))
        requests, windows, violations = edgar.requests, edgar.block_windows, edgar.violations
    ledger, problems = _read_ledger(data_dir / LEDGER)
    return Observation(
        scenario=scenario,
        arena=arena,
        passes=passes,
        requests=requests,
        windows=windows,
        violations=violations,
        served={filing.accession: filing.render() for filing in listed},
        ledger=ledger,
        problems=problems,
        stored=_read_store(data_dir / "raw"),
        data_dir=data_dir,
    )


def _settings(timings: Timings, scenario: Scenario) -> dict[str, str]:
    return {
        "EDGAR__BLOCK_COOLDOWN_SECONDS": str(timings.cooldown_seconds),
        "EDGAR__TIMEOUT_SECONDS": str(timings.timeout_seconds),
        "EDGAR__MAX_ATTEMPTS": str(timings.max_attempts),
        "EDGAR__MAX_REQUESTS_PER_SECOND": str(timings.max_requests_per_second),
        "CRAWLER__MAX_ATTEMPTS_PER_FILING": str(timings.max_attempts_per_filing),
        **scenario.settings,
    }


def _crawl(edgar: FakeEdgar, env: dict[str, str], args: list[str], data_dir: Path) -> Pass:
    command = [sys.executable, "-m", "indexer", "crawl", *args, "--json", "--no-index"]
    started, server_started = time.monotonic(), edgar.clock()
    exit_code, stdout, stderr, cpu = _run_measured(command, env)
    return Pass(
        exit_code=exit_code,
        stdout=stdout,
        stderr=stderr,
        wall_seconds=time.monotonic() - started,
        cpu_seconds=cpu,
        started=server_started,
        stored_after=fetched_count(data_dir),
    )


def _run_measured(command: list[str], env: dict[str, str]) -> tuple[int, str, str, float]:
    """Exit code, stdout, stderr and CPU seconds of one process (its own, even when other
    processes run beside it: it is reaped with ``wait4``); killed after the pass timeout."""
    output: dict[str, str] = {}

    def drain(name: str, stream: IO[str] | None) -> None:
        output[name] = stream.read() if stream is not None else ""

    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        readers = [
            threading.Thread(target=drain, args=("out", process.stdout)),
            threading.Thread(target=drain, args=("err", process.stderr)),
        ]
        for reader in readers:
            reader.start()
        killer = threading.Timer(_PASS_TIMEOUT_SECONDS, process.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            killer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        for reader in readers:
            reader.join()
    return process.returncode, output["out"], output["err"], usage.ru_utime + usage.ru_stime


def _read_ledger(path: Path) -> tuple[dict[str, dict[str, object]], list[dict[str, object]]]:
    if not path.exists():
        return {}, []
    with closing(sqlite3.connect(path)) as db:
        db.row_factory = sqlite3.Row
        filings = {row["accession"]: dict(row) for row in db.execute("SELECT * FROM filings")}
        problems = [dict(row) for row in db.execute("SELECT * FROM problems")]
    return filings, problems


def _read_store(root: Path) -> dict[str, list[Path]]:
    """Accession -> its entries: ``<accession>.txt.gz`` files and document folders."""
    entries: dict[str, list[Path]] = {}
    for path in root.glob("*/*/*"):
        name = path.name.removesuffix(".txt.gz")
        if not name.startswith(".tmp"):
            entries.setdefault(name, []).append(path)
    return entries


def check(observation: Observation) -> Verdict:
    """Judge a run; see the module docstring for what is checked."""
    verdict = Verdict()
    _check_filings(observation, verdict)
    _check_blocks(observation, verdict)
    _check_pace(observation, verdict)
    _check_exits(observation, verdict)
    return verdict


def _check_filings(obs: Observation, verdict: Verdict) -> None:
    arena = obs.arena
    stored = recorded = lost = 0
    unreadable_days = {
        path: [f.accession for f in arena.filings if daily_index_path(f.disseminated) == path]
        for path in arena.unreadable
    }
    behind_unreadable = {acc for accs in unreadable_days.values() for acc in accs}
    for accession, body in obs.served.items():
        row = obs.ledger.get(accession)
        entries = obs.stored.get(accession, [])
        if accession in arena.permanent:
            reason = arena.permanent[accession]
            error = str((row or {}).get("last_error") or "")
            if row and row["status"] == "failed" and reason.search(error):
                recorded += 1
            else:
                lost += 1
                status = row and row["status"]
                verdict.failures.append(
                    f"{accession}: expected parked with /{reason.pattern}/, got {status}: {error}"
                )
            continue
        if accession in behind_unreadable:
            continue  # judged by the index's recorded problem below
        if len(entries) == 1 and _stored_bytes(entries[0]) == body:
            stored += 1
            if row is None or row["status"] != "fetched":
                verdict.failures.append(f"{accession}: stored but ledger says {row}")
            elif row["raw_sha256"] != hashlib.sha256(body).hexdigest():
                verdict.failures.append(f"{accession}: ledger digest differs from the bytes")
        elif entries:
            verdict.failures.append(f"{accession}: stored {len(entries)}x or not byte-equal")
        else:
            lost += 1
            status = row and (row["status"], row["attempts"], row["last_error"])
            verdict.failures.append(f"{accession}: lost (ledger: {status})")
    for path, reason in arena.unreadable.items():
        found = [
            p
            for p in obs.problems
            if str(p["source"]).endswith(path) and reason.search(str(p["detail"]))
        ]
        if found:
            recorded += len(unreadable_days[path])
        else:
            lost += len(unreadable_days[path])
            verdict.failures.append(f"{path}: no problem recorded matching /{reason.pattern}/")
    duplicated = sum(len(entries) > 1 for entries in obs.stored.values())
    extra = sorted(set(obs.stored) - set(obs.served))
    if extra:
        verdict.failures.append(f"stored filings the fake never listed: {extra}")
    temporaries = list((obs.data_dir / "raw").glob("*/*/.tmp-*"))
    if temporaries:
        verdict.failures.append(f"temporary files left in the store: {temporaries}")
    verdict.figures.update(
        listed=len(obs.served), stored=stored, failed=recorded, lost=lost, duplicated=duplicated
    )


def _stored_bytes(path: Path) -> bytes | None:
    return gzip.decompress(path.read_bytes()) if path.is_file() else None


def _check_blocks(obs: Observation, verdict: Verdict) -> None:
    during = in_flight = 0
    for window in obs.windows:
        for record in obs.requests:
            if not window.start < record.monotonic < window.end:
                continue
            if record.monotonic <= window.start + IN_FLIGHT_SECONDS:
                in_flight += 1
            else:
                during += 1
                verdict.failures.append(
                    f"request {record.path} {record.monotonic - window.start:.2f} s into a "
                    f"{window.end - window.start:.1f} s block"
                )
    verdict.figures.update(blocks=len(obs.windows), during_block=during, in_flight=in_flight)


def _check_pace(obs: Observation, verdict: Verdict) -> None:
    timings = obs.arena.timings
    attempts = int(obs.scenario.settings.get("EDGAR__MAX_ATTEMPTS", timings.max_attempts))
    starts = [p.started for p in obs.passes[1:]] + [math.inf]
    per_path: Counter[tuple[int, str]] = Counter()
    for record in obs.requests:
        refused = record.admission.refused or record.fault == "block"
        if not refused:
            per_path[_pass_of(record.monotonic, starts), record.path] += 1
    most = max(per_path.values(), default=0)
    if most > attempts:
        worst = [key for key, n in per_path.items() if n == most]
        verdict.failures.append(f"{most} requests for one path in one pass: {worst[:3]}")
    ceiling = math.floor(timings.max_requests_per_second)
    peak = peak_requests(r.monotonic for r in obs.requests)
    if peak > ceiling + JITTER_REQUESTS or obs.violations:
        verdict.failures.append(f"{peak} requests in one second, {obs.violations} violations")
    for number, run in enumerate(obs.passes, 1):
        if run.cpu_seconds > 0.5 * run.wall_seconds + 2.0:
            verdict.failures.append(
                f"pass {number}: {run.cpu_seconds:.1f} s CPU in {run.wall_seconds:.1f} s"
            )
    injected = sum(r.fault is not None for r in obs.requests) + _content_faults(obs)
    verdict.figures.update(
        faults=injected,
        requests=len(obs.requests),
        max_per_path=most,
        peak_per_second=peak,
        passes=len(obs.passes),
        seconds=round(sum(p.wall_seconds for p in obs.passes), 1),
        cpu_seconds=round(sum(p.cpu_seconds for p in obs.passes), 1),
    )


def _pass_of(moment: float, later_starts: list[float]) -> int:
    return next(i for i, start in enumerate(later_starts) if moment < start)


def _content_faults(obs: Observation) -> int:
    """Requests answered with an old version of a file or before it was published."""
    arena = obs.arena
    count = 0
    for path, versions in arena.versioned.items():
        count += min(sum(r.path == path for r in obs.requests), versions - 1)
    for path, until in arena.hidden.items():
        count += sum(r.path == path and r.monotonic < until for r in obs.requests)
    return count


_TRACEBACK = re.compile(r"^Traceback \(most recent call last\)", re.MULTILINE)


def _check_exits(obs: Observation, verdict: Verdict) -> None:
    for number, run in enumerate(obs.passes, 1):
        if run.exit_code != 0:
            verdict.failures.append(f"pass {number} exited {run.exit_code}: {run.stderr[-500:]}")
        if _TRACEBACK.search(run.stderr):
            verdict.failures.append(f"pass {number} printed a traceback: {run.stderr[-2000:]}")
