"""Export syncs and reading their data (reference §7, §11): a fixed snapshot in record
order, every value a string, paged by limit and offset, JSON or CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.conftest import ROOT, basic
from tests.routes.bulk import BULK, Bulk

FIXTURES = ROOT / "fixtures"


def lines(path: str) -> list[dict]:
    return [json.loads(line) for line in (FIXTURES / path).read_text().splitlines() if line]


CONTACTS = lines("contacts/records.jsonl")
LISTS = {item["uri"]: item for item in json.loads((FIXTURES / "contacts/lists.json").read_text())}


def export(bulk: Bulk, body: dict, path: str = "/contacts/exports") -> dict:
    uri = bulk.define(path, {"name": "export", **body})
    return bulk.wait(bulk.sync(uri)["uri"])


def data(bulk: Bulk, sync: dict, **params) -> dict:
    return bulk.get(sync["uri"] + "/data", **params)


def test_filtered_export_returns_exactly_the_matching_contacts_in_id_order(bulk) -> None:
    members = set(LISTS["/contacts/lists/12"]["_members"])
    expected = [
        c
        for c in CONTACTS
        if c["id"] in members and c["fields"].get("C_Country", "").lower() == "germany"
    ]
    sync = export(
        bulk,
        {
            "fields": {"id": "{{Contact.Id}}", "email": "{{Contact.Field(C_EmailAddress)}}"},
            "filter": "'{{Contact.Field(C_Country)}}' = 'GERMANY' AND "
            "EXISTS('{{ContactList[12]}}')",
        },
    )
    assert sync["status"] == "success"
    page = data(bulk, sync)
    assert page["items"] == [
        {"id": str(c["id"]), "email": c["fields"]["C_EmailAddress"]} for c in expected
    ]
    assert page["totalResults"] == len(expected) > 0
    logs = bulk.get(sync["uri"] + "/logs")["items"]
    assert [(e["statusCode"], e["count"]) for e in logs][:2] == [
        ("ELQ-00102", len(expected)),
        ("ELQ-00131", 0),
    ]
    assert logs[0]["message"] == "Successfully exported members to csv file."
    assert [e["statusCode"] for e in logs] == ["ELQ-00102", "ELQ-00131", "ELQ-00106", "ELQ-00101"]


def test_every_value_is_a_string_and_empty_is_blank(bulk) -> None:
    sync = export(
        bulk,
        {
            "fields": {
                "id": "{{Contact.Id}}",
                "email": "{{Contact.Field(C_EmailAddress)}}",
                "again": "{{Contact.Field(C_EmailAddress)}}",
                "fax": "{{Contact.Field(C_Fax)}}",
                "subscribed": "{{Contact.Email.IsSubscribed}}",
                "bounced": "{{Contact.Email.IsBounced}}",
                "company": "{{Contact.Account.Field(M_CompanyName)}}",
                "created": "{{Contact.CreatedAt}}",
            },
            "areSystemTimestampsInUTC": "true",
            "maxRecords": 3,
        },
    )
    items = data(bulk, sync)["items"]
    assert len(items) == 3
    first = CONTACTS[0]
    row = items[0]
    assert all(isinstance(v, str) for item in items for v in item.values())
    assert row["email"] == row["again"] == first["fields"]["C_EmailAddress"]
    assert row["fax"] == first["fields"].get("C_Fax", "")
    assert row["subscribed"] == ("true" if first["isSubscribed"] else "false")
    assert row["company"] == first["fields"]["C_Company"]
    created = first["createdAt"]
    assert row["created"] == f"{created[:10]} {created[11:23]}"


def test_timestamps_are_in_eloqua_time_unless_utc(bulk) -> None:
    fields = {"created": "{{Contact.CreatedAt}}"}
    eastern = data(bulk, export(bulk, {"fields": fields, "maxRecords": 1}))["items"][0]
    utc = data(
        bulk, export(bulk, {"fields": fields, "maxRecords": 1, "areSystemTimestampsInUTC": True})
    )["items"][0]
    assert eastern["created"] != utc["created"]
    assert int(utc["created"][11:13]) - int(eastern["created"][11:13]) in (4, 5, -19, -20)


def test_data_is_a_fixed_snapshot(bulk) -> None:
    fields = {"email": "{{Contact.Field(C_EmailAddress)}}", "city": "{{Contact.Field(C_City)}}"}
    before = export(bulk, {"fields": fields, "filter": "'{{Contact.Id}}' = '1'"})
    importer = bulk.define(
        "/contacts/imports", {"name": "i", "fields": fields, "identifierFieldName": "email"}
    )
    bulk.run(importer, [{"email": CONTACTS[0]["fields"]["C_EmailAddress"], "city": "Bonn"}])
    assert data(bulk, before)["items"][0]["city"] == CONTACTS[0]["fields"]["C_City"]
    after = export(bulk, {"fields": fields, "filter": "'{{Contact.Id}}' = '1'"})
    assert data(bulk, after)["items"][0]["city"] == "Bonn"


def test_paging_walks_the_snapshot(bulk) -> None:
    sync = export(bulk, {"fields": {"id": "{{Contact.Id}}"}})
    seen, offset = [], 0
    while True:
        page = data(bulk, sync, limit=70, offset=offset)
        seen += [int(i["id"]) for i in page["items"]]
        assert page["hasMore"] == (offset + page["count"] < page["totalResults"])
        if not page["hasMore"]:
            break
        offset += 70
    assert seen == [c["id"] for c in CONTACTS]
    no_total = data(bulk, sync, limit=299, totalResults="false")
    assert "totalResults" not in no_total
    assert no_total["hasMore"] is True


def test_an_empty_data_page_omits_items(bulk) -> None:
    sync = export(bulk, {"fields": {"id": "{{Contact.Id}}"}, "filter": "'{{Contact.Id}}' = '0'"})
    assert data(bulk, sync) == {
        "totalResults": 0,
        "limit": 1000,
        "offset": 0,
        "count": 0,
        "hasMore": False,
    }


@pytest.mark.parametrize("limit", ["0", "50001", "x"])
def test_data_limit_is_1_to_50000(bulk, limit) -> None:
    sync = export(bulk, {"fields": {"id": "{{Contact.Id}}"}})
    response = bulk.client.get(
        BULK + sync["uri"] + "/data", params={"limit": limit}, headers=bulk.headers
    )
    assert response.status_code == 400
    assert response.json()["failures"][0]["constraint"] == "Must be an integer between 1 and 50000."
    assert data(bulk, sync, limit=50000)["count"] == len(CONTACTS)


def test_csv_when_asked_for(bulk) -> None:
    sync = export(
        bulk,
        {
            "fields": {"id": "{{Contact.Id}}", "first": "{{Contact.Field(C_FirstName)}}"},
            "maxRecords": 5,
        },
    )
    response = bulk.client.get(
        BULK + sync["uri"] + "/data", headers={**bulk.headers, "Accept": "text/csv"}
    )
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["id", "first"]
    assert rows[1] == ["1", CONTACTS[0]["fields"]["C_FirstName"]]
    assert len(rows) == 6


def test_import_sync_data_is_400_other_users_403(bulk) -> None:
    importer = bulk.define(
        "/contacts/imports",
        {
            "name": "i",
            "fields": {"e": "{{Contact.Field(C_EmailAddress)}}"},
            "identifierFieldName": "e",
        },
    )
    sync = bulk.wait(bulk.sync(importer)["uri"])
    response = bulk.client.get(BULK + sync["uri"] + "/data", headers=bulk.headers)
    assert response.status_code == 400
    mine = export(bulk, {"fields": {"id": "{{Contact.Id}}"}})
    response = bulk.client.get(BULK + mine["uri"] + "/data", headers=basic("Acme", "john"))
    assert response.status_code == 403
    assert response.json()["failures"][0]["constraint"] == (
        "Only the user who synchronized an export can retrieve its data."
    )


def test_data_expires_with_the_retention_and_can_be_deleted(bulk, clock) -> None:
    sync = export(bulk, {"fields": {"id": "{{Contact.Id}}"}, "dataRetentionDuration": "PT1H"})
    clock.advance(3601)
    assert bulk.client.get(BULK + sync["uri"] + "/data", headers=bulk.headers).status_code == 404
    other = export(bulk, {"fields": {"id": "{{Contact.Id}}"}})
    assert (
        bulk.client.delete(BULK + other["uri"] + "/data", headers=bulk.headers).status_code == 204
    )
    assert bulk.client.get(BULK + other["uri"] + "/data", headers=bulk.headers).status_code == 404


def test_definition_data_serves_the_latest_sync(bulk) -> None:
    uri = bulk.define("/contacts/exports", {"name": "d", "fields": {"id": "{{Contact.Id}}"}})
    empty = bulk.get(uri + "/data")
    assert "items" not in empty
    bulk.wait(bulk.sync(uri)["uri"])
    page = bulk.get(uri + "/data", limit=1)
    assert page["items"] == [{"id": "1"}]
    assert page["totalResults"] == len(CONTACTS)
    assert bulk.client.delete(BULK + uri + "/data", headers=bulk.headers).status_code == 204


def test_activity_export_by_type_and_date(bulk) -> None:
    activities = lines("activities/records.jsonl")
    expected = [
        a for a in activities if a["type"] == "EmailOpen" and a["createdAt"] >= "2025-01-01"
    ]
    sync = export(
        bulk,
        {
            "fields": {
                "id": "{{Activity.Id}}",
                "type": "{{Activity.Type}}",
                "asset": "{{Activity.Asset.Name}}",
                "campaign": "{{Activity.Campaign.Id}}",
                "email": "{{Activity.Field(EmailAddress)}}",
                "contactEmail": "{{Activity.Contact.Field(C_EmailAddress)}}",
            },
            "areSystemTimestampsInUTC": True,
            "filter": "'{{Activity.Type}}' = 'EmailOpen' AND "
            "'{{Activity.CreatedAt}}' >= '2025-01-01 00:00:00'",
        },
        "/activities/exports",
    )
    items = data(bulk, sync)["items"]
    assert [int(i["id"]) for i in items] == [a["id"] for a in expected]
    assert items[0]["asset"] == expected[0]["assetName"]
    assert items[0]["campaign"] == str(expected[0]["campaignId"] or "")


def test_custom_object_export(bulk) -> None:
    records = lines("customObjects/9.jsonl")
    sync = export(
        bulk,
        {"fields": {"id": "{{CustomObject[9].Id}}", "email": "{{CustomObject[9].Field[104]}}"}},
        "/customObjects/9/exports",
    )
    items = data(bulk, sync)["items"]
    assert [i["email"] for i in items] == [r["fields"].get("104", "") for r in records]


def test_status_filter_returns_the_executions_pending_members(bulk) -> None:
    guid = "f82d50cd-86a9-4fca-b37e-4ec9a98b0339"
    bulk.client.get("/id", headers=bulk.headers)
    instances = "/_emulator/appcloud/instances"
    created = bulk.client.post(
        instances, json={"site": "Acme", "type": "action", "instanceId": guid}
    )
    assert created.status_code == 201, created.text
    execution = bulk.client.post(f"{instances}/{guid}/executions", json={"recordIds": [3, 5, 7]})
    number = execution.json()["executionId"]
    bulk.emulator.store.write_sync(
        lambda db: db.execute(
            "UPDATE execution_members SET status = 'complete' "
            "WHERE record_id = 5 AND execution = ?",
            [number],
        )
    )
    sync = export(
        bulk,
        {
            "fields": {"id": "{{Contact.Id}}"},
            "filter": f"STATUS('{execution.json()['statement']}') = 'pending'",
        },
    )
    assert [i["id"] for i in data(bulk, sync)["items"]] == ["3", "7"]


def test_an_export_naming_a_deleted_service_instance_is_not_synced(bulk) -> None:
    guid = "f82d50cd-86a9-4fca-b37e-4ec9a98b0339"
    bulk.client.get("/id", headers=bulk.headers)
    instances = "/_emulator/appcloud/instances"
    bulk.client.post(instances, json={"site": "Acme", "type": "action", "instanceId": guid})
    uri = bulk.define(
        "/contacts/exports",
        {
            "name": "pending",
            "fields": {"id": "{{Contact.Id}}"},
            "filter": f"STATUS('{{{{ActionInstance({guid.replace('-', '')})}}}}') = 'pending'",
        },
    )
    assert bulk.client.delete(f"{instances}/{guid}").status_code == 204
    response = bulk.client.post(
        "/api/bulk/2.0/syncs", json={"syncedInstanceUri": uri}, headers=bulk.headers
    )
    assert response.status_code == 400
    assert response.json()["failures"][0]["constraint"] == (
        "Must reference service instance within a workflow"
    )
    assert bulk.get("/syncs")["totalResults"] == 0


def test_campaign_fields_of_activities_and_lead_scores_of_contacts(bulk) -> None:
    campaigns = {c["id"]: c for c in lines("campaigns/records.jsonl")}
    first = lines("activities/records.jsonl")[0]
    sync = export(
        bulk,
        {
            "fields": {
                "id": "{{Activity.Id}}",
                "campaign": "{{Activity.Campaign.Field(CampaignName)}}",
            },
            "maxRecords": 1,
        },
        "/activities/exports",
    )
    assert data(bulk, sync)["items"] == [
        {
            "id": str(first["id"]),
            "campaign": campaigns[first["campaignId"]]["fields"]["CampaignName"],
        }
    ]
    model = json.loads((FIXTURES / "contacts/scoringModels.json").read_text())[0]
    sync = export(
        bulk,
        {
            "fields": {"id": "{{Contact.Id}}", "rating": "{{Contact.LeadScore.Model[1].Rating}}"},
            "maxRecords": 2,
        },
    )
    assert [i["rating"] for i in data(bulk, sync)["items"]] == [
        model["_scores"]["1"]["Rating"],
        model["_scores"]["2"]["Rating"],
    ]


def test_an_export_of_every_contact_field_succeeds(bulk) -> None:
    """250 fields are allowed; SQLite's 127-argument limit must not show through."""
    fields = {f"f{n}": "{{Contact.Field(C_EmailAddress)}}" for n in range(250)}
    sync = export(bulk, {"fields": fields, "maxRecords": 2})
    assert sync["status"] == "success"
    items = data(bulk, sync)["items"]
    assert list(items[0]) == list(fields)
    assert items[0]["f249"] == CONTACTS[0]["fields"]["C_EmailAddress"]


