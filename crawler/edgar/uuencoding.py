"""uuencoded blocks inside EDGAR submissions (PDF letters, GRAPHIC images, XBRL zips).

EDGAR embeds binary documents as ``begin 644 name`` ... ``end`` blocks. The stdlib ``uu``
module is gone in Python 3.13, so blocks are decoded here line by line with
``binascii.a2b_uu``. Decoding never raises: damaged lines are zero-filled (keeping every later
byte at its offset) and reported as warnings, and a block without its ``end`` line is marked
incomplete so the caller can treat the submission as truncated.
"""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass

__all__ = ["UudecodedBlock", "decode_uuencoded"]

_BEGIN_LINE = re.compile(rb"\s*begin [0-7]{3,4} ([^\r\n]*)(?:\r\n|\r|\n)")


@dataclass(frozen=True, slots=True)
class UudecodedBlock:
    """The result of decoding one uuencoded block."""

    name: str
    """File name on the ``begin`` line (EDGAR writes ``filename1`` for ``filename1.pdf``)."""
    data: bytes
    complete: bool
    """True when the closing ``end`` line was found."""
    warnings: list[str]


def decode_uuencoded(block: bytes) -> UudecodedBlock | None:
    """Decode ``block`` if it starts (after whitespace) with a ``begin`` line, else return None.

    Lines after ``end`` are ignored. Blank lines are zero-length lines whose single length
    character was stripped, and decode to nothing.
    """
    begin = _BEGIN_LINE.match(block)
    if begin is None:
        return None
    chunks: list[bytes] = []
    damaged_lines: list[int] = []
    complete = False
    for line_no, line in enumerate(block[begin.end() :].splitlines(), start=1):
        if line.strip() == b"end":
            complete = True
            break
        if not line.strip():
            continue
        chunk = _decode_line(line)
        if chunk is None:
            damaged_lines.append(line_no)
            chunk = bytes(_declared_length(line))
        chunks.append(chunk)

    warnings: list[str] = []
    if damaged_lines:
        warnings.append(
            f"{len(damaged_lines)} uuencoded line(s) could not be decoded and were zero-filled "
            f"(first: data line {damaged_lines[0]})"
        )
    if not complete:
        warnings.append("uuencoded block has no 'end' line: data is truncated")
    name = begin.group(1).decode("latin-1").strip()
    return UudecodedBlock(name=name, data=b"".join(chunks), complete=complete, warnings=warnings)


def _decode_line(line: bytes) -> bytes | None:
    """Decode one uuencoded line; None if it is beyond repair."""
    try:
        return binascii.a2b_uu(line)
    except binascii.Error:
        pass
    # Some encoders pad the last group with non-zero filler characters, which a2b_uu rejects as
    # "trailing garbage". Like the removed uu module, decode only the characters that the
    # length byte accounts for.
    significant = (_declared_length(line) * 4 + 5) // 3
    try:
        return binascii.a2b_uu(line[:significant])
    except binascii.Error:
        return None


def _declared_length(line: bytes) -> int:
    """The number of bytes a uuencoded line says it holds (its first character)."""
    return (line[0] - 32) & 63
