"""``/_emulator/syncs/{id}/timeline``: what happened to a sync, in order: its real status
changes, each chunk with its rows, the logs, rejects, the callback's answer and the
AppCloud notifications of the executions it names; kept across a restart."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from itertools import accumulate, pairwise
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from contract_tests.waiting import wait_until
from emulator import Settings, create_app
from tests.conftest import CONTROL, LOCAL
from tests.routes.bulk import Bulk

GUID = "0b6fd2a4-5d0e-4a8e-9f3b-2c1d7e6a9b10"
DASHLESS = GUID.replace("-", "")

IMPORT = {
    "name": "people",
    "fields": {"e": "{{Contact.Field(C_EmailAddress)}}"},
    "identifierFieldName": "e",
}
ROWS = [{"e": "a@example.com"}, {"e": "not an address"}, {"e": "c@example.com"}] + [
    {"e": f"p{i}@example.com"} for i in range(2)
]


class Receiver(http.server.BaseHTTPRequestHandler):
    """A sync's callback URL, or an app's notification URL: answers 204."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def timeline(bulk: Bulk, sync_uri: str, site: str = "Acme") -> dict[str, Any]:
    response = bulk.client.get(f"/_emulator{sync_uri}/timeline", params={"site": site})
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_an_import_shows_its_statuses_chunks_logs_and_rejects(bulk_factory: Any) -> None:
    bulk = bulk_factory(sync_progression="immediate", sync_chunk=2)
    uri = bulk.define("/contacts/imports", IMPORT)
    sync = bulk.run(uri, ROWS)
    assert sync["status"] == "warning"
    found = timeline(bulk, sync["uri"])
    assert {k: found[k] for k in ("site", "uri", "syncedInstanceUri", "status")} == {
        "site": "Acme",
        "uri": sync["uri"],
        "syncedInstanceUri": uri,
        "status": "warning",
    }
    assert (found["rows"], found["rejects"]) == (5, 1)
    events = found["events"]
    kinds = [e["event"] for e in events]
    assert [e["status"] for e in events if e["event"] == "status"] == [
        "pending",
        "active",
        "warning",
    ]
    # at most --sync-chunk rows each (a quarter of it while other writes wait)
    chunks = [(e["rows"], e["total"]) for e in events if e["event"] == "chunk"]
    assert len(chunks) == found["chunks"] >= 3
    assert all(1 <= rows <= 2 for rows, _ in chunks)
    assert [total for _, total in chunks] == list(accumulate(rows for rows, _ in chunks))
    assert chunks[-1][1] == 5
    logs = {e["statusCode"]: e["count"] for e in events if e["event"] == "log"}
    assert logs == bulk.logs(sync["uri"])
    # in order: created, started, chunks, the logs the last chunk wrote, ended
    assert kinds[:2] == ["status", "status"]
    assert kinds[-1] == "status"
    assert max(i for i, k in enumerate(kinds) if k == "chunk") < kinds.index("log")
    assert all(a["at"][:23] <= b["at"][:23] for a, b in pairwise(events))  # to the ms


def test_an_export_counts_the_records_it_wrote(bulk: Bulk) -> None:
    uri = bulk.define(
        "/contacts/exports",
        {"name": "ids", "fields": {"Id": "{{Contact.Id}}"}, "maxRecords": 7},
    )
    sync = bulk.wait(bulk.sync(uri)["uri"])
    found = timeline(bulk, sync["uri"])
    assert (found["status"], found["rows"], found["rejects"]) == ("success", 7, 0)
    chunks = [(e["rows"], e["total"]) for e in found["events"] if e["event"] == "chunk"]
    assert chunks[0] == (7, 7)  # a full chunk; the next finds no more and ends the sync
    assert chunks[1:] in ([], [(0, 7)])


def test_the_timeline_shows_the_real_status_not_the_polled_one(bulk_factory: Any) -> None:
    bulk = bulk_factory(sync_progression="manual")
    uri = bulk.define("/contacts/imports", IMPORT)
    bulk.stage(uri, ROWS[:1])
    sync = bulk.sync(uri)

    def ended() -> dict[str, Any] | None:
        found = timeline(bulk, sync["uri"])
        return found if found["status"] == "success" else None

    found = wait_until(ended, timeout=20, message="the sync did not run")
    assert bulk.get(sync["uri"])["status"] == "pending"  # what a poller sees
    assert found["syncEndedAt"] is not None


