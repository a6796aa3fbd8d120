"""Outbox crash trials: SIGKILL ``corresp import`` during ingest and webhook delivery.

Each trial gets its own data folder, index prefix and ``config.yaml`` with one watchlist on a
sample company whose webhook points at a real receiver on loopback. ``corresp import`` of the
company's letters (ingest, then one pass of the outbox) is killed with SIGKILL at one moment,
in turn:

- ``ingest``  at a random time while the letters are being indexed (before any POST);
- ``post``    while the receiver holds a POST unanswered (killed before the answer);
- ``answer``  right after the receiver answered 200, before the outcome can be recorded;
- ``random``  at a random time.

Recovery is what a user does: the same import again (nothing is downloaded; filings not
marked indexed are indexed again), then ``corresp alerts send`` until no delivery waits.
Invariants, per trial: every alert the uninterrupted reference run makes exists and is
``delivered``; every alert reached the receiver at least once; an alert that arrived more than
once arrived each time under the same ``X-Corresp-Delivery`` id; every POST was signed.
"""

from __future__ import annotations

import http.server
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from elasticsearch import Elasticsearch

from indexer.watchlists.webhooks import verify_signature
from tests.conftest import remove_prefix

PHASES = ("ingest", "post", "answer", "random")
COMPANY = "1300514"  # Las Vegas Sands: 9 letters in the samples
SECRET = "outbox-crash-secret-0123456789"
_SECRET_ENV = "OUTBOX_CRASH_SECRET"


@dataclass
class Receiver:
    """Records every POST (headers, body, ``time.monotonic()`` of arrival); in ``hold`` mode
    keeps the next one unanswered until released."""

    posts: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""
    hold: bool = False
    received: threading.Event = field(default_factory=threading.Event)
    answered: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def arm(self, *, hold: bool) -> None:
        self.hold = hold
        self.received.clear()
        self.answered.clear()
        self.release.clear()


