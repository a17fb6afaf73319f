"""Opportunity imports (reference §12.3, Oracle's opportunity tutorial): upserted on the
CRM's ``{{Opportunity.Id}}``, the required fields enforced, stages checked against the
site's list (ELQ-00039). Read back as the control plane shows them."""

from __future__ import annotations

from typing import Any

from emulator.store import records
from tests.domain.support import Bulk

FIELDS = {
    "OpportunityID": "{{Opportunity.Id}}",
    "OpportunityName": "{{Opportunity.Field(Name)}}",
    "AccountName": "{{Opportunity.Field(AccountName)}}",
    "CreatedDate": "{{Opportunity.CreatedAt}}",
    "Amount": "{{Opportunity.Field(Amount)}}",
    "Stage": "{{Opportunity.Field(Stage)}}",
}
IMPORT = {"name": "Opportunity Import", "fields": FIELDS, "identifierFieldName": "OpportunityID"}


def row(id_: str, **values: str) -> dict[str, str]:
    return {
        "OpportunityID": id_,
        "OpportunityName": f"Deal {id_}",
        "AccountName": "Acme Corp",
        "CreatedDate": "2026-11-02 10:00:00",
        "Amount": "12000",
        "Stage": "Prospecting",
        **values,
    }


def opportunity(bulk: Bulk, id_: str) -> dict[str, Any] | None:
    return bulk.store.read_sync(records.opportunity_state, bulk.principal.site_id, id_)


def test_an_import_creates_opportunities_then_updates_them_by_their_crm_id(bulk: Bulk) -> None:
    uri = bulk.define("opportunities", "imports", IMPORT)["uri"]
    first = bulk.run(uri, [row("006A1"), row("006A2", Stage="Qualification")])
    assert first.status == "success"
    assert bulk.logs(first.id)["ELQ-00049"] == 2
    stored = opportunity(bulk, "006A2")
    assert stored is not None
    assert stored["fields"] == {
        "Name": "Deal 006A2",
        "AccountName": "Acme Corp",
        "CreatedDate": "2026-11-02 10:00:00",
        "Amount": "12000",
        "Stage": "Qualification",
    }
    assert stored["contacts"] == []
    second = bulk.run(uri, [row("006A2", Stage="Closed Won", Amount="15000.50")])
    assert second.status == "success"
    assert bulk.logs(second.id)["ELQ-00049"] == 0  # an update creates nothing
    updated = opportunity(bulk, "006A2")
    assert updated is not None
    assert (updated["fields"]["Stage"], updated["fields"]["Amount"]) == ("Closed Won", "15000.50")
    assert updated["createdAt"] == stored["createdAt"]


def test_an_unknown_stage_rejects_the_row_with_elq_00039(bulk: Bulk) -> None:
    uri = bulk.define("opportunities", "imports", IMPORT)["uri"]
    final = bulk.run(uri, [row("006B1", Stage="closed won"), row("006B2", Stage="Maybe")])
    assert final.status == "warning"
    assert bulk.logs(final.id)["ELQ-00039"] == 1
    [reject] = bulk.rejects(final.id)
    assert reject["statusCode"] == "ELQ-00039"
    assert reject["message"] == "Invalid opportunity stage."
    assert (reject["recordIndex"], reject["invalidFields"]) == (2, ["Stage"])
    assert opportunity(bulk, "006B1") is not None  # stages match ignoring case
    assert opportunity(bulk, "006B2") is None


def test_rows_without_an_id_or_a_required_field_are_rejected(bulk: Bulk) -> None:
    uri = bulk.define("opportunities", "imports", IMPORT)["uri"]
    final = bulk.run(uri, [row(""), row("006C2", OpportunityName=""), row("006C3", Amount="x")])
    assert final.status == "warning"
    codes = {
        r["recordIndex"]: (r["statusCode"], r["invalidFields"]) for r in bulk.rejects(final.id)
    }
    assert codes == {
        1: ("ELQ-00061", ["OpportunityID"]),
        2: ("ELQ-00061", ["OpportunityName"]),
        3: ("ELQ-00040", ["Amount"]),
    }
    assert opportunity(bulk, "006C2") is None
