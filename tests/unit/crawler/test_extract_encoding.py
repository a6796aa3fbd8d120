"""Decoding EDGAR text (crawler.extract.encoding): regressions found by fuzzing (tests/fuzz)."""

from __future__ import annotations

import time

import pytest

from crawler.extract.encoding import decode_text


@pytest.mark.parametrize(
    "charset", ["undefined", "punycode", "idna", "rot13", "base64", "unicode_escape", "nonsense"]
)
def test_a_declared_codec_that_is_no_character_set_is_ignored(charset: str) -> None:
    # "undefined", "punycode" and "idna" raised UnicodeError (not UnicodeDecodeError) and
    # escaped; unicode_escape read markup backslashes as escapes.
    data = f'<meta charset="{charset}"><p>caf\xe9 \\x41</p>'.encode("cp1252")

    text, encoding = decode_text(data)

    assert (text.endswith("<p>café \\x41</p>"), encoding) == (True, "cp1252")


def test_a_declared_character_set_is_still_used() -> None:
    data = '<meta charset="koi8-r"><p>привет</p>'.encode("koi8-r")

    assert decode_text(data) == ('<meta charset="koi8-r"><p>привет</p>', "koi8-r")


def test_declared_punycode_is_not_decoded_in_quadratic_time() -> None:
    data = b'<meta charset="punycode">' + b"a" * 400_000 + b"-" + b"b" * 400_000
    started = time.perf_counter()
    decode_text(data)
    assert time.perf_counter() - started < 1.0
