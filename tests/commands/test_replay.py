"""``python -m emulator replay``: the contract kit's run recorded against the emulator
replays the same against a fresh one; against an emulator broken on purpose each
difference is named; waivers accept what they name, with their reason; a recording made on
a pod, with its own ids and no request headers, replays against a fresh site."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contract_tests.target import serve_in_thread
from emulator import Settings
from emulator.cli import main as cli
from tests.conftest import ROOT

KIT = ["contract_tests/test_discovery.py", "contract_tests/scenarios/test_contact_import.py"]
Change = Callable[
    [int, list[tuple[bytes, bytes]], bytes], tuple[int, list[tuple[bytes, bytes]], bytes]
]


@pytest.fixture(scope="module")
def kit_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The kit's discovery and contact-import tests against an emulator, recorded."""
    path = tmp_path_factory.mktemp("kit") / "kit.jsonl"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "-p", "no:cacheprovider"]
    result = subprocess.run(
        [*command, *KIT, "--record", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert f"exchanges to {path}" in result.stdout
    return path


def replay(*args: str | Path) -> tuple[int, str]:
    """Exit status and Markdown report of ``python -m emulator replay``."""
    recording = Path(args[0])
    report = recording.with_suffix(".md")
    status = cli(["replay", *map(str, args), "--report-md", str(report), "--quiet"])
    return status, report.read_text(encoding="utf-8")


def test_the_kits_run_is_recorded_in_order_without_credentials(kit_run: Path) -> None:
    text = kit_run.read_text(encoding="utf-8")
    lines = [json.loads(line) for line in text.splitlines()]
    assert len(lines) > 20
    assert [line["request"]["path"] for line in lines[:2]] == ["/id", "/id"]
    assert "Q29udHJhY3RTdWl0ZVxjb250cmFjdC51c2Vy" not in text  # base64 of the kit's login
    authorizations = {
        value
        for line in lines
        for name, value in line["request"]["headers"]
        if name.lower() == "authorization"
    }
    assert authorizations == {"<session credentials>", "<other credentials>"}
    staged = next(line for line in lines if line["request"]["path"].endswith("/data"))
    assert staged["response"] == {
        "status": 204,
        "headers": staged["response"]["headers"],
        "body": None,
    }


def test_replaying_the_kits_run_against_a_fresh_emulator_is_the_same(kit_run: Path) -> None:
    junit = kit_run.with_suffix(".xml")
    status, report = replay(kit_run, "--junit", junit)
    assert status == 0, report
    count = len(kit_run.read_text(encoding="utf-8").splitlines())
    assert f"**Result: same.** {count} exchanges: {count} same, 0 waived, 0 different" in report
    suites = ET.parse(junit).getroot()
    assert sum(int(suite.get("tests", "0")) for suite in suites) == count
    assert not suites.findall(".//failure")


def breaking(method: str, path: str, change: Change) -> Callable[[ASGIApp], ASGIApp]:
    """Middleware that passes the answers to ``method`` on paths matching ``path``
    through ``change``."""

    def wrap(app: ASGIApp) -> ASGIApp:
        async def broken(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http" or scope["method"] != method:
                await app(scope, receive, send)
                return
            if not re.search(path, scope["path"]):
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
                headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
                status, headers, body = change(start["status"], headers, b"".join(chunks))
                if body:
                    headers.append((b"content-length", str(len(body)).encode()))
                await send({**start, "status": status, "headers": headers})
                await send({"type": "http.response.body", "body": body})

            await app(scope, receive, capture)

        return broken

    return wrap


def uri_first(status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> Any:
    document = orjson.loads(body)
    return status, headers, orjson.dumps({"uri": document.pop("uri"), **document})


def created_as_ok(status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> Any:
    return 200, headers, body


def staged_with_a_body(status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> Any:
    return status, [*headers, (b"content-type", b"application/json")], b'{"staged":true}'


BROKEN = {
    "key order": (
        breaking("POST", r"/contacts/imports$", uri_first),
        "POST /contacts/imports",
        "key order at $: uri, name, fields, identifierFieldName",
    ),
    "status": (
        breaking("POST", r"/syncs$", created_as_ok),
        "POST /syncs",
        "status at status: 200, recorded 201",
    ),
    "204 with a body": (
        breaking("POST", r"/data$", staged_with_a_body),
        "POST /contacts/imports/{id}/data",
        "body at body: Content-Length: 15 on a 204; the recording has no body",
    ),
}
ONE_OPERATION = ["key order", "status"]


@pytest.fixture
def broken_emulator(request: pytest.FixtureRequest) -> Iterator[tuple[str, str, str]]:
    wrap, operation, first = BROKEN[request.param]
    with serve_in_thread(wrap=wrap) as url:
        yield url, operation, first


@pytest.mark.parametrize("broken_emulator", ONE_OPERATION, indirect=True)
def test_each_difference_of_an_emulator_broken_on_purpose_is_named(
    kit_run: Path, broken_emulator: tuple[str, str, str]
) -> None:
    url, operation, first = broken_emulator
    status, report = replay(kit_run, "--base-url", url)
    assert status == 1
    rows = [line for line in report.splitlines() if line.startswith("| `")]
    different = [row for row in rows if re.match(r"\| `[^`]+` \| \d+ \| \d+ \| 0 \| [1-9]", row)]
    assert len(different) == 1, different
    assert different[0].startswith(f"| `{operation}` |")
    assert first in different[0]
    exchanges = [line for line in report.splitlines() if re.match(r"\| \d+ \| `", line)]
    assert all((f"`{operation}`" in row) == ("| different |" in row) for row in exchanges), (
        "\n".join(exchanges)
    )


@pytest.mark.parametrize("broken_emulator", ["204 with a body"], indirect=True)
def test_a_204_with_a_body_is_named_and_so_is_the_answer_it_garbles(
    kit_run: Path, broken_emulator: tuple[str, str, str]
) -> None:
    """The body goes out on the wire after the 204. A client that reuses the connection
    before it sees those bytes takes them for the start of the next answer; one that sees
    them first drops the connection. Either way the 204 is named."""
    url, operation, first = broken_emulator
    status, report = replay(kit_run, "--base-url", url)
    assert status == 1
    staged = re.search(
        rf"^\| (\d+) \| `{re.escape(operation)}` \| 204 \| different \| (.*)$", report, re.M
    )
    assert staged is not None, report
    assert staged[2].startswith(first)
    assert "**header** at `Content-Type`: 'application/json'; the recording has none" in report
    after = re.search(
        rf"^\| {int(staged[1]) + 1} \| `POST /syncs` \| .* \| (\w+) \| (.*)$", report, re.M
    )
    assert after is not None, report
    if after[1] == "different":
        assert after[2].startswith("no answer at request: RemoteProtocolError")
        assert '{"staged":true}HTTP/1.1 201' in after[2]
    else:
        assert after[1] == "same"


@pytest.mark.parametrize("broken_emulator", ["status"], indirect=True)
def test_waived_differences_pass_with_their_reason(
    kit_run: Path, tmp_path: Path, broken_emulator: tuple[str, str, str]
) -> None:
    url, _, _ = broken_emulator
    waivers = tmp_path / "waivers.toml"
    waivers.write_text(
        '[[waiver]]\noperation = "POST /syncs"\nkind = "status"\n'
        'reason = "this environment answers 200 to a new sync"\n',
        encoding="utf-8",
    )
    junit = tmp_path / "junit.xml"
    status, report = replay(kit_run, "--base-url", url, "--waivers", waivers, "--junit", junit)
    assert status == 0, report
    assert "**Result: same.**" in report
    assert "| 1 | operation 'POST /syncs'; kind 'status' | this environment answers 200" in report
    assert "- **status** at `status`: 200, recorded 201 *(waiver 1)*" in report
    skipped = ET.parse(junit).getroot().findall(".//skipped")
    assert [s.get("message") for s in skipped] == [
        "waived: this environment answers 200 to a new sync"
    ] * 2


# A recording made on a pod: its own ids, no request headers, the shape of the recorded
# pod traffic (base, path below it, headers as pairs).
POD = "https://secure.p99.eloqua.com/api/bulk/2.0"
HEADERS = [
    ["Cache-Control", "no-store"],
    ["Pragma", "no-cache"],
    ["Content-Type", "application/json; charset=utf-8"],
    ["Expires", "-1"],
    ["X-Request-Id", "0123456789abcdef0123456789abcdef/4242"],
]
STAGED = [h for h in HEADERS if h[0] != "Content-Type"]
FIELDS = {"email": "{{Contact.Field(C_EmailAddress)}}", "first": "{{Contact.Field(C_FirstName)}}"}
DEFINITION = {
    "name": "pod-recording-import",
    "fields": FIELDS,
    "identifierFieldName": "email",
    "isSyncTriggeredOnImport": False,
    "dataRetentionDuration": "P7D",
    "isUpdatingMultipleMatchedRecords": False,
    "uri": "/contacts/imports/4100",
    "createdBy": "pod.user",
    "createdAt": "2025-01-02T03:04:05.1234567Z",
    "updatedBy": "pod.user",
    "updatedAt": "2025-01-02T03:04:05.1234567Z",
}
SYNC = {
    "syncedInstanceUri": "/contacts/imports/4100",
    "status": "pending",
    "createdAt": "2025-01-02T03:04:06.7654321Z",
    "createdBy": "pod.user",
    "uri": "/syncs/977",
}
ENDED = {
    "syncedInstanceUri": "/contacts/imports/4100",
    "syncStartedAt": "2025-01-02T03:04:07.1000000Z",
    "syncEndedAt": "2025-01-02T03:04:08.2000000Z",
    "status": "warning",
    "createdAt": "2025-01-02T03:04:06.7650000Z",
    "createdBy": "pod.user",
    "uri": "/syncs/977",
}
NO_REJECTS = {
    "items": [],
    "totalResults": 0,
    "limit": 1000,
    "offset": 0,
    "count": 0,
    "hasMore": False,
}


def pod_line(method: str, path: str, body: Any, status: int, answer: Any, headers: Any) -> str:
    request = {"method": method, "base": POD, "path": path, "query": None, "body": body}
    return json.dumps(
        {"request": request, "response": {"status": status, "headers": headers, "body": answer}}
    )


def test_a_pod_recording_replays_against_a_fresh_site_with_its_ids_mapped(tmp_path: Path) -> None:
    request = {k: DEFINITION[k] for k in ("name", "fields", "identifierFieldName")}
    lines = [
        pod_line("POST", "/contacts/imports", request, 201, DEFINITION, HEADERS),
        pod_line(
            "POST",
            "/contacts/imports/4100/data",
            {"email": "pod-a@example.com", "first": "Ana", "profileId": "p1"},
            204,
            None,
            STAGED,
        ),
        pod_line(
            "POST", "/syncs", {"syncedInstanceUri": "/contacts/imports/4100"}, 429, None, None
        ),
        pod_line(
            "POST", "/syncs", {"syncedInstanceUri": "/contacts/imports/4100"}, 201, SYNC, HEADERS
        ),
        pod_line("GET", "/syncs/977", None, 200, ENDED, HEADERS),
        pod_line("GET", "/syncs/977/rejects", None, 200, NO_REJECTS, HEADERS),
    ]
    recording = tmp_path / "pod.jsonl"
    recording.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, report = replay(recording)
    assert status == 0, report
    assert "6 exchanges: 5 same, 0 waived, 0 different, 1 skipped" in report
    assert "Not replayed: the recording's answer was 429" in report


def test_the_in_process_emulator_can_serve_a_mirrored_catalog(tmp_path: Path) -> None:
    """``--fixtures``: a catalog mirrored from the recorded pod (``fixtures from-pod``)
    replaces the bundled one, and the replay holds the recording against it."""
    fixtures = tmp_path / "fixtures"
    shutil.copytree(ROOT / "fixtures", fixtures)
    fields_file = fixtures / "contacts" / "fields.json"
    fields = json.loads(fields_file.read_text(encoding="utf-8"))
    items = fields if isinstance(fields, list) else fields["items"]
    items[0]["name"] = "E-mail Address (mirrored)"
    fields_file.write_text(json.dumps(fields), encoding="utf-8")
    page = {"items": [items[0]], "totalResults": len(items), "limit": 1, "offset": 0}
    page |= {"count": 1, "hasMore": True}
    line = {
        "request": {
            "method": "GET",
            "path": "/api/bulk/2.0/contacts/fields",
            "query": {"limit": "1"},
        },
        "response": {"status": 200, "body": page},
    }
    recording = tmp_path / "fields.jsonl"
    recording.write_text(json.dumps(line) + "\n", encoding="utf-8")
    assert replay(recording, "--fixtures", fixtures)[0] == 0
    status, report = replay(recording)
    assert status == 1
    assert "'Email Address', recorded 'E-mail Address (mirrored)'" in report


def test_an_unusable_recording_or_waivers_file_exits_2_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    recording = tmp_path / "bad.jsonl"
    recording.write_text('{"request": {}}\n', encoding="utf-8")
    assert cli(["replay", str(recording)]) == 2
    assert (
        "bad.jsonl:1: a line needs a 'request' and a 'response' object" in capsys.readouterr().err
    )
    recording.write_text(pod_line("GET", "/syncs", None, 200, NO_REJECTS, None) + "\n")
    waivers = tmp_path / "w.toml"
    waivers.write_text('[[waiver]]\noperation = "GET /syncs"\n', encoding="utf-8")
    assert cli(["replay", str(recording), "--waivers", str(waivers)]) == 2
    assert "w.toml: waiver 1: a reason is required" in capsys.readouterr().err


def test_a_sync_the_recording_saw_end_that_never_ends_here_is_named(tmp_path: Path) -> None:
    """An emulator whose syncs move only when told to (``manual``) keeps the replay's
    sync pending: the read and the rejects after it say so, after ``--sync-timeout``."""
    request = {k: DEFINITION[k] for k in ("name", "fields", "identifierFieldName")}
    lines = [
        pod_line("POST", "/contacts/imports", request, 201, DEFINITION, HEADERS),
        pod_line(
            "POST", "/syncs", {"syncedInstanceUri": "/contacts/imports/4100"}, 201, SYNC, None
        ),
        pod_line("GET", "/syncs/977", None, 200, ENDED, None),
        pod_line("GET", "/syncs/977/rejects", None, 200, NO_REJECTS, None),
    ]
    recording = tmp_path / "stuck.jsonl"
    recording.write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = Settings(db=":memory:", log_level="warning", sync_progression="manual")
    with serve_in_thread(settings) as url:
        status, report = replay(recording, "--base-url", url, "--sync-timeout", "0.3")
    assert status == 1
    assert "- **sync outcome** at `$.status`: 'pending', recorded 'warning'" in report
    assert "did not reach 'warning' within 0.3 s: last 'pending'" in report
    assert (
        "did not reach 'ended' within 0.3 s: last 'pending', before its rejects were read" in report
    )


def test_a_second_sync_of_a_definition_waits_for_the_first_to_end(tmp_path: Path) -> None:
    """The recording's second sync was accepted, so its first had ended: the replay
    waits for that before it asks (here, in vain: the emulator's syncs move by hand)."""
    request = {k: DEFINITION[k] for k in ("name", "fields", "identifierFieldName")}
    again = {**SYNC, "uri": "/syncs/978"}
    body = {"syncedInstanceUri": "/contacts/imports/4100"}
    lines = [
        pod_line("POST", "/contacts/imports", request, 201, DEFINITION, HEADERS),
        pod_line("POST", "/syncs", body, 201, SYNC, None),
        pod_line("POST", "/syncs", body, 201, again, None),
    ]
    recording = tmp_path / "twice.jsonl"
    recording.write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = Settings(db=":memory:", log_level="warning", sync_progression="manual")
    with serve_in_thread(settings) as url:
        status, report = replay(recording, "--base-url", url, "--sync-timeout", "0.3")
    assert status == 1
    assert (
        "did not reach 'ended' within 0.3 s: last 'pending', before another sync of its "
        "definition was created" in report
    )
