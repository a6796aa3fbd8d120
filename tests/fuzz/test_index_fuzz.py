"""Fuzzing EDGAR's listings: index files, the Atom feed, folder listings, submissions JSON,
error bodies (crawler.edgar.indexes, feed, filing_index, submissions_json, pages).

Property: each parser returns well-formed ``FilingRef`` rows (ASCII accession and CIK, a
form, a date) with a reason for every row it could not read, or raises ``ParseError`` with a
reason; generated index files and feed pages parse back to exactly their rows.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.corpus import Corpus
from tests.fuzz.edgar_checks import (
    check_error_body,
    check_feed,
    check_feed_round_trip,
    check_folder_listing,
    check_index,
    check_index_round_trip,
    check_submissions_json,
)
from tests.fuzz.edgar_generators import IndexRow, random_feed, random_index, render_index
from tests.fuzz.json_mutations import mutate_json_or_bytes
from tests.fuzz.mutations import mutate, mutate_text
from tests.fuzz.profile import fuzz_settings, randoms

forms = st.one_of(st.none(), st.sampled_from([frozenset({"CORRESP", "UPLOAD"}), frozenset({"4"})]))

_NAME_WORD = st.from_regex(r"[A-Za-z0-9&.,/'()\u00c0-\u00ff-]{1,12}", fullmatch=True)
index_rows = st.builds(
    IndexRow,
    accession=st.from_regex(r"[0-9]{10}-[0-9]{2}-[0-9]{6}", fullmatch=True),
    cik=st.integers(1, 9_999_999_999).map(lambda cik: f"{cik:010d}"),
    form=st.sampled_from(["UPLOAD", "CORRESP", "10-K/A", "SC 13D", "1-A POS", "S-1"]),
    company=st.lists(_NAME_WORD, min_size=1, max_size=5).map(" ".join),
    filed_on=st.dates().map(lambda day: day.isoformat()),
)


@fuzz_settings(100, 3000)
@given(rng=randoms)
def test_generated_index_parses_back_to_its_rows(rng: random.Random) -> None:
    check_index_round_trip(*random_index(rng))


@fuzz_settings(120, 3000)
@given(
    rows=st.lists(index_rows, max_size=20),
    kind=st.sampled_from(["form", "company", "master"]),
    dashed=st.booleans(),
    rng=randoms,
)
def test_any_rows_parse_back_from_every_index_kind(
    rows: list[IndexRow], kind: str, dashed: bool, rng: random.Random
) -> None:
    check_index_round_trip(render_index(rows, kind=kind, dashed_dates=dashed, rng=rng), rows)


@pytest.mark.samples
@fuzz_settings(200, 5000)
@given(rng=randoms, wanted=forms)
def test_damaged_real_index_is_parsed_or_rejected(
    corpus: Corpus, rng: random.Random, wanted: frozenset[str] | None
) -> None:
    seeds = corpus.indexes
    check_index(mutate_text(rng.choice(seeds), rng, donors=seeds), forms=wanted)


@fuzz_settings(300, 2000)
@given(text=st.text(max_size=2000), wanted=forms)
def test_any_text_is_parsed_or_rejected_as_an_index(
    text: str, wanted: frozenset[str] | None
) -> None:
    check_index(text, forms=wanted)


@fuzz_settings(60, 3000)
@given(rng=randoms)
def test_generated_feed_parses_back_to_its_entries(rng: random.Random) -> None:
    check_feed_round_trip(*random_feed(rng))


@fuzz_settings(200, 3000)
@given(rng=randoms)
def test_damaged_feed_is_parsed_or_rejected(rng: random.Random) -> None:
    data, _ = random_feed(rng)
    check_feed(mutate(data, rng))


@pytest.mark.samples
@fuzz_settings(200, 3000)
@given(rng=randoms, form=st.sampled_from(["UPLOAD", "CORRESP"]))
def test_damaged_folder_listing_is_parsed_or_rejected(
    corpus: Corpus, rng: random.Random, form: str
) -> None:
    check_folder_listing(mutate_json_or_bytes(rng.choice(corpus.folder_listings), rng), form=form)


@pytest.mark.samples
@fuzz_settings(60, 5000)
@given(rng=randoms, wanted=forms)
def test_damaged_submissions_json_is_parsed_or_rejected(
    corpus: Corpus, rng: random.Random, wanted: frozenset[str] | None
) -> None:
    data = mutate_json_or_bytes(rng.choice(corpus.submissions_json), rng)
    check_submissions_json(data, forms=wanted, cik=rng.choice((None, "320193")))


@pytest.mark.samples
@fuzz_settings(200, 2000)
@given(
    rng=randoms,
    status=st.integers(100, 599),
    content_type=st.one_of(st.none(), st.sampled_from(["text/html", "application/pdf", ""])),
)
def test_any_error_body_is_classified(
    corpus: Corpus, rng: random.Random, status: int, content_type: str | None
) -> None:
    seeds = corpus.error_bodies
    check_error_body(status, mutate(rng.choice(seeds), rng), content_type)
