"""``corresp mcp`` over stdio and streamable HTTP, with the SDK's client, on the real samples.

Each tool must answer exactly what its REST route answers for the same parameters (the
``client`` fixture is the API in-process); a bad argument is a tool error naming it, after
which the same server answers the next call.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient
from mcp import ClientSession
from mcp.shared.exceptions import MCPError

from indexer.search.params import CommentSearchParams, LetterSearchParams
from tests.es.api.conftest import LVS, Indexed
from tests.mcp_session import answer, http_server, http_session, server_env, stdio_session

pytestmark = pytest.mark.samples

TOOLS = {
    "search_letters",
    "search_comments",
    "get_letter",
    "get_thread",
    "list_threads",
    "get_company",
    "similar_comments",
    "get_statistics",
}
EDGAR = "https://www.sec.gov/Archives/edgar/data/"


@pytest.fixture
def env(es_url: str, indexed: Indexed, tmp_path: Path) -> dict[str, str]:
    return server_env(es_url, indexed.prefix, tmp_path)


def _over_stdio(
    env: dict[str, str], log: Path, scenario: Callable[[ClientSession], Awaitable[None]]
) -> None:
    async def run() -> None:
        with log.open("w", encoding="utf-8") as errlog:
            async with stdio_session(env, errlog) as session:
                await scenario(session)

    anyio.run(run)
    assert "Traceback" not in log.read_text(encoding="utf-8")


async def _ok(session: ClientSession, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
    result = await answer(session, tool, arguments)
    assert not result.is_error, result.content
    structured: dict[str, Any] = result.structured_content
    return structured


async def _refused(
    session: ClientSession, tool: str, arguments: dict[str, Any], *, status: int, parameter: str
) -> str:
    result = await answer(session, tool, arguments)
    assert result.is_error, result.structured_content
    assert result.structured_content["status"] == status
    assert result.structured_content["parameter"] == parameter
    text: str = result.content[0].text  # type: ignore[union-attr]
    assert text.startswith(f"{parameter}: "), text
    return text


def test_tools_are_listed_with_the_api_parameter_descriptions(
    env: dict[str, str], tmp_path: Path
) -> None:
    async def scenario(session: ClientSession) -> None:
        tools = {tool.name: tool for tool in (await session.list_tools()).tools}
        assert set(tools) == TOOLS
        for tool in tools.values():
            assert tool.description
            assert tool.output_schema is not None
            assert tool.annotations is not None
            assert tool.annotations.read_only_hint is True
            assert tool.input_schema["additionalProperties"] is False
        letters = tools["search_letters"].input_schema["properties"]
        for name in ("q", "letter_type", "date_from", "size", "cursor"):
            expected = LetterSearchParams.model_fields[name].description
            assert letters[name]["description"] == expected
        comments = tools["search_comments"].input_schema["properties"]
        assert set(comments) == set(CommentSearchParams.model_fields)
        assert "has_response" in comments and "outcome" in comments
        assert tools["get_letter"].input_schema["required"] == ["accession"]
        assert "comment_id" in tools["similar_comments"].input_schema["required"]

    _over_stdio(env, tmp_path / "stderr.log", scenario)


def test_stdio_tools_answer_what_the_rest_api_answers(
    env: dict[str, str], client: TestClient, tmp_path: Path
) -> None:
    def rest(path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        response = client.get(path, params=params)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def scenario(session: ClientSession) -> None:
        # Search and page: one value where the API takes a list, as ?cik= does.
        query = {"q": "Macao", "cik": LVS, "size": 3}
        first = await _ok(session, "search_letters", query)
        assert first == rest("/search", query)
        assert first["total"] > 3
        assert len(first["hits"]) == 3
        assert all(hit["url"].startswith(EDGAR) for hit in first["hits"])
        second = await _ok(session, "search_letters", {**query, "cursor": first["next_cursor"]})
        assert second == rest("/search", {**query, "cursor": first["next_cursor"]})
        assert {h["accession"] for h in second["hits"]}.isdisjoint(
            h["accession"] for h in first["hits"]
        )

        accession = first["hits"][0]["accession"]
        letter = await _ok(session, "get_letter", {"accession": accession})
        assert letter == rest(f"/letters/{accession}")
        assert letter["accession"] == accession
        assert letter["text"]
        assert letter["url"].startswith(EDGAR)

        thread_id = letter["thread_id"]
        thread = await _ok(session, "get_thread", {"thread_id": thread_id})
        assert thread == rest(f"/threads/{thread_id}")
        assert accession in {member["accession"] for member in thread["letters"]}

        own = await _ok(session, "list_threads", {"cik": LVS})
        assert own == rest("/threads", {"cik": LVS})
        assert thread_id in {review["thread_id"] for review in own["hits"]}
        reviews = await _ok(session, "list_threads", {"status": "closed", "size": 2})
        assert reviews == rest("/threads", {"status": "closed", "size": 2})
        assert len(reviews["hits"]) == 2 and reviews["next_cursor"]
        more = {"status": "closed", "size": 2, "cursor": reviews["next_cursor"]}
        assert await _ok(session, "list_threads", more) == rest("/threads", more)
        company = await _ok(session, "get_company", {"cik": LVS})
        assert company == rest(f"/companies/{LVS}")
        assert thread_id in {review["thread_id"] for review in company["reviews"]}

        comment_query = {"q": "goodwill", "has_response": True, "size": 5}
        found = await _ok(session, "search_comments", comment_query)
        assert found == rest("/comments/search", comment_query)
        assert found["hits"]
        declined = await _ok(session, "search_comments", {"outcome": "no_change", "size": 5})
        assert declined == rest("/comments/search", {"outcome": "no_change", "size": 5})
        assert declined["hits"] and all("no_change" in h["outcomes"] for h in declined["hits"])
        assert all(hit["response"] for hit in found["hits"])

        comment_id = found["hits"][0]["comment_id"]
        similar = await _ok(session, "similar_comments", {"comment_id": comment_id, "size": 5})
        assert similar == rest(f"/comments/{comment_id}/similar", {"size": 5})
        assert similar["comment"]["comment_id"] == comment_id
        assert similar["hits"]
        own = set(similar["comment"]["ciks"])
        assert all(own.isdisjoint(hit["ciks"]) for hit in similar["hits"])

        stats = await _ok(session, "get_statistics", {"cik": f'["{LVS}"]', "form": "upload"})
        assert stats == rest("/stats", {"cik": LVS, "form": "UPLOAD"})
        assert stats["letters"] > 0
        assert stats["years"]

    _over_stdio(env, tmp_path / "stderr.log", scenario)


def test_a_bad_argument_is_a_tool_error_naming_it_and_the_server_goes_on(
    env: dict[str, str], tmp_path: Path
) -> None:
    async def scenario(session: ClientSession) -> None:
        refusals = [
            ("search_letters", {"letter_type": "bogus"}, 400, "letter_type"),
            ("search_letters", {"date_from": "2022-02-30"}, 400, "date_from"),
            (
                "search_letters",
                {"date_from": "2022-05-01", "date_to": "2022-01-01"},
                400,
                "date_to",
            ),
            ("search_letters", {"size": 101}, 400, "size"),
            ("search_letters", {"cursor": "not-a-cursor"}, 400, "cursor"),
            ("search_letters", {"letter_types": ["comment"]}, 400, "letter_types"),
            ("search_comments", {"has_response": "perhaps"}, 400, "has_response"),
            ("get_letter", {"accession": "not-an-accession"}, 400, "accession"),
            ("get_letter", {"accession": "0000000000-00-000001"}, 404, "accession"),
            ("get_letter", {}, 400, "accession"),
            ("get_thread", {"thread_id": "0000000000-00-000001"}, 404, "thread_id"),
            ("list_threads", {"status": "ajar"}, 400, "status"),
            ("get_company", {"cik": "not a cik"}, 400, "cik"),
            ("get_company", {"cik": "9999999999"}, 404, "cik"),
            ("similar_comments", {"comment_id": "0000000000-00-000001"}, 400, "comment_id"),
            ("similar_comments", {"comment_id": "0000000000-00-000001-1"}, 404, "comment_id"),
            ("get_statistics", {"size": 5}, 400, "size"),
        ]
        for tool, arguments, status, parameter in refusals:
            await _refused(session, tool, arguments, status=status, parameter=parameter)
            # The same server answers the next call.
            page = await _ok(session, "search_letters", {"size": 1})
            assert len(page["hits"]) == 1
        text = await _refused(
            session, "search_letters", {"letter_type": "bogus"}, status=400, parameter="letter_type"
        )
        assert "'bogus'" in text
        assert "review_complete" in text
        with pytest.raises(MCPError, match="unknown tool"):
            await session.call_tool("drop_index", {})
        assert (await _ok(session, "get_statistics", {}))["letters"] > 0

    _over_stdio(env, tmp_path / "stderr.log", scenario)


def test_streamable_http(env: dict[str, str], client: TestClient, tmp_path: Path) -> None:
    async def scenario(url: str) -> None:
        async with http_session(url) as session:
            tools = await session.list_tools()
            assert {tool.name for tool in tools.tools} == TOOLS
            query = {"q": '"Adjusted Property EBITDA"'}
            found = await _ok(session, "search_letters", query)
            assert found == client.get("/search", params=query).json()
            assert found["total"] == 2
            await _refused(session, "search_letters", {"size": 0}, status=400, parameter="size")
            accession = found["hits"][0]["accession"]
            letter = await _ok(session, "get_letter", {"accession": accession})
            assert letter == client.get(f"/letters/{accession}").json()

    log = tmp_path / "http.log"
    with http_server(env, log) as url:
        anyio.run(scenario, url)
    assert "Traceback" not in log.read_text(encoding="utf-8")
