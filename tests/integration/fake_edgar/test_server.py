"""The fake EDGAR over loopback: sample layout, S3 errors, fair-access rules, faults, volume."""

from __future__ import annotations

import gzip
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fake_edgar import FakeEdgar, FakeEdgarConfig, faults, urls
from tests.fake_edgar.synthetic import business_days

pytestmark = [pytest.mark.integration, pytest.mark.samples]

UA = {"User-Agent": "Corresp Tests tests@example.com"}
SMALL = "/Archives/edgar/daily-index/2018/QTR4/master.20181231.idx"
APPLE_UPLOAD = "/Archives/edgar/data/320193/000000000024003505/0000000000-24-003505.txt"
ACCESS_DENIED = "index/errors/full-index_2099_QTR1_form.gz.403.xml"
NO_SUCH_KEY = "json/errors/CIK-000000001.json.404.json"
TITLE = re.compile(r"<title>([^<]*)</title>")
HTTP_URL = re.compile(r"http://[\d.]+:\d+")
PROJECT_ROOT = Path(__file__).resolve().parents[3]

Serve = Callable[..., FakeEdgar]


@pytest.fixture
def serve(samples_dir: Path) -> Iterator[Serve]:
    """Start fake EDGARs with config overrides; all are stopped after the test."""
    with ExitStack() as stack:

        def start(**settings: Any) -> FakeEdgar:
            return stack.enter_context(FakeEdgar(samples_dir, FakeEdgarConfig(**settings)))

        yield start


@pytest.fixture
def edgar(serve: Serve) -> FakeEdgar:
    """A fake EDGAR whose rate limit stays out of the way of content tests."""
    return serve(limit_per_second=10_000)


@pytest.fixture
def client(edgar: FakeEdgar) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=edgar.base_url, headers=UA, timeout=5) as client:
        yield client


def sample(samples_dir: Path, relative: str) -> bytes:
    return (samples_dir / relative).read_bytes()


def must_match(pattern: re.Pattern[str], text: str, *, full: bool = False) -> re.Match[str]:
    match = pattern.fullmatch(text) if full else pattern.search(text)
    assert match is not None, f"{pattern.pattern!r} does not match {text!r}"
    return match


# -- EDGAR URL layout -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "relative", "content_type"),
    [
        (
            "/Archives/edgar/daily-index/2020/QTR1/form.20200318.idx",
            "index/daily-index/form.20200318.idx",
            "text/plain",
        ),
        (SMALL, "index/daily-index/master.20181231.TRIMMED.idx", "text/plain"),
        (
            "/Archives/edgar/full-index/2021/QTR1/form.idx",
            "index/full-index/form.2021QTR1.TRIMMED.idx",
            "text/plain",
        ),
        (
            "/Archives/edgar/daily-index/2018/QTR4/",
            "index/listings/daily-index_2018_QTR4.directory-listing.htm",
            "text/html",
        ),
        (APPLE_UPLOAD, "submissions/0000000000-24-003505.txt", "text/plain"),
        (
            "/Archives/edgar/data/320193/0000320193-24-000061.txt",
            "submissions/0000320193-24-000061.txt",
            "text/plain",
        ),
        (
            "/Archives/edgar/data/1090872/000000000016092800/index.json",
            "filing-index/1090872/000000000016092800/index.json",
            "application/json",
        ),
        (
            "/Archives/edgar/data/1090872/000000000016092800/filename1.pdf",
            "documents/1090872/000000000016092800/filename1.pdf",
            "application/pdf",
        ),
        (
            "/Archives/edgar/data/320193/0000000000-24-003505-index.html",
            "filing-index/0000000000-24-003505-index.html",
            "text/html",
        ),
        ("/submissions/CIK0000320193.json", "json/CIK0000320193.json", "application/json"),
        ("/submissions/CIK0000049826.json", "json/lehigh/CIK0000049826.json", "application/json"),
        (
            "/submissions/CIK0000320193-submissions-001.json",
            "json/CIK0000320193-submissions-001.json",
            "application/json",
        ),
        ("/files/company_tickers.json", "json/company_tickers.json", "application/json"),
        (
            "/LATEST/search-index?q=apple&forms=CORRESP",
            "json/efts/100_hits.json",
            "application/json",
        ),
        ('/LATEST/search-index?q="not there"', "json/efts/0_hits.json", "application/json"),
    ],
)
def test_serves_samples_byte_identical(
    client: httpx.Client, samples_dir: Path, path: str, relative: str, content_type: str
) -> None:
    response = client.get(path)

    assert response.status_code == 200
    assert response.content == sample(samples_dir, relative)
    assert response.headers["content-type"] == content_type
    assert response.headers["etag"].startswith('"')
    assert response.headers["last-modified"].endswith(" GMT")


