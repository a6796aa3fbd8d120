"""How a company answered each staff comment: outcomes from an editable rule file
(``outcomes.yaml``). Pure functions.

The vocabulary (``will_revise``, ``amended``, ``supplemental``, ``no_change``,
``confidential``, ``other``) and its rules are data, like the topic taxonomy: each outcome has
an id, a label, a description and case-insensitive whole-word patterns matched sentence by
sentence, with ``exclude`` patterns that veto a sentence for that outcome. ``supplemental``
is also given to an answer that explains facts to the staff in plain sentences
(``explanation``): enough sentences that match no outcome and no ``ignore`` pattern, before any
proposed disclosure the company quotes. ``other`` (the fallback) is given alone to an answer
that matches nothing; an empty answer gets no outcome.

An answer is read up to its closing boilerplate ("If you have any questions…"), which the
last answer of a letter often carries. Each outcome keeps the first sentence that shows it as
evidence (``OutcomeMatch.evidence``, at most ``MAX_EVIDENCE_CHARS`` characters).

``load_outcome_rules()`` reads the packaged file once; ``outcome_rules_for(path)`` reads the
configured one (``normalizer.outcomes_path``), naming the key when it is invalid.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indexer.normalize.letter import Comment, OutcomeMatch
from indexer.normalize.literals import Literals, fold_case, may_match_folded, required_literals
from indexer.normalize.rule_files import configured, load_rules, read_rule_file, whole_words

__all__ = [
    "MAX_EVIDENCE_CHARS",
    "Outcome",
    "OutcomeRules",
    "assign_outcomes",
    "classify_answer",
    "load_outcome_rules",
    "outcome_rules_for",
    "split_sentences",
]

MAX_EVIDENCE_CHARS = 400
MAX_ANSWER_CHARS = 100_000
"""Characters of an answer read (a longer one is an exhibit pasted into the letter)."""
_ID = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_KNOWN_KEYS = {"id", "label", "description", "patterns", "exclude", "explanation", "fallback"}
_SECTIONS = ("closing", "ignore", "proposed")

# A sentence ends at . ! ? or : followed by space and an opening capital, digit-free quote or
# bracket; not after an abbreviation, an initial or a section number ("No. 1", "Inc.", "J.").
_OPENING_QUOTES = frozenset('“"')
_BREAK = re.compile(r"(?<=[.!?:])[\"”’)]?\s+(?=[\"“‘(\[]?[A-Z])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:No|Nos|Inc|Corp|Co|Ltd|LLC|L\.P|N\.A|U\.S|U\.K|S\.A|e\.g|i\.e|etc|Mr|Ms|Mrs|Dr|St|"
    r"vs|Sec|Reg|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|p|pp|approx|Ex|Art|Para)"
    r"|\b[A-Z])\.$"
)


@dataclass(frozen=True, slots=True)
class Outcome:
    """One outcome of the vocabulary with its compiled rules."""

    id: str
    label: str
    description: str
    patterns: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    fallback: bool = False
    explanation_sentences: int = 0
    """0: no explanation rule; else how many plain sentences give the outcome."""
    explanation_chars: int = 40
    """Shortest sentence that counts as explanation."""
    exclude_re: re.Pattern[str] | None = None
    screens: tuple[tuple[re.Pattern[str], Literals | None], ...] = ()
    """Each pattern on its own with what any match of it contains (``literals``): an answer
    is scanned only with the patterns whose words it holds."""


@dataclass(frozen=True, slots=True)
class OutcomeRules:
    """A versioned vocabulary of outcomes and where answers end, what says nothing, and what
    introduces quoted disclosure."""

    version: str
    outcomes: tuple[Outcome, ...]
    closing: re.Pattern[str] | None = None
    ignore: re.Pattern[str] | None = None
    proposed: re.Pattern[str] | None = None
    fallback: str | None = None

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(outcome.id for outcome in self.outcomes)

    def label(self, outcome_id: str) -> str:
        return next((o.label for o in self.outcomes if o.id == outcome_id), outcome_id)


# --- loading ------------------------------------------------------------------------------------


def load_outcome_rules(path: Path | None = None) -> OutcomeRules:
    """The rules in ``path``, or the packaged ones (read once) when ``path`` is None."""
    return load_rules(path, packaged="outcomes.yaml", parse=_parse_rules)


def outcome_rules_for(path: str) -> OutcomeRules:
    """The configured rules: ``normalizer.outcomes_path``, or the built-in ones when empty.

    Raises ``ConfigError`` naming the key when the file is missing or invalid.
    """
    return configured(path, key="normalizer.outcomes_path", load=load_outcome_rules)


def _parse_rules(text: str, *, source: str) -> OutcomeRules:
    data = read_rule_file(text, source=source, entries="outcomes")
    outcomes: list[Outcome] = []
    for index, entry in enumerate(data["outcomes"]):
        outcome = _parse_outcome(entry, index=index, source=source)
        if outcome.id in {o.id for o in outcomes}:
            raise ValueError(f"{source}: outcome {outcome.id!r} is defined twice")
        outcomes.append(outcome)
    fallbacks = [o.id for o in outcomes if o.fallback]
    if len(fallbacks) > 1:
        raise ValueError(f"{source}: more than one fallback outcome: {', '.join(fallbacks)}")
    sections = {key: _pattern_list(data, key, name=key, source=source) for key in _SECTIONS}
    return OutcomeRules(
        version=str(data["version"]),
        outcomes=tuple(outcomes),
        closing=whole_words(sections["closing"], name="closing", source=source),
        ignore=whole_words(sections["ignore"], name="ignore", source=source),
        proposed=whole_words(sections["proposed"], name="proposed", source=source),
        fallback=fallbacks[0] if fallbacks else None,
    )


def _pattern_list(entry: dict[str, Any], key: str, *, name: str, source: str) -> tuple[str, ...]:
    values = entry.get(key) or []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"{source}: {name}: '{key}' must be a list of patterns")
    return tuple(values)


def _parse_outcome(entry: Any, *, index: int, source: str) -> Outcome:
    if not isinstance(entry, dict):
        raise ValueError(f"{source}: outcome #{index + 1} is not a mapping")
    outcome_id = entry.get("id")
    name = f"outcome {outcome_id!r}" if outcome_id else f"outcome #{index + 1}"
    if not isinstance(outcome_id, str) or not _ID.fullmatch(outcome_id):
        raise ValueError(f"{source}: {name}: 'id' must be snake_case")
    if unknown := set(entry) - _KNOWN_KEYS:
        raise ValueError(f"{source}: {name}: unknown key(s) {', '.join(sorted(unknown))}")
    for key in ("label", "description"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise ValueError(f"{source}: {name}: '{key}' is missing")
    patterns = _pattern_list(entry, "patterns", name=name, source=source)
    exclude = _pattern_list(entry, "exclude", name=name, source=source)
    fallback = entry.get("fallback", False) is True
    if not fallback and not patterns:
        raise ValueError(f"{source}: {name}: needs at least one pattern")
    sentences, chars = _explanation(entry.get("explanation"), name=name, source=source)
    return Outcome(
        id=outcome_id,
        label=entry["label"].strip(),
        description=entry["description"].strip(),
        patterns=patterns,
        exclude=exclude,
        fallback=fallback,
        explanation_sentences=sentences,
        explanation_chars=chars,
        exclude_re=whole_words(exclude, name=name, source=source),
        screens=tuple(
            (
                _single(pattern, name=name, source=source),
                required_literals(pattern, whole_words=True),
            )
            for pattern in patterns
        ),
    )


def _single(pattern: str, *, name: str, source: str) -> re.Pattern[str]:
    compiled = whole_words((pattern,), name=name, source=source)
    assert compiled is not None  # one pattern, checked not to be empty
    return compiled


def _explanation(value: Any, *, name: str, source: str) -> tuple[int, int]:
    if value is None:
        return 0, 40
    if not isinstance(value, dict) or set(value) - {"min_sentences", "min_chars"}:
        raise ValueError(f"{source}: {name}: 'explanation' takes min_sentences and min_chars")
    numbers = (value.get("min_sentences", 2), value.get("min_chars", 40))
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in numbers):
        raise ValueError(f"{source}: {name}: 'explanation' values must be positive integers")
    return numbers


# --- classification -----------------------------------------------------------------------------


def split_sentences(text: str) -> list[str]:
    """``text`` (whitespace runs as one space) cut into sentences; a colon that introduces a
    block ends one."""
    text = " ".join(text.split())
    sentences: list[str] = []
    start = 0
    for match in _BREAK.finditer(text):
        piece = text[start : match.start()].rstrip('"”’) ')
        if _ABBREVIATION.search(piece):
            continue
        sentences.append(text[start : match.start()].strip())
        start = match.end()
    if rest := text[start:].strip():
        sentences.append(rest)
    return [sentence for sentence in sentences if sentence]


def classify_answer(text: str | None, rules: OutcomeRules | None = None) -> tuple[str, ...]:
    """The outcome ids of one answer, in the vocabulary's order."""
    return tuple(match.outcome for match in _classify(text or "", rules or load_outcome_rules()))


