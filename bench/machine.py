"""What a bench ran on: the commit, the processor, its cores and memory, and the load.

Speed figures on this project's shared 2-core virtual machines depend on the host they land
on as much as on the code (the same benches measured 1,551 letters/s on an AMD EPYC host and
2,482 on an Intel Xeon one hours later), so every speed bench prints ``describe()`` first and
the README quotes it with each figure.
"""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path

__all__ = ["describe", "processor"]

ROOT = Path(__file__).resolve().parents[1]


def processor(cpuinfo: str | None = None) -> str:
    """The processor's model name with its family and model numbers (``cpuinfo`` is the text
    of ``/proc/cpuinfo``, read when not given), or the platform's name where there is none."""
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            cpuinfo = ""
    fields: dict[str, str] = {}
    for line in cpuinfo.splitlines():
        key, sep, value = line.partition(":")
        if not sep:
            if fields:
                break  # the first processor's block is enough
            continue
        fields.setdefault(key.strip(), value.strip())
    name = fields.get("model name") or platform.processor() or platform.machine() or "unknown"
    if "cpu family" in fields and "model" in fields:
        name += f" (family {fields['cpu family']}, model {fields['model']})"
    return name


def describe() -> str:
    """``commit <hash>; <processor>, <n> cores, <m> GiB, Python <v>, load average <l>``."""
    commit = _git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = _git("status", "--porcelain", "--untracked-files=no")
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"commit {commit}{' with local changes' if dirty else ''}; {processor()}, "
        f"{os.cpu_count()} cores, {memory:.0f} GiB, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.2f}"
    )


def _git(*arguments: str) -> str:
    try:
        run = subprocess.run(
            ["git", *arguments], cwd=ROOT, capture_output=True, text=True, check=False
        )
    except OSError:
        return ""
    return run.stdout.strip()
