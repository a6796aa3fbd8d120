"""The crawl daemon: APScheduler 3.x jobs from ``crawler.schedule``; the only apscheduler import.

Jobs (each a 5-field cron expression, "" = off): daily indexes, the current-filings feed,
submissions JSON of ``crawler.ciks``, and a slice of the backfill. Jobs run one at a time on
a single worker thread (so two passes never download the same filing), a missed run is
coalesced into one, and no job has two instances. Each job indexes what it stored; when
Elasticsearch is down, the ``index_backlog`` job indexes the backlog again after
``crawler.index_retry_seconds``, doubling the wait after each failure (``IndexRetry``), so an
outage is caught up minutes after the node returns rather than at the next crawl. The
webhook outbox worker (``send_webhooks``, every ``webhooks.send_interval_seconds``) runs on
a thread of its own, so deliveries never wait behind a crawl pass. On SIGTERM or SIGINT the
running job finishes the filings in hand, the ledger is flushed and the process exits.
"""

from __future__ import annotations

import logging
import re
import signal
import threading
import time
from collections.abc import Callable

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from crawler.cycle import Crawler, CrawlReport, run_scheduled_job
from crawler.handoff import HandoffReport, send_due
from indexer.settings import ScheduleConfig, Settings

__all__ = [
    "BACKFILL_SLICE",
    "IndexRetry",
    "build_scheduler",
    "check_schedule",
    "cron_trigger",
    "run_schedule",
]

logger = logging.getLogger(__name__)

OUTBOX_JOB_ID = "send_webhooks"
"""The outbox worker's interval job (``crawler.handoff.send_due``)."""

BACKFILL_SLICE = 5000
"""Filings one scheduled backfill run downloads before yielding to the other jobs."""
_JOB_KEYS = ("daily_index", "current_feed", "submissions", "backfill")


_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
"""Crontab's day-of-week numbers: 0 (and 7) is Sunday."""


def _weekday_names(field: str) -> str:
    """A crontab day-of-week field with its numbers turned into day names.

    APScheduler 3 numbers weekdays from Monday = 0, so ``from_crontab("* * * * 1-5")`` would
    fire Tuesday to Saturday; names mean the same to both. A numeric item (``1-5``, ``0``,
    ``*/2``, ``1-5/2``, ``7``) becomes the list of days it stands for in crontab; names and
    ``*`` are kept."""
    items = []
    for item in field.split(","):
        span, _, step_text = item.partition("/")
        if span != "*" and not re.fullmatch(r"[0-7](-[0-7])?", span):
            items.append(item)  # names (mon-fri), or something the trigger will reject
            continue
        if span == "*" and not step_text:
            items.append(item)
            continue
        first, _, last = span.partition("-") if span != "*" else ("0", "", "6")
        step = int(step_text) if step_text.isdigit() and int(step_text) > 0 else 1
        stop = int(last) if last else (int(first) if not step_text else 6)
        days = range(int(first), stop + 1, step)
        items.append(",".join(_WEEKDAYS[day % 7] for day in days) or item)
    return ",".join(dict.fromkeys(",".join(items).split(",")))


def cron_trigger(expression: str, timezone: str) -> CronTrigger:
    """The trigger of a standard 5-field cron expression (minute hour day month weekday,
    Sunday = 0 or 7); raises ``ValueError`` when it is not one."""
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(f"wrong number of fields; got {len(fields)}, expected 5")
    minute, hour, day, month, weekday = fields
    return CronTrigger(
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=_weekday_names(weekday),
        timezone=timezone,
    )


def check_schedule(settings: Settings) -> list[tuple[str, str]]:
    """Problems with the cron expressions, as ``(key, message)`` (a config-check plugin)."""
    problems = []
    schedule = settings.crawler.schedule
    for key in _JOB_KEYS:
        expression = getattr(schedule, key)
        if not expression:
            continue
        try:
            cron_trigger(expression, schedule.timezone)
        except ValueError as exc:
            problems.append((f"crawler.schedule.{key}", f"{expression!r}: {exc}"))
    return problems


def _jobs(
    settings: Settings, crawler: Crawler, retry: IndexRetry
) -> dict[str, Callable[[], CrawlReport]]:
    ciks = settings.crawler.ciks
    passes: dict[str, Callable[[], CrawlReport]] = {
        "daily_index": crawler.crawl,
        "current_feed": crawler.poll_feed,
        "submissions": lambda: crawler.crawl(ciks=ciks) if ciks else CrawlReport(),
        "backfill": lambda: crawler.backfill(limit=BACKFILL_SLICE),
    }
    return {name: _then_index(crawler, run, retry) for name, run in passes.items()}