@pytest.mark.parametrize(
    "path",
    [
        "/Archives/edgar/full-index/2099/QTR1/form.gz",
        "/Archives/edgar/daily-index/2020/QTR2/form.20200318.idx",  # day not in that quarter
        "/Archives/edgar/data/320194/0000000000-24-003505.txt",  # not Apple's CIK
        "/Archives/edgar/data/320193/000000000024003506/0000000000-24-003505.txt",  # wrong folder
        "/Archives/edgar/data/1300514/000000000022005802/filename2.txt",  # attachment not sampled
        "/files/no-such-file.json",
    ],
)
def test_missing_archive_object_is_s3_access_denied(
    client: httpx.Client, samples_dir: Path, path: str
) -> None:
    response = client.get(path)

    assert response.status_code == 403
    assert response.headers["content-type"] == "application/xml"
    assert response.content == sample(samples_dir, ACCESS_DENIED)
    assert b"<Code>AccessDenied</Code>" in response.content


def test_missing_submissions_json_is_s3_no_such_key(
    client: httpx.Client, samples_dir: Path
) -> None:
    response = client.get("/submissions/CIK0000000001.json")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/xml"
    assert response.content == sample(samples_dir, NO_SUCH_KEY)
    assert b"<Code>NoSuchKey</Code>" in response.content


def test_head_sends_length_without_body(client: httpx.Client, samples_dir: Path) -> None:
    response = client.head(APPLE_UPLOAD, headers={"Accept-Encoding": "identity"})

    assert response.status_code == 200
    assert response.content == b""
    expected = len(sample(samples_dir, "submissions/0000000000-24-003505.txt"))
    assert int(response.headers["content-length"]) == expected


# -- HTTP caching and content coding ----------------------------------------------------------


def test_conditional_get_answers_304(client: httpx.Client) -> None:
    first = client.get(SMALL)
    etag, modified = first.headers["etag"], first.headers["last-modified"]

    by_etag = client.get(SMALL, headers={"If-None-Match": etag})
    by_date = client.get(SMALL, headers={"If-Modified-Since": modified})
    stale_etag = client.get(SMALL, headers={"If-None-Match": '"0123"'})
    stale_date = client.get(SMALL, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})

    assert (by_etag.status_code, by_etag.content, by_etag.headers["etag"]) == (304, b"", etag)
    assert (by_date.status_code, by_date.content) == (304, b"")
    assert stale_etag.status_code == stale_date.status_code == 200


def test_gzip_only_when_accepted_and_only_for_text(client: httpx.Client, samples_dir: Path) -> None:
    expected = sample(samples_dir, "submissions/0000000000-24-003505.txt")
    with client.stream("GET", APPLE_UPLOAD, headers={"Accept-Encoding": "gzip"}) as zipped:
        raw = b"".join(zipped.iter_raw())
    plain = client.get(APPLE_UPLOAD, headers={"Accept-Encoding": "identity"})
    pdf = client.get(
        "/Archives/edgar/data/1090872/000000000016092800/filename1.pdf",
        headers={"Accept-Encoding": "gzip"},
    )

    assert zipped.headers["content-encoding"] == "gzip"
    assert gzip.decompress(raw) == expected
    assert "content-encoding" not in plain.headers
    assert plain.content == expected
    assert "content-encoding" not in pdf.headers


