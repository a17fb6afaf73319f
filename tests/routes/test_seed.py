"""``POST /_emulator/seed``: synthetic records into a site, a chunk at a time, reported
line by line; the records are then a site's records like any other."""

from __future__ import annotations

import itertools

import orjson

from tests.routes.bulk import Bulk


def seed(bulk: Bulk, **body) -> list[dict]:
    response = bulk.client.post("/_emulator/seed", json={"site": "Acme", **body})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/x-ndjson"
    return [orjson.loads(line) for line in response.text.splitlines()]


def test_the_answer_reports_each_chunk_as_it_commits(bulk_factory) -> None:
    bulk = bulk_factory(sync_chunk=400)
    events = seed(bulk, seed=5, contacts=2000, accounts=30, activities=500, customObjects=30)
    assert events[0] == {
        "event": "started",
        "site": "Acme",
        "seed": 5,
        "total": {"accounts": 30, "contacts": 2000, "customObjects": 30, "activities": 500},
        "written": {"accounts": 1, "contacts": 1, "customObjects": 3, "activities": 1},
    }
    contacts = [1] + [e["written"] for e in events if e.get("family") == "contacts"]
    chunks = [b - a for a, b in itertools.pairwise(contacts)]
    assert contacts[-1] == 2000
    # chunks of --sync-chunk records, a quarter of it while other writes have had to wait
    assert all(100 <= size <= 400 for size in chunks[:-1])
    assert 0 < chunks[-1] <= 400
    families = [e["family"] for e in events[1:-1]]
    assert families == sorted(
        families, key=["accounts", "contacts", "customObjects", "activities"].index
    )
    assert events[-1]["event"] == "finished"
    assert events[-1]["ids"]["contacts"] == {"first": 301, "last": 2300}


def test_seeded_contacts_are_exported_like_any_others(bulk) -> None:
    finished = seed(bulk, seed=9, contacts=1500, accounts=20)[-1]
    ids = finished["ids"]["contacts"]
    uri = bulk.define(
        "/contacts/exports",
        {
            "name": "seeded",
            "fields": {
                "id": "{{Contact.Id}}",
                "email": "{{Contact.Field(C_EmailAddress)}}",
                "company": "{{Contact.Field(C_Company)}}",
                "account": "{{Contact.Account.Field(M_CompanyName)}}",
            },
            "filter": f"'{{{{Contact.Id}}}}' >= '{ids['first']}'",
        },
    )
    sync = bulk.wait(bulk.sync(uri)["uri"])
    assert sync["status"] == "success"
    page = bulk.get(sync["uri"] + "/data", limit=5000)
    assert page["totalResults"] == 1500
    items = page["items"]
    assert [int(i["id"]) for i in items] == list(range(ids["first"], ids["last"] + 1))
    assert len({i["email"].lower() for i in items}) == 1500
    assert all(i["company"] == i["account"] != "" for i in items)


def test_the_site_is_created_when_no_one_has_signed_in(client) -> None:
    response = client.post("/_emulator/seed", json={"site": "Initech", "contacts": 5})
    assert response.status_code == 200
    assert client.get("/_emulator/health").json()["sites"] == 1


def test_a_bad_order_is_refused_before_anything_is_written(client) -> None:
    response = client.post(
        "/_emulator/seed", json={"site": "Acme", "contacts": -5, "customObject": 1}
    )
    assert response.status_code == 400
    assert [f["field"] for f in response.json()["failures"]] == ["customObject", "contacts"]
    assert client.get("/_emulator/health").json()["sites"] == 0


def test_seeded_activities_are_exported_with_their_type_fields(bulk) -> None:
    finished = seed(bulk, seed=3, contacts=200, activities=600)[-1]
    first_activity = finished["ids"]["activities"]["first"]
    contacts = finished["ids"]["contacts"]
    uri = bulk.define(
        "/activities/exports",
        {
            "name": "opens",
            "fields": {
                "id": "{{Activity.Id}}",
                "contact": "{{Activity.Contact.Id}}",
                "email": "{{Activity.Field(EmailAddress)}}",
                "contactEmail": "{{Activity.Contact.Field(C_EmailAddress)}}",
                "asset": "{{Activity.Asset.Name}}",
                "deployment": "{{Activity.Field(EmailDeploymentId)}}",
                "visitor": "{{Activity.Visitor.ExternalId}}",
            },
            "filter": "'{{Activity.Type}}' = 'EmailOpen'",
        },
    )
    sync = bulk.wait(bulk.sync(uri)["uri"])
    assert sync["status"] == "success"
    items = [
        i
        for i in bulk.get(sync["uri"] + "/data", limit=5000)["items"]
        if int(i["id"]) >= first_activity
    ]
    assert len(items) > 30  # about a sixth of the activities are opens
    for item in items:
        assert contacts["first"] <= int(item["contact"]) <= contacts["last"]
        assert item["email"] == item["contactEmail"]
        assert item["asset"]
        assert item["deployment"].isdigit()
        assert item["visitor"]


def test_seeded_custom_object_records_are_exported(bulk) -> None:
    finished = seed(bulk, seed=3, contacts=100, customObjects=300)[-1]
    span = finished["ids"]["customObjects"]["12"]
    uri = bulk.define(
        "/customObjects/12/exports",
        {
            "name": "purchases",
            "fields": {
                "id": "{{CustomObject[12].Id}}",
                "order": "{{CustomObject[12].Field[120]}}",
                "email": "{{CustomObject[12].Field[121]}}",
                "contactEmail": "{{CustomObject[12].Contact.Field(C_EmailAddress)}}",
            },
            "filter": f"'{{{{CustomObject[12].Id}}}}' >= '{span['first']}'",
        },
    )
    sync = bulk.wait(bulk.sync(uri)["uri"])
    assert sync["status"] == "success"
    items = bulk.get(sync["uri"] + "/data", limit=5000)["items"]
    assert [int(i["id"]) for i in items] == list(range(span["first"], span["last"] + 1))
    assert len({i["order"] for i in items}) == 100
    assert all(i["email"] == i["contactEmail"] != "" for i in items)
