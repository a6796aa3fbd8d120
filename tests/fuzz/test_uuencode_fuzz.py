"""Fuzzing the uudecoder of embedded PDFs and images (crawler.edgar.uuencoding).

Oracle: Python's ``binascii.b2a_uu`` writes the block, ``decode_uuencoded`` must give back
the exact bytes, complete and without warnings, whatever the line endings and the space
before ``begin``. Damaged blocks never raise: lost lines are reported, a missing ``end`` is
marked incomplete with a warning.
"""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.edgar_checks import check_uudecode
from tests.fuzz.edgar_generators import uuencode
from tests.fuzz.mutations import mutate
from tests.fuzz.profile import fuzz_settings, randoms

line_endings = st.sampled_from([b"\n", b"\r\n", b"\r"])
file_names = st.from_regex(r"[A-Za-z0-9_.-]{1,20}", fullmatch=True)


@fuzz_settings(300, 2000)
@given(
    data=st.binary(max_size=3000),
    name=file_names,
    line_ending=line_endings,
    lead=st.sampled_from([b"", b"\n", b" \r\n\t"]),
)
def test_uuencoded_bytes_decode_to_themselves(
    data: bytes, name: str, line_ending: bytes, lead: bytes
) -> None:
    check_uudecode(lead + uuencode(data, name=name, line_ending=line_ending), expected=data)


@fuzz_settings(300, 2000)
@given(data=st.binary(max_size=2000), rng=randoms)
def test_damaged_block_decodes_with_warnings_or_is_not_recognized(
    data: bytes, rng: random.Random
) -> None:
    check_uudecode(mutate(uuencode(data), rng))


@fuzz_settings(300, 2000)
@given(body=st.binary(max_size=2000), mode=st.from_regex(r"[0-7]{3,4}", fullmatch=True))
def test_any_bytes_after_a_begin_line_decode_without_raising(body: bytes, mode: str) -> None:
    check_uudecode(f"begin {mode} x\n".encode() + body)
