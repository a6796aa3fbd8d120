"""The API served by a real uvicorn on loopback, from a background thread.

``live_api(app)`` binds ``127.0.0.1`` on a free port, runs the app's lifespan, serves HTTP/1.1
(h11, as ``corresp serve`` does) and yields the base URL; leaving the ``with`` block stops the
server. Requests then go through a real server: its header and request-line limits, its
access log (logger ``uvicorn.access``), its handling of bodies the app does not read.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

__all__ = ["live_api"]

_START_TIMEOUT_SECONDS = 30.0


@contextmanager
def live_api(app: FastAPI) -> Iterator[str]:
    """``with live_api(app) as url: httpx.get(url + "/health")``."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = int(listener.getsockname()[1])
    config = uvicorn.Config(app, http="h11", lifespan="on", log_config=None, access_log=True)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + _START_TIMEOUT_SECONDS
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listener.close()
