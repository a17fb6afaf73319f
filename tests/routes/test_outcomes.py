"""Outcomes on demand (``/_emulator/outcomes``): a definition's next sync, or a pending
sync, forced to end ``error`` or ``warning``, or held ``active`` until released; what the
sync then shows (status, logs, rejects) and what it stored."""

from __future__ import annotations

import time
from typing import Any

import orjson
import pytest

from tests.routes.bulk import Bulk

EMAIL = "{{Contact.Field(C_EmailAddress)}}"
FIRST = "{{Contact.Field(C_FirstName)}}"
CONTROL = {"X-Emulator-Control": "1"}  # a control request without a body shows intent


def contact_import(bulk: Bulk) -> str:
    return bulk.define(
        "/contacts/imports",
        {"name": "c", "fields": {"email": EMAIL, "first": FIRST}, "identifierFieldName": "email"},
    )


def rows(domain: str, count: int) -> list[dict[str, str]]:
    return [{"email": f"r{n}@{domain}", "first": f"R{n}"} for n in range(1, count + 1)]


def stored(bulk: Bulk, domain: str) -> list[str]:
    """The e-mail addresses of the site's stored contacts at ``domain``, by id."""
    site = int(bulk.client.get("/id", headers=bulk.headers).json()["site"]["id"])
    found = bulk.emulator.store.read_sync(
        lambda db: db.execute(
            "SELECT fields FROM contacts WHERE site_id = ? ORDER BY id", [site]
        ).fetchall()
    )
    emails = [orjson.loads(fields).get("C_EmailAddress") or "" for (fields,) in found]
    return [email for email in emails if email.endswith("@" + domain)]


def force(bulk: Bulk, expect: int = 201, **body: Any) -> dict[str, Any]:
    response = bulk.client.post("/_emulator/outcomes", json={"site": "Acme", **body})
    assert response.status_code == expect, response.text
    return dict(response.json())


def listed(bulk: Bulk, **params: str) -> list[dict[str, Any]]:
    response = bulk.client.get("/_emulator/outcomes", params=params)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def log_lines(bulk: Bulk, sync_uri: str) -> list[tuple[str, str, int, str | None]]:
    return [
        (i["statusCode"], i["severity"], i["count"], i.get("message"))
        for i in bulk.get(sync_uri + "/logs")["items"]
    ]


def pause(bulk: Bulk) -> None:
    assert bulk.client.post("/_emulator/worker/pause", headers=CONTROL).status_code == 200


def resume(bulk: Bulk) -> None:
    assert bulk.client.post("/_emulator/worker/resume", headers=CONTROL).status_code == 200


@pytest.fixture
def signed_in(bulk: Bulk) -> Bulk:
    bulk.sign_in()
    return bulk


def test_an_error_outcome_fails_the_next_sync_of_the_definition_and_stores_nothing(
    signed_in: Bulk,
) -> None:
    bulk = signed_in
    uri = contact_import(bulk)
    forced = force(
        bulk,
        definition=uri,
        status="error",
        log={"statusCode": "ELQ-00107", "message": "There was an error processing the file."},
    )
    assert forced == {
        "id": forced["id"],
        "site": "Acme",
        "definition": uri,
        "sync": None,
        "status": "error",
        "state": "pending",
        "log": {
            "statusCode": "ELQ-00107",
            "count": 0,
            "message": "There was an error processing the file.",
        },
        "createdAt": forced["createdAt"],
    }
    sync = bulk.run(uri, rows("failed.test", 3))
    assert sync["status"] == "error"
    assert "syncEndedAt" in sync
    assert log_lines(bulk, sync["uri"]) == [
        ("ELQ-00107", "error", 0, "There was an error processing the file."),
        ("ELQ-00101", "information", 0, "Sync processed for sync , resulting in Error status."),
    ]
    assert bulk.rejects(sync["uri"]) == []
    assert stored(bulk, "failed.test") == []
    assert listed(bulk) == []  # used up


def test_an_outcome_is_used_once_the_sync_after_runs_as_usual(signed_in: Bulk) -> None:
    bulk = signed_in
    uri = contact_import(bulk)
    force(bulk, definition=uri, status="error")
    first = bulk.run(uri, rows("once.test", 2))
    second = bulk.run(uri, rows("once.test", 2))
    assert (first["status"], second["status"]) == ("error", "success")
    assert log_lines(bulk, first["uri"])[0] == (
        "ELQ-00146",
        "error",
        0,
        "The sync failed because of a temporary error.",
    )
    assert stored(bulk, "once.test") == ["r1@once.test", "r2@once.test"]


