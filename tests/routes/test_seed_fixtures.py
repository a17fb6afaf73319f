"""``POST /_emulator/seed`` with ``fixtures``: a directory of fixture files (the layout of
``fixtures/``) loaded into a site, replacing its catalogs and records in one transaction."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.conftest import ROOT
from tests.routes.bulk import Bulk

EMAIL = "{{Contact.Field(C_EmailAddress)}}"
AT = "2026-01-01T00:00:00.0000000Z"
CONTACTS = [
    {"id": id_, "createdAt": AT, "updatedAt": AT, "fields": {"C_EmailAddress": email}}
    for id_, email in ((7, "a@set"), (9, "b@set"))
]


def fixture_set(directory: Path, contacts: list[dict[str, Any]] = CONTACTS) -> Path:
    """Contacts (the bundled field catalog, these records) and nothing else."""
    (directory / "contacts").mkdir(parents=True)
    shutil.copy(ROOT / "fixtures" / "contacts" / "fields.json", directory / "contacts")
    lines = b"".join(orjson.dumps(c) + b"\n" for c in contacts)
    (directory / "contacts" / "records.jsonl").write_bytes(lines)
    return directory


def emails(bulk: Bulk) -> list[str]:
    uri = bulk.define("/contacts/exports", {"name": "all", "fields": {"email": EMAIL}})
    sync = bulk.wait(bulk.sync(uri)["uri"])
    return [row["email"] for row in bulk.get(sync["uri"] + "/data", limit=50000).get("items", [])]


def test_a_fixture_set_replaces_the_catalogs_and_records_of_a_site(bulk, tmp_path) -> None:
    bulk.sign_in()
    kept = bulk.define(
        "/contacts/imports",
        {"name": "kept", "fields": {"email": EMAIL}, "identifierFieldName": "email"},
    )
    assert len(emails(bulk)) == 300
    directory = fixture_set(tmp_path / "set")

    response = bulk.client.post(
        "/_emulator/seed", json={"site": "Acme", "fixtures": str(directory)}
    )

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["site"] == "Acme"
    assert body["fixtures"] == str(directory)
    assert len(body["digest"]) == 64
    assert body["rows"]["contacts"] == 2
    assert body["rows"]["accounts"] == 0
    assert body["rows"]["object_records"] == 0
    assert emails(bulk) == ["a@set", "b@set"]
    assert bulk.get("/customObjects")["items"] == []  # the set has none
    assert bulk.get(kept)["name"] == "kept"  # definitions stay


def test_a_fixture_set_makes_a_site_no_one_has_signed_in_to(bulk, tmp_path) -> None:
    directory = fixture_set(tmp_path / "set")
    response = bulk.client.post(
        "/_emulator/seed", json={"site": "Fresh", "fixtures": str(directory)}
    )
    assert response.status_code == 200
    assert response.json()["site"] == "Fresh"
    fresh = Bulk(bulk.client, site="Fresh", user="first")
    assert emails(fresh) == ["a@set", "b@set"]  # the set, not the bundled fixtures
    assert bulk.client.get("/_emulator/health").json()["sites"] == 1


def test_a_set_that_does_not_load_changes_nothing(bulk, tmp_path) -> None:
    bulk.sign_in()
    directory = fixture_set(tmp_path / "set", [*CONTACTS, CONTACTS[0]])  # id 7 twice
    response = bulk.client.post(
        "/_emulator/seed", json={"site": "Acme", "fixtures": str(directory)}
    )
    assert response.status_code == 400
    failure = response.json()["failures"][0]
    assert failure["field"] == "fixtures"
    assert failure["constraint"].startswith("The fixture set does not load: ")
    assert "records.jsonl" in failure["constraint"]
    assert len(emails(bulk)) == 300
    (directory / "contacts" / "records.jsonl").write_text('{"id": 1}\nnot json\n')
    malformed = bulk.client.post(
        "/_emulator/seed", json={"site": "New", "fixtures": str(directory)}
    )
    assert malformed.status_code == 400
    assert ":2:" in malformed.json()["failures"][0]["constraint"]  # the line
    assert bulk.client.get("/_emulator/health").json()["sites"] == 1  # New was not made


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"site": "Acme", "fixtures": "/no/such/directory"}, ["fixtures"]),
        ({"site": "Acme", "fixtures": ""}, ["fixtures"]),
        ({"site": "Acme", "fixtures": 3}, ["fixtures"]),
        ({"fixtures": "fixtures"}, ["site"]),
        ({"site": "Acme", "fixtures": "fixtures", "contacts": 10}, ["contacts"]),
    ],
)
def test_malformed_fixture_orders_are_refused(client, body: dict[str, Any], fields) -> None:
    response = client.post("/_emulator/seed", json=body)
    assert response.status_code == 400
    assert [f["field"] for f in response.json()["failures"]] == fields
    assert client.get("/_emulator/health").json()["sites"] == 0


def test_a_file_is_not_a_fixture_set(client, tmp_path) -> None:
    path = tmp_path / "contacts.json"
    path.write_text("[]")
    response = client.post("/_emulator/seed", json={"site": "Acme", "fixtures": str(path)})
    assert response.status_code == 400
    assert response.json()["failures"][0]["field"] == "fixtures"
