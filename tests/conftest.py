"""Shared fixtures: settings and app factories on a fresh ``:memory:`` store, and a
``client`` whose every response is validated against the OpenAPI documents."""

from __future__ import annotations

import base64
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from starlette.testclient import TestClient

from emulator import Settings, create_app
from emulator.http.paths import literal_segments, normalise

# "ci" keeps `make test` fast on two cores; HYPOTHESIS_PROFILE=deep searches harder.
settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "deep", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
SPECS = [
    ROOT / "openapi" / "eloqua-bulk-2.0.yaml",
    ROOT / "openapi" / "emulator-control.yaml",
    ROOT / "openapi" / "eloqua-rest-2.0.yaml",
    ROOT / "openapi" / "acoustic-bulk-event-export.yaml",
]


LOCAL = "http://localhost"  # the test client's origin: a name the emulator answers
CONTROL = {"X-Emulator-Control": "1"}  # what a program sends to the control plane


def basic(site: str = "Acme", user: str = "jane", password: str = "pw") -> dict[str, str]:
    token = base64.b64encode(f"{site}\\{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class Clock:
    """A clock tests move by hand (token expiry)."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="session")
def api_schemas() -> list[Any]:
    return [schemathesis.openapi.from_path(str(path)) for path in SPECS]


class SpecValidator:
    """Validates each response against the operation the spec documents for it."""

    def __init__(self, schemas: list[Any]) -> None:
        self.schemas = schemas
        self.segments = literal_segments(
            path for schema in schemas for path in schema.raw_schema["paths"]
        )
        self.validated = 0

    def __call__(self, response: httpx.Response) -> None:
        response.read()
        path = normalise(response.request.url.path, self.segments)
        for schema in self.schemas:
            operation = schema.find_operation_by_path(response.request.method, path)
            if operation is not None:
                operation.validate_response(response)
                self.validated += 1
                return


@pytest.fixture(scope="session")
def spec_validator(api_schemas: list[Any]) -> SpecValidator:
    return SpecValidator(api_schemas)


@pytest.fixture
def settings_factory(tmp_path: Path) -> Callable[..., Settings]:
    def make(**changes: Any) -> Settings:
        return Settings(**{"db": ":memory:", **changes})

    return make


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client_factory(
    spec_validator: SpecValidator, clock: Clock
) -> Iterator[Callable[..., TestClient]]:
    clients: list[TestClient] = []

    def make(
        settings: Settings | None = None, *, validate: bool = True, **kwargs: Any
    ) -> TestClient:
        """A client as a test harness is: on a loopback name, and sending the control
        plane's header (tests/http/test_control_guard.py passes ``headers={}``)."""
        app = create_app(settings or Settings(db=":memory:"), clock=clock)
        kwargs.setdefault("base_url", LOCAL)
        kwargs.setdefault("headers", CONTROL)
        client = TestClient(app, **kwargs)
        if validate:
            client.event_hooks = {"request": [], "response": [spec_validator]}
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def strict_client(
    client_factory: Callable[..., TestClient],
    settings_factory: Callable[..., Settings],
    tmp_path: Path,
) -> Callable[[str], TestClient]:
    """``strict_client(text)``: a client of an emulator in strict mode, whose users file
    (``--users``) holds ``text``."""

    def make(text: str) -> TestClient:
        users = tmp_path / "users.json"
        users.write_text(text)
        return client_factory(settings_factory(users=users))

    return make


@pytest.fixture
def client(client_factory: Callable[..., TestClient]) -> TestClient:
    """A signed-in-ready client on a fresh in-memory emulator; responses are spec-checked."""
    return client_factory()
