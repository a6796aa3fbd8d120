"""Bad alert destinations never slow the ingest: throughput with dead receivers, measured.

Indexes every sample letter twice per round on fresh index prefixes, through the ingest a
crawl uses (``Ingester`` with the watchlists' ``AlertEngine``):

- **baseline**: no watchlist;
- **faulty**: four watchlists on every sample company, each with a destination that fails in
  its own way — a webhook on a port where nothing listens, a receiver that answers 500 to
  everything, a receiver that accepts the connection and never answers (each POST ends at
  ``webhooks.timeout_seconds``), and e-mail to an SMTP server that does not exist — while an
  outbox worker thread runs ``send_due`` every second, as ``corresp schedule`` does.

Prints letters per second of both (median of ``--rounds``), their ratio (1.0 = not slowed),
and what became of the deliveries: every one retried and then parked with its reason, none
lost, none sent by the ingest.

    .venv/bin/python -m bench.alert_faults_bench [--rounds 2] [--json]
"""

from __future__ import annotations

import argparse
import http.server
import socket
import statistics
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from elasticsearch import Elasticsearch

from bench.cases import Case, print_cases
from bench.scratch import scratch_run
from crawler.handoff import alert_engine_for, send_due
from indexer.incoming import IncomingLetter
from indexer.ingest import Ingester
from indexer.lifecycle import ensure_schema, index_names
from indexer.settings import Settings
from tests.conftest import remove_prefix
from tests.es.api.conftest import sample_letters
from tests.ports import free_port

SECRET = "alert-faults-secret-0123456789"


class _Answer500(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(500)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args: Any) -> None:
        pass


@contextmanager
def _receivers() -> Iterator[dict[str, str]]:
    """URLs of a receiver answering 500 and of one that never answers (a listening socket
    whose connections are accepted by the kernel and never read)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answer500)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)
    try:
        yield {
            "answers-500": f"http://127.0.0.1:{server.server_address[1]}/hook",
            "never-answers": f"http://127.0.0.1:{silent.getsockname()[1]}/hook",
            "nothing-listens": f"http://127.0.0.1:{free_port()}/hook",
        }
    finally:
        server.shutdown()
        server.server_close()
        silent.close()


def _settings(
    es_url: str, prefix: str, work: Path, ciks: list[str], hooks: dict[str, str]
) -> Settings:
    watchlists: list[dict[str, Any]] = [
        {
            "id": name,
            "name": name,
            "ciks": ciks,
            "since": "2000-01-01",
            "webhook_url": url,
            "webhook_secret": SECRET,
        }
        for name, url in hooks.items()
    ]
    watchlists.append(
        {
            "id": "smtp-down",
            "name": "smtp-down",
            "ciks": ciks,
            "since": "2000-01-01",
            "email": ["desk@example.org"],
            "email_digest": "immediate",
        }
    )
    return Settings.model_validate(
        {
            "elasticsearch": {"url": es_url, "index_prefix": prefix},
            "storage": {"data_dir": str(work / prefix)},
            "webhooks": {"allow_private_networks": True, "backoff_seconds": 0.5},
            "alerts": {
                "smtp": {
                    "host": "127.0.0.1",
                    "port": free_port(),
                    "security": "none",
                    "from_address": "corresp@example.org",
                    "backoff_seconds": 0.5,
                    "max_attempts": 3,
                }
            },
            "watchlists": watchlists if hooks else [],
        }
    )


def _ingest(es: Elasticsearch, settings: Settings, letters: list[IncomingLetter]) -> float:
    """Letters per second of one ingest of ``letters`` (alerts recorded, nothing sent)."""
    targets = ensure_schema(es, index_names(settings.elasticsearch.index_prefix))
    engine = alert_engine_for(es, settings)
    started = time.perf_counter()
    Ingester(es, targets, alerts=engine).ingest(letters)
    return len(letters) / (time.perf_counter() - started)


class _Worker:
    """The outbox worker: ``send_due`` every second in a thread, as the scheduler runs it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.stop = threading.Event()
        self.passes = 0
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self.stop.wait(1.0):
            send_due(self.settings)
            self.passes += 1

    def __enter__(self) -> _Worker:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self.thread.join(60)


