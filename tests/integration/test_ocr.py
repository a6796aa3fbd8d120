"""Scanned letters read by OCR, and the scans that must not hurt: real Tesseract, real PDFs.

A real sample letter is rasterized into an image-only PDF (a scan) and read back; then bad
scans: blank pages, a page upside down, 2,000 pages, a page that would render to billions of
pixels, a time limit too short, Tesseract missing. Each ends with a letter (possibly without
text) and warnings that say what happened, never an exception or a hang. CI installs
Tesseract (scripts/bootstrap.sh); without it these tests fail under ``REQUIRE_SAMPLES``.
"""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from PIL import Image

from crawler.extract.common_words import common_share
from crawler.extract.letters import letter_from_documents
from crawler.extract.ocr import OcrOptions, ocr_pdf, tesseract_path
from indexer.cli.main import cli
from indexer.incoming import TextSource
from indexer.normalize.pipeline import normalize_letter

pytestmark = [pytest.mark.samples, pytest.mark.slow]

ISRG = "documents/1035267/000000000022002263/filename1.pdf"
"""Intuitive Surgical's staff letter of 1 March 2022: two pages, one comment."""


@pytest.fixture(scope="module", autouse=True)
def _tesseract() -> None:
    if tesseract_path(OcrOptions()) is None:
        message = "Tesseract is not installed (scripts/bootstrap.sh installs tesseract-ocr)"
        if os.environ.get("REQUIRE_SAMPLES", "") not in ("", "0", "false"):
            pytest.fail(message)
        pytest.skip(message)


def image_pdf(images: list[Image.Image], resolution: float = 200) -> bytes:
    out = io.BytesIO()
    images[0].save(
        out, format="PDF", save_all=True, append_images=images[1:], resolution=resolution
    )
    return out.getvalue()


def scan_of(pdf: bytes, *, turn: int = 0) -> bytes:
    """An image-only PDF of ``pdf`` at 200 dpi, each page turned ``turn`` degrees."""
    document = pdfium.PdfDocument(pdf)
    images = [
        document[i].render(scale=200 / 72, grayscale=True).to_pil().rotate(turn, expand=True)
        for i in range(len(document))
    ]
    document.close()
    return image_pdf(images)


@pytest.fixture(scope="module")
def original(samples_dir: Path) -> bytes:
    return (samples_dir / ISRG).read_bytes()


def test_a_scanned_letter_reads_like_its_text_layer(original: bytes, tmp_path: Path) -> None:
    folder = tmp_path / "1035267" / "000000000022002263"
    folder.mkdir(parents=True)
    (folder / "filename1.pdf").write_bytes(scan_of(original))
    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["parse", str(folder), "--json"], catch_exceptions=False)
    seconds = time.perf_counter() - started
    without = CliRunner().invoke(cli, ["parse", str(folder), "--json", "--no-ocr"])

    assert result.exit_code == 0, result.output
    letter = json.loads(result.stdout)
    layer = normalize_letter(letter_from_documents("0000000000-22-002263", {"f.pdf": original}))
    assert letter["text_source"] == "ocr"
    assert letter["warnings"] == []  # confident enough: nothing to say
    assert letter["letter_date"] == "2022-03-01" == layer.to_public_dict()["letter_date"]
    assert letter["file_numbers"] == ["000-30713"]
    assert letter["letter_type"] == "comment"
    assert len(letter["comments"]) == len(layer.comments) == 1
    assert "Dear Mr. Samath" in letter["text"]
    assert seconds < 60
    assert json.loads(without.stdout)["text_source"] == "none"


def test_confidence_is_recorded_and_a_poor_scan_is_flagged(original: bytes) -> None:
    read = letter_from_documents("x", {"f.pdf": scan_of(original)}, ocr=OcrOptions())
    assert read.text_source == TextSource.OCR
    assert read.text_confidence is not None and read.text_confidence > 85
    demanding = OcrOptions(low_confidence=100)
    flagged = letter_from_documents("x", {"f.pdf": scan_of(original)}, ocr=demanding)
    assert any("OCR confidence" in w for w in flagged.extraction_warnings)


def test_blank_pages_give_no_text_and_say_so() -> None:
    blank = image_pdf([Image.new("L", (1700, 2200), 255) for _ in range(3)])
    letter = letter_from_documents("x", {"f.pdf": blank}, ocr=OcrOptions())
    assert letter.text_source == TextSource.NONE
    assert letter.text == ""
    assert sum("OCR found no text on page" in w for w in letter.extraction_warnings) == 3


def test_a_page_upside_down_is_turned_and_read(original: bytes) -> None:
    read = ocr_pdf(scan_of(original, turn=180), OcrOptions(max_pages=1))
    assert "Dear Mr. Samath" in read.text
    assert any("turned by 180 degrees" in w for w in read.warnings)
    assert read.confidence is not None and read.confidence > 80


def test_two_thousand_pages_read_only_up_to_the_limit() -> None:
    pages = [Image.new("L", (85, 110), 255) for _ in range(2000)]
    started = time.perf_counter()
    read = ocr_pdf(image_pdf(pages, resolution=10), OcrOptions(max_pages=3))
    assert time.perf_counter() - started < 60
    assert read.pages_read == 3
    assert "OCR read the first 3 of 2000 pages" in read.warnings


def test_an_image_bomb_is_skipped_not_rendered() -> None:
    bomb = image_pdf([Image.new("L", (200, 200), 255)], resolution=0.5)  # 400 x 400 inches
    started = time.perf_counter()
    read = ocr_pdf(bomb, OcrOptions())
    assert time.perf_counter() - started < 30
    assert read.text == ""
    assert any("OCR skipped page 1" in w and "megapixels" in w for w in read.warnings)


def test_the_time_limit_stops_the_worker_and_keeps_what_was_read(original: bytes) -> None:
    scan = scan_of(original)
    started = time.perf_counter()
    read = ocr_pdf(scan, OcrOptions(total_timeout_seconds=0.5))
    assert time.perf_counter() - started < 10
    assert "OCR stopped at its 0.5 s limit; the pages read before are kept" in read.warnings


def test_without_tesseract_a_scan_is_kept_with_a_warning(original: bytes) -> None:
    missing = OcrOptions(tesseract_cmd="/nonexistent/tesseract")
    letter = letter_from_documents("x", {"f.pdf": scan_of(original)}, ocr=missing)
    assert letter.text_source == TextSource.NONE
    assert any("OCR unavailable" in w and "tesseract-ocr" in w for w in letter.extraction_warnings)


def test_garbage_text_is_told_from_a_letter() -> None:
    share, words = common_share("Ghdu Pu1 Vplwk: Zh kdyh uhylhzhg brxu ilolqj dqg kdyh wkh " * 5)
    assert words >= 30 and share < 0.2
    letter_share, _ = common_share(
        "We have reviewed your filing and have the following comments. Please revise your "
        "disclosure to explain the nature of the changes in your revenue."
    )
    assert letter_share > 0.4
