"""Site A with one of everything, for the isolation tests, and the store's changes.

Site A is loaded from its own fixture set (``isolation_fixtures``). Then user 1 defines an
import, an export and a sync action of every collection in ``isolation_bodies.BODIES``,
runs syncs that end with logs, rejects and exported data, leaves rows staged in every
import and sync action, holds an AppCloud step with members, and has an OAuth refresh
token and an authorization code. Every name and value of site A carries ``MARKER``.

Site A's definition and sync ids start past :data:`ID_FLOOR`, so they cannot coincide
with the ids another site allocates in its own sequences while the tests run (the test of
two sites with the same ids makes that case on purpose).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from starlette.testclient import TestClient

from emulator.store import Store
from emulator.store import definitions as sequences
from emulator.store import identity as site_rows
from tests.conftest import CONTROL, basic
from tests.reliability import fingerprint
from tests.reliability.isolation_bodies import (
    BODIES,
    CONTACT_EMAIL,
    GUID,
    MARKER,
    definition_path,
    rows,
)
from tests.reliability.isolation_fixtures import fixture_set

BULK = "/api/bulk/2.0"
SITE_A, USER_1, USER_2 = "SiteA", "jane", "other"
SITE_B, USER_B = "SiteB", "user"
ID_FLOOR = 5000
ADDRESS = f"{MARKER}.one@example.com"  # the contact site A's import writes and exports


def a_headers(user: str = USER_1) -> dict[str, str]:
    return basic(SITE_A, user)


def b_headers() -> dict[str, str]:
    return basic(SITE_B, USER_B)


def client_headers(client_id: str) -> dict[str, str]:
    """HTTP Basic of an OAuth client (any secret does in lenient mode)."""
    token = base64.b64encode(f"{client_id}:secret".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@dataclass
class World:
    """What site A holds, by where the spec's paths address it."""

    client: TestClient
    site_a: int = 0
    site_b: int = 0
    # collection path template → the id of site A's item there ("/contacts/imports" → 5001)
    ids: dict[str, int] = field(default_factory=dict)
    # catalog collection → the statement naming site A's own item there
    statements: dict[str, str] = field(default_factory=dict)
    import_sync: int = 0  # ended in warning, with logs and rejects
    export_sync: int = 0  # ended with exported rows carrying the marker
    sync_uris: list[str] = field(default_factory=list)
    refresh_token: str = ""  # for OAuth client "client-a"
    code: str = ""  # an authorization code for "client-a"
    seen: dict[str, str] = field(default_factory=dict)  # the store's last fingerprint
    writes: int = -1  # rows the store's connection had written by then

    @property
    def store(self) -> Store:
        store: Store = getattr(self.client.app, "state").emulator.store  # noqa: B009
        return store

    def site_of(self, name: str) -> int:
        found = self.store.read_sync(site_rows.find_site, name)
        assert found is not None, name
        return found[0]

    def changes(self) -> list[str]:
        """What changed in the store since the last call, as ``table@site`` (or ``table``
        for rows of no site). The fingerprint is taken again only when SQLite counts rows
        written since: a ``:memory:`` store has one connection, whose ``total_changes``
        counts every row any statement inserted, updated or deleted."""
        writes = self.store.writer.conn.total_changes
        if writes == self.writes:
            return []
        now = fingerprint.of_app_by_site(self.client.app)
        touched, self.seen, self.writes = fingerprint.changed(self.seen, now), now, writes
        return touched

    def definition_uris(self) -> list[str]:
        """Site A's definitions, as ``syncedInstanceUri`` names them."""
        return [f"{definition_path(c)}/{self.ids[c]}" for c in BODIES]


def build(client: TestClient, fixtures: Path) -> World:
    """Site A with one of everything, its second user and site B signed in (a site's first
    request copies the fixtures into it); every step's answer is checked."""
    own = fixture_set(fixtures)
    seeded = client.post(
        "/_emulator/seed", json={"site": SITE_A, "fixtures": str(fixtures)}, headers=CONTROL
    )
    assert seeded.status_code == 200, seeded.text
    for headers in (a_headers(), a_headers(USER_2), b_headers()):
        assert client.get(BULK + "/contacts/fields?limit=1", headers=headers).status_code == 200
    world = World(client)
    world.site_a, world.site_b = world.site_of(SITE_A), world.site_of(SITE_B)
    world.store.write_sync(_raise_sequences, world.site_a)
    world.ids.update(own.ids)
    world.statements.update(own.statements)
    for collection, id_ in own.ids.items():  # site A sees its own items
        item = client.get(f"{BULK}{definition_path(collection)}/{id_}", headers=a_headers())
        assert MARKER in item.json()["name"], item.text
    _appcloud_step(client)
    for collection, body in BODIES.items():
        extra = (
            {"filter": f"'{CONTACT_EMAIL}' = '{ADDRESS}'"}
            if collection == "/contacts/exports"
            else {}
        )
        created = _post(
            client, definition_path(collection), {"name": f"{MARKER} {collection}", **body, **extra}
        )
        world.ids[collection] = int(created["uri"].rsplit("/", 1)[1])
    _run_syncs(client, world)
    for collection in BODIES:
        if not collection.endswith("/exports"):
            path = f"{definition_path(collection)}/{world.ids[collection]}/data"
            _post(client, path, rows(collection, f"{MARKER}-staged"), 204)
    world.refresh_token, world.code = _oauth(client)
    world.changes()
    return world


