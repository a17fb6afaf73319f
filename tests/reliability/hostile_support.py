"""What the hostile-input table is made of: a :class:`Case` (one malformed request and the
answer it must get), the error shapes of each route family, and the emulator the table
runs against, warmed up with one of each thing a path can name.

The error shapes:

* ``bulk``: Eloqua's ``{"failures": [{"field", "constraint", "value"?}]}`` (reference
  §13.2), on every Bulk, control-plane and unknown path;
* ``rest``: REST 2.0's 400, a JSON array of ``EndpointValidationError`` objects;
* ``oauth``: RFC 6749's ``{"error", "error_description"}``, on Eloqua's and Acoustic's
  token endpoints and for Acoustic's bearer tokens;
* ``acoustic``: Acoustic's envelope, ``{"meta": {"generalErrors", "fieldErrors", …},
  "data": null}`` with at least one error;
* ``identity``: ``/id`` answers a refused login with 200 and the JSON string
  ``"Not authenticated."`` (reference §2.1).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from starlette.testclient import TestClient

from contract_tests.flows import TERMINAL
from contract_tests.waiting import wait_until
from emulator import Settings, create_app
from tests.acoustic.helpers import access_token
from tests.conftest import CONTROL, LOCAL, basic

BULK = "/api/bulk/2.0"
REST = "/api/REST/2.0"
JOBS = "/rest/bulkeventexport/jobdefinition"
JSON = {"Content-Type": "application/json"}
CSV = {"Content-Type": "text/csv"}
EMAIL = "{{Contact.Field(C_EmailAddress)}}"
GUID = "f82d50cd86a94fcab37e4ec9a98b0339"  # the service instance the table's app knows
DASHED = "f82d50cd-86a9-4fca-b37e-4ec9a98b0339"

Auth = Literal["basic", "acoustic", "none"]
Shape = Literal["bulk", "rest", "oauth", "acoustic", "identity", "empty"]


@dataclass(frozen=True)
class Case:
    """One malformed request. ``path`` may name what the warmed-up app holds:
    ``{import}``, ``{export}``, ``{action}``, ``{sync}``, ``{cdo}``, ``{event}``. Headers
    go over the family's credentials (``auth``); ``field``, when given, is what the first
    Bulk failure must name."""

    id: str
    method: str
    path: str
    status: int
    body: bytes | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    auth: Auth = "basic"
    field: str | None = None
    shape: Shape | None = None

    def expected_shape(self) -> Shape:
        if self.shape is not None:
            return self.shape
        path = self.path.lower()
        if path.startswith("/id"):
            return "identity"
        if path.startswith(REST.lower()) and self.status == 400:
            return "rest"
        if path.startswith(("/auth/oauth2/", "/oauth/token")) and self.status != 405:
            return "oauth"
        if path.startswith(JOBS):
            return "oauth" if self.status == 401 else "acoustic"
        return "bulk"


def encoded(value: Any) -> bytes:
    """A body as a client's JSON library writes it (Python's: integers of any size)."""
    return json.dumps(value, ensure_ascii=False).encode()


def basic_raw(text: bytes) -> dict[str, str]:
    """An Authorization header of Basic credentials as any bytes."""
    return {"Authorization": "Basic " + base64.b64encode(text).decode()}


# --- the shapes


def check_shape(shape: Shape, response: Any, field_name: str | None) -> None:
    if shape == "empty":
        assert response.content == b""
        return
    assert response.headers["content-type"].startswith("application/json"), response.headers
    body = response.json()
    if shape == "bulk":
        failures = body["failures"]
        assert isinstance(failures, list), body
        assert failures, body
        for failure in failures:
            assert set(failure) <= {"field", "constraint", "value", "stackTrace"}, failure
            assert isinstance(failure["field"], str), failure
            assert failure["field"], failure
            assert isinstance(failure["constraint"], str), failure
            assert failure["constraint"], failure
        if field_name is not None:
            assert field_name in [f["field"] for f in failures], failures
    elif shape == "rest":
        assert isinstance(body, list), body
        assert body, body
        for error in body:
            assert error["type"] == "EndpointValidationError", error
            assert isinstance(error["parameter"], str), error
            assert isinstance(error["value"], str), error
            assert isinstance(error["requirement"]["type"], str), error
        if field_name is not None:
            assert field_name in [e["parameter"] for e in body], body
    elif shape == "oauth":
        assert set(body) == {"error", "error_description"}, body
        assert isinstance(body["error"], str), body
        assert body["error"], body
        assert isinstance(body["error_description"], str), body
    elif shape == "acoustic":
        assert body["data"] is None, body
        meta = body["meta"]
        assert isinstance(meta["generalErrors"], list), body
        assert isinstance(meta["fieldErrors"], dict), body
        assert meta["generalErrors"] or meta["fieldErrors"], body
        if field_name is not None:
            assert field_name in meta["fieldErrors"], body
    else:
        assert body == "Not authenticated.", body


# --- the app


@dataclass
class Target:
    """The emulator of the table, with the ids its paths name and the credentials of each
    family."""

    client: TestClient
    ids: dict[str, str]
    credentials: dict[Auth, dict[str, str]]

    def send(self, case: Case) -> Any:
        return self.client.request(
            case.method,
            case.path.format(**self.ids),
            content=case.body,
            headers={**self.credentials[case.auth], **case.headers},
        )


def started() -> Iterator[Target]:
    """An emulator whose site holds one definition of each kind, an ended export sync, a
    service instance, and an Acoustic token, so that refused requests meet real rows; and
    whose first sign-ins (which create sites and tokens) are behind it."""
    app = create_app(Settings(db=":memory:", sync_progression="immediate"))
    with TestClient(app, base_url=LOCAL) as client:
        ids = {"cdo": "9", "event": "3"}
        made: dict[str, tuple[str, dict[str, Any]]] = {
            "import": ("/contacts/imports", {"fields": {"email": EMAIL}}),
            "export": ("/contacts/exports", {"fields": {"email": EMAIL}}),
            "action": (
                "/contacts/syncActions",
                {
                    "fields": {"email": EMAIL},
                    "identifierFieldName": "email",
                    "syncActions": [{"action": "add", "destination": "{{ContactList[12]}}"}],
                },
            ),
        }
        for name, (path, body) in made.items():
            named = {"name": f"hostile {name}", "identifierFieldName": "email", **body}
            response = client.post(BULK + path, json=named, headers=basic())
            assert response.status_code == 201, response.text
            ids[name] = response.json()["uri"].rsplit("/", 1)[1]
        sync = client.post(
            BULK + "/syncs",
            json={"syncedInstanceUri": f"/contacts/exports/{ids['export']}"},
            headers=basic(),
        )
        assert sync.status_code == 201, sync.text
        ids["sync"] = sync.json()["uri"].rsplit("/", 1)[1]

        def ended() -> bool:
            item = client.get(BULK + f"/syncs/{ids['sync']}", headers=basic()).json()
            return item["status"] in TERMINAL

        wait_until(ended, timeout=20, message="the export sync did not end")
        instance = client.post(
            "/_emulator/appcloud/instances",
            json={"site": "Acme", "type": "action", "instanceId": DASHED},
            headers=CONTROL,
        )
        assert instance.status_code == 201, instance.text
        credentials: dict[Auth, dict[str, str]] = {
            "basic": basic(),
            "acoustic": {"Authorization": f"Bearer {access_token(client)}"},
            "none": {},
        }
        yield Target(client, ids, credentials)
