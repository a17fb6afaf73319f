"""Polling under load: ``GET /api/bulk/2.0/syncs/{id}`` of one ended sync, asked by 64
concurrent keep-alive clients for 5 seconds (after 1 second of warm-up), over loopback,
against the emulator as ``harness.start`` runs it (Basic auth, default progression; the
sync was polled to its end first, so every answer is the same ``success`` body).

Baseline, measured in the same run with the same load generator: a bare Starlette app with
one route that reads the same sync's row from a SQLite file (``SELECT … WHERE id = ?`` on a
connection cached per thread, in Starlette's thread pool) and returns it as JSON, served by
uvicorn in a subprocess with the emulator's uvicorn settings (loop and http ``auto``, so
uvloop and httptools; log level ``warning``; no server header) on another free port.

The load generator is one asyncio process (uvloop): 64 tasks, each with its own connection,
sending one prepared request at a time and reading the answer by its ``Content-Length``; it
checks every status and body. Each side runs ``RUNS`` times, alternating, and the best run
counts, which keeps the ratio steady on a busy two-core machine.

Target: emulator requests/s at least 0.7x the bare route's (p50 and p99 latency shown).
"""

from __future__ import annotations

import asyncio
import base64
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson
import uvicorn
import uvloop
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from benchmarks import results
from benchmarks.harness import (
    BULK,
    contact_rows,
    create_contact_import,
    free_port,
    json_bodies,
    peak_rss_mb,
    stage,
    start,
    start_baseline,
    stop,
    wait_for_sync,
)

BENCH = "polling"
CLIENTS = 64
SECONDS = 5.0
WARMUP = 1.0
RUNS = 3
RATIO_TARGET = 0.7
USER = ("Acme\\poller", "pw")
JSON_TYPE = "application/json; charset=utf-8"


@dataclass(frozen=True)
class Load:
    """What one load run saw: requests answered in the window and their latencies."""

    requests: int
    seconds: float
    latencies: list[float]  # sorted, seconds
    server_cpu_us: float  # server CPU (all threads) per request, warm-up included
    client_busy: float  # the load generator's CPU time over its wall time

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        return self.latencies[min(len(self.latencies) - 1, int(len(self.latencies) * p))]

    def describe(self) -> str:
        return (
            f"{self.rate:>8,.0f} req/s  p50 {self.percentile(0.5) * 1000:6.2f} ms  "
            f"p99 {self.percentile(0.99) * 1000:6.2f} ms  ({self.requests:,} requests; "
            f"server CPU {self.server_cpu_us:.0f} µs/request, load generator "
            f"{self.client_busy:.0%} busy)"
        )


def run() -> None:
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        process, _ = start(str(Path(tmp) / "emulator.db"), port := free_port())
        try:
            sync_path, item = ended_sync(port)
            bare_db = Path(tmp) / "bare.db"
            sync_id = fill_bare(bare_db, item)
            bare, bare_port = start_bare(bare_db)
            try:
                bare_path = f"{BULK}/syncs/{sync_id}"
                check_same(port, sync_path, bare_port, bare_path)
                ours_runs: list[Load] = []
                bare_runs: list[Load] = []
                for _ in range(RUNS):
                    bare_runs.append(load(bare_port, bare_path, bare.pid))
                    ours_runs.append(load(port, sync_path, process.pid))
            finally:
                stop(bare)
            rss = peak_rss_mb(process.pid)
        finally:
            stop(process)
    for label, runs in (("emulator", ours_runs), ("bare route", bare_runs)):
        print(f"runs (req/s), {label}: {', '.join(f'{r.rate:,.0f}' for r in runs)}")
    ours = max(ours_runs, key=lambda r: r.rate)
    base = max(bare_runs, key=lambda r: r.rate)
    print(f"{CLIENTS} keep-alive clients, {SECONDS:g} s each (best of {RUNS})")
    print(f"emulator GET /syncs/{{id}}      {ours.describe()}")
    print(f"bare Starlette + SQLite row    {base.describe()}")
    ratio = ours.rate / base.rate
    print(
        f"ratio emulator / bare          {ratio:8.2f}   "
        f"{'OK' if ratio >= RATIO_TARGET else 'UNDER'} (target >= {RATIO_TARGET})"
    )
    print(f"server peak RSS (VmHWM)        {rss:8.0f} MB; took {time.perf_counter() - began:.0f} s")
    results.record(
        BENCH,
        f"GET /syncs/{{id}}, {CLIENTS} keep-alive clients: requests/s",
        f"{ours.rate:,.0f} req/s (p50 {ours.percentile(0.5) * 1000:.1f} ms, "
        f"p99 {ours.percentile(0.99) * 1000:.1f} ms)",
        baseline=f"{base.rate:,.0f} req/s (p50 {base.percentile(0.5) * 1000:.1f} ms, "
        f"p99 {base.percentile(0.99) * 1000:.1f} ms)",
        ratio=ratio,
        at_least=RATIO_TARGET,
        rss_mb=rss,
    )


def ended_sync(port: int) -> tuple[str, dict[str, object]]:
    """A contact import sync of one row, ended; its path and its JSON."""
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", auth=USER, timeout=30) as client:
        uri = create_contact_import(client, "bench polling")
        stage(client, uri, json_bodies(contact_rows(0, 1, "polling.example")))
        response = client.post(f"{BULK}/syncs", json={"syncedInstanceUri": uri})
        response.raise_for_status()
        sync_uri = str(response.json()["uri"])
        deadline = time.monotonic() + 30
        while wait_for_sync(client, sync_uri, every=0.02) != "success":
            if time.monotonic() > deadline:
                raise RuntimeError(f"{sync_uri} did not end in success")
        item = client.get(f"{BULK}{sync_uri}").json()
    return f"{BULK}{sync_uri}", dict(item)


