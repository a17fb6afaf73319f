"""An AppCloud app reporting a whole step: a sync-action definition (``{{Contact.Id}}``
identifier, ``setStatus complete`` on the execution) synced with 100,000 staged contact ids,
timed from ``POST /syncs`` until ``GET /syncs/{id}`` shows the end (``immediate``
progression, polled every 50 ms).

The store gets 100,000 extra contacts directly in SQLite while the server is stopped; the
instance, the execution holding them and the staged ids go through the control plane and the
Bulk API, untimed.

Baseline, measured in the same run in a separate file: one ``UPDATE … WHERE record_id IN
(SELECT … FROM staged_rows)`` of an ``execution_members`` table of the same size, and its
commit. ``BENCH_ROWS`` overrides the size (at most 100,000: one execution).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from pathlib import Path

import httpx
import orjson

from benchmarks import results
from benchmarks.harness import (
    BULK,
    free_port,
    json_bodies,
    log_counts,
    peak_rss_mb,
    reset_peak_rss,
    stage,
    start,
    stop,
    wait_for_sync,
)
from emulator.core.timestamps import from_epoch

ROWS = 100_000
SITE = "Acme"
GUID = "f82d50cd-86a9-4fca-b37e-4ec9a98b0339"


def run(rows: int = int(os.environ.get("BENCH_ROWS", ROWS))) -> None:
    print(f"execution: {rows:,} contacts, all reported complete by one sync")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "emulator.db"
        process, _ = start(str(db), port := free_port())
        try:  # the site exists once someone has signed in
            httpx.get(
                f"http://127.0.0.1:{port}/id", auth=(f"{SITE}\\bench", "pw")
            ).raise_for_status()
        finally:
            stop(process)
        ids = fill_store(db, rows)
        process, _ = start(str(db), port := free_port(), "--sync-progression", "immediate")
        try:
            with httpx.Client(
                base_url=f"http://127.0.0.1:{port}", auth=(f"{SITE}\\bench", "pw"), timeout=None
            ) as client:
                uri, statement = prepare(client, ids)
                reset_peak_rss(process.pid)
                began = time.perf_counter()
                response = client.post(f"{BULK}/syncs", json={"syncedInstanceUri": uri})
                response.raise_for_status()
                sync_uri = str(response.json()["uri"])
                status = wait_for_sync(client, sync_uri, every=0.05)
                seconds = time.perf_counter() - began
                counts = log_counts(client, sync_uri)
            rss = peak_rss_mb(process.pid)
        finally:
            stop(process)
        if status != "success" or counts.get("ELQ-00128") != rows:
            raise RuntimeError(f"the sync ended {status} with logs {counts} ({statement})")
        raw = baseline(Path(tmp) / "baseline.db", rows)
    rate, raw_rate = rows / seconds, rows / raw
    print(f"emulator sync (POST /syncs → success)  {seconds:8.2f} s {rate:>10,.0f} rows/s")
    print(f"raw UPDATE … WHERE record_id IN (…)    {raw:8.2f} s {raw_rate:>10,.0f} rows/s")
    print(f"ratio emulator / raw                   {rate / raw_rate:8.3f}")
    print(f"server peak RSS (VmHWM)                {rss:8.0f} MB during the sync")
    results.record(
        "sync actions",
        f"{rows:,} AppCloud members reported complete by one sync, rows/s",
        f"{rate:,.0f}",
        baseline=f"{raw_rate:,.0f} (one UPDATE … WHERE record_id IN (…))",
        ratio=rate / raw_rate,
        rss_mb=rss,
    )


def fill_store(db: Path, rows: int) -> list[int]:
    """``rows`` more contacts of the site; their ids."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        site_id = conn.execute("SELECT id FROM sites WHERE name = ?", [SITE]).fetchone()[0]
        first = conn.execute(
            "SELECT coalesce(max(id), 0) + 1 FROM contacts WHERE site_id = ?", [site_id]
        ).fetchone()[0]
        stamp = from_epoch(time.time())
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO contacts (site_id, id, created_at, updated_at, account_id, "
            "is_subscribed, is_bounced, email_format, fields) "
            "VALUES (?, ?, ?, ?, NULL, 1, 0, '', ?)",
            (
                (site_id, first + n, stamp, stamp, f'{{"C_EmailAddress": "step{n}@bench.example"}}')
                for n in range(rows)
            ),
        )
        conn.execute("COMMIT")
    finally:
        conn.close()
    return list(range(first, first + rows))


def prepare(client: httpx.Client, ids: list[int]) -> tuple[str, str]:
    """The instance, its execution and the staged report; the definition's uri."""
    created = client.post(
        "/_emulator/appcloud/instances", json={"site": SITE, "type": "action", "instanceId": GUID}
    )
    created.raise_for_status()
    entered = client.post(
        f"/_emulator/appcloud/instances/{GUID}/executions", json={"recordIds": ids}
    )
    entered.raise_for_status()
    statement = str(entered.json()["statement"])
    definition = client.post(
        f"{BULK}/contacts/syncActions",
        json={
            "name": "bench report",
            "fields": {"ContactID": "{{Contact.Id}}"},
            "identifierFieldName": "ContactID",
            "syncActions": [
                {"action": "setStatus", "destination": statement, "status": "complete"}
            ],
        },
    )
    definition.raise_for_status()
    uri = str(definition.json()["uri"])
    stage(client, uri, json_bodies({"ContactID": str(i)} for i in ids))
    return uri, statement


def baseline(path: Path, rows: int) -> float:
    """Seconds for the one raw statement that marks the staged members complete."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.executescript(
            """
            CREATE TABLE execution_members (site_id INTEGER NOT NULL, instance TEXT NOT NULL,
                execution INTEGER NOT NULL, family TEXT NOT NULL, parent_id INTEGER NOT NULL,
                record_id INTEGER NOT NULL, status TEXT NOT NULL,
                PRIMARY KEY (site_id, instance, execution, family, parent_id, record_id));
            CREATE TABLE staged_rows (file_id INTEGER NOT NULL, ordinal INTEGER NOT NULL,
                data TEXT NOT NULL, PRIMARY KEY (file_id, ordinal)) WITHOUT ROWID;
            """
        )
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO execution_members VALUES (1, 'x', 1, 'contacts', 0, ?, 'pending')",
            ((n,) for n in range(rows)),
        )
        conn.executemany(
            "INSERT INTO staged_rows VALUES (1, ?, ?)",
            ((n, orjson.dumps({"ContactID": str(n)}).decode()) for n in range(rows)),
        )
        conn.execute("COMMIT")
        began = time.perf_counter()
        conn.execute("BEGIN")
        changed = conn.execute(
            "UPDATE execution_members SET status = 'complete' WHERE site_id = 1 AND "
            "instance = 'x' AND execution = 1 AND record_id IN (SELECT CAST(json_extract(data, "
            "'$.ContactID') AS INTEGER) FROM staged_rows)"
        ).rowcount
        conn.execute("COMMIT")
        seconds = time.perf_counter() - began
    finally:
        conn.close()
    if changed != rows:
        raise RuntimeError(f"the baseline changed {changed} members")
    return seconds
