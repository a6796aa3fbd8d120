"""A full disk or a read-only data directory: a clear error, a consistent store and ledger.

The faults are real: the data directory is a small tmpfs that fills up, or a read-only bind
mount of it. Mounting needs root (CI runs as root); elsewhere these tests skip, which
``REQUIRE_SAMPLES=1`` turns into a failure.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.fake_edgar import FakeEdgar, FakeEdgarConfig
from tests.integration.crawler.conftest import crawler_env
from tests.integration.crawler.datadir import failures, read_data_dir

pytestmark = [pytest.mark.samples, pytest.mark.slow]

FILINGS = 40
SINCE, UNTIL = date(2023, 1, 9), date(2023, 1, 13)


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True)


@pytest.fixture
def mounts() -> Iterator[list[Path]]:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs or a read-only bind mount needs root")
    mounted: list[Path] = []
    yield mounted
    for path in reversed(mounted):
        subprocess.run(["umount", str(path)], check=True, capture_output=True)


def _crawl(env: dict[str, str], *extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "indexer", "crawl", "--since", str(SINCE)]
    return subprocess.run(
        [*command, "--until", str(UNTIL), "--no-index", *extra],
        check=False,
        env=os.environ | env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def _assert_clean_failure(result: subprocess.CompletedProcess[str], *phrases: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    for phrase in phrases:
        assert phrase in result.stderr, result.stderr


def _assert_consistent(data_dir: Path) -> None:
    found = read_data_dir(data_dir)
    assert found.problems() == []
    assert found.temporaries == []  # nothing half-written left behind
    # The storage fault was not blamed on any filing: none is failed or parked.
    assert not any(failures(data_dir).values())


def test_full_disk_stops_the_pass_and_the_next_one_completes(
    samples_dir: Path, tmp_path: Path, mounts: list[Path]
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    _mount("-t", "tmpfs", "-o", "size=700k", "tmpfs", str(data_dir))
    mounts.append(data_dir)
    with FakeEdgar(samples_dir) as edgar:
        filings = edgar.synthetic_filings(FILINGS, SINCE, UNTIL)
        env = crawler_env(edgar, data_dir)
        full = _crawl(env)
        _assert_clean_failure(full, "No space left on device", "the disk is full")
        _assert_consistent(data_dir)
        stored_while_full = read_data_dir(data_dir).fetched
        assert len(stored_while_full) < FILINGS

        _mount("-o", "remount,size=64m", str(data_dir))  # space is freed
        again = _crawl(env, "--json")
        assert again.returncode == 0, again.stderr
        downloads = [r.path for r in edgar.requests if r.path.endswith(".txt")]

    found = read_data_dir(data_dir)
    served = {filing.accession: filing.render() for filing in filings}
    assert found.stored == served  # every filing, byte for byte, once
    assert found.fetched == set(served)
    _assert_consistent(data_dir)
    # Filings stored before the disk filled up were not downloaded again.
    assert len(downloads) - len(set(downloads)) <= FILINGS - len(stored_while_full)


def test_read_only_data_directory_is_a_clear_error_and_nothing_is_lost(
    samples_dir: Path, tmp_path: Path, mounts: list[Path]
) -> None:
    data_dir = tmp_path / "data"
    with FakeEdgar(samples_dir, FakeEdgarConfig(delay_ms=(5, 15))) as edgar:
        filings = edgar.synthetic_filings(FILINGS, SINCE, UNTIL)
        env = crawler_env(edgar, data_dir)
        assert _crawl(env, "--limit", "8").returncode == 0

        raw = data_dir / "raw"
        _mount("--bind", str(raw), str(raw))
        mounts.append(raw)
        _mount("-o", "remount,bind,ro", str(raw))
        store_read_only = _crawl(env)
        _assert_clean_failure(store_read_only, "Read-only file system", str(raw))
        _assert_consistent(data_dir)
        assert len(read_data_dir(data_dir).fetched) == 8

        _mount("--bind", str(data_dir), str(data_dir))
        mounts.append(data_dir)
        _mount("-o", "remount,bind,ro", str(data_dir))
        ledger_read_only = _crawl(env)
        _assert_clean_failure(ledger_read_only, "crawl-state.sqlite3", "writable")

        for path in reversed(mounts):
            subprocess.run(["umount", str(path)], check=True)
        mounts.clear()
        resumed = _crawl(env)
        assert resumed.returncode == 0, resumed.stderr

    found = read_data_dir(data_dir)
    assert found.stored == {filing.accession: filing.render() for filing in filings}
    _assert_consistent(data_dir)
