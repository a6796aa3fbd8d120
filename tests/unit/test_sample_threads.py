"""Threads and resolved filings over every sample letter (not only the gold ones).

- No thread joins two letters whose reviewed filings differ (form, period, filing date,
  filer) unless a letter links them explicitly: a letter placed by a rule that compares
  filings (``reviewed_filing``, ``release_day``, ``file_number``) never differs from the
  letter it was linked to; every join across different filings is a citation, the header's
  reference accession, a registration statement's own number, a draft review's continuation
  or a closing letter of the only open review, and the figures say how many there are.
- The reviewed filings resolve to accessions from the samples' submissions JSON: the share
  is printed, overall and where the samples hold the company's filing list.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from crawler.company_filings import CompanyFilings
from crawler.extract.letters import letter_from_folder
from indexer.normalize.filings import Match, relation
from indexer.normalize.letter import Letter
from indexer.normalize.pipeline import normalize_letter
from indexer.normalize.threads import Thread, build_threads

pytestmark = pytest.mark.samples

COMPARING_RULES = frozenset({"reviewed_filing", "release_day", "file_number"})
EXPLICIT_RULES = frozenset(
    {
        "citation",
        "reference_accession",
        "registration",
        "draft_registration",
        "cik_reference",
        "closing_letter",
    }
)


@pytest.fixture(scope="module")
def letters(samples_dir: Path) -> dict[str, Letter]:
    filings = CompanyFilings(samples_dir / "json")
    found = {}
    for folder in sorted((samples_dir / "documents").glob("*/*")):
        incoming = letter_from_folder(folder)
        if incoming.form not in ("UPLOAD", "CORRESP"):
            continue  # SEC STAFF ACTION / STAFF LETTER folders
        listed = filings.listed(incoming.ciks[0]) if incoming.ciks else ()
        letter = normalize_letter(replace(incoming, company_filings=listed))
        found[letter.accession] = letter
    return found


@pytest.fixture(scope="module")
def threads(letters: dict[str, Letter]) -> list[Thread]:
    return build_threads(letters.values())


def test_no_thread_joins_different_filings_without_an_explicit_link(
    letters: dict[str, Letter], threads: list[Thread], report_figures: Callable[[str], None]
) -> None:
    rules: Counter[str] = Counter()
    across = 0
    for thread in threads:
        for member in thread.letters[1:]:
            rules[member.link_rule] += 1
            assert member.link_rule in COMPARING_RULES | EXPLICIT_RULES, member
            assert member.linked_to in letters, member
            mine = letters[member.accession]
            linked = letters[member.linked_to]
            match = relation(mine.reviewed_filings, linked.reviewed_filings, company=mine.company)
            if member.link_rule in COMPARING_RULES:
                assert match != Match.DIFFERENT, (thread.thread_id, member)
            elif match == Match.DIFFERENT:
                across += 1
    report_figures(
        f"sample threads: {len(threads)} threads of {len(letters)} letters; links by rule "
        f"{dict(sorted(rules.items()))}; {across} explicit link(s) across different filings"
    )
    assert len(letters) == 358


def test_reviewed_filings_resolve_to_accessions(
    letters: dict[str, Letter], samples_dir: Path, report_figures: Callable[[str], None]
) -> None:
    filings = CompanyFilings(samples_dir / "json")
    named = [
        (letter, filing)
        for letter in letters.values()
        for filing in letter.reviewed_filings
        if filing.form not in ("DRS", "DRS/A")  # drafts are confidential: never listed
    ]
    resolved = [pair for pair in named if pair[1].accession]
    listed = [pair for pair in named if filings.listed(pair[0].ciks[0])]
    resolved_listed = [pair for pair in listed if pair[1].accession]
    report_figures(
        f"reviewed filings resolved to accessions: {len(resolved)}/{len(named)} "
        f"({len(resolved) / len(named):.1%}); where the samples hold the company's filing "
        f"list: {len(resolved_listed)}/{len(listed)} ({len(resolved_listed) / len(listed):.1%})"
    )
    assert len(resolved_listed) / len(listed) >= 0.95
    assert len(resolved) / len(named) >= 0.80
    # Checked by hand in the samples' submissions JSON (json/lehigh/).
    (proxy,) = letters["0001104659-22-099242"].reviewed_filings  # Chubb, 2022
    assert (proxy.form, proxy.accession) == ("DEF 14A", "0001104659-22-042195")
    ten_k, _eight_k = letters["0000000000-19-007690"].reviewed_filings  # Chubb, 2019
    assert ten_k.accession == "0000896159-19-000005"
