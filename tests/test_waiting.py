"""``wait_until``, the one bounded wait of the tests and the kit: it hands back what the
predicate found, and a wait that outlasts its timeout fails with the message."""

from __future__ import annotations

import pytest

from contract_tests.waiting import wait_until


def test_the_first_true_value_is_returned() -> None:
    answers = iter([None, 0, "", "found", "later"])
    assert wait_until(lambda: next(answers), timeout=5, every=0, message="never") == "found"


def test_a_wait_past_its_timeout_fails_with_the_message_read_at_the_end() -> None:
    polls: list[float] = []

    def nothing_yet() -> bool:
        polls.append(0)
        return False

    with pytest.raises(
        AssertionError, match=r"^polled \d+ times \(gave up after 0\.05 s\)$"
    ) as failed:
        wait_until(
            nothing_yet, timeout=0.05, every=0.01, message=lambda: f"polled {len(polls)} times"
        )
    assert str(failed.value) == f"polled {len(polls)} times (gave up after 0.05 s)"
    assert len(polls) >= 2
