"""OCR of scanned letters: Tesseract in a worker process with a time limit.

A PDF without a usable text layer (``crawler.extract.pdf``) is read by OCR when the crawler's
configuration allows it (``crawler.ocr``). ``ocr_pdf`` runs ``crawler.extract.ocr_worker`` in
a child process fed the PDF on standard input, and kills it at ``total_timeout_seconds``: a
300-page scan or a page Tesseract chokes on never stalls a crawl, and every page read before
the limit is kept. At most ``max_pages`` pages are read, each rendered at ``dpi``; a page that
would be larger than ``max_megapixels`` is skipped (an image bomb). The result carries the
mean word confidence of the pages read (0-100) and a warning for everything left out.

Without Tesseract (``tesseract`` not on the PATH) nothing is read and the warning says how to
install it; the letter is still indexed with what could be read (nothing), never lost.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Any

from indexer.settings import OcrConfig

__all__ = ["OcrOptions", "OcrResult", "ocr_pdf", "tesseract_path"]

_INSTALL_HINT = "install Tesseract (Debian: apt-get install tesseract-ocr) to read scans"


@dataclass(frozen=True, slots=True)
class OcrOptions:
    """How scans are read (``crawler.ocr`` in config.yaml)."""

    enabled: bool = True
    dpi: int = 200
    max_pages: int = 50
    page_timeout_seconds: float = 60.0
    total_timeout_seconds: float = 600.0
    max_megapixels: float = 80.0
    low_confidence: float = 80.0
    """A mean word confidence below this makes the letter carry a warning."""
    tesseract_cmd: str = "tesseract"

    @classmethod
    def from_config(cls, config: OcrConfig) -> OcrOptions:
        return cls(
            enabled=config.enabled,
            dpi=config.dpi,
            max_pages=config.max_pages,
            page_timeout_seconds=config.page_timeout_seconds,
            total_timeout_seconds=config.total_timeout_seconds,
            max_megapixels=config.max_megapixels,
            low_confidence=config.low_confidence,
        )


@dataclass(frozen=True, slots=True)
class OcrResult:
    """What OCR read: pages in the shared layout (form feeds between them)."""

    text: str
    confidence: float | None
    """Mean word confidence over the pages read (0-100), None when nothing was read."""
    pages_read: int
    warnings: tuple[str, ...] = field(default=())


def tesseract_path(options: OcrOptions) -> str | None:
    """Where the Tesseract program is, or None when it is not installed."""
    return shutil.which(options.tesseract_cmd)


def ocr_pdf(data: bytes, options: OcrOptions) -> OcrResult:
    """Read a scanned PDF (see the module docstring); never raises."""
    program = tesseract_path(options)
    if program is None:
        return OcrResult("", None, 0, (f"OCR unavailable: {_INSTALL_HINT}",))
    command = [
        sys.executable,
        "-m",
        "crawler.extract.ocr_worker",
        str(options.dpi),
        str(options.max_pages),
        str(options.page_timeout_seconds),
        str(options.max_megapixels),
        program,
    ]
    warnings: list[str] = []
    # Tesseract's OpenMP threads fight each other on small machines (12 s a page on two
    # cores instead of 1.6 s with one thread); pages are read one after the other anyway.
    environment = os.environ | {"OMP_THREAD_LIMIT": "1"}
    with subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
    ) as worker:
        try:
            output, errors = worker.communicate(data, timeout=options.total_timeout_seconds)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, errors = worker.communicate()
            warnings.append(
                f"OCR stopped at its {options.total_timeout_seconds:g} s limit; "
                "the pages read before are kept"
            )
    records = _records(output)
    if worker.returncode not in (0, -9) and not records:
        tail = errors.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        warnings.append(f"OCR failed: {tail[0][:200]}")
    return _assemble(records, options, warnings)


def _records(output: bytes) -> list[dict[str, Any]]:
    """The worker's complete JSON lines (a line cut by a kill is dropped)."""
    records = []
    for line in output.decode("utf-8", "replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            records.append(record)
    return records


def _assemble(records: list[dict[str, Any]], options: OcrOptions, warnings: list[str]) -> OcrResult:
    total = next((int(r["pages"]) for r in records if "pages" in r), None)
    pages = [r for r in records if "page" in r]
    texts: list[str] = []
    confidences: list[tuple[float, int]] = []
    for record in pages:
        number = int(record["page"]) + 1
        if "skipped" in record:
            warnings.append(f"OCR skipped page {number}: {record['skipped']}")
            continue
        text = str(record.get("text") or "")
        words = int(record.get("words") or 0)
        if not words:
            warnings.append(f"OCR found no text on page {number}")
        else:
            confidences.append((float(record.get("confidence") or 0.0), words))
        if record.get("rotation"):
            warnings.append(f"page {number} was scanned turned by {record['rotation']} degrees")
        texts.append(text)
    for record in records:
        if "error" in record:
            warnings.append(f"OCR: {record['error']}")
    if total is not None and total > options.max_pages:
        warnings.append(f"OCR read the first {options.max_pages} of {total} pages")
    words_read = sum(words for _, words in confidences)
    confidence = (
        round(sum(c * words for c, words in confidences) / words_read, 1) if words_read else None
    )
    if confidence is not None and confidence < options.low_confidence:
        warnings.append(f"OCR confidence {confidence:.0f}%: the text may contain misread words")
    text = "\n\f\n".join(texts).strip()
    return OcrResult(text, confidence, len(texts), tuple(warnings))
