"""The record tables' SQL against the Python statements of the same rules."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from emulator.core import timestamps
from emulator.core.filters.kinds import SYSTEM_TIME
from emulator.store import db as store_db
from emulator.store.tables import Column, shown

moments = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2100, 12, 31))


def export_time(conn: sqlite3.Connection, stored: str | None, utc: bool) -> str:
    sql, params = shown(Column("x", (), SYSTEM_TIME), utc)
    return str(conn.execute(f"SELECT {sql} FROM (SELECT ? AS x)", [*params, stored]).fetchone()[0])


@given(moments, st.booleans())
def test_timestamps_are_shown_as_the_python_rule_shows_them(moment: datetime, utc: bool) -> None:
    conn = store_db.connect(":memory:")
    stored = timestamps.format_resource(moment)
    assert export_time(conn, stored, utc) == timestamps.export_form(stored, utc=utc)


def test_the_hours_around_daylight_saving_changes() -> None:
    conn = store_db.connect(":memory:")
    # 2025: daylight saving from 9 March 07:00 UTC to 2 November 06:00 UTC
    for stored, shown_eastern in [
        ("2025-03-09T06:59:59.9990000Z", "2025-03-09 01:59:59.999"),
        ("2025-03-09T07:00:00.0000000Z", "2025-03-09 03:00:00.000"),
        ("2025-11-02T05:59:59.9990000Z", "2025-11-02 01:59:59.999"),
        ("2025-11-02T06:00:00.0000000Z", "2025-11-02 01:00:00.000"),
    ]:
        assert export_time(conn, stored, utc=False) == shown_eastern
        assert export_time(conn, stored, utc=True) == stored[:10] + " " + stored[11:23]


def test_an_empty_timestamp_is_an_empty_value() -> None:
    conn = store_db.connect(":memory:")
    assert export_time(conn, None, utc=True) == ""
    assert export_time(conn, "", utc=False) == ""
