"""``emulator.testing``: the emulator inside a test run, as moto's ``mock_aws``. Code that
hard-codes Eloqua's hosts runs against it unchanged; other hosts are left alone."""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any

import httpx
import pytest
import requests

from emulator.testing import free_port, mock_acoustic, mock_eloqua

AUTH = ("Acme\\jane", "pw")


def bulk_base(identity: dict) -> str:
    return identity["urls"]["apis"]["rest"]["bulk"].replace("{version}", "2.0")


def test_requests_to_the_login_host_and_a_pod_reach_the_emulator() -> None:
    with mock_eloqua() as eloqua:
        identity = requests.get("https://login.eloqua.com/id", auth=AUTH, timeout=10).json()
        assert identity["site"]["name"] == "Acme"
        fields = requests.get(
            "https://secure.p04.eloqua.com/api/bulk/2.0/contacts/fields",
            auth=AUTH,
            timeout=10,
        )
        assert fields.status_code == 200
        assert fields.json()["totalResults"] > 0
        created = requests.post(
            bulk_base(identity) + "/contacts/imports",
            json={
                "name": "mocked",
                "fields": {"email": "{{Contact.Field(C_EmailAddress)}}"},
                "identifierFieldName": "email",
            },
            auth=AUTH,
            timeout=10,
        )
        assert created.status_code == 201
        assert eloqua.url.startswith("http://127.0.0.1:")


def test_httpx_sync_and_async_clients_are_routed_too() -> None:
    async def read_async() -> int:
        async with httpx.AsyncClient(auth=AUTH) as client:
            response = await client.get("https://login.eloqua.com/id")
            return response.status_code

    with mock_eloqua():
        with httpx.Client(auth=AUTH) as client:
            identity = client.get("https://login.eloqua.com/id").json()
            syncs = client.get(bulk_base(identity) + "/syncs")
            assert syncs.status_code == 200
        import anyio

        assert anyio.run(read_async) == 200


def test_the_emulator_answers_with_the_eloqua_host_the_client_asked_for() -> None:
    """Base URLs stay on Eloqua's https hosts, so clients that refuse to send tokens over
    plain http (oauthlib) keep working and every later call comes back through the mock."""
    with mock_eloqua():
        by_requests = requests.get("https://login.eloqua.com/id", auth=AUTH, timeout=10).json()
        by_httpx = httpx.get("https://secure.p03.eloqua.com/id", auth=AUTH).json()
    assert by_requests["urls"]["base"] == "https://login.eloqua.com"
    assert by_httpx["urls"]["base"] == "https://secure.p03.eloqua.com"


def test_other_hosts_are_left_alone_and_everything_is_restored_after() -> None:
    nowhere = f"http://127.0.0.1:{free_port()}/id"  # nothing listens there
    with mock_eloqua(), pytest.raises(requests.ConnectionError):
        requests.get(nowhere, timeout=5)
    with pytest.raises(httpx.ConnectError):
        httpx.get("https://login.eloqua.invalid/id", timeout=5)  # not an Eloqua host
    send = requests.adapters.HTTPAdapter.send
    with mock_eloqua():
        assert requests.adapters.HTTPAdapter.send is not send
    assert requests.adapters.HTTPAdapter.send is send


@mock_eloqua()
def test_as_a_decorator_each_test_gets_a_fresh_emulator() -> None:
    identity = requests.get("https://login.eloqua.com/id", auth=AUTH, timeout=10).json()
    listed = requests.get(bulk_base(identity) + "/imports", auth=AUTH, timeout=10).json()
    assert listed["totalResults"] == 0  # nothing from the other tests


def test_the_fixture_comes_with_the_package(mock_eloqua) -> None:
    identity = httpx.get("https://login.eloqua.com/id", auth=AUTH).json()
    assert identity["site"]["name"] == "Acme"
    plugins = {e.name: e.value for e in entry_points(group="pytest11")}
    assert plugins["eloqua_emulator"] == "emulator.pytest_plugin"


def test_the_server_fixture_serves_a_fresh_emulator(eloqua_server) -> None:
    assert httpx.get(eloqua_server + "/_emulator/health").status_code == 200


def test_the_in_process_client_fixture_needs_no_port(eloqua_client) -> None:
    identity = eloqua_client.get("/id", auth=AUTH).json()
    assert bulk_base(identity).startswith("http://emulator/")
    fields = eloqua_client.get("/api/bulk/2.0/contacts/fields", auth=AUTH)
    assert fields.status_code == 200