def test_an_error_log_line_without_a_known_text_has_no_message(signed_in: Bulk) -> None:
    bulk = signed_in
    uri = contact_import(bulk)
    force(bulk, definition=uri, status="error", log={"statusCode": "ELQ-00999", "count": 4})
    sync = bulk.run(uri, rows("quiet.test", 1))
    assert log_lines(bulk, sync["uri"])[0] == ("ELQ-00999", "error", 4, None)


def test_an_export_forced_to_error_has_no_data(signed_in: Bulk) -> None:
    bulk = signed_in
    export = bulk.define("/contacts/exports", {"name": "e", "fields": {"email": EMAIL}})
    force(bulk, definition=export, status="error")
    sync = bulk.wait(bulk.sync(export)["uri"])
    assert sync["status"] == "error"
    response = bulk.client.get("/api/bulk/2.0" + sync["uri"] + "/data", headers=bulk.headers)
    assert response.status_code == 404


def test_a_sync_action_forced_to_error_acts_on_nothing(signed_in: Bulk) -> None:
    bulk = signed_in
    before = bulk.get("/contacts/lists/12")["count"]
    uri = bulk.define(
        "/contacts/syncActions",
        {
            "name": "a",
            "fields": {"ContactID": "{{Contact.Id}}"},
            "identifierFieldName": "ContactID",
            "syncActions": [{"action": "add", "destination": "{{ContactList[12]}}"}],
        },
    )
    force(bulk, definition=uri, status="error")
    sync = bulk.run(uri, [{"ContactID": "2"}, {"ContactID": "8"}])
    assert sync["status"] == "error"
    assert bulk.get("/contacts/lists/12")["count"] == before


def test_a_warning_rejects_the_first_rows_and_applies_the_rest(signed_in: Bulk) -> None:
    bulk = signed_in
    uri = contact_import(bulk)
    forced = force(bulk, definition=uri, status="warning", rejects=2)
    assert forced["rejects"] == 2
    assert "log" not in forced
    sync = bulk.run(uri, rows("warned.test", 5))
    assert sync["status"] == "warning"
    assert bulk.rejects(sync["uri"]) == [
        {
            "fieldValues": {"email": f"r{n}@warned.test", "first": f"R{n}"},
            "message": "Invalid field value.",
            "statusCode": "ELQ-00040",
            "recordIndex": n,
            "invalidFields": ["email"],
        }
        for n in (1, 2)
    ]
    lines = {code: (severity, count) for code, severity, count, _ in log_lines(bulk, sync["uri"])}
    assert lines["ELQ-00144"] == ("warning", 2)
    assert lines["ELQ-00004"] == ("information", 3)
    assert lines["ELQ-00001"] == ("information", 5)
    assert (
        "ELQ-00101",
        "information",
        0,
        "Sync processed for sync , resulting in Warning status.",
    ) in (log_lines(bulk, sync["uri"]))
    assert stored(bulk, "warned.test") == ["r3@warned.test", "r4@warned.test", "r5@warned.test"]


def test_a_warning_with_no_rejects_still_ends_warning(signed_in: Bulk) -> None:
    bulk = signed_in
    uri = contact_import(bulk)
    assert force(bulk, definition=uri, status="warning")["rejects"] == 0
    sync = bulk.run(uri, rows("mild.test", 2))
    assert sync["status"] == "warning"
    assert bulk.rejects(sync["uri"]) == []
    assert stored(bulk, "mild.test") == ["r1@mild.test", "r2@mild.test"]


def test_more_rejects_than_rows_rejects_every_row(signed_in: Bulk) -> None:
    bulk = signed_in
    uri = contact_import(bulk)
    force(bulk, definition=uri, status="warning", rejects=10)
    sync = bulk.run(uri, rows("all.test", 3))
    assert [r["recordIndex"] for r in bulk.rejects(sync["uri"])] == [1, 2, 3]
    assert stored(bulk, "all.test") == []


def test_forced_rejects_run_on_across_chunks_and_files(bulk_factory) -> None:
    bulk = bulk_factory(sync_progression="immediate", sync_chunk=2)
    bulk.sign_in()
    uri = contact_import(bulk)
    force(bulk, definition=uri, status="warning", rejects=3)
    bulk.stage(uri, rows("chunked.test", 2))
    sync = bulk.run(uri, [{"email": f"s{n}@chunked.test", "first": "S"} for n in (1, 2, 3)])
    assert [r["recordIndex"] for r in bulk.rejects(sync["uri"])] == [1, 2, 3]
    assert stored(bulk, "chunked.test") == ["s2@chunked.test", "s3@chunked.test"]


