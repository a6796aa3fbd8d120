"""Sustained load on the HTTP API: a closed loop of concurrent clients for a fixed time.

Starts `corresp serve` on the indices of `bench/scale_corpus.py` (prefix ``scale-``, 300,000
letters) and runs ``--concurrency`` asyncio workers sharing one ``httpx.AsyncClient``; each
sends the next request of a weighted, realistic mix (phrase and boolean searches with
filters, facet statistics, comment search, thread lists and lookups, letter and company
pages, deep cursor pages, web HTML pages) as soon as its previous answer arrived, until
``--seconds`` have passed. Every answer is recorded: an error is a non-2xx status, a
transport error or a timeout, and the case passes only with zero errors. Printed: requests,
throughput, p50/p95/p99/max latency, errors by reason, and p95 per request kind.

A second case runs alongside: ``--idle-probes`` clients that each keep one connection and
reuse it after 4.8-5.2 s idle, as browsers and proxies do; none of those requests may fail
(with uvicorn's default 5 s keep-alive, several in a hundred did).

The generator shares the machine with Elasticsearch and the server, so the figures are those
of the whole stack on this host, not of the API alone. On the 2-core development machine
Elasticsearch is the limit (about 17 ms of its CPU per request against 3.6 ms in the API
server), so a second server worker (``--workers 2``) changed nothing measurable there; it
helps where the cluster runs elsewhere and one server process reaches a core.

When the prefix has no corpus yet (a fresh clone, ``make reliability``), one of ``--letters``
letters is built first with ``bench/scale_corpus.py`` on the same node and kept for later runs.

    .venv/bin/python -m bench.load_bench [--prefix scale-] [--seconds 60] [--concurrency 32]
        [--workers 1] [--idle-probes 16] [--letters 300000] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from elasticsearch import Elasticsearch
from elasticsearch.serializer import OrjsonSerializer

from bench.api_server import running_api
from bench.cases import Case, print_cases
from bench.query_mix import MixRequest, deep_cursor, sample_ids, search_mix
from bench.scale_corpus import build_corpus

REQUEST_TIMEOUT_SECONDS = 30.0
IDLE_SECONDS = (4.8, 5.2)
IDLE_PROBE = MixRequest("idle_reuse", "/openapi.json")
SAMPLE_QUERIES = ['"we note your response"', "revenue recognition", "goodwill impairment"]
# How often each kind of request is sent, relative to the others: mostly searches.
WEIGHTS = {
    "phrase": 4,
    "boolean": 3,
    "sorted": 2,
    "filtered": 2,
    "file_number": 1,
    "facets": 1,
    "comments": 3,
    "thread_list": 1,
    "thread": 3,
    "letter": 3,
    "company": 1,
    "deep_cursor": 1,
    "web": 2,
}


@dataclass(frozen=True)
class Outcome:
    """One answered (or failed) request."""

    kind: str
    latency_ms: float
    error: str | None
    """``None`` for a 2xx answer, else why it failed ("HTTP 503: …", "ReadTimeout")."""


def build_load_mix(client: httpx.Client, rng: random.Random) -> dict[str, list[MixRequest]]:
    """The requests of each kind, with real ids, CIKs and cursors from the served index."""
    mix: dict[str, list[MixRequest]] = defaultdict(list)
    for request in search_mix(client, rng):
        mix[request.kind].append(request)
    samples = sample_ids(client, SAMPLE_QUERIES)
    mix["phrase"] += [
        MixRequest("phrase", "/search", {"q": q})
        for q in ('"material weakness"', '"we note your response"', '"going concern"')
    ]
    mix["boolean"].append(
        MixRequest(
            "boolean",
            "/search",
            {"q": "goodwill AND (impairment OR allocation)", "letter_type": "response"},
        )
    )
    mix["facets"] += [
        MixRequest("facets", "/stats", {}),
        MixRequest("facets", "/stats", {"form": "UPLOAD", "date_from": "2015-01-01"}),
        MixRequest("facets", "/stats", {"q": "cybersecurity"}),
    ]
    mix["thread"] += [MixRequest("thread", f"/threads/{t}") for t in samples.thread_ids]
    mix["letter"] += [MixRequest("letter", f"/letters/{a}") for a in samples.accessions]
    mix["company"] += [MixRequest("company", f"/companies/{cik}") for cik in samples.ciks]
    for params in ({"q": "disclosure", "size": "50"}, {"sort": "date", "size": "100"}):
        if cursor := deep_cursor(client, params, pages=10):
            mix["deep_cursor"].append(
                MixRequest("deep_cursor", "/search", params | {"cursor": cursor})
            )
    mix["web"] += [
        MixRequest("web", "/", {"q": "revenue recognition", "form": "UPLOAD"}),
        MixRequest("web", "/", {"q": "impairment", "mode": "comments"}),
        *(MixRequest("web", f"/letter/{a}") for a in samples.accessions[:10]),
        *(MixRequest("web", f"/thread/{t}") for t in samples.thread_ids[:10]),
        *(MixRequest("web", f"/company/{cik}") for cik in samples.ciks[:10]),
    ]
    missing = [kind for kind in WEIGHTS if not mix.get(kind)]
    if missing:
        raise RuntimeError(f"the index gave no request of kind(s) {', '.join(missing)}")
    return dict(mix)


async def run_load(
    base: str,
    mix: dict[str, list[MixRequest]],
    *,
    seconds: float,
    concurrency: int,
    seed: int = 7,
) -> tuple[list[Outcome], float]:
    """Closed-loop load for ``seconds``; the outcomes and the time until the last answer."""
    kinds = list(WEIGHTS)
    weights = [WEIGHTS[kind] for kind in kinds]
    outcomes: list[Outcome] = []
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=base, timeout=REQUEST_TIMEOUT_SECONDS, limits=limits
    ) as client:

        async def worker(number: int) -> None:
            rng = random.Random(seed * 1000 + number)
            while time.perf_counter() < deadline:
                request = rng.choice(mix[rng.choices(kinds, weights)[0]])
                started = time.perf_counter()
                error = await _send(client, request)
                latency = (time.perf_counter() - started) * 1000
                outcomes.append(Outcome(request.kind, latency, error))

        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(*(worker(number) for number in range(concurrency)))
        elapsed = time.perf_counter() - started
    return outcomes, elapsed


async def run_idle_probes(base: str, *, seconds: float, probes: int) -> list[Outcome]:
    """Clients that reuse their one connection after 4.8-5.2 s idle, while the load runs.

    Browsers, proxies and pooled clients keep connections open between requests; if the
    server closes idle connections after about as long as a client keeps them, a request
    sent on a connection the server is closing is lost (uvicorn's default is 5 s).
    """
    outcomes: list[Outcome] = []
    deadline = time.perf_counter() + seconds
    # The clients' own idle expiry is long, so only the server decides when to close.
    limits = httpx.Limits(max_connections=1, keepalive_expiry=120)

    async def probe(number: int) -> None:
        rng = random.Random(number)
        async with httpx.AsyncClient(
            base_url=base, timeout=REQUEST_TIMEOUT_SECONDS, limits=limits
        ) as client:
            await _send(client, IDLE_PROBE)
            while True:
                idle = rng.uniform(*IDLE_SECONDS)
                if time.perf_counter() + idle > deadline:
                    return
                await asyncio.sleep(idle)
                started = time.perf_counter()
                error = await _send(client, IDLE_PROBE)
                outcomes.append(
                    Outcome("idle_reuse", (time.perf_counter() - started) * 1000, error)
                )

    await asyncio.gather(*(probe(number) for number in range(probes)))
    return outcomes


async def _send(client: httpx.AsyncClient, request: MixRequest) -> str | None:
    try:
        response = await client.get(request.path, params=request.params)
    except httpx.TimeoutException as exc:
        return f"timeout ({type(exc).__name__})"
    except httpx.TransportError as exc:
        return f"transport error ({type(exc).__name__}{f': {exc}' if str(exc) else ''})"
    if 200 <= response.status_code < 300:
        return None
    return f"HTTP {response.status_code}: {response.text[:160]}"


def _percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return 0.0
    rank = max(1, round(fraction * len(sorted_values) + 0.5))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def summarize(
    outcomes: list[Outcome],
    elapsed: float,
    *,
    seconds: float,
    concurrency: int,
    workers: int,
    extra: Mapping[str, Any],
) -> Case:
    """The load case: throughput, latency percentiles, errors (zero to pass), p95 per kind."""
    latencies = sorted(outcome.latency_ms for outcome in outcomes)
    errors = Counter(f"{o.kind}: {o.error}" for o in outcomes if o.error is not None)
    error_count = sum(errors.values())
    by_kind: dict[str, list[float]] = defaultdict(list)
    for outcome in outcomes:
        by_kind[outcome.kind].append(outcome.latency_ms)
    p50, p95, p99 = (_percentile(latencies, f) for f in (0.50, 0.95, 0.99))
    throughput = len(outcomes) / elapsed if elapsed else 0.0
    usage = resource.getrusage(resource.RUSAGE_SELF)
    data = {
        "seconds": seconds,
        "duration_seconds": round(elapsed, 2),
        "concurrency": concurrency,
        "server_workers": workers,
        "requests": len(outcomes),
        "throughput_rps": round(throughput, 1),
        "p50_ms": round(p50, 1),
        "p95_ms": round(p95, 1),
        "p99_ms": round(p99, 1),
        "max_ms": round(latencies[-1] if latencies else 0.0, 1),
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else 0.0,
        "errors": error_count,
        "errors_by_reason": dict(errors.most_common(10)),
        "requests_by_kind": {kind: len(values) for kind, values in sorted(by_kind.items())},
        "p95_ms_by_kind": {
            kind: round(_percentile(sorted(values), 0.95), 1)
            for kind, values in sorted(by_kind.items())
        },
        "generator_cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        **extra,
    }
    figures = (
        f"{elapsed:.1f} s, {len(outcomes):,} requests, {throughput:.1f} req/s, "
        f"p50 {p50:.0f} / p95 {p95:.0f} / p99 {p99:.0f} / max {data['max_ms']:.0f} ms, "
        f"{error_count} errors"
    )
    name = f"{seconds:g} s at concurrency {concurrency}, {workers} server worker(s)"
    passed = error_count == 0 and bool(outcomes)
    return Case("load", name, passed, figures, data)


def summarize_idle(outcomes: list[Outcome], *, probes: int) -> Case:
    """The connection-reuse case: every request on a connection idle ~5 s must succeed."""
    errors = Counter(outcome.error for outcome in outcomes if outcome.error is not None)
    low, high = IDLE_SECONDS
    return Case(
        "load",
        f"reuse after {low:g}-{high:g} s idle, {probes} clients",
        not errors and bool(outcomes),
        f"{len(outcomes)} requests on idle connections, {sum(errors.values())} errors",
        {
            "requests": len(outcomes),
            "errors": sum(errors.values()),
            "errors_by_reason": dict(errors),
        },
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", default="scale-", help="Index prefix of the corpus.")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument(
        "--workers", type=int, default=1, help="Server processes (corresp serve --workers)."
    )
    parser.add_argument(
        "--idle-probes", type=int, default=16, help="Clients reusing ~5 s idle connections."
    )
    parser.add_argument(
        "--letters", type=int, default=300_000, help="Corpus size built when there is none."
    )
    parser.add_argument("--json", action="store_true", help="Print the cases as JSON.")
    args = parser.parse_args()
    _ensure_corpus(args.prefix, args.letters)
    with tempfile.TemporaryDirectory(prefix="corresp-load-") as tmp:
        log_path = Path(tmp) / "serve.log"
        with running_api(args.prefix, workers=args.workers, log_path=log_path) as base:
            with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT_SECONDS) as client:
                letters = client.get("/search").json()["total"]
                mix = build_load_mix(client, random.Random(3))
            (outcomes, elapsed), idle = asyncio.run(_run(base, mix, args))
        log = log_path.read_text(encoding="utf-8", errors="replace")
    case = summarize(
        outcomes,
        elapsed,
        seconds=args.seconds,
        concurrency=args.concurrency,
        workers=args.workers,
        extra={"corpus_letters": letters, "server_log_tracebacks": log.count("Traceback")},
    )
    cases = [case, summarize_idle(idle, probes=args.idle_probes)] if args.idle_probes else [case]
    return print_cases(cases, as_json=args.json)


def _ensure_corpus(prefix: str, letters: int) -> None:
    """Build a scale corpus under ``prefix`` unless its letters alias exists already."""
    url = os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:9250")
    es = Elasticsearch(url, request_timeout=900, serializer=OrjsonSerializer())
    try:
        if es.indices.exists_alias(name=f"{prefix}letters"):
            return
        print(f"no corpus under {prefix!r}: building {letters:,} letters", file=sys.stderr)
        build_corpus(es, prefix, letters, report=lambda line: print(line, file=sys.stderr))
    finally:
        es.close()


async def _run(
    base: str, mix: dict[str, list[MixRequest]], args: argparse.Namespace
) -> tuple[tuple[list[Outcome], float], list[Outcome]]:
    return await asyncio.gather(
        run_load(base, mix, seconds=args.seconds, concurrency=args.concurrency),
        run_idle_probes(base, seconds=args.seconds, probes=args.idle_probes),
    )


if __name__ == "__main__":
    raise SystemExit(main())
