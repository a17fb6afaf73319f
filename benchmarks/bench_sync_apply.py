"""Applying a contact import sync of 1,000,000 staged rows to a store of 1,000,000 contacts
(half the rows update existing contacts, half create new ones), timed from ``POST /syncs``
until ``GET /syncs/{id}`` shows the end (polled every 50 ms, ``immediate`` progression).

The store is filled untimed by inserting the 1,000,000 contacts into the SQLite file while
the server is stopped (the rows a sync would write: the site's next ids, the same columns
and ``fields`` JSON); the rows are then staged over HTTP, untimed.

Baseline, measured in the same run in a separate file: the same staged rows applied by one
``INSERT … SELECT … ON CONFLICT DO UPDATE`` against a contacts-shaped table holding the same
1,000,000 contacts, with a unique index on the lower-cased e-mail.

Target: emulator rows/s at least 0.8x the baseline, the best of two runs of each side,
alternating. The same run at 10,000 and 100,000 rows (once each) gives the scaling table.
``BENCH_ROWS`` overrides the size.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson

from benchmarks import results
from benchmarks.harness import (
    BULK,
    contact_rows,
    create_contact_import,
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

ROWS = 1_000_000
RATIO_TARGET = 0.8
RUNS = 2  # at the full size, of each side
SIZES = (10_000, 100_000)  # for the scaling table, before the full size
PROGRESS_EVERY = 30.0
SITE = "Acme"
DOMAIN = "apply.example"
EMAIL = "lower(json_extract(fields, '$.C_EmailAddress'))"


def run(rows: int = int(os.environ.get("BENCH_ROWS", ROWS))) -> None:
    for size in (*SIZES, rows) if rows == ROWS else (rows,):
        measure(size, full=size == rows)


def measure(rows: int, *, full: bool) -> None:
    """One size; at the full size each side runs ``RUNS`` times, alternating, and the best
    of each counts (as ``timeit`` reports), which keeps the ratio steady on a busy
    two-core machine."""
    existing, new = rows // 2, rows - rows // 2
    print(f"store: {rows:,} contacts; sync: {existing:,} updates + {new:,} creates")
    ours: list[tuple[float, float]] = []
    raws: list[float] = []
    for _ in range(RUNS if full else 1):
        ours.append(emulator_run(rows))
        with tempfile.TemporaryDirectory() as tmp:
            raws.append(baseline(Path(tmp) / "baseline.db", rows))
    if len(ours) > 1:
        print(f"  runs (s): emulator {', '.join(f'{s:.2f}' for s, _ in ours)}; ", end="")
        print(f"raw {', '.join(f'{s:.2f}' for s in raws)}")
    seconds, rss = min(ours)
    raw = min(raws)
    emulator_rate, raw_rate = rows / seconds, rows / raw
    print(f"emulator sync (POST /syncs → success)  {seconds:8.2f} s {emulator_rate:>10,.0f} rows/s")
    print(f"raw INSERT … ON CONFLICT DO UPDATE     {raw:8.2f} s {raw_rate:>10,.0f} rows/s")
    ratio = emulator_rate / raw_rate
    print(
        f"ratio emulator / raw                   {ratio:8.3f}   "
        f"{'OK' if ratio >= RATIO_TARGET else 'UNDER'} (target >= {RATIO_TARGET})"
    )
    print(f"server peak RSS (VmHWM)                {rss:8.0f} MB during the sync")
    results.scale("sync apply", rows, seconds)
    if full:
        results.record(
            "sync apply",
            f"{rows:,} staged rows (half updates) into {rows:,} contacts, rows/s",
            f"{emulator_rate:,.0f}",
            baseline=f"{raw_rate:,.0f} (one INSERT … ON CONFLICT DO UPDATE)",
            ratio=ratio,
            at_least=RATIO_TARGET,
            rss_mb=rss,
        )


def emulator_run(rows: int) -> tuple[float, float]:
    """Seconds of the emulator's sync of ``rows`` staged rows into as many contacts, and the
    server's peak RSS during it."""
    existing, new = rows // 2, rows - rows // 2
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "emulator.db"
        started = time.perf_counter()
        uri, site_id = prepare(db)
        fill_store(db, site_id, rows)
        print(f"  store filled directly in SQLite ({time.perf_counter() - started:.0f} s)")
        process, _ = start(str(db), port := free_port(), "--sync-progression", "immediate")
        try:
            with httpx.Client(
                base_url=f"http://127.0.0.1:{port}", auth=(f"{SITE}\\bench", "pw"), timeout=None
            ) as client:
                began = time.perf_counter()
                stage(client, uri, json_bodies(staged_rows(rows)))
                print(
                    f"  {rows:,} rows staged ({time.perf_counter() - began:.0f} s, untimed; "
                    f"server peak RSS {peak_rss_mb(process.pid):.0f} MB)"
                )
                if not reset_peak_rss(process.pid):
                    print("  (VmHWM reset refused: the peak RSS counts from the start)")
                seconds, status = timed_sync(client, uri, process.pid)
                counts = log_counts(client, f"/syncs/{status[1]}")
            rss = peak_rss_mb(process.pid)
        finally:
            stop(process)
    if status[0] != "success" or (counts["ELQ-00022"], counts["ELQ-00004"]) != (existing, new):
        raise RuntimeError(f"the sync ended {status[0]} with logs {counts}")
    return seconds, rss


def prepare(db: Path) -> tuple[str, int]:
    """Create the site and the import definition through the API; the definition's uri and
    the site's id."""
    process, _ = start(str(db), port := free_port())
    try:
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}", auth=(f"{SITE}\\bench", "pw")
        ) as client:
            uri = create_contact_import(client, "bench sync apply")
    finally:
        stop(process)
    conn = sqlite3.connect(db)
    try:
        site_id = int(conn.execute("SELECT id FROM sites WHERE name = ?", [SITE]).fetchone()[0])
    finally:
        conn.close()
    return uri, site_id


