"""Steps every scenario repeats: define, stage, sync and wait, over HTTP."""

from __future__ import annotations

from typing import Any

import httpx

from contract_tests.target import Target
from contract_tests.waiting import wait_until

# The statuses a sync ends in (reference §9.2); the one definition the kit, the project's
# tests and the benchmarks share.
TERMINAL = ("success", "warning", "error")


def define(bulk: httpx.Client, created: list[str], path: str, body: dict[str, Any]) -> str:
    response = bulk.post(path, json=body)
    assert response.status_code == 201, response.text
    uri = str(response.json()["uri"])
    created.append(uri)
    return uri


def sync_and_wait(bulk: httpx.Client, uri: str, target: Target) -> dict[str, Any]:
    """Create a sync and poll it as clients do until it ends: briskly on the emulator, every
    5 s for up to 10 minutes on a pod."""
    every, timeout = (0.05, 30.0) if target.is_emulator else (5.0, 600.0)
    response = bulk.post("/syncs", json={"syncedInstanceUri": uri})
    assert response.status_code == 201, response.text
    sync = response.json()
    assert sync["status"] == "pending"

    def ended() -> dict[str, Any] | None:
        item = bulk.get(sync["uri"]).json()
        return dict(item) if item["status"] in TERMINAL else None

    return wait_until(ended, timeout=timeout, every=every, message=f"{sync['uri']} did not end")
