"""Opportunity import syncs over HTTP, from the request body of Oracle's opportunity
tutorial (reference §12.3), read back through the control plane."""

from __future__ import annotations

from urllib.parse import quote

from tests.routes.bulk import Bulk

# Oracle's "Using the opportunities endpoints", step 2, as printed there
TUTORIAL_DEFINITION = {
    "name": "Opportunity Import",
    "fields": {
        "OpportunityID": "{{Opportunity.Id}}",
        "OpportunityName": "{{Opportunity.Field(Name)}}",
        "AccountName": "{{Opportunity.Field(AccountName)}}",
        "CreatedDate": "{{Opportunity.CreatedAt}}",
        "Amount": "{{Opportunity.Field(Amount)}}",
        "CloseDate": "{{Opportunity.Field(CloseDate)}}",
        "Currency": "{{Opportunity.Field(Currency)}}",
        "ForecastToCloseDate": "{{Opportunity.Field(ForecastToCloseDate)}}",
        "Stage": "{{Opportunity.Field(Stage)}}",
        "Territory": "{{Opportunity.Field(Territory)}}",
        "Owner": "{{Opportunity.Field(Owner)}}",
        "PrimaryCampaignId": "{{Opportunity.Field(PrimaryCampaignId)}}",
    },
    "identifierFieldName": "OpportunityID",
    "isIdentifierFieldCaseSensitive": False,
}
ROW = {
    "OpportunityID": "0064W00000ZzXq1",
    "OpportunityName": "Q4 expansion",
    "AccountName": "Northwind Traders",
    "CreatedDate": "2026-10-01 09:30:00",
    "Amount": "48000",
    "CloseDate": "2026-12-15",
    "Currency": "USD",
    "ForecastToCloseDate": "2026-12-01",
    "Stage": "Negotiation/Review",
    "Territory": "EMEA",
    "Owner": "ada.moreau",
    "PrimaryCampaignId": "42",
}


def test_oracles_opportunity_import_runs_and_the_control_plane_shows_the_opportunity(
    bulk: Bulk,
) -> None:
    uri = bulk.define("/opportunities/imports", TUTORIAL_DEFINITION)
    bulk.stage(uri, [ROW])
    sync = bulk.wait(bulk.sync(uri)["uri"])
    assert sync["status"] == "success"
    assert bulk.logs(sync["uri"])["ELQ-00049"] == 1
    site = bulk.client.get("/id", headers=bulk.headers).json()["site"]["name"]
    path = f"/_emulator/sites/{site}/opportunities/{quote(ROW['OpportunityID'])}"
    response = bulk.client.get(path)
    assert response.status_code == 200
    shown = response.json()
    assert (shown["site"], shown["id"], shown["contacts"]) == (site, ROW["OpportunityID"], [])
    assert shown["fields"]["Name"] == "Q4 expansion"
    assert shown["fields"]["Stage"] == "Negotiation/Review"
    assert shown["fields"]["CreatedDate"] == "2026-10-01 09:30:00"
    link = bulk.define(
        "/opportunities/contacts/imports",
        {
            "name": "Link opportunities to contacts",
            "fields": {
                "OpportunityID": "{{Opportunity.Id}}",
                "ContactEmail": "{{Opportunity.Contact.Field(C_EmailAddress)}}",
            },
            "linkOpportunitiesEntityType": "Contact",
            "linkOpportunitiesMatchFieldName": "ContactEmail",
            "linkOpportunitiesSourceField": "ContactEmail",
        },
    )
    bulk.stage(
        link, [{"OpportunityID": ROW["OpportunityID"], "ContactEmail": "sbrown@example.org"}]
    )
    assert bulk.wait(bulk.sync(link)["uri"])["status"] == "success"
    assert bulk.client.get(path).json()["contacts"] == [1]
    missing = bulk.client.get(f"/_emulator/sites/{site}/opportunities/nope")
    assert missing.status_code == 404
    assert missing.json()["failures"][0]["field"] == "id"