# -- overlays ---------------------------------------------------------------------------------


def test_add_file_and_remove_override_samples(
    edgar: FakeEdgar, client: httpx.Client, samples_dir: Path
) -> None:
    custom = urls.daily_index_path(date(2024, 1, 2))
    edgar.add_file(custom, b"generated index\n")
    edgar.add_file("/broken.txt", b"<html>oops</html>", 500, {"Content-Type": "text/html"})
    edgar.remove(APPLE_UPLOAD)
    edgar.remove("/submissions/CIK0000320193.json")

    added = client.get(custom)
    broken = client.get("/broken.txt")
    removed_txt = client.get(APPLE_UPLOAD)
    removed_json = client.get("/submissions/CIK0000320193.json")

    assert (added.status_code, added.content) == (200, b"generated index\n")
    assert added.headers["content-type"] == "text/plain"
    assert (broken.status_code, broken.headers["content-type"]) == (500, "text/html")
    assert removed_txt.status_code == 403
    assert removed_txt.content == sample(samples_dir, ACCESS_DENIED)
    assert removed_json.status_code == 404
    assert removed_json.content == sample(samples_dir, NO_SUCH_KEY)


# -- fair access ------------------------------------------------------------------------------


@pytest.mark.parametrize("user_agent", [None, "python-httpx/0.28.1", "Sample Company Name"])
def test_undeclared_user_agent_gets_403_page(edgar: FakeEdgar, user_agent: str | None) -> None:
    with httpx.Client(base_url=edgar.base_url) as client:
        if user_agent is None:
            del client.headers["User-Agent"]
        else:
            client.headers["User-Agent"] = user_agent
        response = client.get(SMALL)

    assert response.status_code == 403
    assert response.headers["content-type"] == "text/html"
    assert "reserves the right to limit requests originating from undeclared automated tools" in (
        response.text
    )
    assert "Undeclared Automated Tool" in response.text
    assert [(r.user_agent, r.status) for r in edgar.requests] == [(user_agent, 403)]


def test_user_agent_check_can_be_disabled(serve: Serve) -> None:
    edgar = serve(require_user_agent=False)

    assert httpx.get(edgar.url(SMALL)).status_code == 200


def test_requests_are_logged(edgar: FakeEdgar, client: httpx.Client) -> None:
    before = time.time()
    client.head(SMALL)
    client.get("/LATEST/search-index", params={"q": "apple"})

    head, search = edgar.requests
    assert (head.method, head.path, head.status, head.fault) == ("HEAD", SMALL, 200, None)
    assert (search.method, search.path, search.query) == ("GET", "/LATEST/search-index", "q=apple")
    assert head.user_agent == UA["User-Agent"]
    assert head.host == edgar.base_url.removeprefix("http://")
    assert before <= head.wall <= search.wall <= time.time()
    assert head.monotonic <= search.monotonic


def test_limit_is_allowed_exactly(serve: Serve) -> None:
    edgar = serve(block_seconds=1)
    with httpx.Client(base_url=edgar.base_url, headers=UA) as client:
        first = [client.get(SMALL).status_code for _ in range(10)]
        time.sleep(1.05)
        second = [client.get(SMALL).status_code for _ in range(10)]

    assert first == second == [200] * 10
    assert edgar.violations == 0
    assert edgar.max_requests_in_any_window() == 10


@pytest.mark.parametrize("block_status", [403, 429])
def test_eleventh_request_in_a_second_starts_a_block(serve: Serve, block_status: int) -> None:
    edgar = serve(block_seconds=1, block_status=block_status)
    with httpx.Client(base_url=edgar.base_url, headers=UA) as client:
        responses = [client.get(SMALL) for _ in range(11)]

    assert [r.status_code for r in responses] == [200] * 10 + [block_status]
    page = responses[-1]
    assert must_match(TITLE, page.text)[1] == "SEC.gov | Request Rate Threshold Exceeded"
    assert "Retry-After" not in page.headers
    assert edgar.violations == 1
    assert edgar.blocked
    assert edgar.max_requests_in_any_window() == 11
    assert edgar.requests_during_block() == []


