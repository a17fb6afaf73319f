"""Syncs (reference §9): creation and its validation, reading under each progression
policy, listing, logs and rejects, callbacks."""

from __future__ import annotations

import http.server
import socket
import threading
import time
from typing import ClassVar

import orjson
import pytest

from contract_tests.waiting import wait_until
from emulator.store import catalog
from tests.conftest import basic
from tests.routes.bulk import BULK, Bulk

EMAIL = "{{Contact.Field(C_EmailAddress)}}"
UNKNOWN_DEFINITION = "Must reference an existing import, export or sync action definition."
IMPORT = {"name": "i", "fields": {"email": EMAIL}, "identifierFieldName": "email"}


def test_create_answers_201_pending_in_the_documented_shape(bulk) -> None:
    uri = bulk.define("/contacts/imports", IMPORT)
    sync = bulk.sync(uri)
    assert list(sync) == ["syncedInstanceUri", "status", "createdAt", "createdBy", "uri"]
    assert sync["status"] == "pending"
    assert sync["createdBy"] == "jane"
    assert sync["uri"] == "/syncs/1"


def test_ended_sync_gains_started_and_ended_times(bulk) -> None:
    uri = bulk.define("/contacts/imports", IMPORT)
    bulk.stage(uri, [{"email": "s@example.com"}])
    item = bulk.wait(bulk.sync(uri, callbackUrl=None)["uri"])
    assert list(item) == [
        "syncedInstanceUri",
        "syncStartedAt",
        "syncEndedAt",
        "status",
        "createdAt",
        "createdBy",
        "uri",
    ]
    assert item["createdAt"] <= item["syncStartedAt"] <= item["syncEndedAt"]


def test_read_back_times_are_rounded_to_the_millisecond_as_on_a_pod(bulk, clock) -> None:
    clock.now = 1_800_000_000.123456  # 2027-01-15T08:00:00.1234560Z
    uri = bulk.define("/contacts/imports", IMPORT)
    created = bulk.sync(uri)
    assert created["createdAt"] == "2027-01-15T08:00:00.1234560Z"  # full precision
    item = bulk.wait(created["uri"])
    assert item["createdAt"] == "2027-01-15T08:00:00.1230000Z"
    assert item["syncStartedAt"] == item["syncEndedAt"] == "2027-01-15T08:00:00.1230000Z"
    listed = bulk.get("/syncs", limit=1)["items"][0]
    assert listed["createdAt"] == "2027-01-15T08:00:00.1230000Z"
    logged = {line["createdAt"] for line in bulk.get(created["uri"] + "/logs")["items"]}
    assert logged == {"2027-01-15T08:00:00.1230000Z"}


def test_property_names_bind_case_insensitively(bulk) -> None:
    """An Oracle-authored sample posts syncedInstanceURI (reference §3.3)."""
    uri = bulk.define("/contacts/imports", IMPORT)
    response = bulk.client.post(
        BULK + "/syncs", json={"syncedInstanceURI": uri}, headers=bulk.headers
    )
    assert response.status_code == 201
    assert response.json()["syncedInstanceUri"] == uri


@pytest.mark.parametrize(
    ("body", "failures"),
    [
        (
            {"syncedInstanceUri": "/contacts/imports/999"},
            [
                {
                    "field": "syncedInstanceUri",
                    "constraint": UNKNOWN_DEFINITION,
                    "value": "/contacts/imports/999",
                }
            ],
        ),
        (
            {"syncedInstanceUri": "/nothing/1"},
            [
                {
                    "field": "syncedInstanceUri",
                    "constraint": UNKNOWN_DEFINITION,
                    "value": "/nothing/1",
                }
            ],
        ),
        (
            {},
            [
                {
                    "field": "syncedInstanceUri",
                    "constraint": UNKNOWN_DEFINITION,
                    "value": None,
                }
            ],
        ),
        (
            {"syncedInstanceUri": "/contacts/imports/1", "callbackUrl": "not a url"},
            [
                {
                    "field": "callbackUrl",
                    "constraint": "Must be an absolute http or https URL.",
                    "value": "not a url",
                }
            ],
        ),
        ([], [{"field": "body", "constraint": "Must be a JSON object.", "value": []}]),
    ],
    ids=["unknown definition", "not a definition uri", "missing", "bad callback", "not object"],
)
def test_bad_requests_create_no_sync(bulk, body, failures) -> None:
    bulk.define("/contacts/imports", IMPORT)
    response = bulk.client.post(BULK + "/syncs", json=body, headers=bulk.headers)
    assert response.status_code == 400
    assert response.json() == {"failures": failures}
    assert bulk.get("/syncs")["totalResults"] == 0


