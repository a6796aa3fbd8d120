"""From a parsed search string to an Elasticsearch query, on the fields of one index. Pure.

A ``FieldMap`` says where bare words and each prefix search (``LETTER_FIELDS``,
``COMMENT_FIELDS``); ``to_es_query`` builds a ``bool`` query: all bare words of an AND in one
``multi_match`` (so a lone stop word cannot empty the result), phrases and ``*`` prefixes as
``phrase`` / ``phrase_prefix`` multi-matches, keyword prefixes as ``term``/``terms``/``prefix``
filters, ``NOT`` as ``must_not`` and ``OR`` as ``should`` with ``minimum_should_match: 1``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from indexer.search.query import PREFIXES, Node, Not, Or, ParsedQuery, Term

__all__ = [
    "COMMENT_FIELDS",
    "COMMENT_TEXT_FIELDS",
    "LETTER_FIELDS",
    "QUESTION_FIELDS",
    "FieldMap",
    "PrefixField",
    "Query",
    "to_es_query",
]


@dataclass(frozen=True, slots=True)
class PrefixField:
    """Where one prefix searches.

    ``keyword``: exact ``term`` / ``prefix`` queries on a keyword field (values normalized as the
    module docstring says; ``case_insensitive`` for mixed-case values such as office names).
    ``text``: ``match`` (all words) / ``match_phrase`` / ``match_phrase_prefix`` on a text field.
    ``nested_path``: wrap the query in a ``nested`` query on that path.
    """

    field: str
    kind: Literal["keyword", "text"]
    case_insensitive: bool = False
    nested_path: str | None = None


@dataclass(frozen=True, slots=True)
class FieldMap:
    """The fields of one index: ``text_fields`` for bare words and phrases, and the prefixes.

    A prefix missing from ``prefixes`` searches its value in ``text_fields``.
    """

    text_fields: tuple[str, ...]
    prefixes: Mapping[str, PrefixField]

    def __post_init__(self) -> None:
        if not self.text_fields:
            raise ValueError("FieldMap needs at least one text field")
        unknown = set(self.prefixes) - PREFIXES
        if unknown:
            raise ValueError(f"unknown prefixes in FieldMap: {sorted(unknown)}")
        object.__setattr__(self, "prefixes", MappingProxyType(dict(self.prefixes)))


# Field names of the mappings in indexer/schema.py. The ``*.english`` sub-fields exist only
# where the cluster has analysis-common; a missing field in a multi_match matches nothing
# and fails nothing, so the same map serves both distributions.
_SHARED_PREFIXES: dict[str, PrefixField] = {
    "company": PrefixField("company", "text"),
    "file": PrefixField("file_numbers", "keyword"),
    "cik": PrefixField("ciks", "keyword"),
    "form": PrefixField("form", "keyword"),
    "type": PrefixField("letter_type", "keyword"),
    "topic": PrefixField("topics", "keyword"),
    "office": PrefixField("office", "keyword", case_insensitive=True),
    "staff": PrefixField("staff_names", "text"),
}
"""Prefixes that mean the same field on letters and on comments."""

LETTER_FIELDS = FieldMap(text_fields=("text", "text.english"), prefixes=_SHARED_PREFIXES)
"""Letters: bare words search the letter text; ``heading:`` and ``response:`` (comment
fields) search the letter text too."""

QUESTION_FIELDS = ("heading", "text")
"""The text fields of a comment that hold the staff's question."""

COMMENT_TEXT_FIELDS = (*QUESTION_FIELDS, "response")
"""The text fields of a comment: the question and the company's answer (``response``). Bare
words search them, snippets come from them, and every list of comment fields starts with them
(after the comment's id, accession and number)."""

COMMENT_FIELDS = FieldMap(
    text_fields=(*COMMENT_TEXT_FIELDS, "text.english", "response.english"),
    prefixes={
        **_SHARED_PREFIXES,
        "heading": PrefixField("heading", "text"),
        "response": PrefixField("response", "text"),
    },
)
"""Comments: bare words search the comment, its heading and the company's answer."""

