"""What a pattern's matches must contain (``indexer.normalize.literals``): never wrong.

Skipping a scan is only allowed when the pattern surely cannot match, so these tests look for
a match whose text does not meet its pattern's needs: case folding checked over every code
point, then strings drawn to match each pattern of the packaged taxonomy (and patterns made up
of the same parts) must meet what ``required_literals`` says they need.
"""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.normalize.literals import FoldedText, Literals, fold_case, may_match, required_literals
from indexer.normalize.topics import load_taxonomy

EVERY_CHARACTER = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
PROFILE = settings(derandomize=True, database=None, deadline=None, max_examples=400)
GUARDED = "(?<!\\w)(?:{})(?!\\w)"
"""How topics.py compiles a topic's patterns: whole words."""


def _taxonomy_patterns() -> list[str]:
    taxonomy = load_taxonomy()
    found = (p for t in taxonomy.topics for p in (*t.headings, *t.keywords, *t.exclude))
    return sorted(set(found))


TAXONOMY_PATTERNS = _taxonomy_patterns()


# --- folding --------------------------------------------------------------------------------


def test_only_four_characters_beyond_ascii_match_an_ascii_one_ignoring_case() -> None:
    beyond = EVERY_CHARACTER[0x80:]
    matching = re.findall(r"[\x00-\x7f]", beyond, re.IGNORECASE)
    assert matching == ["\u0130", "\u0131", "\u017f", "\u212a"]
    for char in matching:
        ascii_twins = [a for a in map(chr, range(0x80)) if re.fullmatch(re.escape(a), char, re.I)]
        assert {fold_case(a) for a in ascii_twins} == {fold_case(char)}


def test_folding_keeps_every_character_one_character_and_a_word_character_or_not() -> None:
    folded = fold_case(EVERY_CHARACTER)
    assert len(folded) == len(EVERY_CHARACTER)
    words = re.compile(r"\w")
    changed = [(a, b) for a, b in zip(EVERY_CHARACTER, folded, strict=True) if a != b]
    assert changed  # A-Z at least
    assert all(bool(words.match(a)) == bool(words.match(b)) for a, b in changed)


def test_ascii_letters_fold_to_lower_case() -> None:
    assert fold_case("Revenue RECOGNITION İs ſo") == "revenue recognition is so"


# --- reading patterns -----------------------------------------------------------------------


def _pieces(literals: Literals | None) -> list[tuple[tuple[str, ...], ...]]:
    assert literals is not None
    return [needs.pieces for needs in literals.alternatives]


def test_plain_runs_groups_and_alternatives() -> None:
    assert _pieces(required_literals("revenue recognition")) == [(("revenue recognition",),)]
    assert _pieces(required_literals("non-? ?GAAP")) == [(("gaap",), ("non",))]
    assert _pieces(required_literals("sell-in|sell-through")) == [
        (("sell-in",),),
        (("sell-through",),),
    ]
    assert _pieces(required_literals("(?:bonus|incentive) (?:targets?|goals)")) == [
        (("bonus", "incentive"), ("target", "goals")),
    ]
    assert _pieces(required_literals(r"ASC 606(?:-\d+)*")) == [(("asc 606",),)]
    assert _pieces(required_literals(r"Item 10\(e\)")) == [(("item 10(e)",),)]


def test_words_and_word_starts_only_for_whole_word_patterns() -> None:
    literals = required_literals("lease (?:payments?|terms?)", whole_words=True)
    assert literals is not None
    (needs,) = literals.alternatives
    assert needs.words == {"lease"}
    assert needs.prefixes == ()
    (needs,) = required_literals("VIEs?", whole_words=True).alternatives  # type: ignore[union-attr]
    assert needs.words == frozenset()
    assert needs.prefixes == ("vie",)
    (needs,) = required_literals("lease terms").alternatives  # type: ignore[union-attr]
    assert needs.words == frozenset()  # "lease" may end "please", "terms" start "termsheet"


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?i)abc",
        r"a(?#comment)b",
        r"(a)\1",
        r"\x41bc",
        r"\u2019s",
        r"\N{EM DASH}",
        r"a{b",
        r"(?P=name)",
        r"(?(1)a|b)",
        r".",
        r"\d+",
        r"a?|bcd",
    ],
)
def test_beyond_the_plain_subset_or_without_plain_text_nothing_is_known(pattern: str) -> None:
    assert required_literals(pattern) is None


