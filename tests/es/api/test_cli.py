"""``corresp search`` and ``corresp export``: the same service as the API, no HTTP."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli.main import cli
from tests.es.api.conftest import Indexed

pytestmark = pytest.mark.samples


@pytest.fixture
def config(es_url: str, indexed: Indexed, tmp_path: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(
        f"elasticsearch:\n  url: {es_url}\n  index_prefix: {indexed.prefix}\n", encoding="utf-8"
    )
    return path


def _run(config: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--config", str(config), *args])
    return result.exit_code, result.stdout, result.stderr


def test_search_json_matches_the_api(config: Path) -> None:
    code, stdout, stderr = _run(config, "search", '"Adjusted Property EBITDA"', "--json")
    assert code == 0, stderr
    body = json.loads(stdout)
    assert body["total"] == len(body["hits"]) == 2
    assert all("<mark>Adjusted Property EBITDA</mark>" in h["highlights"][0] for h in body["hits"])
    assert "2 of 2 match(es)" in stderr


def test_search_text_shows_hits_and_plain_snippets(config: Path) -> None:
    code, stdout, _ = _run(config, "search", "Macao", "--cik", "1300514", "--limit", "3")
    assert code == 0
    assert "LAS VEGAS SANDS CORP" in stdout
    assert "Macao" in stdout
    assert "<mark>" not in stdout
    assert "&#x27;" not in stdout


def test_search_csv_with_filters_and_a_limit_beyond_one_page(config: Path) -> None:
    code, stdout, stderr = _run(config, "search", "--file-number", "1-32373", "--csv")
    assert code == 0, stderr
    rows = list(csv.DictReader(io.StringIO(stdout)))
    assert len(rows) == 9
    assert {row["file_numbers"] for row in rows} == {"001-32373"}
    code, stdout, _ = _run(config, "search", "--limit", "150", "--json")
    assert code == 0
    assert len(json.loads(stdout)["hits"]) == 150  # two pages of at most 100


def test_search_comments(config: Path) -> None:
    code, stdout, _ = _run(
        config, "search", "goodwill", "--kind", "comments", "--has-response", "--json"
    )
    assert code == 0
    hits = json.loads(stdout)["hits"]
    assert hits
    assert all(hit["response"] for hit in hits)


def test_export_writes_every_match(config: Path, indexed: Indexed, tmp_path: Path) -> None:
    output = tmp_path / "letters.jsonl"
    code, _, stderr = _run(config, "export", "--format", "jsonl", "--output", str(output))
    assert code == 0, stderr
    records = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert len(records) == indexed.letters
    assert f"{indexed.letters} of {indexed.letters} letters written" in stderr
    assert not list(tmp_path.glob(".*.partial"))
    code, stdout, _ = _run(config, "export", "-q", "Macao", "--form", "UPLOAD")
    assert code == 0
    assert stdout.splitlines()[0].startswith("accession,form,letter_type,company")


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["search", "x", "--date-from", "2024-13-01"], "--date-from"),
        (["search", "x", "--cik", "apple"], "--cik"),
        (["search", "x", "--has-response"], "--has-response"),
        (["export", "--file-number", "abc"], "--file-number"),
    ],
)
def test_bad_options_are_usage_errors_naming_the_option(
    config: Path, args: list[str], option: str
) -> None:
    code, _, stderr = _run(config, *args)
    assert code == 2
    assert option in stderr


def test_unreachable_cluster_is_a_one_line_error(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("elasticsearch:\n  url: http://127.0.0.1:9\n", encoding="utf-8")
    code, _, stderr = _run(config, "search", "revenue")
    assert code == 1
    assert "unreachable" in stderr
    assert "Traceback" not in stderr
