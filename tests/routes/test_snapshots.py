"""Named snapshots (``/_emulator/snapshots``): the whole state saved under a name and put
back without a restart; names are never paths; a snapshot of another store format is
refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from emulator import Settings, create_app
from emulator.engine import runner
from tests.conftest import CONTROL, LOCAL, bearer
from tests.routes.bulk import BULK, Bulk

EMAIL = "{{Contact.Field(C_EmailAddress)}}"
IMPORT = {"name": "first", "fields": {"email": EMAIL}, "identifierFieldName": "email"}


def snapshot(client: TestClient, name: str, action: str = "", status: int = 201) -> Any:
    response = client.post(f"/_emulator/snapshots/{name}{action}")
    assert response.status_code == status, response.text
    return response.json()


def restore(client: TestClient, name: str, status: int = 200) -> Any:
    return snapshot(client, name, "/restore", status)


def contacts(bulk: Bulk) -> int:
    uri = bulk.define("/contacts/exports", {"name": "count", "fields": {"id": "{{Contact.Id}}"}})
    sync = bulk.wait(bulk.sync(uri)["uri"])
    return int(bulk.get(sync["uri"] + "/data", limit=1)["totalResults"])


def migrations_applied(bulk: Bulk) -> int:
    store = bulk.emulator.store
    return int(
        store.read_sync(
            lambda db: db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
        )
    )


def test_a_restored_snapshot_is_the_state_it_saved(bulk) -> None:
    first = bulk.define("/contacts/imports", IMPORT)
    bulk.run(first, [{"email": "saved@example.com"}])
    assert contacts(bulk) == 301

    taken = snapshot(bulk.client, "baseline")

    assert taken["name"] == "baseline"
    assert taken["size"] > 0
    assert taken["createdAt"] == "2027-01-15T08:00:00.0000000Z"  # the emulated clock
    assert taken["formatVersion"] == migrations_applied(bulk)
    # what happens after the snapshot
    second = bulk.define("/contacts/imports", {**IMPORT, "name": "second"})
    bulk.run(second, [{"email": "later@example.com"}, {"email": "later2@example.com"}])
    token = bulk.client.post(
        "/auth/oauth2/token",
        auth=("app", "secret"),
        data={"grant_type": "password", "username": "Acme\\jane", "password": "pw"},
    ).json()["access_token"]
    Bulk(bulk.client, site="Globex", user="hank").sign_in()
    assert bulk.client.get("/_emulator/health").json()["sites"] == 2

    restored = restore(bulk.client, "baseline")

    assert restored == taken
    assert bulk.client.get("/_emulator/health").json()["sites"] == 1
    assert [d["name"] for d in bulk.get("/contacts/imports")["items"]] == ["first"]
    assert bulk.client.get(BULK + second, headers=bulk.headers).status_code == 404
    assert bulk.client.get(BULK + "/syncs/1", headers=bearer(token)).status_code == 401
    assert contacts(bulk) == 301  # saved@ is there, later@ is not
    # the sync ids given after the snapshot are given again
    assert bulk.get("/syncs", limit=1000)["totalResults"] == 3


def test_snapshots_are_listed_replaced_and_deleted(bulk) -> None:
    assert bulk.client.get("/_emulator/snapshots").json()["items"] == []
    snapshot(bulk.client, "b")
    snapshot(bulk.client, "a.1_x-Y")
    bulk.sign_in()
    replaced = snapshot(bulk.client, "b")
    listed = bulk.client.get("/_emulator/snapshots").json()
    assert Path(listed["directory"]).is_dir()
    assert [(s["name"], s["size"]) for s in listed["items"]] == [
        ("a.1_x-Y", listed["items"][0]["size"]),
        ("b", replaced["size"]),
    ]
    assert sorted(p.name for p in Path(listed["directory"]).iterdir()) == [
        "a.1_x-Y.sqlite",
        "b.sqlite",
    ]  # nothing half-written left beside them
    assert bulk.client.delete("/_emulator/snapshots/b").status_code == 204
    assert [s["name"] for s in bulk.client.get("/_emulator/snapshots").json()["items"]] == [
        "a.1_x-Y"
    ]
    gone = bulk.client.delete("/_emulator/snapshots/b")
    assert gone.status_code == 404
    assert gone.json() == {
        "failures": [{"field": "name", "constraint": "No snapshot of this name.", "value": "b"}]
    }
    assert restore(bulk.client, "b", 404)["failures"][0]["field"] == "name"


def test_names_keep_their_case(client) -> None:
    snapshot(client, "Contacts")  # also a segment of the Eloqua routes, in lower case
    assert [s["name"] for s in client.get("/_emulator/snapshots").json()["items"]] == ["Contacts"]
    restore(client, "Contacts")
    restore(client, "contacts", 404)


@pytest.mark.parametrize("name", ["with space", "x" * 65, "ü", "a;b", "%2E%2E%2Fetc"])
def test_a_name_is_never_a_path(client, name: str) -> None:
    for method, path in [
        ("POST", f"/_emulator/snapshots/{name}"),
        ("POST", f"/_emulator/snapshots/{name}/restore"),
        ("DELETE", f"/_emulator/snapshots/{name}"),
    ]:
        response = client.request(method, path)
        assert response.status_code in (400, 404), (method, path)
        assert response.json()["failures"][0]["field"] in ("name", "uri")
    assert client.get("/_emulator/snapshots").json()["items"] == []


def test_dots_alone_are_no_name(client) -> None:
    refused = snapshot(client, "...", status=400)
    assert refused["failures"][0]["constraint"] == (
        "Must be 1 to 64 letters, digits, dots, underscores or hyphens, not only dots."
    )
    assert snapshot(client, ".hidden.")["name"] == ".hidden."


def test_a_snapshot_of_another_store_format_is_refused(bulk) -> None:
    bulk.sign_in()
    taken = snapshot(bulk.client, "old")
    directory = Path(bulk.client.get("/_emulator/snapshots").json()["directory"])
    with sqlite3.connect(directory / "old.sqlite") as older:
        older.execute("DELETE FROM _sqlite_migrations WHERE name = 'm015_rest_assets'")
    older.close()
    Bulk(bulk.client, site="Globex", user="hank").sign_in()

    refused = restore(bulk.client, "old", 409)

    expected = taken["formatVersion"]
    assert refused == {
        "failures": [
            {
                "field": "name",
                "constraint": f"The snapshot is of store format {expected - 1}; "
                f"this emulator reads format {expected}.",
                "value": "old",
            }
        ]
    }
    assert bulk.client.get("/_emulator/health").json()["sites"] == 2  # nothing changed
    listed = bulk.client.get("/_emulator/snapshots").json()["items"]
    assert listed[0]["formatVersion"] == expected - 1


def test_a_file_that_is_not_a_snapshot_is_listed_and_refused(client) -> None:
    client.get("/id", headers={"Authorization": "Basic QWNtZVxqYW5lOnB3"})
    directory = Path(client.get("/_emulator/snapshots").json()["directory"])
    (directory / "junk.sqlite").write_bytes(b"not a database at all" * 100)
    listed = client.get("/_emulator/snapshots").json()["items"]
    assert listed == [{"name": "junk", "size": 2100, "createdAt": None, "formatVersion": None}]
    refused = restore(client, "junk", 409)
    assert refused["failures"][0]["constraint"].startswith(
        "The file is not a snapshot of this emulator: "
    )
    assert client.get("/_emulator/health").json()["sites"] == 1


def test_snapshots_live_beside_a_database_file(tmp_path, spec_validator) -> None:
    settings = Settings(db=str(tmp_path / "e.db"))
    with TestClient(create_app(settings), base_url=LOCAL, headers=CONTROL) as client:
        snapshot(client, "here")
        assert client.get("/_emulator/snapshots").json()["directory"] == str(
            tmp_path / "e.db.snapshots"
        )
    assert (tmp_path / "e.db.snapshots" / "here.sqlite").is_file()  # kept after shutdown


def test_snapshots_dir_names_the_directory(tmp_path) -> None:
    settings = Settings(db=":memory:", snapshots_dir=tmp_path / "shelf")
    with TestClient(create_app(settings), base_url=LOCAL, headers=CONTROL) as client:
        snapshot(client, "kept")
    assert (tmp_path / "shelf" / "kept.sqlite").is_file()


def test_an_in_memory_stores_snapshots_go_with_it() -> None:
    with TestClient(create_app(Settings(db=":memory:")), base_url=LOCAL, headers=CONTROL) as c:
        snapshot(c, "gone")
        directory = Path(c.get("/_emulator/snapshots").json()["directory"])
        assert (directory / "gone.sqlite").is_file()
    assert not directory.exists()


def test_a_sync_begun_after_the_snapshot_leaves_nothing_for_the_next_of_its_id(
    bulk_factory,
) -> None:
    """An import part done at the restore kept the identifiers it had seen in memory; the
    next sync given its id must not take its own rows for duplicates of them."""
    bulk = bulk_factory(sync_progression="immediate", sync_chunk=100)
    bulk.sign_in()
    snapshot(bulk.client, "before")
    bulk.client.post("/_emulator/worker/pause")
    first = bulk.define("/contacts/imports", IMPORT)
    bulk.stage(first, [{"email": f"seen{i}@example.com"} for i in range(300)])
    assert bulk.sync(first)["uri"] == "/syncs/1"
    store, clock = bulk.emulator.store, bulk.emulator.clock
    store.write_sync(runner.turn, clock(), None, 100)  # one chunk of three
    assert bulk.get("/syncs/1")["status"] == "active"

    restore(bulk.client, "before")
    bulk.client.post("/_emulator/worker/resume")

    second = bulk.define("/contacts/imports", {**IMPORT, "name": "second"})
    rows = [{"email": f"new{i}@example.com"} for i in range(60)]
    rows[50] = {"email": "seen10@example.com"}  # row 11 of the first import
    sync = bulk.run(second, rows)
    assert sync["uri"] == "/syncs/1"
    assert sync["status"] == "success"
    logs = bulk.logs(sync["uri"])
    assert logs["ELQ-00004"] == 60
    assert "ELQ-00026" not in logs
