"""Webhooks to a real receiver on loopback: recorded by the ingest, sent by the outbox.

An ingest only queues one delivery per watchlist and batch; the outbox worker's passes
(``WatchEnv.send``) make the POSTs, retry transient failures with backoff, and park a
delivery that keeps failing until ``corresp alerts retry``.
"""

from __future__ import annotations

import json
import logging
import stat
from collections.abc import Callable

import pytest
from click.testing import CliRunner

from crawler.handoff import send_due
from indexer.cli.main import cli
from indexer.data_folder import DataFolder
from indexer.watchlists.webhooks import verify_signature
from tests.es.watchlists.conftest import KEY, LVS, SECRET, WRITE, Receiver, WatchEnv

pytestmark = pytest.mark.samples

MakeEnv = Callable[..., WatchEnv]


def _hooked(env: WatchEnv, receiver: Receiver, watchlist_id: str = "lvs") -> None:
    env.create(
        id=watchlist_id,
        name="LVS",
        ciks=[LVS],
        webhook_url=receiver.url,
        webhook_secret=SECRET,
    )


def test_one_signed_post_per_ingest_batch(watch_env: MakeEnv, receiver: Receiver) -> None:
    env = watch_env()
    _hooked(env, receiver)
    report = env.ingest(LVS)
    assert (report.alerts, report.webhooks_queued) == (9, 1)
    assert receiver.posts == []  # the ingest records; it never sends
    assert env.send().delivered == 1
    assert len(receiver.posts) == 1
    post = receiver.posts[0]
    headers = post["headers"]
    assert verify_signature(SECRET, post["body"], headers["X-Corresp-Signature"])
    assert headers["Content-Type"] == "application/json"
    payload = json.loads(post["body"])
    assert payload["watchlist"] == {"id": "lvs", "name": "LVS"}
    assert payload["count"] == len(payload["alerts"]) == 9
    assert payload["delivery_id"] == headers["X-Corresp-Delivery"]
    assert {a["matched_by"] for a in payload["alerts"]} == {"cik:0001300514"}
    assert all(a["web_path"] == f"/letter/{a['accession']}" for a in payload["alerts"])
    assert "delivery" not in payload["alerts"][0]

    alerts = env.alerts("lvs", size=20)["alerts"]
    assert {a["delivery"]["status"] for a in alerts} == {"delivered"}
    assert {a["delivery"]["delivery_id"] for a in alerts} == {payload["delivery_id"]}
    assert {a["delivery"]["attempts"] for a in alerts} == {1}
    summary = env.client.get("/watchlists/lvs").json()["alerts"]
    assert summary["deliveries"] == {"delivered": 9}
    assert summary["last_delivery"]["status"] == "delivered"
    assert summary["last_delivery"]["response_status"] == 200
    assert summary["last_delivery"]["delivered_at"]

    again = env.ingest(LVS)  # the same letters: no new alert, no POST
    assert (again.alerts, again.webhooks_queued) == (0, 0)
    assert env.send().delivered == 0
    assert len(receiver.posts) == 1


def test_each_watchlist_gets_its_own_post(watch_env: MakeEnv, receiver: Receiver) -> None:
    env = watch_env()
    _hooked(env, receiver, "first")
    _hooked(env, receiver, "second")
    env.create(id="quiet", name="No webhook", ciks=[LVS])
    env.ingest(LVS)
    assert env.send().delivered == 2
    ids = sorted(json.loads(post["body"])["watchlist"]["id"] for post in receiver.posts)
    assert ids == ["first", "second"]


def test_a_failing_receiver_is_retried_and_the_final_delivery_recorded(
    watch_env: MakeEnv, receiver: Receiver
) -> None:
    receiver.statuses = [500, 500, 200]
    env = watch_env()
    _hooked(env, receiver)
    env.ingest(LVS)
    sent = env.send()
    assert (sent.delivered, sent.retrying, sent.parked) == (1, 2, 0)
    assert len(receiver.posts) == 3
    bodies = {post["body"] for post in receiver.posts}
    deliveries = {post["headers"]["X-Corresp-Delivery"] for post in receiver.posts}
    assert (len(bodies), len(deliveries)) == (1, 1)  # the same delivery, retried
    delivery = env.alerts("lvs")["alerts"][0]["delivery"]
    assert (delivery["status"], delivery["attempts"]) == ("delivered", 3)
    assert delivery["response_status"] == 200
    assert delivery["last_error"] is None


