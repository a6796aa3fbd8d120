"""Review-thread statistics over every sample letter, beside the published figures.

Published (letters.md §11): about 1.4 staff comment letters per review and about 49 days
from first staff letter to closing letter on average (Deloitte, 2020-2024 reviews); on
large-cap letters 2016-2025, mean ≈1.4 staff letters, mean ≈50 and median ≈36 days. A
threader far from these on similar data is splitting or merging reviews wrongly.

    .venv/bin/python -m bench.thread_stats
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import replace

from crawler.company_filings import CompanyFilings
from crawler.extract.letters import letter_from_folder
from indexer.normalize.pipeline import normalize_letter
from indexer.normalize.threads import Thread, build_threads
from tests.fake_edgar import locate_samples


def main() -> int:
    root = locate_samples(None)
    folders = sorted(p for p in (root / "documents").glob("*/*") if p.is_dir())
    filings = CompanyFilings(root / "json")  # to resolve reviewed filings, as a crawl would
    letters = []
    for folder in folders:
        incoming = letter_from_folder(folder)
        listed = filings.listed(incoming.ciks[0]) if incoming.ciks else ()
        letters.append(normalize_letter(replace(incoming, company_filings=listed)))
    letters = [letter for letter in letters if letter.form in ("UPLOAD", "CORRESP")]
    threads = build_threads(letters)
    statuses = Counter(thread.status for thread in threads)
    reviewed = [t for t in threads if t.status == "closed" and t.rounds > 0]
    rounds = [t.rounds for t in reviewed]
    staff_first = [_days_from_first_staff_letter(t) for t in reviewed]
    days = [d for d in staff_first if d is not None]
    per_conversation = [len(t.letters) for t in reviewed]
    companies = {letter.ciks for letter in letters}
    print(
        f"thread statistics: {len(letters)} sample letters of {len(companies)} "
        f"companies -> {len(threads)} threads {dict(statuses)}"
    )
    print(f"  closed reviews with comments: {len(reviewed)}")
    print(
        f"  staff comment letters per review: mean {statistics.mean(rounds):.2f}, "
        f"median {statistics.median(rounds):.0f}   (published: about 1.4)"
    )
    print(
        f"  days from first staff letter to closing letter: mean {statistics.mean(days):.1f}, "
        f"median {statistics.median(days):.0f}   (published: about 49 mean, 36 median)"
    )
    print(
        f"  letters per conversation: mean {statistics.mean(per_conversation):.1f}   "
        f"(Audit Analytics: 3.6 in 2019, 3.7 in 2018)"
    )
    print(
        f"  reviews closed after one or two staff letters: "
        f"{sum(r <= 2 for r in rounds) / len(rounds):.0%}   (Deloitte: 92%)"
    )
    named = [f for m in letters for f in m.reviewed_filings if f.form not in ("DRS", "DRS/A")]
    resolved = sum(1 for f in named if f.accession)
    print(
        f"  reviewed filings resolved to their accession: {resolved}/{len(named)} "
        f"({resolved / len(named):.0%}; the rest belong to companies whose filing list the "
        "samples lack)"
    )
    links = Counter(m.link_rule for t in threads for m in t.letters)
    print(f"  links by rule: {dict(links.most_common())}")
    return 0


def _days_from_first_staff_letter(thread: Thread) -> int | None:
    staff = [m.date for m in thread.letters if m.form == "UPLOAD" and m.date]
    if not staff or thread.closed_on is None:
        return None
    return (thread.closed_on - min(staff)).days


if __name__ == "__main__":
    raise SystemExit(main())
