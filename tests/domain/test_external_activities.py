"""External activity imports (reference §12.1): each row creates an activity of an
external asset type the site knows, creating the asset the first time; the activities
come back in activity exports."""

from __future__ import annotations

from tests.domain.support import Bulk

FIELDS = {
    "C_EmailAddress": "{{Activity.Contact.Field(C_EmailAddress)}}",
    "CampaignID": "{{Activity.Campaign.Id}}",
    "AssetName": "{{Activity.Asset.Name}}",
    "AssetType": "{{Activity.Asset.Type}}",
    "AssetDate": "{{Activity.CreatedAt}}",
    "ActivityType": "{{Activity.Type}}",
}
IMPORT = {"name": "booth visits", "fields": FIELDS}
EXPORTED = {
    "id": "{{Activity.Id}}",
    "type": "{{Activity.Type}}",
    "contact": "{{Activity.Contact.Id}}",
    "asset": "{{Activity.Asset.Name}}",
    "assetType": "{{Activity.Asset.Type}}",
    "campaign": "{{Activity.Campaign.Id}}",
    "date": "{{Activity.CreatedAt}}",
}


def row(**values: str) -> dict[str, str]:
    return {
        "C_EmailAddress": "sbrown@example.org",  # fixture contact 1
        "CampaignID": "101",
        "AssetName": "Summit 2027 booth",
        "AssetType": "Tradeshow",
        "AssetDate": "2027-01-10 14:30:00",
        "ActivityType": "Visited Booth",
        **values,
    }


def test_imported_activities_are_exported_by_their_type(bulk: Bulk) -> None:
    uri = bulk.define("activities", "imports", IMPORT)["uri"]
    final = bulk.run(uri, [row(), row(AssetDate="2027-01-11 09:00:00")])
    assert final.status == "success"
    logs = bulk.logs(final.id)
    assert (logs["ELQ-00069"], logs["ELQ-00068"]) == (2, 1)  # one asset, created once
    exported = bulk.export(
        "activities",
        EXPORTED,
        filter="'{{Activity.Type}}' = 'Visited Booth'",
        areSystemTimestampsInUTC=True,
    )
    assert [(a["type"], a["contact"], a["asset"], a["campaign"]) for a in exported] == [
        ("Visited Booth", "1", "Summit 2027 booth", "101"),
        ("Visited Booth", "1", "Summit 2027 booth", "101"),
    ]
    assert [a["date"] for a in exported] == ["2027-01-10 14:30:00.000", "2027-01-11 09:00:00.000"]
    again = bulk.run(uri, [row(ActivityType="attended")])
    assert bulk.logs(again.id)["ELQ-00068"] == 0  # the asset exists now; types ignore case


def test_rows_naming_unknown_types_campaigns_or_contacts_are_rejected(bulk: Bulk) -> None:
    uri = bulk.define("activities", "imports", {**IMPORT, "identifierFieldName": "C_EmailAddress"})[
        "uri"
    ]
    final = bulk.run(
        uri,
        [
            row(AssetType="Billboard"),
            row(ActivityType="Danced"),
            row(CampaignID="999999"),
            row(C_EmailAddress="nobody@nowhere.example"),
            row(AssetName=""),
            row(),
        ],
    )
    assert final.status == "warning"
    codes = {
        r["recordIndex"]: (r["statusCode"], r["invalidFields"]) for r in bulk.rejects(final.id)
    }
    assert codes == {
        1: ("ELQ-00072", ["AssetType"]),
        2: ("ELQ-00070", ["ActivityType"]),
        3: ("ELQ-00055", ["CampaignID"]),
        4: ("ELQ-00085", ["C_EmailAddress"]),
        5: ("ELQ-00061", ["AssetName"]),
    }
    logs = bulk.logs(final.id)
    assert logs["ELQ-00069"] == 1
    assert "ELQ-00123" in logs  # the identifier is ignored: activities are never updated
