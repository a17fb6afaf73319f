"""Import syncs run end to end without HTTP: define, stage, ``syncs.create``, then the
runner (``rotation`` + ``run``) or ``domain.imports.apply`` itself. What was stored is
read back through an export; the outcome through the sync's logs and rejects."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.domain import imports
from tests.domain.support import CITY, EMAIL, FIRST, Bulk, sync_id

EMPLOYEES = "{{Contact.Field(C_Employees1)}}"
CO_ID = "{{CustomObject[9].Id}}"
CO_EXTERNAL = "{{CustomObject[9].ExternalId}}"
CO_REGISTRATION = "{{CustomObject[9].Field[103]}}"  # required (hasNotNullConstraint)
CO_WEBINAR = "{{CustomObject[9].Field[105]}}"


def contact_import(bulk: Bulk, **options: Any) -> str:
    body = {
        "name": "people",
        "fields": {"email": EMAIL, "first": FIRST, "city": CITY},
        "identifierFieldName": "email",
        **options,
    }
    return str(bulk.define("contacts", "imports", body)["uri"])


def people(bulk: Bulk) -> list[dict[str, Any]]:
    """The contacts of these tests (addresses at imp.test) as stored."""
    return bulk.contacts("imp.test", first=FIRST, city=CITY)


def registrations(bulk: Bulk) -> list[dict[str, Any]]:
    """Webinar registrations (custom object 9) whose external id starts with T-."""
    fields = {"id": CO_ID, "external": CO_EXTERNAL, "reg": CO_REGISTRATION, "webinar": CO_WEBINAR}
    return bulk.export("customObjects", fields, 9, filter=f"'{CO_EXTERNAL}' ~ 'T-%'")


def test_new_addresses_create_contacts_and_known_ones_update_them(bulk: Bulk) -> None:
    uri = contact_import(bulk)
    first = bulk.run(uri, [{"email": "ann@imp.test", "first": "Ann", "city": "Oslo"}])
    assert (first.status, bulk.logs(first.id)["ELQ-00004"]) == ("success", 1)
    (ann,) = people(bulk)
    second = bulk.run(
        uri,
        [
            {"email": "ANN@Imp.test", "first": "Ann", "city": "Bergen"},
            {"email": "bo@imp.test", "first": "Bo", "city": "Turku"},
        ],
    )
    logs = bulk.logs(second.id)
    assert (logs["ELQ-00004"], logs["ELQ-00022"]) == (1, 1)
    assert second.status == "success"
    stored = people(bulk)
    assert [(c["email"], c["city"]) for c in stored] == [
        ("ANN@Imp.test", "Bergen"),
        ("bo@imp.test", "Turku"),
    ]
    assert stored[0]["id"] == ann["id"]
    assert int(stored[1]["id"]) > int(ann["id"])


@pytest.mark.parametrize(
    ("rule", "before", "new", "after"),
    [
        ("always", "Oslo", "", ""),
        ("ifNewIsNotNull", "Oslo", "", "Oslo"),
        ("ifNewIsNotNull", "Oslo", "Bergen", "Bergen"),
        ("ifExistingIsNull", "Oslo", "Bergen", "Oslo"),
        ("ifExistingIsNull", "", "Bergen", "Bergen"),
    ],
)
def test_update_rules_decide_whether_a_value_replaces_the_stored_one(
    bulk: Bulk, rule, before, new, after
) -> None:
    bulk.run(contact_import(bulk), [{"email": "cy@imp.test", "first": "Cy", "city": before}])
    updated = bulk.run(
        contact_import(bulk, updateRule=rule), [{"email": "cy@imp.test", "city": new}]
    )
    assert bulk.logs(updated.id)["ELQ-00022"] == 1
    assert [c["city"] for c in people(bulk)] == [after]


def test_an_update_rule_by_field_overrides_the_definitions_rule(bulk: Bulk) -> None:
    bulk.run(contact_import(bulk), [{"email": "di@imp.test", "first": "Di", "city": "Oslo"}])
    uri = contact_import(bulk, updateRule="always", updateRuleByField={"city": "ifExistingIsNull"})
    bulk.run(uri, [{"email": "di@imp.test", "first": "Diana", "city": "Bergen"}])
    assert [(c["first"], c["city"]) for c in people(bulk)] == [("Diana", "Oslo")]


def test_create_only_leaves_existing_contacts_untouched(bulk: Bulk) -> None:
    bulk.run(contact_import(bulk), [{"email": "ed@imp.test", "city": "Oslo"}])
    sync = bulk.run(
        contact_import(bulk, importRule="createOnly"),
        [{"email": "ed@imp.test", "city": "Bergen"}, {"email": "fay@imp.test", "city": "Turku"}],
    )
    logs = bulk.logs(sync.id)
    assert (logs["ELQ-00004"], logs["ELQ-00022"]) == (1, 0)
    assert [(c["email"], c["city"]) for c in people(bulk)] == [
        ("ed@imp.test", "Oslo"),
        ("fay@imp.test", "Turku"),
    ]


def test_update_only_creates_nothing_and_warns_of_unmatched_rows(bulk: Bulk) -> None:
    bulk.run(contact_import(bulk), [{"email": "gus@imp.test", "city": "Oslo"}])
    sync = bulk.run(
        contact_import(bulk, importRule="updateOnly"),
        [{"email": "gus@imp.test", "city": "Bergen"}, {"email": "hal@imp.test", "city": "Turku"}],
    )
    logs = bulk.logs(sync.id)
    assert sync.status == "warning"
    assert (logs["ELQ-00004"], logs["ELQ-00022"], logs["ELQ-00034"]) == (0, 1, 1)
    assert bulk.rejects(sync.id) == []
    assert [(c["email"], c["city"]) for c in people(bulk)] == [("gus@imp.test", "Bergen")]


def test_bad_rows_are_rejected_with_their_code_and_the_rest_imported(bulk: Bulk) -> None:
    uri = bulk.define(
        "contacts",
        "imports",
        {
            "name": "typed",
            "fields": {"email": EMAIL, "staff": EMPLOYEES},
            "identifierFieldName": "email",
        },
    )["uri"]
    sync = bulk.run(
        uri,
        [
            {"email": "ivy@imp.test", "staff": "40"},
            {"email": "ivy-at-imp.test", "staff": "3"},
            {"email": "jo@imp.test", "staff": "forty"},
            {"email": "IVY@imp.test", "staff": "41"},
            {"email": "", "staff": "7"},
            {"email": "kim@imp.test", "staff": ""},
        ],
    )
    assert sync.status == "warning"
    rejects = bulk.rejects(sync.id)
    assert [(r["recordIndex"], r["statusCode"], r["invalidFields"]) for r in rejects] == [
        (2, "ELQ-00002", ["email"]),
        (3, "ELQ-00040", ["staff"]),
        (4, "ELQ-00026", ["email"]),
        (5, "ELQ-00061", ["email"]),
    ]
    assert rejects[1] == {
        "fieldValues": {"email": "jo@imp.test", "staff": "forty"},
        "message": "Invalid field value.",
        "statusCode": "ELQ-00040",
        "recordIndex": 3,
        "invalidFields": ["staff"],
    }
    logs = bulk.logs(sync.id)
    assert (logs["ELQ-00001"], logs["ELQ-00004"], logs["ELQ-00071"]) == (6, 2, 0)
    assert (logs["ELQ-00002"], logs["ELQ-00144"], logs["ELQ-00026"], logs["ELQ-00061"]) == (
        1,
        1,
        1,
        1,
    )
    stored = bulk.contacts("imp.test", staff=EMPLOYEES)
    assert [(c["email"], c["staff"]) for c in stored] == [
        ("ivy@imp.test", "40"),
        ("kim@imp.test", ""),
    ]


def test_each_address_of_a_chunk_is_checked_whatever_its_neighbours(bulk: Bulk) -> None:
    """The addresses of a chunk are checked together; a bad one, or one whose lines would
    each pass alone, is still rejected on its own row."""
    uri = contact_import(bulk)
    rows = [{"email": f"p{n}@imp.test"} for n in range(5)]
    rows[1] = {"email": "p1@imp"}
    rows[3] = {"email": "p3@imp.test\nq3@imp.test"}
    sync = bulk.run(uri, rows)
    assert [(r["recordIndex"], r["statusCode"]) for r in bulk.rejects(sync.id)] == [
        (2, "ELQ-00002"),
        (4, "ELQ-00002"),
    ]
    assert [c["email"] for c in people(bulk)] == ["p0@imp.test", "p2@imp.test", "p4@imp.test"]


def test_record_indexes_run_across_the_staged_files(bulk: Bulk) -> None:
    uri = contact_import(bulk)
    bulk.stage(uri, [{"email": "lu@imp.test"}, {"email": "mo@imp.test"}])
    bulk.stage(uri, [{"email": "broken"}, {"email": "ned@imp.test"}])
    bulk.sync(uri)
    sync = bulk.run_next()
    assert [(r["recordIndex"], r["statusCode"]) for r in bulk.rejects(sync.id)] == [
        (3, "ELQ-00002")
    ]
    assert bulk.logs(sync.id)["ELQ-00004"] == 3


def test_keys_outside_the_definition_are_ignored_with_a_warning(bulk: Bulk) -> None:
    sync = bulk.run(contact_import(bulk), [{"email": "ola@imp.test", "colour": "teal"}])
    assert sync.status == "warning"
    assert bulk.rejects(sync.id) == []
    (ignored,) = [line for line in bulk.log_lines(sync.id) if line["statusCode"] == "ELQ-00111"]
    assert ignored["severity"] == "warning"
    assert "colour" in ignored["message"]
    assert [c["email"] for c in people(bulk)] == ["ola@imp.test"]


def test_updating_multiple_matches_updates_every_record_with_the_value(bulk: Bulk) -> None:
    bulk.run(
        contact_import(bulk),
        [{"email": f"{name}@imp.test", "city": "Zzyzx"} for name in ("pia", "quin", "rex")],
    )
    by_city = {
        "name": "by city",
        "fields": {"city": CITY, "first": FIRST},
        "identifierFieldName": "city",
    }
    one = bulk.define("contacts", "imports", by_city)["uri"]
    bulk.run(one, [{"city": "Zzyzx", "first": "One"}])
    assert [c["first"] for c in people(bulk)] == ["One", "", ""]
    every = bulk.define(
        "contacts", "imports", {**by_city, "isUpdatingMultipleMatchedRecords": True}
    )
    bulk.run(every["uri"], [{"city": "Zzyzx", "first": "All"}])
    assert [c["first"] for c in people(bulk)] == ["All", "All", "All"]


def test_custom_object_records_are_created_then_updated_by_external_id(bulk: Bulk) -> None:
    uri = bulk.define(
        "customObjects",
        "imports",
        {
            "name": "by external id",
            "fields": {"external": CO_EXTERNAL, "reg": CO_REGISTRATION, "webinar": CO_WEBINAR},
            "identifierFieldName": "external",
        },
        9,
    )["uri"]
    created = bulk.run(uri, [{"external": "T-1", "reg": "R-1", "webinar": "Intro"}])
    updated = bulk.run(uri, [{"external": "T-1", "reg": "R-1", "webinar": "Advanced"}])
    assert bulk.logs(created.id)["ELQ-00007"] == 1
    assert (bulk.logs(updated.id)["ELQ-00007"], bulk.logs(updated.id)["ELQ-00012"]) == (0, 1)
    assert [(r["external"], r["webinar"]) for r in registrations(bulk)] == [("T-1", "Advanced")]


def test_custom_object_records_are_updated_by_id_and_unknown_ids_are_unmatched(
    bulk: Bulk,
) -> None:
    fields = {"external": CO_EXTERNAL, "reg": CO_REGISTRATION, "webinar": CO_WEBINAR}
    by_external = {"name": "x", "fields": fields, "identifierFieldName": "external"}
    bulk.run(
        bulk.define("customObjects", "imports", by_external, 9)["uri"],
        [{"external": "T-2", "reg": "R-2"}],
    )
    (record,) = registrations(bulk)
    by_id = {
        "name": "id",
        "fields": {"id": CO_ID, "webinar": CO_WEBINAR},
        "identifierFieldName": "id",
    }
    uri = bulk.define("customObjects", "imports", by_id, 9)["uri"]
    sync = bulk.run(
        uri, [{"id": record["id"], "webinar": "Closing"}, {"id": "987654", "webinar": "Lost"}]
    )
    logs = bulk.logs(sync.id)
    assert (logs["ELQ-00012"], logs["ELQ-00034"], logs["ELQ-00007"]) == (1, 1, 0)
    assert sync.status == "warning"
    assert [(r["id"], r["webinar"]) for r in registrations(bulk)] == [(record["id"], "Closing")]


def test_an_empty_required_field_rejects_only_rows_that_would_create_a_record(
    bulk: Bulk,
) -> None:
    body = {
        "name": "required",
        "fields": {"external": CO_EXTERNAL, "reg": CO_REGISTRATION, "webinar": CO_WEBINAR},
        "identifierFieldName": "external",
    }
    uri = bulk.define("customObjects", "imports", body, 9)["uri"]
    bulk.run(uri, [{"external": "T-3", "reg": "R-3", "webinar": "Intro"}])
    sync = bulk.run(
        uri,
        [
            {"external": "T-3", "reg": "", "webinar": "Kept"},
            {"external": "T-4", "reg": "", "webinar": "Refused"},
        ],
    )
    (reject,) = bulk.rejects(sync.id)
    assert (reject["recordIndex"], reject["statusCode"], reject["invalidFields"]) == (
        2,
        "ELQ-00061",
        ["reg"],
    )
    assert [(r["external"], r["webinar"]) for r in registrations(bulk)] == [("T-3", "Kept")]


def test_apply_returns_what_the_import_did(bulk: Bulk) -> None:
    body = {"name": "p", "fields": {"email": EMAIL, "city": CITY}, "identifierFieldName": "email"}
    definition = bulk.define("contacts", "imports", body)
    uri = definition["uri"]
    bulk.run(uri, [{"email": "sal@imp.test", "city": "Oslo"}])
    bulk.stage(uri, [{"email": "sal@imp.test", "city": "Bergen"}, {"email": "tam@imp.test"}])
    bulk.stage(uri, [{"email": "x"}])
    id_ = sync_id(bulk.sync(uri))
    claimed = bulk.claim()
    assert (claimed.id, claimed.status) == (id_, "active")
    outcome = bulk.store.write_sync(
        imports.apply, bulk.principal.site_id, id_, "contacts", 0, definition, bulk.now
    )
    assert (outcome.staged, outcome.created, outcome.updated, outcome.invalid_emails) == (
        3,
        1,
        1,
        1,
    )
    assert (outcome.rejected, outcome.status) == (1, "warning")
    assert [index for index, _ in outcome.rejects] == [3]
    stored = people(bulk)
    assert [(c["email"], c["city"]) for c in stored] == [
        ("sal@imp.test", "Bergen"),
        ("tam@imp.test", ""),
    ]


def test_a_value_longer_than_its_field_holds_is_rejected_never_stored(bulk: Bulk) -> None:
    """Oracle's data types: small text holds 100 characters on contacts (250 on custom
    objects), numbers 15 digits before the point."""
    uri = contact_import(bulk, fields={"email": EMAIL, "first": FIRST, "staff": EMPLOYEES})
    final = bulk.run(
        uri,
        [
            {"email": "fits@imp.test", "first": "x" * 100, "staff": "123456789012345"},
            {"email": "long@imp.test", "first": "x" * 101},
            {"email": "huge@imp.test", "first": "y" * 10_000_000},
            {"email": "many@imp.test", "staff": "1234567890123456"},
        ],
    )
    assert final.status == "warning"
    rejects = {
        r["recordIndex"]: (r["statusCode"], r["invalidFields"]) for r in bulk.rejects(final.id)
    }
    assert rejects == {
        2: ("ELQ-00040", ["first"]),
        3: ("ELQ-00040", ["first"]),
        4: ("ELQ-00040", ["staff"]),
    }
    assert [p["email"] for p in people(bulk)] == ["fits@imp.test"]
    assert people(bulk)[0]["first"] == "x" * 100


@pytest.mark.parametrize("null_identifier", [False, True])
def test_null_identifier_field_name_lets_a_row_with_no_identifier_create_a_record(
    bulk: Bulk, null_identifier: bool
) -> None:
    """Oracle: "Whether or not to null the identifier field". Without it an empty
    identifier rejects the row (ELQ-00061); with it the row creates a record, as an empty
    record id or external id always does."""
    uri = bulk.define(
        "customObjects",
        "imports",
        {
            "name": "null identifier",
            "fields": {"external": CO_EXTERNAL, "reg": CO_REGISTRATION, "webinar": CO_WEBINAR},
            "identifierFieldName": "webinar",
            "nullIdentifierFieldName": null_identifier,
        },
        9,
    )["uri"]
    final = bulk.run(uri, [{"external": "T-N1", "reg": "R-N1", "webinar": ""}])
    created = [r["external"] for r in registrations(bulk)]
    if null_identifier:
        assert final.status == "success"
        assert created == ["T-N1"]
    else:
        assert final.status == "warning"
        assert [r["statusCode"] for r in bulk.rejects(final.id)] == ["ELQ-00061"]
        assert created == []


def test_imported_contacts_keep_their_email_key_whatever_the_identifier(bulk: Bulk) -> None:
    """The e-mail index holds each contact's lower-cased address however an import wrote
    it: created under an e-mail identifier (the key taken from the match), created or
    updated under an id identifier (the key taken from the address)."""
    bulk.run(contact_import(bulk), [{"email": "Key.One@IMP.test"}])
    (one,) = [c for c in people(bulk) if c["email"] == "Key.One@IMP.test"]
    by_id = bulk.define(
        "contacts",
        "imports",
        {
            "name": "by id",
            "fields": {"id": "{{Contact.Id}}", "email": EMAIL},
            "identifierFieldName": "id",
        },
    )["uri"]
    sync = bulk.run(
        by_id,
        [
            {"id": str(one["id"]), "email": "Moved.One@IMP.test"},
            {"id": "", "email": "New.Two@IMP.test"},
        ],
    )
    assert sync.status == "success"

    def keys(db) -> list[tuple[str, str | None]]:
        return db.execute(
            "SELECT json_extract(fields, '$.C_EmailAddress'), email_key FROM contacts "
            "WHERE email_key IS NOT lower(json_extract(fields, '$.C_EmailAddress')) "
            "OR email_key LIKE '%@imp.test' ORDER BY id"
        ).fetchall()

    assert bulk.store.read_sync(keys) == [
        ("Moved.One@IMP.test", "moved.one@imp.test"),
        ("New.Two@IMP.test", "new.two@imp.test"),
    ]
