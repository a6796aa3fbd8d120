"""Who used the CPU during a bench run: Elasticsearch, the API process and the bench itself.

On a 2-core machine the node, ``corresp serve`` and the load generator share the cores, so a
latency figure alone does not say where to save. ``CpuMeter`` reads the CPU time of each
(Elasticsearch's own ``process.cpu.total_in_millis`` from ``_nodes/stats``, summed over the
nodes; the API process from ``/proc/<pid>/stat``; the bench from ``time.process_time``)
before and after a run, and ``CpuSplit`` prints it per request.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

__all__ = ["CpuMeter", "CpuSplit"]

_TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class CpuReading:
    """CPU milliseconds used so far by each party, and the wall clock (ms)."""

    es_ms: float
    api_ms: float
    bench_ms: float
    wall_ms: float


@dataclass(frozen=True)
class CpuSplit:
    """CPU used between two readings, per request."""

    es_ms: float
    api_ms: float
    bench_ms: float
    busy: float
    """The share of all cores' time the three used together (1.0: every core busy)."""

    def describe(self) -> str:
        return (
            f"CPU per request: Elasticsearch {self.es_ms:.1f} ms, API {self.api_ms:.1f} ms, "
            f"load generator {self.bench_ms:.1f} ms (cores {self.busy:.0%} busy)"
        )


class CpuMeter:
    """Reads the CPU time of the node(s) at ``es_url`` and of the API process ``api_pid``."""

    def __init__(self, es_url: str, api_pid: int) -> None:
        self.es_url = es_url.rstrip("/")
        self.api_pid = api_pid

    def read(self) -> CpuReading:
        return CpuReading(
            es_ms=self._es_ms(),
            api_ms=_process_ms(self.api_pid),
            bench_ms=time.process_time() * 1000,
            wall_ms=time.perf_counter() * 1000,
        )

    def split(self, before: CpuReading, after: CpuReading, *, requests: int) -> CpuSplit:
        es_ms = after.es_ms - before.es_ms
        api_ms = after.api_ms - before.api_ms
        bench_ms = after.bench_ms - before.bench_ms
        wall_ms = max(after.wall_ms - before.wall_ms, 1e-9)
        cores = os.cpu_count() or 1
        return CpuSplit(
            es_ms=es_ms / requests,
            api_ms=api_ms / requests,
            bench_ms=bench_ms / requests,
            busy=(es_ms + api_ms + bench_ms) / (wall_ms * cores),
        )

    def _es_ms(self) -> float:
        answer = httpx.get(
            f"{self.es_url}/_nodes/stats/process",
            params={"filter_path": "nodes.*.process.cpu.total_in_millis"},
            timeout=30,
        )
        answer.raise_for_status()
        nodes = answer.json().get("nodes", {})
        return float(sum(node["process"]["cpu"]["total_in_millis"] for node in nodes.values()))


def _process_ms(pid: int) -> float:
    """User plus system CPU time of ``pid`` and its finished children, in milliseconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # After the command name: utime, stime, cutime, cstime are fields 14-17 (1-based).
    ticks = sum(int(value) for value in fields[11:15])
    return ticks * 1000 / _TICKS_PER_SECOND
