"""Serving a catalog page over HTTP (``GET /contacts/fields``, 69 items) against the raw
cost of the same page in-process: one SQLite ``SELECT`` of the stored JSON and building
the envelope bytes, with no HTTP, auth or routing (the baseline)."""

from __future__ import annotations

import sqlite3
import time

import httpx

from benchmarks import results
from benchmarks.harness import free_port, start, stop

REQUESTS = 2000


def run() -> None:
    process, _ = start(":memory:", port := free_port())
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, auth=("Acme\\bench", "pw")) as client:
            client.get("/api/bulk/2.0/contacts/fields").raise_for_status()
            began = time.perf_counter()
            for _ in range(REQUESTS):
                client.get("/api/bulk/2.0/contacts/fields")
            http_seconds = (time.perf_counter() - began) / REQUESTS
            items = client.get("/api/bulk/2.0/contacts/fields").json()["items"]
    finally:
        stop(process)
    raw_seconds = baseline(items)
    print(
        f"HTTP GET /contacts/fields      {http_seconds * 1e6:8.0f} µs/request "
        f"({1 / http_seconds:,.0f} requests/s, one client, one connection)"
    )
    print(f"raw SELECT + envelope          {raw_seconds * 1e6:8.0f} µs")
    print(f"ratio HTTP / raw               {http_seconds / raw_seconds:8.1f}x")
    results.record(
        "catalog",
        "GET /contacts/fields, one client, µs a request",
        f"{http_seconds * 1e6:.0f}",
        baseline=f"{raw_seconds * 1e6:.0f} (SELECT + envelope in-process)",
        ratio=raw_seconds / http_seconds,
    )


def baseline(items: list[dict[str, object]]) -> float:
    import orjson

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE fields (site_id, family, parent_id, id, item)")
    conn.executemany(
        "INSERT INTO fields VALUES (1, 'contacts', 0, ?, ?)",
        [(i, orjson.dumps(item).decode()) for i, item in enumerate(items)],
    )
    began = time.perf_counter()
    for _ in range(REQUESTS):
        rows = conn.execute(
            "SELECT item FROM fields WHERE site_id = 1 AND family = 'contacts' "
            "AND parent_id = 0 ORDER BY id LIMIT 1000"
        ).fetchall()
        b'{"items":[' + ",".join(r[0] for r in rows).encode() + b"]}"
    return (time.perf_counter() - began) / REQUESTS
