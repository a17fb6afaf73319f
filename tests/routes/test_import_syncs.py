"""Import semantics (reference §10, §12): matching, update and import rules, type checks,
rejects with 1-based indexes across files, and what ends up stored."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from tests.routes.bulk import Bulk

EMAIL = "{{Contact.Field(C_EmailAddress)}}"
FIRST = "{{Contact.Field(C_FirstName)}}"
CITY = "{{Contact.Field(C_City)}}"


def site_of(bulk: Bulk) -> int:
    return int(bulk.client.get("/id", headers=bulk.headers).json()["site"]["id"])


def contacts(bulk: Bulk, **where: str) -> list[dict[str, Any]]:
    """Stored contacts whose fields match, read straight from the store."""
    site = site_of(bulk)
    store = bulk.emulator.store
    rows = store.read_sync(
        lambda db: db.execute(
            "SELECT id, created_at, updated_at, is_subscribed, fields FROM contacts "
            "WHERE site_id = ? ORDER BY id",
            [site],
        ).fetchall()
    )
    found = []
    for id_, created, updated, subscribed, fields in rows:
        values = orjson.loads(fields)
        if all(values.get(k) == v for k, v in where.items()):
            found.append(
                {
                    "id": id_,
                    "created_at": created,
                    "updated_at": updated,
                    "is_subscribed": subscribed,
                    **values,
                }
            )
    return found


def contact_import(bulk: Bulk, **options: Any) -> str:
    return bulk.define(
        "/contacts/imports",
        {
            "name": "c",
            "fields": {"email": EMAIL, "first": FIRST, "city": CITY},
            "identifierFieldName": "email",
            **options,
        },
    )


def test_new_contacts_are_created_and_existing_ones_updated_by_email(bulk, clock) -> None:
    existing = contacts(bulk, C_EmailAddress="sbrown@example.org")[0]
    uri = contact_import(bulk)
    clock.advance(60)
    sync = bulk.run(
        uri,
        [
            {"email": "SBrown@Example.org", "first": "Siobhán", "city": "Cork"},
            {"email": "fresh@example.com", "first": "Ngọc", "city": "Huế"},
        ],
    )
    assert sync["status"] == "success"
    assert bulk.logs(sync["uri"])["ELQ-00004"] == 1
    assert bulk.logs(sync["uri"])["ELQ-00022"] == 1
    updated = contacts(bulk, C_EmailAddress="SBrown@Example.org")[0]
    assert updated["id"] == existing["id"]
    assert updated["C_City"] == "Cork"
    assert updated["created_at"] == existing["created_at"]
    assert updated["updated_at"] > existing["updated_at"]
    created = contacts(bulk, C_EmailAddress="fresh@example.com")[0]
    assert created["id"] == 301
    assert created["C_FirstName"] == "Ngọc"
    assert created["created_at"] == created["updated_at"]


@pytest.mark.parametrize(
    ("rule", "new_city", "expected"),
    [
        ("always", "", ""),
        ("ifNewIsNotNull", "", "Köln"),
        ("ifNewIsNotNull", "Bonn", "Bonn"),
        ("ifExistingIsNull", "Bonn", "Köln"),
        ("useFieldRule", "Bonn", "Bonn"),
    ],
)
def test_update_rules(bulk, rule, new_city, expected) -> None:
    before = contacts(bulk, C_EmailAddress="sbrown@example.org")[0]
    assert before["C_City"] == "Köln"
    uri = contact_import(bulk, updateRule=rule)
    bulk.run(uri, [{"email": "sbrown@example.org", "city": new_city}])
    assert contacts(bulk, C_EmailAddress="sbrown@example.org")[0]["C_City"] == expected


def test_update_rule_by_field_overrides_the_rule(bulk) -> None:
    uri = contact_import(bulk, updateRule="always", updateRuleByField={"city": "ifExistingIsNull"})
    bulk.run(uri, [{"email": "sbrown@example.org", "first": "Shiv", "city": "Bonn"}])
    stored = contacts(bulk, C_EmailAddress="sbrown@example.org")[0]
    assert (stored["C_FirstName"], stored["C_City"]) == ("Shiv", "Köln")


def test_create_only_leaves_existing_contacts_alone(bulk) -> None:
    uri = contact_import(bulk, importRule="createOnly")
    sync = bulk.run(
        uri, [{"email": "sbrown@example.org", "city": "Bonn"}, {"email": "only@example.com"}]
    )
    assert contacts(bulk, C_EmailAddress="sbrown@example.org")[0]["C_City"] == "Köln"
    assert bulk.logs(sync["uri"])["ELQ-00004"] == 1
    assert bulk.logs(sync["uri"])["ELQ-00022"] == 0


def test_update_only_creates_nothing_and_warns(bulk) -> None:
    uri = contact_import(bulk, importRule="updateOnly")
    sync = bulk.run(
        uri, [{"email": "sbrown@example.org", "city": "Bonn"}, {"email": "nobody@example.com"}]
    )
    assert sync["status"] == "warning"
    assert bulk.logs(sync["uri"])["ELQ-00034"] == 1
    assert contacts(bulk, C_EmailAddress="nobody@example.com") == []
    assert contacts(bulk, C_EmailAddress="sbrown@example.org")[0]["C_City"] == "Bonn"


@pytest.mark.parametrize(("multiple", "updated"), [(True, "all"), (False, "one")])
def test_multiple_matches(bulk, multiple, updated) -> None:
    uri = bulk.define(
        "/contacts/imports",
        {
            "name": "by city",
            "fields": {"city": CITY, "title": "{{Contact.Field(C_Title)}}"},
            "identifierFieldName": "city",
            "isUpdatingMultipleMatchedRecords": multiple,
        },
    )
    in_cologne = contacts(bulk, C_City="Köln")
    assert len(in_cologne) > 1
    bulk.run(uri, [{"city": "Köln", "title": "Kölsch Taster"}])
    tasters = contacts(bulk, C_Title="Kölsch Taster")
    expected = [c["id"] for c in in_cologne] if updated == "all" else [in_cologne[0]["id"]]
    assert [c["id"] for c in tasters] == expected


def test_bad_rows_are_rejected_and_the_rest_kept(bulk) -> None:
    uri = bulk.define(
        "/contacts/imports",
        {
            "name": "types",
            "identifierFieldName": "email",
            "fields": {
                "email": EMAIL,
                "employees": "{{Contact.Field(C_Employees1)}}",
                "created": "{{Contact.Field(C_DateCreated)}}",
            },
        },
    )
    sync = bulk.run(
        uri,
        [
            {"email": "ok1@example.com", "employees": "12", "created": "2024-05-01 10:00:00"},
            {"email": "not-an-email", "employees": "3"},
            {"email": "ok2@example.com", "employees": "many"},
            {"email": "ok3@example.com", "created": "yesterday"},
            {"email": "OK1@example.com"},
            {"email": "", "employees": "1"},
        ],
    )
    assert sync["status"] == "warning"
    rejects = bulk.rejects(sync["uri"])
    assert [(r["recordIndex"], r["statusCode"], r["invalidFields"]) for r in rejects] == [
        (2, "ELQ-00002", ["email"]),
        (3, "ELQ-00040", ["employees"]),
        (4, "ELQ-00040", ["created"]),
        (5, "ELQ-00026", ["email"]),
        (6, "ELQ-00061", ["email"]),
    ]
    assert rejects[0] == {
        "fieldValues": {"email": "not-an-email", "employees": "3", "created": ""},
        "message": "Invalid email address.",
        "statusCode": "ELQ-00002",
        "recordIndex": 2,
        "invalidFields": ["email"],
    }
    logs = bulk.logs(sync["uri"])
    assert logs["ELQ-00002"] == 1
    assert logs["ELQ-00026"] == 1
    assert logs["ELQ-00001"] == 6
    assert logs["ELQ-00004"] == 1
    assert logs["ELQ-00071"] == 0  # the message-less item a pod's import log ends with
    assert contacts(bulk, C_EmailAddress="ok1@example.com")[0]["C_Employees1"] == "12"


def test_record_index_runs_across_the_staged_files(bulk) -> None:
    uri = contact_import(bulk)
    bulk.stage(uri, [{"email": f"first{i}@example.com"} for i in range(3)])
    bulk.stage(uri, [{"email": "second@example.com"}, {"email": "broken"}])
    sync = bulk.wait(bulk.sync(uri)["uri"])
    assert [r["recordIndex"] for r in bulk.rejects(sync["uri"])] == [5]


def test_keys_outside_the_definition_end_in_warning_with_no_rejects(bulk) -> None:
    """Recorded pod traffic: an extra ``id`` key is enough (reference §9.2)."""
    uri = contact_import(bulk)
    sync = bulk.run(uri, [{"email": "extra@example.com", "id": 5}])
    assert sync["status"] == "warning"
    assert bulk.rejects(sync["uri"]) == []
    logs = bulk.get(sync["uri"] + "/logs")["items"]
    ignored = [entry for entry in logs if entry["statusCode"] == "ELQ-00111"]
    assert (
        ignored[0]["message"] == "Field id is not part of import definition, and will be ignored."
    )
    assert ignored[0]["severity"] == "warning"
    assert contacts(bulk, C_EmailAddress="extra@example.com")


def test_logs_come_in_the_order_a_pod_writes_them(bulk) -> None:
    uri = contact_import(bulk)
    sync = bulk.run(uri, [{"email": "a@example.com", "first": "A", "city": "B"}])
    codes = [entry["statusCode"] for entry in bulk.get(sync["uri"] + "/logs")["items"]]
    assert codes == [
        "ELQ-00130",
        "ELQ-00137",
        "ELQ-00101",
        "ELQ-00001",
        "ELQ-00003",
        "ELQ-00004",
        "ELQ-00022",
        "ELQ-00071",
    ]
    last = bulk.get(sync["uri"] + "/logs")["items"][-1]
    assert "message" not in last  # as in a pod's import log (reference §13.1)


def test_account_import_with_link_users(bulk) -> None:
    uri = bulk.define(
        "/accounts/imports",
        {
            "name": "accounts",
            "linkUsers": True,
            "identifierFieldName": "company",
            "fields": {
                "company": "{{Account.Field(M_CompanyName)}}",
                "country": "{{Account.Field(M_Country)}}",
            },
        },
    )
    sync = bulk.run(
        uri,
        [
            {"company": "Ümlaut Widgets GmbH", "country": "Ireland"},
            {"company": "", "country": "France"},
        ],
    )
    assert sync["status"] == "warning"
    logs = bulk.logs(sync["uri"])
    assert logs["ELQ-00005"] == 1
    assert logs["ELQ-00061"] == 1


def test_custom_object_records_by_id_and_external_id_with_data_cards(bulk) -> None:
    uri = bulk.define(
        "/customObjects/9/imports",
        {
            "name": "webinar",
            "identifierFieldName": "id",
            "fields": {
                "id": "{{CustomObject[9].Id}}",
                "external": "{{CustomObject[9].ExternalId}}",
                "email": "{{CustomObject[9].Field[104]}}",
            },
            "mapDataCards": True,
            "mapDataCardsEntityType": "Contact",
            "mapDataCardsEntityField": EMAIL,
            "mapDataCardsSourceField": "email",
        },
    )
    sync = bulk.run(
        uri,
        [
            {"id": "", "external": "EXT-NEW", "email": "sbrown@example.org"},
            {"id": "1", "email": "sbrown@example.org"},
            {"id": "999999", "email": "x@example.com"},
        ],
    )
    logs = bulk.logs(sync["uri"])
    assert (logs["ELQ-00007"], logs["ELQ-00012"], logs["ELQ-00034"]) == (1, 1, 1)
    assert logs["ELQ-00025"] >= 1
    store = bulk.emulator.store
    site = site_of(bulk)
    row = store.read_sync(
        lambda db: db.execute(
            "SELECT external_id, contact_id FROM object_records WHERE site_id = ? AND family = "
            "'customObjects' AND parent_id = 9 AND external_id = 'EXT-NEW'",
            [site],
        ).fetchone()
    )
    assert row[0] == "EXT-NEW"
    assert row[1] == contacts(bulk, C_EmailAddress="sbrown@example.org")[0]["id"]


def test_event_registrants(bulk) -> None:
    uri = bulk.define(
        "/events/3/imports",
        {
            "name": "registrants",
            "fields": {"email": "{{Event[3].Field[301]}}"},
            "identifierFieldName": "email",
        },
    )
    sync = bulk.run(uri, [{"email": "guest@example.com"}])
    assert bulk.logs(sync["uri"])["ELQ-00077"] == 1


def test_opportunity_data_uploads_are_accepted(bulk) -> None:
    """Oracle's opportunity tutorial: the upload answers 204."""
    uri = bulk.define(
        "/opportunities/imports",
        {
            "name": "o",
            "identifierFieldName": "id",
            "fields": {
                "id": "{{Opportunity.Id}}",
                "name": "{{Opportunity.Field(Name)}}",
                "stage": "{{Opportunity.Field(Stage)}}",
                "amount": "{{Opportunity.Field(Amount)}}",
            },
        },
    )
    bulk.stage(uri, [{"id": "OPP-1", "name": "Big deal", "stage": "Won", "amount": "1000"}])


