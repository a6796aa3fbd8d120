"""Search latency at the HTTP API on the scale corpus, at concurrency 1 and 8.

Starts `corresp serve` on the indices of `bench/scale_corpus.py` (prefix ``scale-``), then
sends a fixed mix of requests (phrase search, boolean query with filters, facets with
highlights, thread lookups, comment search, deep cursor pages) for a fixed number of rounds
at each concurrency, and prints p50/p95/p99 latency and queries per second (targets:
p95 <= 50 ms at concurrency 1, <= 150 ms at 8). It also walks the cursor of a broad query
past 10,000 hits and checks that no hit comes twice.

    .venv/bin/python -m bench.api_bench [--prefix scale-] [--requests 400]
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

TARGET_P95_MS = {1: 50.0, 8: 150.0}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _mix(client: httpx.Client, rng: random.Random) -> list[tuple[str, dict[str, str]]]:
    """The query mix, with real values (thread ids, file numbers) taken from the index."""
    sample = client.get("/search", params={"q": '"we note your response"', "size": "50"}).json()
    hits = sample["hits"]
    threads = [hit["thread_id"] for hit in hits if hit.get("thread_id")]
    numbers = [n for hit in hits for n in hit.get("file_numbers", [])]
    mix: list[tuple[str, dict[str, str]]] = [
        ("/search", {"q": '"non-GAAP financial measures"'}),
        (
            "/search",
            {
                "q": '"revenue recognition" AND (principal OR agent) -goodwill',
                "form": "UPLOAD",
                "date_from": "2012-01-01",
            },
        ),
        ("/search", {"q": "segment reporting", "sort": "date"}),
        (
            "/search",
            {
                "q": "cybersecurity incident",
                "letter_type": "comment",
                "released_from": "2010-01-01",
            },
        ),
        ("/comments/search", {"q": '"critical accounting estimates"'}),
        ("/comments/search", {"q": "impairment goodwill", "has_response": "true"}),
        ("/search", {"file_number": rng.choice(numbers)} if numbers else {"q": "liquidity"}),
        ("/threads", {"status": "closed", "min_rounds": "2"}),
    ]
    for thread_id in threads[:5]:
        mix.append((f"/threads/{thread_id}", {}))
    deep = client.get("/search", params={"q": "comment", "size": "100"}).json()
    cursor = deep.get("next_cursor")
    for _ in range(20):  # a cursor several pages deep
        if not cursor:
            break
        cursor = client.get(
            "/search", params={"q": "comment", "size": "100", "cursor": cursor}
        ).json()["next_cursor"]
    if cursor:
        mix.append(("/search", {"q": "comment", "size": "100", "cursor": cursor}))
    return mix


def _measure(
    base: str, mix: list[tuple[str, dict[str, str]]], *, concurrency: int, requests: int
) -> tuple[list[float], float, int]:
    latencies: list[float] = []
    errors = 0
    with httpx.Client(base_url=base, timeout=30) as client:

        def one(index: int) -> tuple[float, int]:
            path, params = mix[index % len(mix)]
            started = time.perf_counter()
            status = client.get(path, params=params).status_code
            return (time.perf_counter() - started) * 1000, status

        for index in range(len(mix)):  # warm-up
            one(index)
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            for latency, status in pool.map(one, range(requests)):
                latencies.append(latency)
                errors += status >= 500
        elapsed = time.perf_counter() - started
    return latencies, requests / elapsed, errors


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
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    port = _free_port()
    env = os.environ | {"CORRESP__ELASTICSEARCH__INDEX_PREFIX": args.prefix}
    env.setdefault("CORRESP__ELASTICSEARCH__URL", os.environ.get("ELASTICSEARCH_URL", ""))
    if not env["CORRESP__ELASTICSEARCH__URL"]:
        env.pop("CORRESP__ELASTICSEARCH__URL")
    server = subprocess.Popen(
        [sys.executable, "-m", "indexer", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            for _ in range(100):
                try:
                    if client.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            total = client.get("/search").json()["total"]
            mix = _mix(client, random.Random(3))
            walked, duplicates = _walk_past_10000(client)
        print(
            f"API benchmark on {total:,} letters (prefix {args.prefix!r}), {len(mix)} request "
            f"kinds, {args.requests} requests per run"
        )
        ok = True
        for concurrency in (1, 8):
            latencies, qps, errors = _measure(
                base, mix, concurrency=concurrency, requests=args.requests
            )
            q = statistics.quantiles(latencies, n=100)
            p50, p95, p99 = q[49], q[94], q[98]
            target = TARGET_P95_MS[concurrency]
            ok &= p95 <= target and errors == 0
            print(
                f"  concurrency {concurrency}: p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  "
                f"p99 {p99:6.1f} ms  {qps:6.1f} queries/s  {errors} errors   "
                f"(p95 target {target:.0f} ms: {p95 / target:.2f}x)"
            )
        print(
            f"  cursor walk: {walked:,} distinct hits, {duplicates} duplicates "
            f"(past 10,000: {'yes' if walked > 10_000 else 'no'})"
        )
        ok &= walked > 10_000 and duplicates == 0
        return 0 if ok else 1
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    raise SystemExit(main())
