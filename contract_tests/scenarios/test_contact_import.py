"""Contact import, as Oracle's tutorial runs it: define an import with an e-mail identifier,
stage rows (one with an invalid e-mail), sync, poll, read the logs and rejects, then read the
good rows back through an export."""

from __future__ import annotations

import httpx
import pytest

from contract_tests.flows import define, sync_and_wait
from contract_tests.target import Target

EMAIL = "{{Contact.Field(C_EmailAddress)}}"
FIRST = "{{Contact.Field(C_FirstName)}}"


@pytest.mark.writes_pod_data
def test_import_with_a_bad_row_ends_in_warning_and_keeps_the_good_rows(
    bulk: httpx.Client, created: list[str], run_id: str, target: Target
) -> None:
    uri = define(
        bulk,
        created,
        "/contacts/imports",
        {
            "name": f"contract-{run_id}-import",
            "fields": {"email": EMAIL, "first": FIRST},
            "identifierFieldName": "email",
        },
    )
    rows = [
        {"email": f"contract-{run_id}-a@example.com", "first": "Zoë"},
        {"email": "not-an-email", "first": "Bad"},
        {"email": f"contract-{run_id}-b@example.com", "first": "José"},
    ]
    staged = bulk.post(uri + "/data", json=rows)
    assert staged.status_code == 204
    assert staged.content == b""
    sync = sync_and_wait(bulk, uri, target)
    assert sync["status"] == "warning"
    logs = {i["statusCode"]: i for i in bulk.get(sync["uri"] + "/logs").json()["items"]}
    assert logs["ELQ-00130"]["count"] == 3
    rejects = bulk.get(sync["uri"] + "/rejects").json()
    assert rejects["totalResults"] == 1
    reject = rejects["items"][0]
    assert reject["recordIndex"] == 2
    assert reject["invalidFields"] == ["email"]
    assert reject["fieldValues"] == {"email": "not-an-email", "first": "Bad"}

    export = define(
        bulk,
        created,
        "/contacts/exports",
        {
            "name": f"contract-{run_id}-readback",
            "fields": {"email": EMAIL, "first": FIRST},
            "filter": f"'{EMAIL}' ~ 'contract-{run_id}-%'",
        },
    )
    done = sync_and_wait(bulk, export, target)
    assert done["status"] == "success"
    items = bulk.get(done["uri"] + "/data").json()["items"]
    assert sorted(i["first"] for i in items) == ["José", "Zoë"]
