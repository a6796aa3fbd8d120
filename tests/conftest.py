"""Test tiers, a clean environment, and the shared fixtures for samples and Elasticsearch.

Tiers by folder: ``tests/unit`` (no sockets), ``tests/integration`` (real servers on
loopback), ``tests/es`` (a real Elasticsearch node). Tests in ``tests/es`` get the
``elasticsearch`` marker automatically.

- ``ELASTICSEARCH_URL`` names the node (default: the managed node's http://127.0.0.1:9250).
  Unreachable: the test is skipped, or fails when ``REQUIRE_ES=1``.
- ``EDGAR_SAMPLES`` names the real EDGAR samples (default ``../shared/edgar-samples``), and
  ``EDGAR_VINTAGE`` the pre-2016 letters beside them (default ``../shared/edgar-vintage``).
  Missing: skipped, or failure when ``REQUIRE_SAMPLES=1``.
- With ``REQUIRE_ES=1`` or ``REQUIRE_SAMPLES=1`` (as in CI) any skipped test fails the run,
  and so does a run in which no Elasticsearch test passed.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SAMPLES = PROJECT_ROOT.parent / "shared" / "edgar-samples"
DEFAULT_ES_URL = "http://127.0.0.1:9250"


def _required(variable: str) -> bool:
    return os.environ.get(variable, "") not in ("", "0", "false")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        parts = Path(str(item.fspath)).relative_to(PROJECT_ROOT).parts
        if len(parts) > 1 and parts[1] == "es":
            item.add_marker(pytest.mark.elasticsearch)
        if len(parts) > 1 and parts[1] == "integration":
            item.add_marker(pytest.mark.integration)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or exitstatus != 0:
        return
    strict = _required("REQUIRE_ES") or _required("REQUIRE_SAMPLES")
    skipped = reporter.stats.get("skipped", [])
    if strict and skipped:
        reporter.write_line(f"FAILED: {len(skipped)} test(s) skipped under REQUIRE_ES/SAMPLES")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    passed = reporter.stats.get("passed", [])
    es_passed = [r for r in passed if "elasticsearch" in r.keywords]
    if _required("REQUIRE_ES") and not es_passed:
        reporter.write_line("FAILED: REQUIRE_ES=1 but no Elasticsearch test passed")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    elif es_passed:
        reporter.write_line(f"{len(es_passed)} Elasticsearch-backed test(s) passed")


_REPORT_KEY = pytest.StashKey[list[str]]()


@pytest.fixture
def report_figures(request: pytest.FixtureRequest):
    """Record lines of figures (accuracy tables…) printed at the end of the test run."""
    lines = request.config.stash.setdefault(_REPORT_KEY, [])
    return lines.append


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    lines = config.stash.get(_REPORT_KEY, [])
    if lines:
        terminalreporter.section("figures")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's CORRESP configuration."""
    for name in list(os.environ):
        if name.startswith("CORRESP__") or name == "CORRESP_CONFIG":
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """The real EDGAR samples folder."""
    path = Path(os.environ.get("EDGAR_SAMPLES") or DEFAULT_SAMPLES)
    if not (path / "MANIFEST.tsv").is_file():
        message = f"EDGAR samples not found at {path} (set EDGAR_SAMPLES)"
        if _required("REQUIRE_SAMPLES"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def vintage_dir(samples_dir: Path) -> Path:
    """The letters older than 2016 kept beside the samples (``EDGAR_VINTAGE`` overrides)."""
    path = Path(os.environ.get("EDGAR_VINTAGE") or samples_dir.parent / "edgar-vintage")
    if not (path / "MANIFEST.tsv").is_file():
        message = f"vintage EDGAR letters not found at {path} (set EDGAR_VINTAGE)"
        if _required("REQUIRE_SAMPLES"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def es_url() -> str:
    return os.environ.get("ELASTICSEARCH_URL") or DEFAULT_ES_URL


@pytest.fixture(scope="session")
def es(es_url: str) -> Iterator[Elasticsearch]:
    """A client for the test node, once it reports at least yellow health."""
    client = Elasticsearch(es_url, request_timeout=30)
    try:
        health = client.options(request_timeout=15).cluster.health(
            wait_for_status="yellow", timeout="10s"
        )
        ready = not health.get("timed_out")
    except Exception as exc:  # noqa: BLE001 - any failure means "no usable node"
        ready, health = False, {"error": str(exc)}
    if not ready:
        client.close()
        message = f"no Elasticsearch node ready at {es_url}: {health}"
        if _required("REQUIRE_ES"):
            pytest.fail(message)
        pytest.skip(message)
    yield client
    client.close()


@pytest.fixture
def es_prefix(es: Elasticsearch) -> Iterator[str]:
    """A unique index prefix for one test; its indices, aliases and templates are removed."""
    prefix = f"test-{uuid.uuid4().hex[:8]}-"
    yield prefix
    remove_prefix(es, prefix)


def remove_prefix(es: Elasticsearch, prefix: str) -> None:
    """Delete every index (with its aliases) and index template named ``prefix*``."""
    names = list(es.indices.get(index=f"{prefix}*", expand_wildcards="all"))
    if names:
        es.indices.delete(index=",".join(names))
    found = es.options(ignore_status=404).indices.get_index_template(name=f"{prefix}*")
    for template in found.get("index_templates", []):
        es.indices.delete_index_template(name=template["name"])