def assign_outcomes(
    comments: Sequence[Comment], *, rules: OutcomeRules | None = None
) -> tuple[OutcomeMatch, ...]:
    """Outcomes of every answered comment of a company letter, with their evidence."""
    rules = rules or load_outcome_rules()
    found: list[OutcomeMatch] = []
    for comment in comments:
        for match in _classify(comment.response or "", rules):
            found.append(OutcomeMatch(match.outcome, comment.number, match.evidence))
    return tuple(found)


def _classify(text: str, rules: OutcomeRules) -> list[OutcomeMatch]:
    sentences = _answer_sentences(text[:MAX_ANSWER_CHARS], rules)
    if not sentences:
        return []
    joined = _Joined(sentences)
    showing = {o.id: joined.screened(o.screens, o.exclude_re) for o in rules.outcomes}
    proposing = joined.showing(rules.proposed, None)
    ignoring = joined.showing(rules.ignore, None)
    evidence: dict[str, str] = {}
    plain: list[tuple[str, str]] = []  # (sentence, what remains without ignored phrases)
    quoting = False
    quoted = False
    for index, sentence in enumerate(sentences):
        quoted = quoted or sentence[:1] in _OPENING_QUOTES
        if quoted:  # text the company quotes: a rule, its filing, proposed disclosure
            quoted = not _closes_quote(sentence)
            continue
        shown = False
        for outcome in rules.outcomes:
            if index in showing[outcome.id]:
                evidence.setdefault(outcome.id, sentence)
                shown = True
        if not (shown or quoting):
            rest = _without(rules.ignore, sentence) if index in ignoring else sentence
            plain.append((sentence, rest))
        quoting = quoting or index in proposing
    for outcome in rules.outcomes:
        wanted = outcome.explanation_sentences
        long_enough = [s for s, rest in plain if len(rest) >= outcome.explanation_chars]
        if wanted and outcome.id not in evidence and len(long_enough) >= wanted:
            evidence[outcome.id] = long_enough[0]
    if not evidence and rules.fallback:
        return [OutcomeMatch(rules.fallback, None, "")]
    return [
        OutcomeMatch(outcome.id, None, evidence[outcome.id][:MAX_EVIDENCE_CHARS])
        for outcome in rules.outcomes
        if outcome.id in evidence
    ]


