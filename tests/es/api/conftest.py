"""The API against a real node: sample letters of 14 companies indexed once for the package.

Letters come from the real EDGAR samples (``documents/CIK/ACCESSION/``) through the
crawler's extractor and the indexer's ``Ingester``, as a crawl would index them. The header
facts a crawl reads from EDGAR (company name, SIC, state, filing date) are taken from the
samples' submissions JSON and MANIFEST; the release day is taken to be the filing day.
The indices live under a unique prefix and are deleted afterwards.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import re
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from elasticsearch import Elasticsearch
from fastapi.testclient import TestClient

from api.app import create_app
from crawler.company_filings import CompanyFilings
from crawler.extract.letters import letter_from_folder
from indexer.incoming import IncomingLetter
from indexer.ingest import Ingester
from indexer.lifecycle import ensure_schema, index_names
from indexer.settings import Settings

LVS = "1300514"
"""Las Vegas Sands: one 2022 review of a 10-K in four rounds, every comment answered."""
COMPANIES = (
    LVS,
    "7084",  # Archer-Daniels-Midland
    "24741",  # Corning
    "896159",  # Chubb
    "1513761",  # Norwegian Cruise Line
    "1792789",  # DoorDash
    "1048286",  # Marriott
    "1103982",  # Mondelez
    "1506307",  # Kinder Morgan
    "936395",  # Ciena
    "860731",  # Tyler Technologies
    "1174922",  # Wynn Resorts
    "1751008",  # AppLovin
    "813672",  # Cadence Design Systems
)
_FACTS_WITHOUT_JSON = {
    LVS: {"company": "LAS VEGAS SANDS CORP", "sic": "7011", "state_of_incorporation": "NV"}
}
_FILING_DATE = re.compile(r"filingDate (\d{4}-\d{2}-\d{2})")


@dataclasses.dataclass(frozen=True)
class Indexed:
    """What the package's tests may rely on."""

    prefix: str
    letters: int
    companies: tuple[str, ...]


def _filing_dates(samples_dir: Path) -> dict[str, date]:
    """Filing dates by accession, from the MANIFEST notes of the letters' documents."""
    dates: dict[str, date] = {}
    with (samples_dir / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if match := _FILING_DATE.search(row["note"] or ""):
                dates[row["accession"]] = date.fromisoformat(match.group(1))
    return dates


def _company(samples_dir: Path, cik: str) -> dict[str, Any]:
    path = samples_dir / "json" / "lehigh" / f"CIK{int(cik):010d}.json"
    if not path.is_file():
        return _FACTS_WITHOUT_JSON.get(cik, {})
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        "company": data.get("name"),
        "sic": data.get("sic") or None,
        "state_of_incorporation": data.get("stateOfIncorporation") or None,
    }


def sample_letters(samples_dir: Path, ciks: tuple[str, ...] = COMPANIES) -> list[IncomingLetter]:
    """The companies' sample letters with the header facts a crawl would have, and the
    company's filing list (the samples' submissions JSON) to resolve reviewed filings."""
    filed = _filing_dates(samples_dir)
    filings = CompanyFilings(samples_dir / "json")
    letters = []
    for cik in ciks:
        company = _company(samples_dir, cik)
        listed = filings.listed(cik)
        for folder in sorted((samples_dir / "documents" / cik).iterdir()):
            letter = letter_from_folder(folder)
            day = filed.get(letter.accession)
            letters.append(
                dataclasses.replace(
                    letter, filing_date=day, released_on=day, company_filings=listed, **company
                )
            )
    return letters


@pytest.fixture(scope="package")
def indexed(es: Elasticsearch, samples_dir: Path) -> Iterator[Indexed]:
    prefix = f"test-api-{uuid.uuid4().hex[:8]}-"
    try:
        targets = ensure_schema(es, index_names(prefix))
        report = Ingester(es, targets).ingest(sample_letters(samples_dir))
        yield Indexed(prefix, report.letters, COMPANIES)
    finally:
        names = list(es.indices.get(index=f"{prefix}*", expand_wildcards="all"))
        if names:
            es.indices.delete(index=",".join(names))
        templates = es.options(ignore_status=404).indices.get_index_template(name=f"{prefix}*")
        for template in templates.get("index_templates", []):
            es.indices.delete_index_template(name=template["name"])


def api_settings(url: str, prefix: str, data_dir: Path | None = None) -> Settings:
    """Settings pointing the API at ``url`` and the indices under ``prefix``."""
    values: dict[str, Any] = {"elasticsearch": {"url": url, "index_prefix": prefix}}
    if data_dir is not None:
        values["storage"] = {"data_dir": str(data_dir)}
    return Settings.model_validate(values)


@pytest.fixture(scope="package")
def settings(indexed: Indexed, es_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return api_settings(es_url, indexed.prefix, tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="package")
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def assert_error(response: Any, status: int, parameter: str | None = None) -> dict[str, Any]:
    """The API's one error shape, with ``status`` and (when given) the parameter at fault."""
    body = response.json()
    assert response.status_code == status, body
    assert body["ok"] is False
    assert body["status"] == status
    assert isinstance(body["error"], str)
    assert body["error"]
    if parameter is not None:
        assert body.get("parameter") == parameter, body
    return body
