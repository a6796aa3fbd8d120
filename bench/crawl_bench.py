"""Crawl benchmark: a backfill of N filings from a fake EDGAR that answers like SEC.

The fake EDGAR (tests/fake_edgar) serves N synthetic UPLOAD/CORRESP submissions (real sample
letters under generated accession numbers), enforces 10 requests/second across all hosts
with SEC's block page, and delays every response by 200-500 ms. `corresp backfill` runs as a
subprocess at edgar.max_requests_per_second = 10. Printed: filings/s, requests/s and their
ratio to the cap, requests per filing spent on filing downloads, rate violations, the
server-side peak in any one-second window, and the crawler's peak RSS.

    .venv/bin/python -m bench.crawl_bench [--filings 2000] [--cap 10] [--delay-ms 200-500]
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
from datetime import date
from pathlib import Path

from tests.fake_edgar import FakeEdgar, FakeEdgarConfig, locate_samples

USER_AGENT = "Corresp Benchmark bench@example.org"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filings", type=int, default=2000)
    parser.add_argument("--cap", type=float, default=10.0)
    parser.add_argument("--delay-ms", default="200-500")
    args = parser.parse_args()
    low, high = (int(part) for part in args.delay_ms.split("-"))
    config = FakeEdgarConfig(limit_per_second=10, delay_ms=(low, high), block_seconds=600)
    with (
        tempfile.TemporaryDirectory(prefix="corresp-bench-") as data_dir,
        FakeEdgar(locate_samples(None), config) as edgar,
    ):
        filings = edgar.synthetic_filings(args.filings, date(2023, 1, 3), date(2023, 3, 31))
        env = os.environ | {
            "CORRESP__EDGAR__USER_AGENT": USER_AGENT,
            "CORRESP__EDGAR__MAX_REQUESTS_PER_SECOND": str(args.cap),
            "CORRESP__EDGAR__BASE_URLS__WWW": edgar.base_url,
            "CORRESP__EDGAR__BASE_URLS__DATA": edgar.base_url,
            "CORRESP__EDGAR__BASE_URLS__EFTS": edgar.base_url,
            "CORRESP__STORAGE__DATA_DIR": data_dir,
        }
        command = [
            sys.executable,
            "-m",
            "indexer",
            "backfill",
            "--from",
            "2023-01-01",
            "--to",
            "2023-03-31",
            "--json",
        ]
        started = time.monotonic()
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        wall = time.monotonic() - started
        if result.returncode != 0:
            print(result.stderr, file=sys.stderr)
            return 1
        summary = json.loads(result.stdout)
        records = edgar.requests
        filing_requests = sum(1 for r in records if r.path.endswith(".txt"))
        first, last = records[0].monotonic, records[-1].monotonic
        server_rate = len(records) / max(last - first, 1e-9)
        peak = edgar.max_requests_in_any_window(1.0)
        violations = edgar.violations
        stored = sum(1 for _ in Path(data_dir, "raw").glob("*/*/*.txt.gz"))
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    elapsed = summary["elapsed_seconds"]
    filings_per_second = summary["fetched"] / elapsed
    rows = [
        ("filings listed / stored", f"{len(filings)} / {stored}"),
        ("elapsed (crawler, wall)", f"{elapsed:.1f} s, {wall:.1f} s"),
        ("filings/s", f"{filings_per_second:.2f}"),
        ("filings/s ÷ cap", f"{filings_per_second / args.cap:.3f}"),
        ("requests/s at the server", f"{server_rate:.2f}"),
        ("requests/s ÷ cap", f"{server_rate / args.cap:.3f}   (target >= 0.90)"),
        (
            "filing-download requests per new filing",
            f"{filing_requests / max(summary['fetched'], 1):.3f}   (target <= 1.05)",
        ),
        ("index requests", f"{len(records) - filing_requests}"),
        ("rate violations (blocks)", f"{violations}   (target 0)"),
        ("peak requests in any 1 s window", f"{peak}   (cap {args.cap:g})"),
        ("crawler peak RSS", f"{rss_mb:.0f} MB"),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"crawl benchmark: {args.filings} filings, cap {args.cap:g}/s, delay {args.delay_ms} ms")
    for label, value in rows:
        print(f"  {label.ljust(width)}  {value}")
    ok = stored == len(filings) and violations == 0 and server_rate / args.cap >= 0.9
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
