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


LINKAGE = {
    "name": "Link opportunities",
    "fields": {
        "OpportunityID": "{{Opportunity.Id}}",
        "Email": "{{Opportunity.Contact.Field(C_EmailAddress)}}",
    },
    "linkOpportunitiesEntityType": "Contact",
    "linkOpportunitiesMatchFieldName": "Email",
    "linkOpportunitiesSourceField": "Email",
}
BY_ACCOUNT = {
    "name": "Link through accounts",
    "fields": {
        "OpportunityID": "{{Opportunity.Id}}",
        "Company": "{{Opportunity.Account.Field(M_CompanyName)}}",
    },
    "linkOpportunitiesEntityType": "Account",
    "linkOpportunitiesMatchFieldName": "Company",
    "linkOpportunitiesSourceField": "Company",
    "linkOpportunitiesMultipleSourceMatches": True,
}


def test_linkage_links_opportunities_to_contacts_and_rejects_what_it_cannot(bulk: Bulk) -> None:
    bulk.run(bulk.define("opportunities", "imports", IMPORT)["uri"], [row("006L1")])
    uri = bulk.define("opportunityContacts", "imports", LINKAGE)["uri"]
    final = bulk.run(
        uri,
        [
            {"OpportunityID": "006L1", "Email": "SBROWN@example.org"},  # contact 1, any case
            {"OpportunityID": "006XX", "Email": "sbrown@example.org"},
            {"OpportunityID": "006L1", "Email": "nobody@example.org"},
            {"OpportunityID": "", "Email": "sbrown@example.org"},
        ],
    )
    assert final.status == "warning"
    logs = bulk.logs(final.id)
    assert (logs["ELQ-00001"], logs["ELQ-00084"], logs["ELQ-00085"], logs["ELQ-00061"]) == (
        4,
        1,
        1,
        1,
    )
    rejects = {r["recordIndex"]: (r["statusCode"], r["message"]) for r in bulk.rejects(final.id)}
    assert rejects == {
        2: ("ELQ-00084", "Opportunity does not exist."),
        3: ("ELQ-00085", "Contact does not exist."),
        4: ("ELQ-00061", "Missing required field."),
    }
    linked = opportunity(bulk, "006L1")
    assert linked is not None
    assert linked["contacts"] == [1]


def test_linkage_through_an_account_links_every_contact_of_it(bulk: Bulk) -> None:
    bulk.run(bulk.define("opportunities", "imports", IMPORT)["uri"], [row("006M1")])
    uri = bulk.define("opportunityContacts", "imports", BY_ACCOUNT)["uri"]
    final = bulk.run(uri, [{"OpportunityID": "006M1", "Company": "Cyberdyne GmbH"}])
    assert final.status == "success"
    linked = opportunity(bulk, "006M1")
    assert linked is not None
    assert linked["contacts"] == [1, 110, 121, 199, 245]  # the fixture account 57's contacts
    single = bulk.define(
        "opportunityContacts",
        "imports",
        {**BY_ACCOUNT, "name": "first only", "linkOpportunitiesMultipleSourceMatches": False},
    )["uri"]
    bulk.run(bulk.define("opportunities", "imports", IMPORT)["uri"], [row("006M2")])
    bulk.run(single, [{"OpportunityID": "006M2", "Company": "Cyberdyne GmbH"}])
    first = opportunity(bulk, "006M2")
    assert first is not None
    assert first["contacts"] == [1]
