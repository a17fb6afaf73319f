"""Catalog routes: fields, lists, segments, filters, scoring models, custom objects,
events and email groups, seeded from ``fixtures/`` (reference §4, §12, §15)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, basic

BULK = "/api/bulk/2.0"
FIXTURES = ROOT / "fixtures"
RESOURCE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$")


def fixture(path: str) -> list[dict]:
    return json.loads((FIXTURES / path).read_text())


def public(item: dict) -> dict:
    return {k: v for k, v in item.items() if not k.startswith("_")}


def lines(path: str) -> list[dict]:
    return [json.loads(line) for line in (FIXTURES / path).read_text().splitlines() if line]


def get_all(client, path: str, **params) -> dict:
    response = client.get(BULK + path, params=params, headers=basic())
    assert response.status_code == 200, response.text
    return response.json()


FIELD_LISTS = [
    ("/contacts/fields", "contacts/fields.json"),
    ("/accounts/fields", "accounts/fields.json"),
    ("/activities/fields", "activities/fields.json"),
    ("/campaignResponses/fields", "campaignResponses/fields.json"),
    ("/opportunities/fields", "opportunities/fields.json"),
    ("/campaigns/fields", "campaigns/fields.json"),
]


@pytest.mark.parametrize(("path", "source"), FIELD_LISTS)
def test_field_lists_serve_the_fixture_items_exactly(client, path, source) -> None:
    expected = [public(i) for i in fixture(source)]
    body = get_all(client, path)
    assert body["items"] == sorted(expected, key=lambda i: int(i["uri"].rsplit("/", 1)[1]))
    first = expected[0]
    one = client.get(BULK + first["uri"], headers=basic())
    assert one.status_code == 200
    assert one.json() == first


def test_contact_fields_are_the_standard_catalog(client) -> None:
    items = get_all(client, "/contacts/fields")["items"]
    by_name = {i["internalName"]: i for i in items}
    assert len(items) >= 40
    for name in (
        "C_EmailAddress",
        "C_FirstName",
        "C_LastName",
        "C_Company",
        "C_Country",
        "C_City",
        "C_State_Prov",
        "C_Zip_Postal",
        "C_BusPhone",
        "C_Title",
        "ContactIDExt",
    ):
        assert by_name[name]["statement"] == f"{{{{Contact.Field({name})}}}}"
    assert all(
        re.fullmatch(r"\{\{Contact\.Field\([A-Za-z0-9_]+\)\}\}", i["statement"]) for i in items
    )
    assert all(
        RESOURCE_TIME.match(i["createdAt"]) and RESOURCE_TIME.match(i["updatedAt"]) for i in items
    )
    assert all(re.fullmatch(r"/contacts/fields/\d+", i["uri"]) for i in items)
    assert by_name["C_EmailAddress"]["dataType"] == "emailAddress"


def test_activity_fields_filter_by_type(client) -> None:
    everything = get_all(client, "/activities/fields")["items"]
    opens = get_all(client, "/activities/fields", activityType="EmailOpen")["items"]
    assert 0 < len(opens) < len(everything)
    assert all("EmailOpen" in i["activityTypes"] for i in opens)
    assert {i["uri"] for i in opens} == {
        i["uri"] for i in everything if "EmailOpen" in i["activityTypes"]
    }
    names = [i["internalName"] for i in opens]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    "activity_type",
    [
        "EmailOpen",
        "EmailClickthrough",
        "EmailSend",
        "Subscribe",
        "Unsubscribe",
        "Bounceback",
        "WebVisit",
        "PageView",
        "FormSubmit",
        "SmsSend",
        "SmsReply",
        "SmsClickthrough",
    ],
)
def test_every_documented_activity_type_has_its_common_fields(client, activity_type) -> None:
    items = get_all(client, "/activities/fields", activityType=activity_type)["items"]
    statements = {i["statement"] for i in items}
    assert {"{{Activity.Id}}", "{{Activity.Type}}", "{{Activity.CreatedAt}}"} <= statements


def test_unknown_activity_type_is_a_400(client) -> None:
    response = client.get(
        BULK + "/activities/fields", params={"activityType": "Telepathy"}, headers=basic()
    )
    assert response.status_code == 400
    assert response.json()["failures"][0]["field"] == "activityType"
    assert response.json()["failures"][0]["value"] == "Telepathy"


def test_campaign_fields_filter_by_type(client) -> None:
    every = get_all(client, "/campaigns/fields")["items"]
    for kind in ("sourceCampaign", "activity", "campaignResponse"):
        expected = [public(i) for i in fixture("campaigns/fields.json") if kind in i["_types"]]
        items = get_all(client, "/campaigns/fields", type=kind)["items"]
        assert {i["uri"] for i in items} == {i["uri"] for i in expected}
        assert len(items) <= len(every)


CONTAINERS = [
    ("/contacts/lists", "contacts/lists.json"),
    ("/contacts/segments", "contacts/segments.json"),
    ("/contacts/filters", "contacts/filters.json"),
    ("/contacts/scoring/models", "contacts/scoringModels.json"),
    ("/accounts/lists", "accounts/lists.json"),
    ("/emailGroups", "emailGroups.json"),
    ("/customObjects", "customObjects/index.json"),
    ("/events", "events/index.json"),
]


@pytest.mark.parametrize(("path", "source"), CONTAINERS)
def test_containers_serve_the_fixture_items(client, path, source) -> None:
    expected = sorted(
        (public(i) for i in fixture(source)), key=lambda i: int(i["uri"].rsplit("/", 1)[1])
    )
    body = get_all(client, path)
    assert body["items"] == expected
    for item in expected:
        assert client.get(BULK + item["uri"], headers=basic()).json() == item


def test_list_counts_are_their_members(client) -> None:
    lists = {i["uri"]: i for i in fixture("contacts/lists.json")}
    for item in get_all(client, "/contacts/lists")["items"]:
        assert item["count"] == len(lists[item["uri"]]["_members"])
        assert item["statement"] == "{{{{ContactList[{}]}}}}".format(item["uri"].rsplit("/", 1)[1])


def test_custom_object_fields_are_served_per_object(client) -> None:
    for cdo in fixture("customObjects/index.json"):
        cdo_id = cdo["uri"].rsplit("/", 1)[1]
        items = get_all(client, f"/customObjects/{cdo_id}/fields")["items"]
        assert items == sorted(
            (public(f) for f in cdo["_fields"]), key=lambda f: int(f["uri"].rsplit("/", 1)[1])
        )
        assert all(
            re.fullmatch(rf"\{{\{{CustomObject\[{cdo_id}\]\.Field\[\d+\]\}}\}}", f["statement"])
            for f in items
        )
        field = items[0]
        assert client.get(BULK + field["uri"], headers=basic()).json() == field


def test_event_fields_are_served_per_event(client) -> None:
    for event in fixture("events/index.json"):
        event_id = event["uri"].rsplit("/", 1)[1]
        items = get_all(client, f"/events/{event_id}/fields")["items"]
        assert {f["uri"] for f in items} == {f["uri"] for f in event["_fields"]}


@pytest.mark.parametrize(
    "path",
    [
        "/contacts/fields/1",
        "/accounts/fields/999999",
        "/customObjects/777",
        "/customObjects/777/fields",
        "/customObjects/9/fields/1",
        "/events/999/fields",
        "/contacts/lists/424242",
        "/emailGroups/0",
        "/contacts/scoring/models/99",
    ],
)
def test_unknown_ids_are_404_with_failures(client, path) -> None:
    response = client.get(BULK + path, headers=basic())
    assert response.status_code == 404
    failure = response.json()["failures"][0]
    assert failure["constraint"] == "The requested resource was not found."
    assert failure["field"] == "uri"


@pytest.mark.parametrize(
    "path", ["/contacts/fields/abc", "/customObjects/x/fields", "/emailGroups/1.5"]
)
def test_ids_that_are_not_integers_are_404(client, path) -> None:
    assert client.get(BULK + path, headers=basic()).status_code == 404


def test_sites_do_not_see_each_others_rows(client) -> None:
    from emulator.store import catalog

    state = client.app.state.emulator
    acme = client.get("/id", headers=basic("Acme", "jane")).json()["site"]["id"]
    client.get("/id", headers=basic("Globex", "hank"))
    state.store.write_sync(
        catalog.insert_container,
        acme,
        "contactLists",
        9999,
        {"name": "Acme only", "statement": "{{ContactList[9999]}}", "uri": "/contacts/lists/9999"},
    )
    assert (
        client.get(BULK + "/contacts/lists/9999", headers=basic("Acme", "jane")).status_code == 200
    )
    assert (
        client.get(BULK + "/contacts/lists/9999", headers=basic("Globex", "hank")).status_code
        == 404
    )
    globex = get_all_as(client, "/contacts/lists", basic("Globex", "hank"))
    assert "Acme only" not in [i["name"] for i in globex["items"]]


def get_all_as(client, path: str, headers: dict) -> dict:
    return client.get(BULK + path, headers=headers).json()


def test_each_new_site_gets_its_own_copy_of_the_seed_records(client) -> None:
    from emulator.store import records

    store = client.app.state.emulator.store
    ids = [
        client.get("/id", headers=basic(site, "u")).json()["site"]["id"] for site in ("One", "Two")
    ]
    for site_id in ids:
        assert store.read_sync(records.count, "contacts", site_id) == len(
            lines("contacts/records.jsonl")
        )
        assert store.read_sync(records.count, "activities", site_id) == len(
            lines("activities/records.jsonl")
        )


def test_seed_records_have_every_activity_type_and_non_ascii_names() -> None:
    types = {record["type"] for record in lines("activities/records.jsonl")}
    assert {
        "EmailOpen",
        "EmailClickthrough",
        "EmailSend",
        "Subscribe",
        "Unsubscribe",
        "Bounceback",
        "WebVisit",
        "PageView",
        "FormSubmit",
    } <= types
    names = [record["fields"].get("C_FirstName", "") for record in lines("contacts/records.jsonl")]
    assert any(not name.isascii() for name in names)


def test_fixtures_generator_is_deterministic(tmp_path: Path) -> None:
    import subprocess
    import sys

    out = tmp_path / "fixtures"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts/make_fixtures.py"), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    produced = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(FIXTURES) for p in FIXTURES.rglob("*") if p.is_file())
    assert produced == committed
    for rel in produced:
        assert (out / rel).read_bytes() == (FIXTURES / rel).read_bytes(), rel
