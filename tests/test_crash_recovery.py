"""Nothing acknowledged is lost and nothing is applied twice, however often the process dies
(design §1.4, "Loses nothing").

A client stages contacts, creates import and export syncs and keeps going while the
emulator is killed with SIGKILL fifty times at points drawn from a fixed seed: during
uploads, chunked imports, chunked exports and the purge of staged rows (``--sync-chunk``
is small, so every sync has several chunks). After each kill the emulator starts again on
the same file and the client carries on. At the end every sync has ended, every row of an
upload answered 204 is in exactly one contact, a row of an upload that got no answer is in
at most one, and SQLite's integrity check passes.
"""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
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
DOMAIN = "crash.example"
SEED = 20261204
KILLS = 50
CHUNK = 300
IMPORT = {
    "name": "crash recovery",
    "fields": {
        "email": "{{Contact.Field(C_EmailAddress)}}",
        "first": "{{Contact.Field(C_FirstName)}}",
        "country": "{{Contact.Field(C_Country)}}",
    },
    "identifierFieldName": "email",
}
EXPORT = {
    "name": "crash export",
    "fields": {"id": "{{Contact.Id}}", "email": "{{Contact.Field(C_EmailAddress)}}"},
}


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
                    "--sync-chunk",
                    str(CHUNK),
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
        return httpx.Client(base_url=self.base + BULK, auth=AUTH, timeout=30)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)

    def failure(self, message: str) -> str:
        return f"{message}; emulator output:\n{self.log.read_text(errors='replace')[-2000:]}"


@dataclass
class Client:
    """What the client knows: rows acknowledged (204) and rows sent without an answer."""

    rng: random.Random
    acknowledged: set[str] = field(default_factory=set)
    uncertain: set[str] = field(default_factory=set)
    uploads: int = 0
    refused: int = 0
    in_flight: str = ""

    def work(self, client: httpx.Client, imports: str, exports: str) -> None:
        """Uploads and syncs, until the connection breaks."""
        while True:
            draw = self.rng.random()
            if draw < 0.6:
                self.upload(client, imports)
            elif draw < 0.85:
                self.in_flight = "sync"
                client.post("/syncs", json={"syncedInstanceUri": imports})  # 201 or 409
            else:
                self.in_flight = "sync"
                client.post("/syncs", json={"syncedInstanceUri": exports})
            self.in_flight = ""

    def upload(self, client: httpx.Client, uri: str) -> None:
        self.uploads += 1
        emails = [f"u{self.uploads}r{n}@{DOMAIN}" for n in range(self.rng.randint(100, 1500))]
        rows = [{"email": e, "first": f"F{n}", "country": "DE"} for n, e in enumerate(emails)]
        self.uncertain.update(emails)
        self.in_flight = "upload"
        response = client.post(
            f"{uri}/data", content=orjson.dumps(rows), headers={"Content-Type": "application/json"}
        )
        self.uncertain.difference_update(emails)
        if response.status_code == 204:
            self.acknowledged.update(emails)
        else:  # refused (500 files wait for a sync): stores nothing
            assert response.status_code == 400, response.text
            self.refused += 1


