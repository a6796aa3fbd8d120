"""Watchlist definitions: normal forms, saved searches, webhook rules, config entries."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from indexer.settings import Settings
from indexer.watchlists.models import (
    SavedSearch,
    Watchlist,
    WatchlistConfig,
    WatchlistSpec,
    normalize_ticker,
    normalize_watchlist_id,
)

SECRET = "s3cret-s3cret-s3cret"


def test_values_are_normalized_and_deduplicated() -> None:
    spec = WatchlistSpec.model_validate(
        {
            "name": "  Casinos ",
            "ciks": ["1300514", 1300514, "0001174922"],
            "tickers": ["lvs", " brk.b "],
            "sic": [7011, "7011"],
            "file_numbers": ["1-32373", "001-32373"],
        }
    )
    assert spec.name == "Casinos"
    assert spec.ciks == ["0001300514", "0001174922"]
    assert spec.tickers == ["LVS", "BRK.B"]
    assert spec.sic == ["7011"]
    assert spec.file_numbers == ["001-32373"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("ciks", ["not-a-cik"]),
        ("tickers", ["way too long ticker"]),
        ("sic", ["70"]),
        ("file_numbers", ["abc"]),
        ("webhook_url", "ftp://example.org/hook"),
        ("webhook_secret", "short"),
    ],
)
def test_bad_values_are_refused_naming_the_field(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as exc_info:
        WatchlistSpec.model_validate({"name": "n", field: value})
    assert exc_info.value.errors()[0]["loc"][0] == field


def test_saved_search_params_are_the_search_filters_in_normal_form() -> None:
    search = SavedSearch.model_validate(
        {
            "name": "gc",
            "params": {"q": "going concern", "form": ["upload"], "file_number": "1-7933"},
        }
    )
    assert search.to_document() == {
        "name": "gc",
        "params": {"q": "going concern", "form": ["UPLOAD"], "file_number": ["001-07933"]},
    }


def test_saved_search_params_may_be_a_search_query_string() -> None:
    search = SavedSearch.model_validate(
        {"name": "s", "params": "?q=revenue+recognition&form=UPLOAD&form=CORRESP&sic=7011"}
    )
    assert search.to_document()["params"] == {
        "q": "revenue recognition",
        "form": ["UPLOAD", "CORRESP"],
        "sic": ["7011"],
    }


def test_saved_search_refuses_paging_and_unknown_parameters() -> None:
    with pytest.raises(ValidationError) as exc_info:
        SavedSearch.model_validate({"name": "s", "params": {"q": "x", "sort": "date"}})
    assert exc_info.value.errors()[0]["loc"] == ("params", "sort")


def test_saved_search_names_are_unique() -> None:
    with pytest.raises(ValidationError, match="two saved searches"):
        WatchlistSpec.model_validate(
            {"name": "n", "searches": [{"name": "a"}, {"name": "a", "params": {"q": "x"}}]}
        )


def test_ids_and_tickers() -> None:
    assert normalize_watchlist_id(" My-List_1 ") == "my-list_1"
    assert normalize_ticker("brk-b") == "BRK-B"
    for bad in ("", "-x", "a" * 65, "a b", "ä"):
        with pytest.raises(ValueError, match="letters, digits"):
            normalize_watchlist_id(bad)


def test_stored_document_round_trips_and_secret_stays_hidden() -> None:
    watchlist = Watchlist.model_validate(
        {
            "id": "w",
            "name": "W",
            "ciks": ["320193"],
            "searches": [{"name": "s", "params": {"q": "x"}}],
            "webhook_url": "https://hooks.example.org/x",
            "webhook_secret": SECRET,
        }
    )
    assert SECRET not in repr(watchlist)
    assert SECRET not in str(watchlist.model_dump())
    document = watchlist.to_document()
    assert document["webhook_secret"] == SECRET  # the store needs it to sign
    again = Watchlist.from_document(document)
    assert again.definition() == watchlist.definition()


def test_a_secret_needs_a_url() -> None:
    with pytest.raises(ValidationError, match="webhook_secret needs a webhook_url"):
        Watchlist.model_validate({"id": "w", "name": "W", "webhook_secret": SECRET})


def test_config_webhook_needs_a_secret_source() -> None:
    with pytest.raises(ValidationError, match="webhook_secret_env"):
        WatchlistConfig.model_validate(
            {"id": "w", "name": "W", "webhook_url": "https://hooks.example.org/x"}
        )
    entry = WatchlistConfig.model_validate(
        {
            "id": "w",
            "name": "W",
            "webhook_url": "https://hooks.example.org/x",
            "webhook_secret_env": "HOOK_SECRET",
        }
    )
    assert entry.webhook_secret_env == "HOOK_SECRET"
    with pytest.raises(ValidationError, match="not an environment variable name"):
        WatchlistConfig.model_validate({"id": "w", "name": "W", "webhook_secret_env": "A-B"})


def test_settings_refuse_duplicate_watchlist_ids_and_short_api_keys() -> None:
    with pytest.raises(ValidationError, match="unique: a"):
        Settings.model_validate(
            {"watchlists": [{"id": "a", "name": "A"}, {"id": "A", "name": "again"}]}
        )
    with pytest.raises(ValidationError) as exc_info:
        Settings.model_validate({"api": {"keys": ["short-key"]}})
    assert "short-key" not in str(exc_info.value)
    with pytest.raises(ValidationError, match="needs at least one"):
        Settings.model_validate({"api": {"require_key_for_reads": True}})
