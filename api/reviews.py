"""Reviews (threads) and companies: request bodies and the views built from answers. Pure.

A thread document (``indexer/documents.py``) holds the review's letters in date order; the
comments index holds each staff comment with the company's answer to it (taken from the
response that restates it). ``build_thread_view`` puts the two together: the letters in
order, and round by round each staff comment beside its answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from indexer.search.body import all_words, date_range, terms
from indexer.search.paging import PageRequest, SortKey, SortOrder
from indexer.search.params import ThreadListParams

__all__ = [
    "COMMENT_ID_ORDER",
    "LATEST_LETTERS",
    "THREAD_COMMENT_FIELDS",
    "THREAD_SUMMARY_FIELDS",
    "build_company_view",
    "build_thread_list_body",
    "build_thread_view",
    "company_letters_body",
    "read_thread_summary",
    "thread_filter_clauses",
]

THREAD_SUMMARY_FIELDS = (
    "thread_id",
    "company",
    "ciks",
    "file_numbers",
    "status",
    "opened_on",
    "closed_on",
    "days_open",
    "rounds",
    "letter_count",
    "comment_count",
    "reviewed_forms",
    "topics",
    "office",
)
LATEST_LETTERS = 10
"""Letters read to describe a company: the newest one that names each detail wins."""

COMMENT_ID_ORDER = SortOrder(
    "comments", "id", (SortKey("comment_id", descending=False, kind="string"),)
)

_COMPANY_FIELDS = ("company", "ciks", "sic", "state")
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
THREAD_COMMENT_FIELDS = (
    "comment_id",
    "accession",
    "number",
    "heading",
    "text",
    "response",
    "response_accession",
    "response_date",
    "topics",
)


def thread_filter_clauses(params: ThreadListParams) -> list[dict[str, Any]]:
    clauses = [
        *terms("ciks", params.cik),
        *terms("file_numbers", params.file_number),
        *terms("status", params.status),
        *terms("reviewed_forms", params.form_reviewed),
        *date_range("opened_on", params.opened_from, params.opened_to),
    ]
    if params.min_rounds is not None:
        clauses.append({"range": {"rounds": {"gte": params.min_rounds}}})
    return [*clauses, *all_words("company", params.company)]


def build_thread_list_body(params: ThreadListParams, page: PageRequest) -> dict[str, Any]:
    body: dict[str, Any] = {
        "query": {"bool": {"filter": thread_filter_clauses(params)}},
        "sort": page.order.clauses(),
        "size": page.size + 1,
        "track_total_hits": True,
        "source": list(THREAD_SUMMARY_FIELDS),
    }
    if page.after is not None:
        body["search_after"] = list(page.after)
    return body


def read_thread_summary(source: Mapping[str, Any]) -> dict[str, Any]:
    return {name: source.get(name) for name in THREAD_SUMMARY_FIELDS}


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


def company_letters_body(cik: str) -> dict[str, Any]:
    """The newest letters of a company, its letter count and its letters per year."""
    return {
        "query": {"bool": {"filter": terms("ciks", [cik])}},
        "sort": [{"letter_date": {"order": "desc", "missing": "_last"}}, {"accession": "asc"}],
        "size": LATEST_LETTERS,
        "track_total_hits": True,
        "source": list(_COMPANY_FIELDS),
        "aggs": {"years": {"terms": {"field": "year", "size": 200, "order": {"_key": "asc"}}}},
    }


def build_company_view(
    cik: str, letters: Mapping[str, Any], threads: Iterable[Mapping[str, Any]]
) -> dict[str, Any]:
    """Company details from its newest letters, its reviews and its letters per year."""
    newest = [hit["_source"] for hit in letters["hits"]["hits"]]

    def latest(field: str) -> Any:
        return next((source[field] for source in newest if source.get(field)), None)

    buckets = letters.get("aggregations", {}).get("years", {}).get("buckets", ())
    return {
        "cik": cik,
        "name": latest("company"),
        "ciks": latest("ciks") or [cik],
        "sic": latest("sic"),
        "state": latest("state"),
        "letter_count": int(letters["hits"]["total"]["value"]),
        "letters_per_year": [{"year": int(b["key"]), "count": b["doc_count"]} for b in buckets],
        "reviews": [read_thread_summary(thread) for thread in threads],
    }
