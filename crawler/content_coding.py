"""Decoding a response body's ``Content-Encoding`` (gzip, deflate), noticing a cut stream.

httpx's own decoders accept a gzip stream that simply stops: a server that declares a
``Content-Length`` shorter than the body it means to send hands over a clean, short
response, and httpx decodes whatever arrived without a word. For an index file that is
silent loss: the rows past the cut are never seen, and the file's validators, once stored,
turn every later read into a 304. ``BodyDecoder`` therefore decodes the raw bytes itself and
refuses a stream that ends before its gzip trailer (whose CRC-32 and length zlib checks), or
that holds corrupt data. An identity body has no such check: a short one is caught, if at
all, by the parser of what it holds (a submission's closing tags).
"""

from __future__ import annotations

import zlib

__all__ = ["BodyDecoder", "ContentCodingError"]

_GZIP = zlib.MAX_WBITS | 16
_ZLIB = zlib.MAX_WBITS
_RAW_DEFLATE = -zlib.MAX_WBITS


class ContentCodingError(ValueError):
    """The body cannot be decoded: corrupt, cut short, or an encoding not asked for."""


class BodyDecoder:
    """Decodes one body chunk by chunk; ``finish`` checks that the stream was complete."""

    def __init__(self, content_encoding: str | None) -> None:
        codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise ContentCodingError(f"unsupported Content-Encoding {content_encoding!r}")
        self._coding = codings[0] if codings else None
        self._name = "gzip" if self._coding == "x-gzip" else self._coding
        self._wbits = _GZIP if self._name == "gzip" else _ZLIB
        self._inflater = zlib.decompressobj(self._wbits) if self._coding else None
        self._started = False

    def decode(self, data: bytes) -> bytes:
        """The decoded bytes of the next raw chunk."""
        if self._inflater is None or not data:
            return data
        try:
            out = self._inflate(data)
        except zlib.error as exc:
            if self._name == "deflate" and not self._started:
                # Some servers send raw deflate (no zlib header) for "deflate", as httpx allows.
                self._wbits = _RAW_DEFLATE
                self._inflater = zlib.decompressobj(_RAW_DEFLATE)
                return self.decode(data)
            raise ContentCodingError(f"{self._name} body is corrupt ({exc})") from exc
        self._started = True
        return out

    def finish(self) -> bytes:
        """The rest of the decoded body; refuses a stream that ended before its end."""
        if self._inflater is None:
            return b""
        try:
            rest = self._inflater.flush()
        except zlib.error as exc:
            raise ContentCodingError(f"{self._name} body is corrupt ({exc})") from exc
        if self._started and not self._inflater.eof:
            raise ContentCodingError(
                f"{self._name} body ends early: fewer bytes arrived than the stream holds "
                "(a Content-Length shorter than the body?)"
            )
        return rest

    def _inflate(self, data: bytes) -> bytes:
        assert self._inflater is not None
        out = [self._inflater.decompress(data)]
        # A gzip body may hold several members one after the other (RFC 1952 §2.2).
        while self._inflater.eof and self._inflater.unused_data:
            tail = self._inflater.unused_data
            self._inflater = zlib.decompressobj(self._wbits)
            out.append(self._inflater.decompress(tail))
        return b"".join(out)
