"""A crawl killed with SIGKILL at random moments ends with exactly the uninterrupted result."""

from __future__ import annotations

import gzip
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from tests.fake_edgar import FakeEdgar, FakeEdgarConfig
from tests.integration.crawler.conftest import crawler_env

pytestmark = [pytest.mark.samples, pytest.mark.slow]

KILLS = 4


def _start_crawl(env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "indexer",
        "crawl",
        "--since",
        "2023-01-09",
        "--until",
        "2023-01-20",
    ]
    return subprocess.Popen(
        command, env=os.environ | env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def test_sigkill_at_random_moments_loses_and_duplicates_nothing(
    samples_dir: Path, tmp_path: Path
) -> None:
    rng = random.Random(20261121)
    with FakeEdgar(samples_dir, FakeEdgarConfig(delay_ms=(20, 60))) as edgar:
        filings = edgar.synthetic_filings(70, date(2023, 1, 9), date(2023, 1, 20))
        env = crawler_env(edgar, tmp_path)
        for _ in range(KILLS):
            process = _start_crawl(env)
            time.sleep(rng.uniform(0.8, 2.5))
            process.send_signal(signal.SIGKILL)
            process.wait()
        final = _start_crawl(env)
        assert final.wait(timeout=180) == 0
        served = {f.accession: f.render() for f in filings}
        downloads = [r for r in edgar.requests if r.path.endswith(".txt")]

    with sqlite3.connect(tmp_path / "crawl-state.sqlite3") as db:
        rows = dict(db.execute("SELECT accession, status FROM filings"))
    assert set(rows) == set(served)
    assert set(rows.values()) == {"fetched"}
    stored = {
        path.name.removesuffix(".txt.gz"): gzip.decompress(path.read_bytes())
        for path in (tmp_path / "raw").glob("*/*/*.txt.gz")
    }
    assert stored == served  # byte for byte, nothing missing, nothing extra
    assert not list((tmp_path / "raw").glob("*/*/.tmp-*"))
    # A filing is downloaded again only if a kill interrupted it before it was stored.
    assert len(downloads) <= len(served) + KILLS * 12
