"""Export paging, as connectors read data: export contacts, then walk ``/syncs/{id}/data``
with ``limit`` and ``offset`` until ``hasMore`` is false. Creates a definition (deleted at
the end) but writes no records, so it runs on a pod too."""

from __future__ import annotations

import httpx

from contract_tests.flows import define, sync_and_wait
from contract_tests.target import Target


def test_paging_walks_every_exported_row_once(
    bulk: httpx.Client, created: list[str], run_id: str, target: Target
) -> None:
    uri = define(
        bulk,
        created,
        "/contacts/exports",
        {
            "name": f"contract-{run_id}-paging",
            "maxRecords": 25,
            "fields": {"id": "{{Contact.Id}}", "email": "{{Contact.Field(C_EmailAddress)}}"},
        },
    )
    sync = sync_and_wait(bulk, uri, target)
    assert sync["status"] == "success"
    seen: list[str] = []
    offset = 0
    while True:
        page = bulk.get(sync["uri"] + "/data", params={"limit": 10, "offset": offset}).json()
        items = page.get("items", [])
        assert page["count"] == len(items)
        assert page["offset"] == offset
        assert all(isinstance(v, str) for item in items for v in item.values())
        seen += [item["id"] for item in items]
        if not page["hasMore"]:
            break
        offset += 10
    assert len(seen) == len(set(seen)) == page["totalResults"] <= 25
