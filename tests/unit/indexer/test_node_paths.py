"""Where the managed node's files go (in place, or relocated for the service user) and purge."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.node import paths
from indexer.node.paths import default_cache_dir, node_paths, reachable_by_others


@pytest.fixture
def open_tree() -> Iterator[Path]:
    """A folder under /tmp that every user may pass through (pytest's tmp_path is not)."""
    with tempfile.TemporaryDirectory(dir="/tmp") as name:
        root = Path(name)
        root.chmod(0o755)
        yield root


@pytest.fixture
def relocated_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "var-lib-corresp-es"
    monkeypatch.setattr(paths, "RELOCATED_ROOT", root)
    return root


def test_reachability_follows_every_parent(open_tree: Path) -> None:
    closed = open_tree / "closed"
    closed.mkdir(mode=0o700)
    closed.chmod(0o700)

    assert reachable_by_others(open_tree / "data" / "elasticsearch")
    assert not reachable_by_others(closed / "data" / "elasticsearch")
    assert not reachable_by_others(closed / "elasticsearch")
    # The path itself does not count: a closed folder is fine as the last component.
    assert reachable_by_others(closed)


def test_files_stay_in_the_data_folder_when_the_service_user_can_reach_it(
    open_tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    located = node_paths(open_tree / "data")

    assert located.root == located.link == open_tree / "data" / "elasticsearch"
    assert not located.relocated


def test_without_root_the_files_always_stay_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    located = node_paths(tmp_path / "data")  # tmp_path's parent is closed to others

    assert located.root == tmp_path.resolve() / "data" / "elasticsearch"
    assert not located.relocated


def test_root_with_a_closed_parent_relocates_and_links(
    tmp_path: Path, relocated_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    closed = tmp_path / "home"
    closed.mkdir(mode=0o700)
    closed.chmod(0o700)
    located = node_paths(closed / "data")

    assert located.relocated
    assert located.root.parent == relocated_root
    assert len(located.root.name) == 12
    assert located.link == closed.resolve() / "data" / "elasticsearch"
    assert node_paths(closed / "data") == located  # the same place every time
    assert node_paths(closed / "other").root != located.root

    located.ensure()
    assert located.link.is_symlink()
    assert located.link.resolve() == located.root
    assert (located.root / "data").is_dir() and (located.root / "logs").is_dir()
    # Once the link exists, the same folder is found again (the link is not followed).
    assert node_paths(closed / "data") == located

    (located.root / "data" / "segment").write_text("x")
    removed = located.purge()
    assert removed == [located.link, located.root]
    assert not located.link.exists() and not located.link.is_symlink()
    assert not located.root.exists()
    assert not relocated_root.exists()  # emptied, so removed too
    assert located.purge() == []


def test_purge_in_place_removes_the_node_folder_only(open_tree: Path) -> None:
    located = node_paths(open_tree / "data")
    located.ensure()
    raw = open_tree / "data" / "raw"
    raw.mkdir()

    assert located.purge() == [located.root]
    assert not located.root.exists()
    assert raw.is_dir()


def test_distribution_cache_is_shared_per_machine_or_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert default_cache_dir() == Path("/var/cache/corresp/elasticsearch")
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "corresp" / "elasticsearch"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "corresp" / "elasticsearch"
