"""Line-by-line uudecoding (crawler.edgar.uuencoding)."""

from __future__ import annotations

import binascii
import random

from crawler.edgar.uuencoding import decode_uuencoded

PAYLOAD = random.Random(20240614).randbytes(1000)


def encode(data: bytes, *, name: str = "filename1", newline: bytes = b"\n") -> list[bytes]:
    """The lines of a uuencoded block of ``data`` as EDGAR writes it (45 bytes per line)."""
    lines = [b"begin 644 " + name.encode()]
    lines += [binascii.b2a_uu(data[i : i + 45]).rstrip(b"\n") for i in range(0, len(data), 45)]
    lines += [b"`", b"end"]
    return [line + newline for line in lines]


def test_round_trip() -> None:
    decoded = decode_uuencoded(b"".join(encode(PAYLOAD)))

    assert decoded is not None
    assert (decoded.name, decoded.data, decoded.complete, decoded.warnings) == (
        "filename1",
        PAYLOAD,
        True,
        [],
    )


def test_crlf_and_bare_cr_line_endings() -> None:
    for newline in (b"\r\n", b"\r"):
        decoded = decode_uuencoded(b"".join(encode(PAYLOAD, newline=newline)))
        assert decoded is not None
        assert decoded.data == PAYLOAD


def test_leading_whitespace_and_blank_lines_before_end() -> None:
    lines = encode(PAYLOAD)
    lines.insert(-1, b"\n")  # EDGAR writes an empty line before "end"

    decoded = decode_uuencoded(b"\n  " + b"".join(lines) + b"trailing text after end\n")

    assert decoded is not None
    assert decoded.data == PAYLOAD
    assert decoded.warnings == []


def test_text_without_begin_line_is_not_uuencoded() -> None:
    assert decode_uuencoded(b"\n<html>begin 644 x</html>\n") is None
    assert decode_uuencoded(b"beginning of a letter\n") is None


def test_missing_end_line_marks_the_block_incomplete() -> None:
    lines = encode(PAYLOAD)[:-2]

    decoded = decode_uuencoded(b"".join(lines))

    assert decoded is not None
    assert decoded.data == PAYLOAD
    assert decoded.complete is False
    assert any("no 'end' line" in warning for warning in decoded.warnings)


def test_garbage_padding_after_the_last_group_is_tolerated() -> None:
    # EDGAR's encoder sometimes pads a short last line with a non-zero character, which
    # binascii.a2b_uu rejects as trailing garbage (seen in the Meta 8-K sample).
    chunk = PAYLOAD[:44]
    line = binascii.b2a_uu(chunk).rstrip(b"\n") + b"!"
    block = b"begin 644 x.jpg\n" + line + b"\n`\nend\n"

    decoded = decode_uuencoded(block)

    assert decoded is not None
    assert decoded.data == chunk
    assert decoded.warnings == []


def test_undecodable_line_is_zero_filled_and_reported() -> None:
    lines = encode(PAYLOAD)
    lines[3] = b"M" + b"a" * 60 + b"\n"  # 'a' is outside the uuencoding alphabet

    decoded = decode_uuencoded(b"".join(lines))

    assert decoded is not None
    assert len(decoded.data) == len(PAYLOAD)
    assert decoded.data[90:135] == bytes(45)
    assert decoded.data[:90] == PAYLOAD[:90]
    assert decoded.data[135:] == PAYLOAD[135:]
    assert decoded.complete is True
    assert decoded.warnings == [
        "1 uuencoded line(s) could not be decoded and were zero-filled (first: data line 3)"
    ]