def stored_flags(bulk: Bulk, email: str) -> tuple[int, str]:
    site = site_of(bulk)
    return bulk.emulator.store.read_sync(
        lambda db: db.execute(
            "SELECT is_subscribed, email_format FROM contacts WHERE site_id = ? AND email_key = ?",
            [site, email],
        ).fetchone()
    )


@pytest.mark.parametrize(
    ("rule", "subscribed", "expected"),
    [("always", "false", 0), ("ifExistingIsNull", "false", 1), ("ifNewIsNotNull", "", 1)],
)
def test_subscription_flag_follows_the_update_rule(bulk, rule, subscribed, expected) -> None:
    assert stored_flags(bulk, "sbrown@example.org")[0] == 1
    uri = bulk.define(
        "/contacts/imports",
        {
            "name": "flags",
            "fields": {"email": EMAIL, "subscribed": "{{Contact.Email.IsSubscribed}}"},
            "identifierFieldName": "email",
            "updateRule": rule,
        },
    )
    bulk.run(uri, [{"email": "sbrown@example.org", "subscribed": subscribed}])
    assert stored_flags(bulk, "sbrown@example.org")[0] == expected


def test_accounts_match_on_a_field_and_keep_their_id(bulk) -> None:
    uri = bulk.define(
        "/accounts/imports",
        {
            "name": "by name",
            "identifierFieldName": "company",
            "fields": {
                "company": "{{Account.Field(M_CompanyName)}}",
                "city": "{{Account.Field(M_City)}}",
            },
        },
    )
    site = site_of(bulk)

    def by_name(name: str) -> list[tuple[int, str]]:
        return bulk.emulator.store.read_sync(
            lambda db: db.execute(
                "SELECT id, json_extract(fields, '$.M_City') FROM accounts WHERE site_id = ? "
                "AND json_extract(fields, '$.M_CompanyName') = ?",
                [site, name],
            ).fetchall()
        )

    name = bulk.emulator.store.read_sync(
        lambda db: db.execute(
            "SELECT json_extract(fields, '$.M_CompanyName') FROM accounts WHERE site_id = ? "
            "ORDER BY id LIMIT 1",
            [site],
        ).fetchone()[0]
    )
    (before,) = by_name(name)
    sync = bulk.run(uri, [{"company": name, "city": "Tromsø"}])
    assert bulk.logs(sync["uri"])["ELQ-00023"] == 1
    assert by_name(name) == [(before[0], "Tromsø")]


