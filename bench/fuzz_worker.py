"""The fuzz run's worker: a child process that runs cases one at a time under limits.

``FuzzWorker`` starts ``serve`` in a spawned process whose address space is capped with
``RLIMIT_AS`` (a case that needs more fails with ``MemoryError`` there) and gives each case a
wall-clock limit: a case that does not answer in time is a hang, and the worker is killed and
replaced. The limit starts once the worker has said it is ready, so a worker slow to start on
a busy machine (spawning re-imports the project) is not taken for a hanging case. A worker
that dies (a crash in native code, the kernel's OOM killer) is replaced too.
``WorkerResult.kind`` says how the case ended: ``ok`` (the check returned an outcome),
``crash`` (the code under test raised something undocumented), ``broken`` (a result broke an
invariant), ``memory``, ``hang`` or ``died``.
"""

from __future__ import annotations

import logging
import multiprocessing
import resource
import time
import traceback
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Literal

from bench.fuzz_targets import FuzzCase
from tests.fuzz.outcome import InvariantError

__all__ = ["FuzzWorker", "WorkerResult"]

ResultKind = Literal["ok", "crash", "broken", "memory", "hang", "died"]

READY = "ready"
"""What a worker sends once it has started, before it takes its first case."""

STARTUP_SECONDS = 120.0
"""How long a new worker may take to start (imports and all) before the run gives up."""


@dataclass(frozen=True, slots=True)
class WorkerResult:
    kind: ResultKind
    status: str | None = None
    """The check's outcome status (``accepted``, ``warned``, ``rejected``) when ``ok``."""
    reason: str | None = None
    """The outcome's reason, or what went wrong (exception and where it was raised)."""
    seconds: float = 0.0
    peak_rss_bytes: int = 0
    """The worker's peak resident memory so far (it runs one target's cases)."""


def serve(connection: Connection, memory_bytes: int) -> None:
    """Run cases received on ``connection`` until it closes; answer each with a result."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    logging.disable(logging.CRITICAL)  # skipped feed entries and the like: counted, not shown
    connection.send(READY)
    while True:
        try:
            case: FuzzCase = connection.recv()
        except EOFError:
            return
        started = time.perf_counter()
        result = _run(case)
        seconds = time.perf_counter() - started
        connection.send(replace(result, seconds=seconds, peak_rss_bytes=_peak_rss_bytes()))


def _peak_rss_bytes() -> int:
    """This process's peak resident memory (``VmHWM``: unlike ``ru_maxrss``, it does not
    include what the parent had used before the worker was spawned)."""
    with Path("/proc/self/status").open(encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _run(case: FuzzCase) -> WorkerResult:
    try:
        outcome = case.run()
    except InvariantError as exc:
        return WorkerResult("broken", reason=f"{exc} ({_where(exc)})")
    except MemoryError as exc:
        return WorkerResult("memory", reason=f"MemoryError ({_where(exc)})")
    except Exception as exc:  # noqa: BLE001 - an undocumented exception is what is counted
        return WorkerResult("crash", reason=f"{type(exc).__name__}: {exc} ({_where(exc)})"[:500])
    return WorkerResult("ok", outcome.status, outcome.reason)


def _where(error: BaseException) -> str:
    """The project frame closest to where ``error`` was raised, as ``file:line in function``."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "/crawler/" in f.filename or "/indexer/" in f.filename]
    frame = (ours or frames or [None])[-1]
    if frame is None:
        return "?"
    path = Path(frame.filename)
    return f"{path.parent.name}/{path.name}:{frame.lineno} in {frame.name}"


class FuzzWorker:
    """One worker process at a time, replaced after a hang, a death or a memory failure."""

    def __init__(self, *, memory_bytes: int, timeout_seconds: float) -> None:
        self.memory_bytes = memory_bytes
        self.timeout_seconds = timeout_seconds
        self._context = multiprocessing.get_context("spawn")
        self._process: multiprocessing.process.BaseProcess | None = None
        self._connection: Connection | None = None
        self.restarts = 0

    def __enter__(self) -> FuzzWorker:
        self._start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop()

    def _start(self) -> None:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=serve, args=(child, self.memory_bytes), daemon=True, name="fuzz-worker"
        )
        process.start()
        child.close()
        self._process, self._connection = process, parent
        problem = self._greeting(parent, process)
        if problem is not None:
            process.kill()
            self._stop()
            raise RuntimeError(f"the fuzz worker {problem}")

    @staticmethod
    def _greeting(
        connection: Connection, process: multiprocessing.process.BaseProcess
    ) -> str | None:
        """Wait for a new worker's ``READY``; what went wrong instead, or ``None``."""
        if not connection.poll(STARTUP_SECONDS):
            return f"did not start in {STARTUP_SECONDS:g} s"
        try:
            greeting = connection.recv()
        except EOFError:
            process.join(timeout=5)
            return f"died while starting (exit code {process.exitcode})"
        return None if greeting == READY else f"said {greeting!r} instead of {READY!r}"

    def _stop(self) -> None:
        if self._connection is not None:
            self._connection.close()
        if self._process is not None:
            self._process.join(timeout=5)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
        self._process = self._connection = None

    def _replace(self) -> None:
        if self._process is not None and self._process.is_alive():
            self._process.kill()
        self._stop()
        self._start()
        self.restarts += 1

    def run(self, case: FuzzCase) -> WorkerResult:
        """Run ``case`` in the worker within the time limit."""
        assert self._connection is not None and self._process is not None
        started = time.perf_counter()
        self._connection.send(case)
        if not self._connection.poll(self.timeout_seconds):
            self._replace()
            return WorkerResult(
                "hang",
                reason=f"no answer in {self.timeout_seconds:g} s",
                seconds=self.timeout_seconds,
            )
        try:
            result: WorkerResult = self._connection.recv()
        except EOFError:
            self._process.join(timeout=5)
            code = self._process.exitcode
            self._replace()
            return WorkerResult(
                "died",
                reason=f"worker died (exit code {code})",
                seconds=time.perf_counter() - started,
            )
        if result.kind == "memory":
            self._replace()
        return result