def test_the_in_process_client_fixture_drives_the_control_plane_as_it_is(eloqua_client) -> None:
    eloqua_client.get("/id", auth=AUTH)
    reset = eloqua_client.post("/_emulator/reset")
    assert reset.status_code == 200
    assert reset.json()["sites"] == 0


# Acoustic Campaign: the seeded application and the Org Admin's refresh token
ACOUSTIC_TOKEN = {
    "grant_type": "refresh_token",
    "client_id": "acoustic-emulator-client",
    "client_secret": "acoustic-emulator-secret",
    "refresh_token": "acoustic-refresh-org-admin",
}
BEX = "/rest/bulkeventexport/jobdefinition"
EXAMPLE: dict[str, Any] = {
    "channels": [{"eventTypes": [{"eventType": "emailSend"}], "jobFrequency": 1, "type": "Email"}],
    "contactSourceId": "423251",
    "ftpUserId": "user@example.com",
}


def test_requests_to_acoustic_pods_reach_the_emulator() -> None:
    with mock_acoustic() as acoustic:
        token = requests.post(
            "https://api-campaign-us-1.goacoustic.com/oauth/token", data=ACOUSTIC_TOKEN, timeout=10
        )
        assert token.status_code == 200
        bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
        created = requests.post(
            "https://api-campaign-us-1.goacoustic.com" + BEX,
            json=EXAMPLE,
            headers=bearer,
            timeout=10,
        )
        assert created.status_code == 200, created.text
        job_id = created.json()["data"]["jobId"]
        # the same pod under its older name
        read = requests.get(
            f"https://api6.ibmmarketingcloud.com{BEX}/{job_id}", headers=bearer, timeout=10
        )
        assert read.json()["data"]["id"] == job_id
        # the control plane is at the mock's origin
        rotated = requests.post(
            f"{acoustic.url}/_emulator/acoustic/jobs/{job_id}/rotate", json={}, timeout=10
        )
        assert rotated.status_code == 201
        assert rotated.json()["file"]["rows"] > 0


def test_httpx_sync_and_async_clients_reach_acoustic_pods_too() -> None:
    async def token_async() -> int:
        async with httpx.AsyncClient() as client:
            response = await client.post(
                "https://api-campaign-eu-1.goacoustic.com/oauth/token", params=ACOUSTIC_TOKEN
            )
            return response.status_code

    with mock_acoustic():
        token = httpx.post("https://api5.silverpop.com/oauth/token", data=ACOUSTIC_TOKEN).json()
        listed = httpx.get(
            "https://api-campaign-ap-2.goacoustic.com" + BEX,
            headers={"Authorization": f"Bearer {token['access_token']}"},
        )
        assert listed.status_code == 200
        assert listed.json()["data"] == []
        import anyio

        assert anyio.run(token_async) == 200


def test_mock_acoustic_leaves_eloqua_and_other_acoustic_hosts_alone() -> None:
    with mock_acoustic(), pytest.raises(httpx.ConnectError):
        # not an Acoustic API host, so not routed (tests/core/test_hosts.py has the names)
        httpx.post("https://transfer-campaign-us-1.goacoustic.invalid/oauth/token", timeout=5)
    with mock_acoustic(), pytest.raises(requests.ConnectionError):
        requests.get("https://login.eloqua.invalid/id", timeout=5)
    with mock_acoustic() as acoustic, mock_eloqua() as eloqua:  # both services, side by side
        assert acoustic.url != eloqua.url
        assert requests.get("https://login.eloqua.com/id", auth=AUTH, timeout=10).ok
        assert httpx.post(
            "https://api-campaign-us-2.goacoustic.com/oauth/token", data=ACOUSTIC_TOKEN
        ).is_success


@mock_acoustic()
def test_mock_acoustic_as_a_decorator_gives_a_fresh_emulator() -> None:
    token = httpx.post("https://api-campaign-us-1.goacoustic.com/oauth/token", data=ACOUSTIC_TOKEN)
    bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
    listed = httpx.get("https://api-campaign-us-1.goacoustic.com" + BEX, headers=bearer)
    assert listed.json()["data"] == []  # nothing from the other tests


def test_the_acoustic_fixture_comes_with_the_package(mock_acoustic) -> None:
    token = requests.post(
        "https://api-campaign-ca-1.goacoustic.com/oauth/token", data=ACOUSTIC_TOKEN, timeout=10
    )
    assert token.json()["expires_in"] == 14400
    assert mock_acoustic.url.startswith("http://127.0.0.1:")
