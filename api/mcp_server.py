"""The MCP server of ``corresp mcp``: the one module that imports the ``mcp`` SDK.

``build_server(context)`` makes the SDK's low-level ``Server`` answer two requests:
``tools/list`` from ``api.mcp_tools.TOOLS`` (input and output schemas are the JSON schemas of
the tools' pydantic models, with their field descriptions) and ``tools/call`` by
``run_tool``, in a worker thread (the Elasticsearch client is synchronous). An answer is the
REST answer's JSON as structured content, and the same JSON as text for clients that read
only text. A ``ToolCallError`` (bad argument, unknown letter, cluster down) is a tool error
(``isError``) whose text names the parameter, with the API's error shape as structured
content; the server goes on answering. An unknown tool name is a protocol error.

The low-level ``Server`` is used rather than ``MCPServer`` (``FastMCP`` in mcp 1.x): that one
builds an argument model of its own from a function signature, which ignores unknown
arguments and words errors its own way before the API's parameter models could see them.

Transports: ``run_stdio`` (standard input and output; logs go to standard error) and
``run_http`` (streamable HTTP at ``/mcp``, served by uvicorn; on loopback the SDK refuses
foreign ``Host`` and ``Origin`` headers, and ``api.require_key_for_reads`` asks for an API
key as the REST API does).
"""

from __future__ import annotations

import json
from importlib.metadata import version
from typing import Any

import anyio
import anyio.to_thread
import uvicorn
from mcp import types
from mcp.server import Server, ServerRequestContext
from mcp.server.stdio import stdio_server
from mcp.shared.exceptions import MCPError
from starlette.types import ASGIApp

from api.auth import KeyRequiredMiddleware
from api.mcp_tools import TOOLS, Tool, ToolCallError, ToolContext, run_tool
from indexer.settings import ApiConfig

__all__ = ["HTTP_PATH", "INSTRUCTIONS", "build_server", "http_app", "run_http", "run_stdio"]

HTTP_PATH = "/mcp"
INSTRUCTIONS = """\
SEC comment letters from EDGAR, read-only: the staff's letters to companies about their
filings (form UPLOAD) and the companies' responses (CORRESP), split into numbered comments
and threaded into reviews. Start with search_letters or search_comments (a search string and
filters; page with next_cursor), then get_letter (one letter's text and comments), get_thread
(a whole review, each comment beside its answer) or similar_comments (the same question asked
of other companies). list_threads lists reviews by company, file number, status or form;
get_company gives one company's review history. get_statistics counts letters and reviews
per year. Every letter has its EDGAR url. A bad argument is an error naming it: correct it
and call again."""


def _describe(tool: Tool) -> types.Tool:
    arguments = tool.arguments.model_json_schema()
    arguments.pop("description", None)  # the model's docstring names its REST route
    return types.Tool(
        name=tool.name,
        title=tool.title,
        description=tool.description,
        input_schema=arguments,
        output_schema=tool.answer.model_json_schema(mode="serialization"),
        annotations=types.ToolAnnotations(
            title=tool.title,
            read_only_hint=True,
            destructive_hint=False,
            idempotent_hint=True,
            open_world_hint=False,
        ),
    )


def _text(value: Any) -> list[types.ContentBlock]:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return [types.TextContent(type="text", text=text)]


def build_server(context: ToolContext) -> Server[Any]:
    """The MCP server answering the tools from ``context`` (the search service)."""
    by_name = {tool.name: tool for tool in TOOLS}
    listing = types.ListToolsResult(tools=[_describe(tool) for tool in TOOLS])

    async def list_tools(
        _ctx: ServerRequestContext[Any, Any], _params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return listing

    async def call_tool(
        _ctx: ServerRequestContext[Any, Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        tool = by_name.get(params.name)
        if tool is None:
            names = ", ".join(by_name)
            message = f"unknown tool {params.name!r} (the tools are {names})"
            raise MCPError(code=types.INVALID_PARAMS, message=message)
        try:
            answer = await anyio.to_thread.run_sync(run_tool, tool, params.arguments or {}, context)
        except ToolCallError as failure:
            return types.CallToolResult(
                content=_text(failure.message), structured_content=failure.body(), is_error=True
            )
        return types.CallToolResult(content=_text(answer), structured_content=answer)

    return Server(
        "corresp",
        version=version("corresp"),
        title="corresp: SEC comment letters",
        instructions=INSTRUCTIONS,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )


def run_stdio(server: Server[Any]) -> None:
    """Serve one client over standard input and output, until it closes them."""

    async def serve() -> None:
        async with stdio_server() as (read_stream, write_stream):
            await server.run(read_stream, write_stream, server.create_initialization_options())

    anyio.run(serve)


def http_app(server: Server[Any], *, host: str, api: ApiConfig) -> ASGIApp:
    """The streamable HTTP app at ``HTTP_PATH``, behind the API's key check when configured."""
    app: ASGIApp = server.streamable_http_app(streamable_http_path=HTTP_PATH, host=host)
    if api.require_key_for_reads:
        app = KeyRequiredMiddleware(app, keys=api.keys)
    return app


def run_http(server: Server[Any], *, host: str, port: int, api: ApiConfig) -> None:
    """Serve streamable HTTP on ``host:port`` until interrupted."""
    uvicorn.run(
        http_app(server, host=host, api=api),
        host=host,
        port=port,
        log_level="info",
        timeout_graceful_shutdown=5,
    )
