"""The main command as a newcomer runs it: `make run` (scripts/run.sh) on a fresh clone.

A copy of the repository without `data/` (as a fresh clone is; the installed `.venv` is
linked, as `make run` installs it first) runs `scripts/run.sh` in a process group of its own,
exactly as a terminal would. The test waits for the example queries the script prints, runs
each one and requires hits, then sends SIGINT to the group, as Ctrl-C does, and checks that
everything the script started has stopped: the API, the scheduler, the demo EDGAR and the
managed Elasticsearch node (on ports of its own, beside the suite's node). Run as root (as
CI runs), the copy lives in a folder closed to other users, so the node's files are placed
under /var/lib/corresp-es; `corresp es down --purge` removes them at the end.

Then the node is started by hand and the script run again: Ctrl-C leaves a node that was
running before the script started running.

A second test gives the demo EDGAR samples it cannot read and requires the script to stop
within a minute, naming the log to read.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.conftest import PROJECT_ROOT
from tests.ports import free_port

pytestmark = [pytest.mark.slow, pytest.mark.samples]

READY_SECONDS = 600
STOP_SECONDS = 180
EXAMPLE = re.compile(r"^\s*curl '(?P<url>http://[^']+)'\s*$")
DEMO_EDGAR = re.compile(r"Demo EDGAR at http://127\.0\.0\.1:(?P<port>\d+)")
BACKFILL = re.compile(r"^backfill: (?P<listed>\d+) listed .*?, (?P<requests>\d+) requests in")
_SKIPPED = {".git", ".venv", "data", "test-output", "__pycache__"}


@dataclass
class Transcript:
    """Lines a process prints, with the moment each arrived."""

    started: float
    lines: list[tuple[float, str]] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)

    def follow(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        with process.stdout:
            for line in process.stdout:
                self.lines.append((time.monotonic(), line.rstrip("\n")))
        self.done.set()

    @property
    def text(self) -> str:
        return "\n".join(line for _, line in self.lines)

    def tail(self, count: int = 40) -> str:
        return "\n".join(line for _, line in self.lines[-count:])


def checkout(destination: Path) -> Path:
    """A copy of the working tree as a fresh clone has it (tracked and new files, no data/),
    with the installed virtual environment linked."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        check=False,
    )
    if listed.returncode == 0:
        names = [name for name in listed.stdout.decode().split("\0") if name]
    else:  # not a git checkout: every file outside the generated folders
        names = [
            path.relative_to(PROJECT_ROOT).as_posix()
            for path in PROJECT_ROOT.rglob("*")
            if path.is_file() and not _SKIPPED & set(path.relative_to(PROJECT_ROOT).parts)
        ]
    for name in names:
        source = PROJECT_ROOT / name
        if source.is_file() and not _SKIPPED & set(Path(name).parts):
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    (destination / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    assert not (destination / "data").exists()
    return destination


def run_env(samples: Path) -> dict[str, str]:
    """The environment of `make run` for a test: own ports for the node and the API."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CORRESP")}
    env |= {
        "EDGAR_SAMPLES": str(samples),
        "CORRESP__ELASTICSEARCH__MANAGED__HTTP_PORT": str(free_port()),
        "CORRESP__ELASTICSEARCH__MANAGED__TRANSPORT_PORT": str(free_port()),
        "CORRESP__ELASTICSEARCH__MANAGED__HEAP": "512m",
        "CORRESP__API__PORT": str(free_port()),
    }
    if cache := os.environ.get("ES_DISTRIBUTION_CACHE"):
        env["CORRESP__ELASTICSEARCH__MANAGED__DISTRIBUTION_CACHE_DIR"] = cache
    return env


def start_run(root: Path, env: dict[str, str]) -> tuple[subprocess.Popen[str], Transcript]:
    """`scripts/run.sh` in a new process group (a terminal's foreground job), output followed."""
    process = subprocess.Popen(
        ["bash", "scripts/run.sh"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    transcript = Transcript(started=time.monotonic())
    threading.Thread(target=transcript.follow, args=(process,), daemon=True).start()
    return process, transcript


def group_members(pgid: int) -> list[int]:
    """Live processes (not zombies) of a process group."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(stat.parent.name))
    return members


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def processes_mentioning(*needles: str) -> list[str]:
    """Command lines of live processes that name any of ``needles``."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if any(needle in text for needle in needles) and alive(int(cmdline.parent.name)):
            found.append(f"{cmdline.parent.name}: {text[:200]}")
    return found


def listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def corresp(root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(root / ".venv" / "bin" / "corresp"), *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def fresh_clone(tmp_path: Path) -> Iterator[Path]:
    root = checkout(tmp_path / "main")
    yield root
    leftovers = processes_mentioning(str(root))
    for line in leftovers:
        os.kill(int(line.split(":", 1)[0]), signal.SIGKILL)


@dataclass
class Session:
    """One `make run` from start to Ctrl-C, and what it showed."""

    transcript: Transcript
    examples: list[str]
    hits: list[int]
    first_answer_seconds: float
    stopped_in_seconds: float
    status: int
    es_pid: int
    ports: dict[str, int]
    group: int


def run_until_ctrl_c(root: Path, env: dict[str, str]) -> Session:
    """Start the script, run every example query it prints, then press Ctrl-C."""
    process, transcript = start_run(root, env)
    try:
        examples = wait_for_examples(process, transcript)
        answered_at = None
        hits = []
        with httpx.Client(timeout=30) as client:
            for url in examples:
                response = client.get(url)
                assert response.status_code == 200, (url, response.text[:500])
                hits.append(int(response.json()["total"]))
                answered_at = answered_at or time.monotonic()
        assert answered_at is not None

        es_pid = int((root / "data" / "elasticsearch" / "es.pid").read_text().strip())
        edgar = DEMO_EDGAR.search(transcript.text)
        assert edgar is not None, transcript.tail()
        ports = {
            "node": int(env["CORRESP__ELASTICSEARCH__MANAGED__HTTP_PORT"]),
            "API": int(env["CORRESP__API__PORT"]),
            "demo EDGAR": int(edgar["port"]),
        }
        members = group_members(process.pid)
        assert alive(es_pid)
        assert all(listening(port) for port in ports.values()), ports
        assert len(members) >= 5, members  # script, demo EDGAR, corresp run, API, scheduler

        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends to the foreground group
        interrupted = time.monotonic()
        status = process.wait(timeout=STOP_SECONDS)
        transcript.done.wait(timeout=10)
        stopped_in = time.monotonic() - interrupted
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert "Traceback" not in transcript.text, transcript.text
    return Session(
        transcript=transcript,
        examples=examples,
        hits=hits,
        first_answer_seconds=answered_at - transcript.started,
        stopped_in_seconds=stopped_in,
        status=status,
        es_pid=es_pid,
        ports=ports,
        group=process.pid,
    )


def test_make_run_answers_its_examples_and_ctrl_c_stops_everything(
    fresh_clone: Path, samples_dir: Path, report_figures
) -> None:
    root = fresh_clone
    env = run_env(samples_dir)
    node_link = root / "data" / "elasticsearch"

    first = run_until_ctrl_c(root, env)

    text = first.transcript.text
    matches = (BACKFILL.match(line) for _, line in first.transcript.lines)
    backfill = next(filter(None, matches), None)
    assert backfill is not None, first.transcript.tail()
    report_figures(
        f"make run on a fresh clone: first example query answered {first.first_answer_seconds:.0f}"
        f" s after start ({len(first.examples)} examples, hits {first.hits}); backfill of "
        f"{backfill['listed']} letters in {backfill['requests']} requests; Ctrl-C stopped "
        f"everything in {first.stopped_in_seconds:.1f} s"
    )
    assert first.status == 130, first.transcript.tail()
    assert len(first.examples) == 3, first.transcript.tail()
    assert all(count >= 1 for count in first.hits), (first.examples, first.hits)
    assert "searchable now: 358 letters" in text
    node_files = node_link.resolve()
    assert group_members(first.group) == []
    assert not alive(first.es_pid)
    assert not any(listening(port) for port in first.ports.values()), first.ports
    assert processes_mentioning(str(root), str(node_files)) == []

    demo_env = env | {"CORRESP__STORAGE__DATA_DIR": str(root / "data" / "demo")}
    summary = json.loads(corresp(root, demo_env, "status", "--json").stdout)
    assert summary["filings"] == {"ingested": 358}
    assert summary["problem_count"] == 0, summary["problems"]

    # A node that was running before `make run` is left running by Ctrl-C.
    up = corresp(root, env, "es", "up", "--json")
    assert up.returncode == 0, up.stderr
    second = run_until_ctrl_c(root, env)
    assert second.es_pid == json.loads(up.stdout)["pid"]
    assert second.status == 130, second.transcript.tail()
    assert "0 new, 358 already stored" in second.transcript.text
    assert all(count >= 1 for count in second.hits)
    assert alive(second.es_pid)
    assert listening(second.ports["node"])
    assert not listening(second.ports["API"]) and not listening(second.ports["demo EDGAR"])
    assert group_members(second.group) == []

    purge = corresp(root, env, "es", "down", "--purge")
    assert purge.returncode == 0, purge.stderr
    assert not alive(second.es_pid)
    assert not node_files.exists()
    assert not node_link.exists() and not node_link.is_symlink()


def wait_for_examples(process: subprocess.Popen[str], transcript: Transcript) -> list[str]:
    """The example URLs `corresp run` prints once the API answers."""
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        lines = [line for _, line in transcript.lines]
        if "Try:" in lines:
            after = lines[lines.index("Try:") + 1 :]
            urls = [match["url"] for line in after if (match := EXAMPLE.match(line))]
            if len(urls) == 3:
                return urls
        if process.poll() is not None:
            transcript.done.wait(timeout=10)
            pytest.fail(f"run.sh exited with {process.returncode}:\n{transcript.tail()}")
        time.sleep(0.5)
    pytest.fail(f"no example queries within {READY_SECONDS} s:\n{transcript.tail()}")


def test_a_demo_edgar_that_cannot_start_stops_the_script_naming_its_log(
    fresh_clone: Path, tmp_path: Path
) -> None:
    root = fresh_clone
    broken = tmp_path / "broken-samples"
    broken.mkdir()
    (broken / "MANIFEST.tsv").write_text("not\ta manifest\nat\tall\n")
    process, transcript = start_run(root, run_env(broken))
    try:
        status = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    transcript.done.wait(timeout=10)
    log = root / "data" / "demo" / "edgar.log"

    assert status != 0
    assert "the demo EDGAR did not answer" in transcript.text, transcript.text
    assert f"see {log}" in transcript.text
    assert log.is_file() and log.stat().st_size > 0
    assert group_members(process.pid) == []
    assert "Starting Elasticsearch" not in transcript.text  # stopped before the node
