"""AppCloud through the control plane: service instances, records entering a step, the
notification the app receives, and the pending members an export pulls."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from typing import Any, ClassVar

import orjson
import pytest

from contract_tests.waiting import wait_until
from tests.routes.bulk import Bulk

INSTANCES = "/_emulator/appcloud/instances"
GUID = "f82d50cd-86a9-4fca-b37e-4ec9a98b0339"
DASHLESS = "f82d50cd86a94fcab37e4ec9a98b0339"


class App(http.server.BaseHTTPRequestHandler):
    """An app's notification endpoint: records each call, answers 204."""

    received: ClassVar[list[tuple[str, Any]]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        App.received.append((self.path, orjson.loads(self.rfile.read(length))))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def app_url() -> Iterator[str]:
    App.received = []
    server = http.server.HTTPServer(("127.0.0.1", 0), App)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def instance(bulk: Bulk, **body: Any) -> dict[str, Any]:
    bulk.sign_in()
    response = bulk.client.post(INSTANCES, json={"site": "Acme", "type": "action", **body})
    assert response.status_code == 201, response.text
    return dict(response.json())


def enter(bulk: Bulk, guid: str, record_ids: list[int], **body: Any) -> dict[str, Any]:
    response = bulk.client.post(
        f"{INSTANCES}/{guid}/executions", json={"recordIds": record_ids, **body}
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def answered(bulk: Bulk, guid: str, execution: int, calls: int) -> dict[str, Any]:
    def sent() -> dict[str, Any] | None:
        found = bulk.client.get(f"{INSTANCES}/{guid}/executions/{execution}").json()
        if sum(n["sentAt"] is not None for n in found["notifications"]) >= calls:
            return dict(found)
        return None

    return wait_until(sent, timeout=10, every=0.02, message="the app was not notified")


def contact_ids(bulk: Bulk, count: int) -> list[int]:
    uri = bulk.define(
        "/contacts/exports",
        {"name": "ids", "fields": {"Id": "{{Contact.Id}}"}, "maxRecords": count},
    )
    sync = bulk.wait(bulk.sync(uri)["uri"])
    return [int(r["Id"]) for r in bulk.get(sync["uri"] + "/data")["items"]]


def pending_export(bulk: Bulk, statement: str) -> list[int]:
    uri = bulk.define(
        "/contacts/exports",
        {
            "name": "pending",
            "fields": {"ContactID": "{{Contact.Id}}"},
            "filter": f"STATUS('{statement}') = 'pending'",
        },
    )
    sync = bulk.wait(bulk.sync(uri)["uri"])
    assert sync["status"] == "success", bulk.get(sync["uri"] + "/logs")
    return [int(r["ContactID"]) for r in bulk.get(sync["uri"] + "/data").get("items", [])]


def test_a_service_instance_is_named_without_dashes_in_statements(bulk: Bulk) -> None:
    created = instance(bulk, instanceId=GUID, notificationUrl=None)
    assert created["instanceId"] == GUID
    assert created["statement"] == f"{{{{ActionInstance({DASHLESS})}}}}"
    assert created["recordsPerNotification"] == 0
    assert created["recordDefinition"]["ContactID"] == "{{Contact.Id}}"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"site": "Acme", "type": "robot"}, "type"),
        ({"site": "Acme", "type": ["action"]}, "type"),
        ({"site": "Acme", "type": "action", "entity": "customObjects/999"}, "entity"),
        ({"site": "Nowhere", "type": "action"}, "site"),
        ({"site": "Acme", "type": "action", "entity": "accounts"}, "entity"),
        ({"site": "Acme", "type": "action", "instanceId": DASHLESS}, "instanceId"),
        (
            {"site": "Acme", "type": "action", "recordsPerNotification": 5001},
            "recordsPerNotification",
        ),
        ({"site": "Acme", "type": "action", "notificationUrl": "ftp://x"}, "notificationUrl"),
        (
            {
                "site": "Acme",
                "type": "action",
                "recordDefinition": {"X": "{{Contact.Field(Nope)}}"},
            },
            "recordDefinition.X",
        ),
    ],
)
def test_a_bad_instance_is_refused_naming_the_property(
    bulk: Bulk, body: dict[str, Any], field: str
) -> None:
    bulk.get("/contacts/fields", limit=1)
    response = bulk.client.post(INSTANCES, json=body)
    assert response.status_code == 400
    assert field in [f["field"] for f in response.json()["failures"]]


def test_records_enter_the_step_pending_and_an_export_pulls_exactly_them(bulk: Bulk) -> None:
    ids = contact_ids(bulk, 5)
    created = instance(bulk, instanceId=GUID)
    execution = enter(bulk, GUID, [ids[3], ids[1]])
    assert execution["members"] == [
        {"recordId": ids[1], "status": "pending"},
        {"recordId": ids[3], "status": "pending"},
    ]
    assert execution["statement"] == (
        f"{{{{ActionInstance({DASHLESS}).Execution[{execution['executionId']}]}}}}"
    )
    assert pending_export(bulk, execution["statement"]) == [ids[1], ids[3]]
    assert pending_export(bulk, created["statement"]) == [ids[1], ids[3]]
    other = enter(bulk, GUID, [ids[0]])
    assert pending_export(bulk, other["statement"]) == [ids[0]]


