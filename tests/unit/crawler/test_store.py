"""The raw store of original EDGAR bytes (crawler.store)."""

from __future__ import annotations

import contextlib
import errno
import gzip
import hashlib
from pathlib import Path
from typing import Any

import pytest

from crawler.errors import RawReadError, StorageError
from crawler.store import RawStore, StoredRaw

UPLOAD = "0000000000-24-003505"
CORRESP = "0000320193-24-000061"
SUBMISSION = b"<SEC-DOCUMENT>0000000000-24-003505.txt : 20240614\n" + bytes(range(256)) * 40


@pytest.fixture
def store(tmp_path: Path) -> RawStore:
    return RawStore(tmp_path / "raw")


def test_put_submission_round_trips_the_original_bytes(store: RawStore) -> None:
    stored = store.put_submission(UPLOAD, SUBMISSION)

    assert stored == StoredRaw(
        f"0000000000/24/{UPLOAD}.txt.gz", hashlib.sha256(SUBMISSION).hexdigest(), len(SUBMISSION)
    )
    assert store.read(stored.relative_path) == SUBMISSION
    on_disk = (store.root / stored.relative_path).read_bytes()
    assert on_disk != SUBMISSION
    assert gzip.decompress(on_disk) == SUBMISSION, "kept compressed, digest of the original"


def test_find_returns_none_for_an_absent_accession(store: RawStore) -> None:
    assert store.find(UPLOAD) is None
    store.put_submission(CORRESP, b"other")
    assert store.find(UPLOAD) is None


def test_find_after_reopening_gives_the_same_digest(store: RawStore) -> None:
    stored = store.put_submission(UPLOAD, SUBMISSION)

    reopened = RawStore(store.root)

    assert reopened.find(UPLOAD) == stored
    assert reopened.find("0000000000-24-003505") == stored
    assert reopened.accessions() == {UPLOAD}


def test_a_submission_is_replaced_not_appended(store: RawStore) -> None:
    store.put_submission(UPLOAD, b"first version")
    second = store.put_submission(UPLOAD, b"second")

    assert store.read(second.relative_path) == b"second"
    assert store.find(UPLOAD) == second


def test_put_documents_stores_every_document_by_name(store: RawStore) -> None:
    documents = {
        "index.json": b'{"directory": {"item": []}}',
        "filename1.pdf": b"%PDF-1.5 letter",
        "filename2.txt": b"text extract",
    }

    stored = store.put_documents(UPLOAD, documents)

    assert stored.relative_path == f"0000000000/24/{UPLOAD}"
    assert store.read(stored.relative_path) == documents
    assert stored.size == sum(len(data) for data in documents.values())
    assert RawStore(store.root).find(UPLOAD) == stored
    assert store.accessions() == {UPLOAD}


def test_the_documents_digest_depends_on_names_and_bytes(store: RawStore) -> None:
    first = store.put_documents(UPLOAD, {"a.htm": b"1", "b.htm": b"2"})
    renamed = store.put_documents(CORRESP, {"a.htm": b"2", "b.htm": b"1"})

    assert first.sha256 != renamed.sha256
    assert first.size == renamed.size == 2


def test_put_documents_replaces_the_whole_folder(store: RawStore) -> None:
    store.put_documents(UPLOAD, {"index.json": b"{}", "filename1.pdf": b"old"})

    stored = store.put_documents(UPLOAD, {"filename1.htm": b"new"})

    assert store.read(stored.relative_path) == {"filename1.htm": b"new"}


@pytest.mark.parametrize("name", ["..", ".", "", "letters/.."])
def test_unsafe_document_names_are_rejected_and_nothing_is_stored(
    store: RawStore, name: str
) -> None:
    with pytest.raises(ValueError, match="unsafe document name"):
        store.put_documents(UPLOAD, {"a.htm": b"fine", name: b"evil", "z.htm": b"fine"})

    assert store.find(UPLOAD) is None
    assert store.accessions() == set()
    assert not store.documents_path(UPLOAD).parent.exists()  # names are checked first


def test_a_parent_directory_name_never_writes_outside_the_filing_folder(store: RawStore) -> None:
    outside = store.documents_path(UPLOAD).parent

    with contextlib.suppress(ValueError):
        store.put_documents(UPLOAD, {"../x": b"evil", "filename1.pdf": b"letter"})

    assert not (outside / "x").exists()
    assert not (outside / "x.gz").exists()
    assert sorted(p.name for p in store.root.rglob("*") if p.is_file()) in (
        [],
        ["filename1.pdf.gz", "x.gz"],
    )


@pytest.mark.parametrize("name", ["../x", "sub/x", "/etc/x"])
def test_names_with_a_directory_part_are_rejected(store: RawStore, name: str) -> None:
    with pytest.raises(ValueError, match="unsafe document name"):
        store.put_documents(UPLOAD, {name: b"evil", "filename1.pdf": b"letter"})


