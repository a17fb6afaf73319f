"""The pure parts of synthetic records (emulator.core.synthetic): timestamps built from
digit tables agree with the project's formatter, and any record can be made alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from emulator.core import synthetic, timestamps, values

EPOCH = datetime(2019, 1, 1, tzinfo=UTC)
SECONDS = synthetic.SPAN_SECONDS + synthetic.UPDATE_SECONDS


@given(st.integers(0, SECONDS - 1), st.integers(0, 999_999))
def test_stamps_are_the_resource_and_date_forms(seconds: int, micros: int) -> None:
    moment = EPOCH + timedelta(seconds=seconds, microseconds=micros)
    resource, text = synthetic.stamps(seconds, micros)
    assert resource == timestamps.format_resource(moment)
    assert text == moment.strftime("%Y-%m-%d %H:%M:%S")


def test_a_record_made_alone_equals_the_same_record_made_in_a_range() -> None:
    records = synthetic.Records(synthetic.Layout(seed=5, contacts=1000, accounts=10))
    whole = list(records.contacts(0, 1000))
    again = synthetic.Records(synthetic.Layout(seed=5, contacts=1000, accounts=10))
    assert [next(again.contacts(n, n + 1)) for n in (0, 499, 999)] == [
        whole[0],
        whole[499],
        whole[999],
    ]


def test_contact_fields_are_valid_values_of_their_types() -> None:
    records = synthetic.Records(synthetic.Layout(seed=8, contacts=500))
    for row in records.contacts(0, 500):
        assert values.email(row["fields"]["C_EmailAddress"])
        assert row["created_at"] <= row["updated_at"]
    accounts = synthetic.Records(synthetic.Layout(seed=8, accounts=100))
    for row in accounts.accounts(0, 100):
        assert values.valid("number", row["fields"]["M_Employees1"])
        assert values.valid("date", row["fields"]["M_DateCreated"])


def test_only_the_catalogs_fields_are_filled() -> None:
    layout = synthetic.Layout(seed=1, contacts=3, contact_fields=frozenset({"C_Country"}))
    assert [set(r["fields"]) for r in synthetic.Records(layout).contacts(0, 3)] == [
        {"C_Country"}
    ] * 3
    none = synthetic.Layout(seed=1, contacts=3, contact_fields=frozenset())
    assert [r["fields"] for r in synthetic.Records(none).contacts(0, 3)] == [{}] * 3
