"""Normalizer speed: extraction + normalization + threading over every sample letter.

Prints letters/s for PDF and HTML letters separately (extraction and normalization, and the
two together against the target of 100 letters/s on one core), where the time goes (ms per
letter: extraction, then the normalizer's stages as ``normalize_letter(timings=…)`` reports
them), and the threading time for all of them.

Every letter is extracted and normalized once per round, ``--repeat`` rounds; each kind's
figures come from its fastest round. The machine may be shared: a round that had to wait for a
busy core is slower, not more telling (the same reason ``timeit`` reports its best run).

    .venv/bin/python -m bench.normalize_bench [--repeat 3]
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from bench import machine
from crawler.extract.letters import letter_from_folder
from indexer.normalize.letter import Letter
from indexer.normalize.pipeline import normalize_letter
from indexer.normalize.threads import build_threads
from tests.fake_edgar import locate_samples

TARGET = 100.0
KINDS = ("pdf", "html")
EXTRACTION = "extraction"
NORMALIZATION = "normalization"
STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("text cleanup", ("cleaning",)),
    ("header: date, Re: block, filings", ("letter date", "Re: block", "reviewed filings")),
    ("comment layout (blocks)", ("comment layout",)),
    ("staff comments", ("staff comments",)),
    ("answers (company letters)", ("answers",)),
    ("letter type", ("letter type", "review opening")),
    ("cited dates", ("cited dates",)),
    ("staff and office", ("staff", "office")),
    ("topics", ("topics",)),
    ("answer outcomes", ("outcomes",)),
    ("amendments filed", ("amendments",)),
)
"""The normalizer's steps (``normalize_letter``'s timing names) grouped into the stages shown;
"comments" is shown by its parts. What no step covers (assembling the letter) is "other"."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {machine.describe()}")
    folders = sorted(p for p in (locate_samples(None) / "documents").glob("*/*") if p.is_dir())
    kinds = {folder: _kind(folder) for folder in folders}
    counts = {kind: sum(1 for folder in folders if kinds[folder] == kind) for kind in KINDS}
    best: dict[str, dict[str, float]] = {}
    letters: list[Letter] = []
    for _ in range(max(1, args.repeat)):
        rounds: dict[str, dict[str, float]] = {kind: defaultdict(float) for kind in KINDS}
        letters = []
        for folder in folders:
            timings = rounds[kinds[folder]]
            started = time.perf_counter()
            incoming = letter_from_folder(folder)
            extracted = time.perf_counter()
            letters.append(normalize_letter(incoming, timings=timings))
            timings[EXTRACTION] += extracted - started
            timings[NORMALIZATION] += time.perf_counter() - extracted
        for kind, timings in rounds.items():
            total = timings[EXTRACTION] + timings[NORMALIZATION]
            if kind not in best or total < best[kind][EXTRACTION] + best[kind][NORMALIZATION]:
                best[kind] = dict(timings)
    started = time.perf_counter()
    threads = build_threads(letters)
    threading = time.perf_counter() - started
    print(
        f"normalizer benchmark: {len(folders)} sample letters, best of {max(1, args.repeat)} "
        "rounds, one core"
    )
    for kind in KINDS:
        _print_rates(kind, counts[kind], best[kind])
    _print_stages(counts, best)
    print(
        f"  threading: {len(letters)} letters into {len(threads)} threads in "
        f"{threading * 1000:.1f} ms ({len(letters) / threading:,.0f} letters/s)"
    )
    return 0


def _kind(folder: Path) -> str:
    return "pdf" if any(path.name.endswith(".pdf") for path in folder.iterdir()) else "html"


def _print_rates(kind: str, count: int, timings: dict[str, float]) -> None:
    extract, normalize = timings[EXTRACTION], timings[NORMALIZATION]
    rate = count / (extract + normalize)
    print(
        f"  {kind:4}  {count:4} letters  extraction {count / extract:7.0f}/s  normalization "
        f"{count / normalize:7.0f}/s  together {rate:6.0f} letters/s  "
        f"({rate / TARGET:.1f}x the {TARGET:.0f}/s target)"
    )


def _print_stages(counts: dict[str, int], best: dict[str, dict[str, float]]) -> None:
    """Milliseconds per letter of each kind: extraction, normalization and its stages."""

    def row(label: str, seconds: dict[str, float], indent: int) -> None:
        cells = "".join(f"{seconds[kind] * 1000 / counts[kind]:9.2f}" for kind in KINDS)
        print(f"  {' ' * indent}{label:<{38 - indent}}{cells}")

    print(f"  {'ms per letter':<38}" + "".join(f"{kind:>9}" for kind in KINDS))
    row(EXTRACTION, {kind: best[kind][EXTRACTION] for kind in KINDS}, 2)
    row(NORMALIZATION, {kind: best[kind][NORMALIZATION] for kind in KINDS}, 2)
    covered = dict.fromkeys(KINDS, 0.0)
    for label, steps in STAGES:
        seconds = {kind: sum(best[kind].get(step, 0.0) for step in steps) for kind in KINDS}
        for kind in KINDS:
            covered[kind] += seconds[kind]
        row(label, seconds, 4)
    row("other", {kind: best[kind][NORMALIZATION] - covered[kind] for kind in KINDS}, 4)


if __name__ == "__main__":
    raise SystemExit(main())
