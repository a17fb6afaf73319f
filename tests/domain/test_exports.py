"""Export syncs (``domain.exports.snapshot`` run by a sync) and their data
(``exports.data_page`` + ``exports.chunks``): filters, limits, timestamps, and who may read
the data for how long."""

from __future__ import annotations

import pytest

from emulator.core import constraints as c
from emulator.core.errors import Failure, Forbidden, NotFound, ValidationFailed
from emulator.domain import exports
from tests.domain.support import CITY, CONTACT_ID, EMAIL, Bulk, sync_id

EMPTY_LIST = 58  # the fixtures' "Empty Test List"
PEOPLE = [
    {"email": "ada@exp.test", "city": "Zzyzx"},
    {"email": "bea@exp.test", "city": "Yreka"},
    {"email": "cal@exp.test", "city": "zzyzx"},
    {"email": "dee@other.test", "city": "Zzyzx"},
]


@pytest.fixture
def people(bulk: Bulk) -> list[str]:
    """Four contacts of our own, imported at ``bulk.now``; their ids in import order."""
    uri = bulk.define(
        "contacts",
        "imports",
        {
            "name": "people",
            "fields": {"email": EMAIL, "city": CITY},
            "identifierFieldName": "email",
        },
    )["uri"]
    assert bulk.run(uri, PEOPLE).status == "success"
    found = bulk.export("contacts", {"id": CONTACT_ID}, filter=f"'{EMAIL}' ~ '%_@%.test'")
    return [row["id"] for row in found]


def export_sync(bulk: Bulk, **options) -> int:
    """Define and sync an export of our contacts' e-mail addresses; the sync's id, ended."""
    uri = bulk.define("contacts", "exports", {"name": "e", "fields": {"email": EMAIL}, **options})
    id_ = sync_id(bulk.sync(uri["uri"]))
    assert bulk.run_next().status == "success"
    return id_


def emails(bulk: Bulk, filter_: str, **options) -> list[str]:
    rows = bulk.export("contacts", {"email": EMAIL}, filter=filter_, **options)
    return [row["email"] for row in rows]


def test_equals_matches_whole_values_ignoring_case(bulk: Bulk, people) -> None:
    assert emails(bulk, f"'{CITY}' = 'ZZYZX'") == ["ada@exp.test", "cal@exp.test", "dee@other.test"]


def test_tilde_matches_a_like_pattern(bulk: Bulk, people) -> None:
    assert emails(bulk, f"'{EMAIL}' ~ '%@exp.test'") == [
        "ada@exp.test",
        "bea@exp.test",
        "cal@exp.test",
    ]


def test_filters_combine_with_and_and_not(bulk: Bulk, people) -> None:
    found = emails(bulk, f"'{EMAIL}' ~ '%@exp.test' AND NOT '{CITY}' = 'Yreka'")
    assert found == ["ada@exp.test", "cal@exp.test"]


def test_exists_exports_exactly_the_members_of_a_list(bulk: Bulk, people) -> None:
    in_list = f"EXISTS('{{{{ContactList[{EMPTY_LIST}]}}}}')"
    assert emails(bulk, in_list) == []

    adder = bulk.define(
        "contacts",
        "syncActions",
        {
            "name": "to the list",
            "fields": {"id": CONTACT_ID},
            "identifierFieldName": "id",
            "syncActions": [{"action": "add", "destination": f"{{{{ContactList[{EMPTY_LIST}]}}}}"}],
        },
    )["uri"]
    bulk.run(adder, [{"id": people[1]}, {"id": people[3]}])
    assert emails(bulk, in_list) == ["bea@exp.test", "dee@other.test"]


def test_max_records_keeps_the_first_records_in_id_order(bulk: Bulk, people) -> None:
    rows = bulk.export("contacts", {"id": CONTACT_ID}, filter=f"'{EMAIL}' ~ '%.test'", maxRecords=2)
    assert [row["id"] for row in rows] == people[:2]


def test_system_timestamps_are_eastern_time_unless_utc_is_asked_for(bulk: Bulk, people) -> None:
    fields = {"created": "{{Contact.CreatedAt}}"}
    only_ada = f"'{EMAIL}' = 'ada@exp.test'"
    eastern = bulk.export("contacts", fields, filter=only_ada)
    utc = bulk.export("contacts", fields, filter=only_ada, areSystemTimestampsInUTC=True)
    assert eastern == [{"created": "2027-01-15 03:00:00.000"}]  # EST, UTC-5 in January
    assert utc == [{"created": "2027-01-15 08:00:00.000"}]


def test_the_data_is_a_snapshot_that_later_imports_do_not_change(bulk: Bulk, people) -> None:
    before = export_sync(bulk, filter=f"'{EMAIL}' ~ '%@exp.test'")
    uri = bulk.define(
        "contacts",
        "imports",
        {"name": "more", "fields": {"email": EMAIL}, "identifierFieldName": "email"},
    )["uri"]
    bulk.run(uri, [{"email": "eve@exp.test"}])
    assert len(bulk.data(before)) == 3
    assert len(emails(bulk, f"'{EMAIL}' ~ '%@exp.test'")) == 4


def test_pages_cover_the_data_without_overlap(bulk: Bulk, people) -> None:
    id_ = export_sync(bulk, filter=f"'{EMAIL}' ~ '%.test'")
    pages = []
    for offset in (0, 3):
        page = bulk.store.read_sync(exports.data_page, bulk.principal, id_, offset, 3, bulk.now)
        pages.append((page.count, page.total, page.has_more))
    assert pages == [(3, 4, True), (1, 4, False)]


def test_data_expires_with_the_retention(bulk: Bulk, people) -> None:
    id_ = export_sync(bulk, filter=f"'{EMAIL}' ~ '%@exp.test'", dataRetentionDuration="PT1H")
    bulk.now += 3599
    assert len(bulk.data(id_)) == 3
    bulk.now += 1
    with pytest.raises(NotFound) as caught:
        bulk.data(id_)
    assert caught.value.failures == [Failure("uri", c.DATA_EXPIRED, f"/syncs/{id_}/data")]


def test_only_the_user_who_synced_reads_the_data(bulk: Bulk, people, colleague) -> None:
    id_ = export_sync(bulk, filter=f"'{EMAIL}' ~ '%@exp.test'")
    with pytest.raises(Forbidden) as caught:
        bulk.data(id_, as_=colleague)
    assert caught.value.failures == [Failure("uri", c.DATA_OTHER_USER, f"/syncs/{id_}/data")]
    assert len(bulk.data(id_)) == 3


def test_data_of_a_sync_that_has_not_ended_or_is_an_import_is_refused(bulk: Bulk) -> None:
    uri = bulk.define("contacts", "exports", {"name": "e", "fields": {"email": EMAIL}})["uri"]
    pending = sync_id(bulk.sync(uri))
    with pytest.raises(NotFound) as caught:
        bulk.data(pending)
    assert caught.value.failures == [Failure("uri", c.DATA_NOT_READY, f"/syncs/{pending}/data")]
    bulk.run_next()
    importer = bulk.define(
        "contacts",
        "imports",
        {"name": "i", "fields": {"email": EMAIL}, "identifierFieldName": "email"},
    )["uri"]
    imported = sync_id(bulk.sync(importer))
    with pytest.raises(ValidationFailed):
        bulk.data(imported)
