"""Opaque page cursors: the sort values of a page's last hit, as url-safe base64 JSON. Pure.

A cursor is ``base64url(json([order, [value, ...]]))`` without padding. It names the sort
order it was made for, so a cursor of one order (or one endpoint) is refused by another
instead of reaching Elasticsearch with values of the wrong type. Decoding checks everything
(alphabet, JSON, order, number, type and range of values) and raises ``CursorError`` with a
reason, so no cursor can make Elasticsearch fail.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Sequence
from typing import Literal

__all__ = [
    "MAX_CURSOR_CHARS",
    "CursorError",
    "SortValue",
    "ValueKind",
    "decode_cursor",
    "encode_cursor",
]

MAX_CURSOR_CHARS = 1000
_LONG_MIN, _LONG_MAX = -(2**63), 2**63 - 1
"""Sort values are Elasticsearch longs (dates as epoch milliseconds) or doubles (scores)."""

SortValue = str | int | float
ValueKind = Literal["number", "string"]
"""What one sort key's values are: numbers (scores, dates as epoch milliseconds) or strings."""


class CursorError(ValueError):
    """A cursor that this API did not make for this sort order."""


def encode_cursor(order: str, values: Sequence[SortValue]) -> str:
    """The cursor continuing after a hit whose sort values are ``values``."""
    payload = json.dumps([order, list(values)], separators=(",", ":"), ensure_ascii=True)
    return base64.urlsafe_b64encode(payload.encode("ascii")).decode("ascii").rstrip("=")


def decode_cursor(text: str, *, order: str, kinds: Sequence[ValueKind]) -> list[SortValue]:
    """The sort values in ``text``, checked against ``order`` and its value ``kinds``."""
    if not text or len(text) > MAX_CURSOR_CHARS:
        raise CursorError("not a cursor of this API (wrong length)")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        payload = json.loads(raw.decode("ascii"), parse_constant=_refuse_constant)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise CursorError("not a cursor of this API (undecodable)") from exc
    if (
        not isinstance(payload, list)
        or len(payload) != 2
        or not isinstance(payload[0], str)
        or not isinstance(payload[1], list)
    ):
        raise CursorError("not a cursor of this API (wrong structure)")
    made_for, values = payload
    if made_for != order:
        raise CursorError(f"this cursor belongs to sort order {made_for!r}, not {order!r}")
    if len(values) != len(kinds) or not all(map(_is_kind, values, kinds)):
        raise CursorError("not a cursor of this API (wrong values)")
    checked: list[str | int | float] = values
    return checked


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a sort value")


def _is_kind(value: object, kind: ValueKind) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) and _LONG_MIN <= value <= _LONG_MAX