def test_an_active_outcome_holds_the_sync_until_it_is_released(signed_in: Bulk) -> None:
    bulk = signed_in
    uri = contact_import(bulk)
    forced = force(bulk, definition=uri, status="active")
    bulk.stage(uri, rows("held.test", 2))
    sync_uri = bulk.sync(uri)["uri"]
    deadline = time.monotonic() + 10
    while bulk.get(sync_uri)["status"] == "pending" and time.monotonic() < deadline:
        time.sleep(0.02)
    for _ in range(5):  # the worker leaves it alone
        time.sleep(0.05)
        item = bulk.get(sync_uri)
        assert item["status"] == "active"
        assert "syncStartedAt" in item
    assert stored(bulk, "held.test") == []
    [holding] = listed(bulk)
    assert (holding["id"], holding["sync"], holding["state"]) == (forced["id"], sync_uri, "started")
    busy = bulk.client.post(
        "/api/bulk/2.0/syncs", json={"syncedInstanceUri": uri}, headers=bulk.headers
    )
    assert busy.status_code == 409  # a sync of the definition is under way, as on a pod
    sync_id = sync_uri.rsplit("/", 1)[1]
    released = bulk.client.post(
        f"/_emulator/syncs/{sync_id}/release", params={"site": "acme"}, headers=CONTROL
    )
    assert released.status_code == 200
    assert released.json() == {"site": "Acme", "uri": sync_uri}
    assert bulk.wait(sync_uri)["status"] == "success"
    assert stored(bulk, "held.test") == ["r1@held.test", "r2@held.test"]
    assert listed(bulk) == []


def test_deleting_a_started_hold_releases_its_sync(signed_in: Bulk) -> None:
    bulk = signed_in
    uri = contact_import(bulk)
    forced = force(bulk, definition=uri, status="active")
    bulk.stage(uri, rows("let-go.test", 1))
    sync_uri = bulk.sync(uri)["uri"]
    deadline = time.monotonic() + 10
    while listed(bulk)[0]["state"] == "pending" and time.monotonic() < deadline:
        time.sleep(0.02)
    deleted = bulk.client.delete(f"/_emulator/outcomes/{forced['id']}", headers=CONTROL)
    assert deleted.status_code == 204
    assert bulk.wait(sync_uri)["status"] == "success"
    assert stored(bulk, "let-go.test") == ["r1@let-go.test"]


def test_a_pending_sync_can_be_named_and_wins_over_its_definitions_outcome(
    signed_in: Bulk,
) -> None:
    bulk = signed_in
    uri = contact_import(bulk)
    pause(bulk)
    bulk.stage(uri, rows("named.test", 1))
    sync_uri = bulk.sync(uri)["uri"]
    waiting = force(bulk, definition=uri, status="error")
    named = force(bulk, sync=sync_uri, status="warning", rejects=1)
    assert (named["definition"], named["sync"], named["state"]) == (uri, sync_uri, "pending")
    again = force(bulk, 409, sync=sync_uri, status="error")
    assert again["failures"][0]["field"] == "sync"
    resume(bulk)
    assert bulk.wait(sync_uri)["status"] == "warning"
    [left] = listed(bulk)
    assert (left["id"], left["sync"]) == (waiting["id"], None)  # for the next sync
    assert bulk.run(uri, rows("named.test", 1))["status"] == "error"


def test_a_sync_that_has_started_takes_no_outcome(signed_in: Bulk) -> None:
    bulk = signed_in
    uri = contact_import(bulk)
    sync = bulk.run(uri, rows("late.test", 1))
    refused = force(bulk, 409, sync=sync["uri"], status="error")
    assert refused["failures"] == [
        {
            "field": "sync",
            "constraint": "The sync has started; only a pending sync takes an outcome.",
            "value": sync["uri"],
        }
    ]
    unknown = force(bulk, 404, sync="/syncs/999", status="error")
    assert unknown["failures"][0]["field"] == "sync"


def test_every_problem_of_a_body_is_reported_at_once(signed_in: Bulk) -> None:
    refused = force(
        signed_in,
        400,
        site="",
        status="errored",
        log={"statusCode": "ELQ-146"},
        rejects=-1,
        colour="red",
    )
    fields = [f["field"] for f in refused["failures"]]
    assert fields == ["colour", "site", "status", "definition", "log", "rejects"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "error", "log": {"statusCode": "ELQ-146"}}, "log.statusCode"),
        ({"status": "error", "log": {"statusCode": "ELQ-00146", "count": -1}}, "log.count"),
        ({"status": "error", "log": {"statusCode": "ELQ-00146", "extra": 1}}, "log.extra"),
        ({"status": "error", "log": "ELQ-00146"}, "log"),
        ({"status": "warning", "rejects": -1}, "rejects"),
        ({"status": "warning", "rejects": True}, "rejects"),
        ({"status": "warning", "rejects": 1.5}, "rejects"),
        ({"status": "error", "rejects": 1}, "rejects"),
        ({"status": "warning", "log": {"statusCode": "ELQ-00146"}}, "log"),
        ({"status": "active", "rejects": 0}, "rejects"),
        ({"status": "done"}, "status"),
    ],
)
def test_a_malformed_outcome_is_refused_on_its_key(
    signed_in: Bulk, body: dict[str, Any], field: str
) -> None:
    uri = contact_import(signed_in)
    refused = force(signed_in, 400, definition=uri, **body)
    assert [f["field"] for f in refused["failures"]] == [field]
    assert listed(signed_in) == []


