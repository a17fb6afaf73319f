"""What the server answers before the app sees a request: deadlines for slow clients, head
limits, and Eloqua's failure shape for all of it, on a real socket.

Each answer is ``{"failures": [...]}`` JSON and the connection closes; a client that
connects and says nothing is closed without an answer.
"""

from __future__ import annotations

import base64
import logging
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

import orjson
import pytest

from emulator import Settings, create_app
from emulator.testing import serve_app

SETTINGS = Settings(
    db=":memory:", header_timeout=0.5, body_timeout=0.5, idle_timeout=0.5, header_max_kb=8
)
AUTH = "Basic " + base64.b64encode(b"Acme\\jane:pw").decode()
IMPORT = {
    "name": "wire",
    "fields": {"email": "{{Contact.Field(C_EmailAddress)}}"},
    "identifierFieldName": "email",
}


@pytest.fixture(scope="module")
def origin() -> Iterator[tuple[str, int]]:
    with serve_app(create_app(SETTINGS), settings=SETTINGS) as url:
        parts = urlsplit(url)
        assert parts.hostname is not None
        assert parts.port is not None
        yield parts.hostname, parts.port


def exchange(origin: tuple[str, int], data: bytes, wait: float = 5.0) -> tuple[bytes, float]:
    """Send ``data``, then read until the server closes: what came back, and when."""
    with socket.create_connection(origin) as conn:
        conn.settimeout(wait)
        started = time.monotonic()
        if data:
            conn.sendall(data)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
        return answer, time.monotonic() - started


def parsed(answer: bytes) -> tuple[int, dict[str, str], Any]:
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, orjson.loads(body)


def failure(answer: bytes, status: int) -> str:
    """The constraint of the one failure of an Eloqua-shaped answer that closes."""
    got, headers, body = parsed(answer)
    assert got == status
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert headers["connection"] == "close"
    (only,) = body["failures"]
    assert body == {"failures": [{"field": "request", "constraint": only["constraint"]}]}
    return str(only["constraint"])


def test_a_request_line_over_the_limit_is_a_414(origin: tuple[str, int]) -> None:
    line = b"GET /api/bulk/2.0/contacts/fields?q=" + b"a" * 9000 + b" HTTP/1.1\r\n"
    answer, _ = exchange(origin, line + b"Host: localhost\r\n\r\n")
    assert failure(answer, 414) == "The request line must be at most 8 KB."


def test_a_request_line_the_parser_refuses_is_in_eloquas_shape(origin: tuple[str, int]) -> None:
    """A 70 KB URL is refused by the HTTP parser itself, whatever the limit: still JSON."""
    with serve_app(create_app(Settings(db=":memory:")), settings=Settings(db=":memory:")) as url:
        parts = urlsplit(url)
        line = b"GET /api/bulk/2.0/contacts/fields?q=" + b"a" * 70_000 + b" HTTP/1.1\r\n"
        answer, _ = exchange((str(parts.hostname), int(parts.port or 0)), line + b"\r\n")
    assert parsed(answer)[0] in (400, 414)
    assert parsed(answer)[2]["failures"]


def test_headers_over_the_limit_are_a_431(origin: tuple[str, int]) -> None:
    head = b"GET /id HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + b"a" * 9000 + b"\r\n\r\n"
    answer, _ = exchange(origin, head)
    assert failure(answer, 431) == "The request headers must be at most 8 KB in all."


def test_malformed_chunked_framing_is_a_400_in_eloquas_shape(origin: tuple[str, int]) -> None:
    head = (
        b"POST /api/bulk/2.0/contacts/imports HTTP/1.1\r\nHost: localhost\r\n"
        b"Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
    )
    answer, _ = exchange(origin, head + b"zz\r\n{}\r\n0\r\n\r\n")
    assert failure(answer, 400) == "Must be a well-formed HTTP/1.1 request."


def test_headers_sent_slowly_get_a_408_at_the_deadline(origin: tuple[str, int]) -> None:
    answer, elapsed = exchange(origin, b"GET /id HTTP/1.1\r\nHost: loc")
    assert failure(answer, 408) == "The request line and headers must arrive within 0.5 seconds."
    assert 0.4 < elapsed < 3


def test_a_body_shorter_than_its_content_length_gets_a_408(origin: tuple[str, int]) -> None:
    head = (
        f"POST /api/bulk/2.0/contacts/imports HTTP/1.1\r\nHost: localhost\r\n"
        f"Authorization: {AUTH}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n"
    ).encode()
    answer, elapsed = exchange(origin, head + b'{"name": ')
    assert failure(answer, 408) == "The request body must arrive within 0.5 seconds."
    assert elapsed < 3


def test_a_silent_connection_is_closed_without_an_answer(origin: tuple[str, int]) -> None:
    answer, elapsed = exchange(origin, b"")
    assert answer == b""
    assert 0.4 < elapsed < 3


