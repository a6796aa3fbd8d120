"""The literal text every match of a regular expression contains, to skip hopeless scans. Pure.

Python's ``re`` has no fast skip for a case-insensitive pattern: it tries the pattern at every
position of the text, entering each alternative of an alternation. Scanning each comment with
every topic's patterns dominated normalization, although most topics match no comment. Most
patterns hold plain text that any match contains ("revenue recognition", the "asc 606" of
``ASC 606(?:-\\d+)*``), and looking that up is far cheaper than the scan.
``required_literals(pattern)`` says what each top-level alternative of the pattern needs
(``Needs``): strings, folded by ``fold_case``, that occur in the folded text and, for a
pattern matched as whole words (the topics' ``(?<!\\w)…(?!\\w)``), words that the text holds
as words or that start one of its words. When no alternative's needs are met
(``Literals.holds``), the pattern (compiled with or without ``re.IGNORECASE``, never
``re.VERBOSE``) cannot match the text, and skipping the scan changes no result. Words are
looked up in the set of the text's words (``FoldedText``), cheaper still than a substring
search, and telling "lease" from "please".

The reading is conservative. Groups, classes, escapes such as ``\\d``, anchors and repeated
characters end a run of plain characters without being looked into (a group that every match
holds adds one string of each of its alternatives); a pattern that uses anything beyond that
plain subset (inline flags, comments, conditionals, numbered, hexadecimal or named escapes, a
brace that is not a repeat count) has no literals (``None``) and must always be scanned.

``fold_case`` lower-cases the way ``re.IGNORECASE`` compares ASCII characters: besides ASCII
case, Python's ``re`` matches "İ" (U+0130) and "ı" (U+0131) to "i", "ſ" (U+017F) to "s" and
the Kelvin sign (U+212A, which ``str.lower`` already turns into "k") to "k". No other
character matches an ASCII one, folding keeps each character a word character (``\\w``) or
not, and literals hold ASCII characters only (``tests/unit/indexer/test_literals.py`` checks
every code point).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "FoldedText",
    "Literals",
    "Needs",
    "fold_case",
    "may_match",
    "may_match_folded",
    "required_literals",
]


@dataclass(frozen=True, slots=True)
class Needs:
    """What every match of one alternative of a pattern contains."""

    pieces: tuple[tuple[str, ...], ...]
    """Requirements that all hold, each a tuple of folded strings one of which occurs in the
    text ("lease " and one of "liabilit", "term", … for ``lease (?:liabilit(?:y|ies)|terms?|…)``),
    the most telling first."""
    words: frozenset[str] = frozenset()
    """Folded words that the text holds as words."""
    prefixes: tuple[str, ...] = ()
    """Folded words that start words of the text ("vie" of ``VIEs?``)."""


@dataclass(frozen=True, slots=True)
class Literals:
    """What every match of a pattern (or of one of several) contains: the needs of one of its
    alternatives. Build with ``Literals.of``."""

    worded: tuple[Needs, ...]
    """The alternatives that need words."""
    keys: frozenset[str]
    """One word of each of ``worded``: a text holding none of them meets none of them."""
    others: tuple[Needs, ...]

    @classmethod
    def of(cls, alternatives: Iterable[Needs]) -> Literals:
        unique = tuple(dict.fromkeys(alternatives))
        worded = tuple(needs for needs in unique if needs.words)
        keys = frozenset(max(needs.words, key=lambda word: (len(word), word)) for needs in worded)
        return cls(worded, keys, tuple(needs for needs in unique if not needs.words))

    @property
    def alternatives(self) -> tuple[Needs, ...]:
        return self.worded + self.others

    def holds(self, text: FoldedText) -> bool:
        """Whether ``text`` holds what some alternative needs."""
        if not self.keys.isdisjoint(text.words) and _holds_any(self.worded, text):
            return True
        return _holds_any(self.others, text)


@dataclass(frozen=True, slots=True)
class FoldedText:
    """A text as ``Literals.holds`` reads it: folded, with its words (runs of ``\\w``)."""

    text: str
    words: frozenset[str]
    sorted_words: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> FoldedText:
        folded = fold_case(text)
        words = frozenset(_WORD.findall(folded))
        return cls(folded, words, tuple(sorted(words)))


_GROUP_OPENERS = ("(?:", "(?=", "(?!", "(?<=", "(?<!", "(?P<", "(?>")
"""Groups of the plain subset; any other ``(?`` construct makes a pattern unsupported."""
_LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")
_UNSUPPORTED_ESCAPES = frozenset("0123456789xuUN")
"""Escapes standing for characters or groups spelled with more than one character."""
_REPEAT = re.compile(r"\{(?:\d+|\d+,\d*|,\d+)\}")
_WORD = re.compile(r"\w+")
_USEFUL_CHARS = 3
"""A requirement whose shortest string is shorter than this is kept only when it is the
alternative's best one: "a" or " " occur in any text."""
_LITERAL, _GROUP, _OTHER, _BAR = range(4)

_Token = tuple[int, str]
"""A plain character, a group's content, an opaque atom or a branch bar (``_LITERAL`` …)."""


def fold_case(text: str) -> str:
    """``text`` lower-cased as ``re.IGNORECASE`` compares ASCII characters (module docstring)."""
    return text.replace("\u0130", "i").replace("\u0131", "i").replace("\u017f", "s").lower()


def _holds_any(alternatives: tuple[Needs, ...], text: FoldedText) -> bool:
    """Whether ``text`` holds what one of ``alternatives`` needs."""
    words, sorted_words, count = text.words, text.sorted_words, len(text.sorted_words)
    for needs in alternatives:  # loops, not any()/all(): this runs for every topic and text
        if needs.words and not needs.words <= words:
            continue
        for prefix in needs.prefixes:
            index = bisect_left(sorted_words, prefix)
            if index == count or not sorted_words[index].startswith(prefix):
                break
        else:
            if _has_pieces(needs.pieces, text.text):
                return True
    return False


def may_match(literals: Literals | None, text: str) -> bool:
    """False when a pattern with these ``required_literals`` surely does not match ``text``
    (its strings checked alone: the quick test of one pattern on one text)."""
    return may_match_folded(literals, fold_case(text))


def may_match_folded(literals: Literals | None, folded: str) -> bool:
    """``may_match`` of a text already folded by ``fold_case`` (one text, many patterns)."""
    if literals is None:
        return True
    return any(_has_pieces(needs.pieces, folded) for needs in literals.alternatives)


def _has_pieces(pieces: tuple[tuple[str, ...], ...], folded: str) -> bool:
    for requirement in pieces:  # loops, not any()/all(): this runs for every topic and text
        for piece in requirement:
            if piece in folded:
                break
        else:
            return False
    return True


def required_literals(pattern: str, *, whole_words: bool = False) -> Literals | None:
    """What every match of ``pattern`` contains (``Literals``); None when the pattern is
    beyond the plain subset or an alternative holds no plain character. ``whole_words``: the
    pattern is matched between ``(?<!\\w)`` and ``(?!\\w)``.

    Each top-level alternative needs each of its runs of plain characters and, from each of
    its groups that a match holds, what one of the group's own alternatives needs most
    ("(?:bonus|incentive) (?:targets?|goals)" needs "bonus" or "incentive", and "target" or
    "goals"). The most telling requirement comes first: the one with the longest shortest
    string. A word of a run with no word character allowed before it (a character of the run
    that is none, or the alternative's start for ``whole_words``) starts a word of the text;
    with none allowed after it either, it is one.
    """
    tokens = _tokens(pattern)
    if tokens is None:
        return None
    alternatives: list[Needs] = []
    branch: list[_Token] = []
    for token in [*tokens, (_BAR, "")]:
        if token[0] != _BAR:
            branch.append(token)
            continue
        requirements = sorted(_requirements(branch), key=_strength, reverse=True)
        if not requirements:
            return None
        useful = [r for r in requirements[1:] if _strength(r) >= _USEFUL_CHARS]
        pieces = tuple(dict.fromkeys([requirements[0], *useful]))
        words, prefixes = _words(branch, guarded=whole_words)
        alternatives.append(Needs(pieces, words, prefixes))
        branch = []
    return Literals.of(alternatives)


def _strength(requirement: tuple[str, ...]) -> int:
    return min(map(len, requirement))


def _requirements(branch: list[_Token]) -> list[tuple[str, ...]]:
    """What one alternative surely contains: each run of plain characters, and for each of
    its groups, one of the strings its own alternatives need most."""
    requirements: list[tuple[str, ...]] = []
    run: list[str] = []
    for kind, text in [*branch, (_OTHER, "")]:
        if kind == _LITERAL:
            run.append(text)
            continue
        if run:
            requirements.append((fold_case("".join(run)),))
            run = []
        if kind == _GROUP and (inner := required_literals(text)) is not None:
            pieces = [piece for needs in inner.alternatives for piece in needs.pieces[0]]
            requirements.append(tuple(dict.fromkeys(pieces)))
    return requirements


def _words(branch: list[_Token], *, guarded: bool) -> tuple[frozenset[str], tuple[str, ...]]:
    """The words of the alternative's plain runs that a match holds as words, and those that
    start one: no word character allowed before them (a character of the run that is none, or
    the alternative's start when ``guarded``), and after them for the first kind."""
    words: list[str] = []
    prefixes: list[str] = []
    start = 0
    while start < len(branch):
        if branch[start][0] != _LITERAL:
            start += 1
            continue
        end = start
        while end < len(branch) and branch[end][0] == _LITERAL:
            end += 1
        run = "".join(char for _, char in branch[start:end])
        for word in _WORD.finditer(run):
            if word.start() == 0 and not (guarded and start == 0):
                continue  # the text may continue the word before
            closed = word.end() < len(run) or (guarded and end == len(branch))
            (words if closed else prefixes).append(fold_case(word.group()))
        start = end
    return frozenset(words), tuple(dict.fromkeys(prefixes))


def _tokens(pattern: str) -> list[_Token] | None:
    """The top-level atoms of ``pattern``; None beyond the plain subset."""
    tokens: list[_Token] = []
    index: int | None = 0
    while index is not None and index < len(pattern):
        index = _read(pattern, index, tokens)
    return None if index is None else tokens


def _read(pattern: str, index: int, tokens: list[_Token]) -> int | None:
    """Append the atom at ``index`` to ``tokens`` (or apply the repeat there to the last one);
    the index after it, or None beyond the plain subset."""
    char = pattern[index]
    if char == "\\":
        return _read_escape(pattern, index, tokens)
    if char in "*+?{":
        return _read_repeat(pattern, index, tokens)
    if char in "[(":
        close = _class_end(pattern, index) if char == "[" else _group_end(pattern, index)
        if close is None:
            return None
        tokens.append((_OTHER, "") if char == "[" else _group(pattern[index : close + 1]))
        return close + 1
    if char == ")":
        return None
    if char == "|":
        tokens.append((_BAR, ""))
    elif char in ".^$" or not char.isascii():
        tokens.append((_OTHER, ""))
    else:
        tokens.append((_LITERAL, char))
    return index + 1


def _read_escape(pattern: str, index: int, tokens: list[_Token]) -> int | None:
    """An escaped character is plain; ``\\d``, ``\\b`` … are opaque atoms."""
    escaped = pattern[index + 1 : index + 2]
    if not escaped or escaped in _UNSUPPORTED_ESCAPES:
        return None
    plain = escaped.isascii() and not escaped.isalnum()
    tokens.append((_LITERAL, escaped) if plain else (_OTHER, ""))
    return index + 2


def _read_repeat(pattern: str, index: int, tokens: list[_Token]) -> int | None:
    """A repeat (``?``, ``*``, ``+``, ``{m,n}``, lazy or possessive): the atom it repeats may
    be absent, or doubled, so it is read as an opaque one."""
    end = index + 1
    if pattern[index] == "{":
        repeat = _REPEAT.match(pattern, index)
        if repeat is None:
            return None
        end = repeat.end()
    if not tokens or tokens[-1][0] == _BAR:
        return None
    tokens[-1] = (_OTHER, "")
    if pattern[end : end + 1] in ("?", "+"):
        end += 1
    return end


def _group(group: str) -> _Token:
    """A group as a token: its content when a match holds it, else an opaque atom."""
    if group.startswith(_LOOKAROUNDS):
        return (_OTHER, "")
    if group.startswith("(?P<"):
        return (_GROUP, group[group.index(">") + 1 : -1])
    return (_GROUP, group[3:-1] if group.startswith(("(?:", "(?>")) else group[1:-1])


def _class_end(pattern: str, start: int) -> int | None:
    """The index of the ``]`` closing the character class opened at ``start``."""
    index = start + 1
    if pattern[index : index + 1] == "^":
        index += 1
    if pattern[index : index + 1] == "]":
        index += 1  # a "]" right after the opening is a member
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "]":
            return index
        index += 1
    return None


def _group_end(pattern: str, start: int) -> int | None:
    """The index of the ``)`` closing the group opened at ``start``; None for a construct
    outside the plain subset inside it."""
    depth = 0
    index = start
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            close = _class_end(pattern, index)
            if close is None:
                return None
            index = close + 1
            continue
        if char == "(":
            if pattern.startswith("(?", index) and not pattern.startswith(_GROUP_OPENERS, index):
                return None
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None
