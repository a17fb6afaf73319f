"""E-mail address checks: one value at a time, and a whole import chunk in one pass."""

from __future__ import annotations

import pytest

from emulator.core import values

VALID = ["ivy@imp.test", "a@b.c", "é@ü.de", "o'brien+tag@sub.imp.test", "a@b.c."]
INVALID = [
    "ivy-at-imp.test",
    "ab@c",
    "a@@b.c",
    "@b.c",
    "a@.c",
    "a b@c.d",
    "a@b.\u3000c",  # an ideographic space is whitespace too
    'quo"te@imp.test',
    "semi;colon@imp.test",
    "x@y.z\nq@r.s",
]


@pytest.mark.parametrize("value", VALID + INVALID)
def test_a_chunk_of_one_is_judged_as_the_value_alone(value: str) -> None:
    assert values.all_emails(value, 1) is values.email(value)
    assert values.email(value) is (value in VALID)


def test_a_chunk_passes_only_when_every_address_does() -> None:
    assert values.all_emails("\n".join(VALID), len(VALID))
    for bad in INVALID[:-1]:
        assert not values.all_emails("\n".join([*VALID, bad]), len(VALID) + 1)


def test_a_value_holding_a_newline_makes_the_count_differ() -> None:
    """Two valid lines from one value: the chunk is then read row by row."""
    assert not values.all_emails("x@y.z\nq@r.s", 1)
    assert values.invalid_emails([(1, "x@y.z\nq@r.s"), (2, "ivy@imp.test")]) == [1]
