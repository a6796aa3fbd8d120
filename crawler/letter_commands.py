"""``corresp parse`` and ``corresp threads``: normalize local letters without Elasticsearch.

Paths may be full submissions (``.txt``, ``.nc``), filing folders in EDGAR's layout
(``…/CIK/ACCESSION/`` with ``filename1.pdf`` or ``.htm``), folders holding either (searched
recursively), or single documents with ``--form``. Reading or understanding a letter never
stops the command: problems are reported per letter (``warnings``), unreadable paths on
standard error with exit status 1.

Reviewed filings resolve to their accessions from submissions JSON files found under
``--filings`` folders (default: the data folder's ``companies/``); nothing is downloaded.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TypedDict

import click

from crawler.company_filings import CompanyFilings
from crawler.extract.letters import letter_from_folder, letters_from_file
from crawler.extract.ocr import OcrOptions
from indexer.cli.context import CliContext, pass_cli
from indexer.cli.output import err, out
from indexer.incoming import IncomingLetter
from indexer.models import LETTER_FORMS
from indexer.normalize.letter import Letter
from indexer.normalize.outcomes import OutcomeRules, outcome_rules_for
from indexer.normalize.pipeline import normalize_letter
from indexer.normalize.threads import build_threads
from indexer.normalize.topics import Taxonomy, taxonomy_for

__all__ = ["parse", "threads"]

_LETTER_FORMS = frozenset(LETTER_FORMS)
_DOCUMENT_SUFFIXES = (".pdf", ".htm", ".html", ".txt")
_SUBMISSION_SUFFIXES = (".txt", ".nc")
_ACCESSION_FOLDER = re.compile(r"^\d{18}$")


class _Failures:
    count = 0


def _letters(
    paths: tuple[Path, ...],
    form: str | None,
    failures: _Failures,
    filings: CompanyFilings,
    ocr: OcrOptions,
) -> Iterator[IncomingLetter]:
    for path in paths:
        try:
            for letter in _letters_at(path, form, ocr):
                listed = filings.listed(letter.ciks[0]) if letter.ciks else ()
                yield replace(letter, company_filings=listed)
        except (OSError, ValueError) as exc:
            failures.count += 1
            err.print(f"[red]error:[/red] {path}: {exc}", highlight=False)


def _letters_at(path: Path, form: str | None, ocr: OcrOptions) -> Iterator[IncomingLetter]:
    if path.is_file():
        yield from letters_from_file(path, form=form, ocr=ocr)
        return
    if not path.is_dir():
        raise FileNotFoundError(f"no such file or folder: {path}")
    files = sorted(p for p in path.iterdir() if p.is_file())
    if _ACCESSION_FOLDER.match(path.name) or any(p.name.startswith("filename") for p in files):
        if any(p.suffix.lower() in _DOCUMENT_SUFFIXES for p in files):
            yield letter_from_folder(path, form=form, ocr=ocr)
        return
    for file in files:
        if file.suffix.lower() in _SUBMISSION_SUFFIXES and _is_submission(file):
            yield from letters_from_file(file, ocr=ocr)
    for child in sorted(p for p in path.iterdir() if p.is_dir()):
        yield from _letters_at(child, form, ocr)


def _is_submission(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(64).lstrip()
    return head.startswith((b"<SEC-DOCUMENT>", b"<SUBMISSION>", b"-----BEGIN PRIVACY"))


_paths = click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path)
)
_form = click.option(
    "--form",
    type=click.Choice(LETTER_FORMS, case_sensitive=False),
    help="Form of single documents whose form cannot be read from the file.",
)
_filings = click.option(
    "--filings",
    "filings_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of companies' submissions JSON (CIK##########.json and older pages, "
    "searched recursively) to resolve reviewed filings to accessions; repeatable. "
    "Default: storage.data_dir/companies.",
)


_no_ocr = click.option(
    "--no-ocr", is_flag=True, help="Do not read scanned PDFs by OCR (crawler.ocr.enabled)."
)


class _Rules(TypedDict):
    taxonomy: Taxonomy
    outcome_rules: OutcomeRules


def _rules(cli_ctx: CliContext) -> _Rules:
    """The configured topic taxonomy and answer-outcome rules."""
    normalizer = cli_ctx.settings.normalizer
    return _Rules(
        taxonomy=taxonomy_for(normalizer.taxonomy_path),
        outcome_rules=outcome_rules_for(normalizer.outcomes_path),
    )


def _ocr(cli_ctx: CliContext, no_ocr: bool) -> OcrOptions:
    options = OcrOptions.from_config(cli_ctx.settings.crawler.ocr)
    return OcrOptions(enabled=False) if no_ocr else options


def _company_filings(cli_ctx: CliContext, folders: tuple[Path, ...]) -> CompanyFilings:
    if folders:
        return CompanyFilings(*folders)
    return CompanyFilings.in_data_dir(cli_ctx.settings.storage.data_dir)


@click.command("parse")
@_paths
@_form
@_filings
@_no_ocr
@click.option("--json", "as_json", is_flag=True, help="One JSON object per letter (JSON Lines).")
@pass_cli
def parse(
    cli_ctx: CliContext,
    *,
    paths: tuple[Path, ...],
    form: str | None,
    filings_dirs: tuple[Path, ...],
    no_ocr: bool,
    as_json: bool,
) -> None:
    """Normalize letters: dates, type, file numbers, reviewed filings, comments, staff.

    PATHS are submissions (.txt, .nc), filing folders (…/CIK/ACCESSION/), folders holding
    them (searched recursively), or single documents (give --form).
    """
    failures = _Failures()
    rules = _rules(cli_ctx)
    filings = _company_filings(cli_ctx, filings_dirs)
    ocr = _ocr(cli_ctx, no_ocr)
    for incoming in _letters(paths, form and form.upper(), failures, filings, ocr):
        letter = normalize_letter(incoming, **rules)
        if as_json:
            sys.stdout.write(json.dumps(letter.to_public_dict(), ensure_ascii=False) + "\n")
        else:
            _print_letter(letter)
    if failures.count:
        raise SystemExit(1)


@click.command("threads")
@_paths
@_form
@_filings
@_no_ocr
@click.option("--json", "as_json", is_flag=True, help="One JSON object per thread (JSON Lines).")
@pass_cli
def threads(
    cli_ctx: CliContext,
    *,
    paths: tuple[Path, ...],
    form: str | None,
    filings_dirs: tuple[Path, ...],
    no_ocr: bool,
    as_json: bool,
) -> None:
    """Group the letters under PATHS into review threads (cycles), by company.

    Uses the same rules as the indexer: the filing under review (its accession, form and
    period), cited letter dates, registration attachments, draft registration continuation,
    closing letters, then file number within 150 days unless the reviewed filings differ.
    Each letter shows the rule that linked it and why.
    """
    failures = _Failures()
    rules = _rules(cli_ctx)
    filings = _company_filings(cli_ctx, filings_dirs)
    ocr = _ocr(cli_ctx, no_ocr)
    letters = [
        normalize_letter(incoming, **rules)
        for incoming in _letters(paths, form and form.upper(), failures, filings, ocr)
        if incoming.form in _LETTER_FORMS
    ]
    for thread in build_threads(letters):
        if as_json:
            sys.stdout.write(json.dumps(thread.to_dict(), ensure_ascii=False) + "\n")
            continue
        closed = f"closed {thread.closed_on}" if thread.closed_on else "not closed"
        out.print(
            f"{thread.thread_id}  {thread.company or thread.ciks[:1]}  {thread.status}, "
            f"{thread.rounds} round(s), opened {thread.opened_on}, {closed}, "
            f"file no. {', '.join(thread.file_numbers) or '-'}",
            highlight=False,
        )
        for member in thread.letters:
            why = f"{member.link_rule}: {member.evidence}" if member.evidence else member.link_rule
            out.print(
                f"    {member.date}  {member.form:8} {member.role:22} {member.accession}  ({why})",
                highlight=False,
            )
        for warning in thread.warnings:
            out.print(f"    warning: {warning}", highlight=False)
    if failures.count:
        raise SystemExit(1)


def _print_letter(letter: Letter) -> None:
    numbers = ", ".join(letter.file_numbers) or "-"
    out.print(
        f"{letter.accession}  {letter.form} {letter.letter_type}  dated {letter.letter_date}  "
        f"file no. {numbers}  {len(letter.comments)} comment(s)",
        highlight=False,
    )
    for warning in letter.warnings:
        out.print(f"    warning: {warning}", highlight=False)
