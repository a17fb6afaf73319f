"""Running syncs a chunk at a time. ``step`` applies the next chunk of one sync in the
caller's transaction together with the sync's progress, so the worker commits each chunk on
its own and other writes, and other syncs, take turns between them; a crash resumes from the
last committed chunk, each staged row applied exactly once. The last chunk commits the
logs and the terminal status with it. ``run`` takes every step in one transaction (for
tests and tools). ``turn`` is one turn of the worker, one transaction: claim the pending
syncs, take the next chunk in the rotation, delete a chunk of the staged rows that ended
syncs consumed (``domain.staging.purge_consumed``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import orjson
import sqlite_utils

from emulator.core import filters, logs, markup, timestamps
from emulator.core.lifecycle import SyncStatus
from emulator.domain import (
    exports,
    external_activities,
    import_outcome,
    imports,
    opportunity_links,
    outcomes,
    staging,
    sync_actions,
    timeline,
)
from emulator.domain.entities import IMPORTS, SYNC_ACTIONS
from emulator.store import definitions as definition_rows
from emulator.store import syncs as rows
from emulator.store.db import interrupted

log = logging.getLogger("emulator.worker")
PRODUCT = {"imports": "Import", "exports": "Export", "syncActions": "SyncAction"}


def claim_pending(db: sqlite_utils.Database, now: float) -> int:
    """Every pending sync, now ``active``: the worker's rotation takes their chunks in
    turn. Outcomes forced on them are taken first (``domain.outcomes``)."""
    outcomes.start(db)
    return rows.start_pending(db, timestamps.from_epoch(now))


def rotation(db: sqlite_utils.Database, now: float) -> list[tuple[int, int]]:
    """Claim the pending syncs; ``(site, id)`` of every sync under way (one transaction
    for the worker's turn), but those a forced ``active`` outcome holds."""
    claim_pending(db, now)
    held = outcomes.held(db)
    return [key for key in rows.active(db) if key not in held]


@dataclass(frozen=True)
class Turn:
    """What one turn of the worker did."""

    stepped: rows.SyncRow | None  # the sync whose chunk ran, as it now is
    under_way: list[tuple[int, int]]  # ``(site, id)`` of the syncs still under way
    purged: int  # consumed staged rows deleted


def turn(
    db: sqlite_utils.Database,
    now: float,
    after: tuple[int, int] | None,
    chunk: int | None,
    *,
    run: bool = True,
    purge: int = 0,
) -> Turn:
    """One turn of the worker, in the caller's transaction: claim the pending syncs, step
    the sync after ``after`` in the rotation (ordered by site and id; unless ``run`` is
    off), then delete up to ``purge`` consumed staged rows. One transaction a turn keeps a
    one-row sync to one commit; a chunk that raises is rolled back alone and its sync ends
    in error (``fail``), the claims and the purge stand."""
    under_way = rotation(db, now) if run else []
    stepped = None
    if under_way:
        site_id, sync_id = next_in_turn(under_way, after)
        try:
            with db.atomic():
                stepped = step(db, site_id, sync_id, now, chunk)
        except Exception as exc:
            if interrupted(exc):  # a bounded turn ran long (Store.write_bounded): not a failure
                raise
            log.exception("sync %s of site %s failed", sync_id, site_id)
            row = rows.get(db, site_id, sync_id)
            assert row is not None
            stepped = fail(db, row, now)
        if stepped.status != SyncStatus.ACTIVE.value:
            under_way.remove((site_id, sync_id))
    purged = staging.purge_consumed(db, purge) if purge else 0
    return Turn(stepped, under_way, purged)


def next_in_turn(
    under_way: list[tuple[int, int]], after: tuple[int, int] | None
) -> tuple[int, int]:
    """The sync whose turn is next: the first after ``after`` in the rotation, or the
    first."""
    later = [key for key in under_way if after is None or key > after]
    return later[0] if later else under_way[0]


def step(
    db: sqlite_utils.Database, site_id: int, sync_id: int, now: float, chunk: int | None = None
) -> rows.SyncRow:
    """The next chunk of an active sync (``chunk`` rows, or the domain's default); the sync
    as it now is (ended after its last chunk)."""
    row = rows.get(db, site_id, sync_id)
    if row is None:
        raise LookupError(f"no sync {sync_id} in site {site_id}")
    if row.status != SyncStatus.ACTIVE.value:
        return row
    forced = outcomes.applying(db, site_id, sync_id)
    if forced is not None and forced.status == SyncStatus.ACTIVE.value:
        return row  # held until released
    if forced is not None and forced.status == SyncStatus.ERROR.value:
        return _end(db, row, forced.status, outcomes.error_entries(forced), now)
    rejects = forced.rejects if forced is not None else None
    definition = definition_rows.get(
        db, row.site_id, row.kind, row.family, row.parent_id, row.definition_id, now
    )
    before = timeline.done(db, row)
    ended = _step(db, row, definition, now, chunk, rejects)
    timeline.chunk(db, row, before, ended[0] if ended else None, now)
    if ended is None:
        return row
    return _end(db, row, *ended, now)


def run(db: sqlite_utils.Database, row: rows.SyncRow, now: float) -> rows.SyncRow:
    """Every chunk of a claimed sync, to its end (or as it is, while a forced outcome holds
    it)."""
    while True:
        final = step(db, row.site_id, row.id, now)
        if final.status != SyncStatus.ACTIVE.value or (row.site_id, row.id) in outcomes.held(db):
            return final


def _end(
    db: sqlite_utils.Database, row: rows.SyncRow, status: str, entries: list[logs.Entry], now: float
) -> rows.SyncRow:
    stamp = timestamps.from_epoch(now)
    # logs are only ever read back, which a pod shows to the millisecond (reference §18)
    rows.add_logs(
        db,
        row.site_id,
        row.id,
        ((e.count, e.severity, e.code, e.message) for e in entries),
        timestamps.to_millisecond(stamp),
    )
    rows.set_status(db, row.site_id, row.id, status, ended_at=stamp)
    rows.set_progress(db, row.site_id, row.id, None)
    outcomes.finish(db, row.site_id, row.id)
    final = rows.get(db, row.site_id, row.id)
    assert final is not None
    return final


def _step(
    db: sqlite_utils.Database,
    row: rows.SyncRow,
    definition: definition_rows.Row | None,
    now: float,
    chunk: int | None,
    forced_rejects: int | None = None,
) -> tuple[str, list[logs.Entry]] | None:
    """One chunk of the sync's effects; its status and log entries once it ends.
    ``forced_rejects``: a forced warning (``domain.outcomes``)."""
    error = SyncStatus.ERROR.value
    if definition is None:
        deleted = logs.entry(
            "ELQ-00143",
            severity=logs.ERROR,
            product=PRODUCT[row.kind],
            definition_id=row.definition_id,
        )
        return error, [deleted, logs.processed(error)]
    item = orjson.loads(definition.item)
    try:
        # an e-mail address import only acts on the contacts its rows name
        if row.kind == SYNC_ACTIONS or row.family == "emailAddresses":
            return sync_actions.run(db, row.site_id, row.id, row.family, row.parent_id, item)
        if row.family == opportunity_links.FAMILY:
            return opportunity_links.run(db, row.site_id, row.id, item, now)
        if row.kind == IMPORTS and row.family == external_activities.FAMILY:
            return external_activities.run(db, row.site_id, row.id, item, now)
        if row.kind == IMPORTS:
            outcome, finished = imports.step(
                db,
                row.site_id,
                row.id,
                row.family,
                row.parent_id,
                item,
                now,
                chunk,
                forced_rejects=forced_rejects,
            )
            if not finished:
                return None
            return outcome.status, list(import_outcome.log_entries(outcome, row.family))
        entries = exports.step(db, row.site_id, row.id, row.family, row.parent_id, item, now, chunk)
        return None if entries is None else (SyncStatus.SUCCESS.value, entries)
    except (markup.MarkupError, filters.FilterError):
        # the definition no longer validates against the catalog (reference §13.4, ELQ-00122)
        invalid = logs.entry("ELQ-00122", severity=logs.ERROR, sync_id=row.id, user_id=row.user_id)
        return error, [invalid, logs.processed(error)]


def fail(db: sqlite_utils.Database, row: rows.SyncRow, now: float) -> rows.SyncRow:
    """End a sync whose chunk raised: ``error`` with ELQ-00146; that chunk's effects were
    rolled back, those of the chunks before it stay (as a pod's do)."""
    imports.abandon(db, row.site_id, row.id)
    status = SyncStatus.ERROR.value
    return _end(
        db, row, status, [logs.entry("ELQ-00146", severity=logs.ERROR), logs.processed(status)], now
    )