def fill_bare(path: Path, item: dict[str, object]) -> int:
    """The sync's fields as one row of a ``syncs`` table; its id."""
    sync_id = int(str(item["uri"]).rsplit("/", 1)[1])
    keys = list(item)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        columns = ", ".join(f'"{k}" TEXT' for k in keys)
        conn.execute(f"CREATE TABLE syncs (id INTEGER PRIMARY KEY, {columns})")
        marks = ", ".join("?" for _ in keys)
        conn.execute(
            f"INSERT INTO syncs VALUES (?, {marks})", [sync_id, *(str(item[k]) for k in keys)]
        )
    finally:
        conn.close()
    return sync_id


def bare_app(db: str) -> Starlette:
    """One route: the row of ``syncs`` with the path's id, as a JSON object."""
    conn = sqlite3.connect(db)
    keys = [row[1] for row in conn.execute("PRAGMA table_info(syncs)") if row[1] != "id"]
    conn.close()
    quoted = ", ".join('"' + k + '"' for k in keys)
    select = f"SELECT {quoted} FROM syncs WHERE id = ?"
    local = threading.local()

    def connection() -> sqlite3.Connection:
        cached: sqlite3.Connection | None = getattr(local, "conn", None)
        if cached is None:
            cached = sqlite3.connect(f"file:{db}?mode=ro", uri=True, check_same_thread=False)
            local.conn = cached
        return cached

    def get_sync(request: Request) -> Response:  # a plain function: runs in the thread pool
        row = connection().execute(select, [request.path_params["id"]]).fetchone()
        if row is None:
            return Response(status_code=404)
        return Response(orjson.dumps(dict(zip(keys, row, strict=True))), media_type=JSON_TYPE)

    return Starlette(routes=[Route(BULK + "/syncs/{id:int}", get_sync)])


def serve_bare(port: int, db: str) -> None:
    """Run the bare app as ``emulator.cli`` runs the emulator."""
    uvicorn.run(bare_app(db), host="127.0.0.1", port=port, log_level="warning", server_header=False)


def start_bare(db: Path) -> tuple[subprocess.Popen[bytes], int]:
    return start_baseline("benchmarks.bench_polling", "serve-bare", str(db), probe="/", expect=404)


def check_same(port: int, path: str, bare_port: int, bare_path: str) -> None:
    """Both servers answer the same JSON object."""
    ours = httpx.get(f"http://127.0.0.1:{port}{path}", auth=USER, timeout=10)
    bare = httpx.get(f"http://127.0.0.1:{bare_port}{bare_path}", timeout=10)
    if ours.status_code != 200 or bare.status_code != 200 or ours.json() != bare.json():
        raise RuntimeError(f"the answers differ: {ours.text!r} against {bare.text!r}")


def load(port: int, path: str, pid: int) -> Load:
    """``CLIENTS`` keep-alive connections asking ``GET path`` for ``WARMUP + SECONDS``;
    ``pid`` is the server's, whose CPU time is read before and after."""
    token = base64.b64encode(f"{USER[0]}:{USER[1]}".encode()).decode()
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Basic {token}\r\n"
        "Accept: application/json\r\n\r\n"
    ).encode()
    expected = httpx.get(f"http://127.0.0.1:{port}{path}", auth=USER, timeout=10).content
    cpu, wall, client_cpu = cpu_seconds(pid), time.perf_counter(), time.process_time()
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        load, answered = runner.run(_load(port, request, expected))
    busy = (time.process_time() - client_cpu) / (time.perf_counter() - wall)
    per_request = (cpu_seconds(pid) - cpu) / answered * 1e6
    return Load(load.requests, load.seconds, load.latencies, per_request, busy)


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process, all its threads; Linux only."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _load(port: int, request: bytes, expected: bytes) -> tuple[Load, int]:
    """The requests answered in the window, and how many were answered in all."""
    began = time.perf_counter()
    opens, closes = began + WARMUP, began + WARMUP + SECONDS
    latencies: list[float] = []
    last, answered = opens, 0

    async def client() -> None:
        nonlocal last, answered
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while (sent := time.perf_counter()) < closes:
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                body = await reader.readexactly(_content_length(head))
                done = time.perf_counter()
                if body != expected:
                    raise RuntimeError(f"unexpected body {body[:200]!r}")
                answered += 1
                if sent >= opens:
                    latencies.append(done - sent)
                    last = max(last, done)
        finally:
            writer.close()

    await asyncio.wait_for(
        asyncio.gather(*(client() for _ in range(CLIENTS))), WARMUP + SECONDS + 30
    )
    return Load(len(latencies), last - opens, sorted(latencies), 0.0, 0.0), answered


def _content_length(head: bytes) -> int:
    lines = head.split(b"\r\n")
    if not lines[0].startswith(b"HTTP/1.1 200 "):
        raise RuntimeError(f"answered {lines[0]!r}")
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    raise RuntimeError("an answer without Content-Length")


if __name__ == "__main__" and sys.argv[1:2] == ["serve-bare"]:
    serve_bare(int(sys.argv[2]), sys.argv[3])
