"""The contract kit's Acoustic part, run as a QA engineer runs it against a pod: an emulator
started apart and taken for a pod (``--acoustic-target pod``) with a refresh token. Reads
run; writes only with ``--allow-pod-writes`` and a database and FTP user; the emulator's
own checks never."""

from __future__ import annotations

import subprocess
import sys

import pytest

from contract_tests.target import serve_in_thread
from tests.conftest import ROOT

POD = [
    "--acoustic-target=pod",
    "--acoustic-client-id=acoustic-emulator-client",
    "--acoustic-client-secret=acoustic-emulator-secret",
    "--acoustic-refresh-token=acoustic-refresh-org-admin",
]


def run_kit(*options: str) -> subprocess.CompletedProcess[str]:
    with serve_in_thread() as url:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "contract_tests/acoustic",
                "-p",
                "no:cacheprovider",
                "-q",
                "-rs",
                f"--acoustic-base-url={url}",
                *options,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )


@pytest.mark.parametrize(
    ("options", "passed", "skipped"),
    [
        ((), 28, 0),
        (tuple(POD), 5, 23),
        (
            (
                *POD,
                "--allow-pod-writes",
                "--acoustic-contact-source-id=423254",
                "--acoustic-ftp-user=user@example.com",
                "--acoustic-columns=Company,First Name",
            ),
            21,
            7,
        ),
    ],
    ids=["recognised emulator", "a pod, reads only", "a pod, writes allowed"],
)
def test_the_acoustic_scenarios_run_as_the_target_allows(options, passed, skipped) -> None:
    result = run_kit(*options)
    assert result.returncode == 0, result.stdout[-3000:]
    summary = result.stdout.strip().splitlines()[-1]
    assert f"{passed} passed" in summary
    assert (f"{skipped} skipped" in summary) == bool(skipped)


def test_a_pod_needs_the_applications_credentials() -> None:
    result = run_kit("--acoustic-target=pod", "-k", "oauth")
    assert result.returncode != 0
    assert (
        "--acoustic-base-url of a pod needs --acoustic-client-id" in result.stdout + result.stderr
    )
