"""Answers on the right comment, and how each was answered, on the hand-labeled gold answers.

The gold file (tests/gold/answers.json, see tests/gold/README.md) holds every answer of
complete company response letters of the samples, read in full by hand: the restated
comment's number and first words, the answer's first and last words (tables and proposed
disclosure inside an answer belong to it), and its outcomes with the sentence that shows each.

Pairing: the answer the normalizer attaches to the comment must hold the gold answer's first
and last words (target 98%). Outcomes: for each outcome, the share of answers where the
normalizer and the gold agree on it (given or not), with its precision and recall; overall,
the share of all (answer, outcome) decisions that agree (target 90%) and the share of answers
whose whole set of outcomes is right (held at its measured level, 75%, so it cannot slip).

The samples hold only five answers under a confidential treatment request and five that fit
no other outcome; those two outcomes are held to that count rather than ten.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from crawler.extract.letters import letter_from_folder, letters_from_file
from indexer.dataset.accuracy import FIGURES
from indexer.dataset.shared_columns import OUTCOMES_MEASURE, PAIRING_MEASURE
from indexer.normalize.letter import Comment, Letter
from indexer.normalize.outcomes import load_outcome_rules
from indexer.normalize.pipeline import normalize_letter

pytestmark = pytest.mark.samples

GOLD = Path(__file__).resolve().parents[1] / "gold" / "answers.json"
PAIRING_TARGET = 0.98
OUTCOME_TARGET = 0.90
EXACT_FLOOR = 0.75
MIN_EXAMPLES = 10
SCARCE = {"confidential": 5, "other": 5}
"""Outcomes the samples hold fewer than MIN_EXAMPLES answers of: every one found is labeled."""


@dataclass(frozen=True)
class Scored:
    entry: dict[str, Any]
    comment: Comment | None
    paired: bool
    outcomes: tuple[str, ...]


def _words(text: str) -> str:
    """Text compared loosely: one space, plain quotes and dashes, no table bars, lower case."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"[–—]", "-", text).replace("|", " ")
    return " ".join(text.lower().split())


def _letter(entry: dict[str, Any], samples_dir: Path, vintage_dir: Path) -> Letter:
    path = entry["path"]
    if path.startswith("vintage:"):
        file = vintage_dir / path.removeprefix("vintage:")
    else:
        file = samples_dir / path
    if file.suffix == ".txt" or path.startswith("vintage:"):
        letters = [m for m in letters_from_file(file) if m.form == "CORRESP"]
        found = [m for m in letters if m.accession == entry["accession"]] or letters
        return normalize_letter(found[0])
    return normalize_letter(letter_from_folder(file.parent))


def _comment(letter: Letter, entry: dict[str, Any]) -> Comment | None:
    same = [c for c in letter.comments if c.number == entry["comment_number"]]
    if len(same) > 1 and entry.get("comment_first_words"):
        start = _words(entry["comment_first_words"])
        same = [c for c in same if start in _words(c.text)] or same
    return same[0] if same else None


@pytest.fixture(scope="module")
def scored(samples_dir: Path, vintage_dir: Path) -> list[Scored]:
    entries = json.loads(GOLD.read_text())["answers"]
    letters: dict[str, Letter] = {}
    results = []
    for entry in entries:
        key = entry["path"]
        if key not in letters:
            letters[key] = _letter(entry, samples_dir, vintage_dir)
        letter = letters[key]
        comment = _comment(letter, entry)
        answer = _words(comment.response or "") if comment else ""
        paired = bool(answer) and all(
            _words(entry[key]) in answer for key in ("answer_first_words", "answer_last_words")
        )
        outcomes = tuple(
            sorted({o.outcome for o in letter.outcomes if comment and o.comment == comment.number})
        )
        results.append(Scored(entry, comment, paired, outcomes))
    return results


def test_gold_answers_cover_every_outcome() -> None:
    entries = json.loads(GOLD.read_text())["answers"]
    vocabulary = load_outcome_rules().ids
    counts = Counter(o for entry in entries for o in entry["outcomes"])
    assert set(counts) <= set(vocabulary), set(counts) - set(vocabulary)
    assert all(entry["outcomes"] for entry in entries)
    assert all(e["outcomes"] == ["other"] for e in entries if "other" in e["outcomes"])
    assert len(entries) >= 150, len(entries)
    short = {o: counts[o] for o in vocabulary if counts[o] < SCARCE.get(o, MIN_EXAMPLES)}
    assert not short, f"fewer than {MIN_EXAMPLES} gold examples: {short}"


def test_answers_are_paired_with_their_comments(
    scored: list[Scored], report_figures: Callable[[str], None]
) -> None:
    right = sum(s.paired for s in scored)
    share = right / len(scored)
    report_figures(f"gold answers: {len(scored)} (tests/gold/answers.json)")
    report_figures(
        f"  answer paired with its comment          {right:3}/{len(scored):<3} {share:7.1%}"
        f"   (target {PAIRING_TARGET:.0%})"
    )
    misses = [
        f"{s.entry['accession']} #{s.entry['comment_number']}"
        + (" (no such comment)" if s.comment is None else "")
        for s in scored
        if not s.paired
    ]
    assert FIGURES[PAIRING_MEASURE] == (right, len(scored)), "update indexer/dataset/accuracy.py"
    assert share >= PAIRING_TARGET, misses


def test_answer_outcomes(scored: list[Scored], report_figures: Callable[[str], None]) -> None:
    outcomes = load_outcome_rules().ids
    agree = 0
    for outcome in outcomes:
        gold = {i for i, s in enumerate(scored) if outcome in s.entry["outcomes"]}
        given = {i for i, s in enumerate(scored) if outcome in s.outcomes}
        right = len(scored) - len(gold ^ given)
        agree += right
        hits = len(gold & given)
        precision = hits / len(given) if given else 1.0
        recall = hits / len(gold) if gold else 1.0
        report_figures(
            f"    {outcome:14} gold {len(gold):3}  accuracy {right / len(scored):6.1%}"
            f"  precision {precision:6.1%}  recall {recall:6.1%}"
        )
    share = agree / (len(scored) * len(outcomes))
    quoted = FIGURES[OUTCOMES_MEASURE]
    assert quoted == (agree, len(scored) * len(outcomes)), "update indexer/dataset/accuracy.py"
    exact = sum(tuple(sorted(s.entry["outcomes"])) == s.outcomes for s in scored)
    report_figures(
        f"  outcomes, every (answer, outcome) right  {share:7.1%}   (target {OUTCOME_TARGET:.0%})"
    )
    report_figures(
        f"  outcomes, the whole set right           {exact:3}/{len(scored):<3}"
        f" {exact / len(scored):7.1%}   (floor {EXACT_FLOOR:.0%})"
    )
    misses = [
        f"{s.entry['accession']} #{s.entry['comment_number']}: "
        f"{s.outcomes} != {s.entry['outcomes']}"
        for s in scored
        if tuple(sorted(s.entry["outcomes"])) != s.outcomes
    ]
    assert share >= OUTCOME_TARGET, misses[:20]
    assert exact / len(scored) >= EXACT_FLOOR, misses[:20]
