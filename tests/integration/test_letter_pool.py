"""Letters made by the worker pool equal those made in this process, in the batch's order.

The samples of four companies are stored with ``corresp import --no-index``; their stored
filings are made into normalized letters once in this process (one worker) and once by a
pool of two ``spawn`` workers, and the results compared field by field. A stored filing
whose files are gone comes back with its reason, in its place, without stopping the others.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.extract.ocr import OcrOptions
from crawler.letter_pool import LetterMaker, MakerSetup, worker_count
from crawler.state import CrawlState
from crawler.store import RawStore
from indexer.cli.main import cli
from indexer.data_folder import DataFolder

pytestmark = pytest.mark.samples

COMPANIES = ("1300514", "7084", "24741", "896159")


def test_the_pool_makes_the_same_letters_in_order(samples_dir: Path, tmp_path: Path) -> None:
    folders = [
        str(samples_dir / tree / cik) for cik in COMPANIES for tree in ("documents", "filing-index")
    ]
    env = {"CORRESP__STORAGE__DATA_DIR": str(tmp_path)}
    result = CliRunner().invoke(cli, ["import", *folders, "--no-index", "--json"], env=env)
    assert result.exit_code == 0, result.output
    folder = DataFolder(tmp_path)
    state = CrawlState(folder.ledger)
    try:
        stored = state.stored_filings(only_pending_ingest=False)
    finally:
        state.close()
    assert len(stored) >= 16  # enough for the pool (4 filings per worker)
    damaged = stored[3]
    raw = RawStore(folder.raw)
    shutil.rmtree(folder.raw / damaged.raw_path)  # its stored documents are gone

    setup = MakerSetup(folder.raw, tmp_path, OcrOptions(enabled=False), "")
    jobs = [(filing, None) for filing in stored]
    with LetterMaker(setup, workers=1) as alone:
        expected = alone.make(jobs)
    with LetterMaker(setup, workers=2) as pool:
        made = pool.make(jobs)
        assert pool._pool is not None  # the pool really ran

    assert [m.accession for m in made] == [f.accession for f in stored]
    assert made == expected
    assert made[3].unreadable is not None and "unreadable raw filing" in made[3].unreadable
    assert made[3].letters == ()
    assert sum(len(m.letters) for m in made) >= len(stored) - 1
    assert raw.root == folder.raw
    assert worker_count(0) >= 1 and worker_count(3) == 3