def state(db: Path) -> dict[str, int]:
    """What the file holds (committed data only), read with plain ``sqlite3``."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {
            "active imports": conn.execute(
                "SELECT count(*) FROM syncs WHERE status = 'active' AND kind = 'imports' "
                "AND progress IS NOT NULL"
            ).fetchone()[0],
            "active exports": conn.execute(
                "SELECT count(*) FROM syncs WHERE status = 'active' AND kind = 'exports' "
                "AND progress IS NOT NULL"
            ).fetchone()[0],
            "rows to purge": conn.execute(
                "SELECT count(*) FROM staged_rows r JOIN staged_files f ON f.id = r.file_id "
                "JOIN syncs s ON s.site_id = f.site_id AND s.id = f.sync_id "
                "WHERE s.status IN ('success', 'warning', 'error')"
            ).fetchone()[0],
        }
    finally:
        conn.close()


def contacts_by_email(db: Path) -> Counter[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return Counter(
            str(email)
            for (email,) in conn.execute(
                "SELECT lower(json_extract(c.fields, '$.C_EmailAddress')) FROM contacts c "
                "JOIN sites s ON s.id = c.site_id WHERE s.name = ? "
                "AND json_extract(c.fields, '$.C_EmailAddress') LIKE ?",
                [SITE, f"%@{DOMAIN}"],
            )
        )
    finally:
        conn.close()


def staged_rows(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM staged_rows").fetchone()[0])
    finally:
        conn.close()


def finish(
    emulator: Emulator, db: Path, imports: str
) -> tuple[list[dict[str, object]], list[dict[str, int]]]:
    """Sync what is still staged, wait for every sync to end and the staged rows to go;
    the syncs, and the log counts of the import syncs."""
    with emulator.client() as client:

        def syncs() -> list[dict[str, object]]:
            return list(client.get("/syncs", params={"limit": 1000}).json()["items"])

        def quiet() -> bool:
            return all(s["status"] in TERMINAL for s in syncs())

        wait_until(quiet, timeout=60, every=0.1, message=lambda: emulator.failure("stuck"))
        created = client.post("/syncs", json={"syncedInstanceUri": imports})
        assert created.status_code == 201, created.text
        wait_until(quiet, timeout=60, every=0.1, message=lambda: emulator.failure("stuck"))
        wait_until(
            lambda: staged_rows(db) == 0,
            timeout=30,
            every=0.1,
            message=lambda: emulator.failure("staged rows were kept"),
        )
        ended = syncs()
        counts = []
        for sync in ended:
            if "/imports/" in str(sync["syncedInstanceUri"]):
                items = client.get(f"{sync['uri']}/logs", params={"limit": 1000}).json()["items"]
                counts.append({i["statusCode"]: int(i["count"]) for i in items})
        return ended, counts


# Every other kill lands at a moment drawn from the seed; the rest wait for a point the
# random ones may miss, so each run covers them all.
PLAN = ("random", "upload", "random", "import chunks", "random", "export chunks", "random", "purge")


def kill_when(emulator: Emulator, db: Path, me: Client, point: str, delay: float) -> None:
    """Kill the emulator after ``delay`` seconds, or, for a named point, as soon as the
    file shows it under way (within 10 seconds)."""
    if point == "random":
        time.sleep(delay)
    else:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if point == "upload" and me.in_flight == "upload":
                break
            if point != "upload" and state(db)[POINTS[point]] > 0:
                break
            time.sleep(0.002)
    emulator.kill()


POINTS = {
    "import chunks": "active imports",
    "export chunks": "active exports",
    "purge": "rows to purge",
}


def test_fifty_kills_lose_no_acknowledged_row_and_apply_each_row_once(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    db, log = tmp_path / "crash.db", tmp_path / "crash.log"
    emulator = Emulator.start(db, log)
    with emulator.client() as client:
        imports = client.post("/contacts/imports", json=IMPORT).json()["uri"]
        exports = client.post("/contacts/exports", json=EXPORT).json()["uri"]
    me = Client(rng)
    landed: Counter[str] = Counter()
    for number in range(KILLS):
        killer = threading.Thread(
            target=kill_when,
            args=(emulator, db, me, PLAN[number % len(PLAN)], rng.uniform(0.05, 1.2)),
        )
        killer.start()
        try:
            with emulator.client() as client:
                me.work(client, imports, exports)
        except httpx.TransportError:
            pass
        killer.join()
        seen = state(db)
        landed.update(
            {
                "upload": me.in_flight == "upload",
                "import chunks": seen["active imports"] > 0,
                "export chunks": seen["active exports"] > 0,
                "purge": seen["rows to purge"] > 0,
            }
        )
        emulator = Emulator.start(db, log)
    try:
        syncs, counts = finish(emulator, db, imports)
    finally:
        emulator.stop()

    print(f"kills landed during: {dict(landed)}")
    assert all(landed[point] >= 3 for point in ("upload", "import chunks", "purge")), landed
    assert landed["export chunks"] >= 3, landed
    assert all(s["status"] in ("success", "warning") for s in syncs), syncs
    stored = contacts_by_email(db)
    # a row applied twice would update the contact its first pass created
    assert sum(c.get("ELQ-00004", 0) for c in counts) == len(stored)
    assert sum(c.get("ELQ-00022", 0) for c in counts) == 0
    assert [email for email, count in stored.items() if count > 1] == []
    assert {e for e in me.acknowledged if stored[e] != 1} == set()
    assert set(stored) <= me.acknowledged | me.uncertain
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
