"""What one fuzz case ended as, and the checks every result must pass.

A check function (``edgar_checks``, ``text_checks``) runs one parser on one input and returns
an ``Outcome``: ``accepted`` (a well-formed result without remarks), ``warned`` (a well-formed
result that says what it could not understand) or ``rejected`` (the parser raised its
documented error). Either way the reason must be a non-empty message. A result that breaks an
invariant raises ``InvariantError``; any other exception escapes, and is the bug the fuzzers
look for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from indexer.errors import CorrespError

__all__ = [
    "InvariantError",
    "Outcome",
    "accepted",
    "expect",
    "expect_accession",
    "expect_cik",
    "expect_filing_ref",
    "explained",
    "reason_key",
    "rejected",
]

Status = Literal["accepted", "warned", "rejected"]

_ACCESSION = re.compile(r"\d{10}-\d{2}-\d{6}", re.ASCII)
_CIK = re.compile(r"\d{10}", re.ASCII)
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_NUMBER = re.compile(r"\d+")


class InvariantError(AssertionError):
    """A parser returned a result that is not well formed."""


@dataclass(frozen=True, slots=True)
class Outcome:
    status: Status
    reason: str | None = None
    """The error message (rejected) or the first warning (warned)."""


def expect(condition: object, message: str) -> None:
    """Raise ``InvariantError(message)`` unless ``condition`` holds."""
    if not condition:
        raise InvariantError(message)


def accepted() -> Outcome:
    return Outcome("accepted")


def explained(warnings: Iterable[str]) -> Outcome:
    """``warned`` with the first warning, or ``accepted`` if there are none; every warning
    must be a non-empty string."""
    found = list(warnings)
    for position, warning in enumerate(found):
        if not (isinstance(warning, str) and warning.strip()):
            raise InvariantError(f"warning {position} is empty: {warning!r}")
    return Outcome("warned", found[0]) if found else accepted()


def rejected(error: CorrespError) -> Outcome:
    """The outcome of a documented error; its message must say what was wrong."""
    reason = getattr(error, "reason", None) or str(error)
    expect(isinstance(reason, str) and reason.strip(), f"{type(error).__name__} without a reason")
    return Outcome("rejected", reason)


def reason_key(reason: str) -> str:
    """A reason with quoted values and numbers blanked, so the same kind of reason counts once."""
    return _NUMBER.sub("N", _QUOTED.sub("'…'", reason))[:90]


def expect_accession(value: object, what: str) -> None:
    """``value`` is a dashed accession number in ASCII digits."""
    expect(isinstance(value, str) and _ACCESSION.fullmatch(value), f"{what}: {value!r}")


def expect_cik(value: object, what: str) -> None:
    """``value`` is a 10-digit CIK in ASCII digits."""
    expect(isinstance(value, str) and _CIK.fullmatch(value), f"{what}: {value!r}")


def expect_filing_ref(ref: object, *, forms: frozenset[str] | None = None) -> None:
    """A ``FilingRef`` with an ASCII dashed accession, a 10-digit CIK, a form and a date."""
    form = getattr(ref, "form", None)
    expect_accession(getattr(ref, "accession", None), f"accession of {ref!r}")
    expect_cik(getattr(ref, "cik", None), f"CIK of {ref!r}")
    expect(isinstance(form, str) and form.strip() == form and form, f"form in {ref!r}")
    expect(forms is None or form in forms, f"form {form!r} not among {forms}")
    expect(isinstance(getattr(ref, "filing_date", None), date), f"filing date in {ref!r}")
