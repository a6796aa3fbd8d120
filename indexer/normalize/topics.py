"""Topics of staff comments from an editable taxonomy (``topics.yaml``). Pure functions.

The taxonomy (letters.md §12) is data: each topic has an id, a label, a description and
transparent rules, case-insensitive regular expressions matched as whole words:

- ``headings``: matched against the comment's heading (the caption it sits under); the
  strongest signal, so heading topics are listed first;
- ``keywords``: matched in the comment text; ``min_keywords`` (default 1) distinct phrases
  are needed when the heading did not match, and ``exclude`` patterns veto keyword-only
  matches;
- one topic may be the ``fallback`` ("other"), given to a comment that matches nothing.

Text is matched with whitespace runs collapsed to one space and spaced hyphens between words
closed up ("Non - GAAP" reads "Non-GAAP"), so PDF line breaks do not hide a phrase. Only
the first ``MAX_MATCHED_CHARS`` characters of a text are matched: every topic's patterns scan
the text, and beyond a few dozen pages that bought seconds per letter and no topic.
A topic's patterns scan a text only when it holds what one of them needs: their plain text
and whole words (``literals.required_literals``). Most topics match no comment, and looking up
words and substrings is far cheaper than a scan, with the same result.
``TopicMatch.evidence`` holds up to ``MAX_EVIDENCE`` distinct phrases as matched, heading
phrases first. A letter without comments gets letter-level topics (``comment=None``) from its
body, between the salutation and the closing (an inquiry about a cybersecurity incident).

``load_taxonomy()`` reads the packaged ``topics.yaml`` once and caches it; a custom file is
validated the same way and any fault raises ``ValueError`` naming the topic and the pattern.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indexer.normalize.letter import Comment, TopicMatch
from indexer.normalize.literals import FoldedText, Literals, Needs, required_literals
from indexer.normalize.rule_files import configured, load_rules, read_rule_file, whole_words

__all__ = [
    "MAX_EVIDENCE",
    "MAX_MATCHED_CHARS",
    "Taxonomy",
    "Topic",
    "assign_topics",
    "load_taxonomy",
    "taxonomy_for",
]

MAX_EVIDENCE = 3
MAX_MATCHED_CHARS = 200_000
"""Characters of a comment (or of a letter body) matched against the taxonomy."""
_ID = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_RULE_KEYS = ("headings", "keywords", "exclude")
_KNOWN_KEYS = {"id", "label", "description", "min_keywords", "fallback", *_RULE_KEYS}
_SPACED_HYPHEN = re.compile(r"(?<=\w) ?- ?(?=\w)")
_SALUTATION = re.compile(
    r"^\s*(?:Dear\b[^\n]*|Ladies and Gentlemen\W*|Gentlemen\W*|To Whom It May Concern\W*)$",
    re.I | re.M,
)
_SHOUTED_LINE = re.compile(r"^(?=[^a-z\n]*$)[^\n]*[A-Z]{2}[^\n]*$", re.M)
"""A line without lower-case letters, with two capitals in a row. The lookahead rejects a line
with a lower-case letter at once; without it, each capital pair was tried against the rest of
the line (quadratic on a long line of capitals that ends in lower case)."""
_CLOSING = re.compile(
    r"^\s*(?:Sincerely|Very truly yours|Respectfully|Yours truly|We remind you|W e remind you|"
    r"In closing|Y ?ou may contact|Please contact|Please direct any questions|"
    r"If you have any questions|In responding to our comments|We urge all persons)",
    re.I | re.M,
)


@dataclass(frozen=True, slots=True)
class Topic:
    """One topic of the taxonomy with its compiled rules."""

    id: str
    label: str
    description: str
    headings: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    min_keywords: int = 1
    fallback: bool = False
    heading_re: re.Pattern[str] | None = None
    keyword_re: re.Pattern[str] | None = None
    exclude_re: re.Pattern[str] | None = None
    heading_literals: Literals | None = None
    """What any heading match contains (``literals.required_literals``); None: always scan."""
    keyword_literals: Literals | None = None
    """The same for keyword matches."""


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """A versioned list of topics; ``fallback`` names the topic for unmatched comments."""

    version: str
    topics: tuple[Topic, ...]
    fallback: str | None = None

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(topic.id for topic in self.topics)


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """The taxonomy in ``path``, or the packaged default (read once) when ``path`` is None."""
    return load_rules(path, packaged="topics.yaml", parse=_parse_taxonomy)


def _parse_taxonomy(text: str, *, source: str) -> Taxonomy:
    data = read_rule_file(text, source=source, entries="topics")
    topics: list[Topic] = []
    seen: set[str] = set()
    for index, entry in enumerate(data["topics"]):
        topic = _parse_topic(entry, index=index, source=source)
        if topic.id in seen:
            raise ValueError(f"{source}: topic {topic.id!r} is defined twice")
        seen.add(topic.id)
        topics.append(topic)
    fallbacks = [topic.id for topic in topics if topic.fallback]
    if len(fallbacks) > 1:
        raise ValueError(f"{source}: more than one fallback topic: {', '.join(fallbacks)}")
    return Taxonomy(str(data["version"]), tuple(topics), fallbacks[0] if fallbacks else None)


def _parse_topic(entry: Any, *, index: int, source: str) -> Topic:
    if not isinstance(entry, dict):
        raise ValueError(f"{source}: topic #{index + 1} is not a mapping")
    topic_id = entry.get("id")
    name = f"topic {topic_id!r}" if topic_id else f"topic #{index + 1}"
    if not isinstance(topic_id, str) or not _ID.fullmatch(topic_id):
        raise ValueError(f"{source}: {name}: 'id' must be snake_case")
    unknown = set(entry) - _KNOWN_KEYS
    if unknown:
        raise ValueError(f"{source}: {name}: unknown key(s) {', '.join(sorted(unknown))}")
    for key in ("label", "description"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise ValueError(f"{source}: {name}: '{key}' is missing")
    rules: dict[str, tuple[str, ...]] = {}
    for key in _RULE_KEYS:
        values = entry.get(key) or []
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ValueError(f"{source}: {name}: '{key}' must be a list of patterns")
        rules[key] = tuple(values)
    fallback = entry.get("fallback", False) is True
    if not fallback and not (rules["headings"] or rules["keywords"]):
        raise ValueError(f"{source}: {name}: needs at least one heading or keyword pattern")
    min_keywords = entry.get("min_keywords", 1)
    if not isinstance(min_keywords, int) or isinstance(min_keywords, bool) or min_keywords < 1:
        raise ValueError(f"{source}: {name}: 'min_keywords' must be a positive integer")
    return Topic(
        id=topic_id,
        label=entry["label"].strip(),
        description=entry["description"].strip(),
        min_keywords=min_keywords,
        fallback=fallback,
        **rules,
        heading_re=whole_words(rules["headings"], name=name, source=source),
        keyword_re=whole_words(rules["keywords"], name=name, source=source),
        exclude_re=whole_words(rules["exclude"], name=name, source=source),
        heading_literals=_literals(rules["headings"]),
        keyword_literals=_literals(rules["keywords"]),
    )


def _literals(patterns: tuple[str, ...]) -> Literals | None:
    """What any match of one of ``patterns`` contains (None: nothing known)."""
    found: list[Needs] = []
    for pattern in patterns:
        literals = required_literals(pattern, whole_words=True)  # whole_words' guards
        if literals is None:
            return None
        found.extend(literals.alternatives)
    return Literals.of(found)


# --- assignment --------------------------------------------------------------------------------


def assign_topics(
    comments: Sequence[Comment],
    *,
    taxonomy: Taxonomy | None = None,
    letter_text: str | None = None,
) -> tuple[TopicMatch, ...]:
    """Topics per comment (heading matches first); letter-level topics when no comments."""
    taxonomy = taxonomy or load_taxonomy()
    found: list[TopicMatch] = []
    for comment in comments:
        matches = _match(taxonomy, comment.heading or "", comment.text or "", comment.number)
        if not matches and taxonomy.fallback:
            matches = [TopicMatch(taxonomy.fallback, comment.number, ())]
        found.extend(matches)
    if not comments and letter_text:
        found.extend(_match(taxonomy, "", _letter_body(letter_text), None))
    return tuple(found)


def _match(taxonomy: Taxonomy, heading: str, text: str, number: int | None) -> list[TopicMatch]:
    heading = _normalize(heading[:MAX_MATCHED_CHARS])
    text = _normalize(text[:MAX_MATCHED_CHARS])
    folded_heading, folded_text = FoldedText.of(heading), FoldedText.of(text)
    by_heading: list[TopicMatch] = []
    by_keyword: list[tuple[int, TopicMatch]] = []
    for topic in taxonomy.topics:
        heading_hits = (
            _phrases(topic.heading_re, heading, topic.heading_literals, folded_heading)
            if heading
            else []
        )
        keyword_hits = (
            _phrases(topic.keyword_re, text, topic.keyword_literals, folded_text) if text else []
        )
        if heading_hits:
            evidence = _evidence([p for _, p in heading_hits] + [p for _, p in keyword_hits])
            by_heading.append(TopicMatch(topic.id, number, evidence))
        elif keyword_hits and _enough(topic, keyword_hits, text):
            evidence = _evidence([p for _, p in keyword_hits])
            by_keyword.append((keyword_hits[0][0], TopicMatch(topic.id, number, evidence)))
    by_keyword.sort(key=lambda item: item[0])
    return by_heading + [match for _, match in by_keyword]


def _phrases(
    pattern: re.Pattern[str] | None,
    text: str,
    literals: Literals | None,
    folded: FoldedText,
) -> list[tuple[int, str]]:
    """Where ``pattern`` matches ``text``, and what; ``folded`` is ``text`` folded."""
    if pattern is None or (literals is not None and not literals.holds(folded)):
        return []
    return [(m.start(), m.group(0)) for m in pattern.finditer(text) if m.group(0)]


def _enough(topic: Topic, hits: list[tuple[int, str]], text: str) -> bool:
    if topic.exclude_re is not None and topic.exclude_re.search(text):
        return False
    distinct = {phrase.lower() for _, phrase in hits}
    return len(distinct) >= topic.min_keywords


def _evidence(phrases: list[str]) -> tuple[str, ...]:
    kept: dict[str, str] = {}
    for phrase in phrases:
        kept.setdefault(phrase.lower(), phrase)
        if len(kept) == MAX_EVIDENCE:
            break
    return tuple(kept.values())


def _normalize(text: str) -> str:
    """Whitespace runs as one space, spaced hyphens between words closed up, no space at the
    ends. (``str.split`` knows the whitespace ``\\s`` does; no space at an end is next to a
    hyphen between two words.)"""
    text = " ".join(text.split())
    return _SPACED_HYPHEN.sub("-", text) if "-" in text else text


def _letter_body(text: str) -> str:
    """The letter between its salutation and its closing, without all-capitals lines.

    Leaves out the Re: block, the closing boilerplate and running letterhead (a law firm's
    "AUSTIN BEIJING … HONG KONG" footer), which would otherwise suggest topics.
    """
    salutation = _SALUTATION.search(text)
    start = salutation.end() if salutation else 0
    closing = _CLOSING.search(text, start)
    body = text[start : closing.start() if closing else len(text)]
    return _SHOUTED_LINE.sub("", body)


def taxonomy_for(path: str) -> Taxonomy:
    """The configured taxonomy: ``normalizer.taxonomy_path``, or the built-in one when empty.

    Raises ``ConfigError`` naming the key when the file is missing or invalid.
    """
    return configured(path, key="normalizer.taxonomy_path", load=load_taxonomy)
