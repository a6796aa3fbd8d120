"""The reliability and security report: every fault and abuse case, its result and figures.

Runs the CI part of the suite (the pytest files below, against the real node and the fake
EDGAR), then the long runs in ``bench/`` (each with ``--json``), and prints one table of every
case. The CI part is reported one row per test file (every failing test is named); the
Markdown report (``--write FILE``; the README links to the last one saved,
``bench/reliability-report.md``) also lists every test in a folded section. ``--quick`` runs
only the pytest part.

    .venv/bin/python -m bench.reliability [--quick] [--write bench/reliability-report.md]

Needs what the tests need: the managed Elasticsearch node (``corresp es up``) or
``ELASTICSEARCH_URL``, the EDGAR samples, root for the storage-fault mounts, and the
``scale-`` corpus (``python -m bench.scale_corpus``) for the load and API-abuse runs.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench import machine
from bench.cases import Case, cases_from_json, render_table

ROOT = Path(__file__).resolve().parent.parent

TEST_AREAS: dict[str, str] = {
    "tests/es/test_crash_recovery.py": "crash",
    "tests/integration/crawler/test_crash_safety.py": "crash",
    "tests/es/test_outbox_crash.py": "alerts",
    "tests/es/test_freshness.py": "alerts",
    "tests/es/watchlists/test_bad_destinations.py": "alerts",
    "tests/es/watchlists/test_email.py": "alerts",
    "tests/integration/crawler/test_edgar_faults.py": "edgar",
    "tests/integration/crawler/test_politeness.py": "edgar",
    "tests/es/test_es_outage.py": "elasticsearch",
    "tests/es/test_node_loss.py": "elasticsearch",
    "tests/es/api/test_errors.py": "elasticsearch",
    "tests/integration/crawler/test_storage_faults.py": "storage",
    "tests/fuzz": "fuzz",
    "tests/es/api/test_schemathesis.py": "api",
    "tests/es/api/test_abuse.py": "api",
    "tests/es/web/test_safety.py": "security",
    "tests/es/api/test_security.py": "security",
    "tests/integration/crawler/test_hosts.py": "security",
    "tests/integration/test_secrets_cli.py": "security",
}
"""The CI part of the suite: test files (or folders) and the area they belong to."""


@dataclass(frozen=True)
class Bench:
    module: str
    arguments: tuple[str, ...] = ()


BENCHES = (
    Bench("bench.crash_bench"),
    Bench("bench.outbox_crash_bench"),
    Bench("bench.freshness_bench"),
    Bench("bench.alert_faults_bench"),
    Bench("bench.edgar_faults_bench"),
    Bench("bench.outage_bench"),
    Bench("bench.node_loss_bench"),
    Bench("bench.fuzz_bench"),
    Bench("bench.api_abuse_bench"),
    Bench("bench.load_bench"),
)
"""The long runs, each printing its cases with ``--json``."""


def test_cases() -> list[Case]:
    """Run the CI part with pytest and turn each test into a case."""
    paths = [path for path in TEST_AREAS if (ROOT / path).exists()]
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "junit.xml"
        started = time.monotonic()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                *paths,
                f"--junitxml={report}",
            ],
            cwd=ROOT,
            check=False,
        )
        elapsed = time.monotonic() - started
        cases = _junit_cases(report) if report.exists() else []
    if not cases:
        cases = [Case("suite", "pytest part", False, f"no results after {elapsed:.0f} s")]
    return cases


def _junit_cases(report: Path) -> list[Case]:
    cases = []
    for test in ET.parse(report).getroot().iter("testcase"):
        file = test.get("classname", "").replace(".", "/")
        path = next(
            (path for path in TEST_AREAS if file.startswith(path.removesuffix(".py"))), file
        )
        outcome = "passed"
        for child in test:
            if child.tag in ("failure", "error"):
                outcome = "failed"
            elif child.tag == "skipped":
                outcome = "skipped"  # a skip is not a pass
        name = f"{Path(file).name}::{test.get('name', '')}"
        seconds = float(test.get("time", 0))
        cases.append(
            Case(
                TEST_AREAS.get(path, "other"),
                name,
                outcome == "passed",
                f"{outcome} in {seconds:.1f} s",
                {"path": path, "outcome": outcome, "seconds": seconds},
            )
        )
    return cases


def by_file(tests: list[Case]) -> list[Case]:
    """One case per test file or folder of the CI part, then each test that did not pass."""
    groups: dict[str, list[Case]] = {}
    for test in tests:
        groups.setdefault(str(test.data.get("path", test.name)), []).append(test)
    rows = []
    for path, members in groups.items():
        outcomes = Counter(str(test.data.get("outcome", "")) for test in members)
        seconds = sum(float(test.data.get("seconds", 0.0)) for test in members)
        counts = ", ".join(
            f"{outcomes[outcome]} {outcome}"
            for outcome in ("passed", "failed", "skipped")
            if outcomes[outcome]
        )
        rows.append(
            Case(
                members[0].area,
                f"{path} ({len(members)} test{'' if len(members) == 1 else 's'})",
                all(test.passed for test in members),
                f"{counts}; {seconds:.1f} s",
            )
        )
    return rows + [test for test in tests if not test.passed]


def context_line() -> str:
    """Commit, machine and its load when the run started: what the figures depend on."""
    return f"{machine.describe()} at the start"


def bench_cases(bench: Bench) -> list[Case]:
    """Run one long bench with ``--json``; a bench that fails to report is a failed case."""
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", bench.module, *bench.arguments, "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        return cases_from_json(run.stdout)
    except (ValueError, TypeError):
        tail = (run.stderr or run.stdout).strip().splitlines()[-1:] or ["no output"]
        seconds = time.monotonic() - started
        return [
            Case(
                "bench", bench.module, False, f"exit {run.returncode}: {tail[0]} ({seconds:.0f} s)"
            )
        ]


def _table(cases: list[Case]) -> list[str]:
    lines = ["| area | case | result | figures |", "| --- | --- | --- | --- |"]
    for case in cases:
        figures = case.figures.replace("|", "\\|")
        name = case.name.replace("|", "\\|")
        lines.append(
            f"| {case.area} | {name} | {'PASS' if case.passed else '**FAIL**'} | {figures} |"
        )
    return lines


def markdown(tests: list[Case], benches: list[Case], context: str) -> str:
    """The report as Markdown: totals, the long runs, the CI part by file, every test."""
    cases = [*tests, *benches]
    passed = sum(case.passed for case in cases)
    lines = [
        "# Reliability and security report",
        "",
        f"Generated by `python -m bench.reliability` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC "
        f"({context}): **{passed}/{len(cases)} cases passed**.",
        "",
    ]
    if benches:
        lines += ["## Long runs (`bench/`)", "", *_table(benches), ""]
    lines += [
        "## CI part (`tests/`, run by `.ci/run`)",
        "",
        *_table(by_file(tests)),
        "",
        "<details><summary>Every test of the CI part</summary>",
        "",
        *_table(tests),
        "",
        "</details>",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="Only the CI part (pytest).")
    parser.add_argument("--write", metavar="FILE", help="Also save the report as Markdown.")
    args = parser.parse_args()
    context = context_line()
    tests = test_cases()
    benches: list[Case] = []
    if not args.quick:
        for bench in BENCHES:
            print(f"== {bench.module}", file=sys.stderr, flush=True)
            benches.extend(bench_cases(bench))
    cases = [*tests, *benches]
    print(render_table([*by_file(tests), *benches]))
    failed = [case for case in cases if not case.passed]
    print(f"\n{len(cases) - len(failed)}/{len(cases)} cases passed ({context})")
    if args.write:
        Path(args.write).write_text(markdown(tests, benches, context), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
