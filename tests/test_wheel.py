"""The package as a user installs it: a wheel built from the checkout, installed in a fresh
virtualenv outside it, serves with the fixtures and the contract it bundles."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx

from contract_tests.target import free_port
from tests.conftest import ROOT, basic


def test_a_wheel_installed_elsewhere_serves_with_its_bundled_fixtures_and_spec(
    tmp_path: Path,
) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        timeout=300,
    )
    [wheel] = wheels.glob("eloqua_emulator-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", str(wheel)], check=True, timeout=600
    )
    command = str(venv / "bin" / "eloqua-emulator")
    shown = subprocess.run([command, "--help"], capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0
    assert "--sync-progression" in shown.stdout
    port = free_port()
    server = subprocess.Popen(
        [command, "--port", str(port), "--db", ":memory:", "--log-level", "warning"],
        cwd=tmp_path,  # nothing of the checkout is at hand
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base + "/_emulator/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the installed emulator did not start"
            time.sleep(0.1)
        fields = httpx.get(base + "/api/bulk/2.0/contacts/fields", headers=basic()).json()
        assert fields["totalResults"] > 0  # the bundled fixtures
        spec = httpx.get(base + "/_emulator/openapi.yaml")
        assert spec.status_code == 200
        assert "/api/bulk/2.0/syncs" in spec.text  # the bundled contract
    finally:
        server.terminate()
        server.wait(timeout=30)
