"""Eloqua's timestamp forms (``core.timestamps``)."""

from __future__ import annotations

import pytest

from emulator.core import timestamps


@pytest.mark.parametrize(
    ("stored", "read_back"),
    [
        ("2021-06-30T14:02:56.3467812Z", "2021-06-30T14:02:56.3470000Z"),
        ("2021-06-30T14:02:56.3500000Z", "2021-06-30T14:02:56.3500000Z"),
        ("2021-06-30T14:02:56.0004999Z", "2021-06-30T14:02:56.0000000Z"),
        ("2021-06-30T23:59:59.9995000Z", "2021-07-01T00:00:00.0000000Z"),
        ("2021-06-30T14:02:56Z", "2021-06-30T14:02:56Z"),  # not a resource form: as it is
    ],
)
def test_read_back_timestamps_are_rounded_to_the_millisecond(stored: str, read_back: str) -> None:
    assert timestamps.to_millisecond(stored) == read_back
