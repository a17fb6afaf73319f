"""The sync operations a connector uses, in order: create a sync, poll it, find it in the
list of syncs (``orderBy``, ``limit``, ``offset``, ``totalResults``, ``q``), read its logs
and its data. Creates an export definition (deleted at the end) and writes no records, so it
runs on a pod too."""

from __future__ import annotations

from typing import Any

import httpx

from contract_tests.flows import define, sync_and_wait
from contract_tests.target import Target


def export_sync(bulk: httpx.Client, created: list[str], run_id: str, target: Target) -> Any:
    uri = define(
        bulk,
        created,
        "/contacts/exports",
        {
            "name": f"contract-{run_id}-syncs",
            "maxRecords": 3,
            "fields": {"id": "{{Contact.Id}}"},
        },
    )
    return sync_and_wait(bulk, uri, target)


def test_a_finished_sync_is_listed_newest_first_and_read_back(
    bulk: httpx.Client, created: list[str], run_id: str, target: Target
) -> None:
    sync = export_sync(bulk, created, run_id, target)
    assert sync["status"] == "success"
    assert sync["syncStartedAt"] <= sync["syncEndedAt"]

    newest = bulk.get("/syncs", params={"orderBy": "createdAt DESC", "limit": 100}).json()
    uris = [item["uri"] for item in newest["items"]]
    assert sync["uri"] in uris
    created_at = [item["createdAt"] for item in newest["items"]]
    assert created_at == sorted(created_at, reverse=True)
    assert newest["totalResults"] >= len(uris)

    second = bulk.get("/syncs", params={"orderBy": "createdAt DESC", "limit": 1, "offset": 1})
    page = second.json()
    assert (page["limit"], page["offset"], page["count"]) == (1, 1, len(page.get("items", [])))
    if newest["totalResults"] > 1:
        assert page["items"][0]["uri"] == uris[1]

    untotalled = bulk.get("/syncs", params={"limit": 1, "totalResults": "false"}).json()
    assert "totalResults" not in untotalled

    succeeded = bulk.get("/syncs", params={"q": "status=success", "limit": 100}).json()
    assert {item["status"] for item in succeeded["items"]} == {"success"}

    logs = bulk.get(sync["uri"] + "/logs").json()
    codes = [item["statusCode"] for item in logs["items"]]
    assert "ELQ-00102" in codes  # "Successfully exported members to csv file."
    assert all(item["syncUri"] == sync["uri"] for item in logs["items"])

    data = bulk.get(sync["uri"] + "/data").json()
    assert data["count"] == len(data.get("items", [])) <= 3


def test_an_unknown_sync_is_404(bulk: httpx.Client) -> None:
    response = bulk.get("/syncs/999999999")
    assert response.status_code == 404
