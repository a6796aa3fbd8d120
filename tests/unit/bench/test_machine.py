"""The machine line every speed bench prints names the processor the figures were taken on."""

from __future__ import annotations

import os
import re

from bench import machine

_INTEL = """processor\t: 0
vendor_id\t: GenuineIntel
cpu family\t: 6
model\t\t: 207
model name\t: Intel(R) Xeon(R) Processor
flags\t\t: fpu vme

processor\t: 1
vendor_id\t: GenuineIntel
cpu family\t: 6
model\t\t: 207
model name\t: Some Other Processor
"""


def test_processor_names_the_model_with_its_family_and_number() -> None:
    assert machine.processor(_INTEL) == "Intel(R) Xeon(R) Processor (family 6, model 207)"


def test_processor_without_cpuinfo_falls_back_to_the_platform() -> None:
    name = machine.processor("")
    assert name and "family" not in name


def test_describe_gives_commit_processor_cores_and_memory() -> None:
    line = machine.describe()
    assert re.match(r"commit [0-9a-f]{7,}|commit unknown", line)
    assert f"{os.cpu_count()} cores" in line
    assert re.search(r"\d+ GiB, Python 3\.\d+\.\d+, load average \d+\.\d\d$", line)
    assert machine.processor() in line