def test_a_sync_that_fails_unexpectedly_ends_in_error_and_the_worker_goes_on(bulk, monkeypatch):
    from emulator.domain import exports as export_domain

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(export_domain, "step", broken)
    failed = export(bulk, {"fields": {"id": "{{Contact.Id}}"}})
    assert failed["status"] == "error"
    codes = [e["statusCode"] for e in bulk.get(failed["uri"] + "/logs")["items"]]
    assert codes == ["ELQ-00146", "ELQ-00101"]
    monkeypatch.undo()
    assert export(bulk, {"fields": {"id": "{{Contact.Id}}"}})["status"] == "success"
    assert bulk.client.get("/_emulator/health").json()["status"] == "ready"


def test_data_of_a_sync_that_has_not_ended_is_404(bulk) -> None:
    uri = bulk.define("/contacts/exports", {"name": "e", "fields": {"id": "{{Contact.Id}}"}})
    bulk.client.post("/_emulator/worker/pause")
    sync = bulk.sync(uri)
    response = bulk.client.get(BULK + sync["uri"] + "/data", headers=bulk.headers)
    assert response.status_code == 404
    assert response.json()["failures"][0]["constraint"] == (
        "The sync has not ended; its data is not available yet."
    )
    assert bulk.client.delete(BULK + sync["uri"] + "/data", headers=bulk.headers).status_code == 409
    bulk.client.post("/_emulator/worker/resume")
    bulk.wait(sync["uri"])
    assert data(bulk, sync)["totalResults"] == len(CONTACTS)


