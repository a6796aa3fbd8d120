"""Decoding EDGAR text: UTF-8 when it is valid, else Windows-1252 (never a failure).

EDGAR letters are mostly ASCII, but company letters written in Word carry cp1252 quotes and
dashes, and some are Latin-1. cp1252 leaves five byte values undefined; those fall back to
Latin-1 so that no byte is ever lost or turned into an error. A declared ``charset`` is
tried first, unless it names a codec that is not a character set (``idna``, ``punycode``,
``undefined``, ``rot13`` …: they raise on ordinary text or read markup as escapes, and
punycode takes quadratic time).
"""

from __future__ import annotations

import codecs
import re

__all__ = ["decode_text"]

_DECLARED = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
_NOT_CHARSETS = frozenset({"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape"})


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of ``data`` and the encoding used."""
    declared = _declared_charset(data)
    candidates = ["utf-8"] if declared is None else [declared, "utf-8"]
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeError:  # UnicodeDecodeError, and what other codecs raise
            continue
    return _decode_cp1252(data), "cp1252"


def _declared_charset(data: bytes) -> str | None:
    """The ``<meta charset>`` of an HTML document, if Python has it as a character set."""
    declared = _DECLARED.search(data[:4096])
    if declared is None:
        return None
    name = declared.group(1).decode("ascii").lower()
    try:
        codec = codecs.lookup(name)
    except LookupError:
        return None
    if codec.name in _NOT_CHARSETS or not getattr(codec, "_is_text_encoding", True):
        return None
    return name


def _decode_cp1252(data: bytes) -> str:
    return "".join(
        chunk.decode("cp1252", errors="strict") if _cp1252_ok(chunk) else chunk.decode("latin-1")
        for chunk in re.split(rb"([\x81\x8d\x8f\x90\x9d])", data)
        if chunk
    )


def _cp1252_ok(chunk: bytes) -> bool:
    return chunk not in (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")
