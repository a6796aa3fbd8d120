"""Letters filed as documents inside other submissions (a CORRESP document in an S-1/A).

The submission is rebuilt around Tesla's real response letter of 29 April 2010, which EDGAR
holds as document 13 of its S-1/A (Amendment No. 2), 0001193125-10-099603: the real
document with the header and first document of an S-1/A beside it, and a second, empty
CORRESP document (bad input). ``corresp parse`` and ``corresp import`` must find the letters
inside, under the accession plus the document's sequence.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.extract.letters import letter_from_folder
from indexer.cli.main import cli
from tests.fake_edgar import FakeEdgar, FakeEdgarConfig
from tests.integration.crawler.conftest import crawler_env

pytestmark = pytest.mark.samples

ACCESSION = "0001193125-10-099603"
LETTER = f"{ACCESSION}.13"
EMPTY = f"{ACCESSION}.14"
_HEADER = f"""<SEC-DOCUMENT>{ACCESSION}.txt : 20100429
<SEC-HEADER>{ACCESSION}.hdr.sgml : 20100429
<ACCEPTANCE-DATETIME>20100429171533
ACCESSION NUMBER:\t\t{ACCESSION}
CONFORMED SUBMISSION TYPE:\tS-1/A
PUBLIC DOCUMENT COUNT:\t\t3
FILED AS OF DATE:\t\t20100429

FILER:

\tCOMPANY DATA:\t
\t\tCOMPANY CONFORMED NAME:\t\t\tTESLA MOTORS INC
\t\tCENTRAL INDEX KEY:\t\t\t0001318605
\t\tSTANDARD INDUSTRIAL CLASSIFICATION:\tMOTOR VEHICLES & PASSENGER CAR BODIES [3711]

\tFILING VALUES:
\t\tFORM TYPE:\t\tS-1/A
\t\tSEC ACT:\t\t1933 Act
\t\tSEC FILE NUMBER:\t333-164593
</SEC-HEADER>
<DOCUMENT>
<TYPE>S-1/A
<SEQUENCE>1
<FILENAME>ds1a.htm
<DESCRIPTION>AMENDMENT NO. 2 TO FORM S-1
<TEXT>
<HTML><BODY><P>PROSPECTUS (Subject to Completion)</P><P>Tesla Motors, Inc.</P></BODY></HTML>
</TEXT>
</DOCUMENT>
"""
_EMPTY_LETTER = """<DOCUMENT>
<TYPE>CORRESP
<SEQUENCE>14
<FILENAME>filename14.htm
<TEXT>
</TEXT>
</DOCUMENT>
"""


@pytest.fixture
def edgar(samples_dir: Path) -> Iterator[FakeEdgar]:
    with FakeEdgar(samples_dir, FakeEdgarConfig(block_seconds=3)) as server:
        yield server


def s1a_submission(vintage_dir: Path, destination: Path) -> Path:
    """The S-1/A with Tesla's letter as document 13 and an empty CORRESP document 14."""
    letter = (vintage_dir / "documents/1318605/000119312510099603/filename13.htm").read_bytes()
    body = _HEADER.encode() + letter + _EMPTY_LETTER.encode() + b"</SEC-DOCUMENT>\n"
    path = destination / f"{ACCESSION}.txt"
    path.write_bytes(body)
    return path


def test_parse_finds_the_letters_inside_an_s1a(vintage_dir: Path, tmp_path: Path) -> None:
    path = s1a_submission(vintage_dir, tmp_path)
    result = CliRunner().invoke(cli, ["parse", str(path), "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    letters = {entry["accession"]: entry for entry in map(json.loads, result.stdout.splitlines())}

    assert sorted(letters) == [LETTER, EMPTY]
    letter = letters[LETTER]
    assert (letter["form"], letter["letter_type"]) == ("CORRESP", "response")
    assert letter["ciks"] == ["0001318605"]
    assert letter["company"] == "TESLA MOTORS INC"
    assert letter["filing_date"] == "2010-04-29"
    assert letter["file_numbers"] == ["333-164593"]  # from the letter, not the S-1/A header
    assert len(letter["comments"]) == 12
    assert letter["comments"][11]["response"]
    empty = letters[EMPTY]
    assert empty["text_source"] == "none"
    assert any("CORRESP document without any text" in w for w in empty["warnings"])


def test_an_ordinary_filing_has_no_letters(samples_dir: Path) -> None:
    tender_offer = samples_dir / "submissions" / "0001104659-25-002604.txt"  # SC TO-T/A
    result = CliRunner().invoke(cli, ["parse", str(tender_offer), "--json"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_import_stores_the_s1a_for_its_letters(vintage_dir: Path, tmp_path: Path) -> None:
    path = s1a_submission(vintage_dir, tmp_path)
    env = {"CORRESP__STORAGE__DATA_DIR": str(tmp_path / "data")}
    result = CliRunner().invoke(
        cli, ["import", str(path), "--no-index", "--json"], env=env, catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["stored"], summary["embedded_letters"], summary["other_forms"]) == (1, 2, 0)
    status = json.loads(
        CliRunner().invoke(cli, ["status", "--json"], env=env, catch_exceptions=False).stdout
    )
    assert status["filings"] == {"fetched": 1}


def test_a_letter_document_in_a_filing_folder_keeps_its_sequence(vintage_dir: Path) -> None:
    folder = vintage_dir / "documents/1318605/000119312510099603"  # only document 13 is here
    letter = letter_from_folder(folder)
    assert letter.accession == LETTER
    assert letter.form == "CORRESP"
    assert letter.filed_within == f"submission {ACCESSION}"


def test_crawl_cik_looks_inside_registration_filings_only_when_asked(
    vintage_dir: Path, tmp_path: Path, edgar: FakeEdgar
) -> None:
    body = s1a_submission(vintage_dir, tmp_path).read_bytes()
    listing = {
        "cik": "1318605",
        "name": "TESLA MOTORS INC",
        "filings": {
            "recent": {
                "accessionNumber": [ACCESSION],
                "filingDate": ["2010-04-29"],
                "form": ["S-1/A"],
            },
            "files": [],
        },
    }
    edgar.add_file("/submissions/CIK0001318605.json", json.dumps(listing).encode())
    folder = ACCESSION.replace("-", "")
    edgar.add_file(f"/Archives/edgar/data/1318605/{folder}/{ACCESSION}.txt", body)
    runner = CliRunner()

    plain = runner.invoke(
        cli,
        ["crawl", "--cik", "1318605", "--no-index", "--json"],
        env=crawler_env(edgar, tmp_path / "plain"),
    )
    asked = runner.invoke(
        cli,
        ["crawl", "--cik", "1318605", "--embedded-letters", "--no-index", "--json"],
        env=crawler_env(edgar, tmp_path / "asked"),
    )
    refused = runner.invoke(cli, ["crawl", "--embedded-letters"], env=crawler_env(edgar, tmp_path))

    assert plain.exit_code == 0, plain.output
    assert json.loads(plain.stdout)["fetched"] == 0  # an S-1/A is not fetched by default
    assert asked.exit_code == 0, asked.output
    assert json.loads(asked.stdout)["fetched"] == 1, asked.stdout
    assert refused.exit_code == 2
    assert "--embedded-letters needs --cik" in refused.output
