"""Seeding synthetic records (emulator.domain.synthetic) on an in-memory store: what a run
writes, that it depends on the seed alone (not on the chunking), that it claims its ids
first, and what it refuses."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator

import orjson
import pytest

from emulator.core.config import MEMORY
from emulator.core.errors import NotFound, ValidationFailed
from emulator.domain import synthetic
from emulator.store import Store, records, sites, tables
from tests.domain.conftest import NOW, SITE

ORDER = synthetic.Order(
    site=SITE, seed=11, accounts=40, contacts=600, custom_objects=90, activities=400
)
COLUMNS = {
    "accounts": "id, created_at, updated_at, fields FROM accounts",
    "contacts": "id, created_at, updated_at, account_id, is_subscribed, is_bounced, "
    "email_format, fields FROM contacts",
    "activities": "* FROM activities",
}


def run(store: Store, order: synthetic.Order, chunk: int = 250) -> synthetic.Plan:
    plan = store.write_sync(synthetic.prepare, order, NOW)
    for step in synthetic.steps(plan, lambda: chunk):
        store.write_sync(synthetic.write, plan, step)
    return plan


def rows(store: Store, plan: synthetic.Plan) -> dict[str, list[tuple]]:
    """The rows of the run's id ranges, as stored."""
    conn, ids = store.writer.conn, synthetic.finished(plan)["ids"]
    found = {
        family: conn.execute(
            f"SELECT {columns} WHERE site_id = ? AND id BETWEEN ? AND ? ORDER BY id",
            [plan.site_id, ids[family]["first"], ids[family]["last"]],
        ).fetchall()
        for family, columns in COLUMNS.items()
    }
    found["customObjects"] = [
        row
        for parent, span in ids["customObjects"].items()
        for row in conn.execute(
            "SELECT parent_id, id, external_id, contact_id, created_at, updated_at, fields "
            "FROM object_records WHERE site_id = ? AND family = 'customObjects' "
            "AND parent_id = ? AND id BETWEEN ? AND ? ORDER BY id",
            [plan.site_id, int(parent), span["first"], span["last"]],
        )
    ]
    return found


@pytest.fixture
def fresh(seeded: sqlite3.Connection) -> Iterator[Store]:
    """A second store holding the same template, for runs compared side by side."""
    other = Store(MEMORY)
    seeded.backup(other.writer.conn)
    yield other
    other.close()


def test_a_run_writes_every_record_it_was_asked_for(store) -> None:
    plan = run(store, ORDER)
    found = rows(store, plan)
    assert {family: len(found[family]) for family in found} == ORDER.counts()
    summary = synthetic.finished(plan)
    assert summary["created"] == ORDER.counts()
    assert summary["ids"]["contacts"] == {"first": 301, "last": 900}
    assert summary["ids"]["accounts"] == {"first": 61, "last": 100}
    per_object = summary["ids"]["customObjects"]
    assert sorted(per_object) == ["12", "15", "9"]  # spread over the site's three objects
    assert sum(r["last"] - r["first"] + 1 for r in per_object.values()) == 90


def test_the_same_seed_gives_the_same_rows_whatever_the_chunks(store, fresh) -> None:
    first = run(store, ORDER, chunk=250)
    second = run(fresh, ORDER, chunk=7)
    assert rows(store, first) == rows(fresh, second)


def test_another_seed_gives_other_rows(store, fresh) -> None:
    first = run(store, ORDER)
    second = run(fresh, synthetic.Order(**{**ORDER.__dict__, "seed": 12}))
    one, other = rows(store, first), rows(fresh, second)
    for family in ORDER.counts():
        assert len(one[family]) == len(other[family])
        assert not set(one[family]) & set(other[family]), family


def test_contacts_have_unique_addresses_and_catalog_fields(store) -> None:
    plan = run(store, ORDER)
    conn = store.writer.conn
    addresses = [
        row[0]
        for row in conn.execute(
            "SELECT lower(json_extract(fields, '$.C_EmailAddress')) FROM contacts "
            "WHERE site_id = ?",
            [plan.site_id],
        )
    ]
    assert len(addresses) == 300 + 600
    assert len(set(addresses)) == len(addresses)  # fixtures' and seeded, all distinct
    catalog = {
        row[0]
        for row in conn.execute(
            "SELECT internal_name FROM fields WHERE site_id = ? AND family = 'contacts'",
            [plan.site_id],
        )
    }
    for contact in rows(store, plan)["contacts"]:
        fields = orjson.loads(contact[-1])
        assert set(fields) <= catalog
        assert {"C_EmailAddress", "C_FirstName", "C_LastName", "C_Company", "C_Country"} <= set(
            fields
        )
        assert 61 <= contact[3] <= 100  # an account of the run
        assert fields["C_EmailAddress"].endswith(".example")


