"""Normalizer speed: extraction + normalization + threading over every sample letter.

Prints letters/s for PDF and HTML letters separately (extraction and normalization), the
threading time for all of them, and the ratio to the target of 100 letters/s on one core.
Each letter is processed `--repeat` times to smooth timer noise.

    .venv/bin/python -m bench.normalize_bench [--repeat 3]
"""

from __future__ import annotations

import argparse
import time

from crawler.extract.letters import letter_from_folder
from indexer.normalize.pipeline import normalize_letter
from indexer.normalize.threads import build_threads
from tests.fake_edgar import locate_samples

TARGET = 100.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folders = sorted(p for p in (locate_samples(None) / "documents").glob("*/*") if p.is_dir())
    documents = {folder: {p.name: p.read_bytes() for p in folder.iterdir()} for folder in folders}
    kinds = {folder: _kind(names) for folder, names in documents.items()}
    timings: dict[str, list[float]] = {"pdf": [0.0, 0.0], "html": [0.0, 0.0]}
    counts = {"pdf": 0, "html": 0}
    letters = []
    for _ in range(args.repeat):
        letters = []
        for folder in folders:
            kind = kinds[folder]
            started = time.perf_counter()
            incoming = letter_from_folder(folder)
            extracted = time.perf_counter()
            letters.append(normalize_letter(incoming))
            done = time.perf_counter()
            timings[kind][0] += extracted - started
            timings[kind][1] += done - extracted
            counts[kind] += 1
    started = time.perf_counter()
    threads = build_threads(letters)
    threading = time.perf_counter() - started
    print(f"normalizer benchmark: {len(folders)} sample letters x {args.repeat}, one core")
    for kind in ("pdf", "html"):
        extract, normalize = timings[kind]
        n = counts[kind]
        rate = n / (extract + normalize)
        print(
            f"  {kind:4}  {n:4} letters  extraction {n / extract:7.0f}/s  normalization "
            f"{n / normalize:7.0f}/s  together {rate:6.0f} letters/s  "
            f"({rate / TARGET:.1f}x the {TARGET:.0f}/s target)"
        )
    print(
        f"  threading: {len(letters)} letters into {len(threads)} threads in "
        f"{threading * 1000:.1f} ms ({len(letters) / threading:,.0f} letters/s)"
    )
    return 0


def _kind(names: dict[str, bytes]) -> str:
    return "pdf" if any(name.endswith(".pdf") for name in names) else "html"


if __name__ == "__main__":
    raise SystemExit(main())
