"""SEC's ticker map: parsed, cached by file, resolved; downloaded at most daily by the crawler."""

from __future__ import annotations

import os
import time
from pathlib import Path

import httpx
import pytest

from crawler.client import MockTransport, make_client
from crawler.ticker_map import TICKERS_PATH, TickerMapCrawler, refresh_ticker_map
from indexer.data_folder import DataFolder
from indexer.settings import EdgarConfig, Settings
from indexer.watchlists.tickers import (
    load_company_names,
    load_ticker_map,
    parse_company_names,
    parse_ticker_map,
)
from tests.fake_edgar import EdgarApp, mock

UA = "Corresp Tests tests@example.com"
SAMPLE = (
    '{"0":{"cik_str":320193,"ticker":"AAPL","title":"Apple Inc."},'
    '"1":{"cik_str":1300514,"ticker":"lvs","title":"LAS VEGAS SANDS CORP"},'
    '"2":{"cik_str":"x","ticker":"BAD","title":"?"}}'
)


def test_parse_maps_tickers_to_ten_digit_ciks() -> None:
    assert parse_ticker_map(SAMPLE) == {"AAPL": "0000320193", "LVS": "0001300514"}
    for broken in ("[]", "{", '{"0": 1}', '{"0": {"ticker": "A", "cik_str": 0}}'):
        with pytest.raises(ValueError):
            parse_ticker_map(broken)


def test_load_reads_the_file_and_notices_a_new_one(tmp_path: Path) -> None:
    path = DataFolder(tmp_path).ticker_map
    missing = load_ticker_map(path)
    assert (missing.available, missing.resolve(["AAPL"])) == (False, ({}, ["AAPL"]))
    path.write_text(SAMPLE)
    loaded = load_ticker_map(path)
    assert loaded.available
    assert loaded.resolve(["LVS", "NOPE", "aapl"]) == (
        {"LVS": "0001300514", "aapl": "0000320193"},
        ["NOPE"],
    )
    path.write_text('{"0":{"cik_str":1174922,"ticker":"WYNN","title":"WYNN RESORTS LTD"}}')
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 1_000_000_000))
    assert load_ticker_map(path).resolve(["WYNN", "LVS"]) == ({"WYNN": "0001174922"}, ["LVS"])


@pytest.mark.samples
def test_crawler_downloads_the_map_at_most_once_a_day(samples_dir: Path, tmp_path: Path) -> None:
    app = EdgarApp(samples_dir)
    client = make_client(EdgarConfig(user_agent=UA), transport=MockTransport(mock.handler(app)))
    with client:
        first = refresh_ticker_map(client, tmp_path)
        again = refresh_ticker_map(client, tmp_path)
        later = refresh_ticker_map(client, tmp_path, now=lambda: time.time() + 25 * 3600)
    assert (first.outcome, again.outcome, later.outcome) == ("downloaded", "fresh", "downloaded")
    assert first.tickers > 9000
    paths = [record.path for record in app.requests]
    assert paths == [TICKERS_PATH, TICKERS_PATH]
    assert all(record.user_agent == UA for record in app.requests)
    assert load_ticker_map(DataFolder(tmp_path).ticker_map).resolve(["AAPL"])[0] == {
        "AAPL": "0000320193"
    }


def test_a_broken_download_keeps_the_old_map(tmp_path: Path) -> None:
    path = DataFolder(tmp_path).ticker_map
    path.write_text(SAMPLE)
    os.utime(path, (time.time() - 2 * 86400, time.time() - 2 * 86400))

    def broken(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"<html>maintenance</html>", request=request)

    client = make_client(EdgarConfig(user_agent=UA), transport=MockTransport(broken))
    with client:
        result = refresh_ticker_map(client, tmp_path)
    assert result.outcome == "failed"
    assert "not JSON" in result.detail
    assert path.read_text() == SAMPLE
    assert [p.name for p in tmp_path.iterdir()] == ["company_tickers.json"]  # no temporary left


@pytest.mark.samples
def test_crawl_passes_refresh_the_map_beside_the_pass(samples_dir: Path, tmp_path: Path) -> None:
    app = EdgarApp(samples_dir)
    settings = Settings.model_validate(
        {"edgar": {"user_agent": UA}, "storage": {"data_dir": str(tmp_path)}}
    )
    client = make_client(settings.edgar, transport=MockTransport(mock.handler(app)))
    crawler = TickerMapCrawler(settings, client=client)
    try:
        crawler.crawl(ciks=["0000320193"], limit=1)
        # The refresh runs beside the pass (sharing its first turns), done when it returns.
        assert load_ticker_map(DataFolder(tmp_path).ticker_map).available
        first = [record.path for record in app.requests]
        crawler.crawl(ciks=["0000320193"], limit=1)
    finally:
        crawler.close()
    paths = [record.path for record in app.requests]
    assert first.count(TICKERS_PATH) == 1
    assert paths.count(TICKERS_PATH) == 1  # at most once a day
    assert len(first) > 1  # and the pass itself


def test_company_names_by_cik_come_from_the_titles(tmp_path: Path) -> None:
    assert parse_company_names(SAMPLE) == {
        "0000320193": "Apple Inc.",
        "0001300514": "LAS VEGAS SANDS CORP",
    }
    with pytest.raises(ValueError):
        parse_company_names("[]")
    assert load_company_names(tmp_path / "missing.json") == {}
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert load_company_names(broken) == {}
