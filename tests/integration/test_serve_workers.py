"""`corresp serve --workers 2` as a real process on loopback: two workers, long keep-alive.

No Elasticsearch is needed: the cluster URL points where nothing listens, and only
``/openapi.json`` (built from the routes) is requested.
"""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli.main import cli
from tests.ports import free_port

STARTUP_SECONDS = 60.0
WORKER_LINE = re.compile(r"Started server process \[(\d+)\]")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[int, Path, subprocess.Popen[bytes]]]:
    """``corresp serve --workers 2`` on a free port: (port, log file, process)."""
    port = free_port()
    env = os.environ | {
        "CORRESP__ELASTICSEARCH__URL": "http://127.0.0.1:9",
        "CORRESP__STORAGE__DATA_DIR": str(tmp_path),
    }
    log = tmp_path / "serve.log"
    command = [sys.executable, "-m", "indexer", "serve", "--port", str(port), "--workers", "2"]
    with log.open("wb") as sink:
        server = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        yield port, log, server
    finally:
        server.terminate()
        server.wait(timeout=30)


def _workers(log: Path) -> set[int]:
    """Pids of the worker processes that finished starting, from uvicorn's log."""
    return {int(pid) for pid in WORKER_LINE.findall(log.read_text(errors="replace"))}


def _get(connection: http.client.HTTPConnection, path: str) -> int:
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    return response.status


def _connected(port: int, deadline: float) -> http.client.HTTPConnection:
    """A connection to the server on ``port``, tried until ``deadline`` (monotonic)."""
    while True:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.connect()
        except ConnectionRefusedError:
            connection.close()
            assert time.monotonic() < deadline, "no worker listening"
            time.sleep(0.2)
        else:
            return connection


def test_two_workers_serve_and_keep_idle_connections_open(
    served: tuple[int, Path, subprocess.Popen[bytes]],
) -> None:
    port, log, server = served
    deadline = time.monotonic() + STARTUP_SECONDS
    while len(_workers(log)) < 2:
        assert server.poll() is None, log.read_text(errors="replace")
        assert time.monotonic() < deadline, log.read_text(errors="replace")
        time.sleep(0.2)
    workers = _workers(log)
    assert server.pid not in workers  # separate processes, not the supervisor itself
    assert "Started parent process" in log.read_text(errors="replace")

    # A worker listens only once its application has started ("Started server process" comes
    # before that), so the first connection waits until one does.
    connection = _connected(port, deadline)
    assert _get(connection, "/openapi.json") == 200
    local = connection.sock.getsockname()
    # Idle past uvicorn's default keep-alive (5 s), then reuse the same connection.
    time.sleep(5.5)
    assert _get(connection, "/openapi.json") == 200
    assert connection.sock.getsockname() == local
    connection.close()

    server.terminate()
    server.wait(timeout=30)
    for pid in workers:  # the workers stop with the supervisor
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_workers_option_is_documented_and_checked() -> None:
    help_text = CliRunner().invoke(cli, ["serve", "--help"]).output
    assert "--workers" in help_text
    assert "Server processes sharing the port" in help_text
    result = CliRunner().invoke(cli, ["serve", "--workers", "0"])
    assert result.exit_code == 2
    assert "--workers" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
