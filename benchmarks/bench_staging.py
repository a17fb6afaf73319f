"""Staging 1,000,000 contacts over HTTP (``POST /contacts/imports/{id}/data``, JSON bodies of
up to 32 MB, one client) against the raw cost of the same work in-process: ``orjson.loads``
of the same bodies and one ``executemany`` of the rows' JSON text per body into a fresh
SQLite file table shaped like ``staged_rows`` (WAL, one commit per body; the baseline).

Each side runs ``RUNS`` times (a fresh definition, or a fresh file) and the best time
counts, which keeps the ratio steady on a busy machine.

Targets: emulator rows/s at least 0.8x the baseline; server peak RSS under 400 MB. The
same runs at 10,000 and 100,000 rows give the scaling table (cost per row within 1.5x).
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

import httpx
import orjson

from benchmarks import results
from benchmarks.harness import (
    contact_rows,
    create_contact_import,
    free_port,
    json_bodies,
    peak_rss_mb,
    stage,
    start,
    stop,
)

ROWS = 1_000_000
SIZES = (10_000, 100_000)  # for the scaling table, before the full size
RUNS = 3
RATIO_TARGET = 0.8
RSS_TARGET_MB = 400.0


def run(rows: int = ROWS) -> None:
    for size in (*SIZES, rows):
        measure(size, full=size == rows)


def measure(rows: int, *, full: bool) -> None:
    bodies = json_bodies(contact_rows(0, rows, "staging.example"))
    megabytes = sum(len(b) for b in bodies) / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        process, _ = start(str(Path(tmp) / "emulator.db"), port := free_port())
        try:
            with httpx.Client(
                base_url=f"http://127.0.0.1:{port}", auth=("Acme\\bench", "pw"), timeout=600
            ) as client:
                times = []
                for attempt in range(RUNS):
                    uri = create_contact_import(client, f"bench staging {attempt}")
                    began = time.perf_counter()
                    stage(client, uri, bodies)
                    times.append(time.perf_counter() - began)
            rss = peak_rss_mb(process.pid)
        finally:
            stop(process)
        raws = [baseline(bodies, Path(tmp) / f"baseline-{n}.db") for n in range(RUNS)]
    seconds, raw = min(times), min(raws)
    emulator_rate, raw_rate = rows / seconds, rows / raw
    print(f"runs (s): emulator {', '.join(f'{t:.2f}' for t in times)}; ", end="")
    print(f"raw {', '.join(f'{t:.2f}' for t in raws)} (best counts)")
    print(f"staged {rows:,} rows in {len(bodies)} POSTs ({megabytes:,.0f} MB of JSON)")
    print(f"emulator over HTTP        {seconds:7.2f} s  {emulator_rate:>10,.0f} rows/s")
    print(f"raw loads + executemany   {raw:7.2f} s  {raw_rate:>10,.0f} rows/s")
    ratio = emulator_rate / raw_rate
    print(
        f"ratio emulator / raw      {ratio:7.2f}    "
        f"{'OK' if ratio >= RATIO_TARGET else 'UNDER'} (target >= {RATIO_TARGET})"
    )
    print(
        f"server peak RSS (VmHWM)   {rss:7.0f} MB "
        f"{'OK' if rss < RSS_TARGET_MB else 'OVER'} (target < {RSS_TARGET_MB:.0f} MB)"
    )
    results.scale("staging", rows, seconds)
    if full:
        results.record(
            "staging",
            f"{rows:,} contacts in {len(bodies)} POSTs, rows/s",
            f"{emulator_rate:,.0f}",
            baseline=f"{raw_rate:,.0f} (orjson.loads + executemany)",
            ratio=ratio,
            at_least=RATIO_TARGET,
            rss_mb=rss,
        )


def baseline(bodies: list[bytes], path: Path) -> float:
    """Seconds to decode every body and insert its rows' JSON text, one commit per body."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(
        "CREATE TABLE staged_rows (file_id INTEGER NOT NULL, ordinal INTEGER NOT NULL, "
        "data TEXT NOT NULL, PRIMARY KEY (file_id, ordinal)) WITHOUT ROWID"
    )
    began = time.perf_counter()
    for file_id, body in enumerate(bodies, 1):
        rows = orjson.loads(body)
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO staged_rows VALUES (?, ?, ?)",
            ((file_id, ordinal, orjson.dumps(row).decode()) for ordinal, row in enumerate(rows, 1)),
        )
        conn.execute("COMMIT")
    seconds = time.perf_counter() - began
    conn.close()
    return seconds