def test_the_callback_and_its_answer_are_on_the_timeline(bulk: Bulk, receiver: str) -> None:
    uri = bulk.define("/contacts/imports", IMPORT)
    bulk.stage(uri, ROWS[:1])
    answered = bulk.wait(bulk.sync(uri, callbackUrl=receiver + "/done")["uri"])
    unanswered_uri = bulk.define("/contacts/imports", {**IMPORT, "name": "other"})
    bulk.stage(unanswered_uri, ROWS[:1])
    unanswered = bulk.wait(bulk.sync(unanswered_uri, callbackUrl="http://127.0.0.1:9/x")["uri"])

    def callback(sync_uri: str) -> dict[str, Any] | None:
        events = timeline(bulk, sync_uri)["events"]
        return next((e for e in events if e["event"] == "callback"), None)

    ok = wait_until(lambda: callback(answered["uri"]), timeout=10, message="no callback")
    assert (ok["url"], ok["status"], ok["error"]) == (receiver + "/done", 204, None)
    refused = wait_until(lambda: callback(unanswered["uri"]), timeout=10, message="no callback")
    assert refused["status"] is None
    assert refused["error"]
    assert timeline(bulk, answered["uri"])["events"][-1]["event"] == "callback"


def test_appcloud_notifications_of_the_execution_it_names(bulk: Bulk, receiver: str) -> None:
    ids = bulk.define(
        "/contacts/exports", {"name": "ids", "fields": {"Id": "{{Contact.Id}}"}, "maxRecords": 3}
    )
    records = bulk.get(bulk.wait(bulk.sync(ids)["uri"])["uri"] + "/data")["items"]
    made = bulk.client.post(
        "/_emulator/appcloud/instances",
        json={"site": "Acme", "type": "action", "instanceId": GUID, "notificationUrl": receiver},
    )
    assert made.status_code == 201, made.text
    entered = bulk.client.post(
        f"/_emulator/appcloud/instances/{GUID}/executions",
        json={"recordIds": [int(r["Id"]) for r in records]},
    )
    execution = entered.json()["executionId"]
    statement = f"{{{{ActionInstance({DASHLESS}).Execution[{execution}]}}}}"
    uri = bulk.define(
        "/contacts/exports",
        {
            "name": "pending",
            "fields": {"Id": "{{Contact.Id}}"},
            "filter": f"STATUS('{statement}') = 'pending'",
        },
    )
    sync = bulk.wait(bulk.sync(uri)["uri"])

    def notified() -> list[dict[str, Any]] | None:
        events = timeline(bulk, sync["uri"])["events"]
        notes = [e for e in events if e["event"] == "notification"]
        return notes if notes and all(n["status"] is not None for n in notes) else None

    notes = wait_until(notified, timeout=10, message="no notification on the timeline")
    assert [(n["instance"], n["execution"], n["url"], n["status"]) for n in notes] == [
        (DASHLESS, execution, receiver, 204)
    ]
    assert timeline(bulk, sync["uri"])["rows"] == 3
    plain = bulk.define("/contacts/exports", {"name": "no app", "fields": {"Id": "{{Contact.Id}}"}})
    other = bulk.wait(bulk.sync(plain)["uri"])
    assert not [e for e in timeline(bulk, other["uri"])["events"] if e["event"] == "notification"]


def test_unknown_sites_and_syncs_are_404s(bulk: Bulk) -> None:
    uri = bulk.define("/contacts/imports", IMPORT)
    sync = bulk.run(uri, ROWS[:1])
    for site, sync_uri in (("Nobody", sync["uri"]), ("Acme", "/syncs/999"), ("", sync["uri"])):
        response = bulk.client.get(f"/_emulator{sync_uri}/timeline", params={"site": site})
        assert response.status_code == 404
        assert response.json()["failures"]


def test_the_timeline_survives_a_restart(tmp_path: Path) -> None:
    settings = Settings(db=str(tmp_path / "store.db"), sync_progression="immediate", sync_chunk=2)
    with TestClient(create_app(settings), base_url=LOCAL, headers=CONTROL) as client:
        bulk = Bulk(client)
        sync = bulk.run(bulk.define("/contacts/imports", IMPORT), ROWS)
        before = timeline(bulk, sync["uri"])
    with TestClient(create_app(settings), base_url=LOCAL, headers=CONTROL) as client:
        after = timeline(Bulk(client), sync["uri"])
    assert after == before
    assert after["rows"] == 5
    assert after["chunks"] >= 3
