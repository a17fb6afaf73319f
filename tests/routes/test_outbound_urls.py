"""The URLs the emulator calls: a sync's ``callbackUrl`` and an AppCloud app's
``notificationUrl``. One carrying credentials is refused (400, the credentials masked in
the failure, nothing stored); one stored before that rule is shown masked and never
called; and an emulator bound to an interface others can reach calls loopback hosts only
unless ``--outbound-allow`` says otherwise."""

from __future__ import annotations

import http.server
import logging
import socket
import threading
from typing import Any

import pytest

from contract_tests.waiting import wait_until
from emulator.core import constraints as c
from tests.reliability import fingerprint
from tests.routes.bulk import BULK, Bulk
from tests.routes.test_appcloud import GUID, INSTANCES, contact_ids, enter, instance

EXPORT = {"name": "ids", "fields": {"Id": "{{Contact.Id}}"}, "maxRecords": 1}
SECRET = "s3cret"
NOT_CALLED = "not called: the URL carries credentials"


class Receiver(http.server.BaseHTTPRequestHandler):
    """A callback URL: answers 204."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def timeline(bulk: Bulk, sync_uri: str) -> dict[str, Any]:
    response = bulk.client.get(f"/_emulator{sync_uri}/timeline", params={"site": "Acme"})
    assert response.status_code == 200, response.text
    return dict(response.json())


def callback_event(bulk: Bulk, sync_uri: str) -> dict[str, Any]:
    def answered() -> dict[str, Any] | None:
        events = [e for e in timeline(bulk, sync_uri)["events"] if e["event"] == "callback"]
        return events[0] if events else None

    return wait_until(answered, timeout=10, message="the callback's answer was not recorded")


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (f"https://jane:{SECRET}@hooks.example/done?x=1", "https://***@hooks.example/done?x=1"),
        (f"https://{SECRET}@hooks.example/done", "https://***@hooks.example/done"),
        (f"ftp://jane:{SECRET}@hooks.example/done", "ftp://***@hooks.example/done"),
    ],
    ids=["user and password", "user alone", "not http either"],
)
def test_a_callback_url_with_credentials_is_refused_and_not_echoed(
    bulk: Bulk, url: str, shown: str
) -> None:
    uri = bulk.define("/contacts/exports", EXPORT)
    before = fingerprint.of_app(bulk.client.app)
    response = bulk.client.post(
        BULK + "/syncs", json={"syncedInstanceUri": uri, "callbackUrl": url}, headers=bulk.headers
    )
    assert response.status_code == 400
    assert response.json() == {
        "failures": [{"field": "callbackUrl", "constraint": c.URL_CREDENTIALS, "value": shown}]
    }
    assert SECRET not in response.text
    assert fingerprint.changed(before, fingerprint.of_app(bulk.client.app)) == []
    journal = bulk.client.get("/_emulator/requests", params={"limit": 1})
    assert journal.json()["items"][0]["requestBody"].count(shown.split("/")[2]) == 1
    assert SECRET not in journal.text


def test_a_callback_url_stored_with_credentials_is_shown_masked_and_never_called(
    bulk: Bulk, caplog: pytest.LogCaptureFixture
) -> None:
    uri = bulk.define("/contacts/exports", EXPORT)
    bulk.emulator.worker.paused = True
    created = bulk.sync(uri, callbackUrl="https://hooks.example/done")
    sync_id = int(created["uri"].rsplit("/", 1)[1])
    stored = f"https://jane:{SECRET}@hooks.example/done"
    bulk.emulator.store.write_sync(
        lambda db: db.execute("UPDATE syncs SET callback_url = ? WHERE id = ?", [stored, sync_id])
    )
    shown = "https://***@hooks.example/done"
    with caplog.at_level(logging.DEBUG):
        bulk.emulator.worker.paused = False
        bulk.emulator.worker.notify()
        ended = bulk.wait(created["uri"])
        event = callback_event(bulk, created["uri"])
    assert ended["callbackUrl"] == shown
    assert [s["callbackUrl"] for s in bulk.get("/syncs")["items"]] == [shown]
    assert (event["url"], event["status"], event["error"]) == (shown, None, NOT_CALLED)
    assert SECRET not in caplog.text


def test_a_notification_url_with_credentials_is_refused_and_not_echoed(bulk: Bulk) -> None:
    bulk.sign_in()
    before = fingerprint.of_app(bulk.client.app)
    url = f"https://app:{SECRET}@app.example/notify/{{ExecutionId}}"
    response = bulk.client.post(
        INSTANCES, json={"site": "Acme", "type": "action", "notificationUrl": url}
    )
    assert response.status_code == 400
    assert response.json() == {
        "failures": [
            {
                "field": "notificationUrl",
                "constraint": c.URL_CREDENTIALS,
                "value": "https://***@app.example/notify/{ExecutionId}",
            }
        ]
    }
    assert fingerprint.changed(before, fingerprint.of_app(bulk.client.app)) == []


def test_a_notification_url_stored_with_credentials_is_shown_masked_and_never_called(
    bulk: Bulk, caplog: pytest.LogCaptureFixture
) -> None:
    ids = contact_ids(bulk, 1)
    instance(bulk, instanceId=GUID, notificationUrl="https://app.example/notify")
    stored = f"https://app:{SECRET}@app.example/notify"
    bulk.emulator.store.write_sync(
        lambda db: db.execute("UPDATE service_instances SET notification_url = ?", [stored])
    )
    with caplog.at_level(logging.DEBUG):
        execution = enter(bulk, GUID, ids)
        path = f"{INSTANCES}/{GUID}/executions/{execution['executionId']}"
        found = wait_until(
            lambda: (lambda e: e if e["notifications"][0]["sentAt"] else None)(
                bulk.client.get(path).json()
            ),
            timeout=10,
            message="the notification's answer was not recorded",
        )
    note = found["notifications"][0]
    assert (note["url"], note["status"], note["error"]) == (
        "https://***@app.example/notify",
        None,
        NOT_CALLED,
    )
    assert SECRET not in caplog.text
    assert SECRET not in bulk.client.get(path).text


def test_an_emulator_others_can_reach_calls_back_loopback_hosts_only(bulk_factory) -> None:
    bulk = bulk_factory(sync_progression="immediate", host="0.0.0.0")
    uri = bulk.define("/contacts/exports", EXPORT)
    sync = bulk.wait(bulk.sync(uri, callbackUrl="http://10.255.255.1:9000/done")["uri"])
    event = callback_event(bulk, sync["uri"])
    assert event["status"] is None
    assert event["error"].startswith("not called: the host 10.255.255.1 is not allowed")


def test_outbound_allow_lets_an_emulator_others_can_reach_call_a_host(bulk_factory) -> None:
    """The machine's own name is no loopback name (the rule reads names, not DNS), so
    only ``--outbound-allow`` lets the emulator call it."""
    name = socket.gethostname().lower()
    try:
        socket.gethostbyname(name)
    except OSError:
        pytest.skip(f"this machine's name {name} does not resolve")
    server = http.server.HTTPServer(("0.0.0.0", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://{name}:{server.server_port}/done"
        for allow, answer in (("", None), (name, 204)):
            bulk = bulk_factory(sync_progression="immediate", host="0.0.0.0", outbound_allow=allow)
            uri = bulk.define("/contacts/exports", EXPORT)
            sync = bulk.wait(bulk.sync(uri, callbackUrl=url)["uri"])
            assert callback_event(bulk, sync["uri"])["status"] == answer
    finally:
        server.shutdown()
        server.server_close()
