"""Fixtures of the Acoustic scenarios: the target, a signed-in client whose every response
is checked against ``openapi/acoustic-bulk-event-export.yaml``, and the job definitions a
run made, deleted when it ends (a pod keeps none)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import schemathesis

from contract_tests.acoustic.target import AcousticTarget, resolve
from contract_tests.limits import LimitedTransport, Limiter
from contract_tests.target import serve_in_thread

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "openapi" / "acoustic-bulk-event-export.yaml"
EXAMPLE = ROOT / "fixtures" / "acoustic" / "examples" / "jobDefinition.json"
JOBS = "/rest/bulkeventexport/jobdefinition"
POD_RATE = 2.0  # requests a second: Acoustic allows 10 concurrent calls per org
POD_BUDGET = 200


@pytest.fixture(scope="session")
def acoustic_target(request: pytest.FixtureRequest) -> Iterator[AcousticTarget]:
    config = request.config
    base_url = config.getoption("--acoustic-base-url")
    if base_url:
        yield resolve(config, base_url.rstrip("/"))
        return
    if config.getoption("--base-url") is None or _eloqua_is_emulator(config):
        # the Eloqua target is an emulator, which serves Acoustic's API too
        eloqua = request.getfixturevalue("target")
        yield resolve(config, eloqua.base_url)
        return
    with serve_in_thread() as url:
        yield resolve(config, url)


def _eloqua_is_emulator(config: pytest.Config) -> bool:
    from contract_tests.conftest import target_kind

    return target_kind(config) == "emulator"


@pytest.fixture(scope="session")
def acoustic_schema() -> Any:
    return schemathesis.openapi.from_path(str(SPEC))


@pytest.fixture(scope="session")
def acoustic_limiter(acoustic_target: AcousticTarget) -> Limiter:
    if acoustic_target.is_emulator:
        return Limiter(None, None)
    return Limiter(POD_RATE, POD_BUDGET)


def checked_client(
    target: AcousticTarget, schema: Any, limiter: Limiter, headers: dict[str, str] | None = None
) -> httpx.Client:
    """A client of the target whose responses are validated against the Acoustic spec."""

    def validate(response: httpx.Response) -> None:
        response.read()
        path = response.request.url.path
        if len(path) > 1:
            path = path.rstrip("/")
        operation = schema.find_operation_by_path(response.request.method, path)
        if operation is not None:
            operation.validate_response(response)

    return httpx.Client(
        base_url=target.base_url,
        headers=headers or {},
        timeout=30,
        transport=LimitedTransport(limiter),
        event_hooks={"response": [validate]},
    )


@pytest.fixture(scope="session")
def acoustic_anonymous(
    acoustic_target: AcousticTarget, acoustic_schema: Any, acoustic_limiter: Limiter
) -> Iterator[httpx.Client]:
    """No bearer token: for the token call itself and the 401s."""
    with checked_client(acoustic_target, acoustic_schema, acoustic_limiter) as client:
        yield client


def token_form(target: AcousticTarget, **changes: str) -> dict[str, str]:
    return {
        "grant_type": "refresh_token",
        "client_id": target.client_id,
        "client_secret": target.client_secret,
        "refresh_token": target.refresh_token,
        **changes,
    }


@pytest.fixture(scope="session")
def acoustic_token(acoustic_target: AcousticTarget, acoustic_anonymous: httpx.Client) -> str:
    response = acoustic_anonymous.post("/oauth/token", data=token_form(acoustic_target))
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


@pytest.fixture(scope="session")
def acoustic(
    acoustic_target: AcousticTarget,
    acoustic_schema: Any,
    acoustic_limiter: Limiter,
    acoustic_token: str,
) -> Iterator[httpx.Client]:
    """Signed in as the Org Admin of the refresh token."""
    headers = {"Authorization": f"Bearer {acoustic_token}"}
    with checked_client(acoustic_target, acoustic_schema, acoustic_limiter, headers) as client:
        yield client


@pytest.fixture(scope="session")
def acoustic_created(acoustic: httpx.Client) -> Iterator[list[int]]:
    """Job definition ids to delete when the session ends."""
    ids: list[int] = []
    yield ids
    for job_id in reversed(ids):
        acoustic.delete(f"{JOBS}/{job_id}")


@pytest.fixture
def definition(acoustic_target: AcousticTarget) -> dict[str, Any]:
    """The example body of Acoustic's BEX page; on a pod, with the database, FTP user and
    columns of the options (the page's ids are Acoustic's own)."""
    body: dict[str, Any] = copy.deepcopy(orjson.loads(EXAMPLE.read_bytes()))
    target = acoustic_target
    if not target.is_emulator and (target.contact_source_id is None or target.ftp_user is None):
        pytest.skip(
            "on a pod, job definitions need --acoustic-contact-source-id and --acoustic-ftp-user"
        )
    if target.contact_source_id is not None:
        body["contactSourceId"] = target.contact_source_id
    if target.ftp_user is not None:
        body["ftpUserId"] = target.ftp_user
    if target.columns is not None:
        body["channels"][0]["columnNames"] = [
            {"columnName": name, "columnOrder": i} for i, name in enumerate(target.columns)
        ]
    return body


def example_bytes() -> bytes:
    return EXAMPLE.read_bytes()
