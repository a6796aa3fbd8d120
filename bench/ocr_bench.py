"""OCR of scanned letters measured on real letters: rasterized sample PDFs read back by OCR.

Each chosen sample staff letter (a PDF with a text layer) is rendered page by page at 200 dpi
and saved as an image-only PDF, the way a scanned letter arrives; the project then reads it
as it reads any scan (``crawler.extract.pdf`` with ``crawler.ocr`` options: Tesseract in a
worker process). The OCR text is compared with the text layer of the original:

- word accuracy: the share of the text layer's words that OCR gives back in order (words
  compared without case and punctuation; a longest-matching-blocks alignment);
- field agreement: the normalizer's letter date, letter type, file numbers, reviewed filings,
  cited dates and comment count on the OCR text against those on the text layer;
- seconds per page of OCR (rendering and Tesseract, in the worker process).

Targets: word accuracy >= 97%, fields >= 95% of what the text layer gives.

    .venv/bin/python -m bench.ocr_bench [--letters 30]
"""

from __future__ import annotations

import argparse
import difflib
import io
import re
import statistics
import time

import pypdfium2 as pdfium
from PIL import Image

from crawler.extract.letters import letter_from_documents
from crawler.extract.ocr import OcrOptions, tesseract_path
from indexer.incoming import TextSource
from indexer.normalize.pipeline import normalize_letter
from tests.fake_edgar import locate_samples

_DPI = 200
_WORD = re.compile(r"[a-z0-9]+")
_FIELDS = ("letter_date", "letter_type", "file_numbers", "cited_dates", "comments", "reviewed")


def rasterize(data: bytes, dpi: int = _DPI) -> bytes:
    """An image-only PDF of ``data``: every page rendered at ``dpi`` in grayscale."""
    document = pdfium.PdfDocument(data)
    try:
        images: list[Image.Image] = [
            document[i].render(scale=dpi / 72, grayscale=True).to_pil()
            for i in range(len(document))
        ]
    finally:
        document.close()
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


def word_accuracy(reference: str, read: str) -> tuple[int, int]:
    """Reference words found in order in ``read``, and the reference's word count."""
    expected = _WORD.findall(reference.lower())
    found = _WORD.findall(read.lower())
    matcher = difflib.SequenceMatcher(None, expected, found, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()), len(expected)


def _fields(letter: object) -> dict[str, object]:
    public = letter.to_public_dict()  # type: ignore[attr-defined]
    return {
        "letter_date": public["letter_date"],
        "letter_type": public["letter_type"],
        "file_numbers": public["file_numbers"],
        "cited_dates": public["cited_dates"],
        "comments": len(public["comments"]),
        "reviewed": [
            (f["form"], f["period_end"], f["filed_on"]) for f in public["reviewed_filings"]
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--letters", type=int, default=30)
    args = parser.parse_args()
    if tesseract_path(OcrOptions()) is None:
        print("Tesseract is not installed (scripts/bootstrap.sh installs it)")
        return 1
    root = locate_samples(None)
    pdfs = sorted(root.glob("documents/*/0000000000*/filename1.pdf"))
    step = max(1, len(pdfs) // args.letters)
    chosen = pdfs[::step][: args.letters]
    options = OcrOptions()
    matched = total_words = pages = 0
    seconds = 0.0
    agree = {name: 0 for name in _FIELDS}
    accuracies: list[float] = []
    for path in chosen:
        original = path.read_bytes()
        scan = rasterize(original)
        accession = path.parent.name
        layer = normalize_letter(letter_from_documents(accession, {path.name: original}))
        started = time.perf_counter()
        incoming = letter_from_documents(accession, {path.name: scan}, ocr=options)
        seconds += time.perf_counter() - started
        pages += len(pdfium.PdfDocument(scan))
        assert incoming.text_source == TextSource.OCR, (path, incoming.extraction_warnings)
        read = normalize_letter(incoming)
        hits, words = word_accuracy(layer.text, read.text)
        matched += hits
        total_words += words
        accuracies.append(hits / words if words else 1.0)
        expected, found = _fields(layer), _fields(read)
        for name in _FIELDS:
            agree[name] += expected[name] == found[name]
    accuracy = matched / total_words
    fields = sum(agree.values()) / (len(chosen) * len(_FIELDS))
    print(f"OCR benchmark: {len(chosen)} sample letters rasterized at {_DPI} dpi, {pages} pages")
    print(
        f"  word accuracy: {accuracy:.2%} of {total_words} words (per letter: median "
        f"{statistics.median(accuracies):.2%}, lowest {min(accuracies):.2%})   "
        f"(target 97%, ratio {accuracy / 0.97:.3f})"
    )
    print(
        f"  field agreement with the text layer: {fields:.1%}   (target 95%, ratio "
        f"{fields / 0.95:.3f}); "
        + ", ".join(f"{name} {agree[name]}/{len(chosen)}" for name in _FIELDS)
    )
    print(f"  OCR time: {seconds / pages:.2f} s per page ({seconds:.0f} s in all, one process)")
    return 0 if accuracy >= 0.97 and fields >= 0.95 else 1


if __name__ == "__main__":
    raise SystemExit(main())
