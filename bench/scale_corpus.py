"""A scale corpus recombined from the real sample letters, indexed at full speed.

Every sample letter is normalized once; its review thread gives a template (the sequence of
staff letters, responses and closing letters with their day offsets). The corpus repeats
those templates for generated companies (new CIKs, names, file numbers, dates from 2005 to
2025), filling each position with a real letter of the same role: real text, real numbered
comments and answers, realistic lengths. Documents are built with the project's own
document functions and written with parallel bulk requests while refresh is off.

    .venv/bin/python -m bench.scale_corpus --letters 300000 [--prefix scale-]

prints letters/s (target: at least 2,000) and the index size on disk.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from elasticsearch import Elasticsearch
from elasticsearch.helpers import parallel_bulk

from crawler.extract.letters import letter_from_folder
from indexer.documents import comment_documents, letter_document, thread_document
from indexer.lifecycle import ensure_schema, index_names
from indexer.names import Targets
from indexer.normalize.letter import CitedDate, Letter, ReviewedFiling
from indexer.normalize.pipeline import normalize_letter
from indexer.normalize.threads import Thread, build_threads
from tests.fake_edgar import locate_samples

TARGET_LETTERS_PER_SECOND = 2000


def sample_threads() -> tuple[list[Thread], dict[str, Letter]]:
    folders = sorted(p for p in (locate_samples(None) / "documents").glob("*/*") if p.is_dir())
    letters = [normalize_letter(letter_from_folder(folder)) for folder in folders]
    letters = [letter for letter in letters if letter.form in ("UPLOAD", "CORRESP")]
    return build_threads(letters), {letter.accession: letter for letter in letters}


def generate(
    total: int, templates: list[Thread], originals: dict[str, Letter], *, seed: int = 7
) -> Iterator[tuple[Thread, dict[str, Letter]]]:
    """Threads of recombined letters until ``total`` letters exist."""
    rng = random.Random(seed)
    by_role: dict[str, list[Letter]] = defaultdict(list)
    for thread in templates:
        for member in thread.letters:
            by_role[member.role].append(originals[member.accession])
    produced = 0
    company = 0
    while produced < total:
        company += 1
        cik = f"{9_000_000_000 + company:010d}"
        name = f"{rng.choice(_NAMES)} {rng.choice(_SUFFIXES)} {company}"
        number = f"001-{rng.randint(10000, 99999)}"
        for review in range(rng.randint(1, 4)):
            template = rng.choice(templates)
            start = date(2005, 1, 3) + timedelta(days=rng.randint(0, 7300))
            first = template.letters[0].date or start
            letters: dict[str, Letter] = {}
            previous: list[Letter] = []
            for position, member in enumerate(template.letters):
                source = rng.choice(by_role[member.role])
                offset = ((member.date or first) - first).days
                when = start + timedelta(days=offset)
                accession = _accession(source.sender, cik, company, review, position)
                letter = _recast(
                    source,
                    accession=accession,
                    cik=cik,
                    company=name,
                    number=number,
                    when=when,
                    previous=previous,
                )
                letters[accession] = letter
                previous.append(letter)
            for thread in build_threads(letters.values()):
                yield thread, letters
            produced += len(letters)
            if produced >= total:
                return


def _accession(sender: str, cik: str, company: int, review: int, position: int) -> str:
    prefix = "0000000000" if sender == "sec" else cik
    serial = (company * 40 + review * 10 + position) % 1_000_000
    year = 5 + (company // 25_000) % 20
    return f"{prefix}-{year:02d}-{serial:06d}"


def _recast(
    source: Letter,
    *,
    accession: str,
    cik: str,
    company: str,
    number: str,
    when: date,
    previous: list[Letter],
) -> Letter:
    """The source letter's text and comments under a new company, date and accession."""
    cited = tuple(
        CitedDate(p.letter_date or when, "response" if p.sender == "company" else "staff_letter")
        for p in previous[-1:]
    )
    reviewed = tuple(
        ReviewedFiling(f.form, f.period_end, f.filed_on) for f in source.reviewed_filings
    )
    return replace(
        source,
        accession=accession,
        ciks=(cik,),
        company=company,
        file_numbers=(number,),
        letter_date=when,
        filing_date=when,
        released_on=when + timedelta(days=45),
        reviewed_filings=reviewed,
        cited_dates=cited,
        cik_reference=None,
        extra={"sic": source.extra.get("sic") or "7372", "state_of_incorporation": "DE"},
    )


