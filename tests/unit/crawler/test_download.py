"""Downloading one filing into the raw store, on an in-process EDGAR serving the samples
(crawler.download)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from crawler.client import EdgarClient, MockTransport
from crawler.download import download_filing
from crawler.errors import DownloadError, EdgarNotFoundError, ParseError, RateLimitedError
from crawler.retry import RetryPolicy
from crawler.state import PendingFiling
from crawler.store import RawStore
from crawler.throttle import Throttle
from indexer.settings import EdgarConfig

pytestmark = pytest.mark.samples

UA = "Example Research jane@example.org"
UPLOAD = PendingFiling("0000000000-24-003505", "0000320193", "UPLOAD", 0)
CORRESP = PendingFiling("0000320193-24-000061", "0000320193", "CORRESP", 0)
# Neither has its full submission in the samples: EDGAR's 403 AccessDenied stands in for it.
UPLOAD_2016 = PendingFiling("0000000000-16-092800", "0001090872", "UPLOAD", 0)
UPLOAD_WITH_EXTRACT = PendingFiling("0000000000-22-002263", "0001035267", "UPLOAD", 0)

_FOLDER_PATH = re.compile(r"^/Archives/edgar/data/(\d+)/(\d{18})/([^/]+)$")

Reply = Callable[[httpx.Request], httpx.Response]


def txt_path(filing: PendingFiling) -> str:
    return f"{folder_path(filing)}{filing.accession}.txt"


def folder_path(filing: PendingFiling) -> str:
    return f"/Archives/edgar/data/{int(filing.cik)}/{filing.accession.replace('-', '')}/"


class SampleEdgar:
    """EDGAR's filing folders, served from the samples; absent objects get S3's 403 XML."""

    def __init__(self, samples: Path, overrides: dict[str, Reply] | None = None) -> None:
        self.samples = samples
        self.overrides = overrides or {}
        self.paths: list[str] = []
        self.denied = (samples / "index/errors/full-index_2099_QTR1_form.gz.403.xml").read_bytes()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.paths.append(path)
        assert request.url.host == "www.sec.gov"
        if path in self.overrides:
            return self.overrides[path](request)
        file = self._file(path)
        if file is not None and file.is_file():
            return httpx.Response(200, content=file.read_bytes())
        return httpx.Response(403, content=self.denied, headers={"content-type": "application/xml"})

    def _file(self, path: str) -> Path | None:
        match = _FOLDER_PATH.match(path)
        if match is None:
            return None
        cik, folder, name = match.groups()
        dashed = f"{folder[:10]}-{folder[10:12]}-{folder[12:]}"
        if name == f"{dashed}.txt":
            return self.samples / "submissions" / name
        if name == "index.json":
            return self.samples / "filing-index" / cik / folder / name
        return self.samples / "documents" / cik / folder / name


def body(data: bytes) -> Reply:
    return lambda _request: httpx.Response(200, content=data)


def denied(edgar: SampleEdgar) -> Reply:
    return lambda _request: httpx.Response(
        403, content=edgar.denied, headers={"content-type": "application/xml"}
    )


@pytest.fixture
def store(tmp_path: Path) -> RawStore:
    return RawStore(tmp_path / "raw")


@pytest.fixture
def connect() -> Iterator[Callable[..., EdgarClient]]:
    opened: list[EdgarClient] = []

    def build(edgar: SampleEdgar, **config: object) -> EdgarClient:
        now = [0.0]

        def sleep(seconds: float) -> None:
            now[0] += seconds

        client = EdgarClient(
            EdgarConfig(user_agent=UA, **config),
            throttle=Throttle(10, 660, clock=lambda: now[0], sleep=sleep),
            policy=RetryPolicy(max_attempts=2, base_delay_seconds=0.001, max_delay_seconds=0.001),
            transport=MockTransport(edgar),
            sleep=lambda _seconds: None,
        )
        opened.append(client)
        return client

    yield build
    for client in opened:
        client.close()


def sample(samples_dir: Path, relative: str) -> bytes:
    return (samples_dir / relative).read_bytes()


# -- the normal case: one full submission -------------------------------------------------------


def test_a_full_submission_takes_exactly_one_request(connect, store, samples_dir) -> None:
    edgar = SampleEdgar(samples_dir)
    original = sample(samples_dir, f"submissions/{UPLOAD.accession}.txt")

    downloaded = download_filing(connect(edgar), store, UPLOAD)

    assert edgar.paths == [
        "/Archives/edgar/data/320193/000000000024003505/0000000000-24-003505.txt"
    ]
    assert downloaded.requests == 1
    assert (downloaded.accession, downloaded.adopted, downloaded.problems) == (
        UPLOAD.accession,
        False,
        [],
    )
    assert store.read(downloaded.stored.relative_path) == original
    assert downloaded.stored.sha256 == hashlib.sha256(original).hexdigest()
    assert downloaded.stored.size == len(original)
    assert store.find(UPLOAD.accession) == downloaded.stored


def test_dates_come_from_the_sec_header(connect, store, samples_dir) -> None:
    client = connect(SampleEdgar(samples_dir))

    upload = download_filing(client, store, UPLOAD)
    corresp = download_filing(client, store, CORRESP)

    assert (upload.filing_date, upload.released_on) == (date(2024, 4, 2), date(2024, 6, 14))
    assert (corresp.filing_date, corresp.released_on) == (date(2024, 4, 29), date(2024, 6, 14))


def test_an_already_stored_submission_is_adopted_without_any_request(
    connect, store, samples_dir
) -> None:
    edgar = SampleEdgar(samples_dir)
    kept = store.put_submission(
        UPLOAD.accession, sample(samples_dir, f"submissions/{UPLOAD.accession}.txt")
    )

    downloaded = download_filing(connect(edgar), store, UPLOAD)

    assert edgar.paths == []
    assert (downloaded.adopted, downloaded.requests, downloaded.stored) == (True, 0, kept)
    assert (downloaded.filing_date, downloaded.released_on) == (date(2024, 4, 2), date(2024, 6, 14))


def test_already_stored_documents_are_adopted_without_any_request(
    connect, store, samples_dir
) -> None:
    edgar = SampleEdgar(samples_dir)
    kept = store.put_documents(UPLOAD_2016.accession, {"filename1.pdf": b"%PDF-"})

    downloaded = download_filing(connect(edgar), store, UPLOAD_2016)

    assert edgar.paths == []
    assert (downloaded.adopted, downloaded.requests, downloaded.stored) == (True, 0, kept)


def test_a_truncated_submission_is_refused_and_nothing_is_stored(
    connect, store, samples_dir
) -> None:
    original = sample(samples_dir, f"submissions/{UPLOAD.accession}.txt")
    edgar = SampleEdgar(samples_dir, {txt_path(UPLOAD): body(original[: len(original) // 2])})

    with pytest.raises(ParseError, match="truncated") as caught:
        download_filing(connect(edgar), store, UPLOAD)

    assert "truncated" in caught.value.reason
    assert len(edgar.paths) == 1
    assert store.find(UPLOAD.accession) is None
    assert store.accessions() == set()


def test_a_submission_of_another_accession_is_refused(connect, store, samples_dir) -> None:
    other = sample(samples_dir, "submissions/0000000000-24-005673.txt")
    edgar = SampleEdgar(samples_dir, {txt_path(UPLOAD): body(other)})

    with pytest.raises(ParseError, match="0000000000-24-005673") as caught:
        download_filing(connect(edgar), store, UPLOAD)

    assert UPLOAD.accession in caught.value.reason
    assert store.accessions() == set()


# -- the fallback: folder listing plus letter documents -------------------------------------------


def test_an_absent_submission_falls_back_to_the_listing_and_the_letter(
    connect, store, samples_dir
) -> None:
    edgar = SampleEdgar(samples_dir)
    listing = sample(samples_dir, "filing-index/1090872/000000000016092800/index.json")
    letter = sample(samples_dir, "documents/1090872/000000000016092800/filename1.pdf")

    downloaded = download_filing(connect(edgar), store, UPLOAD_2016)

    folder = "/Archives/edgar/data/1090872/000000000016092800/"
    assert edgar.paths == [
        folder + "0000000000-16-092800.txt",
        folder + "index.json",
        folder + "filename1.pdf",
    ]
    assert store.read(downloaded.stored.relative_path) == {
        "index.json": listing,
        "filename1.pdf": letter,
    }
    assert store.find(UPLOAD_2016.accession) == downloaded.stored
    assert len(downloaded.problems) == 1
    assert downloaded.problems[0].startswith("full submission unavailable")
    assert (downloaded.filing_date, downloaded.released_on, downloaded.adopted) == (
        None,
        None,
        False,
    )


def test_a_listed_attachment_missing_on_edgar_is_a_problem_not_a_failure(
    connect, store, samples_dir
) -> None:
    edgar = SampleEdgar(samples_dir)

    downloaded = download_filing(connect(edgar), store, UPLOAD_WITH_EXTRACT)

    folder = "/Archives/edgar/data/1035267/000000000022002263/"
    assert edgar.paths == [
        folder + "0000000000-22-002263.txt",
        folder + "index.json",
        folder + "filename1.pdf",
        folder + "filename2.txt",
    ]
    stored = store.read(downloaded.stored.relative_path)
    assert isinstance(stored, dict)
    assert sorted(stored) == ["filename1.pdf", "index.json"]
    assert stored["filename1.pdf"] == sample(
        samples_dir, "documents/1035267/000000000022002263/filename1.pdf"
    )
    assert "filename2.txt: listed but not on EDGAR" in downloaded.problems


def test_a_submission_over_the_size_limit_falls_back_to_the_documents(
    connect, store, samples_dir
) -> None:
    limit = 1_000_000
    edgar = SampleEdgar(samples_dir, {txt_path(UPLOAD_2016): body(b"x" * (limit + 1))})

    downloaded = download_filing(connect(edgar, max_response_bytes=limit), store, UPLOAD_2016)

    assert [path.rsplit("/", 1)[1] for path in edgar.paths] == [
        "0000000000-16-092800.txt",
        "index.json",
        "filename1.pdf",
    ]
    assert "larger than" in downloaded.problems[0]
    assert set(store.read(downloaded.stored.relative_path)) == {"index.json", "filename1.pdf"}


def test_a_missing_primary_letter_fails_and_nothing_is_stored(connect, store, samples_dir) -> None:
    edgar = SampleEdgar(samples_dir)
    edgar.overrides[folder_path(UPLOAD_2016) + "filename1.pdf"] = denied(edgar)

    with pytest.raises(EdgarNotFoundError):
        download_filing(connect(edgar), store, UPLOAD_2016)

    assert store.accessions() == set()


def test_a_listing_without_any_letter_is_a_parse_error(connect, store, samples_dir) -> None:
    listing = json.dumps(
        {
            "directory": {
                "item": [
                    {"name": "0000000000-16-092800-index.html", "type": "text.gif", "size": ""},
                    {"name": "logo.jpg", "type": "image2.gif", "size": "100"},
                ]
            }
        }
    ).encode()
    edgar = SampleEdgar(samples_dir, {folder_path(UPLOAD_2016) + "index.json": body(listing)})

    with pytest.raises(ParseError, match="no letter document"):
        download_filing(connect(edgar), store, UPLOAD_2016)

    assert store.accessions() == set()


def test_the_request_count_includes_every_request_of_the_fallback(
    connect, store, samples_dir
) -> None:
    edgar = SampleEdgar(samples_dir)

    downloaded = download_filing(connect(edgar), store, UPLOAD_WITH_EXTRACT)

    assert downloaded.requests == len(edgar.paths) == 4


# -- failures that are not about this filing ----------------------------------------------------


def test_a_block_page_aborts_instead_of_falling_back(connect, store, samples_dir) -> None:
    page = b"<html><title>Request Rate Threshold Exceeded</title></html>"
    edgar = SampleEdgar(
        samples_dir,
        {txt_path(UPLOAD): lambda _request: httpx.Response(403, content=page)},
    )

    with pytest.raises(RateLimitedError):
        download_filing(connect(edgar), store, UPLOAD)

    assert all(path.endswith(".txt") for path in edgar.paths)
    assert store.accessions() == set()


def test_server_errors_are_a_download_error_without_fallback(connect, store, samples_dir) -> None:
    edgar = SampleEdgar(samples_dir, {txt_path(UPLOAD_2016): lambda _request: httpx.Response(503)})

    with pytest.raises(DownloadError) as caught:
        download_filing(connect(edgar), store, UPLOAD_2016)

    assert caught.value.status == 503
    assert not isinstance(caught.value, EdgarNotFoundError)
    assert edgar.paths == [txt_path(UPLOAD_2016)] * 2
    assert store.accessions() == set()
