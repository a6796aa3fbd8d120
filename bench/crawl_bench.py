"""Crawl benchmark: a multi-quarter backfill from a fake EDGAR that answers like SEC.

The fake EDGAR (tests/fake_edgar) serves N synthetic UPLOAD/CORRESP submissions (real sample
letters under generated accession numbers) spread over the business days of a range of
quarters, lists them in generated quarterly indexes, enforces 10 requests/second across all
hosts with SEC's block page, and delays every response by 200-500 ms. `corresp backfill
--no-index` runs as a subprocess at the configured `edgar.max_requests_per_second`
(config.yaml, unless --cap says otherwise) over the whole range: the quarterly index of every
quarter, the quarter after, the ticker map and every filing.

Printed, over the whole run (from spawning the process to its exit) and again without the
process's start-up (spawn to its first request, printed on its own line):

- requests sent ÷ budget, where budget = max_requests_per_second × wall time;
- requests per filing: all requests (index files, ticker map, filings) and filing downloads;
- violations (blocks the server started) and the peak of requests in any one-second window;
- where the request budget went unused: start-up, the tail after the last request, and gaps
  between request starts longer than the throttle's spacing, by what the next request was.

    .venv/bin/python -m bench.crawl_bench [--filings 2400] [--from 2014-01-01] [--to 2023-12-31]
        [--cap 9] [--delay-ms 200-500] [--gaps]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from pathlib import Path

from bench import machine
from crawler.throttle import SAFETY_MARGIN
from indexer.config_file import load_settings
from tests.fake_edgar import FakeEdgar, FakeEdgarConfig, RequestRecord, locate_samples

USER_AGENT = "Corresp Benchmark bench@example.org"
ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 0.9
TARGET_PER_FILING = 1.02


@dataclass(frozen=True)
class Timeline:
    """When the crawler process ran, on the same monotonic clock as the server's log."""

    spawned: float
    exited: float
    records: list[RequestRecord]

    @property
    def wall(self) -> float:
        return self.exited - self.spawned

    @property
    def start_up(self) -> float:
        """Spawn to the first request: interpreter, imports, configuration, ledger."""
        return self.records[0].monotonic - self.spawned if self.records else self.wall

    @property
    def tail(self) -> float:
        """Last request to exit: its answer, the summary, closing the ledger."""
        return self.exited - self.records[-1].monotonic if self.records else 0.0


def kind_of(record: RequestRecord) -> str:
    if "/full-index/" in record.path or "/daily-index/" in record.path:
        return "index"
    if record.path.startswith("/Archives/edgar/data/"):
        return "filing"
    return "other"


def idle_gaps(records: list[RequestRecord], interval: float) -> list[tuple[float, float, str]]:
    """(at, unused seconds, next request's kind) for every gap longer than 1.5 spacings."""
    gaps = []
    for before, after in pairwise(records):
        gap = after.monotonic - before.monotonic
        if gap > 1.5 * interval:
            gaps.append((after.monotonic, gap - interval, kind_of(after)))
    return gaps


def run(args: argparse.Namespace, cap: float) -> tuple[dict[str, object], Timeline, int, int]:
    low, high = (int(part) for part in args.delay_ms.split("-"))
    config = FakeEdgarConfig(limit_per_second=10, delay_ms=(low, high), block_seconds=600)
    with (
        tempfile.TemporaryDirectory(prefix="corresp-bench-") as data_dir,
        FakeEdgar(locate_samples(None), config) as edgar,
    ):
        filings = edgar.synthetic_filings(args.filings, args.start, args.end)
        env = os.environ | {
            "CORRESP__EDGAR__USER_AGENT": USER_AGENT,
            "CORRESP__EDGAR__MAX_REQUESTS_PER_SECOND": str(cap),
            "CORRESP__EDGAR__BASE_URLS__WWW": edgar.base_url,
            "CORRESP__EDGAR__BASE_URLS__DATA": edgar.base_url,
            "CORRESP__EDGAR__BASE_URLS__EFTS": edgar.base_url,
            "CORRESP__STORAGE__DATA_DIR": data_dir,
        }
        command = [
            *(sys.executable, "-m", "indexer", "backfill"),
            *("--from", args.start.isoformat(), "--to", args.end.isoformat()),
            *("--no-index", "--json"),
        ]
        spawned = time.monotonic()
        result = subprocess.run(
            command, env=env, cwd=ROOT, capture_output=True, text=True, check=False
        )
        exited = time.monotonic()
        if result.returncode != 0:
            print(result.stderr, file=sys.stderr)
            raise SystemExit(1)
        summary = json.loads(result.stdout)
        timeline = Timeline(spawned, exited, edgar.requests)
        stored = sum(1 for _ in Path(data_dir, "raw").glob("*/*/*.txt.gz"))
        summary["peak"] = edgar.max_requests_in_any_window(1.0)
        summary["violations"] = edgar.violations
    return summary, timeline, len(filings), stored


