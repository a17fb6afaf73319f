"""Syncs commit a chunk at a time (``domain.imports.step``, ``domain.exports.step``): the
result is the one a single pass gives, and a sync interrupted between two chunks (a
restart loses what the writer connection kept in memory) carries on from its last chunk,
each staged row applied exactly once."""

from __future__ import annotations

import pytest

from emulator.domain import exports, imports
from emulator.engine import runner
from emulator.store import import_rows
from tests.domain.support import EMAIL, FIRST, Bulk, sync_id

IMPORT = {
    "name": "chunked",
    "fields": {"email": EMAIL, "first": FIRST},
    "identifierFieldName": "email",
}


def rows_with_a_duplicate() -> list[dict[str, str]]:
    rows = [{"email": f"part{n}@chunked.test", "first": f"N{n}"} for n in range(8)]
    rows.insert(6, {"email": "PART1@chunked.test", "first": "again"})  # recordIndex 7
    return rows


def step(bulk: Bulk, id_: int) -> str:
    return bulk.store.write_sync(runner.step, bulk.principal.site_id, id_, bulk.now).status


def restart(bulk: Bulk, id_: int) -> None:
    """What a new process lacks: the sync's identifiers seen, kept in memory."""

    def forget(db):
        import_rows.close_seen(db, bulk.principal.site_id, id_)

    bulk.store.write_sync(forget)


@pytest.mark.parametrize("interrupted", [False, True])
def test_an_import_in_chunks_applies_each_row_once_and_finds_duplicates_across_them(
    bulk: Bulk, monkeypatch: pytest.MonkeyPatch, interrupted: bool
) -> None:
    monkeypatch.setattr(imports, "CHUNK", 3)
    uri = bulk.define("contacts", "imports", IMPORT)["uri"]
    bulk.stage(uri, rows_with_a_duplicate()[:5])
    bulk.stage(uri, rows_with_a_duplicate()[5:])  # two files: chunks cross the boundary
    id_ = sync_id(bulk.sync(uri))
    assert bulk.store.write_sync(runner.claim_pending, bulk.now) == 1
    assert [step(bulk, id_) for _ in range(2)] == ["active", "active"]
    assert len(bulk.contacts("chunked.test")) == 6  # two chunks committed
    if interrupted:
        restart(bulk, id_)
    assert step(bulk, id_) == "warning"  # the third and last chunk
    logs = bulk.logs(id_)
    assert (logs["ELQ-00130"], logs["ELQ-00004"], logs["ELQ-00026"]) == (9, 8, 1)
    assert [(r["recordIndex"], r["statusCode"]) for r in bulk.rejects(id_)] == [(7, "ELQ-00026")]
    stored = bulk.contacts("chunked.test", first=FIRST)
    assert [c["first"] for c in stored] == [f"N{n}" for n in range(8)]


def test_an_export_in_chunks_writes_each_record_once_in_record_order(
    bulk: Bulk, monkeypatch: pytest.MonkeyPatch
) -> None:
    fields = {"id": "{{Contact.Id}}", "email": EMAIL}
    whole = bulk.export("contacts", fields, filter=f"'{EMAIL}' ~ '%.com'", maxRecords=7)
    monkeypatch.setattr(exports, "SYNC_CHUNK", 2)
    chunked = bulk.export("contacts", fields, filter=f"'{EMAIL}' ~ '%.com'", maxRecords=7)
    assert chunked == whole
    assert len(chunked) == 7
    assert [int(r["id"]) for r in chunked] == sorted(int(r["id"]) for r in chunked)


def test_an_export_sync_action_acts_on_the_records_of_every_chunk(
    bulk: Bulk, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "SYNC_CHUNK", 2)
    uri = bulk.define(
        "contacts",
        "exports",
        {
            "name": "to list",
            "fields": {"id": "{{Contact.Id}}"},
            "maxRecords": 5,
            "syncActions": [{"action": "add", "destination": "{{ContactList[58]}}"}],
        },
    )["uri"]
    bulk.sync(uri)
    final = bulk.run_next()
    assert final.status == "success"
    assert bulk.logs(final.id)["ELQ-00119"] == 5
    exported = {int(r["id"]) for r in bulk.data(final.id)}
    members = bulk.export(
        "contacts", {"id": "{{Contact.Id}}"}, filter="EXISTS('{{ContactList[58]}}')"
    )
    assert exported <= {int(r["id"]) for r in members}
