"""Decoding EDGAR text: UTF-8 when it is valid, else Windows-1252 (never a failure).

EDGAR letters are mostly ASCII, but company letters written in Word carry cp1252 quotes and
dashes, and some are Latin-1. cp1252 leaves five byte values undefined; those fall back to
Latin-1 so that no byte is ever lost or turned into an error.
"""

from __future__ import annotations

import re

__all__ = ["decode_text"]

_DECLARED = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of ``data`` and the encoding used."""
    declared = _DECLARED.search(data[:4096])
    candidates = ["utf-8"]
    if declared:
        candidates.insert(0, declared.group(1).decode("ascii").lower())
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    return _decode_cp1252(data), "cp1252"


def _decode_cp1252(data: bytes) -> str:
    return "".join(
        chunk.decode("cp1252", errors="strict") if _cp1252_ok(chunk) else chunk.decode("latin-1")
        for chunk in re.split(rb"([\x81\x8d\x8f\x90\x9d])", data)
        if chunk
    )


def _cp1252_ok(chunk: bytes) -> bool:
    return chunk not in (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")
