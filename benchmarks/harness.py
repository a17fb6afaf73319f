"""Starting an emulator process and timing things, shared by the benchmarks."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import httpx
import orjson

# The contract kit is the layer the benchmarks and the tests share (it imports neither);
# free_port is re-exported for the bench_* modules.
from contract_tests.flows import TERMINAL
from contract_tests.target import free_port as free_port

ROOT = Path(__file__).resolve().parent.parent


def start(db: str, port: int, *extra: str) -> tuple[subprocess.Popen[bytes], float]:
    """Start ``python -m emulator`` (``extra`` CLI options appended); return the process and
    seconds until health is 200."""
    began = time.perf_counter()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "emulator",
            "--db",
            db,
            "--port",
            str(port),
            "--log-level",
            "warning",
            *extra,
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/_emulator/health"
    while True:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return process, time.perf_counter() - began
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.perf_counter() - began > 30:
            raise RuntimeError("the emulator did not start")
        time.sleep(0.005)


def start_baseline(
    module: str, command: str, *args: str, probe: str, expect: int
) -> tuple[subprocess.Popen[bytes], int]:
    """Start ``python -m <module> <command> <port> <args>`` (a baseline server of a
    benchmark) on a free port; return it once ``GET probe`` answers ``expect``."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", module, command, str(port), *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}{probe}", timeout=1).status_code == expect:
                return process, port
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"{module} {command} did not start")
        time.sleep(0.02)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=10)


def best_of(runs: int, fn: Callable[[], float]) -> float:
    return min(fn() for _ in range(runs))


def median_of(runs: int, fn: Callable[[], float]) -> float:
    values = sorted(fn() for _ in range(runs))
    return values[len(values) // 2]


BULK = "/api/bulk/2.0"
UPLOAD_LIMIT = 32 * 1024 * 1024  # a pod refuses a bigger staging request (reference §10)
CONTACT_IMPORT = {
    "fields": {
        "email": "{{Contact.Field(C_EmailAddress)}}",
        "first": "{{Contact.Field(C_FirstName)}}",
        "last": "{{Contact.Field(C_LastName)}}",
        "country": "{{Contact.Field(C_Country)}}",
    },
    "identifierFieldName": "email",
}


def contact_rows(start: int, count: int, domain: str) -> list[dict[str, str]]:
    """Staging rows for ``CONTACT_IMPORT``: ``bench{n}@{domain}`` for n in the range."""
    return [
        {"email": f"bench{n}@{domain}", "first": f"First{n}", "last": f"Last{n}", "country": "DE"}
        for n in range(start, start + count)
    ]


def json_bodies(rows: Iterable[Mapping[str, object]], limit: int = UPLOAD_LIMIT) -> list[bytes]:
    """The rows as JSON arrays of at most ``limit`` bytes each, in order (one per POST)."""
    bodies: list[bytes] = []
    batch: list[bytes] = []
    size = 2
    for row in rows:
        encoded = orjson.dumps(row)
        if batch and size + len(encoded) + 1 > limit:
            bodies.append(b"[" + b",".join(batch) + b"]")
            batch, size = [], 2
        batch.append(encoded)
        size += len(encoded) + 1
    if batch:
        bodies.append(b"[" + b",".join(batch) + b"]")
    return bodies


def create_contact_import(client: httpx.Client, name: str) -> str:
    """``POST /contacts/imports`` of ``CONTACT_IMPORT``; returns its ``uri``."""
    response = client.post(f"{BULK}/contacts/imports", json={"name": name, **CONTACT_IMPORT})
    response.raise_for_status()
    return str(response.json()["uri"])


def stage(client: httpx.Client, uri: str, bodies: Iterable[bytes]) -> None:
    for body in bodies:
        response = client.post(
            f"{BULK}{uri}/data", content=body, headers={"Content-Type": "application/json"}
        )
        if response.status_code != 204:
            raise RuntimeError(f"staging answered {response.status_code}: {response.text[:300]}")


def wait_for_sync(client: httpx.Client, sync_uri: str, every: float = 0.05) -> str:
    """Poll ``GET /syncs/{id}`` until it ends; returns the final status."""
    while True:
        response = client.get(f"{BULK}{sync_uri}")
        response.raise_for_status()
        status = str(response.json()["status"])
        if status in TERMINAL:
            return status
        time.sleep(every)


def log_counts(client: httpx.Client, sync_uri: str) -> dict[str, int]:
    """``statusCode`` → ``count`` of a sync's logs."""
    response = client.get(f"{BULK}{sync_uri}/logs")
    response.raise_for_status()
    return {str(i["statusCode"]): int(i["count"]) for i in response.json()["items"]}


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set (``VmHWM``) in MB; Linux only."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/<pid>/status")


def reset_peak_rss(pid: int) -> bool:
    """Start ``VmHWM`` again from the current RSS (``clear_refs`` 5); ``False`` if refused."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True
