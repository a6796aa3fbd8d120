"""Filing-folder listings and the letter documents to fetch (crawler.edgar.filing_index)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from crawler.edgar.filing_index import FolderItem, parse_index_json, pick_letter_documents
from crawler.errors import ParseError


def listing(samples_dir: Path, cik: str, folder: str) -> list[FolderItem]:
    path = samples_dir / "filing-index" / cik / folder / "index.json"
    return parse_index_json(path.read_bytes(), source=str(path))


def items(*names: str) -> list[FolderItem]:
    """A listing of ``names``; ``.jpg`` files get EDGAR's image icon type."""
    return [
        FolderItem(
            name=name,
            type="image2.gif" if name.endswith(".jpg") else "text.gif",
            size=1,
            last_modified=None,
        )
        for name in names
    ]


@pytest.mark.samples
def test_listing_items(samples_dir: Path) -> None:
    found = listing(samples_dir, "769397", "000076939718000031")

    assert [item.name for item in found] == [
        "0000769397-18-000031-index-headers.html",
        "0000769397-18-000031-index.html",
        "0000769397-18-000031.txt",
        "autodesklogoa11.jpg",
        "filename1.htm",
    ]
    assert found[0] == FolderItem(
        name="0000769397-18-000031-index-headers.html",
        type="text.gif",
        size=None,
        last_modified=datetime(2018, 8, 16, 16, 48, 44),
    )
    assert (found[3].type, found[3].size) == ("image2.gif", 16948)


@pytest.mark.samples
@pytest.mark.parametrize(
    ("cik", "folder", "form", "expected"),
    [
        ("769397", "000076939718000031", "CORRESP", ["filename1.htm"]),  # logo listed first
        ("1757898", "000175789824000003", "CORRESP", ["filename1.htm"]),  # + PDF copy, images
        ("1300514", "000000000022005802", "UPLOAD", ["filename1.pdf", "filename2.txt"]),
        ("1090872", "000000000016092800", "UPLOAD", ["filename1.pdf"]),  # 2016: no extract
    ],
)
def test_pick_letter_documents_on_samples(
    samples_dir: Path, cik: str, folder: str, form: str, expected: list[str]
) -> None:
    assert pick_letter_documents(listing(samples_dir, cik, folder), form) == expected


@pytest.mark.samples
def test_every_sampled_letter_folder_has_a_filename1_letter(samples_dir: Path) -> None:
    paths = sorted((samples_dir / "filing-index").glob("*/*/index.json"))
    assert len(paths) == 362

    for path in paths:
        form = "UPLOAD" if path.parent.name.startswith("0000000000") else "CORRESP"
        picked = pick_letter_documents(parse_index_json(path.read_bytes(), source=str(path)), form)
        assert picked, path
        assert picked[0].startswith("filename1."), path


def test_without_filename1_the_first_letter_like_document_is_picked() -> None:
    listed = items("0001193125-19-029194-index.html", "a.jpg", "cover.htm", "letter.pdf")

    assert pick_letter_documents(listed, "CORRESP") == ["cover.htm"]


def test_generated_files_images_and_the_extract_alone_are_never_the_letter() -> None:
    listed = items(
        "0000000000-24-003505-index-headers.html",
        "0000000000-24-003505-index.html",
        "0000000000-24-003505.txt",
        "picture.jpg",
        "filename2.txt",
    )

    assert pick_letter_documents(listed, "UPLOAD") == []
    assert pick_letter_documents(listed, "CORRESP") == ["filename2.txt"]


def test_single_item_listing_and_odd_sizes_and_dates() -> None:
    data = json.dumps(
        {"directory": {"item": {"name": "filename1.pdf", "size": "n/a", "last-modified": "x"}}}
    ).encode()

    assert parse_index_json(data, source="x") == [
        FolderItem(name="filename1.pdf", type="", size=None, last_modified=None)
    ]


@pytest.mark.parametrize(
    "data",
    [
        b"<html>not json</html>",
        b"\xff\xfe\x00",
        b"[]",
        b'{"directory": {}}',
        b'{"directory": {"item": [{"size": "1"}]}}',
        b'{"directory": {"item": ["filename1.pdf"]}}',
    ],
)
def test_malformed_listing_raises_parse_error(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_index_json(data, source="x")


def test_deeply_nested_listing_raises_parse_error() -> None:
    # Found by fuzzing (tests/fuzz): json.loads raised RecursionError.
    with pytest.raises(ParseError, match="x: JSON nested too deeply to read"):
        parse_index_json(b'{"directory": ' + b"[" * 100_000, source="x")