def test_a_kept_alive_connection_closes_after_the_idle_timeout(origin: tuple[str, int]) -> None:
    answer, elapsed = exchange(origin, b"GET /_emulator/health HTTP/1.1\r\nHost: localhost\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert 0.4 < elapsed < 3


def test_two_hundred_half_sent_requests_are_all_let_go(origin: tuple[str, int]) -> None:
    conns = []
    for _ in range(200):
        conn = socket.create_connection(origin)
        conn.sendall(b"POST /api/bulk/2.0/contacts/imports HTTP/1.1\r\nHost: local")
        conns.append(conn)
    try:
        time.sleep(1.5)
        closed = 0
        for conn in conns:
            conn.settimeout(2)
            answer = b""
            while chunk := conn.recv(65536):
                answer += chunk
            closed += parsed(answer)[0] == 408
        assert closed == 200
    finally:
        for conn in conns:
            conn.close()


def test_a_good_request_is_untouched_by_the_limits(origin: tuple[str, int]) -> None:
    host, port = origin
    body = orjson.dumps(IMPORT)
    request = urllib.request.Request(
        f"http://{host}:{port}/api/bulk/2.0/contacts/imports",
        data=body,
        headers={"Authorization": AUTH, "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 201


@pytest.fixture(scope="module")
def data_uri(origin: tuple[str, int]) -> str:
    host, port = origin
    request = urllib.request.Request(
        f"http://{host}:{port}/api/bulk/2.0/contacts/imports",
        data=orjson.dumps(IMPORT),
        headers={"Authorization": AUTH, "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        uri = orjson.loads(response.read())["uri"]
    return f"http://{host}:{port}/api/bulk/2.0{uri}/data"


class TestOversizedUploads:
    """A pod answers an upload over 32 MB with a 404. A client that sends its whole body
    before reading, and asks to close (Python's urllib), reads that answer."""

    BODY = b"[" + b",".join(b'{"email":"u%08d@example.com"}' % i for i in range(1_300_000)) + b"]"

    def upload(self, url: str, data: bytes | Iterator[bytes], **headers: str) -> tuple[int, bytes]:
        request = urllib.request.Request(
            url,
            data=data,
            headers={"Authorization": AUTH, "Content-Type": "application/json", **headers},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def test_with_a_content_length(self, data_uri: str) -> None:
        assert len(self.BODY) > 32 * 1024 * 1024
        status, body = self.upload(data_uri, self.BODY)
        assert status == 404
        assert orjson.loads(body)["failures"][0]["constraint"] == "Uploads are limited to 32 MB."

    def test_chunked(self, data_uri: str) -> None:
        chunks = (self.BODY[i : i + (1 << 20)] for i in range(0, len(self.BODY), 1 << 20))
        status, body = self.upload(data_uri, chunks, **{"Transfer-Encoding": "chunked"})
        assert status == 404
        assert orjson.loads(body)["failures"][0]["field"] == "body"


def test_a_client_that_leaves_mid_upload_is_not_an_error(caplog: pytest.LogCaptureFixture) -> None:
    settings = replace(SETTINGS, body_timeout=30.0)
    app = create_app(settings)
    with serve_app(app, settings=settings) as url, caplog.at_level(logging.INFO):
        parts = urlsplit(url)
        with socket.create_connection((str(parts.hostname), int(parts.port or 0))) as conn:
            conn.sendall(
                (
                    "POST /api/bulk/2.0/contacts/imports HTTP/1.1\r\nHost: localhost\r\n"
                    f"Authorization: {AUTH}\r\nContent-Type: application/json\r\n"
                    "Content-Length: 100000\r\n\r\n"
                ).encode()
                + b'{"name": "half'
            )
            time.sleep(0.3)
        deadline = time.monotonic() + 5
        while "before its body was read" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.05)
        with urllib.request.urlopen(url + "/_emulator/metrics", timeout=5) as response:
            metrics = response.read().decode()
    assert "before its body was read" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert 'status="500"' not in metrics
    assert 'status="499"' in metrics


def test_the_proxy_answers_malformed_requests_in_eloquas_shape(tmp_path: object) -> None:
    """Plain requests on the proxy port go through h11: a bad one is JSON too."""
    from emulator.proxy.ca import CertificateAuthority
    from emulator.testing import free_port

    settings = replace(SETTINGS, proxy_port=free_port())
    ca = CertificateAuthority(tmp_path)  # type: ignore[arg-type]
    with serve_app(create_app(settings), proxy_port=settings.proxy_port, ca=ca, settings=settings):
        answer, _ = exchange(
            ("127.0.0.1", settings.proxy_port), b"GET /id HTTP/1.1\r\nHost\r\n\r\n"
        )
    assert failure(answer, 400) == "Must be a well-formed HTTP/1.1 request."


def test_each_limit_is_a_setting() -> None:
    for name in ("header_timeout", "body_timeout", "idle_timeout"):
        with pytest.raises(ValueError, match=name):
            Settings(**{name: 0})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="header_max_kb"):
        Settings(header_max_kb=0)
