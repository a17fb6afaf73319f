"""The control plane under /_emulator/."""

from __future__ import annotations

import yaml
from starlette.testclient import TestClient

from emulator import Settings, create_app
from tests.conftest import LOCAL, basic


def test_health_is_ready_once_fixtures_are_loaded(client) -> None:
    body = client.get("/_emulator/health").json()
    assert body["status"] == "ready"
    assert body["store"] == ":memory:"
    assert len(body["fixtures"]) == 64


def test_health_is_503_before_the_lifespan_has_run() -> None:
    app = create_app(Settings(db=":memory:"))
    client = TestClient(app, base_url=LOCAL)  # not entered: no lifespan, no store
    response = client.get("/_emulator/health")
    assert response.status_code == 503
    assert response.json()["status"] == "starting"


def test_reset_forgets_sites_users_and_tokens(client) -> None:
    token = client.post(
        "/auth/oauth2/token",
        auth=("a", "b"),
        data={"grant_type": "password", "username": "Acme\\jane", "password": "pw"},
    ).json()["access_token"]
    client.get("/id", headers=basic("Globex", "hank"))
    assert client.get("/_emulator/health").json()["sites"] == 2
    response = client.post("/_emulator/reset")
    assert response.status_code == 200
    assert response.json()["sites"] == 0
    assert (
        client.get("/id", headers={"Authorization": f"Bearer {token}"}).json()
        == "Not authenticated."
    )
    assert client.get("/api/bulk/2.0/contacts/fields", headers=basic()).status_code == 200


def test_settings_show_the_effective_configuration(client) -> None:
    body = client.get("/_emulator/settings").json()
    assert body["db"] == ":memory:"
    assert body["host"] == "127.0.0.1"
    assert body["sync_progression"] == "polls:1"


def test_metrics_count_requests_by_operation(client) -> None:
    client.get("/api/bulk/2.0/contacts/fields", headers=basic())
    client.get("/api/bulk/2.0/contacts/fields")
    text = client.get("/_emulator/metrics").text
    assert (
        'eloqua_emulator_requests_total{operation="list_contact_fields",status="200"} 1.0' in text
    )
    assert (
        'eloqua_emulator_requests_total{operation="list_contact_fields",status="401"} 1.0' in text
    )


def test_the_served_spec_is_the_eloqua_contract(client) -> None:
    response = client.get("/_emulator/openapi.yaml")
    assert response.status_code == 200
    document = yaml.safe_load(response.text)
    assert document["openapi"].startswith("3.1")
    assert "/api/bulk/2.0/contacts/fields" in document["paths"]


def test_an_account_shows_its_fields_and_linked_users(bulk) -> None:
    uri = bulk.define(
        "/accounts/imports",
        {
            "name": "owners",
            "fields": {
                "company": "{{Account.Field(M_CompanyName)}}",
                "users": "{{Account.User.Field(CRMOSCUserId)}}",
            },
            "identifierFieldName": "company",
            "linkUsers": True,
        },
    )
    bulk.stage(uri, [{"company": "Owned Ltd", "users": "005A000000Che03"}])
    assert bulk.wait(bulk.sync(uri)["uri"])["status"] == "success"
    site = bulk.client.get("/id", headers=bulk.headers).json()["site"]["name"]
    export = bulk.define(
        "/accounts/exports",
        {
            "name": "owned",
            "fields": {"id": "{{Account.Id}}"},
            "filter": "'{{Account.Field(M_CompanyName)}}' = 'Owned Ltd'",
        },
    )
    exported = bulk.wait(bulk.sync(export)["uri"])
    account_id = bulk.get(exported["uri"] + "/data")["items"][0]["id"]
    owned = bulk.client.get(f"/_emulator/sites/{site}/accounts/{account_id}").json()
    assert owned["fields"]["M_CompanyName"] == "Owned Ltd"
    assert owned["users"] == [
        {"id": 11, "name": "Chen Wei", "loginName": "chen.wei", "crmUserId": "005A000000Che03"}
    ]
    found = bulk.client.get(f"/_emulator/sites/{site}/accounts/1")
    assert found.status_code == 200
    assert found.json()["users"] == []  # a fixture account nobody linked
    assert "M_CompanyName" in found.json()["fields"]
    missing = bulk.client.get(f"/_emulator/sites/{site}/accounts/999999")
    assert missing.status_code == 404
    assert missing.json()["failures"][0]["field"] == "id"
    unknown_site = bulk.client.get("/_emulator/sites/NoSuchSite/accounts/1")
    assert unknown_site.status_code == 404