def stored_contact(n: int, stamp: str) -> tuple[str, str, str]:
    """``(created_at, updated_at, fields)`` of existing contact ``n``, as an import wrote it."""
    fields = {
        "C_EmailAddress": f"bench{n}@{DOMAIN}",
        "C_FirstName": f"Old{n}",
        "C_LastName": f"Stored{n}",
        "C_Country": "FR",
    }
    return stamp, stamp, orjson.dumps(fields).decode()


def fill_store(db: Path, site_id: int, rows: int) -> None:
    """The site's next ``rows`` contacts, inserted while the server is stopped."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        first = conn.execute(
            "SELECT coalesce(max(id), 0) + 1 FROM contacts WHERE site_id = ?", [site_id]
        ).fetchone()[0]
        stamp = from_epoch(time.time())
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO contacts (site_id, id, created_at, updated_at, account_id, "
            "is_subscribed, is_bounced, email_format, fields) "
            "VALUES (?, ?, ?, ?, NULL, 1, 0, '', ?)",
            ((site_id, first + n, *stored_contact(n, stamp)) for n in range(rows)),
        )
        conn.execute("COMMIT")
    finally:
        conn.close()


def staged_rows(rows: int) -> list[dict[str, str]]:
    """Rows ``rows/2 … 3·rows/2``: the first half are stored contacts (different names)."""
    return contact_rows(rows // 2, rows, DOMAIN)


def timed_sync(client: httpx.Client, uri: str, pid: int) -> tuple[float, tuple[str, int]]:
    """Seconds from ``POST /syncs`` to the end; prints progress while it runs."""
    done = threading.Event()
    began = time.perf_counter()

    def progress() -> None:
        while not done.wait(PROGRESS_EVERY):
            print(
                f"  … sync running for {time.perf_counter() - began:5.0f} s, "
                f"server RSS {current_rss_mb(pid):.0f} MB",
                flush=True,
            )

    ticker = threading.Thread(target=progress, daemon=True)
    ticker.start()
    try:
        response = client.post(f"{BULK}/syncs", json={"syncedInstanceUri": uri})
        response.raise_for_status()
        sync_uri = str(response.json()["uri"])
        status = wait_for_sync(client, sync_uri, every=0.05)
        seconds = time.perf_counter() - began
    finally:
        done.set()
        ticker.join()
    return seconds, (status, int(sync_uri.rsplit("/", 1)[1]))


def current_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def baseline(path: Path, rows: int) -> float:
    """Seconds for one upsert statement (and its commit) applying the staged rows."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.executescript(
            f"""
            CREATE TABLE contacts (
                site_id INTEGER NOT NULL,
                id INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                account_id INTEGER,
                is_subscribed INTEGER NOT NULL DEFAULT 1,
                is_bounced INTEGER NOT NULL DEFAULT 0,
                email_format TEXT NOT NULL DEFAULT '',
                fields TEXT NOT NULL DEFAULT '{{}}',
                PRIMARY KEY (site_id, id)
            );
            CREATE UNIQUE INDEX contacts_email ON contacts (site_id, {EMAIL});
            CREATE TABLE staged_rows (
                file_id INTEGER NOT NULL,
                ordinal INTEGER NOT NULL,
                data TEXT NOT NULL,
                PRIMARY KEY (file_id, ordinal)
            ) WITHOUT ROWID;
            """
        )
        stamp = from_epoch(time.time())
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO contacts (site_id, id, created_at, updated_at, fields) "
            "VALUES (1, ?, ?, ?, ?)",
            ((n + 1, *stored_contact(n, stamp)) for n in range(rows)),
        )
        conn.executemany(
            "INSERT INTO staged_rows VALUES (?, ?, ?)", _staged_files(staged_rows(rows))
        )
        conn.execute("COMMIT")
        began = time.perf_counter()
        conn.execute("BEGIN")
        conn.execute(
            f"""
            INSERT INTO contacts (site_id, id, created_at, updated_at, fields)
            SELECT 1, ? + row_number() OVER (ORDER BY file_id, ordinal), ?, ?,
                   json_object('C_EmailAddress', data ->> 'email', 'C_FirstName',
                               data ->> 'first', 'C_LastName', data ->> 'last',
                               'C_Country', data ->> 'country')
            FROM staged_rows WHERE true
            ON CONFLICT (site_id, {EMAIL}) DO UPDATE SET
                updated_at = excluded.updated_at,
                fields = json_patch(contacts.fields, excluded.fields)
            """,
            [rows, stamp, stamp],
        )
        conn.execute("COMMIT")
        seconds = time.perf_counter() - began
        total, updated = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE fields ->> 'C_FirstName' LIKE 'First%') "
            "FROM contacts"
        ).fetchone()
    finally:
        conn.close()
    if (total, updated) != (rows + rows - rows // 2, rows):
        raise RuntimeError(f"the baseline upsert left {total} contacts, {updated} written")
    return seconds


def _staged_files(rows: list[dict[str, str]]) -> Iterator[tuple[int, int, str]]:
    """``(file, ordinal, row JSON)`` in files of 32 MB, as the emulator stores them."""
    file_id, ordinal, size = 1, 0, 0
    for row in rows:
        text = orjson.dumps(row).decode()
        if size + len(text) + 1 > 32 * 1024 * 1024:
            file_id, ordinal, size = file_id + 1, 0, 0
        ordinal += 1
        size += len(text) + 1
        yield file_id, ordinal, text
