"""Only programs use the control plane: a web page the developer visits can send a form or
``text/plain`` post to ``/_emulator/`` without a CORS preflight, so a control request that
changes something must carry a JSON content type or ``X-Emulator-Control``; with
``--control-token`` every control request but the health check needs the token."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import yaml
from starlette.testclient import TestClient

from emulator import Settings
from emulator.core.control_access import INTENT_NEEDED, TOKEN_NEEDED
from tests.conftest import ROOT, basic, bearer
from tests.routes.bulk import BULK, Bulk

EVIL = "https://evil.example"
INSTANCES = "/_emulator/appcloud/instances"
IMPORT = {
    "name": "kept",
    "fields": {"email": "{{Contact.Field(C_EmailAddress)}}"},
    "identifierFieldName": "email",
}
SIMPLE = [
    "application/x-www-form-urlencoded",
    "text/plain",
    "text/plain; charset=utf-8",
    "multipart/form-data; boundary=x",
    None,
]


@pytest.fixture
def page(client_factory: Callable[..., TestClient]) -> Bulk:
    """A driver whose client sends what a web page can send unaided: no control header."""
    bulk = Bulk(client_factory(Settings(db=":memory:", sync_progression="immediate"), headers={}))
    bulk.sign_in()
    return bulk


def simple(content_type: str | None) -> dict[str, str]:
    headers = {"Origin": EVIL}
    if content_type is not None:
        headers["Content-Type"] = content_type
    return headers


def sites(bulk: Bulk) -> int:
    return int(bulk.client.get("/_emulator/health").json()["sites"])


@pytest.mark.parametrize("content_type", SIMPLE)
def test_a_cross_site_post_cannot_reset_the_emulator(page: Bulk, content_type: str | None) -> None:
    uri = page.define("/contacts/imports", IMPORT)
    response = page.client.post(
        "/_emulator/reset", content=b"site=Acme", headers=simple(content_type)
    )
    assert response.status_code == 403
    assert response.json() == {
        "failures": [{"field": "Content-Type", "constraint": INTENT_NEEDED, "value": content_type}]
    }
    assert sites(page) == 1
    assert page.get(uri)["name"] == "kept"


@pytest.mark.parametrize("path", ["/_EMULATOR/reset", "/_emulator//reset/", "/_Emulator/Reset"])
def test_another_spelling_of_the_path_is_guarded_too(page: Bulk, path: str) -> None:
    response = page.client.post(path, headers=simple("text/plain"))
    assert response.status_code == 403
    assert sites(page) == 1


def test_a_cross_site_post_changes_nothing_anywhere_in_the_control_plane(page: Bulk) -> None:
    uri = page.define("/contacts/imports", IMPORT)
    page.stage(uri, [{"email": "a@example.com"}])
    created = page.client.post(INSTANCES, json={"site": "Acme", "type": "action"})
    guid = created.json()["instanceId"]
    attempts: list[tuple[str, str, bytes | None]] = [
        ("POST", "/_emulator/worker/pause", None),
        ("POST", "/_emulator/seed", b'{"site": "Globex", "contacts": 5}'),
        ("POST", INSTANCES, b'{"site": "Globex", "type": "action"}'),
        ("DELETE", f"{INSTANCES}/{guid}", None),
        ("POST", "/_emulator/syncs/1/advance?site=Acme", None),
    ]
    for method, path, body in attempts:
        response = page.client.request(method, path, content=body, headers=simple("text/plain"))
        assert response.status_code == 403, (method, path, response.text)
        assert response.json()["failures"][0]["constraint"] == INTENT_NEEDED
    assert sites(page) == 1  # no Globex
    entered = page.client.post(f"{INSTANCES}/{guid}/executions", json={"recordIds": [1]})
    assert entered.status_code == 201  # the instance is still there
    assert page.emulator.worker.paused is False
    assert page.wait(page.sync(uri)["uri"])["status"] == "success"


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "application/json"},
        {"Content-Type": "application/json; charset=utf-8"},
        {"Content-Type": "Application/JSON"},
        {"Content-Type": "application/merge-patch+json"},
        {"X-Emulator-Control": "1"},
        {"X-Emulator-Control": "1", "Content-Type": "text/plain"},
    ],
)
def test_a_json_content_type_or_the_control_header_lets_a_program_reset(
    page: Bulk, headers: dict[str, str]
) -> None:
    response = page.client.post("/_emulator/reset", headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["sites"] == 0


def test_an_empty_json_object_is_as_good_as_no_body(page: Bulk) -> None:
    assert page.client.post("/_emulator/worker/pause", json={}).json()["paused"] is True
    assert page.client.post("/_emulator/worker/resume", json={}).json()["paused"] is False


def test_reads_stay_plain_for_a_browser(page: Bulk) -> None:
    for path in ("/_emulator/health", "/_emulator/settings", "/_emulator/metrics"):
        assert page.client.get(path, headers={"Origin": EVIL}).status_code == 200


def test_eloqua_routes_are_not_the_guards_business(page: Bulk) -> None:
    uri = page.define("/contacts/imports", IMPORT)
    staged = page.client.post(
        BULK + uri + "/data",
        content=b"email\nc@example.com\n",
        headers={**page.headers, "Content-Type": "text/csv"},
    )
    assert staged.status_code == 204


@pytest.fixture
def locked(client_factory: Callable[..., TestClient]) -> TestClient:
    """An emulator started with ``--control-token s3cret``; the client sends the control
    header but no token."""
    return client_factory(Settings(db=":memory:", control_token="s3cret"))


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong", "Bearer s3cre", "Bearer s3cret2", "Basic czNjcmV0", "s3cret"],
)
def test_the_token_closes_the_control_plane(locked: TestClient, authorization: str | None) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    locked.get("/id", headers=basic())
    for method, path in (("GET", "/_emulator/settings"), ("POST", "/_emulator/reset")):
        response = locked.request(method, path, headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer ")
        assert response.json() == {
            "failures": [{"field": "Authorization", "constraint": TOKEN_NEEDED}]
        }
    assert locked.get("/_emulator/health").json()["sites"] == 1


def test_the_token_opens_it(locked: TestClient) -> None:
    locked.get("/id", headers=basic())
    settings = locked.get("/_emulator/settings", headers=bearer("s3cret"))
    assert settings.status_code == 200
    assert settings.json()["control_token"] == "(set, hidden)"
    assert "s3cret" not in settings.text
    reset = locked.post("/_emulator/reset", headers={"Authorization": "bearer s3cret"})
    assert reset.status_code == 200
    assert reset.json()["sites"] == 0


def test_the_health_check_stays_open_and_eloqua_routes_keep_their_own_credentials(
    locked: TestClient,
) -> None:
    assert locked.get("/_emulator/health").status_code == 200
    fields = locked.get("/api/bulk/2.0/contacts/fields", headers=basic())
    assert fields.status_code == 200
    assert locked.get("/api/bulk/2.0/contacts/fields", headers=bearer("s3cret")).status_code == 401


def test_with_the_token_a_cross_site_post_is_still_refused(
    client_factory: Callable[..., TestClient],
) -> None:
    client = client_factory(Settings(db=":memory:", control_token="s3cret"), headers={})
    response = client.post("/_emulator/reset", headers={**bearer("s3cret"), **simple("text/plain")})
    assert response.status_code == 403
    assert response.json()["failures"][0]["constraint"] == INTENT_NEEDED


def test_every_control_operation_documents_the_guards_answers() -> None:
    """A new control operation documents them too: 401 with a token (all but the health
    check), 403 for a change a web page could have sent."""
    document = yaml.safe_load((ROOT / "openapi" / "emulator-control.yaml").read_text())
    token = {"$ref": "#/components/responses/ControlTokenNeeded"}
    program = {"$ref": "#/components/responses/NotFromAProgram"}
    missing = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation["responses"]
            if (method, path) != ("get", "/_emulator/health") and responses.get("401") != token:
                missing.append(f"{method.upper()} {path}: '401': {token}")
            if method != "get" and responses.get("403") != program:
                missing.append(f"{method.upper()} {path}: '403': {program}")
    assert missing == []


def test_a_preflight_is_never_approved(page: Bulk) -> None:
    response = page.client.options(
        "/_emulator/reset",
        headers={
            "Origin": EVIL,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, x-emulator-control",
        },
    )
    assert response.status_code == 405
    assert not [name for name in response.headers if name.lower().startswith("access-control-")]
    assert sites(page) == 1