def _then_index(
    crawler: Crawler, run: Callable[[], CrawlReport], retry: IndexRetry
) -> Callable[[], CrawlReport]:
    """A job that indexes what it stored (and anything left from an outage) after its pass."""

    def job() -> CrawlReport:
        report = run()
        retry.after(crawler.index_stored(report))
        return report

    return job


class IndexRetry:
    """Index the backlog again after Elasticsearch failed, with a doubling wait.

    A failed ingest sets the time of the next attempt; an interval job (``tick``) runs the
    attempt once it is due. No job is added from inside a job, so a shutdown never waits on
    a job that waits on the scheduler.
    """

    JOB_ID = "index_backlog"
    MAX_DELAY = 600.0

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.failures = 0
        self.next_attempt: float | None = None
        """``time.monotonic()`` of the next attempt; None when nothing waits."""

    @property
    def tick_seconds(self) -> int:
        """How often ``tick`` looks whether an attempt is due, in whole seconds (the interval
        trigger documents its ``seconds`` as an int)."""
        half = int(self.crawler.settings.crawler.index_retry_seconds // 2)
        return max(1, min(half, 30))

    def delay(self) -> float:
        """Seconds before the next attempt, after ``failures`` failed ones."""
        first = self.crawler.settings.crawler.index_retry_seconds
        return min(first * 2.0 ** max(self.failures - 1, 0), max(first, self.MAX_DELAY))

    def after(self, handoff: HandoffReport) -> None:
        """Plan a retry if the ingest left filings behind because of an error."""
        if not (handoff.error and handoff.awaiting):
            self.failures, self.next_attempt = 0, None
            return
        self.failures += 1
        wait = self.delay()
        self.next_attempt = time.monotonic() + wait
        logger.warning(
            "%d stored filing(s) not indexed (%s); indexing again in %.0f s",
            handoff.awaiting,
            handoff.error,
            wait,
        )

    def due(self) -> bool:
        return self.next_attempt is not None and time.monotonic() >= self.next_attempt

    def tick(self) -> None:
        """The interval job: run the retry when it is due (and the daemon is not stopping)."""
        if self.due() and not self.crawler.stopping:
            run_scheduled_job(self.JOB_ID, self.run)

    def run(self) -> CrawlReport:
        """The retry: index the backlog only (no request to EDGAR)."""
        report = CrawlReport()
        self.after(self.crawler.index_stored(report, refresh_filing_lists=False))
        return report


def build_scheduler(settings: Settings, crawler: Crawler) -> BackgroundScheduler:
    """A scheduler with one job per non-empty cron expression (and index retries)."""
    schedule: ScheduleConfig = settings.crawler.schedule
    scheduler = BackgroundScheduler(
        timezone=schedule.timezone,
        # Crawl passes queue on one worker; the outbox has its own, never waiting behind them.
        executors={
            "default": ThreadPoolExecutor(max_workers=1),
            OUTBOX_JOB_ID: ThreadPoolExecutor(max_workers=1),
        },
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
    retry = IndexRetry(crawler)
    for name, job in _jobs(settings, crawler, retry).items():
        expression = getattr(schedule, name)
        if expression:
            trigger = cron_trigger(expression, schedule.timezone)
            scheduler.add_job(run_scheduled_job, trigger, args=[name, job], id=name, name=name)
    scheduler.add_job(
        retry.tick,
        IntervalTrigger(seconds=retry.tick_seconds),
        id=IndexRetry.JOB_ID,
        name=IndexRetry.JOB_ID,
    )
    scheduler.add_job(
        send_due,
        IntervalTrigger(seconds=settings.webhooks.send_interval_seconds),
        args=[settings],
        id=OUTBOX_JOB_ID,
        name=OUTBOX_JOB_ID,
        executor=OUTBOX_JOB_ID,
    )
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
        crawl_jobs = [
            job for job in scheduler.get_jobs() if job.id not in (IndexRetry.JOB_ID, OUTBOX_JOB_ID)
        ]
        for job in crawl_jobs:
            report(f"job {job.id}: next run {job.next_run_time:%Y-%m-%d %H:%M %Z}")
            if run_now:  # once at start-up too, queued behind each other on the one worker
                scheduler.add_job(run_scheduled_job, args=job.args, id=f"{job.id}-at-start")
        if not crawl_jobs:
            report("no job is scheduled (every crawler.schedule entry is empty)")
        while not stop.wait(1.0):
            pass
    finally:
        crawler.stop("shutting down")
        scheduler.shutdown(wait=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    report("stopped cleanly")