def test_distinct_document_names_never_overwrite_each_other(store: RawStore) -> None:
    try:
        stored = store.put_documents(UPLOAD, {"a/x": b"first", "b/x": b"second"})
    except ValueError:
        return  # refusing such names is fine too
    assert len(store.read(stored.relative_path)) == 2


def test_leftover_temporaries_are_ignored_then_removed(store: RawStore) -> None:
    kept = store.put_submission(UPLOAD, SUBMISSION)
    store.put_documents(CORRESP, {"filename1.htm": b"<html>"})
    folder = store.submission_path(UPLOAD).parent
    # A crash mid-write leaves a temporary file (submission) or folder (documents).
    (folder / ".tmp-abc123").write_bytes(b"half a gzip")
    (folder / ".tmp-def456").mkdir()
    (folder / ".tmp-def456" / "filename1.pdf.gz").write_bytes(b"partial")
    unfinished = store.submission_path("0000000000-24-999999").parent / ".tmp-x"
    unfinished.write_bytes(b"")

    assert store.accessions() == {UPLOAD, CORRESP}
    assert store.find("0000000000-24-999999") is None
    assert store.find(UPLOAD) == kept

    assert store.remove_stale_temporaries() == 3

    assert sorted(p.name for p in folder.iterdir()) == [f"{UPLOAD}.txt.gz"]
    assert store.find(UPLOAD) == kept
    assert store.accessions() == {UPLOAD, CORRESP}
    assert store.remove_stale_temporaries() == 0


def test_no_temporary_is_left_after_successful_writes(store: RawStore) -> None:
    store.put_submission(UPLOAD, SUBMISSION)
    store.put_documents(CORRESP, {"filename1.htm": b"<html>"})

    assert [p for p in store.root.rglob(".tmp-*")] == []


def test_layout_spreads_sec_accessions_by_year(store: RawStore) -> None:
    for accession in ("0000000000-16-092800", "0000000000-24-003505", "0000000000-24-005673"):
        store.put_submission(accession, b"x")
    store.put_documents("0000320193-24-000061", {"filename1.htm": b"y"})

    years = sorted(p.relative_to(store.root).as_posix() for p in store.root.glob("*/*"))

    assert years == ["0000000000/16", "0000000000/24", "0000320193/24"]
    assert store.submission_path("0000000000-24-003505") == (
        store.root / "0000000000" / "24" / "0000000000-24-003505.txt.gz"
    )
    assert store.documents_path("000032019324000061") == (
        store.root / "0000320193" / "24" / "0000320193-24-000061"
    )
    assert store.accessions() == {
        "0000000000-16-092800",
        "0000000000-24-003505",
        "0000000000-24-005673",
        "0000320193-24-000061",
    }


def test_an_invalid_accession_is_refused(store: RawStore) -> None:
    with pytest.raises(ValueError):
        store.put_submission("../../etc/passwd", b"x")
    assert not store.root.exists() or list(store.root.rglob("*")) == []


def test_a_store_that_cannot_be_written_raises_a_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "raw"
    blocker.write_text("a file where the store's folder should be")
    store = RawStore(blocker)

    with pytest.raises(StorageError, match=r"cannot write .*raw") as caught:
        store.put_submission(UPLOAD, b"data")
    assert caught.value.path.startswith(str(blocker))
    with pytest.raises(StorageError):
        store.put_documents(UPLOAD, {"a.htm": b"fine"})


def test_storage_errors_say_what_to_do() -> None:
    full = StorageError.from_os_error("/data/raw/x", OSError(errno.ENOSPC, "No space left"))
    assert str(full) == (
        "cannot write /data/raw/x: No space left "
        "(the disk is full; free space under storage.data_dir and run again)"
    )
    read_only = StorageError.from_os_error("/data", OSError(errno.EROFS, "Read-only"))
    assert "read-only; make storage.data_dir writable" in str(read_only)
    other = StorageError.from_os_error("/data", OSError(errno.ENAMETOOLONG, "Name too long"))
    assert str(other) == "cannot write /data: Name too long"


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda _: b"not gzip at all", id="garbage"),
        pytest.param(lambda data: data[:10] + b"\xff" * 40 + data[50:], id="corrupt"),
    ],
)
def test_damaged_bytes_are_a_read_error_and_not_adopted(store: RawStore, damage: Any) -> None:
    stored = store.put_submission(UPLOAD, SUBMISSION)
    path = store.root / stored.relative_path
    path.write_bytes(damage(path.read_bytes()))

    with pytest.raises(RawReadError, match="cannot read"):
        store.read(stored.relative_path)
    assert store.find(UPLOAD) is None  # a crawl downloads it again rather than adopt it
    again = store.put_submission(UPLOAD, SUBMISSION)
    assert store.read(again.relative_path) == SUBMISSION
