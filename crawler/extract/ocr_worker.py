"""The OCR worker: one process per scanned PDF, run by ``crawler.extract.ocr``.

``python -m crawler.extract.ocr_worker DPI MAX_PAGES PAGE_TIMEOUT MAX_MEGAPIXELS TESSERACT``
reads a PDF on standard input and writes one JSON object per line on standard output:
first ``{"pages": N}``, then for each page it reads ``{"page": i, "text": …, "confidence":
…, "words": …, "rotation": …}`` or ``{"page": i, "skipped": reason}``. Lines are flushed as
they are written, so a worker killed at its time limit leaves every page it finished.

Pages are rendered by pdfium in grayscale at DPI (a page that would exceed MAX_MEGAPIXELS is
skipped: an image bomb never reaches memory) and read by Tesseract (``pytesseract``, the
project's only import of it) as word boxes, rebuilt into lines and paragraphs. A page read
with low confidence is checked for its orientation (Tesseract's OSD) and read again turned
upright. A page Tesseract cannot read in PAGE_TIMEOUT seconds is skipped with the reason.
This module holds the project's only import of ``pytesseract``.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
from typing import Any

import pypdfium2 as pdfium
import pytesseract
from PIL import Image

_LAYOUT = "--psm 4"
"""One column of text of varying sizes: a letter (hanging comment numbers stay on their line)."""
_PARAGRAPH_GAP = 1.4
"""A gap this many times the usual line pitch separates paragraphs."""
_NUMBER_MARK = re.compile(r"^(\d{1,2})[,:;s]\s+(?=[A-Z])")
"""A comment number whose period OCR read as ",", ":", ";" or "s" ("2s We note …")."""
_RETRY_BELOW = 60.0
"""A page whose mean word confidence is below this is checked for its orientation."""


def main(argv: list[str]) -> int:
    dpi, max_pages, page_timeout, max_megapixels, tesseract = argv
    pytesseract.pytesseract.tesseract_cmd = tesseract
    data = sys.stdin.buffer.read()
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        _emit({"error": f"unreadable PDF: {exc}"})
        return 0
    total = len(document)
    _emit({"pages": total})
    scale = int(dpi) / 72
    for index in range(min(total, int(max_pages))):
        page = document[index]
        width, height = page.get_size()
        megapixels = width * scale * height * scale / 1e6
        if megapixels > float(max_megapixels):
            _emit({"page": index, "skipped": f"{megapixels:.0f} megapixels at {dpi} dpi"})
            continue
        image = page.render(scale=scale, grayscale=True).to_pil()
        try:
            _emit({"page": index, **_read(image, float(page_timeout))})
        except (pytesseract.TesseractError, RuntimeError) as exc:  # RuntimeError: timeout
            _emit({"page": index, "skipped": f"Tesseract: {str(exc).strip()[:200]}"})
    return 0


def _read(image: Image.Image, timeout: float) -> dict[str, Any]:
    text, confidence, words = _words(image, timeout)
    rotation = 0
    if words and confidence < _RETRY_BELOW:
        rotation = _orientation(image, timeout)
        if rotation:
            turned = image.rotate(-rotation, expand=True)
            again = _words(turned, timeout)
            if again[1] > confidence:
                text, confidence, words = again
            else:
                rotation = 0
    return {"text": text, "confidence": confidence, "words": words, "rotation": rotation}


def _words(image: Image.Image, timeout: float) -> tuple[str, float, int]:
    """Text rebuilt from Tesseract's word boxes, mean word confidence, word count.

    The page is read as one column of text (``--psm 4``), which keeps a comment's number in
    the margin on the line it numbers; lines are ordered top to bottom and a vertical gap
    clearly larger than the page's usual line pitch starts a new paragraph, as for a text
    layer (``crawler.extract.pdf``)."""
    data = pytesseract.image_to_data(
        image, output_type=pytesseract.Output.DICT, timeout=timeout, config=_LAYOUT
    )
    lines: dict[tuple[int, int, int], list[tuple[int, str]]] = {}
    tops: dict[tuple[int, int, int], int] = {}
    confidences: list[float] = []
    for i, word in enumerate(data["text"]):
        confidence = float(data["conf"][i])
        if confidence < 0 or not word.strip():
            continue
        confidences.append(confidence)
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        lines.setdefault(key, []).append((data["left"][i], word))
        tops[key] = min(tops.get(key, data["top"][i]), data["top"][i])
    ordered = sorted(lines, key=lambda key: (tops[key], key))
    pitches = [tops[b] - tops[a] for a, b in itertools.pairwise(ordered)]
    usual = sorted(pitches)[len(pitches) // 2] if pitches else 0
    parts: list[str] = []
    for index, key in enumerate(ordered):
        if index and usual and tops[key] - tops[ordered[index - 1]] > _PARAGRAPH_GAP * usual:
            parts.append("")
        line = " ".join(word for _, word in sorted(lines[key]))
        parts.append(_NUMBER_MARK.sub(r"\1. ", line))
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    return "\n".join(parts), round(mean, 1), len(confidences)


def _orientation(image: Image.Image, timeout: float) -> int:
    """Degrees to turn the page clockwise to read it (0 when unknown)."""
    try:
        osd = pytesseract.image_to_osd(image, output_type=pytesseract.Output.DICT, timeout=timeout)
    except (pytesseract.TesseractError, RuntimeError):
        return 0  # too little text to tell
    return int(osd.get("rotate", 0)) % 360


def _emit(record: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
