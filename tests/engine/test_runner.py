"""The runner (``engine.runner``): the rotation of syncs under way, a turn of the worker, and
how a sync ends when its definition is gone or its chunk fails."""

from __future__ import annotations

import threading

import anyio
import pytest

from emulator.core import timestamps
from emulator.domain import definitions, imports
from emulator.engine import runner
from emulator.store import syncs as sync_rows
from tests.domain.support import EMAIL, Bulk, sync_id, target

IMPORT = {"name": "i", "fields": {"email": EMAIL}, "identifierFieldName": "email"}


def imported(bulk: Bulk) -> list[str]:
    return [row["email"] for row in bulk.contacts("run.test")]


def codes(bulk: Bulk, id_: int) -> list[tuple[str, str]]:
    return [(line["statusCode"], line["severity"]) for line in bulk.log_lines(id_)]


def status(bulk: Bulk, site_id: int, id_: int) -> str:
    row = bulk.store.read_sync(sync_rows.get, site_id, id_)
    assert row is not None
    return row.status


def test_a_sync_whose_definition_was_deleted_ends_in_error(bulk: Bulk) -> None:
    uri = bulk.define("contacts", "imports", IMPORT)["uri"]
    bulk.stage(uri, [{"email": "gone@run.test"}])
    id_ = sync_id(bulk.sync(uri))
    at, definition_id = target(uri)
    bulk.store.write_sync(definitions.delete, bulk.principal, at, definition_id, bulk.now)
    final = bulk.run_next()
    assert (final.id, final.status) == (id_, "error")
    assert final.ended_at == timestamps.from_epoch(bulk.now)
    lines = bulk.log_lines(id_)
    assert [(e["statusCode"], e["severity"]) for e in lines] == [
        ("ELQ-00143", "error"),
        ("ELQ-00101", "information"),
    ]
    assert lines[0]["message"] == (
        "Sync Recovery Worker could not recover from sync error. "
        f"Import definition for id {definition_id} has been deleted."
    )
    assert imported(bulk) == []


def test_a_failed_run_rolls_back_and_fail_ends_the_sync_in_error(
    bulk: Bulk, monkeypatch: pytest.MonkeyPatch
) -> None:
    uri = bulk.define("contacts", "imports", IMPORT)["uri"]
    bulk.stage(uri, [{"email": "half@run.test"}])
    id_ = sync_id(bulk.sync(uri))
    step = imports.step

    def step_then_break(*args, **kwargs):
        step(*args, **kwargs)  # the contact is created inside the chunk's transaction
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(imports, "step", step_then_break)
    row = bulk.claim()
    with pytest.raises(RuntimeError, match="disk on fire"):
        bulk.store.write_sync(runner.run, row, bulk.now)
    monkeypatch.undo()
    final = bulk.store.write_sync(runner.fail, row, bulk.now)
    assert (final.id, final.status) == (id_, "error")
    assert final.ended_at == timestamps.from_epoch(bulk.now)
    assert codes(bulk, id_) == [("ELQ-00146", "error"), ("ELQ-00101", "information")]
    assert bulk.rejects(id_) == []
    assert imported(bulk) == []


def test_the_rotation_claims_every_pending_sync_and_orders_them_by_site_and_id(
    bulk: Bulk, store, stranger, now: float
) -> None:
    theirs = Bulk(store, stranger, now)
    mine = [bulk.define("contacts", "imports", {**IMPORT, "name": n})["uri"] for n in "ab"]
    first = sync_id(bulk.sync(mine[0]))
    second = sync_id(bulk.sync(mine[1]))
    other = sync_id(theirs.sync(theirs.define("contacts", "imports", IMPORT)["uri"]))
    under_way = store.write_sync(runner.rotation, now + 30)
    assert under_way == sorted(
        [
            (stranger.site_id, other),
            (bulk.principal.site_id, first),
            (bulk.principal.site_id, second),
        ]
    )
    for key in under_way:
        row = store.read_sync(sync_rows.get, *key)
        assert (row.status, row.started_at) == ("active", timestamps.from_epoch(now + 30))
    assert store.write_sync(runner.rotation, now + 60) == under_way  # nothing new to claim


