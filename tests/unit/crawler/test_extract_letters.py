"""A filing's letter from its documents (crawler.extract.letters): fuzzing regressions."""

from __future__ import annotations

from crawler.extract.letters import letter_from_documents
from indexer.incoming import TextSource


def test_deeply_nested_folder_listing_leaves_the_filing_date_unknown() -> None:
    # Found by fuzzing (tests/fuzz): the listing's JSON raised RecursionError.
    documents = {
        "filename1.htm": b"<html><body><p>Dear Sir:</p></body></html>",
        "index.json": b'{"directory": {"item": ' + b"[" * 100_000,
    }

    letter = letter_from_documents("0001035267-22-000070", documents, form="CORRESP")

    assert (letter.text, letter.text_source, letter.filing_date) == (
        "Dear Sir:",
        TextSource.HTML,
        None,
    )
