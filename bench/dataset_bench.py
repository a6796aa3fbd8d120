"""`corresp dataset` on the scale corpus: rows per second and the export's peak memory.

Runs `corresp dataset` as a child process on the indices of `bench/scale_corpus.py` (prefix
``scale-``; build it first), writing Parquet (or CSV) into a temporary folder, and prints the
rows of each table, rows per second over all three, the files' sizes and the child's peak
resident memory (``ru_maxrss`` of the child, read with ``os.wait4``). Memory must stay bounded
whatever the corpus size: the export keeps the selected letters' accessions and thread ids,
never their documents, so the peak must stay under ``MAX_RSS_MIB``.

    .venv/bin/python -m bench.dataset_bench [--prefix scale-] [--format csv] [-- FILTERS…]

Arguments after ``--`` go to the command (e.g. ``-- --date-from 2015-01-01`` for a filtered
dataset, whose comments and reviews are read in batches of accessions and thread ids).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MAX_RSS_MIB = 1024
"""The bound on the export's peak resident memory (for a corpus of any size)."""
ROOT = Path(__file__).resolve().parent.parent


def _config(folder: Path, url: str, prefix: str) -> Path:
    path = folder / "config.yaml"
    path.write_text(f"elasticsearch:\n  url: {url}\n  index_prefix: {prefix}\n", encoding="utf-8")
    return path


def run_export(command: list[str]) -> tuple[dict[str, object], float, int]:
    """The manifest the child printed, its wall time in seconds and its peak RSS in bytes."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as stdout:
        child = subprocess.Popen(command, stdout=stdout, stderr=sys.stderr)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        stdout.seek(0)
        output = stdout.read().decode()
    if child.returncode != 0:
        raise SystemExit(f"corresp dataset failed with exit status {child.returncode}")
    return json.loads(output), seconds, usage.ru_maxrss * 1024  # KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", default="scale-")
    parser.add_argument(
        "--url", default=os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:9250")
    )
    parser.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    parser.add_argument("--keep", type=Path, help="Write here and keep the files.")
    parser.add_argument("filters", nargs="*", help="Options for `corresp dataset` (after --).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dataset-bench-") as scratch:
        folder = Path(scratch)
        out_dir = args.keep or folder / "dataset"
        corresp = ROOT / ".venv" / "bin" / "corresp"
        command = [
            str(corresp),
            "--config",
            str(_config(folder, args.url, args.prefix)),
            "dataset",
            str(out_dir),
            "--json",
            "--overwrite",
            "--format",
            args.format,
            *args.filters,
        ]
        manifest, seconds, peak_rss = run_export(command)
        tables: dict[str, dict[str, int]] = manifest["tables"]  # type: ignore[assignment]
        rows = sum(entry["rows"] for entry in tables.values())
        size = sum(entry["bytes"] for entry in tables.values())
    print(
        f"dataset benchmark: prefix {args.prefix!r}, {args.format}, "
        f"filters {manifest['filters'] or 'none'}"
    )
    for name, entry in tables.items():
        print(f"  {name:9} {entry['rows']:>10,} rows  {entry['bytes'] / 2**20:8.1f} MiB")
    peak_mib = peak_rss / 2**20
    print(
        f"  {rows:,} rows in {seconds:.1f} s: {rows / seconds:,.0f} rows/s "
        f"({tables['letters']['rows'] / seconds:,.0f} letters/s); files {size / 2**20:,.1f} MiB"
    )
    print(f"  peak RSS of the export: {peak_mib:,.0f} MiB (bound {MAX_RSS_MIB:,} MiB)")
    print(f"  consistency: {manifest['consistency']}")
    return 0 if peak_mib <= MAX_RSS_MIB else 1


if __name__ == "__main__":
    raise SystemExit(main())
