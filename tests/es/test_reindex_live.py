"""`corresp reindex` while searches run: none fails, and the counts are the same after."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from api.app import create_app
from indexer.cli.main import cli
from indexer.config_file import load_settings

pytestmark = pytest.mark.samples

COMPANIES = ("1300514", "1551152", "7084", "1783180")


def test_reindex_under_a_search_loop(
    es_url: str, es_prefix: str, samples_dir: Path, tmp_path: Path
) -> None:
    env = {
        "CORRESP__STORAGE__DATA_DIR": str(tmp_path),
        "CORRESP__ELASTICSEARCH__URL": es_url,
        "CORRESP__ELASTICSEARCH__INDEX_PREFIX": es_prefix,
    }
    # The documents, with the filing indexes that date them.
    folders = [
        str(samples_dir / tree / cik) for cik in COMPANIES for tree in ("documents", "filing-index")
    ]
    imported = CliRunner().invoke(cli, ["import", *folders, "--json"], env=env)
    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.stdout)["indexed"] > 50
    settings = load_settings(None, environ=env).settings
    failures: list[str] = []
    counts: list[tuple[int, int, int]] = []
    stop = threading.Event()

    with TestClient(create_app(settings)) as client:

        def totals() -> tuple[int, int, int]:
            letters = client.get("/search", params={"size": 1}).json()["total"]
            comments = client.get("/comments/search", params={"size": 1}).json()["total"]
            phrase = client.get("/search", params={"q": '"completed our review"'}).json()["total"]
            return letters, comments, phrase

        before = totals()
        assert min(before) > 0

        def search_loop() -> None:
            while not stop.is_set():
                for path, params in (
                    ("/search", {"q": "revenue"}),
                    ("/threads", {}),
                    ("/comments/search", {"q": "segment"}),
                ):
                    response = client.get(path, params=params)
                    if response.status_code != 200:
                        failures.append(f"{path}: {response.status_code} {response.text[:200]}")
                counts.append(totals())

        searcher = threading.Thread(target=search_loop)
        searcher.start()
        try:
            result = CliRunner().invoke(cli, ["reindex", "--json"], env=env)
        finally:
            stop.set()
            searcher.join()
        after = totals()

    assert result.exit_code == 0, result.output
    assert failures == []
    assert len(counts) > 3  # searches really ran during the reindex
    assert after == before
    assert set(counts) == {before}  # every search saw the complete old or new indices