def test_a_text_without_the_needs_cannot_match() -> None:
    literals = required_literals("lease (?:liabilit(?:y|ies)|terms?)", whole_words=True)
    assert literals is not None
    assert literals.holds(FoldedText.of("the LEASE Terms were"))
    assert not literals.holds(FoldedText.of("please see the terms"))
    assert not literals.holds(FoldedText.of("lease payments"))
    assert may_match(literals, "Please see the terms")  # strings only: "lease " and "term"
    assert not may_match(literals, "a lease payment")
    assert may_match(None, "anything")


# --- never wrong ----------------------------------------------------------------------------

_SEPARATORS = st.sampled_from([" ", ", ", "\n", "(", "“", " - ", "."])
_CONTEXT = st.text(alphabet="ab é-.,\n", max_size=6)


def _check(pattern: str, text: str, *, whole_words: bool) -> None:
    compiled = re.compile(GUARDED.format(pattern) if whole_words else pattern, re.IGNORECASE)
    literals = required_literals(pattern, whole_words=whole_words)
    if literals is None or compiled.search(text) is None:
        return
    assert literals.holds(FoldedText.of(text)), (pattern, text)
    assert may_match(literals, text), (pattern, text)


@PROFILE
@given(st.data())
def test_every_match_of_a_taxonomy_pattern_meets_its_needs(data: st.DataObject) -> None:
    pattern = data.draw(st.sampled_from(TAXONOMY_PATTERNS))
    match = data.draw(st.from_regex(re.compile(pattern, re.IGNORECASE), fullmatch=True))
    before, after = data.draw(_CONTEXT), data.draw(_CONTEXT)
    left, right = data.draw(_SEPARATORS), data.draw(_SEPARATORS)
    _check(pattern, before + left + match + right + after, whole_words=True)
    _check(pattern, before + match + after, whole_words=False)


_ATOMS = [
    "lease", "term", "Item", "ASC", "non", "gaap", r"\.", r"\(e\)", "-", " ", "&", "[a-c]",
    r"\d", r"\w", r"\s", "(?<!x)", "(?=y)", "^", "$",
]  # fmt: skip
_QUANTIFIERS = ["", "", "", "?", "+", "{1,2}", "??"]
"""Bounded shapes only: nested unbounded repeats would make ``re`` itself the slow part."""


def _made_up_pattern(rng: random.Random, depth: int = 0) -> str:
    parts = []
    for _ in range(rng.randint(1, 4)):
        if depth < 2 and rng.random() < 0.25:
            inner = "|".join(_made_up_pattern(rng, depth + 1) for _ in range(rng.randint(1, 3)))
            parts.append(f"(?:{inner})" + rng.choice(["", "", "?"]))
            continue
        atom = rng.choice(_ATOMS)
        zero_width = atom.startswith(("(?<", "(?=", "^", "$"))
        parts.append(atom + ("" if zero_width else rng.choice(_QUANTIFIERS)))
    branches = ["".join(parts)]
    if depth == 0 and rng.random() < 0.3:
        branches.append(_made_up_pattern(rng, depth + 1))
    return "|".join(branches)


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:  # "multiple repeat" and the like
        return False
    return True


MADE_UP_PATTERNS = sorted(
    {p for seed in range(400) if _compiles(p := _made_up_pattern(random.Random(seed)))}
)


@PROFILE
@given(st.data())
def test_every_match_of_a_made_up_pattern_meets_its_needs(data: st.DataObject) -> None:
    pattern = data.draw(st.sampled_from(MADE_UP_PATTERNS))
    match = data.draw(st.from_regex(re.compile(pattern, re.IGNORECASE), fullmatch=True))
    before, after = data.draw(_CONTEXT), data.draw(_CONTEXT)
    left, right = data.draw(_SEPARATORS), data.draw(_SEPARATORS)
    _check(pattern, before + left + match + right + after, whole_words=True)
    _check(pattern, before + match + after, whole_words=False)