def test_requests_during_a_block_extend_it(serve: Serve) -> None:
    edgar = serve(block_seconds=1)
    with httpx.Client(base_url=edgar.base_url, headers=UA) as client:
        burst = [client.get(SMALL).status_code for _ in range(11)]
        time.sleep(0.6)
        inside = client.get(SMALL).status_code  # extends the block to 1.6 s after the burst
        time.sleep(0.6)
        extended = client.get(SMALL).status_code  # would be free without the extension
        time.sleep(1.2)
        after = client.get(SMALL).status_code

    assert burst[-1] == inside == extended == 403
    assert after == 200
    assert edgar.violations == 1
    assert [r.status for r in edgar.requests_during_block()] == [403, 403]


def test_manual_block_is_not_a_violation(serve: Serve) -> None:
    edgar = serve(block_seconds=60)
    with httpx.Client(base_url=edgar.base_url, headers=UA) as client:
        edgar.set_block(True)
        blocked = client.get(SMALL)
        edgar.set_block(False)
        free = client.get(SMALL)

    assert blocked.status_code == 403
    assert "Request Rate Threshold Exceeded" in blocked.text
    assert free.status_code == 200
    assert edgar.violations == 0
    assert len(edgar.requests_during_block()) == 1


# -- latency, concurrency, lifecycle ----------------------------------------------------------


def test_delays_do_not_serialize_concurrent_requests(serve: Serve) -> None:
    edgar = serve(limit_per_second=10_000, delay_ms=(200, 300))
    limits = httpx.Limits(max_connections=20, max_keepalive_connections=20)
    with (
        httpx.Client(base_url=edgar.base_url, headers=UA, limits=limits) as client,
        ThreadPoolExecutor(max_workers=20) as pool,
    ):
        started = time.perf_counter()
        responses = list(pool.map(lambda _: client.get(SMALL), range(40)))
        elapsed = time.perf_counter() - started

    assert all(r.status_code == 200 for r in responses)
    assert all(r.elapsed.total_seconds() >= 0.19 for r in responses)
    assert elapsed < 1.5  # 40 requests of >= 0.2 s each, 20 at a time; serial would be 8 s


def test_stop_is_prompt_with_open_and_held_connections(serve: Serve) -> None:
    edgar = serve(limit_per_second=10_000)
    edgar.inject(APPLE_UPLOAD, "timeout(30)")
    errors: list[Exception] = []

    def held_request() -> None:
        try:
            httpx.get(edgar.url(APPLE_UPLOAD), headers=UA, timeout=60)
        except httpx.HTTPError as exc:
            errors.append(exc)

    with httpx.Client(base_url=edgar.base_url, headers=UA) as idle:
        assert idle.get(SMALL).status_code == 200  # leaves a keep-alive connection open
        holder = threading.Thread(target=held_request)
        holder.start()
        while len(edgar.requests) < 2:
            time.sleep(0.01)
        started = time.perf_counter()
        edgar.stop()
        stopped_in = time.perf_counter() - started
        holder.join(5)

    assert stopped_in < 1.0
    assert not holder.is_alive()
    assert [type(e) for e in errors] == [httpx.RemoteProtocolError]


def test_starts_and_stops_quickly_many_times(samples_dir: Path) -> None:
    started = time.perf_counter()
    for _ in range(20):
        with FakeEdgar(samples_dir) as edgar:
            assert httpx.get(edgar.url(SMALL), headers=UA).status_code == 200

    assert time.perf_counter() - started < 3.0