def test_the_definition_is_validated_again_when_syncing(bulk) -> None:
    """Since 20D: a list removed after the definition was saved fails POST /syncs."""
    uri = bulk.define(
        "/contacts/imports",
        {**IMPORT, "syncActions": [{"action": "add", "destination": "{{ContactList[12]}}"}]},
    )
    store = bulk.emulator.store
    site = bulk.client.get("/id", headers=bulk.headers).json()["site"]["id"]
    store.write_sync(
        lambda db: db.execute(
            "DELETE FROM containers WHERE site_id = ? AND family = 'contactLists' AND id = 12",
            [site],
        )
    )
    assert not store.read_sync(catalog.container_exists, site, "contactLists", 12)
    response = bulk.client.post(
        BULK + "/syncs", json={"syncedInstanceUri": uri}, headers=bulk.headers
    )
    assert response.status_code == 400
    assert response.json() == {
        "failures": [
            {
                "field": "syncActions",
                "constraint": "ContactList 12 does not exist.",
                "value": "{{ContactList[12]}}",
            }
        ]
    }
    assert bulk.get("/syncs")["totalResults"] == 0


def test_unknown_sync_is_404(bulk) -> None:
    for path in ("/syncs/77", "/syncs/77/logs", "/syncs/77/rejects"):
        assert bulk.client.get(BULK + path, headers=bulk.headers).status_code == 404


def test_syncs_belong_to_their_site(bulk) -> None:
    uri = bulk.define("/contacts/imports", IMPORT)
    sync = bulk.sync(uri)
    other = basic("Globex", "hank")
    assert bulk.client.get(BULK + sync["uri"], headers=other).status_code == 404
    assert bulk.client.get(BULK + "/syncs", headers=other).json()["items"] == []


def test_list_syncs_with_q_and_order_by(bulk, clock) -> None:
    first = bulk.define("/contacts/imports", IMPORT)
    second = bulk.define(
        "/accounts/imports",
        {
            "name": "a",
            "fields": {"n": "{{Account.Field(M_CompanyName)}}"},
            "identifierFieldName": "n",
        },
    )
    for uri in (first, second, first):
        bulk.wait(bulk.sync(uri)["uri"])
        clock.advance(1)
    listed = bulk.get("/syncs")
    assert [i["uri"] for i in listed["items"]] == ["/syncs/1", "/syncs/2", "/syncs/3"]
    assert all(i["status"] == "success" for i in listed["items"])
    newest = bulk.get("/syncs", orderBy="createdAt DESC", limit=1)
    assert newest["items"][0]["uri"] == "/syncs/3"
    assert newest["hasMore"] is True
    accounts = bulk.get("/syncs", q="syncedInstanceUri='/accounts/*'")
    assert [i["uri"] for i in accounts["items"]] == ["/syncs/2"]
    assert bulk.get("/syncs", q="status=success")["totalResults"] == 3


def worker_ran_a_sync(bulk: Bulk) -> None:
    """Wait until the worker has run a sync: its effects are stored, while what clients see
    of it still follows the progression policy."""
    worker = bulk.emulator.worker
    wait_until(lambda: worker.completed >= 1, timeout=10, message="the worker ran no sync")


def test_polls_one_makes_clients_poll(bulk_factory) -> None:
    bulk = bulk_factory(sync_progression="polls:1")
    uri = bulk.define("/contacts/imports", IMPORT)
    bulk.stage(uri, [{"email": "p@example.com"}])
    sync = bulk.sync(uri)
    worker_ran_a_sync(bulk)
    seen = [bulk.get(sync["uri"])["status"] for _ in range(4)]
    assert seen == ["pending", "active", "success", "success"]


