"""A scale corpus recombined from the real sample letters, indexed at full speed.

Every sample letter is normalized once; its review thread gives a template (the sequence of
staff letters, responses and closing letters with their day offsets). The corpus repeats
those templates for generated companies (new CIKs, names, file numbers, dates from 2005 to
2025), filling each position with a real letter of the same role: real text, real numbered
comments and answers, realistic lengths. Companies follow EDGAR's shape: most have 1-15
letters, one in fifty is a large filer with about 150-300; dates run from 2004 to 2025.
Documents are built with the project's own document functions, serialized into NDJSON
bodies and posted by parallel senders while refresh is off and the translog asynchronous
(as ``corresp reindex`` loads new indices). The measured load follows a warm-up of
``WARM_UP_LETTERS`` letters, loaded and removed, so the figure is the node's steady rate
rather than its first minute after a start (``--warm-up 0`` measures a cold node).

    .venv/bin/python -m bench.scale_corpus --letters 300000 [--prefix scale-] [--warm-up N]

prints letters/s (target: at least 2,000), where the time goes (threading, document
building, serializing, bulk requests, refresh), the segments and the index size on disk.
"""

from __future__ import annotations

import argparse
import os
import queue
import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

import orjson
from elasticsearch import Elasticsearch
from elasticsearch.serializer import OrjsonSerializer

from bench import machine
from crawler.extract.letters import letter_from_folder
from indexer.documents import comment_documents, letter_document, thread_document
from indexer.lifecycle import LOADING_SETTINGS, SERVING_SETTINGS, ensure_schema, index_names
from indexer.names import Targets
from indexer.normalize.letter import CitedDate, Letter, ReviewedFiling
from indexer.normalize.pipeline import normalize_letter
from indexer.normalize.threads import Thread, build_threads
from tests.conftest import remove_prefix
from tests.fake_edgar import locate_samples

TARGET_LETTERS_PER_SECOND = 2000


def sample_threads() -> tuple[list[Thread], dict[str, Letter]]:
    folders = sorted(p for p in (locate_samples(None) / "documents").glob("*/*") if p.is_dir())
    letters = [normalize_letter(letter_from_folder(folder)) for folder in folders]
    letters = [letter for letter in letters if letter.form in ("UPLOAD", "CORRESP")]
    return build_threads(letters), {letter.accession: letter for letter in letters}


def company_sizes(rng: random.Random) -> int:
    """Reviews of one generated company: most have 1-3 (1-15 letters), some up to 8, and one
    in fifty is a large filer reviewed 40-80 times (about 150-300 letters), as on EDGAR."""
    draw = rng.random()
    if draw < 0.85:
        return rng.randint(1, 3)
    if draw < 0.98:
        return rng.randint(4, 8)
    return rng.randint(40, 80)


def generate(
    total: int,
    templates: list[Thread],
    originals: dict[str, Letter],
    *,
    seed: int = 7,
    clock: PhaseClock | None = None,
) -> Iterator[tuple[Thread, dict[str, Letter]]]:
    """Threads of recombined letters until ``total`` letters exist (time spent recasting and
    threading goes to ``clock``'s "threading" phase)."""
    rng = random.Random(seed)
    clock = clock or PhaseClock()
    by_role: dict[str, list[Letter]] = defaultdict(list)
    for thread in templates:
        for member in thread.letters:
            by_role[member.role].append(originals[member.accession])
    produced = 0
    company = 0
    while produced < total:
        company += 1
        cik = f"{9_000_000_000 + company:010d}"
        name = f"{rng.choice(_NAMES)} {rng.choice(_SUFFIXES)} {company}"
        number = f"001-{rng.randint(10000, 99999)}"
        for review in range(company_sizes(rng)):
            started = time.perf_counter()
            template = rng.choice(templates)
            start = date(2004, 1, 5) + timedelta(days=rng.randint(0, 7900))
            first = template.letters[0].date or start
            letters: dict[str, Letter] = {}
            previous: list[Letter] = []
            for position, member in enumerate(template.letters):
                source = rng.choice(by_role[member.role])
                offset = ((member.date or first) - first).days
                when = start + timedelta(days=offset)
                accession = _accession(source.sender, cik, company, review, position)
                letter = _recast(
                    source,
                    accession=accession,
                    cik=cik,
                    company=name,
                    number=number,
                    when=when,
                    previous=previous,
                )
                letters[accession] = letter
                previous.append(letter)
            threads = build_threads(letters.values())
            clock.add("threading", time.perf_counter() - started)
            for thread in threads:
                yield thread, letters
            produced += len(letters)
            if produced >= total:
                return


