"""The crawl daemon: APScheduler 3.x jobs from ``crawler.schedule``; the only apscheduler import.

Jobs (each a 5-field cron expression, "" = off): daily indexes, the current-filings feed,
submissions JSON of ``crawler.ciks``, and a slice of the backfill. Jobs run one at a time on
a single worker thread (so two passes never download the same filing), a missed run is
coalesced into one, and no job has two instances. On SIGTERM or SIGINT the running job
finishes the filings in hand, the ledger is flushed and the process exits.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from crawler.cycle import Crawler, CrawlReport, run_scheduled_job
from crawler.handoff import ingest_pending
from indexer.settings import ScheduleConfig, Settings

__all__ = ["BACKFILL_SLICE", "build_scheduler", "check_schedule", "run_schedule"]

logger = logging.getLogger(__name__)

BACKFILL_SLICE = 5000
"""Filings one scheduled backfill run downloads before yielding to the other jobs."""
_JOB_KEYS = ("daily_index", "current_feed", "submissions", "backfill")


def check_schedule(settings: Settings) -> list[tuple[str, str]]:
    """Problems with the cron expressions, as ``(key, message)`` (a config-check plugin)."""
    problems = []
    schedule = settings.crawler.schedule
    for key in _JOB_KEYS:
        expression = getattr(schedule, key)
        if not expression:
            continue
        try:
            CronTrigger.from_crontab(expression, timezone=schedule.timezone)
        except ValueError as exc:
            problems.append((f"crawler.schedule.{key}", f"{expression!r}: {exc}"))
    return problems


def _jobs(settings: Settings, crawler: Crawler) -> dict[str, Callable[[], CrawlReport]]:
    ciks = settings.crawler.ciks
    passes: dict[str, Callable[[], CrawlReport]] = {
        "daily_index": crawler.crawl,
        "current_feed": crawler.poll_feed,
        "submissions": lambda: crawler.crawl(ciks=ciks) if ciks else CrawlReport(),
        "backfill": lambda: crawler.backfill(limit=BACKFILL_SLICE),
    }
    return {name: _then_index(crawler, run) for name, run in passes.items()}


def _then_index(crawler: Crawler, run: Callable[[], CrawlReport]) -> Callable[[], CrawlReport]:
    """A job that indexes what it stored (and anything left from an outage) after its pass."""

    def job() -> CrawlReport:
        report = run()
        handoff = ingest_pending(crawler.settings, crawler.state, crawler.store)
        report.indexed, report.awaiting_index = handoff.ingested, handoff.awaiting
        report.index_error = handoff.error
        return report

    return job


def build_scheduler(settings: Settings, crawler: Crawler) -> BackgroundScheduler:
    """A scheduler with one job per non-empty cron expression."""
    schedule: ScheduleConfig = settings.crawler.schedule
    scheduler = BackgroundScheduler(
        timezone=schedule.timezone,
        executors={"default": ThreadPoolExecutor(max_workers=1)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
    for name, job in _jobs(settings, crawler).items():
        expression = getattr(schedule, name)
        if expression:
            trigger = CronTrigger.from_crontab(expression, timezone=schedule.timezone)
            scheduler.add_job(run_scheduled_job, trigger, args=[name, job], id=name, name=name)
    scheduler.add_listener(_log_event, EVENT_JOB_ERROR | EVENT_JOB_MISSED)
    return scheduler


def _log_event(event: JobExecutionEvent) -> None:
    if event.code == EVENT_JOB_MISSED:
        logger.warning("job %s missed its run at %s", event.job_id, event.scheduled_run_time)
    else:
        logger.error("job %s failed: %s", event.job_id, event.exception)


def run_schedule(
    settings: Settings, crawler: Crawler, *, run_now: bool = False, report: Callable[[str], None]
) -> None:
    """Run the daemon in the foreground until SIGTERM or SIGINT."""
    stop = threading.Event()

    def request_stop(signum: int, _frame: object) -> None:
        report(f"received {signal.Signals(signum).name}: finishing the filings in hand")
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    scheduler = build_scheduler(settings, crawler)
    scheduler.start()
    try:
        for job in scheduler.get_jobs():
            report(f"job {job.id}: next run {job.next_run_time:%Y-%m-%d %H:%M %Z}")
            if run_now:  # once at start-up too, queued behind each other on the one worker
                scheduler.add_job(run_scheduled_job, args=job.args, id=f"{job.id}-at-start")
        if not scheduler.get_jobs():
            report("no job is scheduled (every crawler.schedule entry is empty)")
        while not stop.wait(1.0):
            pass
    finally:
        crawler.stop("shutting down")
        scheduler.shutdown(wait=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    report("stopped cleanly")
