"""Fuzzing full submissions and their headers (crawler.edgar.sgml, sgml_header, sgml_tree).

Property: for any bytes, ``parse_submission`` returns a submission whose damage is described
by its warnings, or raises ``ParseError`` naming the input and saying what is missing; never
anything else. A generated submission parses back to its exact documents.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.corpus import Corpus
from tests.fuzz.edgar_checks import (
    check_header,
    check_submission,
    check_submission_round_trip,
)
from tests.fuzz.edgar_generators import random_submission
from tests.fuzz.mutations import mutate, mutate_text
from tests.fuzz.profile import fuzz_settings, randoms

_HEADER_KEYS = (
    "ACCESSION NUMBER",
    "CONFORMED SUBMISSION TYPE",
    "FILED AS OF DATE",
    "PUBLIC DOCUMENT COUNT",
    "\tCOMPANY DATA",
    "\t\tCENTRAL INDEX KEY",
    "\t\tSEC FILE NUMBER",
    "FILER",
    "PUBLIC REFERENCE ACCESSION NUMBER",
)
_HEADER_TAGS = (
    "ACCESSION-NUMBER",
    "TYPE",
    "FILER",
    "COMPANY-DATA",
    "CIK",
    "FILING-DATE",
    "ACCEPTANCE-DATETIME",
    "SEC-HEADER",
    "PRIVATE-TO-PUBLIC",
)


@fuzz_settings(100, 3000)
@given(rng=randoms)
def test_generated_submission_parses_back_to_its_documents(rng: random.Random) -> None:
    check_submission_round_trip(random_submission(rng))


@fuzz_settings(100, 5000)
@given(rng=randoms)
def test_damaged_generated_submission_is_parsed_or_rejected(rng: random.Random) -> None:
    generated = random_submission(rng)
    check_submission(mutate(generated.data, rng))


@pytest.mark.samples
@pytest.mark.parametrize(
    ("group", "check"),
    [
        ("submissions", lambda data, rng, seeds: check_submission(mutate(data, rng, donors=seeds))),
        ("headers", lambda text, rng, seeds: check_header(mutate_text(text, rng, donors=seeds))),
    ],
)
@fuzz_settings(200, 5000)
@given(rng=randoms)
def test_damaged_real_sample_is_parsed_or_rejected(
    corpus: Corpus, group: str, check: Callable[..., object], rng: random.Random
) -> None:
    seeds = getattr(corpus, group)
    check(rng.choice(seeds), rng, seeds)


@fuzz_settings(300, 2000)
@given(data=st.binary(max_size=3000))
def test_any_bytes_are_parsed_or_rejected(data: bytes) -> None:
    check_submission(data)


@fuzz_settings(300, 2000)
@given(
    lines=st.lists(
        st.one_of(
            st.text(max_size=60),
            st.builds(
                lambda k, v: f"{k}:\t{v}", st.sampled_from(_HEADER_KEYS), st.text(max_size=30)
            ),
            st.builds(
                lambda t, v: f"<{t}>{v}", st.sampled_from(_HEADER_TAGS), st.text(max_size=30)
            ),
            st.builds(lambda t: f"</{t}>", st.sampled_from(_HEADER_TAGS)),
        ),
        max_size=30,
    )
)
def test_any_header_text_is_parsed_or_rejected(lines: list[str]) -> None:
    check_header("\n".join(lines))
