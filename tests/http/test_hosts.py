"""The server answers only the ``Host`` names it was started for (DNS rebinding: a page on
``evil.example`` whose name resolves to 127.0.0.1 must not read or change anything)."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient

from emulator import Settings
from emulator.core.hosts import HOST_INVALID
from emulator.testing import free_port, serve
from tests.conftest import basic

FIELDS = "/api/bulk/2.0/contacts/fields"
EVIL = {"Host": "evil.example:8080"}

Make = Callable[..., TestClient]


@pytest.fixture
def make(client_factory: Make) -> Make:
    """``make(**settings)``: a client (not spec-checked: Eloqua documents no 400 for a
    Host) of a fresh emulator."""

    def build(**settings: Any) -> TestClient:
        return client_factory(Settings(db=":memory:", **settings), validate=False)

    return build


def refused_as(response: httpx.Response, name: str) -> None:
    assert response.status_code == 400
    [failure] = response.json()["failures"]
    assert failure["field"] == "Host"
    assert (
        f"--allowed-hosts {name} (or ELOQUA_EMULATOR_ALLOWED_HOSTS={name})"
        in (failure["constraint"])
    )


def test_a_foreign_host_can_read_nothing(make: Make) -> None:
    client = make()
    refused_as(client.get(FIELDS, headers={**basic(), **EVIL}), "evil.example")
    refused_as(client.get("/_emulator/health", headers=EVIL), "evil.example")
    refused_as(client.get("/_emulator/settings", headers=EVIL), "evil.example")


def test_a_foreign_host_can_change_nothing(make: Make) -> None:
    client = make()
    client.get("/id", headers=basic())
    reset = client.post("/_emulator/reset", json={}, headers=EVIL)
    refused_as(reset, "evil.example")
    created = client.post(
        "/api/bulk/2.0/contacts/imports",
        json={
            "name": "from a page",
            "fields": {"email": "{{Contact.Field(C_EmailAddress)}}"},
            "identifierFieldName": "email",
        },
        headers={**basic(), **EVIL},
    )
    refused_as(created, "evil.example")
    assert client.get("/_emulator/health").json()["sites"] == 1
    assert client.get("/api/bulk/2.0/contacts/imports", headers=basic()).json()["items"] == []


def test_id_never_reflects_a_foreign_host(make: Make) -> None:
    response = make().get("/id", headers={**basic(), **EVIL})
    refused_as(response, "evil.example")
    assert "urls" not in response.text


@pytest.mark.parametrize(
    "host",
    [
        "localhost",
        "localhost:8080",
        "LOCALHOST:8080",
        "127.0.0.1:9",
        "[::1]:8080",
        "[::1]",
        "login.eloqua.com",
        "secure.p03.eloqua.com:443",
        "eloqua.com",
    ],
)
def test_loopback_and_eloqua_names_are_answered(make: Make, host: str) -> None:
    response = make().get("/id", headers={**basic(), "Host": host})
    assert response.status_code == 200
    assert response.json()["urls"]["base"] == f"http://{host}"


@pytest.mark.parametrize(
    "host",
    [
        "api-campaign-us-1.goacoustic.com",
        "api-campaign-eu-1.goacoustic.com:443",
        "api6.ibmmarketingcloud.com",
        "api3.silverpop.com",
    ],
)
def test_acoustic_pods_are_answered(make: Make, host: str) -> None:
    """What ``mock_acoustic`` sends: the Acoustic API host the client asked for."""
    token = make().post(
        "/oauth/token",
        data={
            "grant_type": "refresh_token",
            "client_id": "acoustic-emulator-client",
            "client_secret": "acoustic-emulator-secret",
            "refresh_token": "acoustic-refresh-org-admin",
        },
        headers={"Host": host},
    )
    assert token.status_code == 200
    assert token.json()["token_type"] == "bearer"


@pytest.mark.parametrize(
    ("host", "name"),
    [
        ("localhost.evil.example", "localhost.evil.example"),
        ("eloqua.com.evil.example:80", "eloqua.com.evil.example"),
        ("evileloqua.com", "evileloqua.com"),
        ("goacoustic.com.evil.example", "goacoustic.com.evil.example"),
        ("evilsilverpop.com", "evilsilverpop.com"),
        ("127.0.0.1.nip.io", "127.0.0.1.nip.io"),
        ("[::2]:8080", "::2"),
        ("10.0.0.7:8080", "10.0.0.7"),
    ],
)
def test_lookalikes_are_refused(make: Make, host: str, name: str) -> None:
    refused_as(make().get("/_emulator/health", headers={"Host": host}), name)


@pytest.mark.parametrize("host", ["", "bad host", "evil.example:port", "[::1"])
def test_a_malformed_host_is_refused(make: Make, host: str) -> None:
    response = make().get("/_emulator/health", headers={"Host": host})
    assert response.status_code == 400
    assert response.json()["failures"][0]["constraint"] == HOST_INVALID


def test_allowed_hosts_adds_names(make: Make) -> None:
    client = make(allowed_hosts="eloqua, *.ci.internal")
    me = client.get("/id", headers={**basic(), "Host": "eloqua:8080"})
    assert me.json()["urls"]["base"] == "http://eloqua:8080"
    assert (
        client.get(FIELDS, headers={**basic(), "Host": "runner-7.ci.internal"}).status_code == 200
    )
    refused_as(client.get(FIELDS, headers={**basic(), "Host": "ci.internal"}), "ci.internal")
    refused_as(client.get(FIELDS, headers={**basic(), **EVIL}), "evil.example")
    assert client.get(FIELDS, headers={**basic(), "Host": "localhost"}).status_code == 200


def test_a_star_answers_any_name(make: Make) -> None:
    client = make(allowed_hosts="*")
    me = client.get("/id", headers={**basic(), **EVIL})
    assert me.json()["urls"]["base"] == "http://evil.example:8080"


def test_the_interface_the_server_binds_is_answered(make: Make) -> None:
    client = make(host="10.0.0.7")
    assert client.get("/_emulator/health", headers={"Host": "10.0.0.7:8080"}).status_code == 200
    refused_as(client.get("/_emulator/health", headers={"Host": "10.0.0.8"}), "10.0.0.8")


def raw(url: str, request: bytes) -> bytes:
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_a_real_server_refuses_a_foreign_host_and_answers_loopback() -> None:
    with serve(Settings(db=":memory:", port=free_port(), log_level="warning")) as url:
        assert httpx.get(url + "/_emulator/health").status_code == 200
        port = urlsplit(url).port
        assert httpx.get(
            url + "/_emulator/health", headers={"Host": f"localhost:{port}"}
        ).is_success
        refused = httpx.get(url + "/id", auth=("Acme\\jane", "pw"), headers=EVIL)
        refused_as(refused, "evil.example")
        reset = httpx.post(url + "/_emulator/reset", json={}, headers=EVIL)
        refused_as(reset, "evil.example")
        # HTTP/1.0 needs no Host header; without one there is no name to check
        answer = raw(url, b"GET /_emulator/health HTTP/1.0\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 400 ")
        assert HOST_INVALID.encode() in answer
