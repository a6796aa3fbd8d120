"""The web interface as a new user meets it, in headless Chromium (Playwright + Debian's chromium).

A real `corresp serve` runs against a real Elasticsearch node holding sample letters
imported with `corresp import`. Each step saves a screenshot under
``test-output/screenshots/``. No browser is downloaded: Playwright drives the system
Chromium (``/usr/bin/chromium``), which `.ci/run` installs.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from elasticsearch import Elasticsearch
from playwright.sync_api import sync_playwright

from indexer.cli.main import cli
from indexer.incoming import IncomingLetter, TextSource
from indexer.ingest import Ingester
from indexer.lifecycle import ensure_schema, index_names

pytestmark = [pytest.mark.samples, pytest.mark.elasticsearch, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output" / "screenshots"
API_KEY = "browser-tests-key-0123456789"
LVS = "1300514"  # Las Vegas Sands: its 2022 review of the 10-K, four rounds
HELD_BACK = "000130051422000103"  # LVS's last response: imported during the test
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = IncomingLetter(
    accession="0000000000-23-999999",
    form="UPLOAD",
    ciks=("0009999999",),
    company="Example <b>Bold</b> Corp",
    text=(
        "May 1, 2023\n\nRe: Example Corp\nForm 10-K for the Fiscal Year Ended December 31, 2022"
        "\nFile No. 001-99999\n\nDear Sir:\n\nWe have reviewed your filing and have the "
        "following comment.\n\n1. Please explain <script>window.__pwned = 1</script> and "
        '<img src=x onerror="window.__pwned = 2"> pwned in your disclosure.\n\n'
        "Sincerely,\n\nDivision of Corporation Finance\nOffice of Technology"
    ),
    text_source=TextSource.PLAIN,
)
"""A letter whose text carries markup and script: it must only ever be shown as text."""


def _required() -> bool:
    return any(os.environ.get(v, "") not in ("", "0") for v in ("REQUIRE_ES", "REQUIRE_SAMPLES"))


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if _required():
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def site(
    es: Elasticsearch, es_url: str, samples_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """Sample letters indexed under a fresh prefix and a running `corresp serve`."""
    data_dir = tmp_path_factory.mktemp("site")
    # SEC's ticker map, as a crawl leaves it in the data folder: it names the imported companies.
    tickers = "company_tickers.json"
    shutil.copyfile(samples_dir / "json" / tickers, data_dir / tickers)
    prefix = f"browser-{os.getpid()}-"
    held = tmp_path_factory.mktemp("held")
    for tree in ("documents", "filing-index"):  # the letter, and its listing (filing date)
        shutil.copytree(samples_dir / tree / LVS / HELD_BACK, held / tree / LVS / HELD_BACK)
    env = {
        "CORRESP__STORAGE__DATA_DIR": str(data_dir),
        "CORRESP__ELASTICSEARCH__URL": es_url,
        "CORRESP__ELASTICSEARCH__INDEX_PREFIX": prefix,
        "CORRESP__API__KEYS": API_KEY,
    }
    folders = [
        p
        for cik in (LVS, "1551152", "7084", "860731")
        for tree in ("documents", "filing-index")
        for p in sorted((samples_dir / tree / cik).iterdir())
        if p.name != HELD_BACK
    ]
    result = CliRunner().invoke(cli, ["import", *map(str, folders), "--json"], env=env)
    assert result.exit_code == 0, result.output
    targets = ensure_schema(es, index_names(prefix))
    Ingester(es, targets).ingest([HOSTILE])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = (data_dir / "serve.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "indexer", "serve", "--port", str(port)],
        env=os.environ | env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    try:
        yield {"base": base, "env": env, "held": held}
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        found = es.options(ignore_status=404).indices.get(index=f"{prefix}*")
        if found:
            es.indices.delete(index=",".join(found))


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Any]:
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert errors == [], errors  # no JavaScript error on any page


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_search_a_phrase_open_its_thread_and_the_company(site: dict[str, Any], page: Any) -> None:
    page.goto(site["base"] + "/")
    _shot(page, "01-home")
    page.fill("#q", '"Sample Letter to China-Based Companies"')
    page.keyboard.press("Enter")
    page.wait_for_selector(".hit")
    marks = " ".join(page.locator(".hit mark").all_inner_texts())
    assert "China" in marks  # the phrase is highlighted in the snippets
    assert "LAS VEGAS SANDS CORP" in page.locator(".hit").first.inner_text()
    _shot(page, "02-search-phrase")

    page.locator(".facet a[href*='form=UPLOAD'], a.facet[href*='form=UPLOAD']").first.click()
    page.wait_for_selector(".chip")
    assert "form=UPLOAD" in page.url
    assert page.locator(".hit").count() >= 1
    _shot(page, "03-search-filtered")

    page.locator(".hit a.thread-link").first.click()
    page.wait_for_selector(".exchange")
    assert "/thread/" in page.url
    exchange = page.locator(".exchange").first
    assert "Macao" in exchange.locator(".comment").first.inner_text()
    answer = exchange.locator(".answer").first.inner_text()
    assert "acknowledge" in answer.lower()  # the company's answer, beside the comment
    _shot(page, "04-thread")

    page.locator("a.company-link").first.click()
    page.wait_for_selector("a.thread-link")
    assert f"/company/{LVS}" in page.url or "/company/000" in page.url
    assert page.locator("a.thread-link").count() >= 1
    assert "LAS VEGAS SANDS CORP" in page.locator("h1").inner_text()
    assert page.locator("svg").count() >= 1
    _shot(page, "05-company")

    page.goto(site["base"] + "/statistics")
    assert page.locator("svg").count() >= 2
    _shot(page, "06-statistics")


def test_letter_text_with_markup_is_shown_as_text(site: dict[str, Any], page: Any) -> None:
    page.goto(site["base"] + f"/letter/{HOSTILE.accession}")
    page.wait_for_selector(".comment")
    assert "<script>window.__pwned = 1</script>" in page.inner_text("main")
    assert page.evaluate("window.__pwned === undefined")  # shown as text, never executed
    assert page.locator("main img").count() == 0
    page.goto(site["base"] + "/?q=pwned")
    page.wait_for_selector(".hit")
    assert page.evaluate("window.__pwned === undefined")
    _shot(page, "07-letter-with-markup")


def test_watchlist_alert_reaches_the_feed_after_one_ingest(site: dict[str, Any], page: Any) -> None:
    page.goto(site["base"] + "/watch")
    page.fill("#w-name", "Las Vegas Sands")
    page.fill("#w-id", "lvs")
    page.fill("#w-ciks", LVS)
    page.fill("#w-key", "wrong-key-0000000000")
    page.click("button[type=submit]")
    assert page.locator(".notice-error").count() == 1  # refused without the right key
    _shot(page, "08-watchlist-refused")
    page.fill("#w-name", "Las Vegas Sands")
    page.fill("#w-id", "lvs")
    page.fill("#w-ciks", LVS)
    page.fill("#w-since", "2022-01-01")  # the held-back letter is from 2022: history wanted
    page.fill("#w-key", API_KEY)
    page.click("button[type=submit]")
    page.wait_for_url("**/watch/lvs")

    result = CliRunner().invoke(cli, ["import", str(site["held"]), "--json"], env=site["env"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["indexed"] == 1

    feed = httpx.get(site["base"] + "/watchlists/lvs/feed.atom", timeout=10)
    assert feed.headers["content-type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(feed.content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    accession = "0001300514-22-000103"
    assert [e for e in entries if accession in ElementTree.tostring(e, encoding="unicode")]
    page.goto(site["base"] + "/watch/lvs")
    assert accession in page.content()
    _shot(page, "09-watchlist-alert")
