"""`corresp parse` and `corresp threads` on real sample files, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli.main import cli

pytestmark = pytest.mark.samples

PUBLIC_FIELDS = {
    "accession",
    "form",
    "sender",
    "filing_date",
    "letter_date",
    "ciks",
    "company",
    "letter_type",
    "file_numbers",
    "reviewed_filings",
    "cited_dates",
    "comments",
    "staff",
    "office",
    "topics",
    "outcomes",
    "text_source",
    "text",
    "warnings",
}


def _json_lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_parse_full_submission_uses_header_and_text_extract(samples_dir: Path) -> None:
    path = samples_dir / "submissions" / "0000000000-24-003505.txt"
    result = CliRunner().invoke(cli, ["parse", str(path), "--json"])
    assert result.exit_code == 0, result.output
    (letter,) = _json_lines(result.stdout)
    assert set(letter) == PUBLIC_FIELDS
    assert letter["sender"] == "sec"
    assert letter["ciks"] == ["0000320193"]
    assert letter["file_numbers"] == ["001-36743"]
    assert letter["text_source"] == "text_extract"
    assert letter["letter_date"] == "2024-04-02"
    assert letter["reviewed_filings"][0]["accession"] == "0000320193-23-000106"
    assert {"date": "2024-03-20", "kind": "response"} in letter["cited_dates"]
    # Two comments; the second has bullet points, which stay part of it.
    assert [c["number"] for c in letter["comments"]] == [1, 2]
    assert letter["comments"][1]["heading"] == "Note 2 - Revenue, page 35"
    assert "quantitative significance" in letter["comments"][1]["text"]


def test_parse_company_folder_and_single_document(samples_dir: Path) -> None:
    folder = samples_dir / "documents" / "1300514"
    result = CliRunner().invoke(cli, ["parse", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    letters = _json_lines(result.stdout)
    assert len(letters) == 9
    response = next(x for x in letters if x["accession"] == "0001300514-22-000075")
    assert response["sender"] == "company"
    assert response["letter_type"] == "response"
    assert response["comments"] and all("response" in c for c in response["comments"])

    document = folder / "000000000022005802" / "filename1.pdf"
    single = CliRunner().invoke(cli, ["parse", str(document), "--form", "UPLOAD", "--json"])
    (letter,) = _json_lines(single.stdout)
    assert letter["accession"] == "0000000000-22-005802"
    assert letter["letter_type"] == "comment"
    assert letter["text_source"] == "pdf_text"


def test_threads_of_a_company(samples_dir: Path) -> None:
    folder = samples_dir / "documents" / "1551152"  # AbbVie: S-4 no-review inside a 10-K review
    result = CliRunner().invoke(cli, ["threads", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    threads = _json_lines(result.stdout)
    by_number = {tuple(t["file_numbers"]): t for t in threads}
    registration = by_number[("333-249277",)]
    periodic = by_number[("001-35565",)]
    assert registration["status"] == "no_review"
    assert periodic["status"] == "closed"
    assert periodic["rounds"] == 2
    assert periodic["letters"][0]["role"] == "comment"
    assert periodic["letters"][-1]["role"] == "closing"
    assert periodic["thread_id"] == periodic["letters"][0]["accession"]


def test_unreadable_input_is_reported_and_the_rest_goes_on(
    tmp_path: Path, samples_dir: Path
) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 not really a pdf")
    good = samples_dir / "submissions" / "0000000000-24-005673.txt"
    result = CliRunner().invoke(cli, ["parse", str(bad), str(good), "--form", "UPLOAD", "--json"])
    letters = _json_lines(result.stdout)
    assert [x["accession"] for x in letters] == ["broken", "0000000000-24-005673"]
    assert letters[0]["text_source"] == "none"
    assert any("unreadable PDF" in w for w in letters[0]["warnings"])
    assert "Traceback" not in result.output


def test_a_configured_taxonomy_replaces_the_built_in_one(tmp_path: Path, samples_dir: Path) -> None:
    taxonomy = tmp_path / "topics.yaml"
    taxonomy.write_text(
        "version: 1\ntopics:\n  - id: macao_gaming\n    label: Macao gaming\n"
        "    description: Comments about operations in Macao.\n    keywords: ['Macao']\n"
    )
    letter = samples_dir / "documents" / "1300514" / "000000000022005802"
    result = CliRunner().invoke(
        cli,
        ["parse", str(letter), "--json"],
        env={"CORRESP__NORMALIZER__TAXONOMY_PATH": str(taxonomy)},
    )
    topics = {t["topic"] for t in _json_lines(result.stdout)[0]["topics"]}
    assert "macao_gaming" in topics
    assert "china_based_issuers" not in topics  # the built-in taxonomy is not used