def test_contacts_work_for_their_accounts(store) -> None:
    plan = run(store, ORDER)
    found = rows(store, plan)
    companies = {a[0]: orjson.loads(a[3])["M_CompanyName"] for a in found["accounts"]}
    for contact in found["contacts"]:
        assert orjson.loads(contact[-1])["C_Company"] == companies[contact[3]]


def test_activities_and_custom_object_records_name_the_runs_contacts(store) -> None:
    plan = run(store, ORDER)
    found = rows(store, plan)
    addresses = {c[0]: orjson.loads(c[-1])["C_EmailAddress"] for c in found["contacts"]}
    types: Counter[str] = Counter()
    for activity in found["activities"]:
        contact_id, kind, fields = activity[4], activity[2], orjson.loads(activity[-1])
        types[kind] += 1
        assert contact_id in addresses
        if "EmailAddress" in fields:
            assert fields["EmailAddress"] == addresses[contact_id]
    assert len(types) >= 8  # a mix of e-mail, web, form and SMS activities
    emails = {"9": "104", "12": "121", "15": "151"}  # each object's e-mail address field
    uniques = {"9": "103", "12": "120", "15": "150"}
    seen = set()
    for parent, _, _, contact_id, _, _, data in found["customObjects"]:
        fields = orjson.loads(data)
        assert fields[emails[str(parent)]] == addresses[contact_id]
        seen.add(fields[uniques[str(parent)]])
    assert len(seen) == 90


def test_the_range_is_claimed_before_the_chunks_are_written(store) -> None:
    plan = store.write_sync(synthetic.prepare, ORDER, NOW)
    # an import creating a contact now takes the id after the run's range
    assert store.read_sync(records.next_record_id, tables.CONTACTS, plan.site_id, 0) == 901
    again = store.write_sync(synthetic.prepare, ORDER, NOW)
    assert synthetic.finished(again)["ids"]["contacts"] == {"first": 901, "last": 1500}
    for each in (plan, again):
        for step in synthetic.steps(each, lambda: 100):
            store.write_sync(synthetic.write, each, step)
    assert store.read_sync(records.count, "contacts", plan.site_id) == 300 + 1200
    first, second = rows(store, plan), rows(store, again)
    assert len(first["contacts"]) == len(second["contacts"]) == 600


def test_a_new_site_is_created_from_the_fixtures(store) -> None:
    plan = run(store, synthetic.Order(site="Initech", contacts=10))
    assert plan.site == "Initech"
    assert store.read_sync(records.count, "contacts", plan.site_id) == 300 + 10


def test_a_site_reset_away_stops_the_run(store) -> None:
    plan = store.write_sync(synthetic.prepare, ORDER, NOW)
    store.write_sync(sites.clear_everything)
    step = next(synthetic.steps(plan, lambda: 100))
    with pytest.raises(NotFound) as caught:
        store.write_sync(synthetic.write, plan, step)
    assert caught.value.failures[0].field == "site"


def test_custom_object_records_need_custom_objects(store) -> None:
    store.writer.execute("DELETE FROM containers WHERE family = 'customObjects'")
    with pytest.raises(ValidationFailed) as caught:
        store.write_sync(synthetic.prepare, ORDER, NOW)
    assert [f.field for f in caught.value.failures] == ["customObjects"]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ([], ["body"]),
        ({}, ["site"]),
        ({"site": " "}, ["site"]),
        ({"site": "A\\b"}, ["site"]),
        ({"site": "Acme", "contacts": -1, "accounts": True}, ["accounts", "contacts"]),
        ({"site": "Acme", "activities": 100_000_001, "seed": "7"}, ["seed", "activities"]),
        ({"site": "Acme", "custom_objects": 5}, ["custom_objects"]),
    ],
)
def test_orders_are_checked_key_by_key(body, fields) -> None:
    with pytest.raises(ValidationFailed) as caught:
        synthetic.parse(body)
    assert [f.field for f in caught.value.failures] == fields


def test_an_order_reads_back_from_its_body() -> None:
    assert synthetic.parse(ORDER.body()) == ORDER
    assert synthetic.parse({"site": " Acme "}) == synthetic.Order(site="Acme")
