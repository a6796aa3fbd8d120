"""The long fuzz run's worker (bench/fuzz_worker.py) bounds every case in memory and time.

A case that allocates past the address-space limit ends as ``memory``, one that does not
answer in time as ``hang``, one that kills its process as ``died``; the worker is replaced
each time and the next case runs normally. The time limit starts when the replacement says it
is ready: on a loaded machine a spawned worker can take over a second to import the project,
which once turned the ``ok`` case after a restart into a ``hang``.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from bench.fuzz_targets import FuzzCase
from bench.fuzz_worker import FuzzWorker
from tests.fuzz.outcome import Outcome, expect


@dataclass(frozen=True)
class Misbehaving(FuzzCase):
    """A case whose ``check`` names what it does instead of checking a parser."""

    def run(self) -> Outcome:
        if self.check == "allocate":
            bytearray(2 * 1024**3)
        elif self.check == "sleep":
            time.sleep(30)
        elif self.check == "exit":
            os._exit(3)
        elif self.check == "break":
            expect(False, "a broken result")
        elif self.check == "raise":
            raise KeyError("surprise")
        return Outcome("accepted")


def test_worker_turns_every_misbehaviour_into_a_result() -> None:
    checks = ("allocate", "ok", "sleep", "exit", "break", "raise", "ok")
    with FuzzWorker(memory_bytes=1024**3, timeout_seconds=1.0) as worker:
        results = [worker.run(Misbehaving("test", n, check, ())) for n, check in enumerate(checks)]
        restarts = worker.restarts

    assert [result.kind for result in results] == [
        "memory",
        "ok",
        "hang",
        "died",
        "broken",
        "crash",
        "ok",
    ]
    assert restarts == 3
    assert results[3].reason == "worker died (exit code 3)"
    assert results[5].reason.startswith("KeyError: 'surprise' (fuzz/test_fuzz_worker.py:")
    assert 0 < results[1].peak_rss_bytes < 1024**3
