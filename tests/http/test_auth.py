"""Every malformed or refused Authorization header gets a 401 with a JSON failures body."""

from __future__ import annotations

import base64

import pytest

from tests.conftest import basic, bearer

FIELDS = "/api/bulk/2.0/contacts/fields"


def b64(text: str | bytes) -> str:
    raw = text.encode() if isinstance(text, str) else text
    return base64.b64encode(raw).decode()


MALFORMED = {
    "missing": None,
    "empty": "",
    "unknown scheme": "Digest username=jane",
    "scheme only": "Basic",
    "basic not base64": "Basic %%%not-base64%%%",
    "basic bad padding": "Basic abc",
    "basic without colon": f"Basic {b64('Acme' + chr(92) + 'jane')}",
    "basic without site": f"Basic {b64('jane:pw')}",
    "basic empty site": f"Basic {b64(chr(92) + 'jane:pw')}",
    "basic empty user": f"Basic {b64('Acme' + chr(92) + ':pw')}",
    "basic empty": f"Basic {b64('')}",
    "basic non-utf8 without separator": f"Basic {b64(bytes([0xFF, 0xFE, 0x3A]))}",
    "bearer empty": "Bearer ",
    "bearer two words": "Bearer abc def",
    "bearer unknown token": "Bearer not-a-token-we-issued",
}


@pytest.mark.parametrize("header", MALFORMED.values(), ids=MALFORMED.keys())
def test_bad_credentials_get_401_with_failures(client, header) -> None:
    headers = {} if header is None else {"Authorization": header}
    response = client.get(FIELDS, headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    body = response.json()
    assert [f["field"] for f in body["failures"]] == ["Authorization"]
    assert body["failures"][0]["constraint"]
    assert response.headers["www-authenticate"].startswith("Basic")


def test_any_well_formed_basic_login_is_accepted_by_default(client) -> None:
    assert client.get(FIELDS, headers=basic("Anything", "any.one", "whatever")).status_code == 200


def test_scheme_name_is_case_insensitive(client) -> None:
    header = basic()["Authorization"].replace("Basic", "bAsIc")
    assert client.get(FIELDS, headers={"Authorization": header}).status_code == 200


def test_password_may_contain_colons_and_user_backslashes(client) -> None:
    header = f"Basic {b64('Acme' + chr(92) + 'dom' + chr(92) + 'jane:p:w')}"
    assert client.get(FIELDS, headers={"Authorization": header}).status_code == 200
    me = client.get("/id", headers={"Authorization": header}).json()
    assert me["user"]["username"] == "dom\\jane"


def test_latin1_credentials_are_read(client) -> None:
    header = f"Basic {b64(('Acme' + chr(92) + 'zoë:pw').encode('latin-1'))}"
    me = client.get("/id", headers={"Authorization": header}).json()
    assert me["user"]["username"] == "zoë"


def test_a_token_that_expired_is_refused(client_factory, settings_factory, clock) -> None:
    client = client_factory(settings_factory(token_ttl=60))
    token = client.post(
        "/auth/oauth2/token",
        data={"grant_type": "password", "username": "Acme\\jane", "password": "pw"},
        auth=("app", "secret"),
    ).json()["access_token"]
    assert client.get(FIELDS, headers=bearer(token)).status_code == 200
    clock.advance(61)
    response = client.get(FIELDS, headers=bearer(token))
    assert response.status_code == 401
    assert response.json()["failures"][0]["constraint"] == "The access token has expired."


class TestStrictMode:
    @pytest.fixture
    def strict(self, strict_client):
        return strict_client(
            '{"users": [{"site": "Acme", "user": "jane", "password": "s3cret", '
            '"displayName": "Jane Roe", "emailAddress": "jane@acme.test"}]}'
        )

    def test_known_user_with_right_password_signs_in(self, strict) -> None:
        assert strict.get(FIELDS, headers=basic("Acme", "jane", "s3cret")).status_code == 200

    def test_site_and_user_names_match_case_insensitively(self, strict) -> None:
        assert strict.get(FIELDS, headers=basic("acme", "JANE", "s3cret")).status_code == 200

    @pytest.mark.parametrize(
        ("site", "user", "password"),
        [("Acme", "jane", "wrong"), ("Acme", "john", "s3cret"), ("Other", "jane", "s3cret")],
        ids=["wrong password", "unknown user", "unknown site"],
    )
    def test_anyone_else_gets_401(self, strict, site, user, password) -> None:
        response = strict.get(FIELDS, headers=basic(site, user, password))
        assert response.status_code == 401
        assert response.json()["failures"][0]["constraint"] == "Unknown user or wrong password."

    def test_profile_from_the_users_file_is_served_by_id(self, strict) -> None:
        me = strict.get("/id", headers=basic("Acme", "jane", "s3cret")).json()
        assert me["user"]["displayName"] == "Jane Roe"
        assert me["user"]["emailAddress"] == "jane@acme.test"