def actions(
    total: int, targets: Targets, samples: tuple[list[Thread], dict[str, Letter]]
) -> Iterator[dict[str, Any]]:
    for thread, letters in generate(total, *samples):
        for member in thread.letters:
            letter = letters[member.accession]
            yield {
                "_index": targets.letters,
                "_id": letter.accession,
                "_source": letter_document(letter, thread_id=thread.thread_id),
            }
        for document in comment_documents(thread, letters):
            yield {"_index": targets.comments, "_id": document["comment_id"], "_source": document}
        yield {
            "_index": targets.threads,
            "_id": thread.thread_id,
            "_source": thread_document(thread, letters),
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=300_000)
    parser.add_argument("--prefix", default="scale-")
    parser.add_argument(
        "--url", default=os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:9250")
    )
    parser.add_argument("--threads", type=int, default=2, help="parallel bulk connections")
    args = parser.parse_args()
    es = Elasticsearch(args.url, request_timeout=120)
    names = index_names(args.prefix)
    targets = ensure_schema(es, names)
    es.indices.put_settings(
        index=",".join((targets.letters, targets.comments, targets.threads)),
        settings={"index": {"refresh_interval": "-1"}},
    )
    samples = sample_threads()  # normalizing the real letters is not part of the measure
    started = time.perf_counter()
    letters = documents = 0
    for ok, item in parallel_bulk(
        es,
        actions(args.letters, targets, samples),
        thread_count=args.threads,
        chunk_size=1000,
        queue_size=6,
        raise_on_error=False,
    ):
        documents += 1
        if not ok:
            print("failed:", item)
        elif next(iter(item.values()))["_index"].startswith(f"{args.prefix}letters"):
            letters += 1
    elapsed = time.perf_counter() - started
    es.indices.put_settings(
        index=",".join((targets.letters, targets.comments, targets.threads)),
        settings={"index": {"refresh_interval": None}},
    )
    es.indices.refresh(index=f"{args.prefix}*")
    es.indices.forcemerge(index=f"{args.prefix}*", max_num_segments=1, wait_for_completion=True)
    stats = es.indices.stats(index=f"{args.prefix}*", metric="store,docs")["_all"]["primaries"]
    rate = letters / elapsed
    print(
        f"scale corpus: {letters:,} letters ({documents:,} documents with comments and "
        f"threads) indexed in {elapsed:.0f} s"
    )
    print(
        f"  indexing: {rate:,.0f} letters/s   ({rate / TARGET_LETTERS_PER_SECOND:.2f}x the "
        f"{TARGET_LETTERS_PER_SECOND:,}/s target)"
    )
    print(
        f"  index size on disk: {stats['store']['size_in_bytes'] / 1e9:.2f} GB "
        f"({stats['docs']['count']:,} documents)"
    )
    return 0 if rate >= TARGET_LETTERS_PER_SECOND else 1


_NAMES = [
    "Acme",
    "Northwind",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Tyrell",
    "Cyberdyne",
    "Soylent",
    "Hooli",
    "Vandelay",
    "Pied Piper",
    "Wonka",
    "Oscorp",
]
_SUFFIXES = [
    "Holdings, Inc.",
    "Corp.",
    "Technologies Ltd.",
    "Group plc",
    "Energy Co.",
    "Financial Corp.",
    "Pharmaceuticals, Inc.",
    "Industries LLC",
]


if __name__ == "__main__":
    raise SystemExit(main())
