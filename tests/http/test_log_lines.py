"""Log lines: ``--log-format json`` writes one object a line on stderr, and each request's
access line carries its request id, method, path, status and duration."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from contract_tests.target import free_port
from emulator import Settings, create_app
from emulator.http.log_lines import REQUEST_ID, JsonLines, RequestIdFilter, TextLines
from tests.conftest import CONTROL, LOCAL, ROOT, basic
from tests.test_server import wait_ready

FIELDS = "/api/bulk/2.0/contacts/fields"


def record(message: str, **extra: Any) -> logging.LogRecord:
    made = logging.LogRecord("emulator.test", logging.WARNING, __file__, 1, message, (), None)
    made.__dict__.update(extra)
    return made


def test_a_json_line_has_time_level_and_the_request_id() -> None:
    token = REQUEST_ID.set("req-1")
    try:
        line = record("the store is slow")
        assert RequestIdFilter().filter(line)
    finally:
        REQUEST_ID.reset(token)
    parsed = json.loads(JsonLines().format(line))
    assert parsed["time"].endswith("+00:00")
    assert {k: parsed[k] for k in ("level", "logger", "message", "requestId")} == {
        "level": "warning",
        "logger": "emulator.test",
        "message": "the store is slow",
        "requestId": "req-1",
    }
    outside = record("no request")
    RequestIdFilter().filter(outside)
    assert "requestId" not in json.loads(JsonLines().format(outside))
    assert TextLines().format(line).endswith("the store is slow [req-1]")


def test_each_request_writes_an_access_line_with_its_id(caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(Settings(db=":memory:"))
    with (
        caplog.at_level(logging.INFO, logger="emulator.access"),
        TestClient(app, base_url=LOCAL, headers=CONTROL) as client,
    ):
        answer = client.get(FIELDS, headers={**basic(), "X-Request-Id": "abc-123"})
    [line] = [r for r in caplog.records if r.name == "emulator.access"]
    assert answer.headers["x-request-id"] == "abc-123"
    assert (line.request_id, line.method, line.path, line.status) == (  # type: ignore[attr-defined]
        "abc-123",
        "GET",
        FIELDS,
        200,
    )
    assert line.duration_ms > 0  # type: ignore[attr-defined]


def test_the_server_logs_json_lines_on_stderr() -> None:
    port = free_port()
    command = [sys.executable, "-m", "emulator", "--port", str(port), "--db", ":memory:"]
    process = subprocess.Popen(
        [*command, "--log-format", "json"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_ready(port)
        url = f"http://127.0.0.1:{port}{FIELDS}"
        httpx.get(url, auth=("Acme\\jane", "pw"), headers={"X-Request-Id": "trace-77"})
    finally:
        process.terminate()
        _, output = process.communicate(timeout=10)
    lines = [json.loads(line) for line in output.splitlines() if line.strip()]
    access = [line for line in lines if line.get("requestId") == "trace-77"]
    assert [(a["logger"], a["method"], a["path"], a["status"]) for a in access] == [
        ("emulator.access", "GET", FIELDS, 200)
    ]
    assert access[0]["durationMs"] > 0
    assert access[0]["level"] == "info"
    assert any(line["logger"].startswith("uvicorn") for line in lines)  # uvicorn's too
