"""What a polling client sees under each progression policy, and the legal transitions."""

from __future__ import annotations

import threading

import pytest

from emulator.core.lifecycle import SyncStatus, can_move, shown_status
from emulator.core.progression import Policy, Polls, stage


def seen(policy: str, real: SyncStatus, reads: int, **kw) -> SyncStatus:
    values = {"age": 0.0, "advanced": 0, "shown": 0, **kw}
    return shown_status(real, stage(Policy.parse(policy), reads=reads, **values))


def test_polls_one_shows_pending_then_active_then_the_outcome() -> None:
    assert [seen("polls:1", SyncStatus.WARNING, n) for n in range(4)] == [
        SyncStatus.PENDING,
        SyncStatus.ACTIVE,
        SyncStatus.WARNING,
        SyncStatus.WARNING,
    ]


def test_polls_three_needs_three_reads_per_stage() -> None:
    assert [seen("polls:3", SyncStatus.SUCCESS, n) for n in range(7)] == [
        SyncStatus.PENDING
    ] * 3 + [SyncStatus.ACTIVE] * 3 + [SyncStatus.SUCCESS]


def test_the_visible_status_never_runs_ahead_of_the_real_one() -> None:
    assert seen("polls:1", SyncStatus.PENDING, 5) is SyncStatus.PENDING
    assert seen("immediate", SyncStatus.ACTIVE, 0) is SyncStatus.ACTIVE
    assert seen("seconds:1", SyncStatus.ACTIVE, 0, age=100) is SyncStatus.ACTIVE


def test_seconds_policy_follows_the_sync_age() -> None:
    assert seen("seconds:2", SyncStatus.SUCCESS, 0, age=1.9) is SyncStatus.PENDING
    assert seen("seconds:2", SyncStatus.SUCCESS, 0, age=2.0) is SyncStatus.ACTIVE
    assert seen("seconds:2", SyncStatus.SUCCESS, 0, age=4.0) is SyncStatus.SUCCESS
    assert seen("seconds:0", SyncStatus.SUCCESS, 0) is SyncStatus.SUCCESS


def test_manual_policy_moves_only_when_advanced() -> None:
    assert seen("manual", SyncStatus.SUCCESS, 50) is SyncStatus.PENDING
    assert seen("manual", SyncStatus.SUCCESS, 0, advanced=1) is SyncStatus.ACTIVE
    assert seen("manual", SyncStatus.SUCCESS, 0, advanced=2) is SyncStatus.SUCCESS


def test_what_was_shown_is_never_taken_back() -> None:
    assert seen("manual", SyncStatus.SUCCESS, 0, shown=2) is SyncStatus.SUCCESS


@pytest.mark.parametrize("text", ["sometimes", "polls:", "polls:0", "seconds", "manual:2"])
def test_unknown_policies_are_refused(text) -> None:
    with pytest.raises(ValueError, match="progression"):
        Policy.parse(text)


def test_transitions() -> None:
    assert can_move(SyncStatus.PENDING, SyncStatus.ACTIVE)
    assert can_move(SyncStatus.ACTIVE, SyncStatus.WARNING)
    assert can_move(SyncStatus.ACTIVE, SyncStatus.PENDING)  # restart recovery
    assert not can_move(SyncStatus.SUCCESS, SyncStatus.ACTIVE)
    assert not can_move(SyncStatus.PENDING, SyncStatus.SUCCESS)
    assert SyncStatus.ERROR.terminal
    assert not SyncStatus.ACTIVE.terminal


def test_concurrent_polls_of_one_sync_are_all_counted() -> None:
    polls = Polls()
    policy = Policy.parse("polls:1")
    barrier = threading.Barrier(16)

    def poll_many() -> None:
        barrier.wait()
        for _ in range(500):
            polls.poll((1, 7), policy, age=0, advanced=0)

    threads = [threading.Thread(target=poll_many) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert polls.reads((1, 7)) == 16 * 500
    assert polls.reads((1, 8)) == 0


def test_a_poll_shows_one_stage_further_and_a_peek_counts_nothing() -> None:
    polls = Polls()
    policy = Policy.parse("polls:1")
    assert polls.peek((1, 7), policy, age=0, advanced=0) == 0
    assert [polls.poll((1, 7), policy, age=0, advanced=0) for _ in range(4)] == [0, 1, 2, 2]
    assert polls.reads((1, 7)) == 4
    polls.clear()
    assert polls.reads((1, 7)) == 0
