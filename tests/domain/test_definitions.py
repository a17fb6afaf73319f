"""Definitions as plain functions (``domain.definitions``): what is stored and echoed, the
failures of an invalid body, all reported at once, and that a rejected body stores
nothing."""

from __future__ import annotations

import orjson
import pytest

from emulator.core import constraints as c
from emulator.core import timestamps
from emulator.core.errors import Failure, NotFound, ValidationFailed
from emulator.core.listing import Q_LENGTH_MAX, Q_TERMS_MAX
from emulator.domain import definitions
from tests.domain.support import CITY, EMAIL, FIRST, Bulk

CONTACT_IMPORTS = definitions.where("contacts", "imports")
CONTACT_EXPORTS = definitions.where("contacts", "exports")
IMPORT = {
    "name": "people",
    "fields": {"email": EMAIL, "city": CITY},
    "identifierFieldName": "email",
}


def stored(bulk: Bulk, at: definitions.Where, kind: str) -> list[dict]:
    page, _ = bulk.store.read_sync(
        definitions.list_definitions, bulk.principal, at, kind, {}, 1000, bulk.now
    )
    return [orjson.loads(item) for item in page.items]


def rejected(bulk: Bulk, at: definitions.Where, body: object) -> list[Failure]:
    with pytest.raises(ValidationFailed) as caught:
        bulk.store.write_sync(definitions.create, bulk.principal, at, body, bulk.now, "PT6H")
    return caught.value.failures


def test_an_import_is_stored_with_defaults_and_audit_fields(bulk: Bulk) -> None:
    item = bulk.define("contacts", "imports", IMPORT)
    stamp = timestamps.from_epoch(bulk.now)
    assert item == {
        **IMPORT,
        "isSyncTriggeredOnImport": False,
        "dataRetentionDuration": "P7D",
        "isUpdatingMultipleMatchedRecords": False,
        "uri": "/contacts/imports/1",
        "createdBy": "jane",
        "createdAt": stamp,
        "updatedBy": "jane",
        "updatedAt": stamp,
    }
    served = bulk.store.read_sync(definitions.get, bulk.principal, CONTACT_IMPORTS, 1, bulk.now)
    assert orjson.loads(served) == item


def test_an_export_takes_the_retention_it_is_given_or_the_default(bulk: Bulk) -> None:
    old_default = bulk.store.write_sync(
        definitions.create,
        bulk.principal,
        CONTACT_EXPORTS,
        {"name": "e", "fields": {"email": EMAIL}},
        bulk.now,
        "PT12H",
    )
    assert orjson.loads(old_default)["dataRetentionDuration"] == "PT12H"
    chosen = bulk.define(
        "contacts",
        "exports",
        {"name": "e", "fields": {"email": EMAIL}, "dataRetentionDuration": "P2D"},
    )
    assert chosen["dataRetentionDuration"] == "P2D"


def test_every_problem_is_reported_at_once_and_nothing_is_stored(bulk: Bulk) -> None:
    failures = rejected(
        bulk,
        CONTACT_IMPORTS,
        {
            "fields": {"created": "{{Contact.Field(C_DateCreated)}}"},
            "identifierFieldName": "created",
            "updateRule": "sometimes",
        },
    )
    assert failures == [
        Failure("name", c.STRING_LENGTH.format(low=1, high=100), has_value=False),
        Failure("identifierFieldName", c.IDENTIFIER_TYPE, "created"),
        Failure(
            "updateRule",
            c.ENUM_VALUE.format(values="always, ifNewIsNotNull, ifExistingIsNull, useFieldRule"),
            "sometimes",
        ),
    ]
    assert stored(bulk, CONTACT_IMPORTS, "imports") == []
    assert bulk.define("contacts", "imports", IMPORT)["uri"] == "/contacts/imports/1"


