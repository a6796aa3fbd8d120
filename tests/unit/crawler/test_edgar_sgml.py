"""Full submissions: documents, decoding, truncation (crawler.edgar.sgml)."""

from __future__ import annotations

import io
import random
import time
import zipfile
from pathlib import Path

import pytest

from crawler.edgar.sgml import Submission, parse_submission
from crawler.errors import ParseError

UPLOAD = "0000000000-24-003505"
CORRESP = "0000320193-24-000061"
CORRESP_WITH_IMAGE = "0001104659-26-017097"
EIGHT_K_WITH_XBRL = "0001628280-25-058337"


def read_sample(samples_dir: Path, name: str) -> bytes:
    return (samples_dir / "submissions" / name).read_bytes()


def parse_sample(samples_dir: Path, name: str) -> Submission:
    return parse_submission(read_sample(samples_dir, name), source=name)


@pytest.mark.samples
def test_upload_letter_pdf_is_decoded_and_text_extract_kept(samples_dir: Path) -> None:
    submission = parse_sample(samples_dir, f"{UPLOAD}.txt")
    letter, extract = submission.documents

    assert (submission.accession, submission.truncated, submission.all_warnings) == (
        UPLOAD,
        False,
        [],
    )
    assert (letter.type, letter.sequence, letter.filename) == ("LETTER", 1, "filename1.pdf")
    assert letter.encoding == "pdf-uuencoded"
    assert letter.content.startswith(b"%PDF-1.5")
    assert letter.content.rstrip().endswith(b"%%EOF")
    assert (extract.type, extract.sequence, extract.filename) == (
        "TEXT-EXTRACT",
        2,
        "filename2.txt",
    )
    assert extract.encoding == "text"
    assert b"April 2, 2024" in extract.content
    assert b"Luca Maestri" in extract.content


@pytest.mark.samples
def test_text_document_keeps_its_bytes_exactly(samples_dir: Path) -> None:
    data = read_sample(samples_dir, f"{CORRESP}.txt")
    expected = data[data.index(b"<TEXT>") + len(b"<TEXT>") : data.index(b"</TEXT>")]

    (document,) = parse_submission(data, source=CORRESP).documents

    assert (document.type, document.filename, document.encoding) == (
        "CORRESP",
        "filename1.htm",
        "text",
    )
    assert document.content == expected
    assert document.content.startswith(b"\n<html><head>")


@pytest.mark.samples
def test_graphic_is_uuencoded_without_pdf_wrapper(samples_dir: Path) -> None:
    submission = parse_sample(samples_dir, f"{CORRESP_WITH_IMAGE}.txt")
    image = submission.documents[1]

    assert (image.type, image.filename, image.encoding) == (
        "GRAPHIC",
        "tm266190d3_corresp-img01.jpg",
        "uuencoded",
    )
    assert image.content.startswith(b"\xff\xd8\xff")  # JPEG start of image
    assert image.content.endswith(b"\xff\xd9")  # ... and end of image
    assert image.warnings == []


@pytest.mark.samples
def test_xbrl_zip_with_padded_last_line_decodes_to_a_valid_zip(samples_dir: Path) -> None:
    submission = parse_sample(samples_dir, f"{EIGHT_K_WITH_XBRL}.txt")
    archive = next(document for document in submission.documents if document.type == "ZIP")

    assert archive.encoding == "uuencoded"
    assert "meta-20251219.htm" in zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    assert submission.all_warnings == []
    # EDGAR counts 13 public documents but the complete file holds 12: not a truncation.
    assert (submission.header.public_document_count, len(submission.documents)) == (13, 12)
    assert submission.truncated is False


@pytest.mark.samples
def test_pem_wrapped_1995_submission(samples_dir: Path) -> None:
    submission = parse_sample(samples_dir, "0000950129-95-001652.txt")

    assert submission.truncated is False
    assert [(doc.type, doc.filename) for doc in submission.documents] == [
        ("24F-2NT", None),
        ("EX-99.11", None),
    ]
    assert submission.documents[0].description == "VKAC COMMON SENSE TRUST - GROWTH FUND - 24F-2"


@pytest.mark.samples
def test_dissemination_file_matches_the_full_submission(samples_dir: Path) -> None:
    text_form = parse_sample(samples_dir, "0001104659-25-002604.txt")
    feed_form = parse_sample(samples_dir, "nc/0001104659-25-002604.nc")

    assert feed_form.accession == text_form.accession
    assert feed_form.header.form == text_form.header.form == "SC TO-T/A"
    assert feed_form.truncated is False
    assert [doc.filename for doc in feed_form.documents] == [
        doc.filename for doc in text_form.documents
    ]
    # This .nc sample separates lines with bare CRs; the content is otherwise identical.
    for nc_document, txt_document in zip(feed_form.documents, text_form.documents, strict=True):
        assert nc_document.content.replace(b"\r", b"\n") == txt_document.content


@pytest.mark.samples
def test_every_sample_submission_parses(samples_dir: Path) -> None:
    paths = sorted(path for path in (samples_dir / "submissions").rglob("*") if path.is_file())
    assert len(paths) >= 16

    for path in paths:
        submission = parse_submission(path.read_bytes(), source=str(path))
        assert path.name.startswith(submission.accession), path
        header_only = path.parent.name == "headers"
        assert submission.truncated is header_only, (path, submission.all_warnings)
        assert bool(submission.documents) is not header_only, path


