"""The other imports of Oracle's tutorials, request for request: an account import with
``linkUsers`` and a custom object import (the first custom object of the site, its required
text fields, matched on the external id). The opportunity import, uploaded and synced, is in
``test_families``. They write records, so on a pod they need ``--allow-pod-writes``."""

from __future__ import annotations

import httpx
import pytest

from contract_tests.flows import define, sync_and_wait
from contract_tests.target import Target

TEXT_TYPES = ("string", "text", "largeText")


def stage(bulk: httpx.Client, uri: str, rows: list[dict[str, str]]) -> None:
    response = bulk.post(uri + "/data", json=rows)
    assert response.status_code == 204, response.text
    assert response.content == b""


@pytest.mark.writes_pod_data
def test_account_import_with_link_users(
    bulk: httpx.Client, created: list[str], run_id: str, target: Target
) -> None:
    uri = define(
        bulk,
        created,
        "/accounts/imports",
        {
            "name": f"contract-{run_id}-accounts",
            "fields": {
                "company": "{{Account.Field(M_CompanyName)}}",
                "country": "{{Account.Field(M_Country)}}",
            },
            "identifierFieldName": "company",
            "linkUsers": True,
        },
    )
    assert bulk.get(uri).json()["linkUsers"] is True
    stage(bulk, uri, [{"company": f"Contract {run_id} Ltd", "country": "Ireland"}])
    sync = sync_and_wait(bulk, uri, target)
    assert sync["status"] == "success"
    logs = {i["statusCode"]: i["count"] for i in bulk.get(sync["uri"] + "/logs").json()["items"]}
    assert logs["ELQ-00130"] == 1  # rows staged


@pytest.mark.writes_pod_data
def test_custom_object_import_on_the_external_id(
    bulk: httpx.Client, created: list[str], run_id: str, target: Target
) -> None:
    objects = bulk.get("/customObjects", params={"limit": 1}).json().get("items", [])
    if not objects:
        pytest.skip("the site has no custom object")
    parent = objects[0]["uri"]
    fields = bulk.get(parent + "/fields", params={"limit": 1000}).json()["items"]
    written = [f for f in fields if f["hasNotNullConstraint"]] or [
        f for f in fields if f["dataType"] in TEXT_TYPES
    ][:1]
    if not written or any(f["dataType"] not in TEXT_TYPES for f in written):
        pytest.skip(f"{parent} needs values this scenario cannot make up")
    uri = define(
        bulk,
        created,
        parent + "/imports",
        {
            "name": f"contract-{run_id}-records",
            "fields": {
                "external": parent_statement(parent),
                **{f"f{n}": f["statement"] for n, f in enumerate(written)},
            },
            "identifierFieldName": "external",
        },
    )
    row = {"external": f"contract-{run_id}"} | {
        f"f{n}": f"contract-{run_id}-{n}" for n in range(len(written))
    }
    stage(bulk, uri, [row])
    sync = sync_and_wait(bulk, uri, target)
    assert sync["status"] == "success"


def parent_statement(parent: str) -> str:
    """``{{CustomObject[<id>].ExternalId}}`` for ``/customObjects/<id>``."""
    return "{{CustomObject[" + parent.rsplit("/", 1)[1] + "].ExternalId}}"
