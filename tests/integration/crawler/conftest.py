"""A fake EDGAR on loopback and a configuration pointing the crawler at it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fake_edgar import FakeEdgar, FakeEdgarConfig

USER_AGENT = "Corresp Test Suite tests@example.org"


@pytest.fixture
def edgar(samples_dir: Path) -> Iterator[FakeEdgar]:
    with FakeEdgar(samples_dir, FakeEdgarConfig(block_seconds=3)) as server:
        yield server


def crawler_env(edgar: FakeEdgar, data_dir: Path, **overrides: str) -> dict[str, str]:
    """Environment overrides that point ``corresp`` at the fake EDGAR."""
    env = {
        "CORRESP__EDGAR__USER_AGENT": USER_AGENT,
        "CORRESP__EDGAR__BASE_URLS__WWW": edgar.base_url,
        "CORRESP__EDGAR__BASE_URLS__DATA": edgar.base_url,
        "CORRESP__EDGAR__BASE_URLS__EFTS": edgar.base_url,
        "CORRESP__EDGAR__MAX_REQUESTS_PER_SECOND": "9",
        "CORRESP__EDGAR__BLOCK_COOLDOWN_SECONDS": "3",
        "CORRESP__EDGAR__TIMEOUT_SECONDS": "5",
        "CORRESP__CRAWLER__RETRY_DELAY_SECONDS": "0",
        "CORRESP__STORAGE__DATA_DIR": str(data_dir),
        # Crawl tests check the crawl; indexing is tested against the real node elsewhere.
        # Nothing listens on port 9, so the hand-off is postponed at once.
        "CORRESP__ELASTICSEARCH__URL": "http://127.0.0.1:9",
    }
    env.update({f"CORRESP__{key.upper()}": value for key, value in overrides.items()})
    return env
