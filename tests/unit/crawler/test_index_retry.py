"""The daemon's index retry: a doubling wait after each failed ingest, reset by a success."""

from __future__ import annotations

from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler

from crawler.cycle import Crawler
from crawler.handoff import HandoffReport
from crawler.schedule import IndexRetry
from indexer.settings import Settings


def test_waits_double_up_to_ten_minutes_and_a_success_resets_them(tmp_path: Path) -> None:
    settings = Settings.model_validate(
        {
            "edgar": {"user_agent": "Corresp Tests tests@example.org"},
            "storage": {"data_dir": str(tmp_path)},
            "crawler": {"index_retry_seconds": 30},
        }
    )
    scheduler = BackgroundScheduler()
    scheduler.start(paused=True)  # as in the daemon, but nothing runs
    with Crawler(settings) as crawler:
        retry = IndexRetry(scheduler, crawler)
        waits = []
        for _ in range(7):
            retry.after(HandoffReport(awaiting=5, error="Elasticsearch unreachable"))
            waits.append(retry.delay())
        assert waits == [30, 60, 120, 240, 480, 600, 600]
        job = scheduler.get_job(IndexRetry.JOB_ID)
        assert job is not None  # one pending retry, replaced by each new failure
        assert len(scheduler.get_jobs()) == 1

        retry.after(HandoffReport(ingested=5, awaiting=0))
        assert retry.failures == 0
        assert retry.delay() == 30
        retry.after(HandoffReport(awaiting=3, error=None))  # waiting without an error: no retry
        assert retry.failures == 0
    scheduler.shutdown(wait=False)
