"""The emulated clock: its source plus an offset that only grows."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.core import clock
from emulator.core.clock import LAST_MOMENT, Clock
from emulator.core.errors import Conflict, EloquaError, ValidationFailed


class Source:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_the_clock_follows_its_source_until_moved() -> None:
    source = Source()
    emulated = Clock(source)
    assert emulated() == 1_800_000_000.0
    source.now += 5
    assert emulated() == 1_800_000_005.0
    assert emulated.offset == 0


def test_advancing_adds_to_the_offset_and_time_flows_on() -> None:
    source = Source()
    emulated = Clock(source)
    assert emulated.advance(3600) == 1_800_003_600.0
    source.now += 1
    assert emulated() == 1_800_003_601.0
    assert emulated.offset == 3600


@pytest.mark.parametrize("seconds", [0, -1, float("nan"), float("inf"), LAST_MOMENT])
def test_the_clock_never_goes_back_nor_past_year_9999(seconds: float) -> None:
    emulated = Clock(Source())
    with pytest.raises(ValueError, match="advance"):
        emulated.advance(seconds)
    assert emulated.offset == 0


def test_setting_moves_to_a_later_moment_only() -> None:
    source = Source()
    emulated = Clock(source)
    assert emulated.set(1_900_000_000.0) == 1_900_000_000.0
    assert emulated.offset == 100_000_000
    with pytest.raises(ValueError, match="back"):
        emulated.set(1_899_999_999.0)
    assert emulated() == 1_900_000_000.0
    emulated.set(1_900_000_000.0)  # the same moment is not going back


def test_advances_from_many_threads_all_count() -> None:
    emulated = Clock(Source())

    def advance() -> None:
        for _ in range(1000):
            emulated.advance(1)

    threads = [threading.Thread(target=advance) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert emulated.offset == 4000


def test_the_description_shows_the_time_as_resources_do() -> None:
    emulated = Clock(Source(1_800_000_000.123456))
    emulated.advance(60)
    assert clock.describe(emulated) == {
        "now": "2027-01-15T08:01:00.1234560Z",
        "epoch": 1_800_000_060.123456,
        "offsetSeconds": 60.0,
    }


@pytest.mark.parametrize(
    ("text", "epoch"),
    [
        ("2027-01-15T08:00:00Z", 1_800_000_000.0),
        ("2027-01-15T08:00:00", 1_800_000_000.0),
        ("2027-01-15T10:00:00+02:00", 1_800_000_000.0),
        ("2027-01-15T08:00:00.5000000Z", 1_800_000_000.5),
        ("2027-01-15", 1_799_971_200.0),
    ],
)
def test_moments_are_read_in_iso_8601(text: str, epoch: float) -> None:
    assert clock.parse_moment(text) == epoch


@pytest.mark.parametrize("text", ["tomorrow", "", "2027-13-01", 1_800_000_000, None, "x" * 41])
def test_anything_else_is_not_a_moment(text: object) -> None:
    assert clock.parse_moment(text) is None


def test_bodies_are_checked_before_the_clock_moves() -> None:
    emulated = Clock(Source())
    for body in (
        {},
        {"seconds": "60"},
        {"seconds": True},
        {"seconds": 0},
        [60],
        {"seconds": 1e300},
    ):
        with pytest.raises(ValidationFailed):
            clock.advance(emulated, body)
    with pytest.raises(ValidationFailed) as unknown:
        clock.advance(emulated, {"seconds": 60, "minutes": 1})
    assert unknown.value.failures[0].field == "minutes"
    with pytest.raises(ValidationFailed):
        clock.set_to(emulated, {"now": "soon"})
    assert emulated.offset == 0


def test_setting_the_clock_back_is_a_conflict() -> None:
    emulated = Clock(Source())
    with pytest.raises(Conflict) as refused:
        clock.set_to(emulated, {"now": "2020-01-01T00:00:00Z"})
    assert refused.value.failures[0].constraint == (
        "The clock shows 2027-01-15T08:00:00.0000000Z and never goes back."
    )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=6,
)


@given(
    body=json_values
    | st.fixed_dictionaries({"seconds": json_values})
    | st.fixed_dictionaries({"now": json_values | st.datetimes().map(str)})
)
def test_any_body_moves_the_clock_forward_or_is_refused_in_eloquas_shape(body: Any) -> None:
    for move in (clock.advance, clock.set_to):
        emulated = Clock(Source())
        refused: EloquaError | None = None
        try:
            moved = move(emulated, body)
        except EloquaError as exc:
            refused = exc
        if refused is None:
            assert moved == emulated() >= 1_800_000_000.0
        else:
            assert refused.status in (400, 409)
            assert emulated.offset == 0
