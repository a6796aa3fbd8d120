"""Ctrl-C in the middle of a backfill: the filings in hand are finished, the summary is
printed, and the command exits with 130, as an interrupted command does, so a script that
runs it (``make run``) stops too instead of going on to its next command."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT
from tests.fake_edgar import FakeEdgar, FakeEdgarConfig
from tests.integration.crawler.conftest import crawler_env

pytestmark = pytest.mark.samples


def test_an_interrupted_backfill_exits_130_after_its_summary(
    samples_dir: Path, tmp_path: Path
) -> None:
    config = FakeEdgarConfig(list_samples=True, full_submissions=True, delay_ms=(150, 250))
    with FakeEdgar(samples_dir, config) as edgar:
        env = os.environ | crawler_env(edgar, tmp_path)
        command = [sys.executable, "-m", "indexer", "backfill", "--from", "2016-01-01"]
        command += ["--to", "2025-12-31", "--no-index"]
        with subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ) as backfill:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if sum(r.path.endswith(".txt") for r in edgar.requests) >= 3:
                    break
                time.sleep(0.1)
            backfill.send_signal(signal.SIGINT)
            out, err = backfill.communicate(timeout=60)

    assert backfill.returncode == 130, (out, err)
    assert "stopped early: stopped by SIGINT" in err
    # The summary is printed. Quarterly indexes are read while the first filings download,
    # so how many were listed by then depends on timing: at most the 358 sample letters.
    summary = re.search(r"^backfill: (\d+) listed .*, (\d+) fetched", out, re.MULTILINE)
    assert summary is not None, out
    listed, fetched = int(summary[1]), int(summary[2])
    assert 3 <= fetched <= listed <= 358
    assert "Traceback" not in err
