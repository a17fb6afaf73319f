"""The emulated clock (``/_emulator/clock``): moved forward by the control plane, and read
by everything that ages: definitions, staged and exported data, tokens, ``seconds:S``
progression and every timestamp shown."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from contract_tests.waiting import wait_until
from tests.conftest import bearer
from tests.routes.bulk import BULK, Bulk

EMAIL = "{{Contact.Field(C_EmailAddress)}}"
IMPORT = {"name": "i", "fields": {"email": EMAIL}, "identifierFieldName": "email"}
FIELDS = BULK + "/contacts/fields"


def advance(client: TestClient, seconds: float) -> dict[str, Any]:
    response = client.post("/_emulator/clock/advance", json={"seconds": seconds})
    assert response.status_code == 200, response.text
    return dict(response.json())


def count(bulk: Bulk, table: str) -> int:
    return int(
        bulk.emulator.store.read_sync(
            lambda db: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        )
    )


def test_the_clock_shows_the_time_and_moves_only_forward(client, clock) -> None:
    clock.now = 1_800_000_000.0  # the real time under it: 2027-01-15T08:00:00Z
    assert client.get("/_emulator/clock").json() == {
        "now": "2027-01-15T08:00:00.0000000Z",
        "epoch": 1_800_000_000.0,
        "offsetSeconds": 0.0,
    }
    assert advance(client, 90.5) == {
        "now": "2027-01-15T08:01:30.5000000Z",
        "epoch": 1_800_000_090.5,
        "offsetSeconds": 90.5,
    }
    later = client.post("/_emulator/clock", json={"now": "2027-01-16T10:00:00+02:00"})
    assert later.status_code == 200
    assert later.json()["now"] == "2027-01-16T08:00:00.0000000Z"
    assert later.json()["offsetSeconds"] == 86_400.0
    back = client.post("/_emulator/clock", json={"now": "2027-01-16T07:59:59Z"})
    assert back.status_code == 409
    assert back.json() == {
        "failures": [
            {
                "field": "now",
                "constraint": "The clock shows 2027-01-16T08:00:00.0000000Z and never goes back.",
                "value": "2027-01-16T07:59:59Z",
            }
        ]
    }
    stood_still = client.post("/_emulator/clock/advance", json={"seconds": -1})
    assert stood_still.status_code == 400
    assert stood_still.json()["failures"][0]["field"] == "seconds"
    assert client.get("/_emulator/clock").json()["now"] == "2027-01-16T08:00:00.0000000Z"


def test_bad_clock_bodies_are_refused_in_eloquas_shape(client) -> None:
    for path, body in [
        ("/_emulator/clock/advance", {}),
        ("/_emulator/clock/advance", {"seconds": "3600"}),
        ("/_emulator/clock/advance", {"seconds": 60, "extra": 1}),
        ("/_emulator/clock", {"now": "next tuesday"}),
        ("/_emulator/clock", {"now": "2027-01-16T08:00:00Z", "seconds": 1}),
        ("/_emulator/clock", ["2027-01-16T08:00:00Z"]),
    ]:
        response = client.post(path, json=body)
        assert response.status_code == 400, (path, body)
        assert {"field", "constraint"} <= set(response.json()["failures"][0])
    assert client.get("/_emulator/clock").json()["offsetSeconds"] == 0


def test_timestamps_shown_are_the_emulated_time(bulk) -> None:
    bulk.client.post("/_emulator/clock", json={"now": "2030-06-01T12:00:00Z"})
    uri = bulk.define("/contacts/imports", IMPORT)
    definition = bulk.get(uri)
    assert definition["createdAt"].startswith("2030-06-01T12:00:00")
    assert definition["updatedAt"].startswith("2030-06-01T12:00:00")
    bulk.stage(uri, [{"email": "later@example.com"}])
    advance(bulk.client, 60)
    sync = bulk.wait(bulk.sync(uri)["uri"])
    for key in ("createdAt", "syncStartedAt", "syncEndedAt"):
        assert sync[key].startswith("2030-06-01T12:01:00"), (key, sync)
    export = bulk.define(
        "/contacts/exports",
        {
            "name": "created",
            "fields": {"email": EMAIL, "created": "{{Contact.CreatedAt}}"},
            "filter": f"'{EMAIL}' = 'later@example.com'",
            "areSystemTimestampsInUTC": True,
        },
    )
    exported = bulk.wait(bulk.sync(export)["uri"])
    rows = bulk.get(exported["uri"] + "/data")["items"]
    assert rows == [{"email": "later@example.com", "created": "2030-06-01 12:01:00.000"}]


def test_a_definition_goes_once_the_clock_passes_its_auto_delete_duration(bulk) -> None:
    uri = bulk.define(
        "/contacts/exports",
        {"name": "short", "fields": {"id": "{{Contact.Id}}"}, "autoDeleteDuration": "PT1H"},
    )
    advance(bulk.client, 3599)
    assert bulk.client.get(BULK + uri, headers=bulk.headers).status_code == 200
    advance(bulk.client, 2)
    gone = bulk.client.get(BULK + uri, headers=bulk.headers)
    assert gone.status_code == 404
    assert gone.json()["failures"][0]["constraint"] == "The requested resource was not found."
    assert bulk.get("/contacts/exports")["items"] == []


def test_staged_data_past_its_retention_is_not_imported_and_is_purged(bulk) -> None:
    uri = bulk.define("/contacts/imports", {**IMPORT, "dataRetentionDuration": "PT1H"})
    bulk.stage(uri, [{"email": "old@example.com"}, {"email": "older@example.com"}])
    assert count(bulk, "staged_rows") == 2
    advance(bulk.client, 3601)
    # the worker, woken by the advance, deletes what expired without waiting for a sync
    wait_until(lambda: count(bulk, "staged_rows") == 0, timeout=10, message="not purged")
    bulk.stage(uri, [{"email": "new@example.com"}])
    sync = bulk.wait(bulk.sync(uri)["uri"])
    assert bulk.logs(sync["uri"])["ELQ-00130"] == 1  # only the fresh row was staged
    emails = export_emails(bulk)
    assert "new@example.com" in emails
    assert "old@example.com" not in emails


def export_emails(bulk: Bulk) -> set[str]:
    uri = bulk.define("/contacts/exports", {"name": "emails", "fields": {"email": EMAIL}})
    sync = bulk.wait(bulk.sync(uri)["uri"])
    return {row["email"] for row in bulk.get(sync["uri"] + "/data", limit=50000)["items"]}


def test_exported_data_past_its_retention_is_gone(bulk) -> None:
    uri = bulk.define(
        "/contacts/exports",
        {"name": "kept", "fields": {"id": "{{Contact.Id}}"}, "dataRetentionDuration": "PT1H"},
    )
    sync = bulk.wait(bulk.sync(uri)["uri"])
    assert bulk.get(sync["uri"] + "/data", limit=1)["count"] == 1
    advance(bulk.client, 3601)
    expired = bulk.client.get(BULK + sync["uri"] + "/data", headers=bulk.headers)
    assert expired.status_code == 404
    assert expired.json()["failures"][0]["constraint"] == (
        "The synced data has expired or was deleted."
    )
    wait_until(lambda: count(bulk, "export_rows") == 0, timeout=10, message="not purged")


def test_a_token_past_its_lifetime_gets_401(client_factory, settings_factory) -> None:
    client = client_factory(settings_factory(token_ttl=60))
    token = client.post(
        "/auth/oauth2/token",
        data={"grant_type": "password", "username": "Acme\\jane", "password": "pw"},
        auth=("app", "secret"),
    ).json()["access_token"]
    assert client.get(FIELDS, headers=bearer(token)).status_code == 200  # now also cached
    advance(client, 59)
    assert client.get(FIELDS, headers=bearer(token)).status_code == 200
    advance(client, 1)
    expired = client.get(FIELDS, headers=bearer(token))
    assert expired.status_code == 401
    assert expired.json()["failures"][0]["constraint"] == "The access token has expired."


def test_seconds_progression_follows_the_emulated_clock(bulk_factory) -> None:
    bulk = bulk_factory(sync_progression="seconds:30")
    uri = bulk.define("/contacts/imports", IMPORT)
    bulk.stage(uri, [{"email": "s@example.com"}])
    sync = bulk.sync(uri)
    wait_until(lambda: bulk.emulator.worker.completed >= 1, timeout=10, message="no sync ran")
    assert bulk.get(sync["uri"])["status"] == "pending"
    advance(bulk.client, 30)
    assert bulk.get(sync["uri"])["status"] == "active"
    advance(bulk.client, 30)
    assert bulk.get(sync["uri"])["status"] == "success"
