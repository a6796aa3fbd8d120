"""How the MCP tools read arguments and refuse bad ones (``api/mcp_tools.py``).

Every call here is refused before any search, so the service's client (pointed where nothing
listens) is never used: no socket is opened.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from api.mcp_tools import TOOLS, ToolCallError, ToolContext, open_context, run_tool
from indexer.search.params import LetterSearchParams
from indexer.settings import Settings

BY_NAME = {tool.name: tool for tool in TOOLS}


@pytest.fixture
def context() -> Iterator[ToolContext]:
    settings = Settings.model_validate({"elasticsearch": {"url": "http://127.0.0.1:9"}})
    with open_context(settings) as opened:
        yield opened


def _refusal(context: ToolContext, tool: str, arguments: dict[str, Any]) -> ToolCallError:
    with pytest.raises(ToolCallError) as caught:
        run_tool(BY_NAME[tool], arguments, context)
    return caught.value


def test_a_bad_value_is_named_as_the_api_names_it(context: ToolContext) -> None:
    refused = _refusal(context, "search_letters", {"date_from": "2022-13-01"})
    assert refused.body() == {
        "ok": False,
        "error": "date_from: Input should be a valid date or datetime, month value is outside "
        "expected range of 1-12 (got '2022-13-01')",
        "status": 400,
        "parameter": "date_from",
    }


def test_one_value_or_a_json_array_stands_for_a_list(context: ToolContext) -> None:
    single = _refusal(context, "search_letters", {"form": "FORM X"})
    assert single.parameter == "form"
    assert single.message.startswith("form: Input should be 'UPLOAD', 'CORRESP' or 'DRSLTR'")
    assert "(got 'FORM X')" in single.message
    listed = _refusal(context, "search_letters", {"form": '["upload", "FORM X"]'})
    assert listed.parameter == "form"
    assert "(got 'FORM X')" in listed.message


def test_an_unknown_argument_is_refused_with_the_known_ones(context: ToolContext) -> None:
    refused = _refusal(context, "search_letters", {"letter_types": ["comment"]})
    assert refused.parameter == "letter_types"
    assert refused.message.startswith("letter_types: unknown argument of search_letters")
    assert all(name in refused.message for name in LetterSearchParams.model_fields)


def test_null_is_not_given(context: ToolContext) -> None:
    refused = _refusal(context, "get_letter", {"accession": None})
    assert (refused.status, refused.message) == (400, "accession: Field required")


def test_paging_limits_are_the_api_limits(context: ToolContext) -> None:
    refused = _refusal(context, "search_comments", {"size": 101})
    assert (refused.status, refused.parameter) == (400, "size")
    assert refused.message == "size: must be between 1 and 100"
    refused = _refusal(context, "search_letters", {"cursor": "not-a-cursor"})
    assert (refused.status, refused.parameter) == (400, "cursor")
