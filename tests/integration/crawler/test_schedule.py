"""`corresp schedule`: jobs run from config.yaml, and SIGTERM stops the daemon cleanly."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli.main import cli
from tests.fake_edgar import FakeEdgar, FakeEdgarConfig
from tests.integration.crawler.conftest import crawler_env

pytestmark = [pytest.mark.samples, pytest.mark.slow]


def test_daemon_runs_jobs_and_stops_cleanly_on_sigterm(samples_dir: Path, tmp_path: Path) -> None:
    with FakeEdgar(samples_dir, FakeEdgarConfig(delay_ms=(50, 100))) as edgar:
        filings = edgar.synthetic_filings(40, date(2023, 1, 9), date(2023, 1, 13))
        env = os.environ | crawler_env(
            edgar,
            tmp_path,
            CRAWLER__CIKS="320193",
            CRAWLER__SCHEDULE__DAILY_INDEX="0 3 * * *",
            CRAWLER__SCHEDULE__CURRENT_FEED="",
            CRAWLER__SCHEDULE__SUBMISSIONS="",
            CRAWLER__SCHEDULE__BACKFILL="0 4 * * *",
            CRAWLER__START_DATE="2023-01-01",
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "indexer", "schedule", "--now"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if sum(r.path.endswith(".txt") for r in edgar.requests) >= 5:
                break
            time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
        sent_before_exit = len(edgar.requests)
        time.sleep(0.5)
        assert len(edgar.requests) == sent_before_exit  # nothing after the process ended
    assert process.returncode == 0, stderr
    assert "job daily_index" in stderr and "job backfill" in stderr
    assert "finishing the filings in hand" in stderr
    assert "stopped cleanly" in stderr
    with sqlite3.connect(tmp_path / "crawl-state.sqlite3") as db:
        rows = dict(db.execute("SELECT accession, status FROM filings"))
    stored = {p.name.removesuffix(".txt.gz") for p in (tmp_path / "raw").glob("*/*/*.txt.gz")}
    fetched = {accession for accession, status in rows.items() if status == "fetched"}
    assert fetched == stored  # the ledger and the raw store agree after the stop
    assert fetched  # the backfill job ran before the stop …
    assert fetched <= {f.accession for f in filings}  # … on the filings its index lists


def test_config_check_rejects_an_invalid_schedule() -> None:
    result = CliRunner().invoke(
        cli, ["config", "check"], env={"CORRESP__CRAWLER__SCHEDULE__BACKFILL": "61 * * * *"}
    )
    assert result.exit_code == 2
    assert "crawler.schedule.backfill" in result.stdout
