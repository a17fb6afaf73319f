"""A snapshot restored while clients are connected: readers see the state before or after,
never a mix, and a sync under way in the snapshot carries on from where the snapshot left
it, each staged row applied exactly once; syncs begun after the snapshot are gone whole.

These run on a database file, as a server does: WAL, reader connections beside the one
writer, the worker taking small chunks.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from contract_tests.waiting import wait_until
from emulator import Settings, create_app
from emulator.store.snapshots import CREATED_KEY
from tests.conftest import CONTROL, LOCAL
from tests.routes.bulk import BULK, Bulk

ROWS = 10_000  # staged rows of each import
CHUNK = 100  # rows a turn of the worker applies
DUPLICATE_AT = 6_000  # row that repeats the e-mail address of row 10
EMAIL = "{{Contact.Field(C_EmailAddress)}}"
FIRST = "{{Contact.Field(C_FirstName)}}"


def import_rows(tag: str) -> list[dict[str, str]]:
    rows = [{"email": f"{tag}{i}@restore.example", "first": f"{tag}{i}"} for i in range(ROWS)]
    rows[DUPLICATE_AT] = dict(rows[10])
    return rows


def fingerprint(path: Path) -> dict[str, tuple[int, str]]:
    """Every table of a database file: its row count and a digest of its rows in a fixed
    order (the snapshot's own record of when it was taken left out)."""
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        found = {}
        for table in sorted(tables):
            rows = sorted(repr(row) for row in conn.execute(f"SELECT * FROM {table}"))
            if table == "meta":
                rows = [row for row in rows if CREATED_KEY not in row]
            found[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
        return found
    finally:
        conn.close()


def sync_row(path: Path, sync_id: int) -> tuple[str, str | None]:
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT status, progress FROM syncs WHERE id = ?", [sync_id]).fetchone()
        return row[0], row[1]
    finally:
        conn.close()


class Pager:
    """A client that walks an export's data, page after page, until stopped: every page
    must be a 200 and every walk the same rows."""

    def __init__(self, bulk: Bulk, sync_uri: str) -> None:
        self.bulk = bulk
        self.uri = BULK + sync_uri + "/data"
        self.walks: list[list[Any]] = []
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def walk(self) -> list[Any]:
        rows: list[Any] = []
        while True:
            response = self.bulk.client.get(
                self.uri, params={"offset": len(rows), "limit": 40}, headers=self.bulk.headers
            )
            if response.status_code != 200:
                self.failures.append(f"{response.status_code} {response.text}")
                return rows
            page = response.json()
            rows += page["items"]
            if not page["hasMore"]:
                return rows

    def _run(self) -> None:
        while not self._stop.is_set():
            self.walks.append(self.walk())

    def __enter__(self) -> Pager:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[tuple[Bulk, Path]]:
    path = tmp_path / "e.db"
    settings = Settings(db=str(path), sync_progression="immediate", sync_chunk=CHUNK)
    with TestClient(create_app(settings), base_url=LOCAL, headers=CONTROL) as client:
        yield Bulk(client), path


def start_mid_way(bulk: Bulk, path: Path) -> tuple[str, str, list[Any], Path]:
    """An export to page; a big import under way; a snapshot ``mid`` taken while the
    import is part done. Its uri, the export's sync uri and rows, the snapshot file."""
    export = bulk.define(
        "/contacts/exports", {"name": "paged", "fields": {"id": "{{Contact.Id}}", "email": EMAIL}}
    )
    exported = bulk.wait(bulk.sync(export)["uri"])
    rows = Pager(bulk, exported["uri"]).walk()
    assert len(rows) == 300
    big = bulk.define(
        "/contacts/imports",
        {"name": "big", "fields": {"email": EMAIL, "first": FIRST}, "identifierFieldName": "email"},
    )
    bulk.stage(big, import_rows("a"))
    sync = bulk.sync(big)
    sync_id = int(sync["uri"].rsplit("/", 1)[1])
    wait_until(
        lambda: (sync_row(path, sync_id)[1] or "").count('"at"'),
        timeout=20,
        message="the import did not start",
    )
    taken = bulk.client.post("/_emulator/snapshots/mid")
    assert taken.status_code == 201
    snapshot = Path(bulk.client.get("/_emulator/snapshots").json()["directory"]) / "mid.sqlite"
    status, progress = sync_row(snapshot, sync_id)
    assert status == "active", "the import ended before the snapshot: make it bigger"
    assert progress is not None
    return sync["uri"], exported["uri"], rows, snapshot


def start_another_import(bulk: Bulk) -> str:
    other = bulk.define(
        "/contacts/imports",
        {"name": "other", "fields": {"email": EMAIL}, "identifierFieldName": "email"},
    )
    bulk.stage(other, [{"email": r["email"]} for r in import_rows("b")])
    sync = bulk.sync(other)
    wait_until(
        lambda: bulk.get(sync["uri"])["status"] != "pending",
        timeout=20,
        message="the second import did not start",
    )
    return str(sync["uri"])


def check_the_import_ended_exactly_once(bulk: Bulk, sync_uri: str, other_uri: str) -> None:
    """The snapshot's import ends as if never interrupted; the one begun after it is gone."""
    ended = bulk.wait(sync_uri, timeout=60)
    assert ended["status"] == "warning"  # the duplicate is rejected
    logs = bulk.logs(sync_uri)
    assert logs["ELQ-00004"] == ROWS - 1  # contacts created: every row once
    assert logs["ELQ-00022"] == 0  # a chunk applied twice would update what it created
    assert logs["ELQ-00026"] == 1  # the duplicate, seen across the restore
    rejects = bulk.rejects(sync_uri)
    assert [r["recordIndex"] for r in rejects] == [DUPLICATE_AT + 1]
    assert bulk.client.get(BULK + other_uri, headers=bulk.headers).status_code == 404
    check = bulk.define("/contacts/exports", {"name": "check", "fields": {"email": EMAIL}})
    data = bulk.get(bulk.wait(bulk.sync(check)["uri"])["uri"] + "/data", limit=50000)
    emails = [row["email"] for row in data["items"]]
    assert len(emails) == len(set(emails)) == 300 + ROWS - 1
    assert not [e for e in emails if e.startswith("b") and e.endswith("@restore.example")]


def test_a_snapshot_restored_while_a_client_pages_leaves_exactly_the_saved_state(
    emulator: tuple[Bulk, Path],
) -> None:
    bulk, path = emulator
    sync_uri, exported_uri, rows, snapshot = start_mid_way(bulk, path)
    saved = fingerprint(snapshot)
    with Pager(bulk, exported_uri) as pager:
        other_uri = start_another_import(bulk)
        # the worker is held between two turns (both imports part done) so that what the
        # restore leaves can be compared before the worker moves on
        bulk.client.post("/_emulator/worker/pause")
        restored = bulk.client.post("/_emulator/snapshots/mid/restore")
        assert restored.status_code == 200
        assert fingerprint(path) == saved
        wait_until(lambda: len(pager.walks) >= 2, timeout=20, message="no walk after the restore")
    assert pager.failures == []
    assert all(walk == rows for walk in pager.walks)
    bulk.client.post("/_emulator/worker/resume")
    check_the_import_ended_exactly_once(bulk, sync_uri, other_uri)


def test_a_snapshot_restored_under_a_running_worker_applies_each_row_once(
    emulator: tuple[Bulk, Path],
) -> None:
    bulk, path = emulator
    sync_uri, exported_uri, rows, _ = start_mid_way(bulk, path)
    with Pager(bulk, exported_uri) as pager:
        other_uri = start_another_import(bulk)
        wait_until(
            lambda: bulk.get(sync_uri)["status"] != "active" or len(pager.walks) >= 3,
            timeout=20,
            message="no walk while the imports ran",
        )
        assert bulk.client.post("/_emulator/snapshots/mid/restore").status_code == 200
        check_the_import_ended_exactly_once(bulk, sync_uri, other_uri)
    assert pager.failures == []
    assert pager.walks
    assert all(walk == rows for walk in pager.walks)