def test_only_the_syncing_user_deletes_the_data(bulk) -> None:
    uri = bulk.define("/contacts/exports", {"name": "e", "fields": {"id": "{{Contact.Id}}"}})
    sync = bulk.wait(bulk.sync(uri)["uri"])
    john = basic("Acme", "john")
    assert bulk.client.delete(BULK + sync["uri"] + "/data", headers=john).status_code == 403
    assert bulk.client.delete(BULK + uri + "/data", headers=john).status_code == 204
    assert data(bulk, sync)["totalResults"] == len(CONTACTS)
    importer = bulk.define(
        "/contacts/imports",
        {
            "name": "i",
            "fields": {"e": "{{Contact.Field(C_EmailAddress)}}"},
            "identifierFieldName": "e",
        },
    )
    imported = bulk.wait(bulk.sync(importer)["uri"])
    assert (
        bulk.client.delete(BULK + imported["uri"] + "/data", headers=bulk.headers).status_code
        == 400
    )


def test_a_page_read_in_several_pieces_is_the_same_page(bulk, monkeypatch) -> None:
    """A page is read a chunk of rows at a time and joined as it streams."""
    from emulator.domain import exports as export_domain

    sync = export(bulk, {"fields": {"id": "{{Contact.Id}}"}, "maxRecords": 7})
    whole = data(bulk, sync, limit=6, offset=1)
    monkeypatch.setattr(export_domain, "CHUNK", 2)
    assert data(bulk, sync, limit=6, offset=1) == whole
    assert [int(r["id"]) for r in whole["items"]] == sorted(int(r["id"]) for r in whole["items"])
    assert (whole["count"], whole["hasMore"]) == (6, False)
