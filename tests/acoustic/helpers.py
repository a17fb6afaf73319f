"""What the Acoustic tests share: the seeded credentials and ids (``fixtures/acoustic/``),
the example body of Acoustic's BEX page, and a signed-in client."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from starlette.testclient import TestClient

from emulator.acoustic import store
from emulator.http.state import AppState

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_PATH = ROOT / "fixtures" / "acoustic" / "examples" / "jobDefinition.json"
EXAMPLE_BYTES = EXAMPLE_PATH.read_bytes()  # sent verbatim

TOKEN = "/oauth/token"
JOBS = "/rest/bulkeventexport/jobdefinition"
CLIENT_ID = "acoustic-emulator-client"
CLIENT_SECRET = "acoustic-emulator-secret"
ADMIN = "acoustic-refresh-org-admin"  # user@example.com: Org Admin with an FTP folder
ADMIN_WITHOUT_FTP = "acoustic-refresh-admin-without-ftp"
ANALYST = "acoustic-refresh-analyst"  # not an Org Admin
REVOKED = "acoustic-refresh-revoked"
OTHER_ORG = "acoustic-refresh-other-org"  # an org not enabled for BEX
OTHER_CLIENT = ("acoustic-other-org-client", "acoustic-other-org-secret")
DATABASE = 423251
CONTACT_LIST = 423252
QUERY = 423253
SECOND_DATABASE = 423254
OTHER_ORG_DATABASE = 900001
EMPTY_META: dict[str, Any] = {
    "attributes": {},
    "generalErrors": [],
    "fieldErrors": {},
    "links": [],
    "nextPageUrl": None,
}


def example() -> dict[str, Any]:
    """A fresh copy of the example body, to change in a test."""
    return copy.deepcopy(orjson.loads(EXAMPLE_BYTES))


def token_params(refresh: str = ADMIN, app: tuple[str, str] = (CLIENT_ID, CLIENT_SECRET)):
    return {
        "grant_type": "refresh_token",
        "client_id": app[0],
        "client_secret": app[1],
        "refresh_token": refresh,
    }


def access_token(
    client: TestClient, refresh: str = ADMIN, app: tuple[str, str] = (CLIENT_ID, CLIENT_SECRET)
) -> str:
    response = client.post(TOKEN, data=token_params(refresh, app))
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def errors(general: list[str] | None = None, fields: dict[str, str] | None = None):
    """The error envelope."""
    return {
        "meta": {**EMPTY_META, "generalErrors": general or [], "fieldErrors": fields or {}},
        "data": None,
    }


@dataclass
class Acoustic:
    """A client of the emulator signed in as the seeded Org Admin."""

    client: TestClient
    headers: dict[str, str]

    @property
    def state(self) -> AppState:
        state: AppState = self.client.app.state.emulator  # type: ignore[attr-defined]
        return state

    def jobs(self) -> list[store.JobDefinition]:
        return self.state.db.read_sync(store.jobs)

    def create(self, body: Any = None) -> int:
        response = self.client.post(
            JOBS, json=example() if body is None else body, headers=self.headers
        )
        assert response.status_code == 200, response.text
        return int(response.json()["data"]["jobId"])

    def post(self, body: Any, **kwargs: Any):
        return self.client.post(JOBS, json=body, headers=self.headers, **kwargs)

    def put(self, job_id: Any, body: Any):
        return self.client.put(f"{JOBS}/{job_id}", json=body, headers=self.headers)

    def get(self, job_id: Any):
        return self.client.get(f"{JOBS}/{job_id}", headers=self.headers)

    def delete(self, job_id: Any):
        return self.client.delete(f"{JOBS}/{job_id}", headers=self.headers)


def signed_in(
    client: TestClient, refresh: str = ADMIN, app: tuple[str, str] = (CLIENT_ID, CLIENT_SECRET)
) -> Acoustic:
    token = access_token(client, refresh, app)
    return Acoustic(client, {"Authorization": f"Bearer {token}"})


def on_second_database() -> dict[str, Any]:
    """The example body for the other database of the org (which has no ``column1``)."""
    body = example()
    body["contactSourceId"] = str(SECOND_DATABASE)
    body["channels"][0]["columnNames"] = [{"columnName": "Company", "columnOrder": 0}]
    return body