def test_run_ends_a_claimed_sync_with_its_outcome(bulk: Bulk) -> None:
    uri = bulk.define("contacts", "imports", IMPORT)["uri"]
    bulk.stage(uri, [{"email": "ok@run.test"}, {"email": "not-an-address"}])
    id_ = sync_id(bulk.sync(uri))
    row = bulk.claim()
    final = bulk.store.write_sync(runner.run, row, bulk.now + 2)
    assert (final.id, final.status) == (id_, "warning")
    assert (final.started_at, final.ended_at) == (
        timestamps.from_epoch(bulk.now),
        timestamps.from_epoch(bulk.now + 2),
    )
    assert [r["recordIndex"] for r in bulk.rejects(id_)] == [2]
    assert imported(bulk) == ["ok@run.test"]


def test_a_turn_claims_steps_the_next_sync_in_the_rotation_and_purges_what_it_consumed(
    bulk: Bulk,
) -> None:
    uris = [bulk.define("contacts", "imports", {**IMPORT, "name": n})["uri"] for n in "ab"]
    for n, uri in enumerate(uris):
        bulk.stage(uri, [{"email": f"turn{n}@run.test"}])
    first, second = (sync_id(bulk.sync(uri)) for uri in uris)
    site = bulk.principal.site_id
    turn = bulk.store.write_sync(runner.turn, bulk.now, None, None, purge=100)
    assert turn.stepped is not None
    assert (turn.stepped.id, turn.stepped.status) == (first, "success")
    assert turn.under_way == [(site, second)]  # claimed in the same turn, its chunk next
    assert turn.purged == 1  # the ended sync's staged row
    assert status(bulk, site, second) == "active"
    turn = bulk.store.write_sync(runner.turn, bulk.now, (site, first), None)
    assert turn.stepped is not None
    assert (turn.stepped.id, turn.stepped.status, turn.under_way) == (second, "success", [])
    assert turn.purged == 0  # no purge asked for
    assert imported(bulk) == ["turn0@run.test", "turn1@run.test"]


def test_a_chunk_that_raises_fails_its_sync_alone_within_the_turn(
    bulk: Bulk, monkeypatch: pytest.MonkeyPatch
) -> None:
    uri = bulk.define("contacts", "imports", IMPORT)["uri"]
    bulk.stage(uri, [{"email": "broken@run.test"}])
    broken = sync_id(bulk.sync(uri))
    other = bulk.define("contacts", "imports", {**IMPORT, "name": "other"})["uri"]
    waiting = sync_id(bulk.sync(other))
    step = imports.step

    def step_then_break(*args, **kwargs):
        step(*args, **kwargs)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(imports, "step", step_then_break)
    turn = bulk.store.write_sync(runner.turn, bulk.now, None, None)
    assert turn.stepped is not None
    assert (turn.stepped.id, turn.stepped.status) == (broken, "error")
    assert codes(bulk, broken) == [("ELQ-00146", "error"), ("ELQ-00101", "information")]
    assert imported(bulk) == []  # the chunk rolled back
    site = bulk.principal.site_id
    assert turn.under_way == [(site, waiting)]  # the claims of the turn stand
    assert status(bulk, site, waiting) == "active"


def test_a_turn_cut_short_by_its_bound_is_taken_again_on_a_thread_not_failed(
    bulk: Bulk,
) -> None:
    """The worker takes a small turn on the event loop with every statement bounded
    (``Store.write_bounded``); a statement that runs past the bound is interrupted, and the
    turn, rolled back whole, is taken again on a thread: the sync ends as it would have,
    not in error, and its rows are applied once."""
    uri = bulk.define("contacts", "imports", IMPORT)["uri"]
    bulk.stage(uri, [{"email": "bound@run.test"}, {"email": "twice@run.test"}])
    id_ = sync_id(bulk.sync(uri))
    seen: list[int] = []
    turn = runner.turn

    def counted(db, *args, **kwargs):
        seen.append(threading.get_ident())
        return turn(db, *args, **kwargs)

    async def scenario() -> tuple[runner.Turn, int]:
        taken = await bulk.store.write_bounded(20, counted, bulk.now, None, None)
        return taken, threading.get_ident()

    taken, loop_thread = anyio.run(scenario)
    assert taken.stepped is not None
    assert (taken.stepped.id, taken.stepped.status) == (id_, "success")
    assert seen[0] == loop_thread  # on the loop first
    assert len(seen) == 2
    assert seen[1] != loop_thread  # then again on a thread
    assert imported(bulk) == ["bound@run.test", "twice@run.test"]
    assert dict(codes(bulk, id_)).get("ELQ-00146") is None
