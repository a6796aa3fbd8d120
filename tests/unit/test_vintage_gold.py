"""Letters older than 2016, checked field by field against tests/gold/vintage.json.

The seed staff letter of 2009 (plain text) and six 2010-2012 company letters (HTML of the
era: upper-case tags, entity-encoded punctuation, a script tag EDGAR's web server appended;
two are documents of type CORRESP inside S-1/A submissions). Every field must be right:
type, date, file numbers, reviewed filings, cited dates, staff, office, each comment's
heading and text (a staff comment ends where the comment ends, not in the closing
boilerplate of the era), each answer's first and last words, and the seed's topics.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crawler.extract.letters import letter_from_file, letter_from_folder
from indexer.cli.main import cli
from indexer.normalize.letter import Letter
from indexer.normalize.pipeline import normalize_letter

pytestmark = pytest.mark.samples

GOLD = Path(__file__).resolve().parents[1] / "gold" / "vintage.json"
SEED = "seed/003_d78ed06124df1aa2.txt"
TOPICS = {
    "executive compensation performance targets": "executive_compensation",
    "confidential treatment of exhibit information": "exhibits_signatures",
}


def _words(text: str | None) -> str:
    """Whitespace squeezed and dashes read as hyphens (the normalizer reads them so)."""
    return " ".join(re.sub(r"[\u2010-\u2013\u2212]", "-", text or "").split())


@pytest.fixture(scope="module")
def gold() -> list[dict[str, Any]]:
    return json.loads(GOLD.read_text())["letters"]


def _parse(entry: dict[str, Any], samples_dir: Path, vintage_dir: Path) -> Letter:
    if entry["path"].startswith("seed/"):
        return normalize_letter(letter_from_file(samples_dir / entry["path"], form="UPLOAD"))
    return normalize_letter(letter_from_folder((vintage_dir / entry["path"]).parent))


def test_every_vintage_letter_is_parsed_exactly_right(
    gold: list[dict[str, Any]], samples_dir: Path, vintage_dir: Path
) -> None:
    assert len(gold) == 7
    for entry in gold:
        letter = _parse(entry, samples_dir, vintage_dir)
        public = letter.to_public_dict()
        where = entry["path"]
        assert public["letter_type"] == entry["letter_type"], where
        assert public["letter_date"] == entry["letter_date"], where
        assert public["file_numbers"] == entry["file_numbers"], where
        reviewed = [
            {k: f[k] for k in ("form", "period_end", "filed_on")}
            for f in public["reviewed_filings"]
        ]
        assert reviewed == entry["reviewed_filings"], where
        assert public["cited_dates"] == entry["cited_dates"], where
        assert [(s["name"], s["title"], s["phone"]) for s in public["staff"]] == [
            (s["name"], s["title"], s["phone"]) for s in entry["staff"]
        ], where
        assert (public["office"] or {}).get("raw") == entry["office"], where
        assert len(letter.comments) == entry["comment_count"], where
        for parsed, expected in zip(letter.comments, entry["comments"], strict=True):
            label = f"{where} comment {expected['number']}"
            assert parsed.number == expected["number"], label
            assert _words(parsed.heading) == _words(expected["heading"]), label
            if "text" in expected:
                assert _words(parsed.text) == _words(expected["text"]), label
            else:
                assert _words(parsed.text).startswith(_words(expected["first_words"])), label
            if "response_first_words" in expected:
                answer = _words(parsed.response)
                assert answer.startswith(_words(expected["response_first_words"])), label
                assert answer.endswith(_words(expected["response_last_words"])), label
        assert not letter.warnings, (where, letter.warnings)


def test_seed_letter_from_the_command_line(samples_dir: Path) -> None:
    """`corresp parse` of the 2009 staff letter: two comments as printed, three staff with
    titles (the Assistant Director who signs under "Sincerely," among them), real topics."""
    result = CliRunner().invoke(
        cli, ["parse", str(samples_dir / SEED), "--form", "UPLOAD", "--json"]
    )
    assert result.exit_code == 0, result.output
    letter = json.loads(result.stdout)
    comments = letter["comments"]

    assert [c["number"] for c in comments] == [1, 2]
    assert comments[0]["text"] == (
        "Please provide us with draft disclosure showing how the targets will be disclosed in "
        "your next Form 10-K."
    )
    assert comments[1]["text"].endswith("collaborative agreements in your Form 10-K.")
    assert "10 business days" not in comments[1]["text"]
    assert [(s["name"], s["title"]) for s in letter["staff"]] == [
        ("John L. Krug", "Senior Counsel"),
        ("Suzanne Hayes", "Legal Branch Chief"),
        ("Jeffrey Riedler", "Assistant Director"),
    ]
    assert letter["staff"][2]["phone"] == "(202) 551-3715"  # "or me at …"
    topics = {t["comment"]: t["topic"] for t in letter["topics"] if t["comment"]}
    assert topics == {1: "executive_compensation", 2: "exhibits_signatures"}
    assert letter["warnings"] == []


def test_seed_topics_follow_the_hand_labels(gold: list[dict[str, Any]], samples_dir: Path) -> None:
    (seed,) = [entry for entry in gold if entry["path"] == SEED]
    letter = normalize_letter(letter_from_file(samples_dir / SEED, form="UPLOAD"))
    found = [next(t.topic for t in letter.topics if t.comment == n) for n in (1, 2)]
    assert found == [TOPICS[label] for label in seed["topics"]]
