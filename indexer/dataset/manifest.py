"""``manifest.json``: what a dataset holds and how it was made, so a paper can cite it.

The manifest names the project version and commit (``None`` for an installed copy without a
git checkout, with ``commit_dirty`` telling whether the checkout had uncommitted changes),
the time, the filters, the Elasticsearch aliases and the concrete indices behind them, each
table's file with its row count, size and SHA-256, the other files (the data dictionary)
with theirs, and consistency counts (rows left out because the index changed during the
walk). ``build_manifest`` is pure; ``file_entry`` and ``project_commit`` read the disk and
git.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

__all__ = [
    "MANIFEST_NAME",
    "ProjectVersion",
    "build_manifest",
    "file_entry",
    "project_version",
]

MANIFEST_NAME = "manifest.json"
_ROOT = Path(__file__).resolve().parents[2]
_GIT_TIMEOUT_SECONDS = 10
_CHUNK = 1 << 20


@dataclass(frozen=True)
class ProjectVersion:
    """Which code made the dataset."""

    version: str | None
    commit: str | None
    commit_dirty: bool | None
    """Whether the checkout had uncommitted changes to tracked files (``None``: unknown)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": "corresp",
            "version": self.version,
            "commit": self.commit,
            "commit_dirty": self.commit_dirty,
        }


def _git(*args: str) -> str | None:
    """Output of a read-only git command in the project's checkout; ``None`` if it fails."""
    git = shutil.which("git")
    if git is None or not (_ROOT / "pyproject.toml").is_file():
        return None  # an installed copy: no checkout to ask
    try:
        done = subprocess.run(
            [git, "-C", str(_ROOT), *args],
            capture_output=True,
            text=True,
            timeout=_GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def project_version() -> ProjectVersion:
    """The installed version and, for a git checkout, its commit."""
    try:
        installed: str | None = version("corresp")
    except PackageNotFoundError:
        installed = None
    top = _git("rev-parse", "--show-toplevel")
    if top is None or Path(top).resolve() != _ROOT:
        return ProjectVersion(installed, None, None)
    status = _git("status", "--porcelain", "--untracked-files=no")
    return ProjectVersion(
        installed, _git("rev-parse", "HEAD"), None if status is None else bool(status)
    )


def file_entry(path: Path, *, name: str | None = None, rows: int | None = None) -> dict[str, Any]:
    """A file of the dataset: its name (``path``'s own by default), size, SHA-256 and (for a
    table) its row count."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    entry: dict[str, Any] = {"name": name or path.name, "bytes": path.stat().st_size}
    if rows is not None:
        entry["rows"] = rows
    entry["sha256"] = digest.hexdigest()
    return entry


def build_manifest(
    *,
    created_at: datetime,
    project: ProjectVersion,
    file_format: str,
    compression: str | None,
    filters: Mapping[str, Any],
    indices: Mapping[str, Mapping[str, Any]],
    tables: Mapping[str, Mapping[str, Any]],
    files: list[dict[str, Any]],
    consistency: Mapping[str, int],
) -> dict[str, Any]:
    """The manifest's content (JSON-ready)."""
    return {
        "dataset": "SEC comment letters: letters, comments, reviews",
        "created_at": created_at.isoformat(timespec="seconds"),
        "project": project.to_dict(),
        "format": file_format,
        "compression": compression,
        "filters": dict(filters),
        "elasticsearch": dict(indices),
        "counts": {name: entry["rows"] for name, entry in tables.items()},
        "tables": dict(tables),
        "files": files,
        "consistency": dict(consistency),
    }
