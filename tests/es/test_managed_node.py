"""`corresp es up|status|down [--purge]` against a second, real managed node on other ports.

The node runs from a temporary data directory; the distribution comes from the same cache
the suite's main node uses when ``ES_DISTRIBUTION_CACHE`` is set (else it is obtained). The
test ends with `down --purge`, which removes the node's files wherever they were placed
(under /var/lib/corresp-es when root runs the tests from a folder closed to other users).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ports import free_port

pytestmark = pytest.mark.slow


def _corresp(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "indexer", *args]
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture
def node_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    tmp_path.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CORRESP")}
    env |= {
        "CORRESP__STORAGE__DATA_DIR": str(tmp_path / "data"),
        "CORRESP__ELASTICSEARCH__MANAGED__HTTP_PORT": str(free_port()),
        "CORRESP__ELASTICSEARCH__MANAGED__TRANSPORT_PORT": str(free_port()),
        "CORRESP__ELASTICSEARCH__MANAGED__HEAP": "256m",
    }
    if cache := os.environ.get("ES_DISTRIBUTION_CACHE"):
        env["CORRESP__ELASTICSEARCH__MANAGED__DISTRIBUTION_CACHE_DIR"] = cache
    yield env
    _corresp(env, "es", "down", "--purge")  # nothing left behind, whatever the test did


# ``es``: like every Elasticsearch test, fail (not skip) under REQUIRE_ES=1 without a node.
@pytest.mark.usefixtures("es")
def test_up_status_down_status(node_env: dict[str, str]) -> None:
    try:
        up = _corresp(node_env, "es", "up", "--json")
        assert up.returncode == 0, up.stderr
        started = json.loads(up.stdout)
        assert started["running"] is True
        assert started["health"] in ("green", "yellow")
        assert started["version"].startswith(("8.19.", "9."))

        status = _corresp(node_env, "es", "status")
        assert status.returncode == 0, status.stderr
        assert f"Elasticsearch {started['version']}" in status.stdout
        assert "health: " in status.stdout

        again = _corresp(node_env, "es", "up", "--json")
        assert again.returncode == 0
        assert json.loads(again.stdout)["pid"] == started["pid"]
    finally:
        down = _corresp(node_env, "es", "down")
    assert down.returncode == 0, down.stderr
    assert "stopped" in down.stdout

    after = _corresp(node_env, "es", "status")
    assert after.returncode == 1
    assert "not running" in after.stderr
    assert "corresp es up" in after.stderr

    # The node's files: in the data folder, or linked from it when placed elsewhere.
    link = Path(node_env["CORRESP__STORAGE__DATA_DIR"]) / "elasticsearch"
    files = Path(started["node_files"])
    assert (files / "data").is_dir()
    assert link.resolve() == files
    assert link.is_symlink() == (files != link)
    if os.geteuid() == 0 and files != link:
        assert files.parent == Path("/var/lib/corresp-es")
    assert Path(started["distribution_cache"]).is_dir()

    purge = _corresp(node_env, "es", "down", "--purge")
    assert purge.returncode == 0, purge.stderr
    assert "purged" in purge.stdout
    assert not files.exists()
    assert not link.exists() and not link.is_symlink()
    assert Path(started["distribution_cache"]).is_dir()  # shared: never purged
    again = _corresp(node_env, "es", "down", "--purge")
    assert "nothing to purge" in again.stdout


def test_external_url_starts_nothing(node_env: dict[str, str], es_url: str) -> None:
    env = node_env | {"CORRESP__ELASTICSEARCH__URL": es_url}
    result = _corresp(env, "es", "up", "--json")
    assert result.returncode == 0, result.stderr
    assert "nothing to start" in result.stderr
    payload = json.loads(result.stdout)
    assert payload["managed"] is False
    assert payload["running"] is True
    assert not (Path(env["CORRESP__STORAGE__DATA_DIR"]) / "elasticsearch").exists()
