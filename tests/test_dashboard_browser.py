"""The dashboard in a real browser (headless Chromium): after an import with a reject, a
person sees the site, the sync's warning, its log lines and the rejected row. The
screenshots stay in ``artefacts/`` for a person to look at."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import httpx2 as httpx
import pytest

from contract_tests.waiting import wait_until
from emulator.testing import serve
from tests.conftest import ROOT

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
ARTEFACTS = ROOT / "artefacts"
AUTH = ("Acme\\jane", "pw")
CONTROL = {"X-Emulator-Control": "1"}

pytestmark = pytest.mark.skipif(
    BROWSER is None and os.environ.get("CI") != "true",
    reason="Chromium is not installed (apt-get install chromium); CI installs it",
)


def browse(url: str, profile: Path, screenshot: Path | None = None) -> str:
    """The page's DOM as Chromium rendered it; with ``screenshot``, a PNG of it too."""
    assert BROWSER is not None, "CI=true and Chromium is missing"
    command = [
        BROWSER,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        "--window-size=1280,1400",
    ]
    if screenshot is not None:
        command.append(f"--screenshot={screenshot}")
    else:
        command.append("--dump-dom")
    result = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=120, env={**os.environ}
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_after_an_import_with_a_reject_a_person_sees_the_warning_and_the_row(
    tmp_path: Path,
) -> None:
    with serve() as origin, httpx.Client(base_url=origin + "/api/bulk/2.0", auth=AUTH) as bulk:
        uri = bulk.post(
            "/contacts/imports",
            json={
                "name": "newsletter sign-ups",
                "fields": {
                    "email": "{{Contact.Field(C_EmailAddress)}}",
                    "first": "{{Contact.Field(C_FirstName)}}",
                },
                "identifierFieldName": "email",
            },
        ).json()["uri"]
        rows = [{"email": "grace@example.com", "first": "Grace"}, {"email": "grace@", "first": "G"}]
        assert bulk.post(f"{uri}/data", json=rows).status_code == 204
        sync = bulk.post("/syncs", json={"syncedInstanceUri": uri}).json()["uri"]
        wait_until(
            lambda: bulk.get(sync).json()["status"] == "warning",
            timeout=20,
            every=0.05,
            message="the import did not end in warning",
        )
        sync_id = sync.rsplit("/", 1)[1]

        overview = browse(origin + "/_emulator/", tmp_path / "profile")
        assert "Site Acme" in overview
        assert '<span class="status warning">warning</span>' in overview
        assert "newsletter sign-ups" in overview

        page = f"{origin}/_emulator/ui/sites/Acme/syncs/{sync_id}"
        detail = browse(page, tmp_path / "profile")
        assert "Rejects (1)" in detail
        assert "Timeline" in detail
        assert "rows 2, total 2" in detail  # the chunk that applied the import
        assert "<strong>grace@</strong>" in detail
        assert "Invalid email addresses." in detail

        ARTEFACTS.mkdir(exist_ok=True)
        for name, url in (("dashboard", origin + "/_emulator/"), ("dashboard-sync", page)):
            shot = ARTEFACTS / f"{name}.png"
            shot.unlink(missing_ok=True)
            browse(url, tmp_path / "profile", screenshot=shot)
            assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            assert shot.stat().st_size > 10_000  # a rendered page, not a blank one
