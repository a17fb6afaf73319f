"""``/_emulator/requests``: the journal of requests and answers, its filters and counts,
what it hides, and the request id every answer carries."""

from __future__ import annotations

import re
from typing import Any

from tests.conftest import basic
from tests.routes.bulk import BULK, Bulk

REQUESTS = "/_emulator/requests"
FIELDS = BULK + "/contacts/fields"
POD_ID = re.compile(r"^[0-9a-f]{32}/\d+$")


def journal(bulk: Bulk, **params: Any) -> dict[str, Any]:
    response = bulk.client.get(REQUESTS, params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_each_request_is_journaled_newest_first(bulk: Bulk) -> None:
    first = bulk.client.get(FIELDS, headers=bulk.headers, params={"limit": 2})
    second = bulk.client.get(BULK + "/contacts/nothing", headers=bulk.headers)
    found = journal(bulk)
    assert [e["id"] for e in found["items"]] == [
        second.headers["x-request-id"],
        first.headers["x-request-id"],
    ]
    newest, oldest = found["items"]
    assert {k: newest[k] for k in ("method", "path", "status", "site", "user", "control")} == {
        "method": "GET",
        "path": "/api/bulk/2.0/contacts/nothing",
        "status": 404,
        "site": "Acme",
        "user": "jane",
        "control": False,
    }
    assert oldest["query"] == "limit=2"
    assert oldest["responseBytes"] == len(first.content)
    assert oldest["responseBody"] == first.text  # under 2 KB: all of it
    assert oldest["durationMs"] > 0
    assert oldest["fault"] is None
    assert (found["total"], found["count"], found["byStatus"]) == (2, 2, {"200": 1, "404": 1})


def test_filters_and_counts(bulk: Bulk) -> None:
    for _ in range(3):
        bulk.client.get(FIELDS, headers=basic("Acme"))
    bulk.client.get(FIELDS, headers=basic("Globex"))
    bulk.client.get(BULK + "/contacts/imports/999", headers=basic("Globex"))
    bulk.client.post(BULK + "/syncs", headers=basic("Globex"), json={})
    assert journal(bulk, site="globex")["total"] == 3
    assert journal(bulk, status="4xx")["byStatus"] == {"400": 1, "404": 1}
    assert journal(bulk, status="404")["total"] == 1
    assert journal(bulk, method="post")["items"][0]["path"] == BULK + "/syncs"
    assert journal(bulk, path=BULK + "/contacts/*")["total"] == 4
    assert journal(bulk, path=BULK + "/contacts/**")["total"] == 5
    limited = journal(bulk, limit=2)
    assert (limited["count"], limited["total"]) == (2, 6)
    assert sum(limited["byStatus"].values()) == 6  # counts cover every match, not the page
    newest = limited["items"][0]
    assert journal(bulk, since=newest["time"])["total"] >= 1
    assert journal(bulk, since="2999-01-01T00:00:00Z")["total"] == 0
    assert journal(bulk, requestId=newest["id"])["items"] == [newest]


def test_the_control_plane_is_kept_but_listed_only_when_asked(bulk: Bulk) -> None:
    bulk.client.get("/_emulator/health")
    bulk.client.get(FIELDS, headers=bulk.headers)
    assert [e["path"] for e in journal(bulk)["items"]] == [FIELDS]
    everything = journal(bulk, control="true")["items"]
    assert [(e["path"], e["control"]) for e in everything] == [
        (REQUESTS, True),  # the listing before this one
        (FIELDS, False),
        ("/_emulator/health", True),
    ]


def test_bad_filters_are_refused_each_by_name(bulk: Bulk) -> None:
    response = bulk.client.get(
        REQUESTS, params={"status": "abc", "since": "yesterday", "limit": "0", "control": "maybe"}
    )
    assert response.status_code == 400
    assert {f["field"] for f in response.json()["failures"]} == {
        "status",
        "since",
        "limit",
        "control",
    }
    assert bulk.client.get(REQUESTS, params={"limit": 1001}).status_code == 400


def test_secrets_are_redacted(bulk: Bulk) -> None:
    bulk.client.post(
        "/auth/oauth2/token",
        auth=("client", "secret"),
        data={"grant_type": "password", "username": "Acme\\jane", "password": "hunter2"},
    )
    token = bulk.client.post(
        "/auth/oauth2/token",
        auth=("client", "secret"),
        json={"grant_type": "password", "username": "Acme\\jane", "password": "hunter2"},
    ).json()
    bulk.client.get(FIELDS, params={"access_token": token["access_token"]})
    entries = journal(bulk)["items"]
    text = repr(entries)
    assert "hunter2" not in text
    assert token["access_token"] not in text
    assert token["refresh_token"] not in text
    query, as_json, as_form = entries
    assert query["query"] == "access_token=[redacted]"
    assert '"password":"[redacted]"' in as_json["requestBody"].replace(" ", "")
    assert '"access_token":"[redacted]"' in as_json["responseBody"]
    assert '"refresh_token":"[redacted]"' in as_json["responseBody"]
    assert "password=[redacted]" in as_form["requestBody"]
    assert as_form["requestBody"].startswith("grant_type=password")


def test_bodies_are_kept_to_2_kb_of_text(bulk: Bulk) -> None:
    uri = bulk.define(
        "/contacts/imports",
        {
            "name": "big",
            "fields": {"e": "{{Contact.Field(C_EmailAddress)}}"},
            "identifierFieldName": "e",
        },
    )
    rows = [{"e": f"person{i}@example.com"} for i in range(500)]
    bulk.stage(uri, rows)
    staged = journal(bulk, method="POST")["items"][0]
    assert staged["requestBytes"] > 2048
    assert len(staged["requestBody"].encode()) == 2048
    assert staged["responseBody"] is None  # a 204 has none


def test_the_journal_keeps_its_size(bulk_factory: Any) -> None:
    bulk = bulk_factory(journal_size=3)
    for _ in range(5):
        bulk.client.get(FIELDS, headers=bulk.headers)
    found = journal(bulk, limit=3)
    assert (found["total"], found["capacity"]) == (3, 3)
    assert found["recorded"] >= 5
    assert bulk.client.delete(REQUESTS).status_code == 204
    assert journal(bulk, limit=3)["total"] == 0
    off = bulk_factory(journal_size=0)
    off.client.get(FIELDS, headers=off.headers)
    assert journal(off, limit=1)["total"] == 0


def test_a_fired_fault_is_noted(bulk: Bulk) -> None:
    rule = bulk.client.post(
        "/_emulator/faults", json={"path": FIELDS, "status": 503, "times": 1}
    ).json()
    bulk.client.get(FIELDS, headers=bulk.headers)
    bulk.client.get(FIELDS, headers=bulk.headers)
    fine, faulted = journal(bulk)["items"]
    assert faulted["fault"] == {"id": rule["id"], "kind": "status_503"}
    assert faulted["status"] == 503
    assert fine["fault"] is None


def test_a_request_id_round_trips(bulk: Bulk) -> None:
    mine = bulk.client.get(FIELDS, headers={**bulk.headers, "X-Request-Id": "ci-run-42.7"})
    assert mine.headers["x-request-id"] == "ci-run-42.7"
    odd = bulk.client.get(FIELDS, headers={**bulk.headers, "X-Request-Id": "two words"})
    assert POD_ID.match(odd.headers["x-request-id"])
    none = bulk.client.get(FIELDS, headers=bulk.headers)
    assert POD_ID.match(none.headers["x-request-id"])
    assert none.headers["x-request-id"] != odd.headers["x-request-id"]
    assert len(none.headers.get_list("x-request-id")) == 1
    control = bulk.client.get("/_emulator/health", headers={"X-Request-Id": "probe-1"})
    assert control.headers["x-request-id"] == "probe-1"
    assert journal(bulk, requestId="ci-run-42.7")["items"][0]["path"] == FIELDS
