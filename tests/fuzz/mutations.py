"""Mutations of real inputs, driven by a ``random.Random`` (a seeded one, or Hypothesis's).

``mutate(data, rng)`` applies one to four damaging operations: byte flips, inserted bytes,
deleted ranges, truncation, splicing with another sample, deleted, duplicated or swapped
lines, huge lines, deeply nested or repeated tags, the whole text in a wrong encoding, NUL
runs, changed line endings, repeated slices, odd numbers and odd Unicode characters
(``json_mutations`` damages a JSON document's structure instead). The
same operations serve the Hypothesis tests (``st.randoms()``, so failures shrink) and the
long run in ``bench/fuzz_bench.py`` (a seeded ``random.Random``, so a case can be replayed).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence

__all__ = ["MAX_MUTATED_BYTES", "mutate", "mutate_text"]

MAX_MUTATED_BYTES = 1_500_000
"""Mutated inputs are cut to this size: big enough for huge lines, small enough to run fast."""

_INTERESTING_BYTES = b"\x00\xff\x80\x81\x85\x8d\x9d<>/\r\n\t :|-09\x1a\x0c"
_LONG_UNITS = (
    b" ",
    b"\t",
    b"A",
    b"<",
    b"1 ",
    b"-",
    b"a - ",
    b"<DOCUMENT>",
    b"<p>",
    b"1. ",
    b"\xe2\x80\x94",
    b"\x00",
    b"Re: ",
)
_TAG_NAMES = (
    b"DOCUMENT",
    b"TEXT",
    b"PDF",
    b"SEC-HEADER",
    b"SEC-DOCUMENT",
    b"TYPE",
    b"FILER",
    b"COMPANY-DATA",
    b"div",
    b"table",
    b"td",
    b"script",
    b"entry",
)
_NUMBERS = (
    b"0",
    b"-1",
    b"9" * 40,
    b"0" * 20,
    b"\xd9\xa1\xd9\xa2\xd9\xa3",  # Arabic-Indic digits: str.isdigit() and \d accept them
    b"\xc2\xb2",  # superscript two: isdigit() but not int()
    b"1e400",
    b"NaN",
)
_ODD_TEXT = (
    "\u2028",
    "\x85",
    "\ufeff",
    "\u0301",
    "\u202e",
    "\u0130",  # İ: lower() makes it two characters
    "\ufb01",
    "\U0001f600",
    "\u00a0",
    "\u3000",
    "\ufffe",
    "\x0b\x0c\x1c\x1d",
)
_WRONG_ENCODINGS = ("utf-16", "utf-16-be", "utf-32", "utf-8", "cp037")
_TAG = re.compile(rb"<(/?)([A-Za-z][A-Za-z0-9-]*)>")


def mutate(
    data: bytes,
    rng: random.Random,
    *,
    donors: Sequence[bytes] = (),
    rounds: int | None = None,
    log: list[str] | None = None,
) -> bytes:
    """``data`` damaged by ``rounds`` (default 1 to 4) random operations.

    ``donors`` are other samples to splice from; ``log`` collects the operations' names.
    """
    buffer = bytearray(data)
    for _ in range(rounds if rounds is not None else rng.randint(1, 4)):
        name, operation = rng.choice(_OPERATIONS)
        operation(buffer, rng, donors)
        if log is not None:
            log.append(name)
        if len(buffer) > MAX_MUTATED_BYTES:
            del buffer[MAX_MUTATED_BYTES:]
    return bytes(buffer)


def mutate_text(
    text: str,
    rng: random.Random,
    *,
    donors: Sequence[str] = (),
    rounds: int | None = None,
    log: list[str] | None = None,
) -> str:
    """``text`` damaged like ``mutate`` damages bytes (via UTF-8; broken bytes become U+FFFD)."""
    data = mutate(
        text.encode("utf-8"),
        rng,
        donors=[donor.encode("utf-8") for donor in donors],
        rounds=rounds,
        log=log,
    )
    return data.decode("utf-8", errors="replace")


def _position(buffer: bytearray, rng: random.Random) -> int:
    return rng.randint(0, len(buffer))


def _line_starts(buffer: bytearray) -> list[int]:
    return [0, *(m.end() for m in re.finditer(rb"\n", buffer))]


def _flip(buffer: bytearray, rng: random.Random, _donors: Sequence[bytes]) -> None:
    for _ in range(rng.randint(1, 8)):
        if buffer:
            buffer[rng.randrange(len(buffer))] ^= 1 << rng.randrange(8)


def _interesting_byte(buffer: bytearray, rng: random.Random, _donors: Sequence[bytes]) -> None:
    if buffer:
        buffer[rng.randrange(len(buffer))] = rng.choice(_INTERESTING_BYTES)


def _insert(buffer: bytearray, rng: random.Random, _donors: Sequence[bytes]) -> None:
    count = rng.randint(1, 16)
    if rng.random() < 0.5:
        chunk = bytes(rng.choice(_INTERESTING_BYTES) for _ in range(count))
    else:
        chunk = bytes(rng.getrandbits(8) for _ in range(count))
    position = _position(buffer, rng)
    buffer[position:position] = chunk


def _delete_range(buffer: bytearray, rng: random.Random, _donors: Sequence[bytes]) -> None:
    if buffer:
        start = rng.randrange(len(buffer))
        del buffer[start : start + rng.randint(1, max(1, len(buffer) // 4))]


def _truncate(buffer: bytearray, rng: random.Random, _donors: Sequence[bytes]) -> None:
    """Cut the end off, anywhere or just after a ``<`` or a line break."""
    cuts = [m.end() for m in re.finditer(rb"[<\n]", buffer)]
    cut = rng.choice(cuts) if cuts and rng.random() < 0.5 else _position(buffer, rng)
    del buffer[cut:]


def _splice(buffer: bytearray, rng: random.Random, donors: Sequence[bytes]) -> None:
    """Join the start of the input to the end of another sample, or insert a piece of it."""
    if not donors:
        return
    donor = rng.choice(donors)
    start = rng.randint(0, len(donor))
    if rng.random() < 0.5:
        del buffer[_position(buffer, rng) :]
        buffer.extend(donor[start:])
    else:
        position = _position(buffer, rng)
        buffer[position:position] = donor[start : start + rng.randint(1, 4096)]


def _lines(buffer: bytearray, rng: random.Random, _donors: Sequence[bytes]) -> None:
    """Delete, duplicate or swap whole lines."""
    lines = bytes(buffer).split(b"\n")
    for _ in range(rng.randint(1, 5)):
        if not lines:
            break
        index = rng.randrange(len(lines))
        choice = rng.randrange(3)
        if choice == 0 and len(lines) > 1:
            del lines[index : index + rng.randint(1, 20)]
        elif choice == 1:
            lines[index:index] = [lines[index]] * rng.randint(1, 50)
        else:
            other = rng.randrange(len(lines))
            lines[index], lines[other] = lines[other], lines[index]
    buffer[:] = b"\n".join(lines)


def _huge_line(buffer: bytearray, rng: random.Random, _donors: Sequence[bytes]) -> None:
    unit = rng.choice(_LONG_UNITS)
    line = unit * (rng.randint(10_000, 400_000) // len(unit))
    starts = _line_starts(buffer)
    position = rng.choice(starts)
    buffer[position:position] = line + (b"\n" if rng.random() < 0.5 else b"")


def _nested(buffer: bytearray, rng: random.Random, _donors: Sequence[bytes]) -> None:
    """Deep nesting: opening tags (closed or not) of a tag the input uses or a common one,
    or JSON arrays and objects, or parentheses."""
    depth = rng.randint(2, 5000)
    choice = rng.random()
    if choice < 0.6:
        found = [m.group(2) for m in _TAG.finditer(buffer[:200_000])]
        name = rng.choice(found) if found and rng.random() < 0.7 else rng.choice(_TAG_NAMES)
        opening, closing = b"<" + name + b">", b"</" + name + b">"
    else:
        opening, closing = rng.choice(((b"[", b"]"), (b'{"a":', b"}"), (b"(", b")")))
    position = _position(buffer, rng)
    closed = closing * depth if rng.random() < 0.5 else b""
    buffer[position:position] = opening * depth + closed


def _wrong_encoding(buffer: bytearray, rng: random.Random, _donors: Sequence[bytes]) -> None:
    """The text read as Latin-1 and written in another encoding (or with a stray BOM)."""
    if rng.random() < 0.2:
        buffer[0:0] = rng.choice((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"))
        return
    encoding = rng.choice(_WRONG_ENCODINGS)
    buffer[:] = bytes(buffer).decode("latin-1").encode(encoding)


def _nuls(buffer: bytearray, rng: random.Random, _donors: Sequence[bytes]) -> None:
    if rng.random() < 0.3:
        buffer[:] = bytes(buffer).replace(rng.choice((b"\n", b" ", b"<")), b"\x00")
        return
    position = _position(buffer, rng)
    buffer[position:position] = b"\x00" * rng.randint(1, 5000)


def _line_endings(buffer: bytearray, rng: random.Random, _donors: Sequence[bytes]) -> None:
    new = rng.choice((b"\r\n", b"\r", b"", b"\n\n", b"\x85"))
    buffer[:] = bytes(buffer).replace(b"\r\n", b"\n").replace(b"\n", new)


def _repeat_slice(buffer: bytearray, rng: random.Random, _donors: Sequence[bytes]) -> None:
    if not buffer:
        return
    start = rng.randrange(len(buffer))
    piece = bytes(buffer[start : start + rng.randint(1, 200)])
    buffer[start:start] = piece * rng.randint(2, 2000)


def _numbers(buffer: bytearray, rng: random.Random, _donors: Sequence[bytes]) -> None:
    runs = list(re.finditer(rb"\d+", buffer[:500_000]))
    if runs:
        run = rng.choice(runs)
        buffer[run.start() : run.end()] = rng.choice(_NUMBERS)


def _odd_text(buffer: bytearray, rng: random.Random, _donors: Sequence[bytes]) -> None:
    for _ in range(rng.randint(1, 10)):
        position = _position(buffer, rng)
        buffer[position:position] = rng.choice(_ODD_TEXT).encode("utf-8")


_Operation = Callable[[bytearray, random.Random, Sequence[bytes]], None]
_OPERATIONS: tuple[tuple[str, _Operation], ...] = (
    ("flip", _flip),
    ("interesting-byte", _interesting_byte),
    ("insert", _insert),
    ("delete-range", _delete_range),
    ("truncate", _truncate),
    ("splice", _splice),
    ("lines", _lines),
    ("huge-line", _huge_line),
    ("nested", _nested),
    ("wrong-encoding", _wrong_encoding),
    ("nuls", _nuls),
    ("line-endings", _line_endings),
    ("repeat-slice", _repeat_slice),
    ("numbers", _numbers),
    ("odd-text", _odd_text),
)