@pytest.mark.parametrize(
    ("target", "field"),
    [
        ({}, "definition"),
        ({"definition": "/contacts/imports/1", "sync": "/syncs/1"}, "definition"),
        ({"definition": "/contacts/things/1"}, "definition"),
        ({"definition": 7}, "definition"),
        ({"sync": "syncs/1"}, "sync"),
    ],
)
def test_an_outcome_names_one_definition_or_one_sync(
    signed_in: Bulk, target: dict[str, Any], field: str
) -> None:
    refused = force(signed_in, 400, status="error", **target)
    assert [f["field"] for f in refused["failures"]] == [field]


def test_unknown_sites_and_definitions_are_404(signed_in: Bulk) -> None:
    uri = contact_import(signed_in)
    site = force(signed_in, 404, site="Nowhere", definition=uri, status="error")
    assert site["failures"][0]["field"] == "site"
    definition = force(signed_in, 404, definition="/contacts/imports/999", status="error")
    assert definition["failures"] == [
        {
            "field": "definition",
            "constraint": "No such definition in the site.",
            "value": "/contacts/imports/999",
        }
    ]


def test_rejects_are_forced_on_imports_only(signed_in: Bulk) -> None:
    bulk = signed_in
    export = bulk.define("/contacts/exports", {"name": "e", "fields": {"email": EMAIL}})
    action = bulk.define(
        "/contacts/syncActions",
        {
            "name": "a",
            "fields": {"email": EMAIL},
            "identifierFieldName": "email",
            "syncActions": [{"action": "add", "destination": "{{ContactList[12]}}"}],
        },
    )
    for uri in (export, action):
        refused = force(bulk, 400, definition=uri, status="warning", rejects=1)
        assert refused["failures"][0]["field"] == "status"
        assert force(bulk, definition=uri, status="active")["status"] == "active"


def test_a_pending_outcome_can_be_withdrawn(signed_in: Bulk) -> None:
    bulk = signed_in
    uri = contact_import(bulk)
    forced = force(bulk, definition=uri, status="error")
    assert (
        bulk.client.delete(f"/_emulator/outcomes/{forced['id']}", headers=CONTROL).status_code
        == 204
    )
    assert listed(bulk) == []
    assert bulk.run(uri, rows("withdrawn.test", 1))["status"] == "success"
    again = bulk.client.delete(f"/_emulator/outcomes/{forced['id']}", headers=CONTROL)
    assert again.status_code == 404
    assert again.json()["failures"][0]["field"] == "id"


def test_outcomes_are_listed_oldest_first_and_by_site(bulk: Bulk) -> None:
    bulk.sign_in()
    other = Bulk(bulk.client, site="Globex", user="hank")
    other.sign_in()
    mine = force(bulk, definition=contact_import(bulk), status="error")
    theirs = force(other, site="Globex", definition=contact_import(other), status="active")
    assert [o["id"] for o in listed(bulk)] == [mine["id"], theirs["id"]]
    assert [o["site"] for o in listed(bulk, site="globex")] == ["Globex"]
    assert bulk.client.get("/_emulator/outcomes", params={"site": "Nowhere"}).status_code == 404


def test_releasing_a_sync_nothing_holds_is_refused(signed_in: Bulk) -> None:
    bulk = signed_in
    sync = bulk.run(contact_import(bulk), rows("free.test", 1))
    sync_id = sync["uri"].rsplit("/", 1)[1]
    refused = bulk.client.post(
        f"/_emulator/syncs/{sync_id}/release", params={"site": "Acme"}, headers=CONTROL
    )
    assert refused.status_code == 409
    assert (
        refused.json()["failures"][0]["constraint"] == "No forced active outcome holds this sync."
    )
    unknown = bulk.client.post(
        "/_emulator/syncs/999/release", params={"site": "Acme"}, headers=CONTROL
    )
    assert unknown.status_code == 404
    nowhere = bulk.client.post(
        f"/_emulator/syncs/{sync_id}/release", params={"site": "Nowhere"}, headers=CONTROL
    )
    assert nowhere.status_code == 404


def test_a_reset_forgets_the_outcomes(signed_in: Bulk) -> None:
    force(signed_in, definition=contact_import(signed_in), status="error")
    assert signed_in.client.post("/_emulator/reset", headers=CONTROL).status_code == 200
    assert listed(signed_in) == []
