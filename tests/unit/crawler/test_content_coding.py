"""Body decoding that notices a cut or corrupt gzip stream (crawler.content_coding)."""

from __future__ import annotations

import gzip
import zlib

import pytest

from crawler.content_coding import BodyDecoder, ContentCodingError

TEXT = b"".join(b"CORRESP     Company %05d    0000320193  20230109\n" % i for i in range(400))


def decode(encoding: str | None, data: bytes, chunk: int = 97) -> bytes:
    decoder = BodyDecoder(encoding)
    parts = [decoder.decode(data[i : i + chunk]) for i in range(0, len(data), chunk)]
    return b"".join(parts) + decoder.finish()


@pytest.mark.parametrize("encoding", [None, "", "identity"])
def test_identity_passes_through(encoding: str | None) -> None:
    assert decode(encoding, TEXT) == TEXT


@pytest.mark.parametrize("encoding", ["gzip", "x-gzip", "GZIP", "identity, gzip"])
def test_gzip_is_decoded_chunk_by_chunk(encoding: str) -> None:
    assert decode(encoding, gzip.compress(TEXT)) == TEXT


def test_gzip_members_one_after_the_other_are_all_decoded() -> None:
    data = gzip.compress(TEXT[:5000]) + gzip.compress(TEXT[5000:])
    assert decode("gzip", data) == TEXT


@pytest.mark.parametrize("cut", [1, 8, 100, 1000])
def test_a_gzip_stream_cut_short_is_refused(cut: int) -> None:
    # What a Content-Length shorter than the body leaves: a clean response, a short stream.
    data = gzip.compress(TEXT)[:-cut]
    with pytest.raises(ContentCodingError, match=r"gzip body ends early.*Content-Length"):
        decode("gzip", data)


def test_corrupt_gzip_is_refused() -> None:
    corrupt = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + b"\xff" * 32
    with pytest.raises(ContentCodingError, match="gzip body is corrupt"):
        decode("gzip", corrupt)


def test_a_wrong_checksum_is_refused() -> None:
    data = bytearray(gzip.compress(TEXT))
    data[-8] ^= 0xFF  # the CRC-32 in the trailer
    with pytest.raises(ContentCodingError, match="corrupt"):
        decode("gzip", bytes(data))


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw"])
def test_deflate_with_or_without_zlib_header(wbits: int) -> None:
    compressor = zlib.compressobj(wbits=wbits)
    data = compressor.compress(TEXT) + compressor.flush()
    assert decode("deflate", data) == TEXT


@pytest.mark.parametrize("encoding", ["br", "zstd", "gzip, br"])
def test_an_encoding_not_asked_for_is_refused(encoding: str) -> None:
    with pytest.raises(ContentCodingError, match="unsupported Content-Encoding"):
        BodyDecoder(encoding)


def test_an_empty_body_is_empty() -> None:
    assert decode("gzip", b"") == b""
