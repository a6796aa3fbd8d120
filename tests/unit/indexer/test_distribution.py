"""Choosing and unpacking an Elasticsearch distribution (no network)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from indexer.node.distribution import (
    MARKER,
    _cached,
    _install,
    _unzip_keeping_modes,
    newest_matching,
)

VERSIONS = ["8.18.0", "8.19.0", "8.19.2", "8.19.21", "8.19.4", "9.0.0", "8.19.22-SNAPSHOT"]


def test_newest_patch_is_chosen_numerically() -> None:
    assert newest_matching("8.19", VERSIONS) == "8.19.21"
    assert newest_matching("8.19.4", VERSIONS) == "8.19.4"
    assert newest_matching("8.1", VERSIONS) is None
    assert newest_matching("9.0", VERSIONS) == "9.0.0"


def test_zip_extraction_keeps_executable_bits(tmp_path: Path) -> None:
    archive = tmp_path / "es.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        info = zipfile.ZipInfo("elasticsearch-8.19.21/bin/elasticsearch")
        info.external_attr = 0o755 << 16
        zipped.writestr(info, "#!/bin/sh\n")
        zipped.writestr("elasticsearch-8.19.21/config/jvm.options", "-Xms1g\n")
    extract = tmp_path / "extract"
    _unzip_keeping_modes(archive, extract)
    launcher = extract / "elasticsearch-8.19.21" / "bin" / "elasticsearch"
    assert launcher.stat().st_mode & 0o777 == 0o755
    cache = tmp_path / "cache"
    cache.mkdir()
    installed = _install(extract, "8.19.21", "integ-test-zip", cache)
    assert installed.home == cache / "elasticsearch-8.19.21"
    assert json.loads((installed.home / MARKER).read_text())["kind"] == "integ-test-zip"
    assert list(_cached(cache)) == ["8.19.21"]


def test_damaged_cache_entries_are_ignored(tmp_path: Path) -> None:
    broken = tmp_path / "elasticsearch-8.19.2"
    broken.mkdir()
    (broken / MARKER).write_text("{not json")
    assert _cached(tmp_path) == {}