def _outcomes(es: Elasticsearch, prefix: str) -> dict[str, Counter[str]]:
    index = f"{prefix}alerts"
    es.indices.refresh(index=index)
    hits = es.search(index=index, size=10_000, query={"match_all": {}})["hits"]["hits"]
    found: dict[str, Counter[str]] = {}
    for hit in hits:
        alert = hit["_source"]
        state = alert.get("delivery") or alert.get("email") or {}
        found.setdefault(alert["watchlist_id"], Counter())[str(state.get("status"))] += 1
    return found


def _errors(es: Elasticsearch, prefix: str) -> dict[str, str]:
    hits = es.search(
        index=f"{prefix}alerts",
        size=1000,
        query={"match_all": {}},
        collapse={"field": "watchlist_id"},
    )["hits"]["hits"]
    errors = {}
    for hit in hits:
        alert = hit["_source"]
        state = alert.get("delivery") or alert.get("email") or {}
        errors[alert["watchlist_id"]] = str(state.get("last_error"))
    return errors


def run(rounds: int) -> list[Case]:
    with scratch_run("alert-faults") as scratch, Elasticsearch(scratch.es_url) as es:
        ciks = sorted(p.name for p in (scratch.samples_dir / "documents").iterdir() if p.is_dir())
        letters = sample_letters(scratch.samples_dir, tuple(ciks))
        baseline: list[float] = []
        faulty: list[float] = []
        outcomes: dict[str, Counter[str]] = {}
        errors: dict[str, str] = {}
        passes = 0
        with _receivers() as hooks:
            for number in range(rounds):
                prefix = f"{scratch.prefix}b{number}-"
                baseline.append(
                    _ingest(
                        es, _settings(scratch.es_url, prefix, scratch.work_dir, ciks, {}), letters
                    )
                )
                remove_prefix(es, prefix)
                prefix = f"{scratch.prefix}f{number}-"
                settings = _settings(scratch.es_url, prefix, scratch.work_dir, ciks, hooks)
                with _Worker(settings) as worker:
                    faulty.append(_ingest(es, settings, letters))
                    deadline = time.monotonic() + 120
                    while time.monotonic() < deadline:
                        outcomes = _outcomes(es, prefix)
                        if (
                            all(set(c) == {"parked"} for c in outcomes.values())
                            and len(outcomes) == 4
                        ):
                            break
                        time.sleep(1)
                    passes = worker.passes
                errors = _errors(es, prefix)
                remove_prefix(es, prefix)
    base, slow = statistics.median(baseline), statistics.median(faulty)
    ratio = round(slow / base, 2)
    parked = all(set(c) == {"parked"} for c in outcomes.values()) and len(outcomes) == 4
    return [
        Case(
            area="alerts",
            name=f"ingest of {len(letters)} letters with four dead destinations",
            passed=ratio >= 0.8,
            figures=(
                f"{slow:.1f} letters/s against {base:.1f} with no watchlist: {ratio} of the "
                f"baseline (median of {rounds}); the outbox worker ran {passes} passes meanwhile"
            ),
            data={"baseline": baseline, "faulty": faulty, "ratio": ratio},
        ),
        Case(
            area="alerts",
            name="every delivery to a dead destination retried, then parked with its reason",
            passed=parked,
            figures="; ".join(
                f"{name}: {dict(counts)} ({errors.get(name, '')[:90]})"
                for name, counts in sorted(outcomes.items())
            ),
            data={"outcomes": {k: dict(v) for k, v in outcomes.items()}, "errors": errors},
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="Print the cases as JSON.")
    args = parser.parse_args()
    return print_cases(run(args.rounds), as_json=args.json)


if __name__ == "__main__":
    raise SystemExit(main())
