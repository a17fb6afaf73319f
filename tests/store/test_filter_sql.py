"""Compiled filters select exactly the records the Python statement of the semantics
selects (hypothesis, on random data), and bind every value."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from functools import partial

import orjson
from hypothesis import given
from hypothesis import strategies as st

from emulator.core import timestamps
from emulator.core.filters.ast import And, Compare, Exists, Not, Or, Status
from emulator.core.filters.evaluate import evaluate
from emulator.core.markup import ast
from emulator.store.filter_sql import compile_filter
from emulator.store.tables import CONTACTS, column

GUID = "f82d50cd86a94fcab37e4ec9a98b0339"
CITY = ast.ContactField("C_City")
EMPLOYEES = ast.ContactField("C_Employees1")
DATE_CREATED = ast.ContactField("C_DateCreated")
CREATED = ast.ContactAttribute("CreatedAt")
ID = ast.ContactAttribute("Id")
SUBSCRIBED = ast.ContactEmailAttribute("IsSubscribed")
TYPES = {
    CITY: "string",
    EMPLOYEES: "number",
    DATE_CREATED: "date",
    CREATED: "date",
    ID: "number",
    SUBSCRIBED: "boolean",
}
LIST = ast.ContactList(12)


def typed(node: ast.FieldStatement) -> str:
    return TYPES.get(node, "string")


INSTANCE = ast.ActionInstance(GUID, 7)

cities = st.sampled_from(
    ["Köln", "köln", "KÖLN", "Paris", "paris", "", "São Paulo", "a_b", "100%", "Zoë"]
)
numbers = st.sampled_from(["", "0", "12", "12.5", "-3", "abc", "1,000"])
dates = st.sampled_from(["", "2024-01-01 00:00:00", "2024-06-30 23:59:59", "2025-03-09 02:30:00"])
moments = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 31))

record = st.fixed_dictionaries(
    {
        "city": cities,
        "employees": numbers,
        "date": dates,
        "created": moments,
        "subscribed": st.booleans(),
        "member": st.booleans(),
        "status": st.sampled_from([None, "pending", "complete", "Pending"]),
    }
)

OPS = ["=", "!=", ">", ">=", "<", "<=", "~"]
values = st.one_of(
    cities,
    numbers,
    dates,
    st.sampled_from(
        [
            "%ö%",
            "p_ris",
            "2024-06-30",
            "2025-03-09 02:30:00",
            "true",
            "false",
            "1",
            "3",
            "2025-01-01 05:00:00",
        ]
    ),
)
leaf = st.one_of(
    st.builds(Compare, st.sampled_from(list(TYPES)), st.sampled_from(OPS), values),
    st.just(Exists(LIST)),
    st.builds(
        lambda op, v: Status(INSTANCE, op, v),
        st.sampled_from(["=", "!="]),
        st.sampled_from(["pending", "complete", "PENDING"]),
    ),
)
expressions = st.recursive(
    leaf,
    lambda inner: st.one_of(
        st.builds(lambda items: And(tuple(items)), st.lists(inner, min_size=2, max_size=3)),
        st.builds(lambda items: Or(tuple(items)), st.lists(inner, min_size=2, max_size=3)),
        st.builds(Not, inner),
    ),
    max_leaves=6,
)


def store(records: list[dict]) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.executescript("""
        CREATE TABLE contacts (site_id, id, created_at, updated_at, is_subscribed, is_bounced,
                               email_format, account_id, fields);
        CREATE TABLE memberships (site_id, family, container_id, member_id);
        CREATE TABLE execution_members (site_id, instance, execution, family, parent_id,
                                        record_id, status);
    """)
    for n, r in enumerate(records, 1):
        fields = {"C_City": r["city"], "C_Employees1": r["employees"], "C_DateCreated": r["date"]}
        db.execute(
            "INSERT INTO contacts VALUES (1, ?, ?, ?, ?, 0, '', NULL, ?)",
            [
                n,
                timestamps.format_resource(r["created"]),
                timestamps.format_resource(r["created"]),
                int(r["subscribed"]),
                orjson.dumps(fields).decode(),
            ],
        )
        if r["member"]:
            db.execute("INSERT INTO memberships VALUES (1, 'contactLists', 12, ?)", [n])
        if r["status"]:
            db.execute(
                "INSERT INTO execution_members VALUES (1, ?, 7, 'contacts', 0, ?, ?)",
                [GUID, n, r["status"]],
            )
    return db


def stored_value(r: dict, n: int, node: ast.FieldStatement) -> tuple[object, str]:
    kind = column(node, typed).kind
    value = {
        CITY: r["city"],
        EMPLOYEES: r["employees"],
        DATE_CREATED: r["date"],
        CREATED: timestamps.format_resource(r["created"]),
        ID: n,
        SUBSCRIBED: int(r["subscribed"]),
    }[node]
    return value, kind


def matches(expression, r: dict, n: int, utc: bool) -> bool:
    return evaluate(
        expression,
        partial(stored_value, r, n),
        lambda _: r["member"],
        lambda _: r["status"],
        utc=utc,
    )


@given(st.lists(record, min_size=1, max_size=8), expressions, st.booleans())
def test_sql_selects_what_the_python_semantics_select(records, expression, utc) -> None:
    db = store(records)
    sql, params = compile_filter(expression, CONTACTS, typed, parent_id=0, utc=utc)
    selected = {
        row[0]
        for row in db.execute(f"SELECT id FROM contacts r WHERE r.site_id = 1 AND {sql}", params)
    }
    expected = {n for n, r in enumerate(records, 1) if matches(expression, r, n, utc)}
    assert selected == expected, (records, expression, utc)


@given(expressions)
def test_every_value_is_bound_never_formatted(expression) -> None:
    sql, params = compile_filter(expression, CONTACTS, typed, parent_id=0, utc=True)
    assert "'" not in sql.replace("''", "")  # only the empty-string literal of coalesce
    assert sql.count("?") == len(params)


def test_eloqua_time_literals_are_read_in_eastern_time_unless_utc() -> None:
    records = [
        {
            "city": "",
            "employees": "",
            "date": "",
            "subscribed": False,
            "member": False,
            "status": None,
            "created": datetime(2025, 7, 1, 15, 30),
        }
    ]
    db = store(records)
    probe = Compare(CREATED, ">=", "2025-07-01 12:30:00")  # 16:30 UTC in Eastern summer time
    for utc, expected in ((False, set()), (True, {1})):
        sql, params = compile_filter(probe, CONTACTS, typed, parent_id=0, utc=utc)
        selected = {r[0] for r in db.execute(f"SELECT id FROM contacts r WHERE {sql}", params)}
        assert selected == expected, utc


def test_literals_at_the_end_of_the_calendar_compare_without_overflow() -> None:
    """'9999-12-31 23:59:59' in Eastern time is past the last UTC moment Python can hold:
    it compares as that last moment (the definition accepted it, so its sync must run)."""
    records = [
        {
            "city": "",
            "employees": "",
            "date": "",
            "subscribed": False,
            "member": False,
            "status": None,
            "created": datetime(2025, 7, 1, 15, 30),
        }
    ]
    db = store(records)
    for op, expected in ((">", set()), ("<", {1})):
        probe = Compare(CREATED, op, "9999-12-31 23:59:59")
        sql, params = compile_filter(probe, CONTACTS, typed, parent_id=0, utc=False)
        selected = {r[0] for r in db.execute(f"SELECT id FROM contacts r WHERE {sql}", params)}
        assert (
            selected
            == expected
            == {n for n, r in enumerate(records, 1) if matches(probe, r, n, False)}
        )