class _Joined:
    """An answer's sentences joined by spaces, to find the few sentences a pattern matches with
    one scan of the answer instead of one search per sentence (the same sentences)."""

    def __init__(self, sentences: list[str]) -> None:
        self.sentences = sentences
        self.folded: list[str] | None = None
        self.folded_text = ""
        self.text = " ".join(sentences)
        self.starts: list[int] = []
        position = 0
        for sentence in sentences:
            self.starts.append(position)
            position += len(sentence) + 1

    def screened(
        self,
        screens: tuple[tuple[re.Pattern[str], Literals | None], ...],
        exclude: re.Pattern[str] | None,
    ) -> set[int]:
        """Indexes of the sentences that one of the ``screens`` patterns matches and
        ``exclude`` does not: each pattern searched only in the sentences holding the plain
        text any match of it contains (``literals.may_match_folded``), the whole answer for
        a pattern without such text."""
        if self.folded is None:
            self.folded = [fold_case(sentence) for sentence in self.sentences]
            self.folded_text = " ".join(self.folded)
        found: set[int] = set()
        for pattern, literals in screens:
            if literals is None:
                found |= self.showing(pattern, exclude)
                continue
            if not may_match_folded(literals, self.folded_text):
                continue  # no sentence of the answer can hold a match
            for index, folded in enumerate(self.folded):
                if index in found or not may_match_folded(literals, folded):
                    continue
                sentence = self.sentences[index]
                if pattern.search(sentence) and not _matches(exclude, sentence):
                    found.add(index)
        return found

    def showing(self, pattern: re.Pattern[str] | None, exclude: re.Pattern[str] | None) -> set[int]:
        """Indexes of the sentences that ``pattern`` matches (each searched on its own, as
        ``pattern.search(sentence)``) and ``exclude`` does not. A match found in the joined
        text points at its sentence; the scan goes on from the next sentence, so a match
        running across a sentence end cannot hide one inside the next."""
        found: set[int] = set()
        if pattern is None:
            return found
        position = 0
        while match := pattern.search(self.text, position):
            index = bisect_right(self.starts, match.start()) - 1
            sentence = self.sentences[index]
            if pattern.search(sentence) and not _matches(exclude, sentence):
                found.add(index)
            if index + 1 >= len(self.sentences):
                break
            position = self.starts[index + 1]
        return found


def _closes_quote(sentence: str) -> bool:
    """Whether a quotation that is open (or opens) in ``sentence`` ends in it."""
    closing = sentence.count("”") + sentence.count('"')
    opening = sentence.count("“") + (sentence.count('"') if '"' in sentence[:1] else 0)
    return closing >= max(opening, 1) if "“" in sentence else closing > 0


def _answer_sentences(text: str, rules: OutcomeRules) -> list[str]:
    """The answer's sentences before its closing boilerplate."""
    sentences = split_sentences(text)
    for index, sentence in enumerate(sentences):
        if index and rules.closing is not None and rules.closing.match(sentence):
            return sentences[:index]
    return sentences


def _without(pattern: re.Pattern[str] | None, sentence: str) -> str:
    """``sentence`` without what ``pattern`` matches ("We acknowledge the Staff's comment and
    note that…" keeps "and note that…")."""
    return pattern.sub("", sentence).strip() if pattern is not None else sentence


def _matches(pattern: re.Pattern[str] | None, sentence: str) -> bool:
    return pattern is not None and pattern.search(sentence) is not None
