"""``GET /letters/{accession}``: one letter with every field, its comments, text and thread."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from api.deps import ServiceDep
from api.errors import NotFoundError
from api.schemas import LetterDetail
from indexer.models import LetterId

__all__ = ["router"]

router = APIRouter(tags=["letters"])

_NOT_SHOWN = ("company_suggest",)  # the completion input: the company name again
_THREAD_FIELDS = ("thread_id", "status", "rounds", "opened_on", "closed_on")


@router.get("/letters/{accession}", response_model=LetterDetail)
def get_letter(
    accession: Annotated[
        LetterId,
        Path(
            description="Accession number (dashed or 18 digits); a letter filed inside "
            "another submission: accession.sequence (0001193125-10-099603.13)."
        ),
    ],
    service: ServiceDep,
) -> dict[str, Any]:
    """The letter document: metadata, comments, staff, topics, text, and its review."""
    letter = service.get(service.targets.letters, accession, excludes=_NOT_SHOWN)
    if letter is None:
        raise NotFoundError(f"no letter with accession {accession}", parameter="accession")
    thread = None
    if letter.get("thread_id"):
        found = service.get(service.targets.threads, letter["thread_id"], excludes=("letters",))
        thread = {key: found.get(key) for key in _THREAD_FIELDS} if found else None
    return {**letter, "thread": thread}
