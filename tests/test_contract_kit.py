"""The contract kit itself: run against an emulator broken on purpose, it fails; run the
same way against a sound one, it passes. The kit is run as a QA engineer runs it against a
pod (``--base-url``, ``--auth``, ``--target pod``), in a subprocess; and as CI runs it
against an emulator started as a service (``--base-url`` alone), where it knows the
emulator and runs everything."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from typing import Any

import orjson
import pytest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contract_tests.target import serve_in_thread
from tests.conftest import ROOT

AUTH = "basic:KitCheck\\qa.user:pw"
SELECTION = "contacts and fields and not lists"


def rewriting(change: Callable[[dict[str, Any]], None]) -> Callable[[ASGIApp], ASGIApp]:
    """Middleware that passes ``GET …/contacts/fields`` pages through ``change``."""
    return lambda app: _rewritten(app, change)


def _rewritten(app: ASGIApp, change: Callable[[dict[str, Any]], None]) -> ASGIApp:
    async def broken(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].lower().endswith("/contacts/fields"):
            await app(scope, receive, send)
            return
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            if start["status"] == 200:
                page = orjson.loads(body)
                change(page)
                body = orjson.dumps(page)
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await app(scope, receive, capture)

    return broken


def limit_as_text(page: dict[str, Any]) -> None:
    page["limit"] = str(page["limit"])


def has_more_flipped(page: dict[str, Any]) -> None:
    page["hasMore"] = not page["hasMore"]


def server_error_on_bad_input(app: ASGIApp) -> ASGIApp:
    """``GET …/contacts/fields`` with a ``limit`` that is not a number answers 500."""

    async def broken(scope: Scope, receive: Receive, send: Send) -> None:
        query = scope.get("query_string", b"").decode()
        limit = next((p[6:] for p in query.split("&") if p.startswith("limit=")), None)
        if (
            scope["type"] == "http"
            and scope["path"].lower().endswith("/contacts/fields")
            and limit is not None
            and not limit.isdigit()
        ):
            body = b'{"failures":[]}'
            await send(
                {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [(b"content-type", b"application/json")],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        await app(scope, receive, send)

    return broken


def run_kit(
    wrap: Callable[[ASGIApp], ASGIApp] | None, *extra: str
) -> subprocess.CompletedProcess[str]:
    with serve_in_thread(wrap=wrap) as url:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "contract_tests/test_conformance.py",
                "-k",
                SELECTION,
                "-p",
                "no:cacheprovider",
                "-q",
                f"--base-url={url}",
                f"--auth={AUTH}",
                "--target=pod",
                *extra,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )


def test_the_kit_passes_a_sound_emulator_and_reports_each_operation(tmp_path) -> None:
    report = tmp_path / "report.md"
    result = run_kit(None, f"--report={report}", f"--junitxml={tmp_path / 'junit.xml'}")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "2 passed" in result.stdout
    lines = report.read_text(encoding="utf-8").splitlines()
    assert "| `GET /api/bulk/2.0/contacts/fields` | passed |  |" in lines
    assert "| `POST /api/bulk/2.0/syncs` | not run |  |" in lines
    junit = (tmp_path / "junit.xml").read_text(encoding="utf-8")
    assert "test_every_operation_answers_as_documented[GET /api/bulk/2.0/contacts/fields]" in junit


@pytest.mark.parametrize(
    ("breakage", "reported"),
    [
        (rewriting(limit_as_text), "Response violates schema"),
        (rewriting(has_more_flipped), "Custom check failed: `list_envelope`"),
        (server_error_on_bad_input, "Server error"),
    ],
    ids=["wrong shape", "inconsistent page", "500 on bad input"],
)
def test_the_kit_fails_a_broken_emulator(breakage, reported) -> None:
    result = run_kit(breakage)
    assert result.returncode == 1, result.stdout[-3000:]
    assert "1 failed, 1 passed" in result.stdout
    assert reported in result.stdout


def test_a_dry_run_lists_what_would_run_and_calls_nothing() -> None:
    """Against a port where nothing listens: a call would fail the run."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "contract_tests",
            "--dry-run",
            "-p",
            "no:cacheprovider",
            "-q",
            "--base-url=http://127.0.0.1:9",
            f"--auth={AUTH}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "tests would run" in result.stdout
    assert "[GET /api/bulk/2.0/syncs]" in result.stdout
    assert "[POST /api/bulk/2.0/syncs]  (skipped: on a pod only reads are generated" in (
        result.stdout
    )


@pytest.mark.parametrize(
    ("options", "outcome"),
    [((), "2 passed"), (("--target=pod", f"--auth={AUTH}"), "2 skipped")],
    ids=["recognised emulator", "taken for a pod"],
)
def test_an_emulator_started_apart_is_recognised_and_gets_the_write_scenarios(
    options, outcome
) -> None:
    with serve_in_thread() as url:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "contract_tests/scenarios/test_families.py",
                "-k",
                "opportunity or email_address",
                "-p",
                "no:cacheprovider",
                "-q",
                f"--base-url={url}",
                *options,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert result.returncode == 0, result.stdout[-3000:]
    assert outcome in result.stdout
