"""``corresp mcp`` as a real process, reached with the ``mcp`` SDK's own client.

``stdio_session(env, errlog)`` starts ``python -m indexer mcp`` (the ``corresp`` command) and
yields an initialized ``ClientSession`` over its standard input and output; ``http_server``
starts ``… mcp --transport http`` on a free loopback port and yields the endpoint URL, for
``http_session(url)``. ``server_env`` is the environment that points the server at a cluster
and an index prefix (the tests' configuration is passed as ``CORRESP__…`` variables).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import IO, Any

import httpx2
from mcp import ClientSession, StdioServerParameters, types
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client

from tests.ports import free_port

__all__ = ["answer", "http_server", "http_session", "server_env", "stdio_session"]

STARTUP_SECONDS = 60.0
COMMAND = [sys.executable, "-m", "indexer", "mcp"]


def server_env(es_url: str, prefix: str, data_dir: Path) -> dict[str, str]:
    """The variables that configure the server for a test's cluster and indices."""
    return {
        "CORRESP__ELASTICSEARCH__URL": es_url,
        "CORRESP__ELASTICSEARCH__INDEX_PREFIX": prefix,
        "CORRESP__STORAGE__DATA_DIR": str(data_dir),
    }


@asynccontextmanager
async def stdio_session(env: dict[str, str], errlog: IO[str]) -> AsyncIterator[ClientSession]:
    """A session with ``corresp mcp`` over stdio; its standard error goes to ``errlog``."""
    parameters = StdioServerParameters(command=COMMAND[0], args=COMMAND[1:], env=env)
    async with (
        stdio_client(parameters, errlog=errlog) as (read_stream, write_stream),
        ClientSession(read_stream, write_stream, read_timeout_seconds=60) as session,
    ):
        await session.initialize()
        yield session


@contextmanager
def http_server(env: dict[str, str], log: Path) -> Iterator[str]:
    """``corresp mcp --transport http`` on a free loopback port: its endpoint URL."""
    port = free_port()
    command = [*COMMAND, "--transport", "http", "--host", "127.0.0.1", "--port", str(port)]
    environment = os.environ | env  # the autouse fixture has removed CORRESP__ variables
    with log.open("wb") as sink:
        server = subprocess.Popen(command, env=environment, stdout=sink, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _listening(port):
            assert server.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        server.terminate()
        server.wait(timeout=30)


@asynccontextmanager
async def http_session(
    url: str, headers: dict[str, str] | None = None
) -> AsyncIterator[ClientSession]:
    """A session with the server at ``url`` over streamable HTTP, sending ``headers``."""
    async with (
        httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(60)) as http_client,
        streamable_http_client(url, http_client=http_client) as (read_stream, write_stream),
        ClientSession(read_stream, write_stream, read_timeout_seconds=60) as session,
    ):
        await session.initialize()
        yield session


async def answer(
    session: ClientSession, tool: str, arguments: dict[str, Any]
) -> types.CallToolResult:
    """The result of one tool call, with its text checked to be the structured content."""
    result = await session.call_tool(tool, arguments)
    assert isinstance(result, types.CallToolResult), result
    assert result.structured_content is not None, result
    text = result.content[0]
    assert isinstance(text, types.TextContent)
    if not result.is_error:
        assert json.loads(text.text) == result.structured_content
    return result


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0
