"""A sync survives the death of its process (design §1.4, "Loses nothing").

The worker applies an import in one write transaction that also records the sync's terminal
status, so a process killed mid-apply leaves the sync ``active`` with none of its effects
and its staged rows intact; at the next start the worker puts it back to ``pending``
(``store.syncs.reset_orphans``) and runs it to the end, each staged row applied exactly once.

Flow: stage N contacts into a file store, create the sync, SIGKILL the emulator while the
sync is ``active``, look at the file with ``sqlite3``, restart on the same file, wait.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx
import orjson

from contract_tests.flows import TERMINAL
from contract_tests.target import free_port
from contract_tests.waiting import wait_until
from tests.conftest import ROOT

BULK = "/api/bulk/2.0"
SITE = "CrashSite"
AUTH = (f"{SITE}\\jane", "pw")
FIXTURE_CONTACTS = 300
DOMAIN = "crash.example"
DEFINITION = {
    "name": "crash recovery",
    "fields": {
        "email": "{{Contact.Field(C_EmailAddress)}}",
        "first": "{{Contact.Field(C_FirstName)}}",
        "last": "{{Contact.Field(C_LastName)}}",
        "country": "{{Contact.Field(C_Country)}}",
    },
    "identifierFieldName": "email",
}
# Sized so the apply takes about a second on two cores; each missed race (the sync ended
# between two polls) starts over on a fresh file with four times as many rows.
ROWS = (20_000, 80_000, 320_000)
POSTS = 4
POLL = 0.01


@dataclass
class Emulator:
    process: subprocess.Popen[bytes]
    base: str
    log: Path

    @classmethod
    def start(cls, db: Path, log: Path) -> Emulator:
        port = free_port()
        with log.open("ab") as out:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "emulator",
                    "--db",
                    str(db),
                    "--port",
                    str(port),
                    "--sync-progression",
                    "immediate",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        emulator = cls(process, f"http://127.0.0.1:{port}", log)

        def ready() -> bool:
            assert process.poll() is None, emulator.failure("the emulator exited at start")
            try:
                return httpx.get(f"{emulator.base}/_emulator/health", timeout=1).status_code == 200
            except httpx.TransportError:
                return False

        try:
            wait_until(
                ready,
                timeout=15,
                every=0.02,
                message=lambda: emulator.failure("the emulator did not become ready"),
            )
        except AssertionError:
            emulator.kill()
            raise
        return emulator

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.base + BULK, auth=AUTH, timeout=60)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)

    def failure(self, message: str) -> str:
        return f"{message}; emulator output:\n{self.log.read_text(errors='replace')[-2000:]}"


def staged_bodies(rows: int) -> list[bytes]:
    data = [
        {"email": f"c{n}@{DOMAIN}", "first": f"F{n}", "last": f"L{n}", "country": "DE"}
        for n in range(rows)
    ]
    size = -(-rows // POSTS)
    return [orjson.dumps(data[i : i + size]) for i in range(0, rows, size)]


def sync_status_by_list(client: httpx.Client, sync_uri: str) -> str:
    """The sync's status from ``GET /syncs``, answered from a reader connection.

    ``GET /syncs/{id}`` is not usable here: it counts a poll, so it goes through the single
    writer and waits behind the running apply until it commits."""
    response = client.get("/syncs", params={"limit": 1000})
    assert response.status_code == 200, response.text
    return next(i["status"] for i in response.json()["items"] if i["uri"] == sync_uri)


def stored(db: Path) -> dict[str, object]:
    """What the file holds for the site, read with plain ``sqlite3`` (committed data only)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        site = conn.execute("SELECT id FROM sites WHERE name = ?", [SITE]).fetchone()[0]
        email = "lower(json_extract(fields, '$.C_EmailAddress'))"
        contacts, staged, distinct = conn.execute(
            f"SELECT count(*), count(*) FILTER (WHERE {email} LIKE ?), "
            f"count(DISTINCT {email}) FILTER (WHERE {email} LIKE ?) "
            "FROM contacts WHERE site_id = ?",
            [f"%@{DOMAIN}", f"%@{DOMAIN}", site],
        ).fetchone()
        status = conn.execute(
            "SELECT status FROM syncs WHERE site_id = ? ORDER BY id DESC LIMIT 1", [site]
        ).fetchone()[0]
        staged_rows = conn.execute(
            "SELECT count(*) FROM staged_rows JOIN staged_files ON staged_files.id = file_id "
            "WHERE site_id = ?",
            [site],
        ).fetchone()[0]
    finally:
        conn.close()
    return {
        "contacts": contacts,
        "staged contacts": staged,
        "distinct staged e-mails": distinct,
        "sync status": status,
        "staged rows": staged_rows,
    }


