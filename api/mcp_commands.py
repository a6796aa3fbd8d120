"""``corresp mcp``: the index for AI assistants, over the Model Context Protocol.

The tools (``api/mcp_tools.py``) call the REST API's routes in-process with the same
``SearchService``, parameter models and limits; the server and its transports are in
``api/mcp_server.py``. Honours the global ``--config`` like every command.
"""

from __future__ import annotations

from typing import Literal

import click

from api.mcp_server import HTTP_PATH, build_server, run_http, run_stdio
from api.mcp_tools import open_context
from indexer.cli.context import CliContext, pass_cli
from indexer.cli.output import report

__all__ = ["mcp_command"]

DEFAULT_PORT = 8001
"""Beside the REST API's default 8000."""


@click.command("mcp")
@click.option(
    "--transport",
    type=click.Choice(["stdio", "http"]),
    default="stdio",
    show_default=True,
    help="stdio: the assistant starts this command and talks over its standard input and "
    "output. http: streamable HTTP at http://HOST:PORT/mcp for clients that connect by URL.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="With --transport http: the interface to listen on.",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="With --transport http: the port.",
)
@pass_cli
def mcp_command(ctx: CliContext, transport: Literal["stdio", "http"], host: str, port: int) -> None:
    """Serve the index to AI assistants over MCP, read-only.

    MCP is the Model Context Protocol (https://modelcontextprotocol.io). Tools:
    search_letters, search_comments (with the company's answers), get_letter, get_thread
    (a review, comment by comment), list_threads (reviews by company, file number,
    status), get_company (a company's review history), similar_comments (the same
    comment sent to other companies) and get_statistics. They answer what the REST API
    answers (same filters, page-size maximum, time limits, cursors, EDGAR URLs); a bad
    argument is a tool error naming it, an unreachable Elasticsearch one saying the
    search backend is unavailable.

    \b
    An assistant's configuration (Claude Desktop style; add "--config", PATH
    before "mcp" for another configuration file):
    {"mcpServers": {"corresp": {"command": "corresp", "args": ["mcp"]}}}
    """
    settings = ctx.settings
    with open_context(settings) as context:
        server = build_server(context)
        if transport == "stdio":
            run_stdio(server)
            return
        report(f"MCP over streamable HTTP at http://{host}:{port}{HTTP_PATH}")
        run_http(server, host=host, port=port, api=settings.api)
