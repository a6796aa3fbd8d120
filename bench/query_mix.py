"""The requests the API benches send, with real values (ids, CIKs, cursors) read from the index.

``search_mix`` is the fixed search mix of ``bench/api_bench.py`` (phrase, boolean with
filters, sorted browse, comment search, file-number filter, thread list and lookups, one deep
cursor page). ``sample_ids`` collects accessions, thread ids and CIKs of real letters so a
bench can ask for letter, thread and company pages that exist; ``deep_cursor`` walks a
search's cursor several pages deep.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx

__all__ = ["MixRequest", "Samples", "deep_cursor", "sample_ids", "search_mix"]


@dataclass(frozen=True)
class MixRequest:
    """One GET: a short name of its kind (for per-kind figures), the path and the parameters."""

    kind: str
    path: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Samples:
    """Identifiers of letters that exist in the served index."""

    accessions: list[str]
    thread_ids: list[str]
    ciks: list[str]
    file_numbers: list[str]


def sample_ids(client: httpx.Client, queries: list[str], *, size: int = 50) -> Samples:
    """Accessions, thread ids, CIKs and file numbers of the top ``size`` hits of each query."""
    hits = [
        hit
        for query in queries
        for hit in _get(client, "/search", {"q": query, "size": str(size)})["hits"]
    ]
    return Samples(
        accessions=_unique(hit["accession"] for hit in hits),
        thread_ids=_unique(hit["thread_id"] for hit in hits if hit.get("thread_id")),
        ciks=_unique(cik for hit in hits for cik in hit.get("ciks", [])),
        file_numbers=_unique(n for hit in hits for n in hit.get("file_numbers", [])),
    )


def deep_cursor(client: httpx.Client, params: dict[str, str], *, pages: int) -> str | None:
    """The cursor of page ``pages + 2`` of a search (None when it has fewer pages)."""
    cursor = _get(client, "/search", params).get("next_cursor")
    for _ in range(pages):
        if not cursor:
            break
        cursor = _get(client, "/search", params | {"cursor": cursor}).get("next_cursor")
    return cursor


def search_mix(client: httpx.Client, rng: random.Random) -> list[MixRequest]:
    """The search mix of the latency benchmark (its order and values are part of its figures)."""
    samples = sample_ids(client, ['"we note your response"'])
    numbers = samples.file_numbers
    mix = [
        MixRequest("phrase", "/search", {"q": '"non-GAAP financial measures"'}),
        MixRequest(
            "boolean",
            "/search",
            {
                "q": '"revenue recognition" AND (principal OR agent) -goodwill',
                "form": "UPLOAD",
                "date_from": "2012-01-01",
            },
        ),
        MixRequest("sorted", "/search", {"q": "segment reporting", "sort": "date"}),
        MixRequest(
            "filtered",
            "/search",
            {
                "q": "cybersecurity incident",
                "letter_type": "comment",
                "released_from": "2010-01-01",
            },
        ),
        MixRequest("comments", "/comments/search", {"q": '"critical accounting estimates"'}),
        MixRequest(
            "comments", "/comments/search", {"q": "impairment goodwill", "has_response": "true"}
        ),
        MixRequest(
            "file_number",
            "/search",
            {"file_number": rng.choice(numbers)} if numbers else {"q": "liquidity"},
        ),
        MixRequest("thread_list", "/threads", {"status": "closed", "min_rounds": "2"}),
    ]
    mix += [MixRequest("thread", f"/threads/{thread_id}") for thread_id in samples.thread_ids[:5]]
    deep = {"q": "comment", "size": "100"}
    if cursor := deep_cursor(client, deep, pages=20):
        mix.append(MixRequest("deep_cursor", "/search", deep | {"cursor": cursor}))
    return mix


def _get(client: httpx.Client, path: str, params: dict[str, str]) -> dict[str, Any]:
    response = client.get(path, params=params)
    response.raise_for_status()
    return response.json()


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))