def start_receiver() -> tuple[Receiver, http.server.ThreadingHTTPServer]:
    state = Receiver()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with state.lock:
                state.posts.append(
                    {"headers": dict(self.headers), "body": body, "at": time.monotonic()}
                )
            state.received.set()
            if state.hold:
                state.release.wait(30)
            try:
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()
            except OSError:
                pass  # the sender was killed while we held its POST
            state.answered.set()

        def log_message(self, *_args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    return state, server


@dataclass
class OutboxCrashResult:
    trials: int = 0
    kills: Counter[str] = field(default_factory=Counter)
    alerts: int = 0
    """Alerts of the reference run (each trial must end with exactly these, delivered)."""
    problems: list[str] = field(default_factory=list)
    posts: int = 0
    deliveries_per_alert: Counter[int] = field(default_factory=Counter)
    """How many times each alert reached the receiver: {times: alerts}."""
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.problems and self.trials > 0

    @property
    def duplicated(self) -> int:
        return sum(n for times, n in self.deliveries_per_alert.items() if times > 1)


def _write_config(folder: Path, receiver: Receiver) -> Path:
    config = folder / "config.yaml"
    config.write_text(
        "\n".join(
            [
                "webhooks:",
                "  backoff_seconds: 0.05",
                "  timeout_seconds: 5",
                "  allow_private_networks: true",
                "watchlists:",
                "  - id: watched",
                "    name: Watched company",
                f"    ciks: ['{COMPANY}']",
                "    since: 2000-01-01",
                f"    webhook_url: {receiver.url}",
                f"    webhook_secret_env: {_SECRET_ENV}",
                "",
            ]
        )
    )
    return config


def _environment(folder: Path, es_url: str, prefix: str) -> dict[str, str]:
    return child_environment(folder, es_url, prefix) | {_SECRET_ENV: SECRET}


def child_environment(folder: Path, es_url: str, prefix: str) -> dict[str, str]:
    """The environment of a ``corresp`` child run from ``folder`` (its ``config.yaml`` and
    ``data/``) on the ``prefix`` indices: this process's, without its ``CORRESP`` settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CORRESP")}
    return env | {
        "CORRESP_CONFIG": str(folder / "config.yaml"),
        "CORRESP__STORAGE__DATA_DIR": str(folder / "data"),
        "CORRESP__ELASTICSEARCH__URL": es_url,
        "CORRESP__ELASTICSEARCH__INDEX_PREFIX": prefix,
    }


def _corresp(*args: str) -> list[str]:
    return [sys.executable, "-m", "indexer", *args]


def _import_args(samples_dir: Path) -> list[str]:
    trees = ("documents", "filing-index")
    return _corresp("import", *(str(samples_dir / tree / COMPANY) for tree in trees), "--json")


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[2:4])} failed: {done.stderr[-2000:]}")


def _kill_at(
    process: subprocess.Popen[bytes], phase: str, receiver: Receiver, rng: random.Random
) -> bool:
    """SIGKILL ``process`` at ``phase``; whether that moment came before the process ended."""
    if phase == "ingest":
        hit = not _wait_exit(process, rng.uniform(0.8, 2.5)) and not receiver.received.is_set()
    elif phase == "post":
        hit = _wait_event(process, receiver.received)
    elif phase == "answer":
        hit = _wait_event(process, receiver.answered)
    else:
        hit = not _wait_exit(process, rng.uniform(0.5, 6.0))
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.wait(30)
    receiver.release.set()
    return hit


def _wait_exit(process: subprocess.Popen[bytes], seconds: float) -> bool:
    try:
        process.wait(seconds)
        return True
    except subprocess.TimeoutExpired:
        return False


def _wait_event(process: subprocess.Popen[bytes], event: threading.Event) -> bool:
    while process.poll() is None:
        if event.wait(0.01):
            return True
    return event.is_set()


def _alerts(es: Elasticsearch, prefix: str) -> dict[str, dict[str, Any]]:
    index = f"{prefix}alerts"
    if not es.indices.exists(index=index):
        return {}
    es.indices.refresh(index=index)
    hits = es.search(index=index, size=10_000, query={"match_all": {}})["hits"]["hits"]
    return {hit["_id"]: hit["_source"] for hit in hits}


def _drain(env: dict[str, str], es: Elasticsearch, prefix: str) -> None:
    """``corresp alerts send`` until no delivery waits (retries come due after 0.05 s…)."""
    for _ in range(30):
        waiting = [
            a
            for a in _alerts(es, prefix).values()
            if (a.get("delivery") or {}).get("status") in ("pending", "retrying")
        ]
        if not waiting:
            return
        _run(_corresp("alerts", "send"), env)
        time.sleep(0.1)


def _check(
    result: OutboxCrashResult,
    trial: str,
    alerts: dict[str, dict[str, Any]],
    expected: set[str],
    receiver: Receiver,
) -> None:
    if set(alerts) != expected:
        missing, extra = expected - set(alerts), set(alerts) - expected
        result.problems.append(f"{trial}: alerts missing {sorted(missing)[:3]}, extra {extra}")
    undelivered = [i for i, a in alerts.items() if a["delivery"]["status"] != "delivered"]
    if undelivered:
        result.problems.append(f"{trial}: {len(undelivered)} alert(s) not delivered")
    seen: dict[str, set[str]] = defaultdict(set)
    times: Counter[str] = Counter()
    for post in receiver.posts:
        headers = post["headers"]
        if not verify_signature(SECRET, post["body"], headers.get("X-Corresp-Signature")):
            result.problems.append(f"{trial}: a POST with a bad signature")
        payload = json.loads(post["body"])
        if payload["delivery_id"] != headers.get("X-Corresp-Delivery"):
            result.problems.append(f"{trial}: body and header name different deliveries")
        for alert in payload["alerts"]:
            seen[alert["alert_id"]].add(payload["delivery_id"])
            times[alert["alert_id"]] += 1
    for alert_id in expected:
        if alert_id not in seen:
            result.problems.append(f"{trial}: {alert_id} never reached the receiver")
        elif len(seen[alert_id]) > 1:
            result.problems.append(f"{trial}: {alert_id} arrived under several delivery ids")
    result.deliveries_per_alert.update(times[alert_id] for alert_id in expected)
    result.posts += len(receiver.posts)


def run_outbox_trials(
    *, es: Elasticsearch, es_url: str, samples_dir: Path, work: Path, kills: int, seed: int = 7
) -> OutboxCrashResult:
    """A reference run, then ``kills`` killed runs (phases in turn), each recovered and checked."""
    started = time.monotonic()
    rng = random.Random(seed)
    result = OutboxCrashResult()
    receiver, server = start_receiver()
    prefixes: list[str] = []
    try:
        reference = work / "reference"
        reference.mkdir()
        _write_config(reference, receiver)
        prefix = f"outbox-ref-{os.getpid()}-"
        prefixes.append(prefix)
        env = _environment(reference, es_url, prefix)
        _run(_import_args(samples_dir), env)
        _drain(env, es, prefix)
        expected = set(_alerts(es, prefix))
        result.alerts = len(expected)
        if not expected:
            result.problems.append("the reference run made no alert")
            return result
        for number in range(kills):
            phase = PHASES[number % len(PHASES)]
            folder = work / f"trial-{number:02d}-{phase}"
            folder.mkdir()
            receiver.posts.clear()
            receiver.arm(hold=phase == "post")
            _write_config(folder, receiver)
            prefix = f"outbox-{number:02d}-{os.getpid()}-"
            prefixes.append(prefix)
            env = _environment(folder, es_url, prefix)
            quiet = subprocess.DEVNULL
            process = subprocess.Popen(
                _import_args(samples_dir), env=env, stdout=quiet, stderr=quiet
            )
            hit = _kill_at(process, phase, receiver, rng)
            result.kills[phase if hit else f"missed:{phase}"] += 1
            receiver.arm(hold=False)
            _run(_import_args(samples_dir), env)  # the user runs it again
            _drain(env, es, prefix)
            _check(result, folder.name, _alerts(es, prefix), expected, receiver)
            result.trials += 1
    finally:
        receiver.release.set()
        server.shutdown()
        server.server_close()
        for prefix in prefixes:
            remove_prefix(es, prefix)
        result.seconds = round(time.monotonic() - started, 1)
    return result
