"""The token call and the bearer token, read-only (runs on a pod as it is): a refresh token
gets an access token with an integer expires_in; asked again at once, the same token;
a wrong secret, an unknown refresh token and a missing or unknown bearer are refused."""

from __future__ import annotations

import httpx
import pytest

from contract_tests.acoustic.conftest import JOBS, token_form
from contract_tests.acoustic.target import AcousticTarget

pytestmark = pytest.mark.acoustic


def test_a_refresh_token_gets_an_access_token_and_asked_again_the_same_one(
    acoustic_anonymous: httpx.Client, acoustic_target: AcousticTarget, acoustic_token: str
) -> None:
    response = acoustic_anonymous.post("/oauth/token", data=token_form(acoustic_target))
    assert response.status_code == 200
    body = response.json()
    assert body["access_token"] == acoustic_token  # within 3 hours: the same token
    assert body["token_type"].lower() == "bearer"
    assert isinstance(body["expires_in"], int)
    assert 0 < body["expires_in"] <= 4 * 3600


def test_a_wrong_client_secret_is_invalid_client(
    acoustic_anonymous: httpx.Client, acoustic_target: AcousticTarget
) -> None:
    form = token_form(acoustic_target, client_secret="contract-suite-wrong-secret")
    response = acoustic_anonymous.post("/oauth/token", data=form)
    assert response.status_code in (400, 401)
    assert response.json()["error"] == "invalid_client"


def test_an_unknown_refresh_token_is_invalid_grant(
    acoustic_anonymous: httpx.Client, acoustic_target: AcousticTarget
) -> None:
    form = token_form(acoustic_target, refresh_token="contract-suite-unknown-refresh-token")
    response = acoustic_anonymous.post("/oauth/token", data=form)
    assert response.status_code in (400, 401)
    assert response.json()["error"] == "invalid_grant"


@pytest.mark.parametrize("authorization", [None, "Bearer contract-suite-unknown-token"])
def test_a_rest_call_without_a_live_bearer_token_is_a_401(
    acoustic_anonymous: httpx.Client, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = acoustic_anonymous.get(f"{JOBS}/1", headers=headers)
    assert response.status_code == 401
