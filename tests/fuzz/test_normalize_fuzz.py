"""Fuzzing the letter normalizer and the threader (indexer.normalize).

Properties: no normalization step fails on any text (the pipeline would turn the exception
into an "internal error" warning, which these checks treat as a crash); comments come out
numbered in order, and the words of a comment and of its answer come from the letter, in
order; a generated staff letter gives back its date, file number and exact comments; the
threader places every letter in exactly one thread, whatever the order the letters arrive in.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.incoming import TextSource
from tests.fuzz.corpus import Corpus
from tests.fuzz.mutations import mutate_text
from tests.fuzz.profile import fuzz_settings, randoms
from tests.fuzz.text_checks import check_normalize, check_staff_letter_round_trip, check_threads
from tests.fuzz.text_generators import random_letters, random_staff_letter

forms = st.sampled_from(["UPLOAD", "CORRESP", "DRSLTR"])
sources = st.sampled_from(list(TextSource))
_LETTER_LINES = (
    "Re: Acme Inc.\nForm 10-K for the Fiscal Year Ended December 31, 2023\nFile No. 1-7933",
    "1. We note your disclosure.",
    "Response: The Company has revised the disclosure.",
    "Comment No. 2",
    "April 2, 2024",
    "Sincerely,",
    "Page 2",
    "2.",
    "Revenue Recognition, page 12",
)


@fuzz_settings(40, 10000)
@given(rng=randoms)
def test_generated_staff_letter_gives_back_its_comments(rng: random.Random) -> None:
    check_staff_letter_round_trip(random_staff_letter(rng))


@fuzz_settings(60, 10000)
@given(rng=randoms)
def test_damaged_generated_staff_letter_is_normalized(rng: random.Random) -> None:
    generated = random_staff_letter(rng)
    check_normalize(mutate_text(generated.text, rng), form=rng.choice(("UPLOAD", "CORRESP")))


@pytest.mark.samples
@fuzz_settings(80, 10000)
@given(rng=randoms, form=forms)
def test_damaged_real_letter_is_normalized(corpus: Corpus, rng: random.Random, form: str) -> None:
    seeds = corpus.letter_texts
    seed = rng.choice(seeds)
    text = mutate_text(seed.text, rng, donors=[s.text for s in seeds[:8]])
    check_normalize(text, form=rng.choice((seed.form, form)))


@fuzz_settings(150, 5000)
@given(
    parts=st.lists(st.one_of(st.text(max_size=200), st.sampled_from(_LETTER_LINES)), max_size=40),
    separators=st.sampled_from(["\n", "\n\n", " ", "\r\n", "\f\n"]),
    form=forms,
    source=sources,
)
def test_any_text_is_normalized(
    parts: list[str], separators: str, form: str, source: TextSource
) -> None:
    check_normalize(separators.join(parts), form=form, text_source=source)


@fuzz_settings(150, 5000)
@given(rng=randoms)
def test_threads_hold_every_letter_once_in_any_order(rng: random.Random) -> None:
    letters = random_letters(rng)
    check_threads(letters, reordered=rng.sample(letters, len(letters)))
