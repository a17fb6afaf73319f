"""A small driver for tests: definitions, staging and syncs over the test client."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from contract_tests.flows import TERMINAL
from contract_tests.waiting import wait_until
from tests.conftest import basic

BULK = "/api/bulk/2.0"


class Bulk:
    def __init__(self, client: TestClient, site: str = "Acme", user: str = "jane") -> None:
        self.client = client
        self.headers = basic(site, user)

    @property
    def emulator(self) -> Any:
        """The app's state: store, worker, settings."""
        return getattr(self.client.app, "state").emulator  # noqa: B009 (ASGI app type)

    def sign_in(self) -> None:
        """Make the site exist, as a first sign-in does: the control plane's AppCloud calls
        name a site that must exist."""
        self.get("/contacts/fields", limit=1)

    def get(self, path: str, **params: Any) -> Any:
        response = self.client.get(BULK + path, params=params, headers=self.headers)
        assert response.status_code == 200, response.text
        return response.json()

    def define(self, path: str, body: dict[str, Any]) -> str:
        response = self.client.post(BULK + path, json=body, headers=self.headers)
        assert response.status_code == 201, response.text
        return str(response.json()["uri"])

    def stage(self, uri: str, rows: Any, *, status: int = 204, **kwargs: Any) -> Any:
        response = self.client.post(BULK + uri + "/data", json=rows, headers=self.headers, **kwargs)
        assert response.status_code == status, response.text
        return response

    def sync(self, uri: str, **extra: Any) -> dict[str, Any]:
        response = self.client.post(
            BULK + "/syncs", json={"syncedInstanceUri": uri, **extra}, headers=self.headers
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    def wait(self, sync_uri: str, timeout: float = 20.0) -> dict[str, Any]:
        def ended() -> dict[str, Any] | None:
            item = self.get(sync_uri)
            return dict(item) if item["status"] in TERMINAL else None

        return wait_until(ended, timeout=timeout, message=f"{sync_uri} did not end")

    def run(self, uri: str, rows: Any) -> dict[str, Any]:
        """Stage, sync, wait: the whole import flow."""
        self.stage(uri, rows)
        return self.wait(self.sync(uri)["uri"])

    def logs(self, sync_uri: str) -> dict[str, int]:
        return {i["statusCode"]: i["count"] for i in self.get(sync_uri + "/logs")["items"]}

    def rejects(self, sync_uri: str) -> list[dict[str, Any]]:
        return list(self.get(sync_uri + "/rejects")["items"])