def test_a_receiver_that_keeps_failing_is_parked_then_retried_by_command(
    watch_env: MakeEnv, receiver: Receiver
) -> None:
    receiver.statuses = [503, 503]
    env = watch_env(webhooks={"max_attempts": 2})
    _hooked(env, receiver)
    report = env.ingest(LVS)
    assert (report.alerts, report.webhooks_queued) == (9, 1)
    assert env.send().parked == 1
    assert len(receiver.posts) == 2
    summary = env.client.get("/watchlists/lvs").json()["alerts"]
    assert summary["deliveries"] == {"parked": 9}
    last = summary["last_delivery"]
    assert (last["status"], last["attempts"], last["last_error"]) == ("parked", 2, "HTTP 503")
    assert "parked" in env.client.get("/watch/lvs").text

    environment = {
        "CORRESP__ELASTICSEARCH__URL": env.settings.elasticsearch.effective_url(),
        "CORRESP__ELASTICSEARCH__INDEX_PREFIX": env.prefix,
        "CORRESP__STORAGE__DATA_DIR": str(env.data_dir),  # where the secrets' key is
        "CORRESP__WEBHOOKS__ALLOW_PRIVATE_NETWORKS": "true",
    }
    retried = CliRunner().invoke(cli, ["alerts", "retry", "--json"], env=environment)
    assert retried.exit_code == 0, retried.output
    assert json.loads(retried.stdout) | {"retrying": 0} == {
        "delivered": 1,
        "retrying": 0,
        "parked": 0,
        "requeued": 1,
        "email": {"delivered": 0, "retrying": 0, "parked": 0, "requeued": 0},
    }
    assert len(receiver.posts) == 3  # the receiver is back: delivered, with the same id
    assert len({post["headers"]["X-Corresp-Delivery"] for post in receiver.posts}) == 1
    summary = env.client.get("/watchlists/lvs").json()["alerts"]
    assert summary["deliveries"] == {"delivered": 9}


def test_an_unreachable_receiver_is_a_recorded_failure_not_a_failed_ingest(
    watch_env: MakeEnv,
) -> None:
    env = watch_env(webhooks={"max_attempts": 2})
    env.create(
        id="lvs",
        name="LVS",
        ciks=[LVS],
        webhook_url="http://127.0.0.1:9/hook",
        webhook_secret=SECRET,
    )
    report = env.ingest(LVS)
    assert (report.letters, report.alerts, report.webhooks_queued) == (9, 9, 1)
    assert env.send().parked == 1
    delivery = env.alerts("lvs")["alerts"][0]["delivery"]
    assert delivery["status"] == "parked"
    assert delivery["last_error"].startswith("no answer")


def test_secrets_never_appear_in_responses_or_logs(
    watch_env: MakeEnv, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    receiver.statuses = [500]
    with caplog.at_level(logging.DEBUG):
        env = watch_env()
        _hooked(env, receiver)
        env.ingest(LVS)
        env.send()
        client = env.client
        responses = [
            client.get("/watchlists"),
            client.get("/watchlists/lvs"),
            client.get("/watchlists/lvs/alerts"),
            client.get("/watchlists/lvs/feed.atom"),
            client.get("/watch"),
            client.get("/watch/lvs"),
            client.put(
                "/watchlists/lvs", json={"name": "x", "webhook_secret": "short"}, headers=WRITE
            ),
            client.post("/watchlists", json={"name": "y", "webhook_secret": SECRET}, headers=WRITE),
            client.post("/watchlists", json={"name": "z"}, headers={"X-API-Key": KEY + "x"}),
            client.get("/openapi.json"),
        ]
    assert len(receiver.posts) == 2
    for response in responses:
        assert SECRET not in response.text, response.request.url
        assert KEY not in response.text, response.request.url
        assert "short" not in response.text or response.request.url.path == "/openapi.json"
    assert SECRET not in caplog.text  # not even in the Elasticsearch client's DEBUG traces
    assert KEY not in caplog.text
    own = "\n".join(
        record.getMessage()
        for record in caplog.records
        if record.name.startswith(("indexer", "api", "crawler"))
    )
    assert "http://127.0.0.1" in own  # the failed attempt was logged, naming the host
    assert "/hooks/corresp" not in own  # but never the path (URLs can carry tokens)


def test_secrets_are_encrypted_at_rest_and_nothing_is_sent_without_the_key(
    watch_env: MakeEnv, receiver: Receiver
) -> None:
    env = watch_env()
    _hooked(env, receiver)
    stored = env.es.get(index=f"{env.prefix}watchlists", id="lvs")["_source"]
    assert stored["webhook_secret"].startswith("fernet:")
    assert SECRET not in json.dumps(stored)
    key_file = DataFolder(env.data_dir).secret_key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    env.ingest(LVS)
    alerts = env.es.search(index=f"{env.prefix}alerts", size=50)["hits"]["hits"]
    assert alerts and SECRET not in json.dumps([hit["_source"] for hit in alerts])
    files = [path for path in env.data_dir.rglob("*") if path.is_file()]
    assert key_file in files
    assert not [path for path in files if SECRET.encode() in path.read_bytes()]

    key_file.unlink()  # the key is lost: the delivery is refused, never sent unsigned
    sent = send_due(env.settings)
    assert (sent.delivered, sent.parked) == (0, 1)
    assert receiver.posts == []
    last = env.client.get("/watchlists/lvs").json()["alerts"]["last_delivery"]
    assert last["status"] == "parked"
    assert "never sent unsigned" in last["last_error"]
