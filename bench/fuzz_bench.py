"""The long fuzz run: generated and damaged inputs for every parser, each bounded in time
and memory.

Every target of ``bench/fuzz_targets.py`` (SGML submissions and headers, index files, the
feed, folder listings, submissions JSON, error pages, uudecoding, PDF, HTML and plain-text
extraction, letter assembly, the normalizer and the threader) gets its share of ``--cases``
(default 11,000: sgml 1,500, header 700, index 1,300, feed 500, listing 500, subs-json 500,
pages 300, uudecode 1,200, pdf 800, html 900, plaintext 500, letters 500, normalize 1,400,
threads 400; ``--targets`` runs a subset with the same total). Cases run in a worker
process capped at ``--memory-mb`` of address space, each within ``--timeout-seconds``. A case
passes when the parser returned a well-formed result or raised its documented error with a
reason; it fails on any other exception (crash), a result that breaks an invariant (broken),
a hang, exhausted memory or a dead worker. Each failing input is saved under
``test-output/fuzz-failures/`` (``.pickle`` to replay with ``--replay``, the raw input, and
a ``.json`` note). One case per target plus a total.

    .venv/bin/python -m bench.fuzz_bench [--cases 11000] [--seed 0] [--json]
    .venv/bin/python -m bench.fuzz_bench --replay test-output/fuzz-failures/sgml-00012.pickle
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.cases import Case, print_cases
from bench.fuzz_targets import TARGETS, FuzzCase, Target, case_rng
from bench.fuzz_worker import FuzzWorker, WorkerResult
from tests.fake_edgar import locate_samples
from tests.fuzz.corpus import Corpus
from tests.fuzz.outcome import reason_key

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FAILURES_DIR = PROJECT_ROOT / "test-output" / "fuzz-failures"
DEFAULT_CASES = sum(target.weight for target in TARGETS)
FAILURE_KINDS = ("crash", "broken", "hang", "memory", "died")


@dataclass
class Tally:
    """What the cases of one target ended as."""

    cases: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    """``accepted`` / ``warned`` / ``rejected`` and the failure kinds."""
    reasons: Counter[str] = field(default_factory=Counter)
    """Reasons of rejections and warnings, with values blanked (``reason_key``)."""
    failures: list[str] = field(default_factory=list)
    max_seconds: float = 0.0
    slowest: int = -1
    peak_rss_bytes: int = 0

    @property
    def failed(self) -> int:
        return sum(self.statuses[kind] for kind in FAILURE_KINDS)

    def add(self, number: int, result: WorkerResult) -> None:
        self.cases += 1
        self.statuses[result.status if result.kind == "ok" else result.kind] += 1
        if result.kind == "ok" and result.status != "accepted" and result.reason:
            self.reasons[reason_key(result.reason)] += 1
        if result.seconds > self.max_seconds:
            self.max_seconds, self.slowest = result.seconds, number
        self.peak_rss_bytes = max(self.peak_rss_bytes, result.peak_rss_bytes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=DEFAULT_CASES)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--timeout-seconds", type=float, default=5.0)
    parser.add_argument("--memory-mb", type=int, default=1024)
    parser.add_argument("--targets", default="", help="comma-separated subset of targets")
    parser.add_argument("--samples", default=None, help="samples folder (default: EDGAR_SAMPLES)")
    parser.add_argument("--replay", type=Path, help="run one saved case in this process")
    args = parser.parse_args()
    if args.replay:
        return _replay(args.replay)
    chosen = [t for t in TARGETS if not args.targets or t.name in args.targets.split(",")]
    corpus = Corpus(locate_samples(args.samples), letters=60)
    tallies: dict[str, Tally] = {}
    total_weight = sum(target.weight for target in chosen)
    for target in chosen:
        count = max(1, round(target.weight * args.cases / total_weight))
        started = time.monotonic()
        tallies[target.name] = _run_target(target, count, corpus, args)
        print(
            f"fuzz: {target.name}: {count} cases in {time.monotonic() - started:.1f} s",
            file=sys.stderr,
        )
    cases = [_target_case(target, tallies[target.name]) for target in chosen]
    cases.append(_total_case(tallies, args.seed))
    return print_cases(cases, as_json=args.json)


def _run_target(target: Target, count: int, corpus: Corpus, args: argparse.Namespace) -> Tally:
    tally = Tally()
    with FuzzWorker(
        memory_bytes=args.memory_mb * 1024 * 1024, timeout_seconds=args.timeout_seconds
    ) as worker:
        for number in range(count):
            case = target.make(case_rng(args.seed, target.name, number), corpus, number)
            result = worker.run(case)
            tally.add(number, result)
            if result.kind != "ok":
                tally.failures.append(_save_failure(case, result, args.seed))
    return tally


def _save_failure(case: FuzzCase, result: WorkerResult, seed: int) -> str:
    """Save the failing case; return a one-line description naming the files."""
    FAILURES_DIR.mkdir(parents=True, exist_ok=True)
    stem = FAILURES_DIR / f"{case.target}-{case.number:05d}-{result.kind}"
    stem.with_suffix(".pickle").write_bytes(pickle.dumps(case))
    payload = case.args[0] if case.args else b""
    if isinstance(payload, str):
        stem.with_suffix(".input").write_text(payload, encoding="utf-8", errors="surrogatepass")
    elif isinstance(payload, bytes):
        stem.with_suffix(".input").write_bytes(payload)
    note = {
        "seed": seed,
        "target": case.target,
        "number": case.number,
        "check": case.check,
        "origin": case.origin,
        "operations": list(case.operations),
        "result": asdict(result),
    }
    stem.with_suffix(".json").write_text(json.dumps(note, indent=1, default=str), encoding="utf-8")
    return f"{stem.name}: {result.kind}: {result.reason}"


def _target_case(target: Target, tally: Tally) -> Case:
    statuses = tally.statuses
    top = "; ".join(f"{count}x '{reason}'" for reason, count in tally.reasons.most_common(2))
    figures = (
        f"{tally.cases} cases: {statuses['accepted']} accepted, {statuses['warned']} warned, "
        f"{statuses['rejected']} rejected ({len(tally.reasons)} distinct reasons; "
        f"top {top or '-'}); {statuses['crash']} crashes, {statuses['broken']} broken, "
        f"{statuses['hang']} hangs, {statuses['memory'] + statuses['died']} over memory/died; "
        f"max {tally.max_seconds * 1000:.0f} ms/input, "
        f"peak RSS {tally.peak_rss_bytes / 2**20:.0f} MB"
    )
    data = {
        "target": target.name,
        "entry_points": target.what,
        "cases": tally.cases,
        "statuses": dict(statuses),
        "reasons": dict(tally.reasons.most_common(20)),
        "distinct_reasons": len(tally.reasons),
        "max_ms_per_input": round(tally.max_seconds * 1000, 1),
        "slowest_case": tally.slowest,
        "peak_rss_mb": round(tally.peak_rss_bytes / 2**20, 1),
        "failures": tally.failures[:50],
    }
    return Case("fuzz", f"{target.name}: {target.what}", tally.failed == 0, figures, data)


def _total_case(tallies: dict[str, Tally], seed: int) -> Case:
    cases = sum(t.cases for t in tallies.values())
    failed = sum(t.failed for t in tallies.values())
    statuses: Counter[str] = sum((t.statuses for t in tallies.values()), Counter())
    slowest = max(tallies.items(), key=lambda item: item[1].max_seconds)
    figures = (
        f"{cases} cases over {len(tallies)} targets (seed {seed}): "
        f"{statuses['accepted']} accepted, {statuses['warned']} warned, "
        f"{statuses['rejected']} rejected, {failed} failed; "
        f"slowest input {slowest[1].max_seconds * 1000:.0f} ms ({slowest[0]}), "
        f"peak RSS {max(t.peak_rss_bytes for t in tallies.values()) / 2**20:.0f} MB"
    )
    data = {"cases": cases, "failed": failed, "statuses": dict(statuses), "seed": seed}
    return Case("fuzz", "total: parsers on generated and damaged input", failed == 0, figures, data)


def _replay(path: Path) -> int:
    """Run a saved case in this process, so its traceback shows (no limits)."""
    case: FuzzCase = pickle.loads(path.read_bytes())
    print(
        f"replaying {case.target} #{case.number} ({case.check}, {case.origin}, {case.operations})"
    )
    outcome = case.run()
    print(f"outcome: {outcome.status}: {outcome.reason}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
