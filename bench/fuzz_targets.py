"""The long fuzz run's targets: how many cases each gets and how its inputs are made.

A target names a family of entry points (``sgml``, ``index``, ``pdf``, ``normalize`` …),
its share of the cases, and ``make(rng, corpus)``, which builds one ``FuzzCase``: a damaged
real sample, a generated file checked against what was generated (a round trip), or a
damaged generated file. A case names its check by key (``CHECKS``) so it pickles small,
runs in the worker process, and can be saved and replayed. Inputs depend only on the seed,
the target and the case number.
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from indexer.incoming import TextSource
from tests.fuzz import edgar_checks, text_checks
from tests.fuzz.corpus import Corpus
from tests.fuzz.edgar_generators import random_feed, random_index, random_submission, uuencode
from tests.fuzz.json_mutations import mutate_json_or_bytes
from tests.fuzz.mutations import mutate, mutate_text
from tests.fuzz.outcome import Outcome
from tests.fuzz.text_generators import random_html, random_letters, random_staff_letter

__all__ = ["CHECKS", "TARGETS", "FuzzCase", "Target", "case_rng"]

CHECKS: dict[str, Callable[..., Outcome]] = {
    "submission": edgar_checks.check_submission,
    "submission-round-trip": edgar_checks.check_submission_round_trip,
    "header": edgar_checks.check_header,
    "index": edgar_checks.check_index,
    "index-round-trip": edgar_checks.check_index_round_trip,
    "feed": edgar_checks.check_feed,
    "feed-round-trip": edgar_checks.check_feed_round_trip,
    "listing": edgar_checks.check_folder_listing,
    "submissions-json": edgar_checks.check_submissions_json,
    "error-body": edgar_checks.check_error_body,
    "uudecode": edgar_checks.check_uudecode,
    "pdf": text_checks.check_pdf,
    "html": text_checks.check_html,
    "plain": text_checks.check_plain,
    "letter-folder": text_checks.check_letter_folder,
    "submission-letter": text_checks.check_submission_letter,
    "normalize": text_checks.check_normalize,
    "staff-letter-round-trip": text_checks.check_staff_letter_round_trip,
    "threads": text_checks.check_threads,
}


@dataclass(frozen=True)
class FuzzCase:
    """One input for one check, and how it was made."""

    target: str
    number: int
    check: str
    """A key of ``CHECKS``."""
    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)
    origin: str = ""
    """How the input was made: ``sample``, ``generated`` or ``generated+mutated``."""
    operations: tuple[str, ...] = ()
    """The mutations applied, in order."""

    def run(self) -> Outcome:
        return CHECKS[self.check](*self.args, **self.kwargs)


@dataclass(frozen=True)
class Target:
    name: str
    weight: int
    """Cases out of the default total."""
    make: Callable[[random.Random, Corpus, int], FuzzCase]
    what: str


def case_rng(seed: int, target: str, number: int) -> random.Random:
    return random.Random(f"{seed}:{target}:{number}")


def _mutated(data: bytes, rng: random.Random, donors: list[bytes]) -> tuple[bytes, tuple[str, ...]]:
    log: list[str] = []
    return mutate(data, rng, donors=donors, log=log), tuple(log)


def _sgml(rng: random.Random, corpus: Corpus, number: int) -> FuzzCase:
    roll = rng.random()
    if roll < 0.15:
        return FuzzCase(
            "sgml", number, "submission-round-trip", (random_submission(rng),), origin="generated"
        )
    seed = random_submission(rng).data if roll < 0.3 else rng.choice(corpus.submissions)
    data, log = _mutated(seed, rng, corpus.submissions)
    origin = "generated+mutated" if roll < 0.3 else "sample"
    return FuzzCase("sgml", number, "submission", (data,), origin=origin, operations=log)


def _header(rng: random.Random, corpus: Corpus, number: int) -> FuzzCase:
    log: list[str] = []
    text = mutate_text(rng.choice(corpus.headers), rng, donors=corpus.headers, log=log)
    return FuzzCase("header", number, "header", (text,), origin="sample", operations=tuple(log))


_FORM_FILTERS = (None, frozenset({"CORRESP", "UPLOAD"}), frozenset({"4", "10-K"}))


def _index(rng: random.Random, corpus: Corpus, number: int) -> FuzzCase:
    roll = rng.random()
    if roll < 0.25:
        text, rows = random_index(rng)
        return FuzzCase("index", number, "index-round-trip", (text, rows), origin="generated")
    seed = random_index(rng)[0] if roll < 0.4 else rng.choice(corpus.indexes)
    log: list[str] = []
    text = mutate_text(seed, rng, donors=corpus.indexes, log=log)
    forms = rng.choice(_FORM_FILTERS)
    origin = "generated+mutated" if roll < 0.4 else "sample"
    return FuzzCase("index", number, "index", (text,), {"forms": forms}, origin, tuple(log))


def _feed(rng: random.Random, _corpus: Corpus, number: int) -> FuzzCase:
    data, rows = random_feed(rng)
    if rng.random() < 0.3:
        return FuzzCase("feed", number, "feed-round-trip", (data, rows), origin="generated")
    damaged, log = _mutated(data, rng, [])
    return FuzzCase("feed", number, "feed", (damaged,), origin="generated+mutated", operations=log)


def _json_or_bytes(seed: bytes, rng: random.Random) -> tuple[bytes, tuple[str, ...]]:
    log: list[str] = []
    return mutate_json_or_bytes(seed, rng, log=log), tuple(log)


def _listing(rng: random.Random, corpus: Corpus, number: int) -> FuzzCase:
    data, log = _json_or_bytes(rng.choice(corpus.folder_listings), rng)
    form = rng.choice(("UPLOAD", "CORRESP"))
    return FuzzCase("listing", number, "listing", (data,), {"form": form}, "sample", log)


def _submissions_json(rng: random.Random, corpus: Corpus, number: int) -> FuzzCase:
    data, log = _json_or_bytes(rng.choice(corpus.submissions_json), rng)
    kwargs = {"forms": rng.choice(_FORM_FILTERS), "cik": rng.choice((None, "320193"))}
    return FuzzCase("subs-json", number, "submissions-json", (data,), kwargs, "sample", log)


def _pages(rng: random.Random, corpus: Corpus, number: int) -> FuzzCase:
    data, log = _mutated(rng.choice(corpus.error_bodies), rng, corpus.error_bodies)
    status = rng.choice((200, 301, 403, 404, 410, 429, 500, 503, rng.randint(100, 599)))
    content_type = rng.choice((None, "text/html", "application/xml", "application/pdf", ""))
    return FuzzCase("pages", number, "error-body", (status, data, content_type), {}, "sample", log)


_PDF_BLOCK = re.compile(rb"<PDF>(.*?)</PDF>", re.DOTALL)


@functools.cache
def _pdf_blocks(corpus: Corpus) -> list[bytes]:
    """The uuencoded PDF blocks of the sample submissions (found once per corpus)."""
    return [m.group(1) for data in corpus.submissions for m in _PDF_BLOCK.finditer(data)]


def _uudecode(rng: random.Random, corpus: Corpus, number: int) -> FuzzCase:
    roll = rng.random()
    if roll < 0.4:
        payload = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 5000)))
        line_ending = rng.choice((b"\n", b"\r\n", b"\r"))
        block = rng.choice((b"", b"\n", b" \t\r\n")) + uuencode(payload, line_ending=line_ending)
        return FuzzCase(
            "uudecode", number, "uudecode", (block,), {"expected": payload}, "generated"
        )
    if roll < 0.7:
        seed, origin = rng.choice(_pdf_blocks(corpus)), "sample"
    else:
        seed, origin = uuencode(bytes(rng.getrandbits(8) for _ in range(2000))), "generated+mutated"
    block, log = _mutated(seed, rng, [])
    return FuzzCase("uudecode", number, "uudecode", (block,), {}, origin, log)


def _pdf(rng: random.Random, corpus: Corpus, number: int) -> FuzzCase:
    log: list[str] = []
    data = mutate(rng.choice(corpus.pdfs), rng, rounds=rng.randint(1, 3), log=log)
    return FuzzCase("pdf", number, "pdf", (data,), origin="sample", operations=tuple(log))


def _html(rng: random.Random, corpus: Corpus, number: int) -> FuzzCase:
    roll = rng.random()
    if roll < 0.3:
        generated = random_html(rng)
        kwargs = {"visible": generated.visible, "hidden": generated.hidden}
        return FuzzCase("html", number, "html", (generated.data,), kwargs, "generated")
    seed = random_html(rng).data if roll < 0.5 else rng.choice(corpus.htmls)
    data, log = _mutated(seed, rng, corpus.htmls[:20])
    origin = "generated+mutated" if roll < 0.5 else "sample"
    return FuzzCase("html", number, "html", (data,), {}, origin, log)


def _plaintext(rng: random.Random, corpus: Corpus, number: int) -> FuzzCase:
    seed = rng.choice(corpus.letter_texts).text.encode(
        rng.choice(("utf-8", "cp1252", "latin-1")), "replace"
    )
    data, log = _mutated(seed, rng, [])
    kwargs = {"text_extract": rng.random() < 0.5}
    return FuzzCase("plaintext", number, "plain", (data,), kwargs, "sample", log)


def _letters(rng: random.Random, corpus: Corpus, number: int) -> FuzzCase:
    if rng.random() < 0.5:
        data, log = _mutated(rng.choice(corpus.submissions), rng, corpus.submissions)
        return FuzzCase("letters", number, "submission-letter", (data,), {}, "sample", log)
    name, documents = rng.choice(corpus.folders)
    damaged = {key: mutate(value, rng, rounds=1) for key, value in documents.items()}
    accession = rng.choice((name, "0000000000-24-000001", "not-an-accession"))
    return FuzzCase("letters", number, "letter-folder", (accession, damaged), {}, "sample", ())


_NORMALIZE_FORMS = ("UPLOAD", "CORRESP", "DRSLTR")


def _normalize(rng: random.Random, corpus: Corpus, number: int) -> FuzzCase:
    roll = rng.random()
    if roll < 0.15:
        return FuzzCase(
            "normalize",
            number,
            "staff-letter-round-trip",
            (random_staff_letter(rng),),
            origin="generated",
        )
    seed = random_staff_letter(rng).text if roll < 0.4 else rng.choice(corpus.letter_texts).text
    donors = [letter.text for letter in corpus.letter_texts[:10]]
    log: list[str] = []
    text = mutate_text(seed, rng, donors=donors, log=log)
    kwargs = {"form": rng.choice(_NORMALIZE_FORMS), "text_source": rng.choice(list(TextSource))}
    origin = "generated+mutated" if roll < 0.4 else "sample"
    return FuzzCase("normalize", number, "normalize", (text,), kwargs, origin, tuple(log))


def _threads(rng: random.Random, _corpus: Corpus, number: int) -> FuzzCase:
    letters = random_letters(rng)
    reordered = rng.sample(letters, len(letters))
    return FuzzCase("threads", number, "threads", (letters,), {"reordered": reordered}, "generated")


TARGETS: tuple[Target, ...] = (
    Target("sgml", 1500, _sgml, "parse_submission (.txt, .nc)"),
    Target("header", 700, _header, "parse_submission_header"),
    Target("index", 1300, _index, "parse_index (form, company, master)"),
    Target("feed", 500, _feed, "parse_current_feed"),
    Target("listing", 500, _listing, "parse_index_json, pick_letter_documents"),
    Target("subs-json", 500, _submissions_json, "parse_submissions_json"),
    Target("pages", 300, _pages, "classify_error_body"),
    Target("uudecode", 1200, _uudecode, "decode_uuencoded"),
    Target("pdf", 800, _pdf, "extract_pdf_text"),
    Target("html", 900, _html, "extract_html_text"),
    Target("plaintext", 500, _plaintext, "extract_plain_text, decode_text"),
    Target("letters", 500, _letters, "letter_from_documents, letter_from_submission"),
    Target("normalize", 1400, _normalize, "normalize_letter"),
    Target("threads", 400, _threads, "build_threads"),
)
