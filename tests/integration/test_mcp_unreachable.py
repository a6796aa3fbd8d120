"""``corresp mcp`` while no Elasticsearch answers: tool errors, never a crash.

The cluster URL points where nothing listens. Every tool that needs the cluster is a tool
error (``isError``) saying the search backend is unavailable, with the API's 503 shape; a
bad argument is still refused first, naming it; the server answers every call. Over stdio,
and over streamable HTTP with ``api.require_key_for_reads`` (a request without the key is
the REST API's 401).
"""

from __future__ import annotations

from pathlib import Path

import anyio
import httpx2
from mcp import ClientSession

from tests.mcp_session import answer, http_server, http_session, server_env, stdio_session

CALLS = (
    ("search_letters", {"q": "goodwill"}),
    ("search_comments", {"q": "revenue", "has_response": False}),
    ("get_letter", {"accession": "0001300514-22-000010"}),
    ("get_thread", {"thread_id": "0001300514-22-000010"}),
    ("list_threads", {"cik": "1300514"}),
    ("get_company", {"cik": "1300514"}),
    ("similar_comments", {"comment_id": "0001300514-22-000010-1"}),
    ("get_statistics", {}),
)


async def _scenario(session: ClientSession) -> None:
    assert {tool.name for tool in (await session.list_tools()).tools} == {n for n, _ in CALLS}
    for tool, arguments in CALLS:
        result = await answer(session, tool, arguments)
        assert result.is_error, result.structured_content
        assert result.structured_content["status"] == 503
        text = result.content[0].text  # type: ignore[union-attr]
        assert text.startswith("search backend unavailable: "), text
        assert "Elasticsearch unreachable" in text
        refused = await answer(session, tool, {**arguments, "size": -1})
        assert refused.is_error
        assert refused.structured_content["status"] == 400
        assert refused.structured_content["parameter"] == "size"


def test_tools_say_the_search_backend_is_unavailable(tmp_path: Path) -> None:
    log = tmp_path / "stderr.log"

    async def run() -> None:
        env = server_env("http://127.0.0.1:9", "test-mcp-", tmp_path)
        with log.open("w", encoding="utf-8") as errlog:
            async with stdio_session(env, errlog) as session:
                await _scenario(session)

    anyio.run(run)
    stderr = log.read_text(encoding="utf-8")
    assert "search backend error" in stderr
    assert "Traceback" not in stderr


def test_http_asks_for_the_api_key_when_reads_need_one(tmp_path: Path) -> None:
    key = "mcp-test-key-0123456789"
    env = server_env("http://127.0.0.1:9", "test-mcp-", tmp_path) | {
        "CORRESP__API__KEYS": key,
        "CORRESP__API__REQUIRE_KEY_FOR_READS": "true",
    }

    async def scenario(url: str) -> None:
        async with httpx2.AsyncClient() as http:
            refused = await http.post(url, json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
        assert refused.status_code == 401
        assert refused.json()["ok"] is False
        async with http_session(url, {"X-API-Key": key}) as session:
            await _scenario(session)

    log = tmp_path / "http.log"
    with http_server(env, log) as url:
        anyio.run(scenario, url)
    assert "Traceback" not in log.read_text(encoding="utf-8")
