"""How companies answered, through the API over the indexed samples: the outcome filter and
facet of /comments/search, similar comments with their outcomes, /stats answers, and the
research fields of reviews."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.samples

OUTCOMES = {"will_revise", "amended", "supplemental", "no_change", "confidential", "other"}


def _get(client: TestClient, path: str, **params: Any) -> dict[str, Any]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.json()
    return response.json()


def test_answered_comments_carry_outcomes_with_a_facet(client: TestClient) -> None:
    body = _get(client, "/comments/search", has_response="true", size=100)
    assert body["hits"]
    assert all(hit["outcomes"] and set(hit["outcomes"]) <= OUTCOMES for hit in body["hits"])
    facet = {bucket["value"]: bucket["count"] for bucket in body["facets"]["outcomes"]}
    assert {"will_revise", "supplemental", "no_change"} <= facet.keys()
    unanswered = _get(client, "/comments/search", has_response="false", size=100)
    assert all(hit["outcomes"] == [] for hit in unanswered["hits"])


def test_the_outcome_filter_keeps_only_those_answers(client: TestClient) -> None:
    everything = _get(client, "/comments/search", has_response="true")
    declined = _get(client, "/comments/search", outcome="no_change", size=100)
    assert 0 < declined["total"] < everything["total"]
    assert all("no_change" in hit["outcomes"] for hit in declined["hits"])
    either = _get(client, "/comments/search", outcome=["no_change", "amended"])
    assert either["total"] >= declined["total"]
    bad = client.get("/comments/search", params={"outcome": "No Change!"})
    assert bad.status_code == 400
    assert "outcome" in bad.text


def test_similar_comments_show_how_others_answered(client: TestClient) -> None:
    body = _get(client, "/comments/0000000000-22-005802-2/similar", size=10)
    answered = [hit for hit in body["hits"] if hit["response"]]
    assert answered
    for hit in answered:
        assert hit["outcomes"]
        shown = [e["outcome"] for e in hit["outcome_evidence"]]
        assert shown == hit["outcomes"]
        assert all(e["evidence"] for e in hit["outcome_evidence"] if e["outcome"] != "other")


def test_stats_give_the_share_of_no_change_answers_by_topic_and_year(client: TestClient) -> None:
    answers = _get(client, "/stats")["answers"]
    assert answers["answered"] > 0
    counted = {bucket["value"]: bucket["count"] for bucket in answers["outcomes"]}
    declined = _get(client, "/comments/search", outcome="no_change")["total"]
    assert counted["no_change"] == declined
    years = answers["no_change_by_year"]
    assert sum(row["no_change"] for row in years) == declined
    assert all(row["share"] == round(row["no_change"] / row["answered"], 3) for row in years)
    assert answers["no_change_by_topic"]
    narrowed = _get(client, "/stats", topic="non_gaap_measures")["answers"]
    assert 0 < narrowed["answered"] < answers["answered"]


def test_reviews_carry_their_research_fields(client: TestClient) -> None:
    reviews = _get(client, "/threads", size=100)["hits"]
    assert reviews
    answered = [r for r in reviews if r.get("outcomes")]
    assert answered
    assert all(set(r["outcomes"]) <= OUTCOMES for r in answered)
    assert any(r.get("amended") for r in reviews)
    assert all(r.get("amended_evidence") for r in reviews if r.get("amended"))
