"""Plain-text letters, and SEC's TEXT-EXTRACT rendering of staff letters, in the shared layout.

TEXT-EXTRACT keeps the PDF's layout: indentation, column padding between a comment number and
its text, and lines hard-wrapped at 80 columns, where the wrapped remainder starts in column
one. A line is taken as such a remainder when it starts in column one and its first word
would not have fitted on the previous line; it is joined back. Indentation and padding are
then removed; blank lines still separate paragraphs.
"""

from __future__ import annotations

import re

from crawler.extract.encoding import decode_text
from crawler.extract.result import ExtractedText
from indexer.incoming import TextSource

__all__ = ["extract_plain_text", "unwrap_text_extract"]

_WRAP_WIDTH = 79
_SPACES = re.compile(r"[ \t\u00a0]+")


def extract_plain_text(data: bytes, *, text_extract: bool = False) -> ExtractedText:
    """A plain-text document; ``text_extract`` for SEC's layout-preserving extract."""
    text, encoding = decode_text(data)
    warnings = () if encoding in ("utf-8", "ascii") else (f"decoded as {encoding}",)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text_extract:
        text = unwrap_text_extract(text)
    source = TextSource.TEXT_EXTRACT if text_extract else TextSource.PLAIN
    return ExtractedText(_normalize_layout(text), source, warnings)


def unwrap_text_extract(text: str) -> str:
    """Join lines that the 80-column wrap split off from the line before."""
    lines: list[str] = []
    physical = ""  # the previous line as it stands in the file, before any joining
    for line in text.split("\n"):
        first_word = line.split(" ", 1)[0]
        wrapped = (
            line[:1] not in ("", " ", "\t", "\f")
            and physical.strip()
            and len(physical.rstrip()) + 1 + len(first_word) > _WRAP_WIDTH
        )
        if wrapped:
            lines[-1] = lines[-1].rstrip() + " " + line
        else:
            lines.append(line)
        physical = line
    return "\n".join(lines)


def _normalize_layout(text: str) -> str:
    paragraphs = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [_SPACES.sub(" ", line).strip() for line in block.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)
