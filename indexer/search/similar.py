"""Similar staff comments sent to other companies: a ``more_like_this`` query. Pure.

``more_like_this`` is a core query (the minimal distribution has it): it picks the comment's
most distinctive terms (by tf-idf over the comments index) from its question (heading and
text, ``QUESTION_FIELDS``) and finds comments sharing them. The company's own comments are
excluded by CIK, so the answer shows how the staff asked the same question of others, and
how they answered.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from indexer.search.body import terms
from indexer.search.kinds import COMMENT_BASE_FIELDS
from indexer.search.query_es import QUESTION_FIELDS

__all__ = ["MAX_QUERY_TERMS", "SIMILAR_FIELDS", "build_similar_body", "like_text"]

SIMILAR_FIELDS = (
    *COMMENT_BASE_FIELDS,
    "has_response",
    "response_accession",
    "company",
    "ciks",
    "letter_date",
    "topics",
    "outcomes",
    "outcome_evidence",
    "thread_id",
    "url",
)
"""The fields of the comment and of each similar one in the answer."""
MAX_QUERY_TERMS = 30
"""Distinctive terms taken from the comment."""


def like_text(comment: Mapping[str, Any]) -> str:
    """What the similar comments should resemble: the heading and the text."""
    return "\n\n".join(part for part in map(comment.get, QUESTION_FIELDS) if part)


def build_similar_body(comment: Mapping[str, Any], *, size: int) -> dict[str, Any]:
    """Comments most like ``comment`` from companies other than its own (by CIK)."""
    excluded = terms("ciks", list(comment.get("ciks") or ()))
    excluded += terms("thread_id", [comment["thread_id"]] if comment.get("thread_id") else [])
    excluded.append({"term": {"comment_id": comment["comment_id"]}})
    return {
        "query": {
            "bool": {
                "must": [
                    {
                        "more_like_this": {
                            "fields": list(QUESTION_FIELDS),
                            "like": like_text(comment),
                            "min_term_freq": 1,
                            "min_doc_freq": 2,
                            "max_query_terms": MAX_QUERY_TERMS,
                            "minimum_should_match": "30%",
                        }
                    }
                ],
                "must_not": excluded,
            }
        },
        "size": size,
        "source": list(SIMILAR_FIELDS),
        "track_total_hits": False,
    }
