"""Traffic a team already captured: a HAR file (HAR 1.2, as browser dev tools, mitmproxy
and Charles export it) and a vcrpy cassette (YAML as vcrpy writes it, or JSON with
``serializer="json"``), both made from real traffic of the emulator, convert to recordings
that replay with no difference."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from contract_tests.cassette import main as convert_yaml_cassette
from emulator.cli import main as cli
from emulator.commands.replay import har, vcr
from emulator.commands.replay.recording import SESSION_CREDENTIALS, read
from emulator.testing import serve

BULK = "/api/bulk/2.0"
AUTH = {"Authorization": "Basic " + base64.b64encode(b"Captured\\qa.user:pw").decode()}
FIELDS = {"email": "{{Contact.Field(C_EmailAddress)}}", "first": "{{Contact.Field(C_FirstName)}}"}


@pytest.fixture(scope="module")
def traffic() -> Iterator[list[httpx.Response]]:
    """A client's session with an emulator, every answer kept with its request: discovery,
    the catalog, an import with a bad row, its sync polled to the end, rejects and logs,
    one call that is not the Eloqua API, and the clean-up."""
    seen: list[httpx.Response] = []

    def keep(response: httpx.Response) -> None:
        response.read()
        seen.append(response)

    with (
        serve() as url,
        httpx.Client(base_url=url, headers=AUTH, event_hooks={"response": [keep]}) as client,
    ):
        client.get("/id")
        client.get(BULK + "/contacts/fields", params={"limit": 2, "offset": 1})
        definition = {"name": "captured", "fields": FIELDS, "identifierFieldName": "email"}
        uri = client.post(BULK + "/contacts/imports", json=definition).json()["uri"]
        rows = [
            {"email": "captured-a@example.com", "first": "Zoë"},
            {"email": "nope", "first": "B"},
        ]
        client.post(BULK + uri + "/data", json=rows)
        sync = client.post(BULK + "/syncs", json={"syncedInstanceUri": uri}).json()["uri"]
        while client.get(BULK + sync).json()["status"] not in ("success", "warning", "error"):
            time.sleep(0.05)
        client.get(BULK + sync + "/rejects")
        client.get(BULK + sync + "/logs")
        client.get("/_emulator/health")
        client.delete(BULK + uri)
        yield seen


def har_file(responses: list[httpx.Response]) -> dict[str, Any]:
    """HAR 1.2 (log → entries → request/response, headers as name/value objects)."""

    def headers(raw: list[tuple[bytes, bytes]]) -> list[dict[str, str]]:
        return [{"name": k.decode(), "value": v.decode()} for k, v in raw]

    def entry(response: httpx.Response) -> dict[str, Any]:
        request = response.request
        body = request.content
        sent: dict[str, Any] = {
            "method": request.method,
            "url": str(request.url),
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": headers(request.headers.raw),
            "queryString": [{"name": k, "value": v} for k, v in request.url.params.multi_items()],
            "headersSize": -1,
            "bodySize": len(body),
        }
        if body:
            sent["postData"] = {"mimeType": request.headers["content-type"], "text": body.decode()}
        return {
            "startedDateTime": "2026-12-05T01:00:00.000Z",
            "time": 1,
            "request": sent,
            "response": {
                "status": response.status_code,
                "statusText": response.reason_phrase,
                "httpVersion": "HTTP/1.1",
                "cookies": [],
                "headers": headers(response.headers.raw),
                "content": {
                    "size": len(response.content),
                    "mimeType": response.headers.get("content-type", "x-unknown"),
                    "text": response.text,
                },
                "redirectURL": "",
                "headersSize": -1,
                "bodySize": len(response.content),
            },
            "cache": {},
            "timings": {"send": 0, "wait": 1, "receive": 0},
        }

    creator = {"name": "tests", "version": "1"}
    return {"log": {"version": "1.2", "creator": creator, "entries": [entry(r) for r in responses]}}


def cassette(responses: list[httpx.Response]) -> dict[str, Any]:
    """vcrpy's cassette for httpx, ``Authorization`` filtered out (``filter_headers``)."""

    def interaction(response: httpx.Response) -> dict[str, Any]:
        request = response.request
        sent = {k: [v] for k, v in request.headers.items() if k != "authorization"}
        got: dict[str, list[str]] = {}
        for key, value in response.headers.raw:
            got.setdefault(key.decode(), []).append(value.decode())
        return {
            "request": {
                "body": request.content.decode() or None,
                "headers": sent,
                "method": request.method,
                "uri": str(request.url),
            },
            "response": {
                "body": {"string": response.text},
                "headers": got,
                "status": {"code": response.status_code, "message": response.reason_phrase},
            },
        }

    return {"interactions": [interaction(r) for r in responses], "version": 1}


def replays_the_same(recording: Path) -> str:
    report = recording.with_suffix(".md")
    assert cli(["replay", str(recording), "--report-md", str(report), "--quiet"]) == 0
    return report.read_text(encoding="utf-8")


def test_a_har_file_converts_and_replays_with_no_difference(
    traffic: list[httpx.Response], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, recording = tmp_path / "session.har", tmp_path / "har.jsonl"
    source.write_text(json.dumps(har_file(traffic)), encoding="utf-8")
    assert cli(["convert", "har", str(source), str(recording)]) == 0
    assert "(1 left out: not the Eloqua API" in capsys.readouterr().out
    exchanges = read(recording)
    assert len(exchanges) == len(traffic) - 1
    assert all(e.request.header("authorization") == SESSION_CREDENTIALS for e in exchanges)
    assert "0 different" in replays_the_same(recording)


def test_a_yaml_cassette_converts_and_replays_with_no_difference(
    traffic: list[httpx.Response], tmp_path: Path
) -> None:
    source, recording = tmp_path / "session.yaml", tmp_path / "yaml.jsonl"
    source.write_text(yaml.dump(cassette(traffic), Dumper=yaml.Dumper), encoding="utf-8")
    assert cli(["convert", "vcr", str(source), str(recording)]) == 2  # YAML: not read here
    assert convert_yaml_cassette([str(source), str(recording)]) == 0
    assert len(read(recording)) == len(traffic) - 1
    assert "0 different" in replays_the_same(recording)


def test_a_json_cassette_converts_and_replays_with_no_difference(
    traffic: list[httpx.Response], tmp_path: Path
) -> None:
    source, recording = tmp_path / "session.json", tmp_path / "json.jsonl"
    source.write_text(json.dumps(cassette(traffic), indent=4), encoding="utf-8")
    assert cli(["convert", "vcr", str(source), str(recording), "--all"]) == 0
    assert len(read(recording)) == len(traffic)
    assert "0 different" in replays_the_same(recording)


def test_older_vcrpy_httpx_answers_are_read_too() -> None:
    old = {
        "interactions": [
            {
                "request": {"method": "GET", "uri": "http://h/id", "body": None, "headers": {}},
                "response": {
                    "status_code": 200,
                    "headers": {"content-type": "application/json"},
                    "content": '"x"',
                },
            }
        ]
    }
    [wire] = vcr.wires(old)
    assert (wire.status, wire.response_content) == (200, b'"x"')


@pytest.mark.parametrize(
    ("module", "document", "error"),
    [
        (har, {"entries": []}, "not a HAR file"),
        (har, {"log": {"entries": [{"request": {}}]}}, "entry 1"),
        (vcr, {"version": 1}, "not a vcrpy cassette"),
        (vcr, {"interactions": [{"request": {"uri": "x"}}]}, "interaction 1"),
    ],
)
def test_a_file_that_is_not_a_capture_says_why(module: Any, document: Any, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        module.wires(document)
