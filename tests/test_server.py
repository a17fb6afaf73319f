"""``python -m emulator`` serves real HTTP: the way ``make run`` and CI containers start it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx2 as httpx

from contract_tests.target import free_port
from contract_tests.waiting import wait_until
from tests.conftest import ROOT


def start(db: str, port: int, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "emulator", "--port", str(port), "--db", db, *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_ready(port: int, deadline: float = 15.0) -> dict:
    def health() -> dict | None:
        try:
            response = httpx.get(f"http://127.0.0.1:{port}/_emulator/health", timeout=1)
        except httpx.TransportError:
            return None
        return response.json() if response.status_code == 200 else None

    return wait_until(health, timeout=deadline, every=0.05, message="emulator did not become ready")


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


def test_with_a_proxy_port_it_prints_the_proxy_and_its_ca_and_answers_there(
    tmp_path: Path,
) -> None:
    port, proxy_port = free_port(), free_port()
    process = start(
        ":memory:", port, "--proxy-port", str(proxy_port), "--ca-dir", str(tmp_path / "ca")
    )
    try:
        wait_ready(port)
        with httpx.Client(proxy=f"http://127.0.0.1:{proxy_port}") as client:
            identity = client.get("http://login.eloqua.com/id", auth=("Acme\\jane", "pw"))
        assert identity.status_code == 200
    finally:
        output = stop(process)
    assert f"proxy             http://127.0.0.1:{proxy_port}" in output
    assert f"proxy CA          {tmp_path / 'ca' / 'ca.pem'}" in output
