"""The reliability report: pytest's JUnit XML read into cases, one row per test file, and the
Markdown saved as ``bench/reliability-report.md``."""

from __future__ import annotations

from pathlib import Path

from bench.cases import Case
from bench.reliability import _junit_cases, by_file, markdown

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="4">
<testcase classname="tests.es.test_crash_recovery" name="test_kills" time="51.25"/>
<testcase classname="tests.fuzz.test_sgml" name="test_never_crashes[a|b]" time="1.5"/>
<testcase classname="tests.fuzz.test_sgml" name="test_round_trip" time="2.0">
  <failure message="boom">trace</failure>
</testcase>
<testcase classname="tests.fuzz.test_index" name="test_rows" time="0.5">
  <skipped message="no samples"/>
</testcase>
</testsuite></testsuites>
"""


def _tests(tmp_path: Path) -> list[Case]:
    report = tmp_path / "junit.xml"
    report.write_text(JUNIT, encoding="utf-8")
    return _junit_cases(report)


def test_each_test_gets_its_area_and_a_skip_is_not_a_pass(tmp_path: Path) -> None:
    tests = _tests(tmp_path)
    assert [(t.area, t.passed) for t in tests] == [
        ("crash", True),
        ("fuzz", True),
        ("fuzz", False),
        ("fuzz", False),
    ]
    assert tests[3].figures == "skipped in 0.5 s"


def test_rows_are_per_file_then_every_test_that_did_not_pass(tmp_path: Path) -> None:
    rows = by_file(_tests(tmp_path))
    assert [(row.name, row.passed, row.figures) for row in rows] == [
        ("tests/es/test_crash_recovery.py (1 test)", True, "1 passed; 51.2 s"),
        ("tests/fuzz (3 tests)", False, "1 passed, 1 failed, 1 skipped; 4.0 s"),
        ("test_sgml::test_round_trip", False, "failed in 2.0 s"),
        ("test_index::test_rows", False, "skipped in 0.5 s"),
    ]


def test_markdown_puts_long_runs_first_and_escapes_table_cells(tmp_path: Path) -> None:
    bench = Case("load", "60 s at concurrency 32", True, "p50 | p95")
    text = markdown(_tests(tmp_path), [bench], "commit abc1234")
    assert "**3/5 cases passed**" in text
    assert "(commit abc1234)" in text
    assert text.index("## Long runs") < text.index("## CI part")
    assert "| load | 60 s at concurrency 32 | PASS | p50 \\| p95 |" in text
    assert "test_never_crashes[a\\|b]" in text
    assert "| fuzz | tests/fuzz (3 tests) | **FAIL** |" in text
