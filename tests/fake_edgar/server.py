"""`FakeEdgar`: the app served over HTTP/1.1 on loopback from a background thread.

The stdlib `ThreadingHTTPServer` is used rather than an ASGI server because the faults need the
raw connection: closing or resetting it without a response, declaring a Content-Length the body
never reaches, trickling a body. ASGI servers (uvicorn/h11) turn those into clean 500s or
protocol errors of their own. One thread per connection keeps keep-alive clients with many
requests in flight independent: a delayed or stalled response holds only its own connection.

Stopping is prompt: every wait (latency, `timeout`, `slow_body`) watches a stop event, open
keep-alive connections are shut down, and all handler threads are joined before `stop` returns.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import socketserver
import struct
import sys
import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

from .app import EdgarApp
from .config import FakeEdgarConfig
from .messages import Request

_log = logging.getLogger(__name__)
_POLL_SECONDS = 0.01  # how long `stop` may wait for the accept loop to notice
_IDLE_KEEP_ALIVE_SECONDS = 60.0


class FakeEdgar(EdgarApp):
    """The fake EDGAR on `http://127.0.0.1:<free port>`; use as a context manager::

        with FakeEdgar(samples_dir, FakeEdgarConfig(block_seconds=2)) as edgar:
            crawl(base_url=edgar.base_url)
            assert edgar.max_requests_in_any_window() <= 10

    Everything observable and shapeable (requests, violations, add_file, inject, …) is
    inherited from `EdgarApp`.
    """

    def __init__(
        self,
        samples_dir: str | Path | None = None,
        config: FakeEdgarConfig | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(samples_dir, config)
        self._address = (host, port)
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """`http://host:port` of the running server (no trailing slash)."""
        if self._httpd is None:
            raise RuntimeError("FakeEdgar is not running")
        return f"http://{self._httpd.server_name}:{self._httpd.server_port}"

    def url(self, path: str) -> str:
        """Absolute URL of an EDGAR path on this server."""
        return self.base_url + path

    def start(self) -> FakeEdgar:
        """Bind and listen (the port is ready on return), then serve from a thread."""
        if self._httpd is not None:
            raise RuntimeError("FakeEdgar is already running")
        self._httpd = _HTTPServer(self._address, self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": _POLL_SECONDS},
            name=f"fake-edgar-{self._httpd.server_port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, end every open connection and join all threads."""
        httpd, thread = self._httpd, self._thread
        if httpd is None or thread is None:
            return
        httpd.stopping.set()
        httpd.shutdown()
        thread.join()
        httpd.close_connections()
        httpd.server_close()
        self._httpd = self._thread = None

    def __enter__(self) -> FakeEdgar:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


class _HTTPServer(ThreadingHTTPServer):
    """Thread-per-connection server that tracks its connections so it can end them."""

    request_queue_size = 128
    daemon_threads = True

    def __init__(self, address: tuple[str, int], app: EdgarApp) -> None:
        self.app = app
        self.stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host name (getfqdn), which can stall on DNS.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Wake every handler blocked on its connection so its thread can end."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):  # already closed by its handler
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, _request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            return  # the client went away or the server is stopping
        _log.exception("fake EDGAR failed on a request from %s", client_address)

    def serve(self, handler: _Handler) -> None:
        """Answer one parsed request on `handler`'s connection."""
        length = int(handler.headers.get("Content-Length") or 0)
        if length:
            handler.rfile.read(length)  # request bodies (EFTS POST) are not interpreted
        split = urlsplit(handler.path)
        request = Request(
            method=handler.command,
            path=unquote(split.path),
            query=split.query,
            headers={name.lower(): value for name, value in handler.headers.items()},
        )
        outcome = self.app.handle(request)
        wire = _HandlerWire(handler, self.stopping)
        if wire.pause(self.app.response_delay()):
            outcome.fault.send(outcome.reply, wire)
        else:
            wire.close()


class _Handler(BaseHTTPRequestHandler):
    """Parses HTTP/1.1 requests (keep-alive) and hands them to the server."""

    server: _HTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "FakeEDGAR/1.0"
    disable_nagle_algorithm = True
    timeout = _IDLE_KEEP_ALIVE_SECONDS

    def do_GET(self) -> None:
        self.server.serve(self)

    do_HEAD = do_POST = do_GET  # noqa: N815

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the stdlib's per-request stderr lines; `FakeEdgar.requests` is the log."""


class _HandlerWire:
    """The `faults.Wire` protocol over one `BaseHTTPRequestHandler` exchange."""

    def __init__(self, handler: _Handler, stopping: threading.Event) -> None:
        self._handler = handler
        self._stopping = stopping

    def send_head(self, status: int, headers: Mapping[str, str]) -> None:
        self._handler.send_response(status)
        for name, value in headers.items():
            self._handler.send_header(name, value)
        self._handler.end_headers()

    def send_body(self, data: bytes) -> None:
        if data and self._handler.command != "HEAD":
            self._handler.wfile.write(data)

    def pause(self, seconds: float) -> bool:
        if seconds > 0:
            self._stopping.wait(seconds)
        return not self._stopping.is_set()

    def close(self) -> None:
        self._handler.close_connection = True

    def reset(self) -> None:
        connection = self._handler.connection
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        connection.close()  # the RST goes out when the handler closes its reader
        self._handler.close_connection = True
