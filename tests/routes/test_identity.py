"""Pod discovery: ``GET /id`` (reference §2.1)."""

from __future__ import annotations

from tests.conftest import LOCAL, basic, bearer


def test_id_describes_site_user_and_urls_on_the_emulators_origin(client) -> None:
    response = client.get("/id", headers=basic("Acme", "jane.roe", "pw"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    body = response.json()
    assert body["site"]["name"] == "Acme"
    assert isinstance(body["site"]["id"], int)
    assert body["user"] == {
        "id": body["user"]["id"],
        "username": "jane.roe",
        "displayName": "Jane Roe",
        "firstName": "Jane",
        "lastName": "Roe",
        "emailAddress": "jane.roe@acme.example",
    }
    base = LOCAL
    assert body["urls"] == {
        "base": base,
        "apis": {
            "soap": {
                "standard": f"{base}/API/{{version}}/Service.svc",
                "dataTransfer": f"{base}/API/{{version}}/DataTransferService.svc",
                "email": f"{base}/API/{{version}}/EmailService.svc",
                "externalAction": f"{base}/API/{{version}}/ExternalActionService.svc",
            },
            "rest": {
                "standard": f"{base}/API/REST/{{version}}/",
                "bulk": f"{base}/API/Bulk/{{version}}/",
            },
        },
    }


def test_the_bulk_template_leads_to_working_routes(client) -> None:
    bulk = client.get("/id", headers=basic()).json()["urls"]["apis"]["rest"]["bulk"]
    url = bulk.replace("{version}", "2.0") + "/contacts/fields"
    assert "//contacts" in url
    response = client.get(url, headers=basic())
    assert response.status_code == 200
    assert response.json()["totalResults"] >= 40


def test_base_follows_the_host_the_client_used(client) -> None:
    body = client.get("/id", headers={**basic(), "Host": "secure.p03.eloqua.com:9000"}).json()
    assert body["urls"]["base"] == "http://secure.p03.eloqua.com:9000"


def test_the_same_login_is_the_same_site_and_user(client) -> None:
    first = client.get("/id", headers=basic("Acme", "jane", "pw")).json()
    again = client.get("/id", headers=basic("ACME", "jane", "other")).json()
    colleague = client.get("/id", headers=basic("Acme", "john", "pw")).json()
    other_site = client.get("/id", headers=basic("Globex", "jane", "pw")).json()
    assert again["site"] == first["site"]
    assert again["user"]["id"] == first["user"]["id"]
    assert colleague["site"] == first["site"]
    assert colleague["user"]["id"] != first["user"]["id"]
    assert other_site["site"]["id"] != first["site"]["id"]


def test_bearer_tokens_discover_the_same_identity(client) -> None:
    token = client.post(
        "/auth/oauth2/token",
        auth=("app", "secret"),
        json={"grant_type": "password", "username": "Acme\\jane", "password": "pw"},
    ).json()["access_token"]
    by_token = client.get("/id", headers=bearer(token)).json()
    by_basic = client.get("/id", headers=basic()).json()
    assert by_token == by_basic


def test_refused_login_answers_not_authenticated(client) -> None:
    for headers in ({}, {"Authorization": "Basic !!!"}, bearer("unknown")):
        response = client.get("/id", headers=headers)
        assert response.status_code == 200
        assert response.json() == "Not authenticated."


def test_strict_mode_refuses_a_wrong_password_with_not_authenticated(strict_client) -> None:
    client = strict_client('[{"site": "Acme", "user": "jane", "password": "right"}]')
    assert client.get("/id", headers=basic(password="wrong")).json() == "Not authenticated."
    assert client.get("/id", headers=basic(password="right")).json()["user"]["username"] == "jane"


def test_names_that_no_user_could_have_make_no_site(client) -> None:
    """In lenient mode a new name is a new site with a copy of the fixtures: NULs, line
    breaks or 100 KB of text sign nobody in, and nothing is stored."""
    app = client.app
    for site, user in [
        ("A\x00", "jane"),
        ("Acme", "ja\nne"),
        ("S" * 101, "jane"),
        ("Acme", "u" * 101),
    ]:
        response = client.get("/api/bulk/2.0/contacts/fields", headers=basic(site, user, "pw"))
        assert response.status_code == 401
        assert response.json()["failures"][0]["constraint"] == (
            "Site and user names must be 1 to 100 printable characters."
        )
    store = app.state.emulator.store
    names = store.read_sync(lambda db: [r[0] for r in db.execute("SELECT name FROM sites")])
    assert not [name for name in names if "\x00" in name or len(name) > 100]
    assert (
        client.get("/id", headers=basic("S" * 100, "jane", "pw")).json()["site"]["name"]
        == "S" * 100
    )
