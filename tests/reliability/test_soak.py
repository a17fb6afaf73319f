"""The soak in small (``scripts/soak.py``; ``make soak`` runs it at full size): sixteen
concurrent clients of mixed flows for twenty seconds against one emulator process, then
the file read after it stops."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_sixteen_clients_for_twenty_seconds_lose_nothing_and_grow_no_memory(
    tmp_path: Path,
) -> None:
    figures = tmp_path / "soak.json"
    command = [sys.executable, "scripts/soak.py", "--clients", "16", "--seconds", "20"]
    run = subprocess.run(
        [*command, "--json", str(figures)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    print(run.stdout)
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(figures.read_text())
    assert report["failures"] == []
    assert report["server_errors"] == 0
    assert report["unexpected"] == {}
    assert set(report["flows"]) == {"import", "export", "list", "sign-in", "refused"}
    assert set(report["expected_4xx"]) <= {"400", "404"}
    rows = report["rows"]
    assert rows["acknowledged"] > 0
    assert rows["stored"] == rows["acknowledged"]
    assert (rows["lost"], rows["duplicated"], rows["stray"]) == (0, 0, 0)
    assert rows["syncs_ended"] > 0
    assert rows["syncs_not_ended"] == 0
    assert report["exports_checked"] > 0
    assert report["rss"]["growth_pct"] < 10
