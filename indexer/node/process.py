"""Running a managed Elasticsearch node: start, stop, purge and inspect its process.

A node plays a ``NodeRole``: by default the single node of config.yaml
(``elasticsearch.managed``, single-node discovery); ``indexer.node.cluster`` gives the members
of a managed loopback cluster their own names, ports, folders and discovery settings. Its
files and the shared distribution cache are placed by ``indexer.node.paths``. A node
listens on 127.0.0.1 only, with security off (loopback only), and never as root: when
started by root it runs as ``elasticsearch.managed.service_user`` through ``runuser``. It
runs in a session of its own, so a Ctrl-C meant for the command that started it does not
reach it: whoever started it stops it (``corresp es down``, ``corresp run`` or ``make run``
on exit).
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from indexer.errors import NodeError, SearchBackendError
from indexer.es_client import make_es_client, wait_until_ready
from indexer.node.distribution import Distribution, ensure_distribution
from indexer.node.paths import NodePaths, default_cache_dir, node_paths, reachable_by_others
from indexer.settings import Settings

__all__ = ["ManagedNode", "NodeRole", "single_node_role"]

Report = Callable[[str], None]
_STOP_TIMEOUT_SECONDS = 60
_MIN_JAVA = {8: 17, 9: 21}


@dataclass(frozen=True)
class NodeRole:
    """Who a managed node is: its name, cluster, ports, folder, heap and discovery."""

    name: str
    cluster: str
    http_port: int
    transport_port: int
    heap: str
    folder: str = ""
    """Folder under the data folder; empty = ``elasticsearch`` (the single node)."""
    discovery: Mapping[str, str] = field(default_factory=lambda: {"discovery.type": "single-node"})


def single_node_role(settings: Settings) -> NodeRole:
    """The single node of ``elasticsearch.managed``."""
    cfg = settings.elasticsearch.managed
    return NodeRole(
        name="corresp-local",
        cluster="corresp",
        http_port=cfg.http_port,
        transport_port=cfg.transport_port,
        heap=cfg.heap,
    )


class ManagedNode:
    """A local node: by default the one described by ``settings.elasticsearch.managed``."""

    def __init__(self, settings: Settings, role: NodeRole | None = None) -> None:
        self.settings = settings
        self.cfg = settings.elasticsearch.managed
        self.role = role or single_node_role(settings)
        self.paths: NodePaths = node_paths(settings.storage.data_dir, self.role.folder)
        self.url = f"http://127.0.0.1:{self.role.http_port}"

    @property
    def cache_dir(self) -> Path:
        configured = self.cfg.distribution_cache_dir
        return Path(configured).expanduser() if configured else default_cache_dir()

    def pid(self) -> int | None:
        """PID of the running node, or ``None`` (a stale PID file is ignored)."""
        try:
            pid = int(self.paths.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if _is_elasticsearch(pid) else None

    def up(self, report: Report, *, wait: bool = True) -> Distribution:
        """Start the node unless it runs; return once the cluster is yellow or green (or at
        once after the launch with ``wait=False``: a cluster member cannot be healthy
        before enough of the others run)."""
        distribution = ensure_distribution(self.cfg, self.cache_dir, report)
        if self.pid() is not None:
            report(f"Elasticsearch is already running (pid {self.pid()}) at {self.url}")
            if wait:
                self._wait_ready()
            return distribution
        java_home = _java_home(self.cfg.java_home, distribution)
        _check_java(java_home, distribution.version)
        self._prepare_dirs(distribution)
        user = self._service_user()
        if user:
            self._chown(user, distribution)
        report(f"Starting Elasticsearch {distribution.version} at {self.url}")
        if self.paths.relocated:
            report(
                f"its files are in {self.paths.root} ({self.paths.link} links there): the "
                f"service user {user} cannot pass through a parent folder of the data folder"
            )
        self._launch(distribution, java_home, user)
        if wait:
            self._wait_ready()
        state = {"version": distribution.version, "kind": distribution.kind}
        state |= {"home": str(distribution.home), "url": self.url}
        self.paths.state_file.write_text(json.dumps(state))
        return distribution

    def kill(self) -> int | None:
        """SIGKILL the node, as a crash or a lost machine would stop it; return its PID."""
        pid = self.pid()
        if pid is None:
            return None
        os.kill(pid, signal.SIGKILL)
        while _is_elasticsearch(pid):
            time.sleep(0.05)
        return pid

    def down(self, report: Report) -> bool:
        """Stop the node; return whether one was running."""
        pid = self.pid()
        if pid is None:
            self.paths.pid_file.unlink(missing_ok=True)
            report("Elasticsearch is not running")
            return False
        report(f"Stopping Elasticsearch (pid {pid})")
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + _STOP_TIMEOUT_SECONDS
        while _is_elasticsearch(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _is_elasticsearch(pid):
            report("Elasticsearch did not stop in time; killing it")
            os.kill(pid, signal.SIGKILL)
            while _is_elasticsearch(pid):
                time.sleep(0.1)
        self.paths.pid_file.unlink(missing_ok=True)
        return True

    def purge(self, report: Report) -> list[Path]:
        """Stop the node if it runs, then remove its folder (data, logs, config) and the link
        to it; the shared distribution stays. Return what was removed."""
        self.down(report)
        removed = self.paths.purge()
        for path in removed:
            report(f"removed {path}")
        return removed

    def log_tail(self, lines: int = 15) -> str:
        """The last lines of the node's logs, for error messages."""
        candidates = sorted(self.paths.logs.glob("*.log"), key=lambda p: p.stat().st_mtime)
        if not candidates:
            return ""
        text = candidates[-1].read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def _prepare_dirs(self, distribution: Distribution) -> None:
        self.paths.ensure()
        state = self._state()
        if state.get("home") != str(distribution.home) or not self.paths.config.exists():
            shutil.rmtree(self.paths.config, ignore_errors=True)
            shutil.copytree(distribution.home / "config", self.paths.config)

    def _state(self) -> dict[str, str]:
        try:
            state: dict[str, str] = json.loads(self.paths.state_file.read_text())
            return state
        except (OSError, ValueError):
            return {}

    def _service_user(self) -> str | None:
        if os.geteuid() != 0:
            return None
        name = self.cfg.service_user
        try:
            pwd.getpwnam(name)
        except KeyError:
            useradd = shutil.which("useradd")
            if useradd is None:
                raise NodeError(f"cannot create the service user {name!r}: no useradd") from None
            subprocess.run(
                [useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
                check=True,
                capture_output=True,
            )
        return name

    def _chown(self, user: str, distribution: Distribution) -> None:
        entry = pwd.getpwnam(user)
        for top in (self.paths.root, distribution.home):
            if not reachable_by_others(top):
                raise NodeError(
                    f"the service user {user!r} cannot reach {top} (a parent folder is not "
                    "searchable by other users); set elasticsearch.managed."
                    "distribution_cache_dir or storage.data_dir elsewhere"
                )
            for path in [top, *top.rglob("*")]:
                if not path.is_symlink():
                    os.chown(path, entry.pw_uid, entry.pw_gid)

    def _launch(self, distribution: Distribution, java_home: Path, user: str | None) -> None:
        env = {
            "ES_JAVA_HOME": str(java_home),
            "ES_JAVA_OPTS": f"-Xms{self.role.heap} -Xmx{self.role.heap}",
            "ES_PATH_CONF": str(self.paths.config),
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
        }
        settings = {
            "cluster.name": self.role.cluster,
            "node.name": self.role.name,
            **self.role.discovery,
            "network.host": "127.0.0.1",
            "http.port": str(self.role.http_port),
            "transport.port": str(self.role.transport_port),
            "path.data": str(self.paths.data),
            "path.logs": str(self.paths.logs),
            "xpack.security.enabled": "false",
            "cluster.routing.allocation.disk.threshold_enabled": "false",
        }
        command = [
            str(distribution.home / "bin" / "elasticsearch"),
            "-d",
            "-p",
            str(self.paths.pid_file),
        ]
        for key, value in settings.items():
            command += ["-E", f"{key}={value}"]
        env_args = [f"{key}={value}" for key, value in env.items()]
        if user:
            command = ["runuser", "-u", user, "--", "env", *env_args, *command]
        else:
            command = ["env", *env_args, *command]
        with self.paths.launcher_log.open("ab") as log:
            result = subprocess.run(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.paths.logs,
                timeout=self.cfg.startup_timeout_seconds,
                check=False,
                start_new_session=True,
            )
        if result.returncode != 0:
            raise NodeError(
                f"Elasticsearch failed to start (exit {result.returncode}); "
                f"see {self.paths.launcher_log}:\n{self._launcher_tail()}"
            )

    def _launcher_tail(self) -> str:
        try:
            lines = self.paths.launcher_log.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(lines[-15:])

    def _wait_ready(self) -> None:
        es = make_es_client(self.settings.elasticsearch, url=self.url, timeout_seconds=10)
        try:
            wait_until_ready(
                es,
                timeout_seconds=self.cfg.startup_timeout_seconds,
                is_alive=lambda: self.pid() is not None,
            )
        except SearchBackendError as exc:
            raise NodeError(f"{exc}; last log lines:\n{self.log_tail()}") from exc
        finally:
            es.close()


def _is_elasticsearch(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"org.elasticsearch" in cmdline


def _java_home(configured: str, distribution: Distribution) -> Path:
    for candidate in (configured, os.environ.get("ES_JAVA_HOME"), os.environ.get("JAVA_HOME")):
        if candidate:
            return Path(candidate)
    if distribution.bundled_jdk is not None:
        return distribution.bundled_jdk
    java = shutil.which("java")
    if java is None:
        raise NodeError(
            "no JDK found: install a JDK >= 17 or set elasticsearch.managed.java_home "
            "(or ES_JAVA_HOME)"
        )
    return Path(java).resolve().parent.parent


def _check_java(java_home: Path, es_version: str) -> None:
    java = java_home / "bin" / "java"
    if not java.exists():
        raise NodeError(f"{java} does not exist: set elasticsearch.managed.java_home to a JDK")
    result = subprocess.run([str(java), "-version"], capture_output=True, text=True, check=False)
    match = re.search(r'version "(\d+)(?:\.(\d+))?', result.stderr + result.stdout)
    major = int(match.group(1)) if match else 0
    if major == 1 and match and match.group(2):
        major = int(match.group(2))
    needed = _MIN_JAVA.get(int(es_version.split(".", maxsplit=1)[0]), 17)
    if major < needed:
        raise NodeError(
            f"Elasticsearch {es_version} needs Java >= {needed}, but {java} is Java {major}"
        )
