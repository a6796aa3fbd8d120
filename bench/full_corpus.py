"""The whole of EDGAR's correspondence on one node: every figure a deployment is sized by.

Builds a 500,000-letter corpus (``bench/scale_corpus.py``: recombined real letters, EDGAR's
company sizes, 2004-2025) on the configured node and measures, in one run of well under an
hour on 2 cores:

- indexing throughput (target 2,000 letters/s) and where its time goes;
- index size on disk per 100,000 letters, and the node's heap at every 100,000 letters;
- rethreading the largest company (its letters written again and its threads rebuilt, as
  when a new letter of it arrives);
- search latency through the API at concurrency 1 and 8 (targets p95 50 and 150 ms), per
  request kind with the time spent in Elasticsearch, and the API process's peak memory;
- a full ``corresp reindex`` of the corpus, from the measured normalizing speed (letters per
  second per core on the real samples) and the measured load;
- when one node stops being enough: the heap trend and the shard-size guidance (10-50 GB).

    .venv/bin/python -m bench.full_corpus [--letters 500000] [--prefix full-] [--keep]
"""

from __future__ import annotations

import argparse
import os
import random
import time
from pathlib import Path

import httpx
from elasticsearch import Elasticsearch
from elasticsearch.serializer import OrjsonSerializer

from bench import machine
from bench.api_bench import measure_levels
from bench.api_server import api_process
from bench.cpu_meter import CpuMeter
from bench.query_mix import search_mix
from bench.scale_corpus import (
    CorpusFigures,
    add_warm_up_option,
    build_corpus,
    print_figures,
    warm_up,
)
from crawler.extract.letters import letter_from_folder
from indexer.documents import letter_from_document
from indexer.ingest import Ingester
from indexer.lifecycle import index_names
from indexer.normalize.pipeline import normalize_letter
from tests.conftest import remove_prefix
from tests.fake_edgar import locate_samples

MAX_MINUTES = 60
SHARD_TARGET_GB = (10, 50)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=500_000)
    parser.add_argument("--prefix", default="full-")
    parser.add_argument("--requests", type=int, default=2000, help="per concurrency level")
    parser.add_argument("--keep", action="store_true", help="keep the indices afterwards")
    add_warm_up_option(parser)
    parser.add_argument(
        "--url", default=os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:9250")
    )
    args = parser.parse_args()
    print(f"machine: {machine.describe()}")
    started = time.monotonic()
    es = Elasticsearch(args.url, request_timeout=900, serializer=OrjsonSerializer())
    try:
        warm_up(es, args.prefix, args.warm_up)
        print(f"building {args.letters:,} letters under {args.prefix!r} at {args.url}")
        corpus = build_corpus(es, args.prefix, args.letters)
        print_figures(corpus)
        _print_heap(es, corpus)
        rethread = _rethread_largest(es, args.prefix)
        ok = _print_search(args.prefix, args.requests, args.url)
        _print_reindex_estimate(corpus)
        _print_cluster_advice(corpus)
    finally:
        if not args.keep:
            remove_prefix(es, args.prefix)
        es.close()
    minutes = (time.monotonic() - started) / 60
    print(
        f"whole run: {minutes:.1f} min ({minutes / MAX_MINUTES:.2f}x the {MAX_MINUTES} min limit)"
    )
    return 0 if ok and rethread > 0 and minutes <= MAX_MINUTES else 1


def _print_heap(es: Elasticsearch, corpus: CorpusFigures) -> None:
    nodes = es.nodes.stats(metric="jvm")["nodes"]
    heap_max = max(int(n["jvm"]["mem"]["heap_max_in_bytes"]) for n in nodes.values()) / 1e6
    print(f"  node heap (max {heap_max:,.0f} MB) by corpus size:")
    for point in corpus.checkpoints:
        print(
            f"    {point['letters']:>9,.0f} letters: old generation {point['old_gen_mb']:6.0f} MB "
            f"(heap in use {point['heap_used_mb']:.0f} MB), {point['disk_gb']:.2f} GB on disk"
        )


def _rethread_largest(es: Elasticsearch, prefix: str) -> float:
    """Seconds to write the largest company's letters again and rebuild its threads."""
    targets = index_names(prefix).aliases
    top = es.search(
        index=targets.letters, size=0, aggs={"c": {"terms": {"field": "ciks", "size": 1}}}
    )["aggregations"]["c"]["buckets"][0]
    cik, count = str(top["key"]), int(top["doc_count"])
    hits = es.search(
        index=targets.letters, size=count, query={"term": {"ciks": cik}}, sort=["_doc"]
    )["hits"]["hits"]
    letters = [letter_from_document(hit["_source"]) for hit in hits]
    begun = time.perf_counter()
    report = Ingester(es, targets).index_letters(letters)
    seconds = time.perf_counter() - begun
    print(
        f"  rethreading the largest company ({count} letters, {report.threads} threads, "
        f"{report.comments} comments): {seconds:.1f} s"
    )
    return seconds


def _print_search(prefix: str, requests: int, es_url: str) -> bool:
    with api_process(prefix, url=es_url) as (base, server):
        meter = CpuMeter(es_url, server.pid)
        with httpx.Client(base_url=base, timeout=60) as client:
            mix = search_mix(client, random.Random(3))
        print("  search through the API:")
        levels = measure_levels(base, mix, meter, requests=requests)
        peak_mb = _peak_rss_mb(server.pid)
    print(f"  API process peak memory: {peak_mb:.0f} MB")
    return all(errors == 0 for _, errors in levels.values())


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _normalize_seconds_per_letter() -> float:
    """CPU seconds to extract and normalize one real sample letter (mean over the samples)."""
    folders = sorted(p for p in (locate_samples(None) / "documents").glob("*/*") if p.is_dir())
    begun = time.process_time()
    for folder in folders:
        normalize_letter(letter_from_folder(folder))
    return (time.process_time() - begun) / max(len(folders), 1)


def _print_reindex_estimate(corpus: CorpusFigures) -> None:
    per_letter = _normalize_seconds_per_letter()
    cores = len(os.sched_getaffinity(0))
    normalize_cpu = corpus.letters * per_letter
    # While loading, the node keeps every core busy: its CPU is cores x load time.
    load_cpu = cores * corpus.load_seconds
    minutes = (normalize_cpu + load_cpu) / cores / 60
    print(
        f"  full reindex of {corpus.letters:,} letters on {cores} cores: about {minutes:.0f} min "
        f"(normalizing {1 / per_letter:.0f} letters/s per core = {normalize_cpu / 60:.0f} CPU-min, "
        f"loading {corpus.load_seconds / 60:.1f} min with the node on every core)"
    )


def _print_cluster_advice(corpus: CorpusFigures) -> None:
    gb_per_100k = corpus.bytes_on_disk / max(corpus.letters, 1) * 100_000 / 1e9
    largest = max(corpus.bytes_by_kind.items(), key=lambda item: item[1])
    largest_per_100k = largest[1] / max(corpus.letters, 1) * 100_000 / 1e9
    low, high = SHARD_TARGET_GB
    letters_per_shard = high / largest_per_100k * 100_000
    print(
        f"  sizing: {gb_per_100k:.2f} GB per 100,000 letters in all, {largest_per_100k:.2f} GB "
        f"in the largest index ({largest[0]}); one shard per index stays under {high} GB up "
        f"to about {letters_per_shard / 1e6:.1f} million letters ({low}-{high} GB per shard "
        "is the target)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
