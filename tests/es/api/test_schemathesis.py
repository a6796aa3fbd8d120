"""Requests generated from the OpenAPI document, against the API on the sample letters.

Schemathesis reads the app's own OpenAPI document (built in-process, no I/O) and, for every
operation, generates requests: valid ones, and ones that break the documented parameter and
body schemas. They are sent over HTTP to a real uvicorn (``live_api``) serving the package's
test index with an API key configured, so the watchlist writes are exercised as well as
refused. Every answer must be no server error (nothing >= 500), use a documented status code
and content type, and match the documented response schema.

The run is deterministic (``derandomize``, no example database) and bounded
(``MAX_EXAMPLES`` per operation); ``bench/api_abuse_bench.py`` is the long run. The figures
(requests, statuses, the slowest answer) are printed at the end of the test session.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from api.app import create_app
from indexer.settings import Settings
from tests.conftest import _REPORT_KEY
from tests.es.api.conftest import Indexed
from tests.es.api.live import live_api

pytestmark = pytest.mark.samples

MAX_EXAMPLES = 12
KEY = "schemathesis-key-0123456789"

CONFIG = schemathesis.Config.from_dict(
    {
        "operations": [
            {
                # Each accepted write creates a watchlist (an indexed, refreshed document):
                # the boundary cases of the bodies are all invalid ones, the valid bodies come
                # from the fuzzing phase only.
                "include-method": ["POST", "PUT"],
                "phases": {"coverage": {"generation": {"mode": "negative"}}},
            }
        ]
    }
)
schema = schemathesis.openapi.from_dict(create_app(Settings()).openapi(), config=CONFIG)
NOT_APPLICABLE = [
    # The document types identifiers as plain strings, while the API accepts CIKs, accession
    # numbers, file numbers and watchlist ids in their own forms only (a 400 naming the
    # parameter, checked in test_errors.py): a "valid" string is often not a valid id.
    positive_data_acceptance,
    # The API is forgiving by design: an empty parameter means "not given" (as HTML forms
    # send them) and a saved search's params may be a query string: both are accepted.
    negative_data_rejection,
]


@dataclass
class Tally:
    """What was sent and answered, for the figures."""

    statuses: Counter[int] = field(default_factory=Counter)
    slowest_seconds: float = 0.0

    def line(self) -> str:
        histogram = ", ".join(f"{code}: {n}" for code, n in sorted(self.statuses.items()))
        errors = sum(n for code, n in self.statuses.items() if code >= 500)
        return (
            f"schemathesis: {sum(self.statuses.values())} requests, {errors} server errors, "
            f"slowest {self.slowest_seconds * 1000:.0f} ms, statuses {{{histogram}}}"
        )


@pytest.fixture(scope="module")
def live(indexed: Indexed, es_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir: Path = tmp_path_factory.mktemp("schemathesis")
    settings = Settings.model_validate(
        {
            "elasticsearch": {"url": es_url, "index_prefix": indexed.prefix},
            "storage": {"data_dir": str(data_dir)},
            "api": {"keys": [KEY]},
        }
    )
    with live_api(create_app(settings)) as url:
        yield url


@pytest.fixture(scope="module")
def tally(request: pytest.FixtureRequest) -> Iterator[Tally]:
    counts = Tally()
    yield counts
    if counts.statuses:
        request.config.stash.setdefault(_REPORT_KEY, []).append(counts.line())


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented(case: Any, live: str, tally: Tally) -> None:
    started = time.perf_counter()
    response = case.call(base_url=live, headers={"X-API-Key": KEY}, timeout=30)
    tally.slowest_seconds = max(tally.slowest_seconds, time.perf_counter() - started)
    tally.statuses[response.status_code] += 1
    assert response.status_code < 500, response.text[:500]
    case.validate_response(response, excluded_checks=NOT_APPLICABLE)
