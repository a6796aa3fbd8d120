"""An answer the cluster could only partly give is said to be partial, with the reason."""

from __future__ import annotations

from api.search import partial_reasons


def test_complete_answers_have_no_reason() -> None:
    assert partial_reasons(5, {"timed_out": False, "_shards": {"total": 3, "failed": 0}}) == []


def test_time_limit_and_failed_shards_are_reasons() -> None:
    stopped = {"timed_out": True, "_shards": {"total": 1, "failed": 0}}
    failed = {
        "timed_out": False,
        "_shards": {
            "total": 3,
            "failed": 1,
            "failures": [{"shard": 2, "reason": {"type": "x", "reason": "node left the cluster"}}],
        },
    }
    reasons = partial_reasons(5, stopped, failed)
    assert len(reasons) == 2
    assert reasons[0].startswith("the search was stopped after 5 s")
    assert reasons[1].startswith("1 of 4 shards failed (node left the cluster): ")
