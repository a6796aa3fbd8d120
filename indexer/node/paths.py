"""Where the managed Elasticsearch node keeps its files, and where distributions are cached.

**The node's folder belongs to one data folder**: ``<data_dir>/elasticsearch/`` holds
``config/`` (a private copy of the distribution's config), ``data/``, ``logs/``, ``es.pid``
and ``node.json``. Run as root, the node runs as a service user, which must be able to pass
through every parent folder. Where one is closed to other users (a checkout under ``/root``,
a ``mktemp -d`` folder), the node's folder is ``/var/lib/corresp-es/<digest of the data
folder>/`` instead, always the same one for the same data folder, and
``<data_dir>/elasticsearch`` is a symbolic link to it: the node's files are found where the
README says, and ``corresp es down --purge`` removes both. The nodes of a managed cluster
(``corresp es cluster up``) keep theirs the same way under
``<data_dir>/elasticsearch-cluster/node-<n>/``.

**Distributions are shared**, one per version, by every data folder of the machine (about
130 MB each, never written by a node): ``elasticsearch.managed.distribution_cache_dir`` when
set, else ``/var/cache/corresp/elasticsearch`` for root (the service user must read it),
else ``$XDG_CACHE_HOME/corresp/elasticsearch`` (``~/.cache/corresp/elasticsearch``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from indexer.data_folder import DataFolder

__all__ = [
    "RELOCATED_ROOT",
    "NodePaths",
    "default_cache_dir",
    "node_paths",
    "reachable_by_others",
]

RELOCATED_ROOT = Path("/var/lib/corresp-es")
ROOT_CACHE_DIR = Path("/var/cache/corresp/elasticsearch")


@dataclass(frozen=True)
class NodePaths:
    """Where the managed node of one data folder keeps its files."""

    root: Path
    """The node's folder as the node sees it (no symbolic link on the way)."""
    link: Path
    """``<data_dir>/elasticsearch``: ``root`` itself, or a link to it when relocated."""

    @property
    def relocated(self) -> bool:
        return self.root != self.link

    @property
    def config(self) -> Path:
        return self.root / "config"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def pid_file(self) -> Path:
        return self.root / "es.pid"

    @property
    def state_file(self) -> Path:
        return self.root / "node.json"

    @property
    def launcher_log(self) -> Path:
        return self.logs / "launcher.log"

    def ensure(self) -> None:
        """Create the node's folders, and the link to a relocated folder where the name is free."""
        for path in (self.data, self.logs):
            path.mkdir(parents=True, exist_ok=True)
        if self.relocated and not self.link.exists() and not self.link.is_symlink():
            self.link.parent.mkdir(parents=True, exist_ok=True)
            self.link.symlink_to(self.root, target_is_directory=True)

    def purge(self) -> list[Path]:
        """Remove the node's folder (and the link to it); return what was removed."""
        removed = []
        if self.link.is_symlink() and self.link.resolve() == self.root.resolve():
            self.link.unlink()
            removed.append(self.link)
        if self.root.exists():
            shutil.rmtree(self.root)
            removed.append(self.root)
        if self.relocated and RELOCATED_ROOT.is_dir() and not any(RELOCATED_ROOT.iterdir()):
            RELOCATED_ROOT.rmdir()
        return removed


def node_paths(data_dir: Path, folder: str = "") -> NodePaths:
    """The node folder of ``data_dir``: in place, unless root runs us and the service user
    could not reach it. ``folder`` names a member of the managed test cluster
    (``elasticsearch-cluster/node-1``); empty = the single node's ``elasticsearch``."""
    data = DataFolder(data_dir.resolve())
    link = data.root / folder if folder else data.elasticsearch
    if os.geteuid() != 0 or reachable_by_others(link):
        return NodePaths(root=link, link=link)
    digest = hashlib.sha256(str(link).encode()).hexdigest()[:12]
    return NodePaths(root=RELOCATED_ROOT / digest, link=link)


def default_cache_dir() -> Path:
    """The machine's shared distribution cache for the current user."""
    if os.geteuid() == 0:
        return ROOT_CACHE_DIR
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "corresp" / "elasticsearch"


def reachable_by_others(path: Path) -> bool:
    """Whether every existing parent folder of ``path`` lets other users pass through.

    ``path`` itself is not followed if it is a symbolic link: only the folders above it count.
    """
    folder = path.parent.resolve()
    return all(p.stat().st_mode & 0o001 for p in (folder, *folder.parents) if p.exists())
