"""Accuracy of `corresp parse` and `corresp threads` on the hand-checked gold letters.

The gold file (tests/gold/letters.json, see its README) holds 241 real letters of 23
companies, checked by hand field by field, with the review thread each belongs to. Each
field's accuracy is printed at the end of the run ("figures") and held to the targets; the
threads' pairwise precision and recall must reach 0.97, and every extension request must be
recognized as one.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from crawler.extract.letters import letter_from_folder
from indexer.dataset.accuracy import FIGURES
from indexer.normalize.letter import Letter
from indexer.normalize.pipeline import normalize_letter
from indexer.normalize.threads import build_threads

pytestmark = pytest.mark.samples

GOLD = Path(__file__).resolve().parents[1] / "gold" / "letters.json"
TARGETS = {
    "file_numbers": 0.98,
    "letter_date": 0.98,
    "letter_type": 0.97,
    "comment_count (staff comment letters)": 0.90,
    "cited_dates": 0.90,
    "reviewed_filings": 0.85,
    "office": 0.90,
    "staff names": 0.90,
    "comment headings": 0.80,
}


@pytest.fixture(scope="module")
def gold() -> list[dict[str, Any]]:
    return json.loads(GOLD.read_text())["letters"]


@pytest.fixture(scope="module")
def parsed(gold: list[dict[str, Any]], samples_dir: Path) -> dict[str, Letter]:
    return {
        entry["accession"]: normalize_letter(
            letter_from_folder((samples_dir / entry["path"]).parent)
        )
        for entry in gold
    }


def _reviewed(letter: Letter) -> list[dict[str, Any]]:
    data = letter.to_public_dict()["reviewed_filings"]
    return [{key: filing[key] for key in ("form", "period_end", "filed_on")} for filing in data]


def _headings(letter: Letter) -> list[str | None]:
    return [comment.heading for comment in letter.comments]


CHECKS: dict[str, Callable[[Letter, dict[str, Any]], bool | None]] = {
    "file_numbers": lambda p, g: list(p.file_numbers) == g["file_numbers"],
    "letter_date": lambda p, g: p.to_public_dict()["letter_date"] == g["letter_date"],
    "letter_type": lambda p, g: p.letter_type == g["letter_type"],
    "comment_count (staff comment letters)": lambda p, g: (
        len(p.comments) == g["comment_count"]
        if g["form"] == "UPLOAD" and g["letter_type"] == "comment"
        else None
    ),
    "comment_count (all)": lambda p, g: len(p.comments) == g["comment_count"],
    "comment headings": lambda p, g: (
        [_norm(h) for h in _headings(p)] == [_norm(c["heading"]) for c in g["comments"]]
        if g["comments"]
        else None
    ),
    "cited_dates": lambda p, g: p.to_public_dict()["cited_dates"] == g["cited_dates"],
    "reviewed_filings": lambda p, g: _reviewed(p) == g["reviewed_filings"],
    "office": lambda p, g: (p.office.raw if p.office else None) == g["office"],
    "staff names": lambda p, g: [s.name for s in p.staff] == [s["name"] for s in g["staff"]],
}


def _norm(heading: str | None) -> str:
    return " ".join((heading or "").replace("’", "'").lower().split())


def test_field_accuracy(
    gold: list[dict[str, Any]], parsed: dict[str, Letter], report_figures: Callable[[str], None]
) -> None:
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses: dict[str, list[str]] = defaultdict(list)
    for entry in gold:
        letter = parsed[entry["accession"]]
        for field, check in CHECKS.items():
            outcome = check(letter, entry)
            if outcome is None:
                continue
            total[field] += 1
            right[field] += bool(outcome)
            if not outcome:
                misses[field].append(entry["path"])
    report_figures(f"gold letters: {len(gold)} (tests/gold/letters.json)")
    for field in CHECKS:
        share = right[field] / total[field]
        target = TARGETS.get(field)
        goal = f"   (target {target:.0%})" if target else ""
        report_figures(f"  {field:40} {right[field]:3}/{total[field]:<3} {share:7.1%}{goal}")
    quoted = {f: FIGURES[f] for f in CHECKS if f in FIGURES}
    assert quoted == {f: (right[f], total[f]) for f in quoted}, "update indexer/dataset/accuracy.py"
    failing = {
        field: f"{right[field] / total[field]:.1%} < {target:.0%}: {misses[field][:5]}"
        for field, target in TARGETS.items()
        if right[field] / total[field] < target
    }
    assert not failing, failing


def test_every_extension_request_and_other_non_answer_is_recognized(
    gold: list[dict[str, Any]], parsed: dict[str, Letter], report_figures: Callable[[str], None]
) -> None:
    """Company letters that answer nothing are never taken for responses (rounds)."""
    kinds = ("extension_request", "acceleration_request", "supplemental", "withdrawal_request")
    for kind in kinds:
        entries = [entry for entry in gold if entry["letter_type"] == kind]
        found = [e["accession"] for e in entries if parsed[e["accession"]].letter_type == kind]
        if entries:
            report_figures(f"  {kind + ' recognized':40} {len(found):3}/{len(entries):<3}")
        if kind == "extension_request":
            assert len(found) == len(entries), sorted(
                {e["accession"] for e in entries} - set(found)
            )
    answers = [e for e in gold if e["letter_type"] == "response"]
    taken = [e["accession"] for e in answers if parsed[e["accession"]].letter_type in kinds]
    assert not taken, taken  # no answer mistaken for a letter that answers nothing


def test_thread_assignment_pairwise(
    gold: list[dict[str, Any]], parsed: dict[str, Letter], report_figures: Callable[[str], None]
) -> None:
    threads = build_threads(parsed.values())
    thread_of = {member.accession: t.thread_id for t in threads for member in t.letters}
    by_company: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in gold:
        by_company[entry["cik"]].append(entry)
    true_pos = false_pos = false_neg = 0
    for entries in by_company.values():
        for first, second in itertools.combinations(entries, 2):
            same_gold = first["thread"] == second["thread"]
            same_ours = thread_of[first["accession"]] == thread_of[second["accession"]]
            true_pos += same_gold and same_ours
            false_pos += same_ours and not same_gold
            false_neg += same_gold and not same_ours
    precision = true_pos / (true_pos + false_pos)
    recall = true_pos / (true_pos + false_neg)
    gold_threads = len({entry["thread"] for entry in gold})
    report_figures(
        f"  threads: pairwise precision {precision:.3f}, recall {recall:.3f} "
        f"({len(threads)} threads found, {gold_threads} in the gold file)   (target 0.97)"
    )
    assert precision >= 0.97
    assert recall >= 0.97
    quoted = FIGURES["threads (pairwise precision / recall)"]
    assert quoted == (round(precision * 1000), round(recall * 1000)), "update accuracy.py"


def test_every_sample_letter_normalizes_without_exception(samples_dir: Path) -> None:
    folders = sorted(p for p in (samples_dir / "documents").glob("*/*") if p.is_dir())
    for folder in folders:
        letter = normalize_letter(letter_from_folder(folder))
        assert letter.accession
        assert not any("internal error" in warning for warning in letter.warnings), folder
