"""``POST /_emulator/reset``: every site, or one (``{"site": name}``), forgotten; a site
reset alone comes back from the fixtures at its next sign-in, as a new site."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.engine import runner
from tests.conftest import basic, bearer
from tests.routes.bulk import BULK, Bulk

EMAIL = "{{Contact.Field(C_EmailAddress)}}"
IMPORT = {"name": "i", "fields": {"email": EMAIL}, "identifierFieldName": "email"}
EXPORT = {"name": "e", "fields": {"id": "{{Contact.Id}}"}}


def rows_of_site(bulk: Bulk, site_id: int) -> dict[str, int]:
    """Rows with this ``site_id``, by table, across the whole schema."""

    def read(db: Any) -> dict[str, int]:
        tables = [
            name
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if "site_id" in {c.name for c in db[name].columns}
        ]
        found = {
            t: db.execute(f"SELECT count(*) FROM {t} WHERE site_id = ?", [site_id]).fetchone()[0]
            for t in tables
        }
        return {t: n for t, n in found.items() if n}

    return dict(bulk.emulator.store.read_sync(read))


def site_id(bulk: Bulk, headers: dict[str, str] | None = None) -> int:
    me = bulk.client.get("/id", headers=headers or bulk.headers).json()
    return int(me["site"]["id"])


def token_for(bulk: Bulk, login: str) -> str:
    return str(
        bulk.client.post(
            "/auth/oauth2/token",
            auth=("app", "secret"),
            data={"grant_type": "password", "username": login, "password": "pw"},
        ).json()["access_token"]
    )


def test_resetting_one_site_forgets_it_and_leaves_the_others(bulk) -> None:
    acme = site_id(bulk)
    token = token_for(bulk, "Acme\\jane")
    imported = bulk.define("/contacts/imports", IMPORT)
    bulk.run(imported, [{"email": "new@acme.example"}])
    bulk.stage(imported, [{"email": "waiting@acme.example"}])
    exported = bulk.wait(bulk.sync(bulk.define("/contacts/exports", EXPORT))["uri"])
    globex = Bulk(bulk.client, site="Globex", user="hank")
    kept = globex.define("/contacts/exports", EXPORT)
    assert rows_of_site(bulk, acme)["export_rows"] > 0

    response = bulk.client.post("/_emulator/reset", json={"site": "acme"})  # any case

    assert response.status_code == 200
    assert response.json()["status"] == "ready"
    assert response.json()["sites"] == 1
    assert rows_of_site(bulk, acme) == {}
    assert bulk.client.get(BULK + "/syncs/1", headers=bearer(token)).status_code == 401
    assert globex.get(kept)["name"] == "e"
    # the next sign-in makes the site again, from the fixtures, with nothing of before
    assert bulk.get("/contacts/imports")["items"] == []
    assert bulk.client.get(BULK + exported["uri"], headers=bulk.headers).status_code == 404
    assert bulk.client.get("/_emulator/health").json()["sites"] == 2
    again = bulk.wait(bulk.sync(bulk.define("/contacts/exports", EXPORT))["uri"])
    assert again["uri"] == "/syncs/1"  # sync ids start again, and their data with them
    assert bulk.get(again["uri"] + "/data", limit=1)["totalResults"] == 300


def test_resetting_one_site_keeps_what_clients_of_the_others_have_seen(bulk_factory) -> None:
    bulk = bulk_factory(sync_progression="polls:1")
    globex = Bulk(bulk.client, site="Globex", user="hank")
    uri = globex.define("/contacts/imports", IMPORT)
    globex.stage(uri, [{"email": "g@example.com"}])
    sync = globex.sync(uri)
    bulk.sign_in()
    assert globex.get(sync["uri"])["status"] == "pending"  # first read
    assert bulk.client.post("/_emulator/reset", json={"site": "Acme"}).status_code == 200
    assert globex.get(sync["uri"])["status"] == "active"  # second read: counts kept


def test_an_unknown_site_is_a_404(client) -> None:
    response = client.post("/_emulator/reset", json={"site": "Nowhere"})
    assert response.status_code == 404
    assert response.json() == {
        "failures": [
            {
                "field": "site",
                "constraint": "No site of this name has signed in.",
                "value": "Nowhere",
            }
        ]
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [({"site": ""}, "site"), ({"site": 7}, "site"), ({"sites": ["Acme"]}, "sites"), ([], "body")],
)
def test_a_malformed_reset_changes_nothing(client, body: Any, field: str) -> None:
    client.get("/id", headers=basic())
    response = client.post("/_emulator/reset", json=body)
    assert response.status_code == 400
    assert response.json()["failures"][0]["field"] == field
    assert client.get("/_emulator/health").json()["sites"] == 1


@pytest.mark.parametrize("body", [None, {}])
def test_no_site_resets_everything(bulk, body: Any) -> None:
    Bulk(bulk.client, site="Globex", user="hank").sign_in()
    exported = bulk.wait(bulk.sync(bulk.define("/contacts/exports", EXPORT))["uri"])
    assert exported["uri"] == "/syncs/1"
    response = (
        bulk.client.post("/_emulator/reset")
        if body is None
        else bulk.client.post("/_emulator/reset", json=body)
    )
    assert response.status_code == 200
    assert response.json()["sites"] == 0
    # the same site id and sync id again: nothing of the old export is left in the way
    again = bulk.wait(bulk.sync(bulk.define("/contacts/exports", EXPORT))["uri"])
    assert again["uri"] == "/syncs/1"
    assert again["status"] == "success"
    assert bulk.get(again["uri"] + "/data", limit=1)["totalResults"] == 300


def test_a_site_reset_mid_import_leaves_nothing_for_the_next_of_its_ids(bulk_factory) -> None:
    """The site comes back with the same id and its syncs count from 1 again: what the
    writer kept in memory about the old site's import must not make the new one's rows
    duplicates."""
    bulk = bulk_factory(sync_progression="immediate", sync_chunk=100)
    bulk.client.post("/_emulator/worker/pause")
    first = bulk.define("/contacts/imports", IMPORT)
    bulk.stage(first, [{"email": f"seen{i}@example.com"} for i in range(300)])
    assert bulk.sync(first)["uri"] == "/syncs/1"
    store, clock = bulk.emulator.store, bulk.emulator.clock
    store.write_sync(runner.turn, clock(), None, 100)  # one chunk of three
    old_id = site_id(bulk)

    assert bulk.client.post("/_emulator/reset", json={"site": "Acme"}).status_code == 200
    bulk.client.post("/_emulator/worker/resume")

    assert site_id(bulk) == old_id
    second = bulk.define("/contacts/imports", IMPORT)
    rows = [{"email": f"new{i}@example.com"} for i in range(60)]
    rows[50] = {"email": "seen10@example.com"}
    sync = bulk.run(second, rows)
    assert sync["uri"] == "/syncs/1"
    assert sync["status"] == "success"
    assert bulk.logs(sync["uri"])["ELQ-00004"] == 60
