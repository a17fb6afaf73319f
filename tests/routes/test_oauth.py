"""OAuth 2.0 on the login host (reference §2.3): grants, rotation, expiry, errors."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import basic, bearer

TOKEN = "/auth/oauth2/token"
CLIENT = ("app-id", "app-secret")
FIELDS = "/api/bulk/2.0/contacts/fields"


def password_grant(client, **extra):
    return client.post(
        TOKEN,
        auth=CLIENT,
        data={
            "grant_type": "password",
            "username": "Acme\\jane",
            "password": "pw",
            "scope": "full",
            **extra,
        },
    )


def assert_token_body(body) -> None:
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 28800
    assert body["access_token"] != body["refresh_token"]


def test_password_grant_with_a_form_body(client) -> None:
    response = password_grant(client)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert_token_body(response.json())
    token = response.json()["access_token"]
    assert client.get(FIELDS, headers=bearer(token)).status_code == 200


def test_password_grant_with_a_json_body(client) -> None:
    response = client.post(
        TOKEN,
        auth=CLIENT,
        json={
            "grant_type": "password",
            "scope": "full",
            "username": "Acme\\jane",
            "password": "pw",
        },
    )
    assert response.status_code == 200
    assert_token_body(response.json())


def test_refresh_rotates_the_refresh_token(client) -> None:
    first = password_grant(client).json()
    refreshed = client.post(
        TOKEN,
        auth=CLIENT,
        data={
            "grant_type": "refresh_token",
            "refresh_token": first["refresh_token"],
            "scope": "full",
            "redirect_uri": "https://app.example/callback",
        },
    )
    assert refreshed.status_code == 200
    second = refreshed.json()
    assert_token_body(second)
    assert second["refresh_token"] != first["refresh_token"]
    reused = client.post(
        TOKEN,
        auth=CLIENT,
        data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
    )
    assert reused.status_code == 401
    assert reused.json()["error"] == "invalid_grant"
    assert client.get(FIELDS, headers=bearer(second["access_token"])).status_code == 200
    me = client.get("/id", headers=bearer(second["access_token"])).json()
    assert me["user"]["username"] == "jane"


def test_a_refresh_token_belongs_to_its_client(client) -> None:
    refresh = password_grant(client).json()["refresh_token"]
    response = client.post(
        TOKEN,
        auth=("other-app", "x"),
        data={"grant_type": "refresh_token", "refresh_token": refresh},
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_grant"


def test_authorization_code_flow(client) -> None:
    response = client.get(
        "/auth/oauth2/authorize",
        params={
            "response_type": "code",
            "client_id": CLIENT[0],
            "scope": "full",
            "redirect_uri": "https://app.example/callback?x=1",
            "state": "xyz",
        },
        headers=basic("Acme", "jane", "pw"),
        follow_redirects=False,
    )
    assert response.status_code == 302
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == "https://app.example/callback"
    query = parse_qs(location.query)
    assert query["state"] == ["xyz"]
    assert query["x"] == ["1"]
    exchange = {
        "grant_type": "authorization_code",
        "code": query["code"][0],
        "redirect_uri": "https://app.example/callback?x=1",
    }
    tokens = client.post(TOKEN, auth=CLIENT, data=exchange)
    assert tokens.status_code == 200
    assert_token_body(tokens.json())
    me = client.get("/id", headers=bearer(tokens.json()["access_token"])).json()
    assert (me["site"]["name"], me["user"]["username"]) == ("Acme", "jane")
    replay = client.post(TOKEN, auth=CLIENT, data=exchange)
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"


def test_authorize_without_credentials_signs_in_the_default_user(client) -> None:
    response = client.get(
        "/auth/oauth2/authorize",
        params={
            "response_type": "code",
            "client_id": "a",
            "redirect_uri": "https://app.example/cb",
        },
        follow_redirects=False,
    )
    code = parse_qs(urlsplit(response.headers["location"]).query)["code"][0]
    token = client.post(
        TOKEN, auth=("a", "s"), data={"grant_type": "authorization_code", "code": code}
    ).json()["access_token"]
    me = client.get("/id", headers=bearer(token)).json()
    assert (me["site"]["name"], me["user"]["username"]) == ("EmulatorSite", "emulator.user")


def test_implicit_grant_returns_the_token_in_the_fragment(client) -> None:
    response = client.get(
        "/auth/oauth2/authorize",
        params={
            "response_type": "token",
            "client_id": "a",
            "redirect_uri": "https://app.example/cb",
            "state": "s1",
        },
        headers=basic(),
        follow_redirects=False,
    )
    fragment = parse_qs(urlsplit(response.headers["location"]).fragment)
    assert fragment["token_type"] == ["bearer"]
    assert fragment["state"] == ["s1"]
    assert client.get(FIELDS, headers=bearer(fragment["access_token"][0])).status_code == 200


def test_code_for_a_different_redirect_uri_is_refused(client) -> None:
    response = client.get(
        "/auth/oauth2/authorize",
        params={
            "response_type": "code",
            "client_id": CLIENT[0],
            "redirect_uri": "https://a.example/",
        },
        headers=basic(),
        follow_redirects=False,
    )
    code = parse_qs(urlsplit(response.headers["location"]).query)["code"][0]
    refused = client.post(
        TOKEN,
        auth=CLIENT,
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": "https://evil.example/",
        },
    )
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_grant"


def test_client_credentials_grant(client) -> None:
    response = client.post(TOKEN, auth=CLIENT, data={"grant_type": "client_credentials"})
    assert response.status_code == 200
    assert_token_body(response.json())


@pytest.mark.parametrize(
    ("auth", "body", "status", "error"),
    [
        (
            None,
            {"grant_type": "password", "username": "A\\b", "password": "p"},
            401,
            "invalid_client",
        ),
        (CLIENT, {"grant_type": "magic"}, 400, "unsupported_grant_type"),
        (CLIENT, {}, 400, "invalid_request"),
        (CLIENT, {"grant_type": "password", "username": "A\\b"}, 400, "invalid_request"),
        (
            CLIENT,
            {"grant_type": "password", "username": "nobackslash", "password": "p"},
            400,
            "invalid_grant",
        ),
        (CLIENT, {"grant_type": "authorization_code", "code": "bogus"}, 400, "invalid_grant"),
        (CLIENT, {"grant_type": "refresh_token", "refresh_token": "bogus"}, 401, "invalid_grant"),
        (CLIENT, {"grant_type": "refresh_token"}, 400, "invalid_request"),
    ],
    ids=[
        "no client",
        "unknown grant",
        "no grant",
        "no password",
        "bad username",
        "bad code",
        "bad refresh token",
        "no refresh token",
    ],
)
def test_token_errors_have_the_oauth_shape(client, auth, body, status, error) -> None:
    response = client.post(TOKEN, auth=auth, data=body)
    assert response.status_code == status
    assert set(response.json()) == {"error", "error_description"}
    assert response.json()["error"] == error


def test_token_body_that_is_not_utf8_or_json_is_an_oauth_error(client) -> None:
    for content, media in (
        (b"\xff\xfe", "application/x-www-form-urlencoded"),
        (b"{not json", "application/json"),
        (b"[1, 2]", "application/json"),
    ):
        response = client.post(TOKEN, auth=CLIENT, content=content, headers={"Content-Type": media})
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_request"


def test_expired_refresh_token_gets_401(client_factory, clock) -> None:
    client = client_factory()
    refresh = password_grant(client).json()["refresh_token"]
    clock.advance(366 * 24 * 3600)
    response = client.post(
        TOKEN, auth=CLIENT, data={"grant_type": "refresh_token", "refresh_token": refresh}
    )
    assert response.status_code == 401


class TestStrictClients:
    @pytest.fixture
    def strict(self, strict_client):
        return strict_client(
            '{"users": [{"site": "Acme", "user": "jane", "password": "pw"}],'
            ' "clients": [{"client_id": "app-id", "client_secret": "app-secret",'
            ' "site": "Acme", "user": "jane"}]}'
        )

    def test_known_client_and_user_get_tokens(self, strict) -> None:
        assert password_grant(strict).status_code == 200

    def test_wrong_client_secret_is_invalid_client(self, strict) -> None:
        response = strict.post(
            TOKEN, auth=("app-id", "nope"), data={"grant_type": "client_credentials"}
        )
        assert response.status_code == 401
        assert response.json()["error"] == "invalid_client"

    def test_wrong_password_is_invalid_grant(self, strict) -> None:
        response = password_grant(strict, password="wrong")
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_grant"

    def test_client_credentials_act_as_the_clients_user(self, strict) -> None:
        token = strict.post(TOKEN, auth=CLIENT, data={"grant_type": "client_credentials"}).json()
        me = strict.get("/id", headers=bearer(token["access_token"])).json()
        assert (me["site"]["name"], me["user"]["username"]) == ("Acme", "jane")

    def test_authorize_needs_credentials(self, strict) -> None:
        response = strict.get(
            "/auth/oauth2/authorize",
            params={
                "response_type": "code",
                "client_id": "app-id",
                "redirect_uri": "https://a.example/",
            },
            follow_redirects=False,
        )
        assert response.status_code == 401

    def test_authorize_refuses_unknown_clients_without_redirecting(self, strict) -> None:
        response = strict.get(
            "/auth/oauth2/authorize",
            params={
                "response_type": "code",
                "client_id": "stranger",
                "redirect_uri": "https://a.example/",
            },
            headers=basic(),
            follow_redirects=False,
        )
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_client"
