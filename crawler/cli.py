"""The crawler's sub-commands of ``corresp``: crawl, backfill, schedule, status, import.

Registered through the ``corresp.commands`` entry points. Each command loads the
configuration once, refuses to contact EDGAR without a valid ``edgar.user_agent``, stops
cleanly on SIGTERM/SIGINT (the filings in hand are finished), and prints a summary for
people or, with ``--json``, for programs.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from crawler.cycle import Crawler, CrawlReport
from crawler.handoff import HandoffReport, ingest_pending, send_due
from crawler.importer import run_import
from crawler.progress import FetchProgress
from crawler.schedule import run_schedule
from crawler.state import CrawlState
from crawler.store import RawStore
from crawler.ticker_map import TickerMapCrawler
from indexer.cli.context import CliContext, pass_cli
from indexer.cli.output import emit_json, err, out, report
from indexer.data_folder import DataFolder
from indexer.models import normalize_cik
from indexer.settings import Settings
from indexer.watchlists.tickers import load_company_names

__all__ = ["backfill", "crawl", "import_files", "schedule", "status"]

_DATE = click.DateTime(formats=["%Y-%m-%d"])


def _to_date(value: datetime | None) -> date | None:
    return value.date() if value else None


def _ciks(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> list[str]:
    try:
        return [normalize_cik(value) for value in values]
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


REGISTRATION_FORMS = (
    "S-1",
    "S-1/A",
    "S-3",
    "S-3/A",
    "S-4",
    "S-4/A",
    "S-11",
    "S-11/A",
    "SB-2",
    "SB-2/A",
    "F-1",
    "F-1/A",
    "F-3",
    "F-3/A",
    "F-4",
    "F-4/A",
    "10-12B",
    "10-12B/A",
    "10-12G",
    "10-12G/A",
)
"""Filings that carried company letters as CORRESP documents (``crawl --embedded-letters``)."""


def _forms(_ctx: click.Context, _param: click.Parameter, value: str | None) -> list[str] | None:
    if value is None:
        return None
    forms = [form.strip().upper() for form in value.split(",") if form.strip()]
    if not forms:
        raise click.BadParameter("give at least one form type, e.g. UPLOAD,CORRESP")
    return forms


_json_option = click.option("--json", "as_json", is_flag=True, help="Print a JSON summary.")
_no_index_option = click.option(
    "--no-index", is_flag=True, help="Only store filings; index them later (`corresp index`)."
)


@contextmanager
def _crawler(settings: Settings, forms: list[str] | None = None) -> Iterator[Crawler]:
    """A crawler that SIGTERM/SIGINT stop cleanly (a second SIGINT interrupts at once); the
    command then exits with 128 + the signal's number after its summary, as an interrupted
    command does, so a script running it (``make run``) stops too.

    It refreshes SEC's ticker map (for watchlists naming tickers) at most once a day.
    """
    crawler = TickerMapCrawler(settings, forms=forms)

    def request_stop(signum: int, _frame: object) -> None:
        report(f"{signal.Signals(signum).name}: finishing the filings in hand, then stopping")
        crawler.stop(f"stopped by {signal.Signals(signum).name}")
        crawler.stop_signal = crawler.stop_signal or signum
        signal.signal(signal.SIGINT, signal.default_int_handler)

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield crawler
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        crawler.close()


def _exit_if_interrupted(crawler: Crawler) -> None:
    if crawler.stop_signal is not None:
        sys.exit(128 + crawler.stop_signal)


def _index_stored(crawler: Crawler, report_: CrawlReport, *, skip: bool) -> HandoffReport:
    """Hand what this pass stored to the indexer (normalize, thread, index, alert)."""
    if skip:
        report_.awaiting_index = crawler.state.count_awaiting_ingest()
        return HandoffReport(awaiting=report_.awaiting_index)
    handoff = crawler.index_stored(report_)
    if handoff.error is None:  # Elasticsearch answered: send what is due
        send_due(crawler.settings, handoff)
    return handoff


def _alert_summary(handoff: HandoffReport | None) -> dict[str, int]:
    """The watchlist figures of an ingest, for the summaries."""
    handoff = handoff or HandoffReport()
    return {
        "alerts": handoff.alerts,
        "webhooks_queued": handoff.webhooks_queued,
        "webhooks_delivered": handoff.webhooks_delivered,
        "webhooks_retrying": handoff.webhooks_retrying,
        "webhooks_parked": handoff.webhooks_parked,
        "emails_queued": handoff.emails_queued,
        "emails_sent": handoff.emails_sent,
        "emails_retrying": handoff.emails_retrying,
        "emails_parked": handoff.emails_parked,
    }


def _alert_line(alerts: dict[str, int]) -> str | None:
    if not any(alerts.values()):
        return None
    line = f"{alerts['alerts']} new watchlist alert(s)"
    sent = ("delivered", "retrying", "parked")
    if any(alerts[f"webhooks_{state}"] for state in sent):
        line += "; webhooks: " + ", ".join(f"{alerts[f'webhooks_{s}']} {s}" for s in sent)
    mailed = ("queued", "sent", "retrying", "parked")
    if any(alerts[f"emails_{state}"] for state in mailed):
        line += "; e-mail digests: " + ", ".join(
            f"{alerts[f'emails_{s}']} {s}" for s in mailed if alerts[f"emails_{s}"]
        )
    return line


def _finish(report_: CrawlReport, handoff: HandoffReport, *, as_json: bool, title: str) -> None:
    alerts = _alert_summary(handoff)
    if as_json:
        emit_json(report_.to_dict() | alerts | {"searchable": handoff.searchable})
    else:
        out.print(
            f"{title}: {report_.found} listed ({report_.new} new, {report_.already_stored} "
            f"already stored), {report_.fetched} fetched, {report_.failed} failed, "
            f"{report_.requests} requests in {report_.elapsed_seconds:.1f} s"
        )
        if report_.requeued:
            out.print(f"{report_.requeued} parked filing(s) put back in the queue")
        if report_.adopted:
            out.print(f"{report_.adopted} recovered from the raw store without downloading")
        out.print(f"{report_.indexed} indexed, {report_.awaiting_index} awaiting indexing")
        if handoff.searchable is not None:
            found = handoff.searchable
            out.print(
                f"searchable now: {found['letters']:,} letters, {found['comments']:,} staff "
                f"comments, {found['threads']:,} review threads"
            )
        if line := _alert_line(alerts):
            out.print(line)
        if report_.index_error:
            err.print(f"indexing postponed: {report_.index_error}", markup=False)
        if report_.bad_lines or report_.document_problems:
            out.print(
                f"{report_.bad_lines} malformed index line(s), {report_.document_problems} "
                "document problem(s) recorded: see `corresp status`"
            )
        for error in report_.errors[:5]:
            err.print(f"  failed: {error}", markup=False)
        if report_.stopped:
            err.print(f"stopped early: {report_.stopped}", markup=False)
    if report_.stopped and "blocked" in report_.stopped:
        sys.exit(1)


@click.command("crawl")
@click.option("--since", type=_DATE, help="First listing day (default: cursor minus lookback).")
@click.option("--until", type=_DATE, help="Last listing day (default: today, US Eastern).")
@click.option(
    "--cik",
    "ciks",
    multiple=True,
    callback=_ciks,
    help="Crawl these companies' whole history from their submissions JSON (repeatable).",
)
@click.option("--forms", callback=_forms, help="Comma-separated forms (default: crawler.forms).")
@click.option(
    "--embedded-letters",
    is_flag=True,
    help="With --cik: also download the companies' registration statements and amendments "
    "(S-1, S-1/A, S-4, F-1, Form 10 …) to index letters filed inside them as CORRESP "
    "documents, as before 2005 (one request per filing: use for the companies you name).",
)
@click.option("--limit", type=click.IntRange(min=1), help="Download at most N filings.")
@click.option(
    "--retry-failed",
    is_flag=True,
    help="First put the parked filings (see `corresp status`) back in the queue, with a "
    "fresh attempt count; this pass downloads them again.",
)
@_no_index_option
@_json_option
@pass_cli
def crawl(
    cli_ctx: CliContext,
    *,
    since: datetime | None,
    until: datetime | None,
    ciks: list[str],
    forms: list[str] | None,
    embedded_letters: bool,
    limit: int | None,
    retry_failed: bool,
    no_index: bool,
    as_json: bool,
) -> None:
    """One incremental pass: new filings from the daily indexes, then download them.

    Filings are found by the day EDGAR lists them (letters are released weeks after their
    date), stored with their original bytes, and recorded in the ledger. Failed downloads
    are retried on later passes and parked after crawler.max_attempts_per_filing.
    """
    settings = cli_ctx.settings
    if embedded_letters:
        if not ciks:
            raise click.UsageError(
                "--embedded-letters needs --cik: it downloads every "
                "registration filing of the companies named"
            )
        forms = [*(forms or settings.crawler.forms), *REGISTRATION_FORMS]
    with _crawler(settings, forms) as crawler, _progress(crawler, "crawl", as_json) as bar:
        requeued = crawler.state.retry_failed() if retry_failed else 0
        result = crawler.crawl(
            since=_to_date(since),
            until=_to_date(until),
            ciks=ciks or None,
            limit=limit,
            progress=bar,
        )
        result.requeued = requeued
        handoff = _index_stored(crawler, result, skip=no_index)
    _finish(result, handoff, as_json=as_json, title="crawl")
    _exit_if_interrupted(crawler)


@click.command("backfill")
@click.option("--from", "start", type=_DATE, help="First day (default: crawler.start_date).")
@click.option("--to", "end", type=_DATE, help="Last day (default: today).")
@click.option("--forms", callback=_forms, help="Comma-separated forms (default: crawler.forms).")
@click.option("--limit", type=click.IntRange(min=1), help="Download at most N filings.")
@_no_index_option
@_json_option
@pass_cli
def backfill(
    cli_ctx: CliContext,
    *,
    start: datetime | None,
    end: datetime | None,
    forms: list[str] | None,
    limit: int | None,
    no_index: bool,
    as_json: bool,
) -> None:
    """Collect the history from EDGAR's quarterly indexes (resumable at any time).

    Reads the full-index of every quarter from --from to --to, and the quarter after, for
    letters released late, then downloads every listed filing not yet stored.
    """
    settings = cli_ctx.settings
    with _crawler(settings, forms) as crawler, _progress(crawler, "backfill", as_json) as bar:
        result = crawler.backfill(
            start=_to_date(start), end=_to_date(end), limit=limit, progress=bar
        )
        handoff = _index_stored(crawler, result, skip=no_index)
    _finish(result, handoff, as_json=as_json, title="backfill")
    _exit_if_interrupted(crawler)


@contextmanager
def _progress(crawler: Crawler, description: str, as_json: bool) -> Iterator[FetchProgress]:
    enabled = not as_json and err.is_terminal
    with FetchProgress(crawler.client, description=description, enabled=enabled) as bar:
        yield bar


@click.command("schedule")
@click.option("--now", "run_now", is_flag=True, help="Also run every job once at start-up.")
@pass_cli
def schedule(cli_ctx: CliContext, run_now: bool) -> None:
    """Run the crawler as a foreground daemon on the crawler.schedule cron expressions.

    Stops cleanly on SIGTERM or Ctrl-C: the filings in hand are finished first. Crawl,
    submissions and backfill jobs refresh SEC's ticker map first (at most once a day).
    """
    settings = cli_ctx.settings
    crawler = TickerMapCrawler(settings)
    try:
        run_schedule(settings, crawler, run_now=run_now, report=report)
    finally:
        crawler.close()


@click.command("status")
@click.option("--limit", type=click.IntRange(min=1), default=20, help="Rows of each list.")
@_json_option
@pass_cli
def status(cli_ctx: CliContext, limit: int, as_json: bool) -> None:
    """The ledger: filings by status, cursors, parked failures and recorded problems."""
    settings = cli_ctx.settings
    path = DataFolder(settings.storage.data_dir).ledger
    if not path.exists():
        if as_json:
            emit_json({"filings": {}, "cursors": {}, "parked": [], "problems": []})
        else:
            out.print(f"nothing crawled yet ({path} does not exist)")
        return
    state = CrawlState(path)
    try:
        summary = state.summary(limit=limit)
    finally:
        state.close()
    if as_json:
        emit_json(
            {
                "filings": summary.counts,
                "retrying": summary.retrying,
                "cursors": summary.cursors,
                "parked": summary.parked,
                "not_indexed": summary.not_indexed,
                "problems": summary.problems,
                "problem_count": summary.problem_count,
            }
        )
        return
    total = sum(summary.counts.values())
    counts = ", ".join(f"{n} {status_}" for status_, n in sorted(summary.counts.items()))
    out.print(f"filings: {total} ({counts or 'none'}); {summary.retrying} awaiting retry")
    for name, value in summary.cursors.items():
        out.print(f"cursor {name}: {value}")
    _print_rows(
        "parked (failed repeatedly; `corresp crawl --retry-failed` queues them again)",
        summary.parked,
        ("accession", "attempts", "last_error"),
    )
    _print_rows(
        "stored but not indexed (tried again by every pass and `corresp index`)",
        summary.not_indexed,
        ("accession", "ingest_attempts", "ingest_error"),
    )
    _print_rows(
        f"problems ({summary.problem_count} recorded)",
        summary.problems,
        ("kind", "source", "detail"),
    )


def _print_rows(title: str, rows: list[dict[str, Any]], keys: tuple[str, ...]) -> None:
    if not rows:
        return
    out.print(f"{title}:")
    for row in rows:
        out.print("  " + " | ".join(str(row.get(key, "")) for key in keys), markup=False)


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--forms", callback=_forms, help="Comma-separated forms (default: crawler.forms).")
@_no_index_option
@_json_option
@pass_cli
def import_files(
    cli_ctx: CliContext,
    paths: tuple[Path, ...],
    *,
    forms: list[str] | None,
    no_index: bool,
    as_json: bool,
) -> None:
    """Store local EDGAR files: .txt submissions, .nc files, Feed .tar.gz archives, folders.

    A folder is searched recursively; filing folders in EDGAR's layout
    (…/CIK/ACCESSION/) are imported with their documents. Nothing is downloaded. The
    filings are then indexed (normalized, threaded, searchable) unless --no-index.
    Companies of folders without a submissions JSON are named from SEC's ticker map in
    the data folder, when there is one.
    """
    settings = cli_ctx.settings
    folder = DataFolder(settings.storage.data_dir)
    state = CrawlState(folder.ledger)
    store = RawStore(folder.raw)
    try:
        result = run_import(
            list(paths),
            state=state,
            store=store,
            forms=forms or settings.crawler.forms,
            names=load_company_names(folder.ticker_map),
        )
        handoff = None if no_index else ingest_pending(settings, state, store)
        if handoff is not None and handoff.error is None:
            send_due(settings, handoff)
        awaiting = state.count_awaiting_ingest()
    finally:
        state.close()
    summary = {key: value for key, value in vars(result).items() if key != "accessions"}
    summary |= {
        "indexed": handoff.ingested if handoff else 0,
        "awaiting_index": awaiting,
        "index_error": handoff.error if handoff else None,
        **_alert_summary(handoff),
    }
    if as_json:
        emit_json(summary)
        return
    out.print(
        f"import: {result.filings_found} filings found, {result.stored} stored, "
        f"{result.already_stored} already stored, {result.other_forms} of other forms, "
        f"{result.failed} failed; {summary['indexed']} indexed, {awaiting} awaiting indexing"
    )
    if result.embedded_letters:
        out.print(
            f"{result.embedded_letters} letter(s) found filed inside other submissions "
            "(indexed as ACCESSION.SEQUENCE)"
        )
    if line := _alert_line(_alert_summary(handoff)):
        out.print(line)
    for problem in result.problems[:10]:
        err.print(f"  {problem}", markup=False)
    if summary["index_error"]:
        err.print(f"indexing postponed: {summary['index_error']}", markup=False)
