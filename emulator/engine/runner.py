"""Running one sync, in one write transaction: its effects, logs, rejects and terminal
status commit together, so a crash mid-run leaves the sync ``active`` with no effects and
the worker runs it again at the next start. The staged files it consumed are deleted by the
worker afterwards (``domain.staging.purge_consumed``)."""

from __future__ import annotations

import orjson
import sqlite_utils

from emulator.core import filters, logs, markup, timestamps
from emulator.core.lifecycle import SyncStatus
from emulator.domain import exports, import_outcome, imports, sync_actions
from emulator.domain.entities import IMPORTS, SYNC_ACTIONS, runnable
from emulator.store import definitions as definition_rows
from emulator.store import syncs as rows

PRODUCT = {"imports": "Import", "exports": "Export", "syncActions": "SyncAction"}


def claim_next(db: sqlite_utils.Database, now: float) -> rows.SyncRow | None:
    """The oldest pending sync, now ``active``."""
    row = rows.next_pending(db)
    if row is None:
        return None
    rows.set_status(
        db, row.site_id, row.id, SyncStatus.ACTIVE.value, started_at=timestamps.from_epoch(now)
    )
    return rows.get(db, row.site_id, row.id)


def run(db: sqlite_utils.Database, row: rows.SyncRow, now: float) -> rows.SyncRow:
    stamp = timestamps.from_epoch(now)
    definition = definition_rows.get(
        db, row.site_id, row.kind, row.family, row.parent_id, row.definition_id, now
    )
    status, entries, rejects = _outcome(db, row, definition, now)
    rows.add_logs(
        db, row.site_id, row.id, ((e.count, e.severity, e.code, e.message) for e in entries), stamp
    )
    rows.add_rejects(db, row.site_id, row.id, rejects)
    rows.set_status(db, row.site_id, row.id, status, ended_at=stamp)
    final = rows.get(db, row.site_id, row.id)
    assert final is not None
    return final


Rejects = list[tuple[int, dict[str, object]]]


def _outcome(
    db: sqlite_utils.Database,
    row: rows.SyncRow,
    definition: definition_rows.Row | None,
    now: float,
) -> tuple[str, list[logs.Entry], Rejects]:
    """Apply the sync's effects; its status, log entries and rejects."""
    error = SyncStatus.ERROR.value
    if definition is None:
        deleted = logs.entry(
            "ELQ-00143",
            severity=logs.ERROR,
            product=PRODUCT[row.kind],
            definition_id=row.definition_id,
        )
        return error, [deleted, logs.processed(error)], []
    item = orjson.loads(definition.item)
    if not runnable(row.kind, row.family):
        raise ValueError(f"syncs of {row.family} {row.kind} are refused when created")
    try:
        # an e-mail address import only acts on the contacts its rows name
        if row.kind == SYNC_ACTIONS or row.family == "emailAddresses":
            status, entries = sync_actions.run(
                db, row.site_id, row.id, row.family, row.parent_id, item
            )
            return status, entries, []
        if row.kind == IMPORTS:
            outcome = imports.apply(db, row.site_id, row.id, row.family, row.parent_id, item, now)
            entries = list(import_outcome.log_entries(outcome, row.family))
            return outcome.status, entries, outcome.rejects
        entries = exports.snapshot(db, row.site_id, row.id, row.family, row.parent_id, item, now)
        return SyncStatus.SUCCESS.value, entries, []
    except (markup.MarkupError, filters.FilterError):
        # the definition no longer validates against the catalog (reference §13.4, ELQ-00122)
        invalid = logs.entry("ELQ-00122", severity=logs.ERROR, sync_id=row.id, user_id=row.user_id)
        return error, [invalid, logs.processed(error)], []


def fail(db: sqlite_utils.Database, row: rows.SyncRow, now: float) -> rows.SyncRow:
    """End a sync whose run raised: ``error`` with ELQ-00146, its effects rolled back."""
    stamp = timestamps.from_epoch(now)
    status = SyncStatus.ERROR.value
    entries = [logs.entry("ELQ-00146", severity=logs.ERROR), logs.processed(status)]
    rows.add_logs(
        db, row.site_id, row.id, ((e.count, e.severity, e.code, e.message) for e in entries), stamp
    )
    rows.set_status(db, row.site_id, row.id, status, ended_at=stamp)
    final = rows.get(db, row.site_id, row.id)
    assert final is not None
    return final
