"""Fuzzing text extraction: PDF (pypdfium2), HTML (selectolax), plain text, the charset
guess, and the choice of a filing's letter document (crawler.extract).

Property: extraction never raises; an unreadable document yields no text and a warning
saying why. Generated HTML gives back every visible word and nothing of its scripts,
styles, comments, head or alt text; plain-text extraction changes only whitespace.
"""

from __future__ import annotations

import random
from encodings.aliases import aliases

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.corpus import Corpus
from tests.fuzz.mutations import mutate
from tests.fuzz.profile import fuzz_settings, randoms
from tests.fuzz.text_checks import (
    check_html,
    check_letter_folder,
    check_pdf,
    check_plain,
    check_submission_letter,
)
from tests.fuzz.text_generators import random_html

_NOT_CHARSETS = ("undefined", "idna", "punycode", "unicode_escape", "utf-7", "uu", "zlib", "x")
CODEC_NAMES = sorted({*aliases, *aliases.values(), *_NOT_CHARSETS})
"""Every codec name Python knows, and some that are codecs but not charsets."""


@fuzz_settings(150, 3000)
@given(rng=randoms)
def test_generated_html_keeps_visible_words_and_drops_scripts(rng: random.Random) -> None:
    generated = random_html(rng)
    check_html(generated.data, visible=generated.visible, hidden=generated.hidden)


@pytest.mark.samples
@fuzz_settings(100, 5000)
@given(rng=randoms)
def test_damaged_real_html_is_extracted(corpus: Corpus, rng: random.Random) -> None:
    seeds = corpus.htmls
    check_html(mutate(rng.choice(seeds), rng, donors=seeds[:20]))


@fuzz_settings(200, 2000)
@given(data=st.binary(max_size=3000))
def test_any_bytes_are_extracted_as_html(data: bytes) -> None:
    check_html(data)


@fuzz_settings(20, 5000)
@given(body=st.binary(max_size=500))
def test_every_declared_charset_is_decoded_or_ignored(body: bytes) -> None:
    for charset in CODEC_NAMES:
        data = f'<html><head><meta charset="{charset}"></head><body>'.encode() + body
        check_html(data)
        check_plain(data, text_extract=False)


@pytest.mark.samples
@fuzz_settings(80, 5000)
@given(rng=randoms)
def test_damaged_real_pdf_is_extracted_or_refused(corpus: Corpus, rng: random.Random) -> None:
    seeds = corpus.pdfs
    check_pdf(mutate(rng.choice(seeds), rng, rounds=rng.randint(1, 2)))


@fuzz_settings(100, 3000)
@given(body=st.binary(max_size=2000))
def test_any_bytes_after_a_pdf_signature_are_refused_or_extracted(body: bytes) -> None:
    check_pdf(b"%PDF-1.4\n" + body)


@fuzz_settings(200, 2000)
@given(data=st.binary(max_size=3000), text_extract=st.booleans())
def test_plain_text_extraction_changes_only_whitespace(data: bytes, text_extract: bool) -> None:
    check_plain(data, text_extract=text_extract)


@fuzz_settings(150, 2000)
@given(text=st.text(max_size=2000), text_extract=st.booleans())
def test_any_text_in_utf8_keeps_its_characters(text: str, text_extract: bool) -> None:
    check_plain(text.encode("utf-8"), text_extract=text_extract)


@pytest.mark.samples
@fuzz_settings(60, 5000)
@given(rng=randoms)
def test_damaged_filing_folder_gives_a_letter(corpus: Corpus, rng: random.Random) -> None:
    name, documents = rng.choice(corpus.folders)
    damaged = {key: mutate(value, rng, rounds=1) for key, value in documents.items()}
    accession = rng.choice((name, "0000000000-24-000001", "not an accession"))
    check_letter_folder(accession, damaged)


@pytest.mark.samples
@fuzz_settings(60, 5000)
@given(rng=randoms)
def test_damaged_submission_gives_a_letter_or_is_rejected(
    corpus: Corpus, rng: random.Random
) -> None:
    seeds = corpus.submissions
    check_submission_letter(mutate(rng.choice(seeds), rng, donors=seeds))
