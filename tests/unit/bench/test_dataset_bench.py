"""The dataset bench measures its child's peak memory, not its own."""

from __future__ import annotations

import sys

import pytest

from bench.dataset_bench import run_export

ALLOCATE = "b = bytearray(160 * 2**20); b[::4096] = b'x' * len(b[::4096]); print('{\"ok\": 1}')"


def test_the_childs_manifest_and_peak_memory_are_read() -> None:
    manifest, seconds, peak = run_export([sys.executable, "-c", ALLOCATE])
    assert manifest == {"ok": 1}
    assert seconds > 0
    assert peak >= 160 * 2**20


def test_a_failed_export_stops_the_bench() -> None:
    with pytest.raises(SystemExit, match="exit status 3"):
        run_export([sys.executable, "-c", "raise SystemExit(3)"])