def test_manual_progression_moves_on_advance(bulk_factory) -> None:
    bulk = bulk_factory(sync_progression="manual")
    uri = bulk.define("/contacts/imports", IMPORT)
    sync = bulk.sync(uri)
    worker_ran_a_sync(bulk)
    assert bulk.get(sync["uri"])["status"] == "pending"
    advance = bulk.client.post(f"/_emulator{sync['uri']}/advance", params={"site": "Acme"})
    assert advance.status_code == 200
    assert bulk.get(sync["uri"])["status"] == "active"
    bulk.client.post(f"/_emulator{sync['uri']}/advance", params={"site": "acme"})
    assert bulk.get(sync["uri"])["status"] == "success"
    assert (
        bulk.client.post("/_emulator/syncs/1/advance", params={"site": "Nope"}).status_code == 404
    )
    assert (
        bulk.client.post("/_emulator/syncs/9/advance", params={"site": "Acme"}).status_code == 404
    )


def test_seconds_progression_follows_the_clock(bulk_factory, clock) -> None:
    bulk = bulk_factory(sync_progression="seconds:10")
    uri = bulk.define("/contacts/imports", IMPORT)
    sync = bulk.sync(uri)
    worker_ran_a_sync(bulk)
    assert bulk.get(sync["uri"])["status"] == "pending"
    clock.advance(10)
    assert bulk.get(sync["uri"])["status"] == "active"
    clock.advance(10)
    assert bulk.get(sync["uri"])["status"] == "success"


def test_a_definition_deleted_before_its_sync_runs_ends_it_in_error(bulk) -> None:
    uri = bulk.define("/contacts/imports", IMPORT)
    bulk.stage(uri, [{"email": "d@example.com"}])
    bulk.client.post("/_emulator/worker/pause")
    sync = bulk.sync(uri)
    assert bulk.client.delete(BULK + uri, headers=bulk.headers).status_code == 204
    bulk.client.post("/_emulator/worker/resume")
    assert bulk.wait(sync["uri"])["status"] == "error"
    logs = bulk.get(sync["uri"] + "/logs")["items"]
    assert logs[0]["statusCode"] == "ELQ-00143"
    assert logs[0]["severity"] == "error"
    assert logs[0]["message"] == (
        "Sync Recovery Worker could not recover from sync error. "
        "Import definition for id 1 has been deleted."
    )
    assert logs[1]["message"] == "Sync processed for sync , resulting in Error status."


