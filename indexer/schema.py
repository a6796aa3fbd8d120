"""Index settings and mappings as data, for the minimal and the full Elasticsearch.

Every index has exact ``keyword`` fields for filters and facets and ``text`` fields analyzed
with the ``standard`` tokenizer and ``lowercase`` filter, which every distribution has (the
minimal integ-test distribution lacks the analysis-common module). Where the cluster has
analysis-common, text fields also get an ``english`` sub-field (possessives, stemming) that
searches use when present. Full text is indexed with offsets, so highlighting needs no
re-analysis. Documents nest nothing: comments are their own index, with the letter's metadata
copied in, so every query is a flat, fast one.

``SCHEMA_VERSION`` changes whenever a mapping changes incompatibly; ``corresp reindex`` moves
data over. Fields added to a mapping are put onto the live indices by
``lifecycle.ensure_schema`` (documents indexed before carry them after a reindex).
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["SCHEMA_VERSION", "index_template", "mappings"]

SCHEMA_VERSION = 1

_KEYWORD = {"type": "keyword"}
_DATE = {"type": "date", "format": "strict_date_optional_time||yyyy-MM-dd"}
_INT = {"type": "integer"}
_STORED_ONLY = {"type": "object", "enabled": False}
_REVIEWED_FILINGS = {
    "properties": {
        "form": _KEYWORD,
        "period_end": _DATE,
        "filed_on": _DATE,
        "filed_by": _KEYWORD,
        "accession": _KEYWORD,
        "url": {"type": "keyword", "index": False},
    }
}


def _text(*, rich: bool, keyword: bool = False, offsets: bool = False) -> dict[str, Any]:
    field: dict[str, Any] = {"type": "text", "analyzer": "corresp_text"}
    if offsets:
        field["index_options"] = "offsets"
    subfields: dict[str, Any] = {}
    if keyword:
        subfields["raw"] = {"type": "keyword", "ignore_above": 256}
    if rich:
        subfields["english"] = {"type": "text", "analyzer": "corresp_english"}
        if offsets:
            subfields["english"]["index_options"] = "offsets"
    if subfields:
        field["fields"] = subfields
    return field


def _analysis(*, rich: bool) -> dict[str, Any]:
    analyzers: dict[str, Any] = {
        "corresp_text": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase"]}
    }
    filters: dict[str, Any] = {}
    if rich:
        filters = {
            "corresp_possessive": {"type": "stemmer", "language": "possessive_english"},
            "corresp_stemmer": {"type": "stemmer", "language": "english"},
        }
        analyzers["corresp_english"] = {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["corresp_possessive", "lowercase", "corresp_stemmer"],
        }
    return {"analyzer": analyzers, "filter": filters} if filters else {"analyzer": analyzers}


def _company_fields(*, rich: bool) -> dict[str, Any]:
    return {
        "ciks": _KEYWORD,
        "company": _text(rich=rich, keyword=True),
        "sic": _KEYWORD,
        "state": _KEYWORD,
        "file_numbers": _KEYWORD,
        "thread_id": _KEYWORD,
        "office": _KEYWORD,
    }


def _letter_mappings(*, rich: bool) -> dict[str, Any]:
    return {
        "dynamic": "strict",
        "properties": {
            **_company_fields(rich=rich),
            "accession": _KEYWORD,
            "form": _KEYWORD,
            "sender": _KEYWORD,
            "letter_type": _KEYWORD,
            "letter_date": _DATE,
            "filing_date": _DATE,
            "released_on": _DATE,
            "first_seen_at": _DATE,
            "year": _INT,
            "company_suggest": {"type": "completion", "analyzer": "simple"},
            "fiscal_year_end": _KEYWORD,
            "reviewed_filings": _REVIEWED_FILINGS,
            "reviewed_forms": _KEYWORD,
            "cited_dates": {"properties": {"date": _DATE, "kind": _KEYWORD}},
            "cik_reference": _KEYWORD,
            "reference_accession": _KEYWORD,
            "opens_review": {"type": "boolean"},
            "comment_count": _INT,
            "comments": _STORED_ONLY,
            "staff": {"properties": {"name": _KEYWORD, "title": _KEYWORD, "phone": _KEYWORD}},
            "staff_names": _text(rich=rich, keyword=True),
            "office_raw": _KEYWORD,
            "topics": _KEYWORD,
            "topic_matches": _STORED_ONLY,
            "outcomes": _KEYWORD,
            "outcome_matches": _STORED_ONLY,
            "amendments_filed": _STORED_ONLY,
            "text": _text(rich=rich, offsets=True),
            "text_source": _KEYWORD,
            "warnings": _KEYWORD,
            "url": {"type": "keyword", "index": False},
            "source": _STORED_ONLY,
        },
    }


def _comment_mappings(*, rich: bool) -> dict[str, Any]:
    return {
        "dynamic": "strict",
        "properties": {
            **_company_fields(rich=rich),
            "comment_id": _KEYWORD,
            "accession": _KEYWORD,
            "number": _INT,
            "heading": _text(rich=rich, keyword=True, offsets=True),
            "text": _text(rich=rich, offsets=True),
            "response": _text(rich=rich, offsets=True),
            "response_accession": _KEYWORD,
            "response_date": _DATE,
            "has_response": {"type": "boolean"},
            "form": _KEYWORD,
            "letter_type": _KEYWORD,
            "letter_date": _DATE,
            "released_on": _DATE,
            "year": _INT,
            "staff_names": _text(rich=rich, keyword=True),
            "topics": _KEYWORD,
            "topic_evidence": _STORED_ONLY,
            "outcomes": _KEYWORD,
            "outcome_evidence": _STORED_ONLY,
            "url": {"type": "keyword", "index": False},
        },
    }


def _thread_mappings(*, rich: bool) -> dict[str, Any]:
    return {
        "dynamic": "strict",
        "properties": {
            **_company_fields(rich=rich),
            "status": _KEYWORD,
            "opened_on": _DATE,
            "closed_on": _DATE,
            "released_on": _DATE,
            "days_open": _INT,
            "rounds": _INT,
            "letter_count": _INT,
            "comment_count": _INT,
            "year": _INT,
            "reviewed_filings": _REVIEWED_FILINGS,
            "reviewed_forms": _KEYWORD,
            "topics": _KEYWORD,
            "outcomes": _KEYWORD,
            "answer_count": _INT,
            "amended": {"type": "boolean"},
            "amended_evidence": {"type": "keyword", "index": False},
            "letters": _STORED_ONLY,
            "warnings": _KEYWORD,
        },
    }


_MAPPINGS = {
    "letters": _letter_mappings,
    "comments": _comment_mappings,
    "threads": _thread_mappings,
}


def mappings(kind: str, *, rich: bool) -> dict[str, Any]:
    """The mapping of ``kind`` (``letters``, ``comments``, ``threads``): a fresh copy."""
    return copy.deepcopy(_MAPPINGS[kind](rich=rich))


def index_template(
    kind: str, *, pattern: str, rich: bool, shards: int = 1, replicas: int = 0
) -> dict[str, Any]:
    """The body of the composable index template of ``kind`` (``elasticsearch.indices``
    gives its shards and replicas)."""
    return {
        "index_patterns": [pattern],
        "priority": 200,
        "version": SCHEMA_VERSION,
        "template": {
            "settings": {
                "number_of_shards": shards,
                "number_of_replicas": replicas,
                "analysis": _analysis(rich=rich),
            },
            "mappings": mappings(kind, rich=rich),
        },
        "_meta": {"schema_version": SCHEMA_VERSION, "analysis": "rich" if rich else "core"},
    }