def test_custom_object_records_update_by_external_id(bulk) -> None:
    uri = bulk.define(
        "/customObjects/9/imports",
        {
            "name": "by external id",
            "identifierFieldName": "external",
            "fields": {
                "external": "{{CustomObject[9].ExternalId}}",
                "email": "{{CustomObject[9].Field[104]}}",
            },
        },
    )
    first = bulk.run(uri, [{"external": "EXT-1", "email": "one@example.com"}])
    second = bulk.run(uri, [{"external": "EXT-1", "email": "two@example.com"}])
    assert bulk.logs(first["uri"])["ELQ-00007"] == 1
    assert bulk.logs(second["uri"])["ELQ-00012"] == 1
    site = site_of(bulk)
    rows = bulk.emulator.store.read_sync(
        lambda db: db.execute(
            "SELECT json_extract(fields, '$.\"104\"') FROM object_records WHERE site_id = ? "
            "AND external_id = 'EXT-1'",
            [site],
        ).fetchall()
    )
    assert rows == [("two@example.com",)]


def test_chunks_keep_ids_in_staged_order_and_find_duplicates_across_them(bulk_factory) -> None:
    """Rows are applied a chunk at a time; the result is the same as one pass."""
    bulk = bulk_factory(sync_progression="immediate", sync_chunk=3)
    uri = contact_import(bulk)
    rows = [{"email": f"chunk{n}@example.com", "first": f"N{n}"} for n in range(7)]
    rows.insert(5, {"email": "CHUNK1@example.com", "first": "again"})
    rows.insert(2, {"email": "sbrown@example.org", "first": "Siobhán"})
    sync = bulk.run(uri, rows)
    logs = bulk.logs(sync["uri"])
    assert (logs["ELQ-00004"], logs["ELQ-00022"], logs["ELQ-00026"]) == (7, 1, 1)
    created = [c for c in contacts(bulk) if c["C_EmailAddress"].startswith("chunk")]
    assert [c["C_FirstName"] for c in created] == [f"N{n}" for n in range(7)]
    assert [c["id"] for c in created] == list(range(301, 308))
    (reject,) = bulk.client.get(f"/api/bulk/2.0{sync['uri']}/rejects", headers=bulk.headers).json()[
        "items"
    ]
    assert (reject["recordIndex"], reject["statusCode"]) == (7, "ELQ-00026")


