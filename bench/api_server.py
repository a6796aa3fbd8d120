"""`corresp serve` as a subprocess for the API benches: start on a free port, wait, stop.

``running_api(prefix)`` serves the indices whose names start with ``prefix`` (the scale
corpus of ``bench/scale_corpus.py`` is ``scale-``) on a free loopback port and yields its base
URL once ``/health`` answers 200; the server's log goes to ``log_path`` when given, so a bench
can show why requests failed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

from tests.ports import free_port

__all__ = ["api_process", "running_api"]

READY_TIMEOUT_SECONDS = 60.0


@contextmanager
def running_api(prefix: str, *, workers: int = 1, log_path: Path | None = None) -> Iterator[str]:
    """Run ``corresp serve`` on the ``prefix`` indices; yield its base URL while it runs."""
    with api_process(prefix, workers=workers, log_path=log_path) as (base, _server):
        yield base


@contextmanager
def api_process(
    prefix: str, *, workers: int = 1, log_path: Path | None = None, url: str | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``running_api`` that also yields the server process (to read its memory). The server
    talks to ``url`` when given (a bench's ``--url``), else to ``ELASTICSEARCH_URL`` or the
    configured cluster."""
    port = free_port()
    env = os.environ | {"CORRESP__ELASTICSEARCH__INDEX_PREFIX": prefix}
    if url := url or os.environ.get("ELASTICSEARCH_URL"):
        env["CORRESP__ELASTICSEARCH__URL"] = url
    command = [sys.executable, "-m", "indexer", "serve", "--port", str(port)]
    if workers > 1:
        command += ["--workers", str(workers)]
    with ExitStack() as stack:
        log = (
            stack.enter_context(log_path.open("wb")) if log_path is not None else subprocess.DEVNULL
        )
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_healthy(base, server)
            yield base, server
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_until_healthy(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    last = "no answer"
    with httpx.Client(base_url=base, timeout=10) as client:
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise RuntimeError(f"corresp serve exited with status {server.returncode}")
            try:
                response = client.get("/health")
                if response.status_code == 200:
                    return
                last = f"/health answered {response.status_code}: {response.text[:200]}"
            except httpx.TransportError as exc:
                last = str(exc) or type(exc).__name__
            time.sleep(0.2)
    raise RuntimeError(f"corresp serve not healthy after {READY_TIMEOUT_SECONDS:.0f} s: {last}")
