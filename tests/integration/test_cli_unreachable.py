"""`corresp es status` against a port where nothing listens."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from indexer.cli.main import cli


def test_status_of_unreachable_cluster_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["es", "status"],
        env={
            "CORRESP__ELASTICSEARCH__URL": "http://127.0.0.1:9",
            "CORRESP__STORAGE__DATA_DIR": str(tmp_path),
        },
    )
    assert result.exit_code == 1
    assert "no Elasticsearch node is reachable at http://127.0.0.1:9" in result.stderr
    assert "Traceback" not in result.output