def quarters(start: date, end: date) -> int:
    return (end.year - start.year) * 4 + (end.month - 1) // 3 - (start.month - 1) // 3 + 1


def main() -> int:
    edgar_cfg = load_settings(ROOT / "config.yaml", environ={}).settings.edgar
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filings", type=int, default=2400)
    parser.add_argument("--from", dest="start", type=date.fromisoformat, default="2014-01-01")
    parser.add_argument("--to", dest="end", type=date.fromisoformat, default="2023-12-31")
    parser.add_argument(
        "--cap",
        type=float,
        default=edgar_cfg.max_requests_per_second,
        help="edgar.max_requests_per_second (default: config.yaml's)",
    )
    parser.add_argument("--delay-ms", default="200-500")
    parser.add_argument("--gaps", action="store_true", help="List every idle gap.")
    args = parser.parse_args()
    print(f"machine: {machine.describe()}")
    cap = args.cap
    summary, timeline, listed, stored = run(args, cap)
    records = timeline.records
    kinds = {kind: sum(1 for r in records if kind_of(r) == kind) for kind in ("index", "filing")}
    other = len(records) - sum(kinds.values())
    fetched = max(int(str(summary["fetched"])), 1)
    interval = (1 + SAFETY_MARGIN) / cap
    crawl_span = timeline.wall - timeline.start_up
    ratio_whole = len(records) / (cap * timeline.wall)
    ratio_running = len(records) / (cap * crawl_span)
    gaps = idle_gaps(records, interval)
    idle_by_kind = {
        kind: sum(unused for _, unused, k in gaps if k == kind) for kind in ("index", "filing")
    }
    per_filing = len(records) / fetched
    filing_per_filing = kinds["filing"] / fetched
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    span = f"{args.start}..{args.end}, {quarters(args.start, args.end)} quarters"
    rows = [
        ("filings listed / stored", f"{listed} / {stored}   ({span})"),
        ("requests: index / filing / other", f"{kinds['index']} / {kinds['filing']} / {other}"),
        ("wall, spawn to exit", f"{timeline.wall:.1f} s"),
        ("  of which start-up (to 1st request)", f"{timeline.start_up:.2f} s"),
        ("  of which tail (last request to exit)", f"{timeline.tail:.2f} s"),
        ("requests ÷ budget, whole run", f"{ratio_whole:.3f}   (target >= {TARGET_RATIO})"),
        ("requests ÷ budget, without start-up", f"{ratio_running:.3f}"),
        ("ceiling of the throttle", f"{1 / (1 + SAFETY_MARGIN):.3f}   (spacing {interval:.4f} s)"),
        ("requests per filing, all", f"{per_filing:.3f}   (target <= {TARGET_PER_FILING})"),
        ("requests per filing, downloads", f"{filing_per_filing:.3f}"),
        ("violations (blocks)", f"{summary['violations']}   (target 0)"),
        ("peak requests in any 1 s window", f"{summary['peak']}   (cap {cap:g})"),
        (
            "idle gaps > 1.5 spacings",
            f"{len(gaps)}, {sum(u for _, u, _ in gaps):.2f} s unused "
            f"(before index {idle_by_kind['index']:.2f} s, filing {idle_by_kind['filing']:.2f} s)",
        ),
        ("crawler peak RSS", f"{rss_mb:.0f} MB"),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"crawl benchmark: {args.filings} filings, cap {cap:g}/s, delay {args.delay_ms} ms")
    for label, value in rows:
        print(f"  {label.ljust(width)}  {value}")
    if args.gaps:
        origin = timeline.spawned
        for at, unused, kind in gaps:
            print(f"    gap before {kind:6} at {at - origin:7.2f} s: {unused:.3f} s unused")
    ok = (
        stored == listed
        and summary["violations"] == 0
        and ratio_whole >= TARGET_RATIO
        and per_filing <= TARGET_PER_FILING
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
