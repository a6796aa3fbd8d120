"""Error bodies of requests beyond a cluster limit are recognised and explained."""

from __future__ import annotations

from indexer.cluster_limits import limit_message

_BUCKETS = {
    "error": {
        "root_cause": [],
        "type": "search_phase_execution_exception",
        "reason": "",
        "failed_shards": [],
        "caused_by": {
            "type": "too_many_buckets_exception",
            "reason": "Trying to create too many buckets. Must be less than or equal to: "
            "[65536] but this number of buckets was exceeded.",
            "max_buckets": 65536,
        },
    },
    "status": 400,
}
_CLAUSES = {
    "error": {
        "root_cause": [{"type": "query_shard_exception", "reason": "failed to create query"}],
        "type": "search_phase_execution_exception",
        "failed_shards": [
            {
                "shard": 0,
                "reason": {
                    "type": "query_shard_exception",
                    "caused_by": {
                        "type": "too_many_clauses",
                        "reason": "maxClauseCount is set to 4096",
                    },
                },
            }
        ],
    }
}
_EXPIRED = {
    "error": {
        "root_cause": [
            {
                "type": "search_context_missing_exception",
                "reason": "No search context found for id [91]",
            }
        ],
        "type": "search_phase_execution_exception",
    },
    "status": 404,
}
_WINDOW = {
    "error": {
        "root_cause": [
            {
                "type": "illegal_argument_exception",
                "reason": "Result window is too large, from + size must be less than or equal "
                "to: [10000] but was [20000].",
            }
        ],
        "type": "search_phase_execution_exception",
    }
}


def test_each_limit_names_the_setting_and_what_to_narrow() -> None:
    buckets = limit_message(_BUCKETS)
    assert buckets is not None
    assert "search.max_buckets = 65,536" in buckets and "narrow" in buckets
    clauses = limit_message(_CLAUSES)
    assert clauses is not None
    assert "indices.query.bool.max_clause_count = 4,096" in clauses and "q" in clauses
    expired = limit_message(_EXPIRED)
    assert expired is not None
    assert "point in time" in expired and "2m" in expired
    window = limit_message(_WINDOW)
    assert window is not None
    assert "index.max_result_window = 10,000" in window and "next_cursor" in window


def test_other_errors_are_not_limits() -> None:
    assert limit_message({"error": {"type": "index_not_found_exception", "reason": "no"}}) is None
    assert limit_message({"error": {"type": "illegal_argument_exception", "reason": "x"}}) is None
    assert limit_message("not a body") is None
    assert limit_message(None) is None
