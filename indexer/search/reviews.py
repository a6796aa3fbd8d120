"""Reviews (threads) and companies: the bodies of their requests, and their fields. Pure.

- ``GET /threads``: ``build_thread_list_body`` filters the threads index
  (``thread_filter_clauses``) and pages it newest first (``THREAD_ORDER``); each hit is read
  with ``read_thread_summary``.
- ``GET /threads/{id}``: the thread document is read by id; ``thread_letters_body`` and
  ``thread_comments_body`` walk its letters (for their URLs) and its comments.
- ``GET /companies/{cik}``: ``company_letters_body`` reads the newest letters, the letter
  count and the letters per year (``read_letters_per_year``); ``company_threads_body`` walks
  the company's reviews.

The views built from the answers are in ``api/reviews.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from indexer.search.body import all_words, date_range, terms
from indexer.search.kinds import COMMENT_BASE_FIELDS, THREAD_ORDER
from indexer.search.paging import PageRequest, SortKey, SortOrder
from indexer.search.params import ThreadListParams
from indexer.search.scan import build_scan_body

__all__ = [
    "LATEST_LETTERS",
    "THREAD_COMMENT_FIELDS",
    "THREAD_SUMMARY_FIELDS",
    "build_thread_list_body",
    "company_letters_body",
    "company_threads_body",
    "read_letters_per_year",
    "read_thread_summary",
    "thread_comments_body",
    "thread_document_body",
    "thread_filter_clauses",
    "thread_letters_body",
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
    "outcomes",
    "answer_count",
    "amended",
    "amended_evidence",
)
"""The fields of a thread in a listing (and at the top of a thread's page)."""
THREAD_COMMENT_FIELDS = (
    *COMMENT_BASE_FIELDS,
    "response_accession",
    "response_date",
    "topics",
    "outcomes",
)
"""The fields of each comment on a thread's page."""
LATEST_LETTERS = 10
"""Letters read to describe a company: the newest one that names each detail wins."""

_COMPANY_FIELDS = ("company", "ciks", "sic", "state")
_BY_ACCESSION = SortOrder("letters", "accession", (SortKey("accession", False, "string"),))
_BY_COMMENT_ID = SortOrder(
    "comments", "id", (SortKey("comment_id", descending=False, kind="string"),)
)


def thread_filter_clauses(params: ThreadListParams) -> list[dict[str, Any]]:
    """The thread filters as non-scoring clauses (every one must hold)."""
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
    """One page of the threads matching ``params`` (``size + 1`` hits), counted exactly."""
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
    """The summary fields of a thread document (``None`` where it has none)."""
    return {name: source.get(name) for name in THREAD_SUMMARY_FIELDS}


def thread_document_body(thread_id: str) -> dict[str, Any]:
    """A walk over the thread document ``thread_id`` (none or one), whole."""
    return build_scan_body({"ids": {"values": [thread_id]}}, THREAD_ORDER, source=True)


def thread_letters_body(thread_id: str) -> dict[str, Any]:
    """A walk over the letters of a thread (accession and URL), by accession."""
    query = {"term": {"thread_id": thread_id}}
    return build_scan_body(query, _BY_ACCESSION, source=["accession", "url"])


def thread_comments_body(thread_id: str) -> dict[str, Any]:
    """A walk over the comments of a thread, by comment id."""
    query = {"term": {"thread_id": thread_id}}
    return build_scan_body(query, _BY_COMMENT_ID, source=list(THREAD_COMMENT_FIELDS))


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


def read_letters_per_year(letters: Mapping[str, Any]) -> list[dict[str, int]]:
    """``[{year, count}]`` from the answer to ``company_letters_body``, oldest year first."""
    buckets = letters.get("aggregations", {}).get("years", {}).get("buckets", ())
    return [{"year": int(b["key"]), "count": b["doc_count"]} for b in buckets]


def company_threads_body(cik: str) -> dict[str, Any]:
    """A walk over the reviews of a company (summary fields), newest first."""
    query = {"term": {"ciks": cik}}
    return build_scan_body(query, THREAD_ORDER, source=list(THREAD_SUMMARY_FIELDS))
