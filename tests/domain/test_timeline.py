"""A sync's timeline as plain function calls: chunks counted from the committed progress,
whatever the chunk size, and a callback's answer kept only while its sync exists."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.core.errors import NotFound
from emulator.domain import timeline
from emulator.engine import runner
from emulator.store import Store
from emulator.store import syncs as sync_rows
from tests.domain.support import Bulk

IMPORT = {
    "name": "people",
    "fields": {"e": "{{Contact.Field(C_EmailAddress)}}"},
    "identifierFieldName": "e",
}


def chunks(found: dict[str, Any]) -> list[tuple[int, int]]:
    return [(e["rows"], e["total"]) for e in found["events"] if e["event"] == "chunk"]


def test_each_step_records_the_rows_it_applied(bulk: Bulk, store: Store) -> None:
    uri = bulk.define("contacts", "imports", IMPORT)["uri"]
    bulk.stage(uri, [{"e": f"a{i}@example.com"} for i in range(3)])
    bulk.stage(uri, [{"e": f"b{i}@example.com"} for i in range(4)])
    bulk.sync(uri)
    row = bulk.claim()
    while row.status == "active":
        row = store.write_sync(runner.step, row.site_id, row.id, bulk.now, 3)
    found = store.read_sync(timeline.timeline, "Acme", row.id)
    assert chunks(found) == [(3, 3), (3, 6), (1, 7)]  # across the two staged files
    assert (found["chunks"], found["rows"], found["status"]) == (3, 7, "success")
    assert store.read_sync(timeline.rows_done, row.site_id, row.id) == 7


def test_a_sync_whose_definition_went_applied_nothing(bulk: Bulk, store: Store) -> None:
    uri = bulk.define("contacts", "imports", IMPORT)["uri"]
    bulk.stage(uri, [{"e": "a@example.com"}])
    bulk.sync(uri)
    row = bulk.claim()
    store.write_sync(
        lambda db: db.execute("DELETE FROM definitions WHERE site_id = ?", [row.site_id])
    )
    final = store.write_sync(runner.run, row, bulk.now)
    found = store.read_sync(timeline.timeline, "Acme", final.id)
    assert final.status == "error"
    assert chunks(found) == [(0, 0)]


def test_a_callback_answer_is_dropped_once_its_sync_is_gone(bulk: Bulk, store: Store) -> None:
    uri = bulk.define("contacts", "imports", IMPORT)["uri"]
    final = bulk.run(uri, [{"e": "a@example.com"}])
    store.write_sync(timeline.record_callback, final, "http://app/cb", 200, None, bulk.now)
    ghost = sync_rows.SyncRow(**{**final.__dict__, "created_at": "2000-01-01T00:00:00.0000000Z"})
    store.write_sync(timeline.record_callback, ghost, "http://app/cb", 500, None, bulk.now)
    found = store.read_sync(timeline.timeline, "Acme", final.id)
    callbacks = [e for e in found["events"] if e["event"] == "callback"]
    assert [(c["status"], c["error"]) for c in callbacks] == [(200, None)]
    assert found["events"][-1]["event"] == "callback"


def test_unknown_site_or_sync(store: Store, bulk: Bulk) -> None:
    with pytest.raises(NotFound):
        store.read_sync(timeline.timeline, "Nobody", 1)
    with pytest.raises(NotFound):
        store.read_sync(timeline.timeline, "Acme", 424242)