@pytest.mark.parametrize(
    ("body", "failure"),
    [
        (
            {"name": "n", "fields": {"email": EMAIL}},
            Failure(
                "identifierFieldName", c.STRING_LENGTH.format(low=1, high=100), has_value=False
            ),
        ),
        (
            {"name": "n", "fields": {"email": EMAIL}, "identifierFieldName": "mail"},
            Failure("identifierFieldName", c.IDENTIFIER_NOT_IN_FIELDS.format(name="mail"), "mail"),
        ),
        (
            {
                "name": "n",
                "fields": {"x": "{{Contact.Field(C_NoSuchField)}}"},
                "identifierFieldName": "x",
            },
            # as a pod answers (reference §18): on the column's key, inside fields
            Failure(
                "x",
                c.FIELD_NOT_EXISTING,
                "{{Contact.Field(C_NoSuchField)}}",
                trace=("fields",),
            ),
        ),
        (
            {"name": "n", "fields": {}, "identifierFieldName": "x"},
            Failure("fields", c.FIELDS_COUNT.format(high=100), {}),
        ),
        (
            {"name": "x" * 101, "fields": {"email": EMAIL}, "identifierFieldName": "email"},
            Failure("name", c.STRING_LENGTH.format(low=1, high=100), "x" * 101),
        ),
        ([IMPORT], Failure("body", c.BODY_NOT_OBJECT, [IMPORT])),
    ],
    ids=[
        "no identifier",
        "identifier not a field",
        "unknown field",
        "no fields",
        "long name",
        "list body",
    ],
)
def test_an_invalid_import_is_refused_with_its_failure(bulk: Bulk, body, failure) -> None:
    assert rejected(bulk, CONTACT_IMPORTS, body) == [failure]
    assert stored(bulk, CONTACT_IMPORTS, "imports") == []


def test_a_sync_action_definition_names_exactly_one_field(bulk: Bulk) -> None:
    fields = {"id": "{{Contact.Id}}", "email": EMAIL}
    failures = rejected(
        bulk,
        definitions.where("contacts", "syncActions"),
        {
            "name": "two fields",
            "fields": fields,
            "identifierFieldName": "id",
            "syncActions": [{"action": "add", "destination": "{{ContactList[58]}}"}],
        },
    )
    assert failures == [Failure("fields", c.SYNC_ACTION_FIELDS, fields)]


def test_activity_exports_take_no_sync_actions(bulk: Bulk) -> None:
    actions = [{"action": "add", "destination": "{{ContactList[58]}}"}]
    failures = rejected(
        bulk,
        definitions.where("activities", "exports"),
        {"name": "a", "fields": {"id": "{{Activity.Id}}"}, "syncActions": actions},
    )
    assert failures == [Failure("syncActions", c.SYNC_ACTIONS_NONE, actions)]


def test_a_bad_filter_and_retention_are_both_reported(bulk: Bulk) -> None:
    bad = "'{{Contact.Field(C_NoSuchField)}}' = 'x'"
    failures = rejected(
        bulk,
        CONTACT_EXPORTS,
        {"name": "e", "fields": {"email": EMAIL}, "filter": bad, "dataRetentionDuration": "PT5M"},
    )
    assert [(f.field, f.value) for f in failures] == [
        ("filter", bad),
        ("dataRetentionDuration", "PT5M"),
    ]
    assert failures[1].constraint == c.RETENTION_RANGE
    assert stored(bulk, CONTACT_EXPORTS, "exports") == []


def test_definitions_of_an_unknown_custom_object_are_not_found(bulk: Bulk) -> None:
    body = {"name": "n", "fields": {"id": "{{CustomObject[777].Id}}"}, "identifierFieldName": "id"}
    with pytest.raises(NotFound):
        bulk.define("customObjects", "imports", body, parent_id=777)


