"""The SQL that reads staged import rows (``store.import_rows``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.core import values
from emulator.store.db import connect
from emulator.store.import_rows import email_check

# the characters that decide the check: those of plain addresses, those it refuses, and some
# that only Python's check knows (non-ASCII letters, Unicode spaces)
CHARACTERS = 'ab.@-_+%Z9 \t\n"<>,;éü\u00a0\u2003'


@pytest.fixture(scope="module")
def sql() -> Iterator[object]:
    conn = connect(":memory:")
    yield conn
    conn.close()


@given(st.text(CHARACTERS, min_size=1, max_size=12))
def test_the_sql_email_check_agrees_with_the_python_one(sql, value: str) -> None:
    checked = sql.execute(f"SELECT {email_check(':v')}", {"v": value}).fetchone()[0]
    assert bool(checked) == values.email(value)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("jane.doe+news@mail.example.com", True),
        ("jané@exämple.de", True),  # not plain: Python decides
        ("a@b.c", True),
        ("a@b", False),
        ("@b.c", False),
        ("a@.c", False),
        ("a@b..c", True),  # a dot with characters on each side is all the check asks
        ("a@b.", False),
        ("a@@b.c", False),
        ("a@b@c.d", False),
        ("a b@c.d", False),
        ("a\u00a0b@c.d", False),
        ("a;b@c.d", False),
    ],
)
def test_the_sql_email_check_on_addresses_a_pod_sees(sql, value: str, valid: bool) -> None:
    checked = sql.execute(f"SELECT {email_check(':v')}", {"v": value}).fetchone()[0]
    assert bool(checked) is valid
    assert values.email(value) is valid
