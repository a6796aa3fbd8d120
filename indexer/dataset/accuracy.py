"""The measured accuracy that ``DATA_DICTIONARY.md`` quotes for each gold measure.

The figures are those of the gold tests (``tests/unit/test_gold_accuracy.py`` on
``tests/gold/letters.json``, ``tests/unit/test_answers_gold.py`` on ``tests/gold/answers.json``),
which also check that every figure here is still the one they measure: a change of the
normalizer that moves a figure fails them until this table is updated with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["FIGURES", "figure_text"]

FIGURES: Mapping[str, tuple[int, int]] = MappingProxyType(
    {
        "file_numbers": (240, 241),
        "letter_date": (241, 241),
        "letter_type": (241, 241),
        "comment_count (staff comment letters)": (82, 82),
        "comment headings": (146, 149),
        "reviewed_filings": (233, 241),
        "office": (241, 241),
        "staff names": (240, 241),
        "answer paired with its comment (answers gold)": (243, 247),
        "outcomes, every (answer, outcome) right (answers gold)": (1414, 1482),
        "threads (pairwise precision / recall)": (1000, 1000),
    }
)
"""Right and checked, per measure; the threads measure as precision and recall in
thousandths. Outcomes count (answer, outcome) decisions: 247 answers times 6 outcomes."""


def figure_text(measure: str) -> str:
    """The figure of ``measure`` as the dictionary shows it ("" when not measured)."""
    if measure not in FIGURES:
        return ""
    right, total = FIGURES[measure]
    if measure.startswith("threads"):
        return f"precision {right / 1000:.3f}, recall {total / 1000:.3f} (64 reviews)"
    return f"{right / total:.1%} ({right:,}/{total:,})"
