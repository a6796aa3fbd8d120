"""``/watchlists``: create, read, replace, delete; keys; validation; config.yaml's watchlists."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from typing import Any

import pytest

from tests.es.watchlists.conftest import KEY, LVS, SECRET, WRITE, WatchEnv, assert_error

pytestmark = pytest.mark.samples

MakeEnv = Callable[..., WatchEnv]
DEFINITION = {
    "id": "casinos",
    "name": "Casino operators",
    "ciks": [LVS],
    "tickers": ["wynn", "nope"],
    "sic": ["7011"],
    "file_numbers": ["1-32373"],
    "searches": [{"name": "macao", "params": {"q": "Macao", "form": "UPLOAD"}}],
    "webhook_url": "https://hooks.example.org/corresp",
    "webhook_secret": SECRET,
}


def test_create_read_replace_delete_with_a_key(watch_env: MakeEnv) -> None:
    env = watch_env()
    client = env.client
    created = client.post("/watchlists", json=DEFINITION, headers=WRITE)
    assert created.status_code == 201, created.json()
    assert created.headers["location"] == "/watchlists/casinos"
    body = created.json()
    assert body["ciks"] == ["0001300514"]
    assert body["file_numbers"] == ["001-32373"]
    assert body["tickers"] == ["WYNN", "NOPE"]
    assert body["unresolved_tickers"] == ["WYNN", "NOPE"]  # no ticker map downloaded yet
    assert body["searches"] == [{"name": "macao", "params": {"q": "Macao", "form": ["UPLOAD"]}}]
    assert (body["webhook_secret_set"], body["source"], body["read_only"]) == (True, "api", False)
    assert "webhook_secret" not in body

    listed = client.get("/watchlists").json()
    assert listed["total"] == 1
    assert listed["watchlists"][0]["id"] == "casinos"
    one = client.get("/watchlists/casinos").json()
    assert one["alerts"] == {
        "total": 0,
        "newest_found_at": None,
        "deliveries": {},
        "last_delivery": None,
        "emails": {},
        "last_email": None,
    }

    changed = {key: value for key, value in DEFINITION.items() if key != "webhook_secret"}
    replaced = client.put(
        "/watchlists/casinos", json=changed | {"name": "Casinos"}, headers={"X-API-Key": KEY}
    )
    assert replaced.status_code == 200, replaced.json()
    assert replaced.json()["name"] == "Casinos"
    assert replaced.json()["webhook_secret_set"] is True  # kept when not sent again
    assert replaced.json()["created_at"] == body["created_at"]

    assert_error(client.post("/watchlists", json=DEFINITION, headers=WRITE), 409, "id")
    deleted = client.delete("/watchlists/casinos", headers=WRITE)
    assert deleted.json() == {"ok": True, "id": "casinos", "alerts_deleted": 0}
    assert_error(client.get("/watchlists/casinos"), 404, "watchlist_id")
    assert_error(client.delete("/watchlists/casinos", headers=WRITE), 404)


def test_an_id_is_generated_when_none_is_given(watch_env: MakeEnv) -> None:
    env = watch_env()
    body = env.create(name="Anything", ciks=["320193"])
    assert len(body["id"]) == 12
    assert env.client.get(body["links"]["alerts"]).status_code == 200


def test_tickers_resolve_once_the_map_is_in_the_data_folder(watch_env: MakeEnv) -> None:
    env = watch_env()
    env.create(id="t", name="T", tickers=["LVS", "NOPE"])
    env.data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(env.samples_dir / "json" / "company_tickers.json", env.data_dir)
    body = env.client.get("/watchlists/t").json()
    assert body["resolved_tickers"] == {"LVS": "0001300514"}
    assert body["unresolved_tickers"] == ["NOPE"]


@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "/watchlists"), ("put", "/watchlists/casinos"), ("delete", "/watchlists/casinos")],
)
def test_changes_need_the_key(watch_env: MakeEnv, method: str, path: str) -> None:
    env = watch_env()
    env.create(**DEFINITION)
    send = getattr(env.client, method)
    options: dict[str, Any] = {} if method == "delete" else {"json": DEFINITION}
    missing = send(path, **options)
    assert_error(missing, 401)
    assert missing.headers["www-authenticate"].startswith("Bearer")
    wrong = send(path, headers={"Authorization": "Bearer not-the-key-0123456789"}, **options)
    assert "not valid" in assert_error(wrong, 401)["error"]
    assert env.client.get("/watchlists/casinos").json()["name"] == "Casino operators"


def test_without_configured_keys_the_api_cannot_change_watchlists(watch_env: MakeEnv) -> None:
    env = watch_env(api={"keys": []})
    assert_error(env.client.post("/watchlists", json=DEFINITION, headers=WRITE), 403)
    assert env.client.get("/watchlists").json()["total"] == 0


@pytest.mark.parametrize(
    ("change", "parameter"),
    [
        ({"ciks": ["1300514", "not-a-cik"]}, "ciks[1]"),
        ({"file_numbers": ["x-y"]}, "file_numbers[0]"),
        ({"searches": [{"name": "s", "params": {"sort": "date"}}]}, "searches[0].params.sort"),
        ({"searches": [{"name": "s", "params": {"date_from": "2024-13-01"}}]}, None),
        ({"webhook_secret": "short"}, "webhook_secret"),
        ({"webhook_url": "ftp://x"}, "webhook_url"),
        ({"id": "no spaces"}, "id"),
        ({"colour": "red"}, "colour"),
        ({"name": ""}, "name"),
    ],
)
def test_validation_errors_are_400_naming_the_field(
    watch_env: MakeEnv, change: dict[str, Any], parameter: str | None
) -> None:
    env = watch_env()
    body = assert_error(
        env.client.post("/watchlists", json=DEFINITION | change, headers=WRITE), 400
    )
    expected = parameter or "searches[0].params.date_from"
    assert body["parameter"] == expected
    assert body["error"].startswith(f"{expected}: ")
    assert "short" not in body["error"] or parameter != "webhook_secret"


def test_a_webhook_needs_its_secret_and_the_body_json(watch_env: MakeEnv) -> None:
    env = watch_env()
    no_secret = {key: value for key, value in DEFINITION.items() if key != "webhook_secret"}
    assert_error(
        env.client.post("/watchlists", json=no_secret, headers=WRITE), 400, "webhook_secret"
    )
    not_json = env.client.post("/watchlists", content=b"{", headers=WRITE)
    assert "not valid JSON" in assert_error(not_json, 400)["error"]
    assert_error(env.client.post("/watchlists", json=[1], headers=WRITE), 400)
    put = env.client.put("/watchlists/x", json={"id": "y", "name": "n"}, headers=WRITE)
    assert_error(put, 400, "id")


def test_configured_watchlists_are_synced_and_read_only(
    watch_env: MakeEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASINOS_HOOK_SECRET", SECRET)
    configured = {
        "id": "configured",
        "name": "From the file",
        "ciks": [LVS],
        "webhook_url": "https://hooks.example.org/x",
        "webhook_secret_env": "CASINOS_HOOK_SECRET",
    }
    env = watch_env(watchlists=[configured])
    body = env.client.get("/watchlists/configured").json()
    assert (body["source"], body["read_only"], body["webhook_secret_set"]) == ("config", True, True)
    assert body["ciks"] == ["0001300514"]
    for response in (
        env.client.put("/watchlists/configured", json={"name": "mine"}, headers=WRITE),
        env.client.delete("/watchlists/configured", headers=WRITE),
        env.client.post("/watchlists", json={"id": "configured", "name": "x"}, headers=WRITE),
    ):
        assert "config.yaml" in assert_error(response, 409, "id")["error"]
    created_at = body["created_at"]

    again = watch_env(watchlists=[configured])  # a restart with the same file: untouched
    assert again.client.get("/watchlists/configured").json()["updated_at"] == body["updated_at"]
    changed = watch_env(watchlists=[configured | {"name": "Renamed"}])
    renamed = changed.client.get("/watchlists/configured").json()
    assert (renamed["name"], renamed["created_at"]) == ("Renamed", created_at)
    removed = watch_env(watchlists=[])
    assert_error(removed.client.get("/watchlists/configured"), 404)


def test_require_key_for_reads_closes_every_route_but_health(watch_env: MakeEnv) -> None:
    env = watch_env(api={"keys": [KEY], "require_key_for_reads": True})
    client = env.client
    for path in ("/watchlists", "/search", "/watch", "/", "/openapi.json", "/letters/x"):
        response = client.get(path)
        assert_error(response, 401)
        assert "www-authenticate" in response.headers
    assert client.get("/health").status_code in (200, 503)  # open (503: nothing indexed yet)
    assert client.get("/watchlists", headers={"X-API-Key": KEY}).status_code == 200
    assert client.get("/watch", headers=WRITE).status_code == 200  # the HTML pages too


def test_the_html_form_creates_and_deletes_with_the_key(watch_env: MakeEnv) -> None:
    env = watch_env(watchlists=[{"id": "configured", "name": "From the file", "sic": ["7011"]}])
    client = env.client
    form = {
        "name": "From the form",
        "id": "form",
        "ciks": "1300514, 320193",
        "tickers": "lvs",
        "search_name": "gc",
        "search": "q=going+concern&form=UPLOAD",
        "webhook_url": "https://hooks.example.org/x",
        "webhook_secret": SECRET,
    }
    refused = client.post("/watch", data=form | {"api_key": "wrong-key-0123456789"})
    assert refused.status_code == 401
    assert "the API key is not valid" in refused.text
    assert 'value="From the form"' in refused.text  # kept for another try
    assert SECRET not in refused.text
    assert_error(client.get("/watchlists/form"), 404)

    created = client.post("/watch", data=form | {"api_key": KEY}, follow_redirects=False)
    assert (created.status_code, created.headers["location"]) == (303, "/watch/form")
    body = client.get("/watchlists/form").json()
    assert body["ciks"] == ["0001300514", "0000320193"]
    assert body["searches"] == [
        {"name": "gc", "params": {"q": "going concern", "form": ["UPLOAD"]}}
    ]
    assert body["webhook_secret_set"] is True
    page = client.get("/watch/form")
    assert "From the form" in page.text
    assert SECRET not in page.text

    bad = client.post("/watch", data={"name": "x", "ciks": "nope", "api_key": KEY})
    assert bad.status_code == 400
    assert "ciks[0]" in bad.text
    configured = client.post("/watch/configured/delete", data={"api_key": KEY})
    assert configured.status_code == 409
    assert "config.yaml" in configured.text
    gone = client.post("/watch/form/delete", data={"api_key": KEY}, follow_redirects=False)
    assert (gone.status_code, gone.headers["location"]) == (303, "/watch")
    assert_error(client.get("/watchlists/form"), 404)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://10.0.0.5/hook", "private"),
        ("http://169.254.169.254/latest/meta-data", "link-local"),
        ("http://127.0.0.1:8080/hook", "loopback"),
        ("http://[::ffff:127.0.0.1]/hook", "loopback"),
        ("http://2130706433/hook", "loopback"),
        ("http://localhost/hook", "localhost"),
    ],
)
def test_a_webhook_to_a_private_network_is_refused_naming_webhook_url(
    watch_env: MakeEnv, url: str, why: str
) -> None:
    env = watch_env(webhooks={"allow_private_networks": False})
    definition = {"id": "ssrf", "name": "SSRF", "webhook_url": url, "webhook_secret": SECRET}
    response = env.client.post("/watchlists", json=definition, headers=WRITE)
    assert_error(response, 400, "webhook_url")
    assert why in response.json()["error"]
    assert "webhooks.allow_private_networks" in response.json()["error"]
    assert env.client.get("/watchlists/ssrf").status_code == 404

    allowed = watch_env(webhooks={"allow_private_networks": True})
    assert allowed.client.post("/watchlists", json=definition, headers=WRITE).status_code == 201
