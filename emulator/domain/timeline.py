"""A sync's timeline (``GET /_emulator/syncs/{id}/timeline``): what happened to it, in
order, which no Bulk endpoint shows together: its real status changes (not what the
progression policy lets a poller see), each chunk committed with its rows, the logs
written, how many rows were rejected, the callback and its answer, and the AppCloud
notifications of the executions its definition names (``{{ActionInstance(…).Execution[n]}}``).

The worker's hooks (``chunk`` from ``engine/runner.step``, ``record_callback`` from
``engine/worker``) write ``sync_events`` in the sync's own transaction, so the timeline
survives restarts and lives as long as the sync; the rest is read from the sync's rows.
"""

from __future__ import annotations

import re
from typing import Any

import sqlite_utils

from emulator.core import constraints, redaction, timestamps
from emulator.core.errors import Failure, NotFound
from emulator.core.lifecycle import SyncStatus
from emulator.core.types import JSONObject
from emulator.domain.entities import EXPORTS
from emulator.store import identity
from emulator.store import syncs as sync_rows
from emulator.store import timeline as rows

CHUNK = "chunk"
CALLBACK = "callback"
# An AppCloud instance named in a definition, with the execution when one is named.
INSTANCE = re.compile(
    r"(?:Action|Decision|Content|Feeder)Instance\(\s*([0-9a-fA-F]{32})\s*\)"
    r"(?:\.Execution\[\s*(\d{1,18})\s*\])?",
    re.IGNORECASE,
)
# Events at the same millisecond, in the order they happen.
_RANK = {"status:pending": 0, "status:active": 1, CHUNK: 2, "log": 3, "status:ended": 4}


def done(db: sqlite_utils.Database, row: sync_rows.SyncRow) -> int:
    """Rows the sync has done so far, as its committed progress says: records written
    (exports) or staged rows applied (imports); 0 before its first chunk."""
    progress = sync_rows.progress(db, row.site_id, row.id)
    if not progress:
        return 0
    if "rows" in progress:
        return int(progress["rows"])
    at = progress.get("at")
    if isinstance(at, list) and len(at) == 3:
        return int(at[1]) + int(at[2])  # the file's rows done + the rows of the files before
    return 0


def total(db: sqlite_utils.Database, row: sync_rows.SyncRow) -> int:
    """Every row an ended sync did: the records it exported, or the staged rows it
    consumed."""
    if row.kind == EXPORTS:
        return rows.exported_rows(db, row.site_id, row.id)
    return rows.staged_rows(db, row.site_id, row.id)


def chunk(
    db: sqlite_utils.Database,
    row: sync_rows.SyncRow,
    before: int,
    ended: str | None,
    now: float,
) -> None:
    """Record the chunk the runner just took (in its transaction): ``before`` is ``done``
    as it was, ``ended`` the status the chunk ended the sync with. A sync that ended in
    error here (its definition was deleted or no longer validates) applied nothing."""
    if ended is None:
        after = done(db, row)
    elif ended == SyncStatus.ERROR.value:
        after = before
    else:
        after = total(db, row)
    detail = {"rows": max(after - before, 0), "total": after}
    rows.add_event(db, row.site_id, row.id, CHUNK, timestamps.from_epoch(now), detail)


def record_callback(
    db: sqlite_utils.Database,
    sync: sync_rows.SyncRow,
    url: str,
    status: int | None,
    error: str | None,
    now: float,
) -> None:
    """The answer to the sync's callback (``status``, or ``error`` when none came); not
    kept if the sync went meanwhile (a reset), so no other sync inherits it."""
    still = sync_rows.get(db, sync.site_id, sync.id)
    if still is None or still.created_at != sync.created_at:
        return
    detail = {"url": redaction.masked(url), "status": status, "error": error}
    rows.add_event(db, sync.site_id, sync.id, CALLBACK, timestamps.from_epoch(now), detail)


def rows_done(db: sqlite_utils.Database, site_id: int, sync_id: int) -> int:
    """Rows of every chunk an ended sync committed (for the metrics)."""
    return rows.chunk_rows(db, site_id, sync_id)


def timeline(db: sqlite_utils.Database, site: str, sync_id: int) -> JSONObject:
    found = identity.find_site(db, site)
    if found is None:
        raise NotFound([Failure("site", constraints.SITE_UNKNOWN, site)])
    site_id, name = found
    row = sync_rows.get(db, site_id, sync_id)
    if row is None:
        raise NotFound.resource(f"/syncs/{sync_id}")
    events: list[tuple[str, JSONObject]] = [
        ("status:pending", {"at": row.created_at, "event": "status", "status": "pending"})
    ]
    if row.started_at:
        events.append(
            ("status:active", {"at": row.started_at, "event": "status", "status": "active"})
        )
    chunks = 0
    for kind, at, detail in rows.events(db, site_id, row.id):
        if kind == CHUNK:
            chunks += 1
        if isinstance(detail.get("url"), str):  # a callback's, maybe stored unmasked
            detail["url"] = redaction.masked(detail["url"])
        events.append((kind, {"at": at, "event": kind, **detail}))
    for entry in rows.logs(db, site_id, row.id):
        events.append(("log", {"at": entry.pop("at"), "event": "log", **entry}))
    if row.ended_at and row.status not in (SyncStatus.PENDING.value, SyncStatus.ACTIVE.value):
        events.append(
            ("status:ended", {"at": row.ended_at, "event": "status", "status": row.status})
        )
    for note in _notifications(db, site_id, row):
        events.append(("notification", {"at": note.pop("sentAt"), "event": "notification", **note}))
    ordered = sorted(events, key=lambda event: _order(*event))  # stable: ties keep order
    return {
        "site": name,
        "uri": f"/syncs/{row.id}",
        "syncedInstanceUri": row.synced_instance_uri,
        "status": row.status,
        "createdAt": row.created_at,
        "syncStartedAt": row.started_at,
        "syncEndedAt": row.ended_at,
        "chunks": chunks,
        "rows": rows.chunk_rows(db, site_id, row.id),
        "rejects": rows.reject_count(db, site_id, row.id),
        "events": [item for _, item in ordered],
    }


def _order(kind: str, item: JSONObject) -> tuple[Any, ...]:
    """By time to the millisecond (logs are kept to the millisecond, reference §18), then
    in the order things happen within one; notifications not yet answered last."""
    at = item.get("at")
    if at is None:
        return (1, "", 9)
    return (0, str(at)[:23], _RANK.get(kind, 5))


def _notifications(
    db: sqlite_utils.Database, site_id: int, row: sync_rows.SyncRow
) -> list[JSONObject]:
    text = rows.definition_text(db, site_id, row.kind, row.definition_id)
    if text is None:
        return []
    wanted: dict[tuple[str, int | None], None] = {}
    for match in INSTANCE.finditer(text):
        execution = int(match[2]) if match[2] else None
        wanted[(match[1].lower(), execution)] = None
    found: list[JSONObject] = []
    for instance, execution in wanted:
        found += rows.notifications(db, site_id, instance, execution)
    for note in found:  # credentials in a URL stored before they were refused: masked
        if isinstance(note["url"], str):
            note["url"] = redaction.masked(note["url"])
    return found
