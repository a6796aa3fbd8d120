"""Reviews (threads) and companies: the views built from the answers. Pure.

A thread document (``indexer/documents.py``) holds the review's letters in date order; the
comments index holds each staff comment with the company's answer to it (taken from the
response that restates it). ``build_thread_view`` puts the two together: the letters in
order, and round by round each staff comment beside its answer. The requests these answer
are built in ``indexer/search/reviews.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from indexer.search.reviews import (
    THREAD_COMMENT_FIELDS,
    read_letters_per_year,
    read_thread_summary,
)

__all__ = ["build_company_view", "build_thread_view"]

_MEMBER_FIELDS = (
    "accession",
    "date",
    "form",
    "letter_type",
    "role",
    "link_rule",
    "linked_to",
    "evidence",
)


def build_thread_view(
    thread: Mapping[str, Any],
    letters: Iterable[Mapping[str, Any]],
    comments: Iterable[Mapping[str, Any]],
) -> dict[str, Any]:
    """The thread, its letters in order (with their URLs), and its comments by round."""
    urls = {letter["accession"]: letter.get("url") for letter in letters}
    members = [
        {**{key: member.get(key) for key in _MEMBER_FIELDS}, "url": urls.get(member["accession"])}
        for member in thread.get("letters") or ()
    ]
    position = {member["accession"]: index for index, member in enumerate(members)}
    by_letter: dict[str, list[dict[str, Any]]] = {}
    for comment in comments:
        by_letter.setdefault(comment["accession"], []).append(
            {key: comment.get(key) for key in THREAD_COMMENT_FIELDS}
        )
    rounds = [
        {
            "accession": accession,
            "letter_date": members[position[accession]]["date"] if accession in position else None,
            "url": urls.get(accession),
            "comments": sorted(items, key=lambda c: c["number"] or 0),
        }
        for accession, items in sorted(
            by_letter.items(), key=lambda item: (position.get(item[0], len(members)), item[0])
        )
    ]
    return {
        **read_thread_summary(thread),
        "released_on": thread.get("released_on"),
        "reviewed_filings": thread.get("reviewed_filings") or [],
        "warnings": thread.get("warnings") or [],
        "letters": members,
        "comment_rounds": rounds,
    }


def build_company_view(
    cik: str, letters: Mapping[str, Any], threads: Iterable[Mapping[str, Any]]
) -> dict[str, Any]:
    """Company details from its newest letters, its reviews and its letters per year."""
    newest = [hit["_source"] for hit in letters["hits"]["hits"]]

    def latest(field: str) -> Any:
        return next((source[field] for source in newest if source.get(field)), None)

    return {
        "cik": cik,
        "name": latest("company"),
        "ciks": latest("ciks") or [cik],
        "sic": latest("sic"),
        "state": latest("state"),
        "letter_count": int(letters["hits"]["total"]["value"]),
        "letters_per_year": read_letters_per_year(letters),
        "reviews": [read_thread_summary(thread) for thread in threads],
    }
