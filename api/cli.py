"""``corresp serve``, ``corresp search`` and ``corresp export``.

``serve`` runs the REST API with uvicorn (``--workers N``: N processes on one port).
``search`` and ``export`` call the same ``SearchService`` as the API, in-process (no HTTP),
with the same parameter models, so a filter means the same thing everywhere; a malformed
option is a usage error naming it (exit status 2), an unreachable cluster a one-line error
(exit status 1). All three honour the global ``--config``.
"""

from __future__ import annotations

import html
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
import uvicorn
from fastapi import FastAPI
from pydantic import ValidationError
from rich.text import Text

from api.app import create_app
from api.errors import describe_validation_error
from api.export import export_chunks
from api.search import SearchService
from indexer.cli.context import CliContext, pass_cli
from indexer.cli.output import emit_json, out, report
from indexer.config_file import CONFIG_ENV, load_settings
from indexer.es_client import make_es_client
from indexer.lifecycle import index_names
from indexer.search.body import query_info
from indexer.search.kinds import KINDS, SearchKind
from indexer.search.paging import PageRequest
from indexer.search.params import CommentFilters, LetterFilters
from indexer.settings import Settings

__all__ = [
    "export",
    "letter_filter_options",
    "load_app",
    "search",
    "search_service",
    "serve",
    "validate_filters",
]

_MARK = re.compile(r"(<mark>.*?</mark>)", re.S)

KEEP_ALIVE_SECONDS = 75
"""How long an idle client connection is kept open. Longer than the idle expiry of common
clients and proxies (httpx 5 s, nginx upstream and AWS load balancers 60 s), so the client
always closes first: with uvicorn's default of 5 s, a client reusing a connection idle for
about 5 s raced the server's close and lost that request (bench/load_bench.py)."""


@click.command("serve")
@click.option("--host", help="Interface to listen on (default: api.host).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port (default: api.port).")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Server processes sharing the port. More than one uses more cores under load "
    "(each process has its own Elasticsearch connections and its own /metrics counters).",
)
@pass_cli
def serve(ctx: CliContext, host: str | None, port: int | None, workers: int) -> None:
    """Serve the REST API (OpenAPI at /openapi.json, docs at /docs)."""
    settings = ctx.settings
    options: dict[str, Any] = {
        "host": host or settings.api.host,
        "port": port or settings.api.port,
        "log_level": "info",
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
    }
    if workers == 1:
        uvicorn.run(create_app(settings), **options)
        return
    # Worker processes build the app themselves from the same file and environment.
    if ctx.loaded.path is not None:
        os.environ[CONFIG_ENV] = str(ctx.loaded.path.resolve())
    uvicorn.run(f"{__name__}:load_app", factory=True, workers=workers, **options)


def load_app() -> FastAPI:
    """The API for the configuration named by the environment (called in each worker)."""
    return create_app(load_settings().settings)


def letter_filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The letter filters of ``/search`` as options (repeat an option for several values)."""
    options = [
        click.option("--form", multiple=True, help="UPLOAD, CORRESP or DRSLTR."),
        click.option("--letter-type", multiple=True, help="comment, review_complete, …"),
        click.option("--cik", multiple=True, help="Company CIK."),
        click.option("--company", help="Words of the company name."),
        click.option("--file-number", multiple=True, help="SEC file number (1-7933 ok)."),
        click.option("--sic", multiple=True, help="SIC code."),
        click.option("--state", multiple=True, help="State of incorporation."),
        click.option("--office", multiple=True, help="Reviewing office."),
        click.option("--staff", multiple=True, help="Words of a staff member's name."),
        click.option("--topic", multiple=True, help="Comment topic id."),
        click.option("--date-from", help="Letter dated on or after (YYYY-MM-DD)."),
        click.option("--date-to", help="Letter dated on or before."),
        click.option("--released-from", help="Released on or after."),
        click.option("--released-to", help="Released on or before."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The filters of ``/search`` and ``/comments/search``, and which of the two."""
    command = click.option(
        "--has-response/--no-response",
        default=None,
        help="Comments answered or not (with --kind comments).",
    )(command)
    command = letter_filter_options(command)
    return click.option(
        "--kind",
        type=click.Choice(list(KINDS)),
        default="letters",
        show_default=True,
        help="Letters or individual comments.",
    )(command)


def validate_filters(
    model: type[LetterFilters], query: str, options: dict[str, Any]
) -> LetterFilters:
    """The search string and filter options as ``model``; a bad value is a usage error
    naming its option."""
    values = {name: value for name, value in options.items() if value not in (None, ())}
    try:
        return model.model_validate({"q": query, **values})
    except ValidationError as exc:
        parameter, message = describe_validation_error(exc.errors())
        hint = f"--{parameter.replace('_', '-')}" if parameter else None
        if parameter == "has_response":
            message = "applies to comments only (add --kind comments)"
        raise click.BadParameter(message, param_hint=hint) from exc


