"""The recording format: one exchange a line, the shape of the recorded pod traffic, with
credentials and tokens removed and nothing else changed."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from emulator.commands.replay.recording import (
    OTHER_CREDENTIALS,
    REDACTED,
    SESSION_CREDENTIALS,
    Exchange,
    RecordingError,
    Wire,
    body_of,
    content_of,
    exchange_from_json,
    from_wire,
    read,
    recorded,
    write,
)

OWN = "Basic " + base64.b64encode(b"Acme\\jane:pw").decode()
POD_LINE = {
    "source": {"kind": "github", "fixture_index": 3},
    "recorded": True,
    "request": {
        "method": "POST",
        "base": "https://secure.p04.eloqua.com/api/bulk/2.0",
        "path": "/contacts/imports/865/data",
        "query": None,
        "body": {"emailAddress": "grouparoo@demo.com"},
    },
    "response": {"status": 204, "headers": [["Cache-Control", "no-store"]], "body": None},
}


def test_a_line_of_the_recorded_pod_traffic_reads_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "pod.jsonl"
    path.write_text(json.dumps(POD_LINE) + "\n\n", encoding="utf-8")
    [exchange] = read(path)
    assert exchange.request.full_path == "/api/bulk/2.0/contacts/imports/865/data"
    assert exchange.request.content == b'{"emailAddress":"grouparoo@demo.com"}'
    assert exchange.request.headers is None
    assert exchange.response.status == 204
    assert exchange.response.header("cache-control") == "no-store"
    assert exchange.extra["source"] == {"kind": "github", "fixture_index": 3}


def test_written_lines_read_back_the_same(tmp_path: Path) -> None:
    exchange = exchange_from_json(POD_LINE)
    path = tmp_path / "again.jsonl"
    assert write(path, [exchange, exchange]) == 2
    assert read(path) == [exchange, exchange]
    assert json.loads(path.read_text(encoding="utf-8").splitlines()[0]) == POD_LINE


def test_a_line_that_is_not_an_exchange_is_named_by_its_number(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    line = json.dumps({"request": {"method": "GET", "path": "/id"}, "response": {"status": "200"}})
    path.write_text(json.dumps(POD_LINE) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(RecordingError, match=r"bad\.jsonl:2: response\.status must be an integer"):
        read(path)


def test_credentials_cookies_and_tokens_never_reach_a_recording() -> None:
    exchange = recorded(
        method="post",
        url="https://login.eloqua.com/auth/oauth2/token?code=s3cret&state=kept",
        request_headers=[
            ("Authorization", OWN),
            ("Cookie", "session=1"),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        request_content=b"grant_type=refresh_token&refresh_token=r1&client_secret=c2&scope=full",
        status=200,
        response_headers=[("Set-Cookie", "a=b"), ("Content-Type", "application/json")],
        response_content=b'{"access_token":"t1","nested":[{"password":"p"}],"expires_in":28800}',
        own_authorization=OWN,
    )
    line = json.dumps(exchange.to_json())
    for secret in ("s3cret", "r1", "c2", "t1", '"p"', "session=1", "a=b", OWN):
        assert secret not in line
    assert exchange.request.headers == [
        ("Authorization", SESSION_CREDENTIALS),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ]
    assert exchange.request.query == {"code": REDACTED, "state": "kept"}
    assert exchange.request.body == (
        "grant_type=refresh_token&refresh_token=%3Credacted%3E&client_secret=%3Credacted%3E"
        "&scope=full"
    )
    assert exchange.response.headers == [("Content-Type", "application/json")]
    assert exchange.response.body == {
        "access_token": REDACTED,
        "nested": [{"password": REDACTED}],
        "expires_in": 28800,
    }


def test_someone_elses_credentials_are_told_apart_from_the_sessions() -> None:
    exchange = recorded(
        method="GET",
        url="http://127.0.0.1:8080/id",
        request_headers=[("Authorization", "Basic bm9ib2R5Ondyb25n")],
        request_content=b"",
        status=200,
        response_headers=[],
        response_content=b'"Not authenticated."',
        own_authorization=OWN,
    )
    assert exchange.request.headers == [("Authorization", OTHER_CREDENTIALS)]
    assert exchange.request.base == "http://127.0.0.1:8080"
    assert exchange.response.body == "Not authenticated."


@pytest.mark.parametrize(
    ("content", "content_type", "body", "form"),
    [
        (b"", "application/json", None, "json"),
        (b'{"a":1}', "application/json; charset=utf-8", {"a": 1}, "json"),
        (b'{"a":1}', None, {"a": 1}, "json"),
        (b'{"a":1,"a":2}', "application/json", '{"a":1,"a":2}', "text"),
        (b"{not json", "application/json", "{not json", "text"),
        (b"Email\r\na@b.c\r\n", "text/csv", "Email\r\na@b.c\r\n", "text"),
        (b"\xff\xfe", "application/json", "//4=", "base64"),
    ],
)
def test_bodies_are_json_when_they_are_and_otherwise_kept_exactly(
    content: bytes, content_type: str | None, body: object, form: str
) -> None:
    assert body_of(content, content_type) == (body, form)
    if form != "json":
        assert content_of(body, form) == content


def test_converters_keep_the_eloqua_api_and_assume_the_sessions_credentials_when_filtered() -> None:
    def wire(url: str) -> Wire:
        return Wire("GET", url, [], b"", 200, [], b"{}")

    exchanges, left_out = from_wire(
        [wire("http://h/id"), wire("http://h/app.js"), wire("http://h/API/Bulk/2.0/syncs/1")]
    )
    assert left_out == 1
    assert [e.request.path for e in exchanges] == ["/id", "/API/Bulk/2.0/syncs/1"]
    assert all(e.request.headers == [("Authorization", SESSION_CREDENTIALS)] for e in exchanges)
    everything, none_left = from_wire([wire("http://h/app.js")], keep_all=True)
    assert (len(everything), none_left) == (1, 0)


def test_an_exchange_keeps_the_keys_a_reader_added() -> None:
    exchange: Exchange = exchange_from_json({**POD_LINE, "notes": "kept"})
    assert exchange.to_json()["notes"] == "kept"