def _raise_sequences(db: Any, site_id: int) -> None:
    for name in ("imports", "exports", "syncActions", "syncs"):
        for _ in range(ID_FLOOR):
            sequences.next_id(db, site_id, name)


def _post(client: TestClient, path: str, body: Any, status: int = 201) -> Any:
    response = client.post(BULK + path, json=body, headers=a_headers())
    assert response.status_code == status, (path, response.text)
    return response.json() if response.content else None


def _appcloud_step(client: TestClient) -> None:
    """An AppCloud action step on custom object 9 with two records in execution 1."""
    created = client.post(
        "/_emulator/appcloud/instances",
        json={"site": SITE_A, "type": "action", "instanceId": GUID, "entity": "customObjects/9"},
        headers=CONTROL,
    )
    assert created.status_code == 201, created.text
    entered = client.post(
        f"/_emulator/appcloud/instances/{GUID}/executions",
        json={"recordIds": [1, 2], "executionId": 1},
        headers=CONTROL,
    )
    assert entered.status_code == 201, entered.text


def _sync(client: TestClient, uri: str) -> dict[str, Any]:
    """Sync a definition; with progression ``immediate`` it has ended when read."""
    sync = _post(client, "/syncs", {"syncedInstanceUri": uri})
    found: dict[str, Any] = client.get(BULK + sync["uri"], headers=a_headers()).json()
    assert found["status"] in ("success", "warning"), found
    return found


def _run_syncs(client: TestClient, world: World) -> None:
    """The contact import (a good row and a rejected one), every export, and the contact
    and custom object sync actions."""
    contacts = definition_path("/contacts/imports") + f"/{world.ids['/contacts/imports']}"
    good = {"email": ADDRESS, "first": f"{MARKER} One"}
    bad = {"email": f"{MARKER} not an address", "first": f"{MARKER} Two"}
    _post(client, contacts + "/data", [good, bad], 204)
    imported = _sync(client, contacts)
    assert imported["status"] == "warning", imported
    world.import_sync = int(imported["uri"].rsplit("/", 1)[1])
    rejects = client.get(BULK + imported["uri"] + "/rejects", headers=a_headers())
    assert MARKER in rejects.text, rejects.text
    world.sync_uris.append(imported["uri"])
    for collection in BODIES:
        if collection.endswith("/exports"):
            exported = _sync(client, f"{definition_path(collection)}/{world.ids[collection]}")
            world.sync_uris.append(exported["uri"])
            if collection == "/contacts/exports":
                world.export_sync = int(exported["uri"].rsplit("/", 1)[1])
    data = client.get(f"{BULK}/syncs/{world.export_sync}/data", headers=a_headers())
    assert orjson.loads(data.content)["items"] == [good], data.text
    for collection, row in (
        ("/contacts/syncActions", {"email": ADDRESS}),
        ("/customObjects/{parentId}/syncActions", {"ext": "CDO9-00001"}),
    ):
        action = f"{definition_path(collection)}/{world.ids[collection]}"
        _post(client, action + "/data", [row], 204)
        world.sync_uris.append(_sync(client, action)["uri"])


def _oauth(client: TestClient) -> tuple[str, str]:
    """A refresh token and an authorization code of site A's user 1, for client-a."""
    granted = client.post(
        "/auth/oauth2/token",
        data={"grant_type": "password", "username": f"{SITE_A}\\{USER_1}", "password": "pw"},
        headers=client_headers("client-a"),
    )
    assert granted.status_code == 200, granted.text
    authorized = client.get(
        "/auth/oauth2/authorize",
        params={
            "client_id": "client-a",
            "redirect_uri": "https://a.example/back",
            "response_type": "code",
        },
        headers=a_headers(),
        follow_redirects=False,
    )
    assert authorized.status_code == 302, authorized.text
    code = authorized.headers["location"].split("code=", 1)[1].split("&", 1)[0]
    return str(granted.json()["refresh_token"]), code