def kill_while_active(tmp: Path, rows: int) -> tuple[Path, str] | None:
    """Stage ``rows`` contacts, sync, SIGKILL while ``active``: the file and the sync's
    uri, or ``None`` when the apply ended before the kill (a missed race)."""
    db = tmp / f"crash-{rows}.db"
    emulator = Emulator.start(db, tmp / f"crash-{rows}.log")
    try:
        with emulator.client() as client:
            created = client.post("/contacts/imports", json=DEFINITION)
            assert created.status_code == 201, created.text
            uri = created.json()["uri"]
            for body in staged_bodies(rows):
                response = client.post(
                    f"{uri}/data", content=body, headers={"Content-Type": "application/json"}
                )
                assert response.status_code == 204, response.text
            sync = client.post("/syncs", json={"syncedInstanceUri": uri})
            assert sync.status_code == 201, sync.text
            sync_uri = sync.json()["uri"]

            def started() -> str | None:
                status = sync_status_by_list(client, sync_uri)
                return None if status == "pending" else status

            status = wait_until(
                started,
                timeout=30,
                every=POLL,
                message=lambda: emulator.failure("the sync never started"),
            )
    finally:
        emulator.kill()
    if status != "active":
        return None  # ended between two polls
    seen = stored(db)
    if seen["sync status"] != "active":
        return None  # ended between the last poll and the kill
    assert seen == {
        "contacts": FIXTURE_CONTACTS,
        "staged contacts": 0,
        "distinct staged e-mails": 0,
        "sync status": "active",
        "staged rows": rows,
    }
    return db, sync_uri


def test_a_sync_killed_while_active_runs_again_at_restart_and_applies_each_row_once(
    tmp_path: Path,
) -> None:
    for rows in ROWS:
        killed = kill_while_active(tmp_path, rows)
        if killed is not None:
            break
    else:
        raise AssertionError(
            f"every apply ({', '.join(map(str, ROWS))} rows) ended before the kill: the race "
            "could not be caught; raise ROWS"
        )
    db, sync_uri = killed

    emulator = Emulator.start(db, tmp_path / "restart.log")
    try:
        with emulator.client() as client:
            deadline = time.monotonic() + 45

            def ended() -> str | None:
                status = client.get(sync_uri).json()["status"]
                return status if status in TERMINAL else None

            status = wait_until(
                ended,
                timeout=45,
                every=0.05,
                message=lambda: emulator.failure("the sync did not end"),
            )
            logs = client.get(f"{sync_uri}/logs").json()["items"]
            # the worker deletes the consumed staged rows right after the sync's transaction
            wait_until(
                lambda: stored(db)["staged rows"] == 0,
                timeout=max(deadline - time.monotonic(), 0),
                every=0.05,
                message=lambda: emulator.failure("staged rows were kept"),
            )
    finally:
        emulator.stop()

    assert status == "success"
    counts = {item["statusCode"]: item["count"] for item in logs}
    assert counts["ELQ-00004"] == rows
    assert counts["ELQ-00022"] == 0
    assert stored(db) == {
        "contacts": FIXTURE_CONTACTS + rows,
        "staged contacts": rows,
        "distinct staged e-mails": rows,
        "sync status": "success",
        "staged rows": 0,
    }
