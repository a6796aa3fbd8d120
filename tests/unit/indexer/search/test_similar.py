"""The ``more_like_this`` body of similar comments. Pure."""

from __future__ import annotations

from indexer.search.similar import SIMILAR_FIELDS, build_similar_body, like_text


def test_similar_excludes_the_company_the_thread_and_the_comment() -> None:
    comment = {
        "comment_id": "A-1",
        "heading": "Non-GAAP",
        "text": "Reconcile Adjusted EBITDA.",
        "response": "We will.",
        "ciks": ["0000000001", "0000000002"],
        "thread_id": "A",
    }
    body = build_similar_body(comment, size=5)
    query = body["query"]["bool"]
    (mlt,) = query["must"]
    assert mlt["more_like_this"]["like"] == "Non-GAAP\n\nReconcile Adjusted EBITDA."
    assert mlt["more_like_this"]["fields"] == ["heading", "text"]
    assert {"terms": {"ciks": ["0000000001", "0000000002"]}} in query["must_not"]
    assert {"terms": {"thread_id": ["A"]}} in query["must_not"]
    assert {"term": {"comment_id": "A-1"}} in query["must_not"]
    assert body["size"] == 5
    assert body["source"] == list(SIMILAR_FIELDS)


def test_a_comment_without_company_or_thread_excludes_only_itself() -> None:
    body = build_similar_body({"comment_id": "A-1", "text": "Explain."}, size=3)
    assert body["query"]["bool"]["must_not"] == [{"term": {"comment_id": "A-1"}}]


def test_like_text_skips_missing_parts() -> None:
    assert like_text({"heading": None, "text": "Explain."}) == "Explain."
    assert like_text({"heading": "", "text": ""}) == ""
