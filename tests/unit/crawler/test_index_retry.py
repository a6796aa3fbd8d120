"""The daemon's index retry: a doubling wait after each failed ingest, reset by a success."""

from __future__ import annotations

import time
from pathlib import Path

from crawler.cycle import Crawler
from crawler.handoff import HandoffReport
from crawler.schedule import OUTBOX_JOB_ID, IndexRetry, build_scheduler
from indexer.settings import Settings

FAILED = HandoffReport(awaiting=5, error="Elasticsearch unreachable")


def _settings(tmp_path: Path, retry_seconds: float) -> Settings:
    return Settings.model_validate(
        {
            "edgar": {"user_agent": "Corresp Tests tests@example.org"},
            "storage": {"data_dir": str(tmp_path)},
            "crawler": {"index_retry_seconds": retry_seconds},
            "elasticsearch": {"url": "http://127.0.0.1:9"},  # nothing listens there
        }
    )


def test_waits_double_up_to_ten_minutes_and_a_success_resets_them(tmp_path: Path) -> None:
    with Crawler(_settings(tmp_path, 30)) as crawler:
        retry = IndexRetry(crawler)
        waits = []
        for _ in range(7):
            retry.after(FAILED)
            waits.append(retry.delay())
        assert waits == [30, 60, 120, 240, 480, 600, 600]
        assert retry.next_attempt is not None
        assert not retry.due()  # ten minutes away
        assert retry.tick_seconds == 15

        retry.after(HandoffReport(ingested=5, awaiting=0))
        assert (retry.failures, retry.next_attempt) == (0, None)
        retry.after(HandoffReport(awaiting=3, error=None))  # waiting without an error: no retry
        assert retry.next_attempt is None


def test_a_due_retry_runs_from_the_interval_job(tmp_path: Path) -> None:
    settings = _settings(tmp_path, 0.01)
    with Crawler(settings) as crawler:
        retry = IndexRetry(crawler)
        retry.after(FAILED)
        time.sleep(0.02)
        assert retry.due()
        retry.tick()  # it ran: the ledger is empty, so nothing waits any more
        assert (retry.failures, retry.next_attempt) == (0, None)
        scheduler = build_scheduler(settings, crawler)
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert IndexRetry.JOB_ID in jobs
        # The outbox worker never queues behind a crawl pass: its own executor and interval.
        assert jobs[OUTBOX_JOB_ID].executor == OUTBOX_JOB_ID != jobs[IndexRetry.JOB_ID].executor
        assert jobs[OUTBOX_JOB_ID].trigger.interval.total_seconds() == 5
