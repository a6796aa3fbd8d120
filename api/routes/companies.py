"""``GET /companies/{cik}``: a company, its review history and its letters per year."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from api.deps import ServiceDep
from api.errors import NotFoundError
from api.reviews import build_company_view
from api.schemas import CompanyDetail
from indexer.models import Cik
from indexer.search.reviews import company_letters_body, company_threads_body

__all__ = ["router"]

router = APIRouter(tags=["companies"])


@router.get("/companies/{cik}", response_model=CompanyDetail)
def get_company(
    cik: Annotated[Cik, Path(description="CIK, any zero padding.")], service: ServiceDep
) -> dict[str, Any]:
    """Name, SIC and state from the newest letters; reviews newest first; letters per year."""
    letters = service.search(
        service.targets.letters, company_letters_body(cik), action="reading a company's letters"
    )
    threads = service.scan(service.targets.threads, company_threads_body(cik))
    view = build_company_view(cik, letters, (hit["_source"] for hit in threads))
    if not view["letter_count"] and not view["reviews"]:
        raise NotFoundError(f"no letters of a company with CIK {cik}", parameter="cik")
    return view
