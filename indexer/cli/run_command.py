"""``corresp run``: everything the service needs, in the foreground, until Ctrl-C.

Starts the managed Elasticsearch node when ``elasticsearch.url`` is empty and it is not
running (and stops it again at the end; a node that was already running stays), then the crawl
scheduler (``corresp schedule --now``: every job once at start, then on its cron) and the
REST API (``corresp serve``) as child processes of this one, so a crash of either is seen
and both stop together. Once the API answers, it prints its address and example queries
that return results from the index. The children are ``corresp`` sub-commands, which keeps
this core package free of the crawler's and the API's imports.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import click

from indexer.cli.context import CliContext, pass_cli
from indexer.cli.output import out, report
from indexer.errors import CorrespError, SearchBackendError
from indexer.es_client import backend_errors, make_es_client
from indexer.node.process import ManagedNode
from indexer.search.examples import EXAMPLE_PHRASE, build_examples_body, read_example_values
from indexer.settings import Settings

__all__ = ["run"]

_API_WAIT_SECONDS = 60
_POLL_SECONDS = 0.5


class ServiceError(CorrespError):
    """A child process of ``corresp run`` failed."""


@click.command("run")
@click.option("--host", help="API interface (default: api.host).")
@click.option("--port", type=click.IntRange(1, 65535), help="API port (default: api.port).")
@click.option("--no-schedule", is_flag=True, help="Serve only; do not crawl.")
@pass_cli
def run(cli_ctx: CliContext, host: str | None, port: int | None, no_schedule: bool) -> None:
    """Start the search node (if managed), the crawl scheduler and the REST API.

    Stops everything cleanly on Ctrl-C or SIGTERM (the crawler finishes the filings in
    hand), then exits with status 130 after Ctrl-C (as shells expect of an interrupted
    command) and 0 after SIGTERM. Configure what is crawled and when in config.yaml
    (crawler.*, crawler.schedule).
    """
    settings = cli_ctx.settings
    node = None if settings.elasticsearch.url else ManagedNode(settings)
    started_node = node is not None and node.pid() is None
    stopped_by: int | None = None
    try:
        if node is not None:
            node.up(report)
        stopped_by = _run_services(cli_ctx, host=host, port=port, no_schedule=no_schedule)
    finally:
        if node is not None and started_node:
            node.down(report)
    report("stopped")
    if stopped_by == signal.SIGINT:
        raise SystemExit(128 + signal.SIGINT)


def _run_services(
    cli_ctx: CliContext, *, host: str | None, port: int | None, no_schedule: bool
) -> int | None:
    """The API and the scheduler as child processes, until a signal (returned) or a child's
    exit (an error)."""
    settings = cli_ctx.settings
    host = host or settings.api.host
    port = port or settings.api.port
    prefix = [sys.executable, "-m", "indexer"]
    if cli_ctx.config_path:
        prefix += ["--config", cli_ctx.config_path]
    children: dict[str, subprocess.Popen[bytes]] = {}
    stopping: int | None = None

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = signum
        report(f"{signal.Signals(signum).name}: stopping the scheduler and the API")

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        children["api"] = subprocess.Popen([*prefix, "serve", "--host", host, "--port", str(port)])
        if not no_schedule:
            children["scheduler"] = subprocess.Popen([*prefix, "schedule", "--now"])
        api = f"http://{host}:{port}"
        _wait_for_api(api, children["api"])
        _print_examples(settings, api)
        while stopping is None:
            for name, child in children.items():
                if child.poll() is not None:
                    raise ServiceError(f"the {name} exited with status {child.returncode}")
            time.sleep(_POLL_SECONDS)
        return stopping
    finally:
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children.values():
            try:
                child.wait(timeout=120)
            except subprocess.TimeoutExpired:
                child.kill()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _wait_for_api(api: str, child: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + _API_WAIT_SECONDS
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise ServiceError(f"the API exited with status {child.returncode}")
        try:
            with urllib.request.urlopen(f"{api}/openapi.json", timeout=2):  # noqa: S310 - our own loopback API
                return
        except (urllib.error.URLError, OSError):
            time.sleep(_POLL_SECONDS)
    raise ServiceError(f"the API did not answer at {api} within {_API_WAIT_SECONDS} s")


def _print_examples(settings: Settings, api: str) -> None:
    """The API's address and three queries that return results from what is indexed."""
    out.print(f"\nREST API: {api}   (documentation: {api}/docs)")
    try:
        examples = _examples(settings)
    except SearchBackendError as exc:
        out.print(f"(no example queries yet: {exc})")
        return
    if not examples:
        out.print("Nothing is indexed yet; the scheduler is crawling. Try later:")
        examples = [("search", {"q": f'"{EXAMPLE_PHRASE}"'})]
    out.print("Try:")
    for path, params in examples:
        out.print(f"  curl '{api}/{path}?{urllib.parse.urlencode(params)}'", highlight=False)


def _examples(settings: Settings) -> list[tuple[str, dict[str, str]]]:
    es = make_es_client(settings.elasticsearch, timeout_seconds=10)
    letters = f"{settings.elasticsearch.index_prefix}letters"
    try:
        with backend_errors("choosing example queries"):
            if not es.indices.exists_alias(name=letters):
                return []
            response = es.search(index=letters, **build_examples_body())
    finally:
        es.close()
    values = read_example_values(response.body)
    if values is None:
        return []
    file_number, cik = values
    return [
        ("search", {"q": f'"{EXAMPLE_PHRASE}"'}),
        ("search", {"file_number": file_number}),
        ("threads", {"cik": cik}),
    ]