def test_replace_keeps_the_creation_and_drops_what_is_not_sent_again(bulk: Bulk, colleague) -> None:
    created = bulk.define(
        "contacts", "exports", {"name": "v1", "fields": {"email": EMAIL}, "maxRecords": 5}
    )
    later = bulk.now + 60
    replaced = orjson.loads(
        bulk.store.write_sync(
            definitions.replace,
            colleague,
            CONTACT_EXPORTS,
            1,
            {"name": "v2", "fields": {"first": FIRST}},
            later,
            "PT6H",
        )
    )
    assert replaced["name"] == "v2"
    assert replaced["fields"] == {"first": FIRST}
    assert "maxRecords" not in replaced
    assert (replaced["createdBy"], replaced["createdAt"]) == ("jane", created["createdAt"])
    assert (replaced["updatedBy"], replaced["updatedAt"]) == ("john", timestamps.from_epoch(later))


def test_a_rejected_replace_leaves_the_definition_as_it_was(bulk: Bulk) -> None:
    created = bulk.define("contacts", "exports", {"name": "v1", "fields": {"email": EMAIL}})
    with pytest.raises(ValidationFailed) as caught:
        bulk.store.write_sync(
            definitions.replace,
            bulk.principal,
            CONTACT_EXPORTS,
            1,
            {"name": "v2"},
            bulk.now,
            "PT6H",
        )
    assert caught.value.failures == [Failure("fields", c.PROPERTY_REQUIRED, None)]
    assert stored(bulk, CONTACT_EXPORTS, "exports") == [created]


def test_a_deleted_definition_is_gone_and_its_id_is_not_reused(bulk: Bulk) -> None:
    bulk.define("contacts", "imports", IMPORT)
    bulk.store.write_sync(definitions.delete, bulk.principal, CONTACT_IMPORTS, 1, bulk.now)
    with pytest.raises(NotFound):
        bulk.store.read_sync(definitions.get, bulk.principal, CONTACT_IMPORTS, 1, bulk.now)
    with pytest.raises(NotFound):
        bulk.store.write_sync(definitions.delete, bulk.principal, CONTACT_IMPORTS, 1, bulk.now)
    assert bulk.define("contacts", "imports", IMPORT)["uri"] == "/contacts/imports/2"


def test_another_site_never_sees_a_definition(bulk: Bulk, stranger) -> None:
    bulk.define("contacts", "imports", IMPORT)
    with pytest.raises(NotFound):
        bulk.store.read_sync(definitions.get, stranger, CONTACT_IMPORTS, 1, bulk.now)
    page, _ = bulk.store.read_sync(
        definitions.list_definitions, stranger, None, "imports", {}, 1000, bulk.now
    )
    assert page.items == []


def test_auto_delete_duration_removes_the_definition_when_it_elapses(bulk: Bulk) -> None:
    bulk.define(
        "contacts",
        "exports",
        {"name": "brief", "fields": {"email": EMAIL}, "autoDeleteDuration": "PT1H"},
    )
    get = definitions.get
    assert bulk.store.read_sync(get, bulk.principal, CONTACT_EXPORTS, 1, bulk.now + 3599)
    with pytest.raises(NotFound):
        bulk.store.read_sync(get, bulk.principal, CONTACT_EXPORTS, 1, bulk.now + 3600)


def test_the_longest_list_query_the_language_allows_runs_in_sqlite(bulk: Bulk) -> None:
    """50 ``!=`` wildcard terms (the deepest expression), every property in ``orderBy``,
    and a 2,000-character wildcard of four-byte characters: all within SQLite's limits."""
    bulk.define("contacts", "imports", IMPORT)
    names = sorted(definitions.LISTING.properties)
    deepest = {"q": " ".join(["name!=*zz*"] * Q_TERMS_MAX), "orderBy": ",".join(names)}
    widest = {"q": "name=*" + "😀" * (Q_LENGTH_MAX - 7) + "*"}
    for params in (deepest, widest):
        page, query = bulk.store.read_sync(
            definitions.list_definitions,
            bulk.principal,
            CONTACT_IMPORTS,
            "imports",
            params,
            1000,
            bulk.now,
        )
        assert len(query.terms) in (1, Q_TERMS_MAX)
        assert len(page.items) == (1 if params is deepest else 0)