def test_unknown_records_and_instances_are_refused(bulk: Bulk) -> None:
    instance(bulk, instanceId=GUID)
    response = bulk.client.post(f"{INSTANCES}/{GUID}/executions", json={"recordIds": [99999999]})
    assert response.status_code == 400
    assert response.json()["failures"][0]["field"] == "recordIds"
    unknown = "00000000-0000-0000-0000-000000000000"
    response = bulk.client.post(f"{INSTANCES}/{unknown}/executions", json={"recordIds": [1]})
    assert response.status_code == 404
    assert bulk.client.get(f"{INSTANCES}/{GUID}/executions/12345").status_code == 404


def test_with_no_records_per_notification_the_app_gets_the_envelope_alone(
    bulk: Bulk, app_url: str
) -> None:
    ids = contact_ids(bulk, 3)
    url = app_url + "/notify?instance={InstanceId}&asset={AssetId}&execution={ExecutionId}"
    instance(bulk, instanceId=GUID, notificationUrl=url)
    execution = enter(bulk, GUID, ids, assetId=77)
    found = answered(bulk, GUID, execution["executionId"], 1)
    path, body = App.received[0]
    assert path == f"/notify?instance={GUID}&asset=77&execution={execution['executionId']}"
    assert body == {
        "offset": 0,
        "limit": 0,
        "totalResults": 3,
        "count": 0,
        "hasMore": False,
        "items": [],
    }
    assert found["notifications"][0]["status"] == 204
    assert found["notifications"][0]["items"] == 0


def test_with_records_per_notification_the_app_gets_pages_of_items(
    bulk: Bulk, app_url: str
) -> None:
    ids = contact_ids(bulk, 5)
    instance(
        bulk,
        instanceId=GUID,
        notificationUrl=app_url + "/n/{ExecutionId}",
        recordsPerNotification=2,
        recordDefinition={
            "ContactID": "{{Contact.Id}}",
            "Email": "{{Contact.Field(C_EmailAddress)}}",
        },
    )
    execution = enter(bulk, GUID, ids)
    answered(bulk, GUID, execution["executionId"], 3)
    bodies = [body for _, body in App.received]
    assert [(b["offset"], b["count"], b["hasMore"]) for b in bodies] == [
        (0, 2, True),
        (2, 2, True),
        (4, 1, False),
    ]
    assert all(b["totalResults"] == 5 and b["limit"] == 2 for b in bodies)
    items = [item for b in bodies for item in b["items"]]
    assert [int(i["ContactID"]) for i in items] == ids
    assert all("@" in i["Email"] for i in items)


def test_an_unreachable_app_is_recorded_and_the_step_keeps_its_members(bulk: Bulk) -> None:
    ids = contact_ids(bulk, 1)
    instance(bulk, instanceId=GUID, notificationUrl="http://127.0.0.1:9/nowhere")
    execution = enter(bulk, GUID, ids)
    found = answered(bulk, GUID, execution["executionId"], 1)
    assert found["notifications"][0]["status"] is None
    assert found["notifications"][0]["error"]
    assert found["members"] == [{"recordId": ids[0], "status": "pending"}]


def test_a_deleted_instance_takes_its_executions_along(bulk: Bulk) -> None:
    ids = contact_ids(bulk, 1)
    instance(bulk, instanceId=GUID)
    execution = enter(bulk, GUID, ids)
    assert bulk.client.delete(f"{INSTANCES}/{GUID}").status_code == 204
    assert (
        bulk.client.get(f"{INSTANCES}/{GUID}/executions/{execution['executionId']}").status_code
        == 404
    )
    assert bulk.client.delete(f"{INSTANCES}/{GUID}").status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"recordIds": [2**63]},
        {"recordIds": [1, "2"]},
        {"recordIds": []},
        {"recordIds": [1], "assetId": 2**64},
        {"recordIds": [1], "executionId": 0},
        {"recordIds": [1], "executionId": True},
    ],
)
def test_bad_execution_input_is_a_400_naming_the_property(bulk: Bulk, body: dict[str, Any]) -> None:
    instance(bulk, instanceId=GUID)
    response = bulk.client.post(f"{INSTANCES}/{GUID}/executions", json=body)
    assert response.status_code == 400
    assert response.json()["failures"][0]["field"] in body


def test_a_custom_object_step_notifies_only_its_own_records(bulk: Bulk, app_url: str) -> None:
    instance(
        bulk,
        instanceId=GUID,
        entity="customObjects/9",
        notificationUrl=app_url + "/n",
        recordsPerNotification=5,
        recordDefinition={"Id": "{{CustomObject[9].Id}}", "Ext": "{{CustomObject[9].ExternalId}}"},
    )
    execution = enter(bulk, GUID, [1])
    answered(bulk, GUID, execution["executionId"], 1)
    (_, body), *_ = App.received
    assert body["items"] == [{"Id": "1", "Ext": "CDO9-00001"}]
    assert body["totalResults"] == 1


def test_a_content_service_has_no_bulk_statement(bulk: Bulk) -> None:
    created = instance(bulk, type="content")
    assert created["statement"] is None


class Garbage(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.wfile.write(b"garbage\r\n\r\n")

    def log_message(self, *args: Any) -> None:
        pass


def test_an_app_answering_garbage_is_recorded_and_later_pages_still_go(bulk: Bulk) -> None:
    server = http.server.HTTPServer(("127.0.0.1", 0), Garbage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        instance(
            bulk,
            instanceId=GUID,
            notificationUrl=f"http://127.0.0.1:{server.server_port}/n",
            recordsPerNotification=1,
        )
        execution = enter(bulk, GUID, [1, 2])
        found = answered(bulk, GUID, execution["executionId"], 2)
        assert [n["status"] for n in found["notifications"]] == [None, None]
        assert all(n["error"] for n in found["notifications"])
    finally:
        server.shutdown()
        server.server_close()
