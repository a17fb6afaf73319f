"""The emulator as an HTTP(S) proxy: clients with hard-coded Eloqua hosts reach it through
``HTTPS_PROXY`` once they trust its CA; nothing else is ever forwarded."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import requests

from emulator.core.config import Settings
from emulator.testing import free_port, serve

AUTH = ("Acme\\jane", "pw")


@dataclass
class Proxy:
    url: str
    port: int
    ca: Path
    emulator: str


@pytest.fixture
def proxy(tmp_path: Path) -> Iterator[Proxy]:
    port = free_port()
    settings = Settings(
        db=":memory:",
        port=free_port(),
        log_level="warning",
        proxy_port=port,
        ca_dir=tmp_path / "ca",
    )
    with serve(settings) as emulator:
        yield Proxy(f"http://127.0.0.1:{port}", port, tmp_path / "ca" / "ca.pem", emulator)


@pytest.fixture
def trusting(proxy: Proxy, monkeypatch: pytest.MonkeyPatch) -> Proxy:
    """The environment a user sets: the proxy, and its CA trusted."""
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(proxy.ca))
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    return proxy


def raw(proxy: Proxy, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        return answer


def test_a_client_with_hard_coded_hosts_runs_an_import_and_an_export(trusting: Proxy) -> None:
    session = requests.Session()
    session.auth = AUTH
    identity = session.get("https://login.eloqua.com/id", timeout=10).json()
    assert identity["urls"]["base"] == "https://login.eloqua.com"
    bulk = "https://secure.p03.eloqua.com/api/bulk/2.0"
    definition = session.post(
        f"{bulk}/contacts/imports",
        json={
            "name": "through the proxy",
            "fields": {"email": "{{Contact.Field(C_EmailAddress)}}"},
            "identifierFieldName": "email",
            "syncActions": [],
        },
        timeout=10,
    )
    assert definition.status_code == 201
    uri = definition.json()["uri"]
    staged = session.post(f"{bulk}{uri}/data", json=[{"email": "proxied@example.com"}], timeout=10)
    assert staged.status_code == 204
    sync = session.post(f"{bulk}/syncs", json={"syncedInstanceUri": uri}, timeout=10).json()
    for _ in range(20):
        status = session.get(f"{bulk}{sync['uri']}", timeout=10).json()["status"]
        if status not in ("pending", "active"):
            break
    assert status == "success"
    export = session.post(
        f"{bulk}/contacts/exports",
        json={
            "name": "proxied back",
            "fields": {"email": "{{Contact.Field(C_EmailAddress)}}"},
            "filter": "'{{Contact.Field(C_EmailAddress)}}' = 'proxied@example.com'",
        },
        timeout=10,
    ).json()
    sync = session.post(
        f"{bulk}/syncs", json={"syncedInstanceUri": export["uri"]}, timeout=10
    ).json()
    for _ in range(20):
        if session.get(f"{bulk}{sync['uri']}", timeout=10).json()["status"] == "success":
            break
    rows = session.get(f"{bulk}{sync['uri']}/data", timeout=10).json()
    assert rows["items"] == [{"email": "proxied@example.com"}]


def test_the_proxy_and_the_emulator_share_one_store(proxy: Proxy) -> None:
    context = ssl.create_default_context(cafile=str(proxy.ca))
    with httpx.Client(proxy=proxy.url, verify=context, auth=AUTH) as client:
        created = client.post(
            "https://secure.p01.eloqua.com/api/bulk/2.0/contacts/exports",
            json={"name": "seen directly", "fields": {"id": "{{Contact.Id}}"}},
        )
        assert created.status_code == 201
    direct = httpx.get(f"{proxy.emulator}/api/bulk/2.0{created.json()['uri']}", auth=AUTH)
    assert direct.json()["name"] == "seen directly"


def test_plain_http_requests_in_absolute_form_are_answered_for_eloqua_hosts(
    proxy: Proxy,
) -> None:
    with httpx.Client(proxy=proxy.url, auth=AUTH) as client:
        identity = client.get("http://login.eloqua.com/id")
    assert identity.status_code == 200
    assert identity.json()["urls"]["base"] == "http://login.eloqua.com"


def test_https_urls_in_absolute_form_are_answered_as_https(proxy: Proxy) -> None:
    """axios 0.19 (npm eloqua) sends ``GET https://…`` in plain text to an http:// proxy."""
    answer = raw(
        proxy,
        b"GET https://login.eloqua.com/id HTTP/1.1\r\nHost: login.eloqua.com\r\n"
        b"Authorization: Basic QWNtZVxqYW5lOnB3\r\nConnection: close\r\n\r\n",
    )
    assert answer.startswith(b"HTTP/1.1 200")
    assert b'"base":"https://login.eloqua.com"' in answer


def test_a_tunnel_to_another_host_is_refused_with_a_403_that_says_why(proxy: Proxy) -> None:
    answer = raw(proxy, b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 403 Forbidden\r\n")
    assert b"answers for eloqua.com and *.eloqua.com only" in answer
    assert b"refused example.com:443" in answer


def test_a_plain_request_for_another_host_is_refused_and_never_forwarded(proxy: Proxy) -> None:
    with httpx.Client(proxy=proxy.url) as client:
        refused = client.get("http://example.com/anything")
    assert refused.status_code == 403
    assert "never forwards a request elsewhere; refused example.com" in refused.text


def test_a_host_that_only_ends_like_eloqua_is_refused(proxy: Proxy) -> None:
    answer = raw(proxy, b"CONNECT evil-eloqua.com:443 HTTP/1.1\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 403")


def test_a_client_that_does_not_trust_the_ca_fails_and_the_proxy_keeps_serving(
    proxy: Proxy,
) -> None:
    with httpx.Client(proxy=proxy.url) as untrusting, pytest.raises(httpx.ConnectError):
        untrusting.get("https://login.eloqua.com/id")
    context = ssl.create_default_context(cafile=str(proxy.ca))
    with httpx.Client(proxy=proxy.url, verify=context, auth=AUTH) as client:
        assert client.get("https://login.eloqua.com/id").status_code == 200


def test_an_endless_request_head_is_cut_off(proxy: Proxy) -> None:
    answer = raw(proxy, b"GET http://login.eloqua.com/id HTTP/1.1\r\nX: " + b"a" * 70_000)
    assert answer.startswith(b"HTTP/1.1 431")


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_with_the_ca_reaches_a_pod_host(proxy: Proxy) -> None:
    result = subprocess.run(
        [
            "curl",
            "--silent",
            "--show-error",
            "--fail",
            "--proxy",
            proxy.url,
            "--cacert",
            str(proxy.ca),
            "--user",
            "Acme\\jane:pw",
            "https://secure.p07.eloqua.com/api/bulk/2.0/contacts/fields?limit=1",
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert '"limit":1' in result.stdout
