"""The web pages against a real node: the API tests' sample letters, and two crafted letters.

The sample letters (14 companies, Las Vegas Sands' four-round 2022 review among them) are
indexed once for this package by the fixtures of ``tests/es/api/conftest.py``, reused here.
``crafted`` indexes, under its own prefix, a staff letter and its response whose text and
company name hold markup (``<script>alert(1)</script>``, ``<b>``), to check that every page
shows them as text.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch
from fastapi.testclient import TestClient

from api.app import create_app
from indexer.incoming import IncomingLetter, TextSource
from indexer.ingest import Ingester
from indexer.lifecycle import ensure_schema, index_names
from tests.es.api.conftest import (  # noqa: F401 - fixtures shared with the API tests
    api_settings,
    client,
    indexed,
    settings,
)
from tests.unit.web.page_parts import Element, parse_page

CRAFTED_STAFF = "0000000000-23-999901"
CRAFTED_RESPONSE = "0009999999-23-000001"
CRAFTED_CIK = "9999999"
CRAFTED_COMPANY = "Evil <b>Widgets</b> Inc."
CRAFTED_WORD = "zyxwidgets"

_RE_BLOCK = """Re: Evil Widgets Inc.
Form 10-K for the Fiscal Year Ended December 31, 2022
Filed February 15, 2023
File No. 001-99999"""
_COMMENT = (
    "1. Please revise your disclosure of the <script>alert(1)</script> widget risk and "
    f"explain the <b>bold</b> claim about {CRAFTED_WORD}."
)
_STAFF_TEXT = f"""March 1, 2023

Jane Doe
Chief Financial Officer
Evil Widgets Inc.

{_RE_BLOCK}

Dear Ms. Doe:

We have reviewed your filing and have the following comments.

Form 10-K for the Fiscal Year Ended December 31, 2022

Risk Factors, page 5

{_COMMENT}

Sincerely,

Division of Corporation Finance
Office of Technology
"""
_RESPONSE_TEXT = f"""March 15, 2023

VIA EDGAR

Division of Corporation Finance
Office of Technology

{_RE_BLOCK}

Ladies and Gentlemen:

We respond to the comments of the staff in its letter dated March 1, 2023.

Risk Factors, page 5

{_COMMENT}

Response: We will revise the <script>alert(2)</script> {CRAFTED_WORD} disclosure and remove
the <b>bold</b> claim.

Sincerely,

Jane Doe
"""


def crafted_letters() -> list[IncomingLetter]:
    """A staff comment letter (a scan read by OCR) and the company's response, both full of
    markup."""
    common = {
        "ciks": (f"{int(CRAFTED_CIK):010d}",),
        "company": CRAFTED_COMPANY,
        "released_on": date(2023, 4, 3),
    }
    return [
        IncomingLetter(  # as a scan read by OCR with a poor confidence would arrive
            accession=CRAFTED_STAFF,
            form="UPLOAD",
            text=_STAFF_TEXT,
            text_source=TextSource.OCR,
            text_confidence=61.0,
            extraction_warnings=("OCR confidence 61%: the text may contain misread words",),
            filing_date=date(2023, 3, 1),
            header_file_numbers=("001-99999",),
            **common,
        ),
        IncomingLetter(
            accession=CRAFTED_RESPONSE,
            form="CORRESP",
            text=_RESPONSE_TEXT,
            text_source=TextSource.HTML,
            filing_date=date(2023, 3, 15),
            **common,
        ),
    ]


@pytest.fixture(scope="package")
def crafted(
    es: Elasticsearch, es_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """A client of an app over the crafted letters only (own prefix, removed afterwards)."""
    prefix = f"test-web-{uuid.uuid4().hex[:8]}-"
    try:
        targets = ensure_schema(es, index_names(prefix))
        Ingester(es, targets).ingest(crafted_letters())
        data_dir: Path = tmp_path_factory.mktemp("crafted")
        with TestClient(create_app(api_settings(es_url, prefix, data_dir))) as test_client:
            yield test_client
    finally:
        names = list(es.indices.get(index=f"{prefix}*", expand_wildcards="all"))
        if names:
            es.indices.delete(index=",".join(names))
        templates = es.options(ignore_status=404).indices.get_index_template(name=f"{prefix}*")
        for template in templates.get("index_templates", []):
            es.indices.delete_index_template(name=template["name"])


def get_page(test_client: TestClient, url: str, status: int = 200, **params: object) -> Element:
    """The page at ``url``, checked to be HTML with ``status``, as an element tree."""
    response = test_client.get(url, params=params or None)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    root = parse_page(response.text)
    root.source = response.text
    return root