Query = dict[str, Any]


def to_es_query(parsed: ParsedQuery, *, fields: FieldMap) -> Query:
    """The Elasticsearch query for ``parsed``; ``match_all`` when it is empty."""
    if parsed.root is None:
        return {"match_all": {}}
    return _build(parsed.root, fields)


def _spec(node: Node, fields: FieldMap) -> PrefixField | None:
    return fields.prefixes.get(node.field or "") if isinstance(node, Term) else None


def _is_free_word(node: Node, fields: FieldMap) -> bool:
    return isinstance(node, Term) and not (node.phrase or node.prefix) and not _spec(node, fields)


def _is_exact(node: Node, fields: FieldMap) -> bool:
    """Only keyword terms: a filter, no score."""
    if isinstance(node, Term):
        spec = _spec(node, fields)
        return spec is not None and spec.kind == "keyword"
    if isinstance(node, Not):
        return _is_exact(node.child, fields)
    return all(_is_exact(child, fields) for child in node.children)


def _build(node: Node, fields: FieldMap) -> Query:
    if isinstance(node, Term):
        return _leaf(node, fields)
    if isinstance(node, Not):
        return {"bool": {"must_not": [_build(node.child, fields)]}}
    if isinstance(node, Or):
        return _build_or(node, fields)
    words = [c.text for c in node.children if isinstance(c, Term) and _is_free_word(c, fields)]
    clauses: dict[str, list[Query]] = {"must": [], "filter": [], "must_not": []}
    if words:  # all bare words in one multi_match: a stop word alone would match nothing
        clauses["must"].append(_multi_match(" ".join(words), fields, "best_fields"))
    for child in node.children:
        if isinstance(child, Not):
            clauses["must_not"].append(_build(child.child, fields))
        elif _is_exact(child, fields):
            clauses["filter"].append(_build(child, fields))
        elif not _is_free_word(child, fields):
            clauses["must"].append(_build(child, fields))
    if len(clauses["must"]) == 1 and not (clauses["filter"] or clauses["must_not"]):
        return clauses["must"][0]
    return {"bool": {key: value for key, value in clauses.items() if value}}


def _build_or(node: Or, fields: FieldMap) -> Query:
    should: list[Query] = []
    merged: dict[str, tuple[int, list[str]]] = {}  # exact keyword values: one clause per field
    for child in node.children:
        spec = _spec(child, fields)
        if not (
            isinstance(child, Term)
            and spec is not None
            and spec.kind == "keyword"
            and not (child.prefix or spec.case_insensitive or spec.nested_path)
        ):
            should.append(_build(child, fields))
            continue
        if spec.field not in merged:
            merged[spec.field] = (len(should), [])
            should.append({})
        merged[spec.field][1].append(child.text)
    for field, (index, values) in merged.items():
        one = {"term": {field: {"value": values[0]}}}
        should[index] = one if len(values) == 1 else {"terms": {field: values}}
    if len(should) == 1:
        return should[0]
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _multi_match(text: str, fields: FieldMap, kind: str) -> Query:
    query: Query = {"query": text, "fields": list(fields.text_fields), "type": kind}
    return {"multi_match": query | {"operator": "and"} if kind == "best_fields" else query}


def _leaf(term: Term, fields: FieldMap) -> Query:
    spec = _spec(term, fields)
    if spec is None:
        kind = "phrase_prefix" if term.prefix else "phrase" if term.phrase else "best_fields"
        return _multi_match(term.text, fields, kind)
    if spec.kind == "keyword":
        body: Query = {"value": term.text}
        if spec.case_insensitive:
            body["case_insensitive"] = True
        query = {"prefix" if term.prefix else "term": {spec.field: body}}
    elif term.prefix or term.phrase:
        kind = "match_phrase_prefix" if term.prefix else "match_phrase"
        query = {kind: {spec.field: {"query": term.text}}}
    else:
        query = {"match": {spec.field: {"query": term.text, "operator": "and"}}}
    if spec.nested_path:
        return {"nested": {"path": spec.nested_path, "query": query}}
    return query