def test_command_line_serves_until_terminated(samples_dir: Path) -> None:
    command = [sys.executable, "-m", "tests.fake_edgar", "--port", "0", "--synthetic", "3"]
    command += ["--samples", str(samples_dir)]
    with subprocess.Popen(
        command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        watchdog = threading.Timer(20, process.kill)  # never hang the suite on a stuck child
        watchdog.start()
        assert process.stdout is not None
        lines = [process.stdout.readline(), process.stdout.readline()]
        base_url = must_match(HTTP_URL, lines[1])[0]
        status = httpx.get(base_url + SMALL, headers=UA).status_code
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=10)
        watchdog.cancel()

    assert lines[0].startswith("3 synthetic filings")
    assert status == 200
    assert process.returncode == 0, err
    assert "1 requests, peak 1/s, 0 rate-limit violation(s)" in out


# -- faults -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("drop", httpx.RemoteProtocolError),
        (faults.Drop(reset=True), (httpx.ReadError, httpx.RemoteProtocolError)),
        ("truncate(100)", httpx.RemoteProtocolError),
        ("wrong_length", httpx.RemoteProtocolError),
        ("bad_gzip", httpx.DecodingError),
        ("timeout(5)", httpx.ReadTimeout),
        (faults.Truncate(100, stall_seconds=5), httpx.ReadTimeout),
        (faults.SlowBody(seconds=5), httpx.ReadTimeout),
    ],
)
def test_broken_delivery_faults(
    edgar: FakeEdgar, fault: faults.Fault | str, error: type[Exception] | tuple[type[Exception]]
) -> None:
    edgar.inject(APPLE_UPLOAD, fault)
    with httpx.Client(base_url=edgar.base_url, headers=UA, timeout=0.3) as client:
        with pytest.raises(error):
            client.get(APPLE_UPLOAD)
        recovered = client.get(APPLE_UPLOAD)

    assert recovered.status_code == 200
    broken, _ = edgar.requests
    expected = faults.parse(fault) if isinstance(fault, str) else fault
    assert broken.fault == expected.name
    assert broken.status == (200 if expected.answers else None)


@pytest.mark.parametrize(
    ("fault", "status", "marker"),
    [
        ("status(503)", 503, b"Service Unavailable"),
        (faults.Status(502), 502, b"Bad Gateway"),
        ("access_denied", 403, b"<Code>AccessDenied</Code>"),
    ],
)
def test_status_faults(
    edgar: FakeEdgar, client: httpx.Client, fault: str | faults.Fault, status: int, marker: bytes
) -> None:
    edgar.inject(APPLE_UPLOAD, fault)

    failed = client.get(APPLE_UPLOAD)
    recovered = client.get(APPLE_UPLOAD)

    assert failed.status_code == status
    assert marker in failed.content
    assert recovered.status_code == 200


def test_slow_body_arrives_complete_and_late(
    edgar: FakeEdgar, client: httpx.Client, samples_dir: Path
) -> None:
    edgar.inject(APPLE_UPLOAD, "slow_body(0.5)")

    started = time.perf_counter()
    response = client.get(APPLE_UPLOAD)

    assert time.perf_counter() - started >= 0.45
    assert response.content == sample(samples_dir, "submissions/0000000000-24-003505.txt")


def test_fault_times_and_regex_targets(edgar: FakeEdgar, client: httpx.Client) -> None:
    twice = edgar.inject(SMALL, "status(500)", times=2)
    forever = edgar.inject(re.compile(r"/submissions/CIK\d+\.json$"), "status(504)", times=None)

    small = [client.get(SMALL).status_code for _ in range(3)]
    json_pages = [client.get("/submissions/CIK0000320193.json").status_code for _ in range(3)]

    assert small == [500, 500, 200]
    assert json_pages == [504, 504, 504]
    assert (twice.hits, twice.remaining, forever.hits) == (2, 0, 3)


