"""``POST /oauth/token`` and the bearer token on ``/rest/...`` (reference §4, §5): a token
lives 4 hours, the same one comes back within 3 hours, then a new one while the old one
lives on; missing, unknown and expired tokens are 401s; a caller who is not an Org Admin,
or whose org is not enabled for BEX, a 403."""

from __future__ import annotations

import pytest

from emulator.acoustic import store
from tests.acoustic.helpers import (
    ADMIN,
    ADMIN_WITHOUT_FTP,
    ANALYST,
    CLIENT_ID,
    CLIENT_SECRET,
    JOBS,
    OTHER_CLIENT,
    OTHER_ORG,
    REVOKED,
    TOKEN,
    errors,
    example,
    signed_in,
    token_params,
)


def test_a_form_body_gets_a_four_hour_token(client) -> None:
    response = client.post(TOKEN, data=token_params())
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body == {
        "access_token": body["access_token"],
        "token_type": "bearer",
        "refresh_token": ADMIN,
        "expires_in": 14400,
    }
    assert isinstance(body["expires_in"], int)
    caller = client.app.state.emulator.db.read_sync(store.caller, body["access_token"])
    assert (caller.user.email, caller.user.org_id) == ("user@example.com", 1)


def test_the_parameters_may_come_in_the_query_string(client) -> None:
    response = client.post(TOKEN, params=token_params())
    assert response.status_code == 200
    assert response.json()["expires_in"] == 14400


def test_within_three_hours_the_same_token_comes_back_with_the_seconds_it_has_left(
    client, clock
) -> None:
    first = client.post(TOKEN, data=token_params()).json()
    clock.advance(3 * 3600 - 1)
    again = client.post(TOKEN, data=token_params()).json()
    assert again["access_token"] == first["access_token"]
    assert again["expires_in"] == 3601


def test_after_three_hours_a_new_token_while_the_old_one_lives_until_its_expiry(
    client, clock
) -> None:
    old = client.post(TOKEN, data=token_params()).json()["access_token"]
    clock.advance(3 * 3600)
    new = client.post(TOKEN, data=token_params()).json()
    assert new["access_token"] != old
    assert new["expires_in"] == 14400
    for token in (old, new["access_token"]):
        response = client.get(JOBS, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
    clock.advance(3600)  # the old one is 4 hours old
    expired = client.get(JOBS, headers={"Authorization": f"Bearer {old}"})
    assert expired.status_code == 401
    assert expired.json() == {
        "error": "invalid_token",
        "error_description": f"Access token expired: {old}",
    }
    again = client.get(JOBS, headers={"Authorization": f"Bearer {new['access_token']}"})
    assert again.status_code == 200


def test_tokens_of_two_users_differ(client) -> None:
    admin = client.post(TOKEN, data=token_params()).json()["access_token"]
    other = client.post(TOKEN, data=token_params(ADMIN_WITHOUT_FTP)).json()["access_token"]
    assert admin != other


@pytest.mark.parametrize(
    ("params", "status", "error", "description"),
    [
        (
            {"client_secret": "wrong"},
            401,
            "invalid_client",
            "Bad client credentials",
        ),
        ({"client_id": "nobody"}, 401, "invalid_client", "Bad client credentials"),
        ({"client_id": ""}, 401, "invalid_client", "Bad client credentials"),
        (
            {"grant_type": "password"},
            400,
            "unsupported_grant_type",
            "Unsupported grant type: password",
        ),
        ({"grant_type": ""}, 400, "invalid_request", "Missing parameter: grant_type"),
        ({"refresh_token": ""}, 400, "invalid_request", "Missing parameter: refresh_token"),
        (
            {"refresh_token": "made-up"},
            400,
            "invalid_grant",
            "Invalid refresh token: made-up",
        ),
        (
            {"refresh_token": REVOKED},
            400,
            "invalid_grant",
            f"Invalid refresh token: {REVOKED}",
        ),
        (  # a user's refresh token belongs to one application
            {"client_id": OTHER_CLIENT[0], "client_secret": OTHER_CLIENT[1]},
            400,
            "invalid_grant",
            f"Invalid refresh token: {ADMIN}",
        ),
    ],
    ids=[
        "wrong secret",
        "unknown client",
        "no client",
        "other grant type",
        "no grant type",
        "no refresh token",
        "unknown refresh token",
        "revoked refresh token",
        "refresh token of another application",
    ],
)
def test_a_refused_token_request_answers_the_oauth_error(
    client, params, status, error, description
) -> None:
    response = client.post(TOKEN, data={**token_params(), **params})
    assert response.status_code == status
    assert response.json() == {"error": error, "error_description": description}
    assert client.app.state.emulator.db.read_sync(store.latest_access, CLIENT_ID, 101) is None


def test_a_token_request_that_is_not_a_form_is_refused(client) -> None:
    response = client.post(TOKEN, json=token_params())
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_a_body_value_wins_over_the_query_strings(client) -> None:
    response = client.post(
        TOKEN,
        params={**token_params(), "client_secret": "wrong"},
        data={"client_secret": CLIENT_SECRET},
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("authorization", "description"),
    [
        (None, "Full authentication is required: send Authorization: Bearer <access_token>"),
        (
            "Basic dXNlcjpwdw==",
            "Full authentication is required: send Authorization: Bearer <access_token>",
        ),
        ("Bearer ", "Full authentication is required: send Authorization: Bearer <access_token>"),
        ("Bearer not-a-token", "Invalid access token: not-a-token"),
    ],
    ids=["none", "basic", "empty bearer", "unknown bearer"],
)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", JOBS),
        ("POST", JOBS),
        ("GET", f"{JOBS}/1"),
        ("PUT", f"{JOBS}/1"),
        ("DELETE", f"{JOBS}/1"),
    ],
)
def test_rest_calls_need_a_live_bearer_token(
    client, authorization, description, method, path
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = client.request(method, path, json=example(), headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert response.json() == {"error": "invalid_token", "error_description": description}


@pytest.mark.parametrize(
    ("refresh", "app"),
    [(ANALYST, (CLIENT_ID, CLIENT_SECRET)), (OTHER_ORG, OTHER_CLIENT)],
    ids=["not an Org Admin", "org not enabled for BEX"],
)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", JOBS),
        ("POST", JOBS),
        ("GET", f"{JOBS}/1"),
        ("PUT", f"{JOBS}/1"),
        ("DELETE", f"{JOBS}/1"),
    ],
)
def test_only_an_org_admin_of_an_org_enabled_for_bex_may_call_it(
    client, refresh, app, method, path
) -> None:
    caller = signed_in(client, refresh, app)
    response = client.request(method, path, content=b"not even JSON", headers=caller.headers)
    assert response.status_code == 403
    assert response.json() == errors(["User is not authorized to perform this operation"])


def test_an_org_admin_without_ftp_folder_may_still_define_jobs_for_another_admin(client) -> None:
    """The FTP folder that matters is the one of ftpUserId, not the caller's."""
    caller = signed_in(client, ADMIN_WITHOUT_FTP)
    assert caller.create() == 1
