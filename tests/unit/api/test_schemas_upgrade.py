"""Documents indexed by an earlier release lack the newer fields: the answers still validate."""

from __future__ import annotations

from api.schemas import CommentExchange, CommentHit, ThreadSummary


def test_documents_without_outcomes_are_read_as_having_none() -> None:
    hit = CommentHit.model_validate(
        {"comment_id": "a-1", "accession": "a", "outcomes": None, "outcome_evidence": None}
    )
    assert (hit.outcomes, hit.outcome_evidence) == ([], [])
    thread = ThreadSummary.model_validate({"thread_id": "t", "outcomes": None, "amended": None})
    assert thread.outcomes == [] and thread.amended is None
    exchange = CommentExchange.model_validate({"comment_id": "a-1", "accession": "a"})
    assert exchange.outcomes == []
