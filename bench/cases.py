"""One reliability case and how benches report them: a table for people, JSON for the report.

Every bench of the reliability suite (crash trials, EDGAR faults, fuzzing, API abuse, load)
describes what it checked as ``Case`` records. Run alone, a bench prints them as a table;
with ``--json`` it prints them as a JSON list, which ``bench/reliability.py`` collects from
each bench into the one report table.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Case", "cases_from_json", "print_cases", "render_table"]


@dataclass(frozen=True)
class Case:
    """One checked behaviour: its area, what was done, whether it held, and its figures."""

    area: str
    """crash, alerts, edgar, elasticsearch, storage, fuzz, api, load or security."""
    name: str
    """What was done, in a few words ("SIGKILL during bulk indexing, 24 trials")."""
    passed: bool
    figures: str = ""
    """The measured figures in words ("24 kills, 0 lost, 0 duplicated")."""
    data: Mapping[str, Any] = field(default_factory=dict)
    """The same figures for programs."""


def cases_from_json(text: str) -> list[Case]:
    """Cases printed by a bench's ``--json``."""
    return [Case(**item) for item in json.loads(text)]


def render_table(cases: Iterable[Case]) -> str:
    """A plain-text table: area, case, PASS/FAIL, figures."""
    rows = [(c.area, c.name, "PASS" if c.passed else "FAIL", c.figures) for c in cases]
    header = ("area", "case", "result", "figures")
    widths = [max([len(header[i]), *(len(row[i]) for row in rows)]) for i in range(3)]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(header[:3], widths, strict=True)) + "  " + header[3]
    ]
    lines.append("  ".join("-" * w for w in widths) + "  " + "-" * 7)
    for row in rows:
        lines.append(
            "  ".join(v.ljust(w) for v, w in zip(row[:3], widths, strict=True)) + "  " + row[3]
        )
    return "\n".join(lines)


def print_cases(cases: list[Case], *, as_json: bool) -> int:
    """Print the cases (table or JSON); the exit status is 1 if any failed."""
    if as_json:
        print(json.dumps([asdict(c) for c in cases], indent=1, default=str))
    else:
        print(render_table(cases))
    return 0 if all(c.passed for c in cases) else 1
