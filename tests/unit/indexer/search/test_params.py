"""Parameter models: normal forms, blanks, ranges and unknown parameters."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from api.errors import describe_validation_error
from indexer.normalize.letter import LetterType
from indexer.search.params import (
    CommentSearchParams,
    ExportParams,
    LetterFilters,
    ThreadListParams,
    normalize_comment_id,
)


def _problem(model: type, **values: object) -> tuple[str | None, str]:
    with pytest.raises(ValidationError) as exc_info:
        model.model_validate(values)
    return describe_validation_error(exc_info.value.errors())


def test_values_are_normalized() -> None:
    filters = LetterFilters.model_validate(
        {
            "form": ["upload", " Corresp "],
            "letter_type": ["Review Complete", "no-review"],
            "cik": ["320193"],
            "file_number": ["1-7933", "333-140273-1"],
            "state": ["de"],
            "topic": ["Non-GAAP Measures"],
            "company": "  Las   Vegas ",
            "date_from": "2024-01-31",
        }
    )
    assert filters.form == ["UPLOAD", "CORRESP"]
    assert filters.letter_type == [LetterType.REVIEW_COMPLETE, LetterType.NO_REVIEW]
    assert filters.cik == ["0000320193"]
    assert filters.file_number == ["001-07933", "333-140273-01"]
    assert filters.state == ["DE"]
    assert filters.topic == ["non_gaap_measures"]
    assert filters.company == "Las Vegas"
    assert filters.date_from == date(2024, 1, 31)


def test_blank_values_mean_not_given() -> None:
    filters = CommentSearchParams.model_validate(
        {"q": "", "company": " ", "form": ["", "UPLOAD"], "date_from": "", "has_response": ""}
    )
    assert (filters.q, filters.company, filters.form) == ("", None, ["UPLOAD"])
    assert filters.date_from is None
    assert filters.has_response is None


@pytest.mark.parametrize(
    ("model", "values", "parameter", "problem"),
    [
        (LetterFilters, {"date_from": "2024-13-01"}, "date_from", "month"),
        (LetterFilters, {"date_from": "2024-02-02", "date_to": "2024-02-01"}, "date_to", "before"),
        (LetterFilters, {"cik": ["abc"]}, "cik", "not a CIK"),
        (LetterFilters, {"file_number": ["7933"]}, "file_number", "not an SEC file number"),
        (LetterFilters, {"form": ["10-K"]}, "form", "UPLOAD"),
        (LetterFilters, {"letter_type": ["memo"]}, "letter_type", "comment"),
        (LetterFilters, {"sic": ["abcd"]}, "sic", "pattern"),
        (LetterFilters, {"has_response": "true"}, "has_response", "unknown parameter"),
        (CommentSearchParams, {"size": "0"}, "size", "greater than or equal to 1"),
        (CommentSearchParams, {"sort": "newest"}, "sort", "relevance"),
        (ExportParams, {"format": "xlsx"}, "format", "csv"),
        (ThreadListParams, {"status": ["done"]}, "status", "closed"),
        (
            ThreadListParams,
            {"opened_from": "2024-03-01", "opened_to": "2024-02-01"},
            "opened_to",
            "before",
        ),
    ],
)
def test_invalid_values_name_their_parameter(
    model: type, values: dict, parameter: str, problem: str
) -> None:
    found, message = _problem(model, **values)
    assert found == parameter
    assert problem in message


def test_comment_ids() -> None:
    assert normalize_comment_id("0000000000-22-005802-01") == "0000000000-22-005802-1"
    for bad in ("0000000000-22-005802", "x-1", "0000000000-22-005802-12345"):
        with pytest.raises(ValueError, match="not a comment id"):
            normalize_comment_id(bad)
