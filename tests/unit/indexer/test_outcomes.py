"""Answer outcomes (indexer/normalize/outcomes.py): the rule file, sentences, classification."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.errors import ConfigError
from indexer.normalize.letter import Comment
from indexer.normalize.outcomes import (
    assign_outcomes,
    classify_answer,
    load_outcome_rules,
    outcome_rules_for,
    split_sentences,
)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (
            "In response to the Staff's comment, we have revised the disclosure on page 45 of "
            "Amendment No. 2 to clarify the vesting terms.",
            ("amended",),
        ),
        (
            "The Company will expand its discussion of segment results in future filings, "
            "beginning with its Form 10-Q for the quarter ending June 30, 2024.",
            ("will_revise",),
        ),
        (
            "We respectfully advise the Staff that the decline in volumes reflected the loss of "
            "one customer in the second quarter. The customer accounted for 3% of revenue and "
            "its contract was not renewed after the price review. We respectfully submit that "
            "no additional disclosure is necessary.",
            ("supplemental", "no_change"),
        ),
        (
            "The Company's analysis of the significance tests is provided supplementally under "
            "separate cover, and confidential treatment has been requested pursuant to Rule 83.",
            ("supplemental", "confidential"),
        ),
        ("We acknowledge the Staff's comment.", ("other",)),
        ("", ()),
    ],
)
def test_classify_answer(answer: str, expected: tuple[str, ...]) -> None:
    assert classify_answer(answer) == expected


def test_plain_explanation_is_information_for_the_staff() -> None:
    answer = (
        "Revenue from the licensing arrangement is recognized over the term of the agreement. "
        "The arrangement includes a single performance obligation for the license to the "
        "platform, which is transferred continuously as the customer uses it."
    )
    assert classify_answer(answer) == ("supplemental",)


def test_a_conditional_promise_is_not_a_commitment() -> None:
    answer = (
        "To the extent we record material impairment charges in the future, we will expand "
        "our disclosure of the key assumptions."
    )
    assert "will_revise" not in classify_answer(answer)


def test_quoted_text_and_closing_boilerplate_show_no_outcome() -> None:
    answer = (
        "We will include disclosure substantially as follows in our next Form 10-K: "
        "“The Company has revised its estimate of the useful lives of its servers. The change "
        "was not material.” If you have any questions, please contact me; we respectfully "
        "submit this letter."
    )
    assert classify_answer(answer) == ("will_revise",)


def test_sentences_are_not_cut_after_abbreviations() -> None:
    text = "See Amendment No. 2 to the Form S-1 filed by Acme Corp. on May 1. It adds Note 3."
    assert split_sentences(text) == [
        "See Amendment No. 2 to the Form S-1 filed by Acme Corp. on May 1.",
        "It adds Note 3.",
    ]


def test_assign_outcomes_keeps_evidence_per_comment() -> None:
    comments = (
        Comment(1, None, "Please revise.", "We have revised the disclosure on page 12."),
        Comment(2, None, "Tell us why.", None),
    )
    (match,) = assign_outcomes(comments)
    assert (match.outcome, match.comment) == ("amended", 1)
    assert match.evidence == "We have revised the disclosure on page 12."


def test_the_packaged_rules_name_the_vocabulary() -> None:
    rules = load_outcome_rules()
    assert rules.ids == (
        "will_revise",
        "amended",
        "supplemental",
        "no_change",
        "confidential",
        "other",
    )
    assert rules.fallback == "other"
    assert rules.label("no_change") == "No change needed"


def test_a_custom_rule_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "outcomes.yaml"
    path.write_text(
        "version: 7\noutcomes:\n"
        "  - {id: agreed, label: Agreed, description: d, patterns: ['we agree']}\n"
        "  - {id: other, label: Other, description: d, fallback: true}\n"
    )
    rules = outcome_rules_for(str(path))
    assert rules.version == "7"
    assert classify_answer("We agree with the Staff.", rules) == ("agreed",)
    assert classify_answer("Noted.", rules) == ("other",)


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("outcomes: []\n", "'version' is missing"),
        ("version: 1\noutcomes:\n  - {id: Bad, label: x, description: d}\n", "snake_case"),
        (
            "version: 1\noutcomes:\n  - {id: a, label: x, description: d, patterns: ['(']}\n",
            "outcome 'a': invalid pattern '('",
        ),
        (
            "version: 1\noutcomes:\n  - {id: a, label: x, description: d}\n",
            "needs at least one pattern",
        ),
        (
            "version: 1\noutcomes:\n  - {id: a, label: x, description: d, patterns: [b], "
            "explanation: {min_sentences: 0}}\n",
            "positive integers",
        ),
    ],
)
def test_a_bad_rule_file_names_the_key_and_the_fault(
    tmp_path: Path, yaml_text: str, message: str
) -> None:
    path = tmp_path / "outcomes.yaml"
    path.write_text(yaml_text)
    with pytest.raises(ConfigError) as raised:
        outcome_rules_for(str(path))
    assert "normalizer.outcomes_path" in str(raised.value)
    assert message in str(raised.value)
