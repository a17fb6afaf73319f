"""Progression policies at run time (``/_emulator/progression``): what ``GET /syncs/{id}``
shows follows the sync's own policy, else its site's, else the global one, which is
``--sync-progression`` until set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from contract_tests.waiting import wait_until
from emulator import Settings, create_app
from emulator.testing import serve_app
from tests.routes.bulk import Bulk

IMPORT = {
    "name": "i",
    "fields": {"email": "{{Contact.Field(C_EmailAddress)}}"},
    "identifierFieldName": "email",
}
CONTROL = {"X-Emulator-Control": "1"}


def put(bulk: Bulk, expect: int = 200, **body: Any) -> dict[str, Any]:
    response = bulk.client.put("/_emulator/progression", json=body)
    assert response.status_code == expect, response.text
    return dict(response.json())


def delete(bulk: Bulk, expect: int = 200, **params: str) -> dict[str, Any]:
    response = bulk.client.delete("/_emulator/progression", params=params, headers=CONTROL)
    assert response.status_code == expect, response.text
    return dict(response.json())


def shown(bulk: Bulk) -> dict[str, Any]:
    response = bulk.client.get("/_emulator/progression")
    assert response.status_code == 200
    return dict(response.json())


def ran(bulk: Bulk, count: int) -> list[str]:
    """``count`` import syncs, run by the worker (whatever clients are shown of them)."""
    uri = bulk.define("/contacts/imports", IMPORT)
    synced = []
    worker = bulk.emulator.worker
    for _ in range(count):
        done = worker.completed + 1

        def finished(done: int = done) -> bool:
            return bool(worker.completed >= done)

        sync = bulk.sync(uri)["uri"]
        wait_until(finished, timeout=10, message="no sync ran")
        synced.append(sync)
    return synced


def statuses(bulk: Bulk, sync_uri: str, reads: int) -> list[str]:
    return [bulk.get(sync_uri)["status"] for _ in range(reads)]


@pytest.fixture
def acme(bulk_factory) -> Bulk:
    bulk = bulk_factory(sync_progression="immediate")
    bulk.sign_in()
    return bulk


def test_with_nothing_set_the_global_policy_is_the_start_up_one(bulk_factory) -> None:
    bulk = bulk_factory(sync_progression="polls:2")
    assert shown(bulk) == {"policy": "polls:2", "default": "polls:2", "overrides": []}


def test_a_sync_follows_its_own_policy_then_its_sites_then_the_global_one(acme: Bulk) -> None:
    globex = Bulk(acme.client, site="Globex", user="hank")
    globex.sign_in()
    plain, own = ran(acme, 2)
    [elsewhere] = ran(globex, 1)
    put(acme, policy="manual")
    put(acme, policy="polls:2", site="Acme")
    document = put(acme, policy="immediate", site="acme", sync=own)
    assert document == {
        "policy": "manual",
        "default": "immediate",
        "overrides": [
            {"site": "Acme", "policy": "polls:2"},
            {"site": "Acme", "sync": own, "policy": "immediate"},
        ],
    }
    assert shown(acme) == document
    listed = {i["uri"]: i["status"] for i in acme.get("/syncs")["items"]}
    assert listed == {plain: "pending", own: "success"}  # a list counts no reads
    assert statuses(acme, own, 1) == ["success"]
    assert statuses(acme, plain, 5) == ["pending", "pending", "active", "active", "success"]
    assert statuses(globex, elsewhere, 3) == ["pending"] * 3


def test_dropping_overrides_falls_back_to_the_next_policy(acme: Bulk) -> None:
    put(acme, policy="manual")
    first, second = ran(acme, 2)
    put(acme, policy="immediate", site="Acme")
    put(acme, policy="polls:3", site="Acme", sync=first)
    after_sync = delete(acme, site="Acme", sync=first)
    assert after_sync["overrides"] == [{"site": "Acme", "policy": "immediate"}]
    assert statuses(acme, first, 1) == ["success"]  # the site's policy again
    after_site = delete(acme, site="Acme")
    assert after_site["overrides"] == []
    assert statuses(acme, second, 2) == ["pending", "pending"]  # the global policy: manual
    assert delete(acme) == {"policy": "immediate", "default": "immediate", "overrides": []}
    assert statuses(acme, second, 1) == ["success"]


def test_the_global_policy_applies_to_syncs_under_way(acme: Bulk) -> None:
    [sync] = ran(acme, 1)
    put(acme, policy="polls:1")
    assert statuses(acme, sync, 3) == ["pending", "active", "success"]


def test_what_a_client_has_seen_is_not_taken_back(acme: Bulk) -> None:
    [sync] = ran(acme, 1)
    assert statuses(acme, sync, 1) == ["success"]
    put(acme, policy="manual", site="Acme", sync=sync)
    assert statuses(acme, sync, 1) == ["success"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"policy": "sometimes"}, "policy"),
        ({"policy": "polls:0"}, "policy"),
        ({"policy": "polls:1.5"}, "policy"),
        ({"policy": 3}, "policy"),
        ({}, "policy"),
        ({"policy": "manual", "sync": "/syncs/1"}, "sync"),
        ({"policy": "manual", "site": "Acme", "sync": "12"}, "sync"),
        ({"policy": "manual", "site": ""}, "site"),
        ({"policy": "manual", "colour": "red"}, "colour"),
    ],
)
def test_a_malformed_policy_is_refused_on_its_key(
    acme: Bulk, body: dict[str, Any], field: str
) -> None:
    refused = put(acme, 400, **body)
    assert [f["field"] for f in refused["failures"]] == [field]
    assert shown(acme)["policy"] == "immediate"


def test_unknown_sites_and_syncs_are_404(acme: Bulk) -> None:
    site = put(acme, 404, policy="manual", site="Nowhere")
    assert site["failures"][0]["field"] == "site"
    sync = put(acme, 404, policy="manual", site="Acme", sync="/syncs/99")
    assert sync["failures"][0]["value"] == "/syncs/99"
    missing = delete(acme, 404, site="Acme")
    assert missing["failures"] == [
        {"field": "site", "constraint": "No policy is set for this site.", "value": "Acme"}
    ]
    assert delete(acme, 404, site="Acme", sync="/syncs/5")["failures"][0]["field"] == "sync"
    assert delete(acme, 400, sync="/syncs/5")["failures"][0]["field"] == "sync"
    assert delete(acme, 404, site="Nowhere")["failures"][0]["field"] == "site"


def test_a_reset_forgets_site_and_sync_policies_but_not_the_global_one(acme: Bulk) -> None:
    [sync] = ran(acme, 1)
    put(acme, policy="polls:4")
    put(acme, policy="manual", site="Acme")
    put(acme, policy="manual", site="Acme", sync=sync)
    assert acme.client.post("/_emulator/reset", headers=CONTROL).status_code == 200
    assert shown(acme) == {"policy": "polls:4", "default": "immediate", "overrides": []}


def test_under_immediate_the_first_poll_shows_the_end(tmp_path: Path) -> None:
    """A poll of a sync the worker is running waits for it (up to ``SETTLE``), so a client
    under ``immediate`` sees the end on its first read, however fast it asks."""
    settings = Settings(db=str(tmp_path / "e.db"), sync_progression="immediate")
    with (
        serve_app(create_app(settings), settings=settings) as url,
        httpx.Client(base_url=url + "/api/bulk/2.0", auth=("Acme\\jane", "pw")) as client,
    ):
        uri = client.post("/contacts/imports", json=IMPORT).json()["uri"]
        first = []
        for n in range(30):
            staged = client.post(f"{uri}/data", json=[{"email": f"first-poll-{n}@example.com"}])
            assert staged.status_code == 204
            sync = client.post("/syncs", json={"syncedInstanceUri": uri}).json()["uri"]
            first.append(client.get(sync).json()["status"])
    assert first == ["success"] * 30


def test_a_paused_worker_is_not_waited_for(bulk: Bulk) -> None:
    uri = bulk.define("/contacts/imports", IMPORT)
    bulk.emulator.worker.paused = True
    sync = bulk.sync(uri)["uri"]
    assert [bulk.get(sync)["status"] for _ in range(3)] == ["pending"] * 3
