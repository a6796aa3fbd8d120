"""SEC's fair-access rules, checked by the fake EDGAR's own request log."""

from __future__ import annotations

import json
import threading
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli.main import cli
from tests.fake_edgar import FakeEdgar, FakeEdgarConfig
from tests.integration.crawler.conftest import USER_AGENT, crawler_env

pytestmark = [pytest.mark.samples, pytest.mark.slow]

COOLDOWN = 3.0


def _crawl(env: dict[str, str], since: str, until: str) -> dict[str, object]:
    result = CliRunner().invoke(
        cli,
        ["crawl", "--since", since, "--until", until, "--json"],
        env=env,
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_ceiling_of_ten_per_second_is_never_crossed(samples_dir: Path, tmp_path: Path) -> None:
    config = FakeEdgarConfig(limit_per_second=10, delay_ms=(20, 120))
    with FakeEdgar(samples_dir, config) as edgar:
        filings = edgar.synthetic_filings(60, date(2023, 1, 9), date(2023, 1, 13))
        env = crawler_env(edgar, tmp_path, EDGAR__MAX_REQUESTS_PER_SECOND="10")
        summary = _crawl(env, "2023-01-09", "2023-01-13")
        assert summary["fetched"] == len(filings)
        assert edgar.violations == 0
        assert edgar.max_requests_in_any_window(1.0) <= 10
        assert {record.user_agent for record in edgar.requests} == {USER_AGENT}


@pytest.mark.parametrize("block_status", [403, 429])
def test_block_page_silences_every_host_for_the_cooldown(
    samples_dir: Path, tmp_path: Path, block_status: int
) -> None:
    config = FakeEdgarConfig(block_seconds=1.0, block_status=block_status, delay_ms=(10, 30))
    with FakeEdgar(samples_dir, config) as edgar:
        filings = edgar.synthetic_filings(30, date(2023, 1, 9), date(2023, 1, 13))
        env = crawler_env(edgar, tmp_path, EDGAR__BLOCK_COOLDOWN_SECONDS=str(COOLDOWN))
        timer = threading.Timer(1.0, edgar.set_block)
        timer.start()
        try:
            summary = _crawl(env, "2023-01-09", "2023-01-13")
        finally:
            timer.cancel()
        records = edgar.requests
    blocked = [r for r in records if r.status == block_status and r.during_block]
    assert blocked, "the block must have been hit"
    first = blocked[0].monotonic
    # Requests already on the wire when the first block page was sent may still arrive;
    # after that, silence for the whole cool-down.
    late = [r for r in records if first + 0.2 < r.monotonic < first + COOLDOWN - 0.05]
    assert late == []
    # Then the crawl resumes and completes.
    assert summary["fetched"] == len(filings)
    assert summary["failed"] == 0


def test_transient_faults_are_retried(samples_dir: Path, tmp_path: Path) -> None:
    with FakeEdgar(samples_dir) as edgar:
        one, two, three, four = edgar.synthetic_filings(4, date(2023, 1, 9), date(2023, 1, 9))
        edgar.inject(one.path, "status(503)", times=2)
        edgar.inject(two.path, "drop")
        edgar.inject(three.path, "truncate(500)")
        edgar.inject(four.path, "bad_gzip")
        env = crawler_env(edgar, tmp_path)
        summary = _crawl(env, "2023-01-09", "2023-01-09")
        assert summary["fetched"] == 4
        assert summary["failed"] == 0
        counts = {
            f.accession: sum(r.path == f.path for r in edgar.requests)
            for f in (one, two, three, four)
        }
    assert counts == {one.accession: 3, two.accession: 2, three.accession: 2, four.accession: 2}


def test_server_errors_that_persist_are_recorded_and_parked(
    samples_dir: Path, tmp_path: Path
) -> None:
    with FakeEdgar(samples_dir) as edgar:
        (filing,) = edgar.synthetic_filings(1, date(2023, 1, 9), date(2023, 1, 9))
        edgar.inject(filing.path, "status(500)", times=None)
        env = crawler_env(
            edgar, tmp_path, EDGAR__MAX_ATTEMPTS="2", CRAWLER__MAX_ATTEMPTS_PER_FILING="2"
        )
        first = _crawl(env, "2023-01-09", "2023-01-09")
        assert (first["failed"], first["parked"]) == (1, 0)
        second = CliRunner().invoke(
            cli, ["crawl", "--since", "2023-01-09", "--until", "2023-01-09", "--json"], env=env
        )
        assert json.loads(second.stdout)["parked"] == 1
        status = CliRunner().invoke(cli, ["status", "--json"], env=env)
        parked = json.loads(status.stdout)["parked"]
        assert [row["accession"] for row in parked] == [filing.accession]
        assert "500" in parked[0]["last_error"]
        text = CliRunner().invoke(cli, ["status"], env=env).stdout
        assert "corresp crawl --retry-failed" in text

        edgar.reset()  # EDGAR answers again: the parked filing is queued and fetched
        again = CliRunner().invoke(
            cli,
            ["crawl", "--retry-failed", "--since", "2023-01-09", "--until", "2023-01-09"],
            env=env,
        )
        assert "1 parked filing(s) put back in the queue" in again.stdout
        assert "1 fetched" in again.stdout
        after = json.loads(CliRunner().invoke(cli, ["status", "--json"], env=env).stdout)
        assert after["parked"] == []
        assert after["filings"]["fetched"] == 1
