"""Seeding 1,000,000 synthetic contacts (``python -m emulator seed``), into a new database
file before the server starts (``--db``: schema, fixtures, site, records) and into a
running emulator (``--url``: ``POST /_emulator/seed``, written there a chunk at a time),
each timed from starting the command to its end.

Baseline, measured in the same run: the same generator (``core.synthetic``) making the
same rows, and one plain ``executemany`` of them per 25,000 into the same ``contacts``
table (a fresh file with the store's schema and pragmas), one commit each.

Targets: 1,000,000 contacts in under 60 s and under 400 MB peak RSS (the command's own
with ``--db``, the server's with ``--url``). The ratio to the baseline is shown, not held
to a target: generating the values is most of both. The same runs at 10,000 and 100,000
contacts give the scaling table. ``BENCH_ROWS`` overrides the size.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

from benchmarks import results
from benchmarks.harness import ROOT, free_port, peak_rss_mb, start, stop
from emulator.core import synthetic
from emulator.store import Store

ROWS = 1_000_000
SIZES = (10_000, 100_000)  # for the scaling table, before the full size
SECONDS_TARGET = 60.0
RSS_TARGET_MB = 400.0
SEED = 1
CHUNK = 25_000
FIRST_ID = 301  # a new site's first free contact id, after the fixtures' 300
COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "account_id",
    "is_subscribed",
    "is_bounced",
    "email_format",
    "fields",
)


def run(rows: int = int(os.environ.get("BENCH_ROWS", ROWS))) -> None:
    for size in (*SIZES, rows) if rows == ROWS else (rows,):
        measure(size, full=size == rows)


def measure(rows: int, *, full: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        into_file, file_rss = seed_file(Path(tmp) / "seeded.db", rows)
        into_server, server_rss = seed_server(Path(tmp) / "served.db", rows)
        generate, insert = baseline(Path(tmp) / "baseline.db", rows)
        megabytes = (Path(tmp) / "seeded.db").stat().st_size / 1e6
    raw = generate + insert
    print(f"seeded {rows:,} contacts (file of {megabytes:,.0f} MB)")
    print(f"emulator seed --db        {into_file:7.2f} s  {rows / into_file:>10,.0f} rows/s")
    print(f"emulator seed --url       {into_server:7.2f} s  {rows / into_server:>10,.0f} rows/s")
    print(
        f"raw generate + insert     {raw:7.2f} s  {rows / raw:>10,.0f} rows/s "
        f"(generate {generate:.2f} s, executemany {insert:.2f} s)"
    )
    for name, seconds, rss in (("--db", into_file, file_rss), ("--url", into_server, server_rss)):
        print(
            f"{name:<5} ratio emulator / raw {raw / seconds:5.2f}; "
            f"{'OK' if seconds < SECONDS_TARGET else 'OVER'} (target < {SECONDS_TARGET:.0f} s); "
            f"peak RSS {rss:.0f} MB {'OK' if rss < RSS_TARGET_MB else 'OVER'} "
            f"(target < {RSS_TARGET_MB:.0f} MB)"
        )
    results.scale("seed --db", rows, into_file)
    results.scale("seed --url", rows, into_server)
    if full:
        for name, seconds, rss, whose in (
            ("--db", into_file, file_rss, "command"),
            ("--url", into_server, server_rss, "server"),
        ):
            results.record(
                "seed",
                f"{rows:,} contacts, seed {name}, seconds ({whose} RSS)",
                f"{seconds:.1f} s ({raw / seconds:.2f}x the baseline's rate)",
                baseline=f"{raw:.1f} s (same generator + executemany)",
                ratio=seconds,
                at_most=SECONDS_TARGET,
                rss_mb=rss,
            )


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "emulator", "seed", "--site", "Bench", "--seed", str(SEED), *args]


# Runs the command in this interpreter and prints its own VmHWM last. The rusage of a
# child cannot be used: Linux carries the parent's peak RSS over a fork and exec into the
# child's ``ru_maxrss``, so after the baseline (which holds its rows in this process) it
# would report this process's peak, not the command's.
LAUNCH = (
    "import sys\n"
    "from emulator.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "status = open('/proc/self/status').read().split('VmHWM:')[1].split()[0]\n"
    "print('VmHWM-kB', status, file=sys.stderr)\n"
    "raise SystemExit(code)\n"
)


def seed_file(path: Path, rows: int) -> tuple[float, float]:
    """Seconds for the command into a new file, and its peak RSS in MB."""
    began = time.perf_counter()
    finished = subprocess.run(
        [
            sys.executable,
            "-c",
            LAUNCH,
            *command("--contacts", str(rows), "--db", str(path), "--quiet")[3:],
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - began
    if finished.returncode != 0:
        raise RuntimeError(f"seed --db exited with {finished.returncode}: {finished.stderr}")
    peak = [line for line in finished.stderr.splitlines() if line.startswith("VmHWM-kB ")]
    return seconds, int(peak[-1].split()[1]) / 1024


def seed_server(path: Path, rows: int) -> tuple[float, float]:
    """Seconds for the command into a running emulator, and the server's peak RSS in MB."""
    process, _ = start(str(path), port := free_port())
    try:
        began = time.perf_counter()
        subprocess.run(
            command("--contacts", str(rows), "--url", f"http://127.0.0.1:{port}", "--quiet"),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            check=True,
        )
        seconds = time.perf_counter() - began
        rss = peak_rss_mb(process.pid)
    finally:
        stop(process)
    return seconds, rss


def baseline(path: Path, rows: int) -> tuple[float, float]:
    """Seconds generating the same rows, and inserting them with one ``executemany`` per
    chunk into the store's ``contacts`` table (the schema made by the store, untimed)."""
    store = Store(str(path))
    conn = store.writer.conn
    layout = synthetic.Layout(seed=SEED, contacts=rows, contact_base=FIRST_ID)
    records = synthetic.Records(layout)
    sql = (
        f"INSERT INTO contacts (site_id, {', '.join(COLUMNS)}) "
        f"VALUES (1, {', '.join('?' for _ in COLUMNS)})"
    )
    generate = insert = 0.0
    for start_at in range(0, rows, CHUNK):
        began = time.perf_counter()
        batch = [
            (*(row[c] for c in COLUMNS[:-1]), orjson.dumps(row["fields"]).decode())
            for row in records.contacts(start_at, min(rows, start_at + CHUNK))
        ]
        made = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany(sql, batch)
        conn.execute("COMMIT")
        generate += made - began
        insert += time.perf_counter() - made
    store.close()
    return generate, insert
