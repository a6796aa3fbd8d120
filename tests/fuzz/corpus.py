"""The real EDGAR samples the fuzzers start from, grouped by the parser that reads them.

``Corpus(samples_dir)`` loads each group on first use: full submissions and ``.nc`` files,
header-only files, index files (the three large daily indexes as windows of 300 rows under
their real preamble, so one case stays fast), ``index.json`` folder listings, submissions
JSON, PDF and HTML letters, filing folders, error bodies, and the extracted text of a fixed
selection of letters (the normalizer's input). Selections are by sorted path, never random,
so a seed and a case number always name the same input.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from crawler.extract.letters import letter_from_folder
from tests.fake_edgar.samples import SampleStore

__all__ = ["Corpus", "LetterSeed"]

_INDEX_WINDOW_ROWS = 300
_INDEX_WINDOWS = 4
_MAX_JSON_BYTES = 500_000


@dataclass(frozen=True, slots=True)
class LetterSeed:
    """The extracted text of one sample letter and the form it was filed as."""

    name: str
    form: str
    text: str


class Corpus:
    """Seed inputs from the samples folder, loaded lazily by group."""

    def __init__(self, samples_dir: Path, *, letters: int = 40) -> None:
        self.root = samples_dir
        self.letter_count = letters
        """How many letters' texts ``letter_texts`` extracts (half PDF, half HTML)."""

    def _read(self, pattern: str) -> list[bytes]:
        return [path.read_bytes() for path in sorted(self.root.glob(pattern))]

    @cached_property
    def submissions(self) -> list[bytes]:
        """Full submissions (``.txt``) and dissemination files (``.nc``)."""
        return self._read("submissions/*.txt") + self._read("submissions/nc/*.nc")

    @cached_property
    def headers(self) -> list[str]:
        """Header-only samples and the header of every submission, as Latin-1 text."""
        texts = [data.decode("latin-1") for data in self._read("submissions/headers/*.txt")]
        for data in self.submissions:
            end = data.find(b"<DOCUMENT>")
            texts.append(data[: end if end != -1 else 20_000].decode("latin-1"))
        return texts

    @cached_property
    def indexes(self) -> list[str]:
        """Index files as text; large ones as windows of rows under their preamble."""
        seeds: list[str] = []
        for path in sorted(self.root.glob("index/*-index/*.idx")):
            lines = path.read_bytes().decode("latin-1").split("\n")
            rule = next((i for i, line in enumerate(lines) if line.startswith("-----")), 0)
            rows = lines[rule + 1 :]
            if len(rows) <= _INDEX_WINDOW_ROWS:
                seeds.append("\n".join(lines))
                continue
            step = len(rows) // _INDEX_WINDOWS
            for window in range(_INDEX_WINDOWS):
                start = window * step
                chosen = rows[start : start + _INDEX_WINDOW_ROWS]
                seeds.append("\n".join(lines[: rule + 1] + chosen))
        return seeds

    @cached_property
    def folder_listings(self) -> list[bytes]:
        """``index.json`` listings of filing folders."""
        return self._read("filing-index/*/*/index.json")

    @cached_property
    def submissions_json(self) -> list[bytes]:
        """data.sec.gov submissions JSON files (main files and older pages)."""
        paths = sorted(self.root.glob("json/CIK*.json")) + sorted(
            self.root.glob("json/lehigh/CIK*.json")
        )
        return [p.read_bytes() for p in paths if p.stat().st_size <= _MAX_JSON_BYTES]

    @cached_property
    def pdfs(self) -> list[bytes]:
        return self._read("documents/*/*/*.pdf")

    @cached_property
    def htmls(self) -> list[bytes]:
        return self._read("documents/*/*/*.htm")

    @cached_property
    def folders(self) -> list[tuple[str, dict[str, bytes]]]:
        """Filing folders as (folder name, {file name: bytes}) with their ``index.json``."""
        found = []
        for folder in sorted(self.root.glob("documents/*/*")):
            documents = {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
            listing = self.root / "filing-index" / folder.parent.name / folder.name / "index.json"
            if listing.is_file():
                documents["index.json"] = listing.read_bytes()
            found.append((folder.name, documents))
        return found

    @cached_property
    def error_bodies(self) -> list[bytes]:
        """EDGAR error responses (S3 XML, JSON 404) and HTML pages."""
        return (
            self._read("index/errors/*")
            + self._read("json/errors/*")
            + self._read("index/listings/*")
            + self._read("filing-index/*.htm*")
        )

    @cached_property
    def letter_texts(self) -> list[LetterSeed]:
        """Extracted text of ``letter_count`` letters, PDFs and HTML alternately."""
        folders = sorted(p for p in self.root.glob("documents/*/*") if p.is_dir())
        has_pdf = {folder: any(folder.glob("*.pdf")) for folder in folders}
        pdf = [folder for folder in folders if has_pdf[folder]]
        html = [folder for folder in folders if not has_pdf[folder]]
        chosen: list[Path] = []
        for group in (pdf, html):
            count = self.letter_count // 2
            step = max(1, len(group) // max(1, count))
            chosen.extend(group[::step][:count])
        forms = self._document_forms()
        seeds = []
        for folder in chosen:
            form = forms.get(f"{folder.parent.name}/{folder.name}")
            letter = letter_from_folder(folder, form=form)
            if letter.text.strip():
                seeds.append(LetterSeed(folder.name, letter.form, letter.text))
        return seeds

    def _document_forms(self) -> dict[str, str]:
        """``CIK/FOLDER`` -> form type, from MANIFEST.tsv's document rows."""
        return {
            "/".join(row.local_path.split("/")[1:3]): row.form
            for row in SampleStore.at(self.root).rows("document")
        }