@pytest.mark.samples
def test_submission_cut_in_half_is_truncated_not_an_error(samples_dir: Path) -> None:
    data = read_sample(samples_dir, f"{UPLOAD}.txt")

    submission = parse_submission(data[: len(data) // 2], source=UPLOAD)

    assert submission.truncated is True
    assert submission.header.accession == UPLOAD
    (letter,) = submission.documents
    assert letter.content.startswith(b"%PDF")
    assert any("no 'end' line" in warning for warning in letter.warnings)
    assert any("no </DOCUMENT>" in warning for warning in letter.warnings)
    assert "no </SEC-DOCUMENT>: submission is truncated" in submission.warnings


@pytest.mark.samples
def test_document_without_closing_tag_does_not_swallow_the_next_one(samples_dir: Path) -> None:
    data = read_sample(samples_dir, f"{UPLOAD}.txt").replace(b"</DOCUMENT>", b"", 1)

    submission = parse_submission(data, source=UPLOAD)

    assert submission.truncated is True
    assert [doc.filename for doc in submission.documents] == ["filename1.pdf", "filename2.txt"]
    assert submission.documents[0].content.startswith(b"%PDF")
    assert submission.documents[1].warnings == []
    assert "filename1.pdf is incomplete" in submission.warnings


@pytest.mark.samples
def test_corrupted_uuencoded_line_gives_a_warning_not_an_exception(samples_dir: Path) -> None:
    data = read_sample(samples_dir, f"{UPLOAD}.txt")
    intact = parse_submission(data, source=UPLOAD).documents[0].content
    start = data.index(b"\nM", data.index(b"begin 644")) + 1
    end = data.index(b"\n", start)
    corrupted = data[:start] + b"M" + b"~" * (end - start - 1) + data[end:]

    submission = parse_submission(corrupted, source=UPLOAD)
    letter = submission.documents[0]

    assert submission.truncated is False
    assert len(letter.content) == len(intact)
    assert letter.content[:45] == bytes(45)
    assert letter.content[45:] == intact[45:]
    assert letter.warnings == [
        "1 uuencoded line(s) could not be decoded and were zero-filled (first: data line 1)"
    ]
    assert submission.all_warnings == [f"filename1.pdf: {letter.warnings[0]}"]


@pytest.mark.samples
def test_pdf_block_without_begin_line_is_kept_undecoded(samples_dir: Path) -> None:
    data = read_sample(samples_dir, f"{UPLOAD}.txt").replace(b"begin 644 filename1\n", b"")

    letter = parse_submission(data, source=UPLOAD).documents[0]

    assert letter.encoding == "pdf-uuencoded"
    assert letter.content.startswith(b"\nM)5!$1BTQ+C4*")
    assert letter.warnings == ["<PDF> holds no uuencoded 'begin' line: content left undecoded"]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        random.Random(7).randbytes(4096),
        b"\x00\xff\n<" + random.Random(8).randbytes(4096),
        b"<html><body><h1>Not Found</h1></body></html>",
        b"<SEC-DOCUMENT>x.txt : 20240614\n<SEC-HEADER>\nFILED AS OF DATE:\t20240402\n",
        b"<SEC-DOCUMENT>\nACCESSION NUMBER:\t12-34\nCONFORMED SUBMISSION TYPE:\tUPLOAD\n",
    ],
    ids=["empty", "random", "random-with-tag", "html", "no-accession", "bad-accession"],
)
def test_data_that_is_not_a_submission_raises_parse_error(data: bytes) -> None:
    with pytest.raises(ParseError) as caught:
        parse_submission(data, source="test-source")
    assert caught.value.source == "test-source"


@pytest.mark.samples
def test_ten_megabyte_submission_parses_in_well_under_a_second(samples_dir: Path) -> None:
    data = read_sample(samples_dir, f"{UPLOAD}.txt")
    documents_start = data.index(b"<DOCUMENT>")
    documents_end = data.rindex(b"</SEC-DOCUMENT>")
    copies = 10_000_000 // (documents_end - documents_start) + 1
    big = (
        data[:documents_start] + data[documents_start:documents_end] * copies + data[documents_end:]
    )
    assert len(big) > 10_000_000

    started = time.perf_counter()
    submission = parse_submission(big, source="big")
    elapsed = time.perf_counter() - started

    assert len(submission.documents) == 2 * copies
    assert submission.truncated is False
    assert elapsed < 1.0


def test_many_unclosed_documents_parse_in_linear_time() -> None:
    # Found by fuzzing (tests/fuzz): each unclosed <DOCUMENT> searched the rest of the file
    # for a </DOCUMENT>; 100,000 of them took minutes.
    header = (
        b"<SEC-DOCUMENT>x.txt : 20240402\n<SEC-HEADER>x.hdr.sgml : 20240402\n"
        b"ACCESSION NUMBER:\t0000000000-24-000001\nCONFORMED SUBMISSION TYPE:\tUPLOAD\n"
        b"</SEC-HEADER>\n"
    )
    started = time.perf_counter()
    submission = parse_submission(header + b"<DOCUMENT>" * 100_000, source="x")
    elapsed = time.perf_counter() - started

    assert len(submission.documents) == 100_000
    assert submission.truncated is True
    assert submission.warnings[0] == "document ? is incomplete"
    assert elapsed < 3.0
