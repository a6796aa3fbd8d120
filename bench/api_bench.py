"""Search latency at the HTTP API on the scale corpus, at concurrency 1 and 8.

Starts `corresp serve` on the indices of `bench/scale_corpus.py` (prefix ``scale-``), then
sends a fixed mix of requests (phrase search, boolean query with filters, facets with
highlights, thread lookups, comment search, deep cursor pages) for a fixed number of rounds
at each concurrency, and prints p50/p95/p99 latency and queries per second (targets:
p95 <= 50 ms at concurrency 1, <= 150 ms at 8), then the same per request kind with the
time spent in Elasticsearch (from each answer's ``Server-Timing``) beside it. It also walks
the cursor of a broad query past 10,000 hits and checks that no hit comes twice.

    .venv/bin/python -m bench.api_bench [--prefix scale-] [--requests 400]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import httpx

from bench import machine
from bench.api_server import api_process
from bench.cpu_meter import CpuMeter
from bench.query_mix import MixRequest, search_mix

TARGET_P95_MS = {1: 50.0, 8: 150.0}


_ES_MS = re.compile(r"es;dur=([\d.]+)")


def measure(
    base: str, mix: list[MixRequest], *, concurrency: int, requests: int
) -> tuple[list[float], float, int, dict[str, list[tuple[float, float]]]]:
    """Latencies (ms), queries/s, server errors, and per kind ``(latency, time in
    Elasticsearch)`` pairs read from each answer's ``Server-Timing``."""
    latencies: list[float] = []
    by_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
    errors = 0
    with httpx.Client(base_url=base, timeout=30) as client:

        def one(index: int) -> tuple[str, float, float, int]:
            item = mix[index % len(mix)]
            started = time.perf_counter()
            answer = client.get(item.path, params=item.params)
            latency = (time.perf_counter() - started) * 1000
            timing = _ES_MS.search(answer.headers.get("server-timing", ""))
            return item.kind, latency, float(timing.group(1)) if timing else 0.0, answer.status_code

        for index in range(len(mix)):  # warm-up
            one(index)
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            for kind, latency, es_ms, status in pool.map(one, range(requests)):
                latencies.append(latency)
                by_kind[kind].append((latency, es_ms))
                errors += status >= 500
        elapsed = time.perf_counter() - started
    return latencies, requests / elapsed, errors, by_kind


def measure_levels(
    base: str, mix: list[MixRequest], meter: CpuMeter, *, requests: int
) -> dict[int, tuple[float, int]]:
    """Run the mix at each concurrency of ``TARGET_P95_MS`` and print its latencies against
    the target, who used the CPU and the per-kind split; ``{concurrency: (p95, errors)}``."""
    levels: dict[int, tuple[float, int]] = {}
    for concurrency, target in TARGET_P95_MS.items():
        before = meter.read()
        latencies, qps, errors, by_kind = measure(
            base, mix, concurrency=concurrency, requests=requests
        )
        cpu = meter.split(before, meter.read(), requests=requests)
        q = statistics.quantiles(latencies, n=100)
        p50, p95, p99 = q[49], q[94], q[98]
        print(
            f"  concurrency {concurrency}: p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  "
            f"p99 {p99:6.1f} ms  {qps:6.1f} queries/s  {errors} errors   "
            f"(p95 target {target:.0f} ms: {p95 / target:.2f}x)"
        )
        print(f"    {cpu.describe()}")
        print_kinds(by_kind)
        levels[concurrency] = (p95, errors)
    return levels


def print_kinds(by_kind: dict[str, list[tuple[float, float]]]) -> None:
    """Per request kind: p50 and p95 latency, and the median time spent in Elasticsearch."""
    for kind, pairs in sorted(
        by_kind.items(), key=lambda item: -percentile([p[0] for p in item[1]], 95)
    ):
        latencies = [latency for latency, _ in pairs]
        es_ms = percentile([es for _, es in pairs], 50)
        print(
            f"    {kind:<12} n={len(pairs):<4} p50 {percentile(latencies, 50):6.1f} ms  "
            f"p95 {percentile(latencies, 95):6.1f} ms  in Elasticsearch p50 {es_ms:6.1f} ms"
        )


def percentile(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * percent / 100), len(ordered) - 1)] if ordered else 0.0


def _walk_past_10000(client: httpx.Client) -> tuple[int, int]:
    seen: set[str] = set()
    duplicates = 0
    params = {"q": "we", "size": "100"}
    cursor = None
    while len(seen) < 10_500:
        page = client.get("/search", params=params | ({"cursor": cursor} if cursor else {})).json()
        for hit in page["hits"]:
            duplicates += hit["accession"] in seen
            seen.add(hit["accession"])
        cursor = page.get("next_cursor")
        if not cursor:
            break
    return len(seen), duplicates


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", default="scale-")
    parser.add_argument("--requests", type=int, default=2000, help="per concurrency level")
    parser.add_argument(
        "--url", default=os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:9250")
    )
    args = parser.parse_args()
    print(f"machine: {machine.describe()}")
    with api_process(args.prefix, url=args.url) as (base, server):
        meter = CpuMeter(args.url, server.pid)
        with httpx.Client(base_url=base, timeout=30) as client:
            total = client.get("/search").json()["total"]
            mix = search_mix(client, random.Random(3))
            walked, duplicates = _walk_past_10000(client)
        print(
            f"API benchmark on {total:,} letters (prefix {args.prefix!r}), {len(mix)} request "
            f"kinds, {args.requests} requests per run"
        )
        levels = measure_levels(base, mix, meter, requests=args.requests)
        ok = all(
            p95 <= TARGET_P95_MS[concurrency] and errors == 0
            for concurrency, (p95, errors) in levels.items()
        )
        print(
            f"  cursor walk: {walked:,} distinct hits, {duplicates} duplicates "
            f"(past 10,000: {'yes' if walked > 10_000 else 'no'})"
        )
        ok &= walked > 10_000 and duplicates == 0
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
