"""Faults seen the way clients see them: over a socket, from a real uvicorn server
(``emulator.testing.serve``), and in process."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from emulator import Settings, create_app
from emulator.testing import free_port, serve
from tests.conftest import CONTROL, LOCAL

AUTH = ("Acme\\jane", "pw")
BULK = "/api/bulk/2.0"
FIELDS = BULK + "/contacts/fields"


@pytest.fixture
def emulator() -> Iterator[str]:
    with serve(Settings(db=":memory:", port=free_port(), log_level="warning")) as url:
        yield url


def add(url: str, **rule: Any) -> dict[str, Any]:
    response = httpx.post(url + "/_emulator/faults", json=rule)
    assert response.status_code == 201, response.text
    return dict(response.json())


def get_with_retries(client: httpx.Client, path: str, attempts: int = 4) -> httpx.Response:
    """What a careful client does: retry 429 and 5xx after the Retry-After it is given."""
    for _ in range(attempts - 1):
        response = client.get(path)
        if response.status_code != 429 and response.status_code < 500:
            return response
        time.sleep(min(float(response.headers.get("retry-after", "1")), 2.0))
    return client.get(path)


def test_a_retrying_client_gets_through_an_injected_429_and_500(emulator: str) -> None:
    too_many = add(emulator, method="GET", path=FIELDS, status=429, retryAfter=0, times=1)
    broken = add(emulator, method="GET", path=FIELDS, status=500, retryAfter=1, times=1)
    seen: list[int] = []
    with httpx.Client(
        base_url=emulator,
        auth=AUTH,
        event_hooks={"response": [lambda r: seen.append(r.status_code)]},
    ) as client:
        response = get_with_retries(client, FIELDS)
    assert response.status_code == 200
    assert response.json()["items"]
    assert seen == [429, 500, 200]
    rules = {r["id"]: r for r in httpx.get(emulator + "/_emulator/faults").json()["items"]}
    assert rules[too_many["id"]]["fired"] == rules[broken["id"]]["fired"] == 1


def export(url: str) -> str:
    with httpx.Client(base_url=url + BULK, auth=AUTH) as client:
        definition = client.post(
            "/contacts/exports",
            json={"name": "all", "fields": {"Id": "{{Contact.Id}}"}},
        ).json()
        sync = client.post("/syncs", json={"syncedInstanceUri": definition["uri"]}).json()
        deadline = time.monotonic() + 20
        while client.get(sync["uri"]).json()["status"] != "success":
            assert time.monotonic() < deadline, "the export did not end"
            time.sleep(0.05)
    return str(sync["uri"])


def test_an_httpx_client_sees_an_injected_mid_page_reset_as_a_broken_response(
    emulator: str,
) -> None:
    sync = export(emulator)
    add(emulator, path=BULK + "/syncs/*/data", fault="connection_reset", times=1)
    with httpx.Client(base_url=emulator + BULK, auth=AUTH) as client:
        with client.stream("GET", sync + "/data", params={"limit": 100}) as response:
            assert response.status_code == 200  # the answer had started
            with pytest.raises(httpx.RemoteProtocolError):
                response.read()
        again = client.get(sync + "/data", params={"limit": 100})
    assert again.status_code == 200
    assert again.json()["count"] == 100
    journal = httpx.get(emulator + "/_emulator/requests", params={"path": BULK + "/syncs/*/data"})
    cut, whole = reversed(journal.json()["items"])
    assert (cut["status"], cut["aborted"], cut["fault"]["kind"]) == (200, True, "connection_reset")
    assert 0 < cut["responseBytes"] < whole["responseBytes"]
    assert not whole["aborted"]


def test_an_in_process_client_sees_the_same_broken_response() -> None:
    app = create_app(Settings(db=":memory:", sync_progression="immediate"))
    with TestClient(app, base_url=LOCAL, headers=CONTROL) as client:
        rule = {"path": "/api/bulk/2.0/contacts/fields", "fault": "connection_reset", "times": 1}
        assert client.post("/_emulator/faults", json=rule).status_code == 201
        with pytest.raises(httpx.RemoteProtocolError):
            client.get(FIELDS, auth=AUTH)
        assert client.get(FIELDS, auth=AUTH).status_code == 200


def test_a_faults_file_is_in_force_from_the_start(tmp_path: Path) -> None:
    rules = tmp_path / "faults.json"
    rules.write_text(json.dumps([{"method": "GET", "path": FIELDS, "status": 503, "times": 1}]))
    settings = Settings(db=":memory:", port=free_port(), log_level="warning", faults=rules)
    with serve(settings) as url:
        assert httpx.get(url + FIELDS, auth=AUTH).status_code == 503
        assert httpx.get(url + FIELDS, auth=AUTH).status_code == 200
        listed = httpx.get(url + "/_emulator/faults").json()["items"]
    assert [(r["status"], r["fired"]) for r in listed] == [(503, 1)]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[{"path": "/x", "status": 418}]', "[0].status"),
        ('{"path": "/x"}', "rules"),
        ("[not json", "faults file"),
    ],
)
def test_a_bad_faults_file_stops_the_start(tmp_path: Path, text: str, problem: str) -> None:
    rules = tmp_path / "faults.json"
    rules.write_text(text)
    with pytest.raises(ValueError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        create_app(Settings(db=":memory:", faults=rules))
    with pytest.raises(ValueError, match="faults file"):
        create_app(Settings(db=":memory:", faults=tmp_path / "missing.json"))