def test_keys_a_json_path_cannot_name_are_read_too(bulk) -> None:
    """A definition's keys are any text; quotes and backslashes are read without a path."""
    uri = bulk.define(
        "/contacts/imports",
        {
            "name": "odd keys",
            "fields": {'e"mail': EMAIL, "first\\name": FIRST, "city.now": CITY},
            "identifierFieldName": 'e"mail',
        },
    )
    sync = bulk.run(
        uri, [{'e"mail': "odd.keys@example.com", "first\\name": "Quinn", "city.now": 7}]
    )
    assert sync["status"] == "success"
    (stored,) = contacts(bulk, C_EmailAddress="odd.keys@example.com")
    assert (stored["C_FirstName"], stored["C_City"]) == ("Quinn", "7")


def test_values_of_every_json_type_are_stored_as_text(bulk) -> None:
    uri = contact_import(bulk)
    rows = [
        {"email": "types1@example.com", "first": True, "city": 1.5},
        {"email": "types2@example.com", "first": None, "city": 10},
    ]
    assert bulk.run(uri, rows)["status"] == "success"
    first = contacts(bulk, C_EmailAddress="types1@example.com")[0]
    second = contacts(bulk, C_EmailAddress="types2@example.com")[0]
    assert (first["C_FirstName"], first["C_City"]) == ("true", "1.5")
    assert (second["C_FirstName"], second["C_City"]) == ("", "10")
