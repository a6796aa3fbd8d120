"""The raw store: EDGAR's original bytes on disk, compressed, keyed by accession.

A filing is kept either as its full submission (``<accession>.txt.gz``) or, when that file
was missing or too large, as the folder's documents (``<accession>/<name>.gz`` plus the
``index.json`` listing). Files are written to a temporary name, flushed to disk and renamed,
so a file that exists is complete: a crash can leave a stray temporary file (ignored and
cleaned), never a half-written filing. A write that fails (disk full, read-only, no
permission) removes its temporary file and raises ``StorageError``. The SHA-256 recorded is
that of the original bytes.

Layout: ``<root>/<first 10 digits of the accession>/<2-digit year>/…``, which spreads the
200,000+ SEC-generated accessions (all ``0000000000-YY-…``) over one folder per year.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from crawler.errors import RawReadError, StorageError
from indexer.models import normalize_accession

__all__ = ["RawStore", "StoredRaw", "atomic_write", "is_plain_name"]

_LEVEL = 6


@dataclass(frozen=True)
class StoredRaw:
    """Where a filing's raw bytes are and what they were."""

    relative_path: str
    sha256: str
    size: int
    """Size of the original (uncompressed) bytes."""


class RawStore:
    """Original EDGAR bytes under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _folder(self, accession: str) -> Path:
        accession = normalize_accession(accession)
        return self.root / accession[:10] / accession[11:13]

    def submission_path(self, accession: str) -> Path:
        return self._folder(accession) / f"{normalize_accession(accession)}.txt.gz"

    def documents_path(self, accession: str) -> Path:
        return self._folder(accession) / normalize_accession(accession)

    def find(self, accession: str) -> StoredRaw | None:
        """The stored form of ``accession`` if complete and readable, computing its digest."""
        path = self.submission_path(accession)
        folder = self.documents_path(accession)
        try:
            if path.is_file():
                data = _read_gz(path)
                return StoredRaw(self._relative(path), hashlib.sha256(data).hexdigest(), len(data))
            if folder.is_dir():
                digest, size = _digest_folder(folder)
                return StoredRaw(self._relative(folder), digest, size)
        except (OSError, EOFError, zlib.error):
            return None  # damaged: it is downloaded again and replaced
        return None

    def put_submission(self, accession: str, data: bytes) -> StoredRaw:
        """Store a full submission file atomically (``StorageError`` if it cannot be written)."""
        path = self.submission_path(accession)
        try:
            atomic_write(path, gzip.compress(data, compresslevel=_LEVEL, mtime=0))
        except OSError as exc:
            raise StorageError.from_os_error(path, exc) from exc
        return StoredRaw(self._relative(path), hashlib.sha256(data).hexdigest(), len(data))

    def put_documents(self, accession: str, documents: dict[str, bytes]) -> StoredRaw:
        """Store a filing's documents (by file name) as one folder, atomically."""
        for name in documents:
            if not is_plain_name(name):
                raise ValueError(f"unsafe document name {name!r}")
        folder = self.documents_path(accession)
        try:
            _write_folder(folder, documents)
        except OSError as exc:
            raise StorageError.from_os_error(folder, exc) from exc
        digest, size = _digest_folder(folder)
        return StoredRaw(self._relative(folder), digest, size)

    def read(self, relative_path: str) -> bytes | dict[str, bytes]:
        """The original bytes of a stored submission, or a folder's documents by name;
        ``RawReadError`` when they cannot be read back (missing, damaged, truncated)."""
        path = self.root / relative_path
        try:
            if path.is_dir():
                return {p.name.removesuffix(".gz"): _read_gz(p) for p in sorted(path.glob("*.gz"))}
            return _read_gz(path)
        except (OSError, EOFError, zlib.error) as exc:
            raise RawReadError(path, str(exc) or type(exc).__name__) from exc

    def accessions(self) -> set[str]:
        """Every accession with complete raw bytes in the store."""
        found = set()
        for path in self.root.glob("*/*/*"):
            if path.name.startswith(".tmp-"):
                continue
            name = path.name.removesuffix(".txt.gz")
            if path.is_dir() or path.name.endswith(".txt.gz"):
                found.add(name)
        return found

    def remove_stale_temporaries(self) -> int:
        """Delete leftovers of writes interrupted by a crash; return how many.

        A store that cannot be changed (read-only, no permission) raises ``StorageError``.
        """
        removed = 0
        for path in self.root.glob("*/*/.tmp-*"):
            try:
                if path.is_dir():
                    shutil.rmtree(path)
                else:
                    path.unlink(missing_ok=True)
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise StorageError.from_os_error(path, exc) from exc
            removed += 1
        return removed

    def _relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


def is_plain_name(name: str) -> bool:
    """Whether ``name`` is a bare file name (no folder part, not ``.`` or ``..``)."""
    return bool(name) and name not in (".", "..") and Path(name).name == name and "\\" not in name


def _write_folder(folder: Path, documents: dict[str, bytes]) -> None:
    """Write the documents into a synced staging folder, then rename it to ``folder``."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder.parent))
    try:
        for name, data in sorted(documents.items()):
            (staging / f"{name}.gz").write_bytes(gzip.compress(data, _LEVEL, mtime=0))
        _fsync_tree(staging)
        if folder.exists():
            shutil.rmtree(folder)
        staging.rename(folder)
        _fsync_dir(folder.parent)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _read_gz(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())


def _digest_folder(folder: Path) -> tuple[str, int]:
    """A digest over the documents' names and original bytes, and their total size."""
    digest = hashlib.sha256()
    size = 0
    for path in sorted(folder.glob("*.gz")):
        data = _read_gz(path)
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(data).digest())
        size += len(data)
    return digest.hexdigest(), size


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a synced temporary file: never half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).replace(path)
        _fsync_dir(path.parent)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _fsync_tree(folder: Path) -> None:
    for path in folder.iterdir():
        with path.open("rb") as handle:
            os.fsync(handle.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