@pytest.mark.parametrize(
    ("route", "status"),
    [
        ("/_fault/status/502", 502),
        ("/_fault/slow/0.2", 200),
        ("/_fault/access_denied", 403),
        ("/_fault/no-such-fault", 403),
    ],
)
def test_fault_routes(edgar: FakeEdgar, client: httpx.Client, route: str, status: int) -> None:
    assert client.get(route).status_code == status
    with pytest.raises(httpx.RemoteProtocolError):
        client.get("/_fault/drop")
    assert [r.fault for r in edgar.requests][1] == "drop"


def test_unknown_fault_is_rejected(edgar: FakeEdgar) -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        edgar.inject(SMALL, "explode")


# -- synthetic volume -------------------------------------------------------------------------

IDX_ROW = re.compile(
    r"(?P<form>.{12})(?P<company>.{62})(?P<cik>\d+) +(?P<filed>[\d-]+) +(?P<file>edgar/data/\S+)"
)


def idx_rows(body: str) -> list[re.Match[str]]:
    lines = body.splitlines()
    rule = lines.index("-" * 141)
    return [must_match(IDX_ROW, line.rstrip(), full=True) for line in lines[rule + 1 :]]


def test_synthetic_filings_are_listed_and_served(serve: Serve, samples_dir: Path) -> None:
    start, end = date(2023, 1, 2), date(2023, 1, 31)
    edgar = serve(limit_per_second=10_000, synthetic=25, synthetic_start=start, synthetic_end=end)
    real_daily = sample(samples_dir, "index/daily-index/form.20200318.idx").decode().splitlines()
    daily: dict[str, date] = {}
    with httpx.Client(base_url=edgar.base_url, headers=UA) as client:
        for day in business_days(start, end):
            response = client.get(urls.daily_index_path(day))
            if response.status_code == 403:
                continue
            lines = response.text.splitlines()
            assert lines[:10] == real_daily[:1] + lines[1:2] + real_daily[2:10]
            assert all(len(line) == 150 for line in lines[10:])
            daily |= {m["file"]: day for m in idx_rows(response.text)}
        quarterly = idx_rows(client.get(urls.full_index_path(2023, 1)).text)
        served = {file: client.get(f"/Archives/{file}").text for file in daily}

    assert sorted(m["file"] for m in quarterly) == sorted(daily)
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", m["filed"]) for m in quarterly)
    listed = {file.rsplit("/", 1)[1].removesuffix(".txt"): file for file in daily}
    assert sorted(listed) == sorted(edgar.synthetic_accessions)
    assert len(set(edgar.synthetic_accessions)) == 25
    for accession, file in listed.items():
        text = served[file]
        assert text.startswith(f"<SEC-DOCUMENT>{accession}.txt : {daily[file]:%Y%m%d}\n")
        assert f"ACCESSION NUMBER:\t\t{accession}\n" in text
        assert f"<SEC-HEADER>{accession}.hdr.sgml" in text


def test_synthetic_submission_keeps_the_template_documents(serve: Serve, samples_dir: Path) -> None:
    edgar = serve(limit_per_second=10_000, synthetic=10)
    with httpx.Client(base_url=edgar.base_url, headers=UA) as client:
        for filing in edgar.synthetic.filings:
            body = client.get(filing.path).content
            template = sample(samples_dir, f"submissions/{filing.template.accession}.txt")
            _, _, documents = template.partition(b"</SEC-HEADER>")
            assert body.endswith(documents)
            assert f"CONFORMED SUBMISSION TYPE:\t{filing.form}".encode() in body
            assert f"FILED AS OF DATE:\t\t{filing.filed:%Y%m%d}".encode() in body
        wrong_cik = client.get(urls.submission_path(1, edgar.synthetic_accessions[0]))

    assert wrong_cik.status_code == 403


def test_synthetic_volume_is_cheap(edgar: FakeEdgar, client: httpx.Client) -> None:
    started = time.perf_counter()
    filings = edgar.synthetic_filings(20_000)
    generated_in = time.perf_counter() - started
    rows = sum(len(idx_rows(client.get(urls.full_index_path(2023, 1)).text)) for _ in range(2))

    assert len(filings) == 20_000
    assert generated_in < 1.0
    assert rows == 40_000