def _accession(sender: str, cik: str, company: int, review: int, position: int) -> str:
    prefix = "0000000000" if sender == "sec" else cik
    serial = (company * 2000 + review * 24 + position) % 1_000_000
    year = (company * 2000 // 1_000_000) % 100
    return f"{prefix}-{year:02d}-{serial:06d}"


def _recast(
    source: Letter,
    *,
    accession: str,
    cik: str,
    company: str,
    number: str,
    when: date,
    previous: list[Letter],
) -> Letter:
    """The source letter's text and comments under a new company, date and accession."""
    cited = tuple(
        CitedDate(p.letter_date or when, "response" if p.sender == "company" else "staff_letter")
        for p in previous[-1:]
    )
    reviewed = tuple(
        ReviewedFiling(f.form, f.period_end, f.filed_on) for f in source.reviewed_filings
    )
    return replace(
        source,
        accession=accession,
        ciks=(cik,),
        company=company,
        file_numbers=(number,),
        letter_date=when,
        filing_date=when,
        released_on=when + timedelta(days=45),
        reviewed_filings=reviewed,
        cited_dates=cited,
        cik_reference=None,
        extra={"sic": source.extra.get("sic") or "7372", "state_of_incorporation": "DE"},
    )


def actions(
    total: int,
    targets: Targets,
    samples: tuple[list[Thread], dict[str, Letter]],
    clock: PhaseClock | None = None,
) -> Iterator[dict[str, Any]]:
    """Bulk actions of the corpus (time spent building documents goes to "documents")."""
    clock = clock or PhaseClock()
    for thread, letters in generate(total, *samples, clock=clock):
        started = time.perf_counter()
        batch: list[dict[str, Any]] = []
        for member in thread.letters:
            letter = letters[member.accession]
            batch.append(
                {
                    "_index": targets.letters,
                    "_id": letter.accession,
                    "_source": letter_document(letter, thread_id=thread.thread_id),
                }
            )
        for document in comment_documents(thread, letters):
            batch.append(
                {"_index": targets.comments, "_id": document["comment_id"], "_source": document}
            )
        batch.append(
            {
                "_index": targets.threads,
                "_id": thread.thread_id,
                "_source": thread_document(thread, letters),
            }
        )
        clock.add("documents", time.perf_counter() - started)
        yield from batch


class PhaseClock:
    """Seconds spent per phase, added from several threads."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._lock = threading.Lock()

    def add(self, phase: str, seconds: float) -> None:
        with self._lock:
            self.seconds[phase] += seconds


@dataclass
class CorpusFigures:
    letters: int = 0
    documents: int = 0
    companies_largest: int = 0
    load_seconds: float = 0.0
    refresh_seconds: float = 0.0
    merge_seconds: float = 0.0
    segments: dict[str, int] = field(default_factory=dict)
    """Segments per index kind once loaded (one each after a force merge)."""
    bytes_on_disk: int = 0
    bytes_by_kind: dict[str, int] = field(default_factory=dict)
    phases: dict[str, float] = field(default_factory=dict)
    checkpoints: list[dict[str, float]] = field(default_factory=list)
    """Heap and disk at every 100,000 letters: letters, heap_used_mb, old_gen_mb (what
    survives collections), disk_gb."""

    @property
    def rate(self) -> float:
        return self.letters / self.load_seconds if self.load_seconds else 0.0


def build_corpus(
    es: Elasticsearch,
    prefix: str,
    total: int,
    *,
    senders: int = 2,
    body_bytes: int = 8_000_000,
    merge: bool = False,
    report: Callable[[str], None] = print,
) -> CorpusFigures:
    """Index a corpus of ``total`` letters under ``prefix``; return its figures.

    One producer builds documents and serializes them into NDJSON bodies of about
    ``body_bytes``; ``senders`` threads post them, so building and indexing overlap. Refresh
    is off and the translog asynchronous during the load (as in ``corresp reindex``), then
    restored. The indices are left with the segments Elasticsearch's merge policy made, as
    ``corresp reindex`` and ``corresp index`` leave them; ``merge`` force-merges each to one
    segment afterwards, which the project never does and which slows searches on 2 cores
    (Elasticsearch searches a shard's segments side by side: on 300,006 letters, p95 41.8
    against 37.3 ms at concurrency 1, 133.7 against 123.6 ms at 8)."""
    remove_prefix(es, prefix)  # a fresh corpus: no documents of an earlier run
    names = index_names(prefix)
    targets = ensure_schema(es, names)
    indices = ",".join((targets.letters, targets.comments, targets.threads))
    es.indices.put_settings(index=indices, settings=LOADING_SETTINGS)
    samples = sample_threads()  # normalizing the real letters is not part of the measure
    clock = PhaseClock()
    figures = CorpusFigures()
    bodies: queue.Queue[tuple[bytes, int] | None] = queue.Queue(maxsize=senders * 2)
    failures: list[str] = []

    def send() -> None:
        while (item := bodies.get()) is not None:
            body, _ = item
            started = time.perf_counter()
            answer = es.bulk(operations=body, filter_path="errors,items.*.error")
            clock.add("bulk (Elasticsearch)", time.perf_counter() - started)
            if answer.get("errors"):
                failures.extend(str(i) for i in answer.get("items", [])[:3])

    workers = [threading.Thread(target=send, daemon=True) for _ in range(senders)]
    for worker in workers:
        worker.start()
    started = time.perf_counter()
    lines: list[bytes] = []
    size = 0
    letters_prefix = f"{prefix}letters"
    next_checkpoint = 100_000
    for action in actions(total, targets, samples, clock):
        before = time.perf_counter()
        head = {"index": {"_index": action["_index"], "_id": action["_id"]}}
        line = orjson.dumps(head) + b"\n" + orjson.dumps(action["_source"]) + b"\n"
        clock.add("serialize", time.perf_counter() - before)
        lines.append(line)
        size += len(line)
        figures.documents += 1
        if action["_index"].startswith(letters_prefix):
            figures.letters += 1
            if figures.letters >= next_checkpoint:
                figures.checkpoints.append(_checkpoint(es, prefix, figures.letters))
                report(f"  {figures.letters:,} letters, {time.perf_counter() - started:.0f} s")
                next_checkpoint += 100_000
        if size >= body_bytes:
            bodies.put((b"".join(lines), len(lines)))
            lines, size = [], 0
    if lines:
        bodies.put((b"".join(lines), len(lines)))
    for _ in workers:
        bodies.put(None)
    for worker in workers:
        worker.join()
    figures.load_seconds = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"bulk failures: {failures[:3]}")
    begun = time.perf_counter()
    es.indices.put_settings(index=indices, settings=SERVING_SETTINGS)
    es.indices.refresh(index=indices)
    figures.refresh_seconds = time.perf_counter() - begun
    if merge:
        begun = time.perf_counter()
        es.indices.forcemerge(index=indices, max_num_segments=1, wait_for_completion=True)
        es.indices.refresh(index=indices)  # readers let go of the merged-away files
        figures.merge_seconds = time.perf_counter() - begun
    stats = _settled_store(es, indices)
    figures.bytes_on_disk = int(stats["_all"]["primaries"]["store"]["size_in_bytes"])
    for index, entry in stats["indices"].items():
        kind = _kind(index, prefix)
        size = int(entry["primaries"]["store"]["size_in_bytes"])
        figures.bytes_by_kind[kind] = figures.bytes_by_kind.get(kind, 0) + size
    for row in es.cat.segments(index=indices, format="json", h="index"):
        kind = _kind(str(row["index"]), prefix)
        figures.segments[kind] = figures.segments.get(kind, 0) + 1
    figures.phases = dict(clock.seconds)
    if not figures.checkpoints or figures.checkpoints[-1]["letters"] != figures.letters:
        figures.checkpoints.append(_checkpoint(es, prefix, figures.letters))
    return figures


WARM_UP_LETTERS = 20_000
"""Letters loaded (and removed) before a measured load: a node fresh from ``corresp es up``
loads its first 100,000 letters up to 30% slower while its JIT compiles the indexing path
(1,260 against 1,767-1,885 letters/s, back to back on one node)."""


def _kind(index: str, prefix: str) -> str:
    """The kind of a corpus index (letters, comments, threads) from its name."""
    return index.removeprefix(prefix).split("-", 1)[0]


def add_warm_up_option(parser: argparse.ArgumentParser) -> None:
    """``--warm-up N``: letters loaded and removed before the measured load."""
    parser.add_argument(
        "--warm-up",
        type=int,
        default=WARM_UP_LETTERS,
        help="letters loaded and removed before the measured load (0: none)",
    )


def warm_up(es: Elasticsearch, prefix: str, letters: int = WARM_UP_LETTERS) -> None:
    """Load ``letters`` letters under ``prefix`` + "warm-up-", remove them, say how long."""
    if letters <= 0:
        return
    scratch = f"{prefix}warm-up-"
    begun = time.perf_counter()
    try:
        build_corpus(es, scratch, letters, report=lambda _: None)
    finally:
        remove_prefix(es, scratch)
    seconds = time.perf_counter() - begun
    print(f"warm-up: {letters:,} letters loaded and removed in {seconds:.0f} s")


def _checkpoint(es: Elasticsearch, prefix: str, letters: int) -> dict[str, float]:
    nodes = es.nodes.stats(metric="jvm")["nodes"]
    heap = max(int(node["jvm"]["mem"]["heap_used_in_bytes"]) for node in nodes.values())
    old = max(int(node["jvm"]["mem"]["pools"]["old"]["used_in_bytes"]) for node in nodes.values())
    store = es.indices.stats(index=f"{prefix}*", metric="store")["_all"]["primaries"]
    return {
        "letters": float(letters),
        "heap_used_mb": heap / 1e6,
        "old_gen_mb": old / 1e6,
        "disk_gb": int(store["store"]["size_in_bytes"]) / 1e9,
    }


def print_figures(figures: CorpusFigures) -> None:
    rate = figures.rate
    print(
        f"scale corpus: {figures.letters:,} letters ({figures.documents:,} documents with "
        f"comments and threads) loaded in {figures.load_seconds:.0f} s"
    )
    print(
        f"  indexing: {rate:,.0f} letters/s   ({rate / TARGET_LETTERS_PER_SECOND:.2f}x the "
        f"{TARGET_LETTERS_PER_SECOND:,}/s target)"
    )
    print("  where the time goes (seconds; building runs beside the bulk requests):")
    for phase, seconds in sorted(figures.phases.items(), key=lambda item: -item[1]):
        print(f"    {phase:<22} {seconds:8.1f}")
    print(f"    {'refresh':<22} {figures.refresh_seconds:8.1f}")
    if figures.merge_seconds:
        print(f"    {'force merge':<22} {figures.merge_seconds:8.1f}")
    segments = ", ".join(f"{kind} {count}" for kind, count in sorted(figures.segments.items()))
    merged = "after a force merge" if figures.merge_seconds else "as the load left them"
    print(f"  segments ({merged}): {segments}")
    per_100k = figures.bytes_on_disk / max(figures.letters, 1) * 100_000 / 1e9
    kinds = ", ".join(f"{k} {v / 1e9:.2f}" for k, v in figures.bytes_by_kind.items())
    print(
        f"  index size on disk: {figures.bytes_on_disk / 1e9:.2f} GB "
        f"({per_100k:.2f} GB per 100,000 letters; {kinds} GB)"
    )


def _settled_store(es: Elasticsearch, indices: str, *, limit: float = 120.0) -> Any:
    """Store statistics once the files of merged-away segments are gone: read until two
    readings a second apart agree (right after a force merge the old files still count)."""
    deadline = time.monotonic() + limit
    stats = es.indices.stats(index=indices, metric="store")
    while time.monotonic() < deadline:
        time.sleep(1.0)
        es.indices.flush(index=indices)
        again = es.indices.stats(index=indices, metric="store")
        size = again["_all"]["primaries"]["store"]["size_in_bytes"]
        if size == stats["_all"]["primaries"]["store"]["size_in_bytes"]:
            return again
        stats = again
    return stats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=300_000)
    parser.add_argument("--prefix", default="scale-")
    parser.add_argument(
        "--url", default=os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:9250")
    )
    parser.add_argument("--threads", type=int, default=2, help="parallel bulk connections")
    parser.add_argument(
        "--force-merge",
        action="store_true",
        help="force-merge each index to one segment after the load (the project never does)",
    )
    add_warm_up_option(parser)
    args = parser.parse_args()
    print(f"machine: {machine.describe()}")
    es = Elasticsearch(args.url, request_timeout=600, serializer=OrjsonSerializer())
    warm_up(es, args.prefix, args.warm_up)
    figures = build_corpus(
        es, args.prefix, args.letters, senders=args.threads, merge=args.force_merge
    )
    print_figures(figures)
    return 0 if figures.rate >= TARGET_LETTERS_PER_SECOND else 1


_NAMES = [
    "Acme",
    "Northwind",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Tyrell",
    "Cyberdyne",
    "Soylent",
    "Hooli",
    "Vandelay",
    "Pied Piper",
    "Wonka",
    "Oscorp",
]
_SUFFIXES = [
    "Holdings, Inc.",
    "Corp.",
    "Technologies Ltd.",
    "Group plc",
    "Energy Co.",
    "Financial Corp.",
    "Pharmaceuticals, Inc.",
    "Industries LLC",
]


if __name__ == "__main__":
    raise SystemExit(main())
