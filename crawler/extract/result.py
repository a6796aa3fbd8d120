"""The result every extractor returns."""

from __future__ import annotations

from dataclasses import dataclass

from indexer.incoming import TextSource

__all__ = ["ExtractedText"]


@dataclass(frozen=True, slots=True)
class ExtractedText:
    """Text in the shared layout (paragraphs split by blank lines, pages by form feeds)."""

    text: str
    source: TextSource
    warnings: tuple[str, ...] = ()
    confidence: float | None = None
    """OCR's mean word confidence (0-100) when the text was read from images."""
