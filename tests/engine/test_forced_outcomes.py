"""The runner with forced outcomes (``domain.outcomes``): a held sync stays out of the
rotation until released, an error ends the sync before it applies anything, and an
ended sync's outcome is used up however it ended."""

from __future__ import annotations

import pytest

from emulator.domain import imports, outcomes, staging
from emulator.engine import runner
from emulator.store import outcomes as outcome_rows
from emulator.store import staging as staged
from emulator.store import syncs as sync_rows
from tests.domain.support import EMAIL, Bulk, sync_id

IMPORT = {"name": "i", "fields": {"email": EMAIL}, "identifierFieldName": "email"}


def force(bulk: Bulk, **body: object) -> int:
    order = outcomes.parse({"site": bulk.principal.site_name, **body})
    return int(bulk.store.write_sync(outcomes.create, order, bulk.now)["id"])


def imported(bulk: Bulk) -> list[str]:
    return [row["email"] for row in bulk.contacts("forced.test")]


def test_a_held_sync_is_claimed_but_left_out_of_the_rotation_until_released(
    bulk: Bulk,
) -> None:
    uri = bulk.define("contacts", "imports", IMPORT)["uri"]
    force(bulk, definition=uri, status="active")
    bulk.stage(uri, [{"email": "held@forced.test"}])
    id_ = sync_id(bulk.sync(uri))
    site = bulk.principal.site_id
    assert bulk.store.write_sync(runner.rotation, bulk.now) == []
    row = bulk.store.read_sync(sync_rows.get, site, id_)
    assert row is not None
    assert row.status == "active"
    assert bulk.store.write_sync(runner.run, row, bulk.now).status == "active"  # as it is
    assert imported(bulk) == []
    bulk.store.write_sync(outcomes.release, bulk.principal.site_name, id_)
    assert bulk.store.write_sync(runner.rotation, bulk.now) == [(site, id_)]
    assert bulk.store.write_sync(runner.run, row, bulk.now).status == "success"
    assert imported(bulk) == ["held@forced.test"]


def test_a_forced_error_ends_the_sync_at_its_first_step_and_consumes_its_rows(
    bulk: Bulk,
) -> None:
    uri = bulk.define("contacts", "imports", IMPORT)["uri"]
    force(bulk, definition=uri, status="error")
    bulk.stage(uri, [{"email": "never@forced.test"}])
    id_ = sync_id(bulk.sync(uri))
    final = bulk.run_next()
    assert (final.id, final.status) == (id_, "error")
    assert [line["statusCode"] for line in bulk.log_lines(id_)] == ["ELQ-00146", "ELQ-00101"]
    assert bulk.open_files(uri) == 0
    assert bulk.store.read_sync(staged.files_of_sync, final.site_id, id_) == []
    assert bulk.store.read_sync(outcome_rows.every, None) == []
    assert imported(bulk) == []


def test_an_outcome_goes_with_its_sync_even_when_a_chunk_fails(
    bulk: Bulk, monkeypatch: pytest.MonkeyPatch
) -> None:
    uri = bulk.define("contacts", "imports", IMPORT)["uri"]
    force(bulk, definition=uri, status="warning", rejects=1)
    bulk.stage(uri, [{"email": "a@forced.test"}, {"email": "b@forced.test"}])
    id_ = sync_id(bulk.sync(uri))

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(imports, "step", broken)
    turn = bulk.store.write_sync(runner.turn, bulk.now, None, None)
    monkeypatch.undo()
    assert turn.stepped is not None
    assert (turn.stepped.id, turn.stepped.status) == (id_, "error")
    assert bulk.store.read_sync(outcome_rows.every, None) == []
    bulk.store.write_sync(staging.purge_consumed)
    assert bulk.run(uri, [{"email": "c@forced.test"}]).status == "success"