def _filters(query: str, options: dict[str, Any]) -> tuple[SearchKind, LetterFilters]:
    """The kind and the validated filters; a bad value is a usage error naming its option."""
    kind = KINDS[options.pop("kind")]
    model = CommentFilters if kind.name == "comments" else LetterFilters
    return kind, validate_filters(model, query, options)


@contextmanager
def search_service(settings: Settings) -> Iterator[SearchService]:
    """A ``SearchService`` over the configured aliases; its client is closed afterwards."""
    es = make_es_client(settings.elasticsearch)
    try:
        yield SearchService(es, index_names(settings.elasticsearch.index_prefix).aliases)
    finally:
        es.close()


@click.command("search")
@click.argument("query", default="")
@_filter_options
@click.option(
    "--sort",
    type=click.Choice(["relevance", "date", "date_asc"]),
    help="Default: relevance with a query, else date.",
)
@click.option(
    "--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Hits to show."
)
@click.option("--json", "as_json", is_flag=True, help="The hits as one JSON document.")
@click.option("--csv", "as_csv", is_flag=True, help="The hits as CSV (export columns).")
@pass_cli
def search(
    ctx: CliContext,
    /,
    query: str,
    *,
    sort: str | None,
    limit: int,
    as_json: bool,
    as_csv: bool,
    **options: Any,
) -> None:
    """Search letters (or comments) like GET /search; snippets show matches in bold."""
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    kind, filters = _filters(query, options)
    settings = ctx.settings
    order = kind.order(sort, has_query=bool(query.strip()))
    hits: list[dict[str, Any]] = []
    with search_service(settings) as service:
        page = PageRequest(order, min(limit, settings.api.page_size_max))
        while True:
            result = service.find(kind, filters, page, snippets=not as_csv)
            hits += result.hits[: limit - len(hits)]
            if len(hits) >= limit or result.next_cursor is None:
                break
            page = PageRequest(order, page.size, order.decode(result.next_cursor))
    if as_json:
        emit_json({"total": result.total, "hits": hits, "query": query_info(result.query)})
    elif as_csv:
        for chunk in export_chunks(kind.export_columns, hits, "csv"):
            sys.stdout.write(chunk)
    else:
        for hit in hits:
            _print_hit(kind, hit)
    for warning in result.query.warnings:
        report(f"query: {warning}")
    report(f"{len(hits)} of {result.total} match(es)")


def _print_hit(kind: SearchKind, hit: dict[str, Any]) -> None:
    who = hit.get("company") or ", ".join(hit.get("ciks") or ()) or "?"
    if kind.name == "comments":
        title = f"{hit['comment_id']}  {hit.get('heading') or ''}"
    else:
        title = f"{hit.get('form') or '?':8} {hit.get('letter_type') or '?':16} {hit['accession']}"
    out.print(f"{hit.get('letter_date') or '----------'}  {title}  {who}", highlight=False)
    for snippet in hit["highlights"]:
        out.print(Text("    ") + _terminal_snippet(snippet))


def _terminal_snippet(snippet: str) -> Text:
    """An HTML snippet for the terminal: text unescaped, ``<mark>``ed words in bold."""
    text = Text()
    for part in _MARK.split(" ".join(snippet.split())):
        if part.startswith("<mark>"):
            text.append(html.unescape(part[6:-7]), style="bold")
        else:
            text.append(html.unescape(part))
    return text


@click.command("export")
@_filter_options
@click.option("-q", "--query", default="", help="Search string, as for /search.")
@click.option("--sort", type=click.Choice(["relevance", "date", "date_asc"]))
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: standard output).",
)
@pass_cli
def export(
    ctx: CliContext,
    /,
    *,
    query: str,
    sort: str | None,
    fmt: str,
    output: Path | None,
    **options: Any,
) -> None:
    """Write every match of a search as CSV or JSON Lines, like GET /export."""
    kind, filters = _filters(query, options)
    order = kind.order(sort, has_query=bool(query.strip()))
    with search_service(ctx.settings) as service:
        scan = service.export(kind, filters, order)
        rows = 0

        def counted() -> Iterator[dict[str, Any]]:
            nonlocal rows
            for hit in scan:
                rows += 1
                yield hit["_source"]

        chunks = export_chunks(kind.export_columns, counted(), fmt)  # type: ignore[arg-type]
        if output is None:
            for chunk in chunks:
                sys.stdout.write(chunk)
        else:
            _write_atomically(output, chunks)
    report(f"{rows} of {scan.total} {kind.name} written to {output or 'standard output'}")


def _write_atomically(path: Path, chunks: Iterator[str]) -> None:
    """Write to a temporary file beside ``path``, renamed over it only when complete."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as handle:
            for chunk in chunks:
                handle.write(chunk)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