class Receiver(http.server.BaseHTTPRequestHandler):
    received: ClassVar[list[bytes]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        Receiver.received.append(self.rfile.read(length))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def test_callback_url_receives_the_final_sync(bulk) -> None:
    server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        uri = bulk.define("/contacts/imports", IMPORT)
        url = f"http://127.0.0.1:{server.server_port}/done"
        sync = bulk.wait(bulk.sync(uri, callbackUrl=url)["uri"])
        assert sync["callbackUrl"] == url
        wait_until(lambda: Receiver.received, timeout=5, message="the callback URL got nothing")
        body = orjson.loads(Receiver.received[0])
        assert body["uri"] == sync["uri"]
        assert body["status"] == "success"
        assert body["syncEndedAt"] == sync["syncEndedAt"]
    finally:
        server.shutdown()
        server.server_close()


def test_an_unreachable_callback_does_not_fail_the_sync(bulk) -> None:
    uri = bulk.define("/contacts/imports", IMPORT)
    sync = bulk.wait(bulk.sync(uri, callbackUrl="http://127.0.0.1:9/nowhere")["uri"])
    assert sync["status"] == "success"


def test_a_small_sync_in_one_site_ends_while_a_large_one_in_another_runs(bulk_factory) -> None:
    """The worker takes the chunks of the syncs under way in turn."""
    bulk = bulk_factory(sync_progression="immediate", sync_chunk=100)
    large = bulk.define("/contacts/imports", IMPORT)
    bulk.stage(large, [{"email": f"large{n}@turns.test"} for n in range(20_000)])
    other = Bulk(bulk.client, site="Globex", user="hank")
    small = other.define("/contacts/imports", IMPORT)
    other.stage(small, [{"email": f"small{n}@turns.test"} for n in range(100)])
    bulk.client.post("/_emulator/worker/pause")
    large_sync = bulk.sync(large)["uri"]
    small_sync = other.sync(small)["uri"]
    bulk.client.post("/_emulator/worker/resume")
    assert other.wait(small_sync)["status"] == "success"
    assert bulk.get(large_sync)["status"] == "active"
    assert bulk.wait(large_sync, timeout=60)["status"] == "success"
    assert bulk.logs(large_sync)["ELQ-00004"] == 20_000


def test_uploads_answer_while_callbacks_hang(bulk_factory) -> None:
    """Forty syncs call back a receiver that never answers; an upload still answers at
    once (calls are asynchronous and bounded, never on the threads that read uploads)."""
    bulk = bulk_factory(sync_progression="immediate", callback_timeout=30)
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def hold() -> None:
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/hang"
    try:
        for n in range(40):
            uri = bulk.define(
                "/contacts/exports",
                {"name": f"e{n}", "fields": {"Id": "{{Contact.Id}}"}, "maxRecords": 1},
            )
            bulk.client.post(
                BULK + "/syncs",
                json={"syncedInstanceUri": uri, "callbackUrl": url},
                headers=bulk.headers,
            )
        wait_until(lambda: len(held) >= 16, timeout=10, message="the callbacks never connected")
        upload = bulk.define("/contacts/imports", IMPORT)
        began = time.perf_counter()
        bulk.stage(upload, [{"email": "while.hanging@example.com"}])
        assert time.perf_counter() - began < 2
    finally:
        listener.shutdown(socket.SHUT_RDWR)
        listener.close()
        holder.join(timeout=5)
        for conn in held:
            conn.close()


def test_logs_and_rejects_page_like_every_list(bulk) -> None:
    uri = bulk.define("/contacts/imports", IMPORT)
    rows = [{"email": f"bad{i}"} for i in range(5)]
    sync = bulk.run(uri, rows)
    assert sync["status"] == "warning"
    page = bulk.get(sync["uri"] + "/rejects", limit=2, offset=2)
    assert [r["recordIndex"] for r in page["items"]] == [3, 4]
    assert page["totalResults"] == 5
    assert page["hasMore"] is True
    empty = bulk.get(bulk.wait(bulk.sync(uri)["uri"])["uri"] + "/rejects")
    assert empty == {
        "items": [],
        "totalResults": 0,
        "limit": 1000,
        "offset": 0,
        "count": 0,
        "hasMore": False,
    }


def test_a_second_sync_while_one_is_pending_is_409(bulk) -> None:
    uri = bulk.define("/contacts/imports", IMPORT)
    bulk.client.post("/_emulator/worker/pause")
    first = bulk.sync(uri)
    response = bulk.client.post(
        BULK + "/syncs", json={"syncedInstanceUri": uri}, headers=bulk.headers
    )
    assert response.status_code == 409
    assert response.json()["failures"][0]["constraint"] == (
        "A sync of this definition is already pending or active."
    )
    bulk.client.post("/_emulator/worker/resume")
    bulk.wait(first["uri"])
    assert (
        bulk.client.post(
            BULK + "/syncs", json={"syncedInstanceUri": uri}, headers=bulk.headers
        ).status_code
        == 201
    )


def test_uploads_that_trigger_syncs_each_get_one(bulk) -> None:
    uri = bulk.define("/contacts/imports", {**IMPORT, "isSyncTriggeredOnImport": True})
    bulk.client.post("/_emulator/worker/pause")
    first = bulk.stage(uri, [{"email": "one@example.com"}], status=201).json()
    second = bulk.stage(uri, [{"email": "two@example.com"}], status=201).json()
    bulk.client.post("/_emulator/worker/resume")
    assert bulk.wait(first["uri"])["status"] == "success"
    assert bulk.wait(second["uri"])["status"] == "success"


@pytest.mark.parametrize(
    "path",
    [
        "/syncs/99999999999999999999",
        "/syncs/9223372036854775808/data",
        "/contacts/imports/99999999999999999999",
        "/customObjects/99999999999999999999/fields",
    ],
)
def test_ids_too_large_for_eloqua_are_404_not_500(bulk, path) -> None:
    assert bulk.client.get(BULK + path, headers=bulk.headers).status_code == 404


@pytest.mark.parametrize("uri", ["/contacts/exports/99999999999999999999", "/contacts/exports/١"])
def test_instance_uris_with_impossible_ids_are_400(bulk, uri) -> None:
    bulk.define("/contacts/exports", {"name": "e", "fields": {"id": "{{Contact.Id}}"}})
    response = bulk.client.post(
        BULK + "/syncs", json={"syncedInstanceUri": uri}, headers=bulk.headers
    )
    assert response.status_code == 400
