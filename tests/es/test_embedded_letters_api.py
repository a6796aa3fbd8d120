"""A letter filed inside an S-1/A, imported, indexed and served by its ACCESSION.SEQUENCE id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from api.app import create_app
from indexer.cli.main import cli
from tests.es.api.conftest import api_settings
from tests.integration.test_embedded_letters import ACCESSION, LETTER, s1a_submission

pytestmark = pytest.mark.samples


@pytest.mark.usefixtures("es")
def test_an_embedded_letter_is_searchable_and_served(
    es_url: str, es_prefix: str, vintage_dir: Path, tmp_path: Path
) -> None:
    path = s1a_submission(vintage_dir, tmp_path)
    env = {
        "CORRESP__STORAGE__DATA_DIR": str(tmp_path / "data"),
        "CORRESP__ELASTICSEARCH__URL": es_url,
        "CORRESP__ELASTICSEARCH__INDEX_PREFIX": es_prefix,
    }
    result = CliRunner().invoke(cli, ["import", str(path), "--json"], env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["indexed"] == 1  # one filing, two letters inside

    settings = api_settings(es_url, es_prefix, tmp_path / "api")
    with TestClient(create_app(settings)) as client:
        letter = client.get(f"/letters/{LETTER}")
        by_folder = client.get("/letters/000119312510099603.13")
        page = client.get(f"/letter/{LETTER}")
        search = client.get("/search", params={"q": '"Lotus"', "cik": "1318605"})

    assert letter.status_code == 200, letter.text
    body = letter.json()
    assert (body["accession"], body["form"], body["letter_type"]) == (LETTER, "CORRESP", "response")
    assert len(body["comments"]) == 12
    assert body["url"].endswith(f"/{ACCESSION}-index.htm")  # the S-1/A's page on EDGAR
    assert body["source"]["filed_within"] == f"S-1/A {ACCESSION}"
    assert by_folder.json()["accession"] == LETTER
    assert page.status_code == 200 and "TESLA MOTORS" in page.text
    assert LETTER in {hit["accession"] for hit in search.json()["hits"]}
