"""``python -m emulator`` serves real HTTP: the way ``make run`` and CI containers start it."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(db: str, port: int, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "emulator", "--port", str(port), "--db", db, *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_ready(port: int, deadline: float = 15.0) -> dict:
    stop = time.monotonic() + deadline
    while time.monotonic() < stop:
        try:
            response = httpx.get(f"http://127.0.0.1:{port}/_emulator/health", timeout=1)
            if response.status_code == 200:
                return response.json()
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError("emulator did not become ready")


def stop(process: subprocess.Popen[str]) -> str:
    process.terminate()
    output, _ = process.communicate(timeout=10)
    return output


def test_the_server_prints_its_configuration_and_serves_discovery(tmp_path: Path) -> None:
    port = free_port()
    process = start(str(tmp_path / "e.db"), port)
    try:
        wait_ready(port)
        auth = ("Acme\\jane", "pw")
        me = httpx.get(f"http://127.0.0.1:{port}/id", auth=auth).json()
        bulk = me["urls"]["apis"]["rest"]["bulk"].replace("{version}", "2.0")
        assert bulk == f"http://127.0.0.1:{port}/API/Bulk/2.0/"
        fields = httpx.get(bulk + "/contacts/fields", auth=auth)
        assert fields.status_code == 200
        assert fields.json()["totalResults"] >= 40
    finally:
        output = stop(process)
    assert f"port              {port}" in output
    assert "sync_progression  polls:1" in output


def test_a_file_store_keeps_sites_across_restarts(tmp_path: Path) -> None:
    db = str(tmp_path / "e.db")
    port = free_port()
    first = start(db, port)
    try:
        wait_ready(port)
        site = httpx.get(f"http://127.0.0.1:{port}/id", auth=("Acme\\jane", "pw")).json()["site"]
    finally:
        stop(first)
    second = start(db, port)
    try:
        health = wait_ready(port)
        assert health["sites"] == 1
        again = httpx.get(f"http://127.0.0.1:{port}/id", auth=("Acme\\jane", "pw")).json()["site"]
        assert again == site
    finally:
        output = stop(second)
    assert "already in store" in output


def test_bad_options_exit_with_a_message() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "emulator", "--sync-progression", "never"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "sync_progression" in result.stderr
