"""Sync rows, their logs and rejects."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson
import sqlite_utils

from emulator.core.listing import Listing, ListQuery
from emulator.store.pages import Page, Source, select_page

_COLUMNS = (
    "site_id, id, kind, definition_id, family, parent_id, synced_instance_uri, user_id, "
    "created_by, status, callback_url, created_at, created_epoch, started_at, ended_at, "
    "advanced"
)


@dataclass(frozen=True)
class SyncRow:
    site_id: int
    id: int
    kind: str
    definition_id: int
    family: str
    parent_id: int
    synced_instance_uri: str
    user_id: int
    created_by: str
    status: str
    callback_url: str | None
    created_at: str
    created_epoch: float
    started_at: str | None
    ended_at: str | None
    advanced: int


def insert(db: sqlite_utils.Database, row: SyncRow) -> None:
    db.execute(
        f"INSERT INTO syncs ({_COLUMNS}) VALUES ({', '.join('?' for _ in _COLUMNS.split(','))})",
        [
            row.site_id,
            row.id,
            row.kind,
            row.definition_id,
            row.family,
            row.parent_id,
            row.synced_instance_uri,
            row.user_id,
            row.created_by,
            row.status,
            row.callback_url,
            row.created_at,
            row.created_epoch,
            row.started_at,
            row.ended_at,
            row.advanced,
        ],
    )


def get(db: sqlite_utils.Database, site_id: int, id_: int) -> SyncRow | None:
    row = db.execute(
        f"SELECT {_COLUMNS} FROM syncs WHERE site_id = ? AND id = ?", [site_id, id_]
    ).fetchone()
    return SyncRow(*row) if row else None


def rows(db: sqlite_utils.Database, site_id: int, ids: Iterable[int]) -> list[SyncRow]:
    wanted = list(ids)
    if not wanted:
        return []
    marks = ", ".join("?" for _ in wanted)
    found = db.execute(
        f"SELECT {_COLUMNS} FROM syncs WHERE site_id = ? AND id IN ({marks})", [site_id, *wanted]
    ).fetchall()
    by_id = {r[1]: SyncRow(*r) for r in found}
    return [by_id[i] for i in wanted if i in by_id]


def set_status(
    db: sqlite_utils.Database,
    site_id: int,
    id_: int,
    status: str,
    *,
    started_at: str | None = None,
    ended_at: str | None = None,
) -> None:
    db.execute(
        "UPDATE syncs SET status = ?, started_at = coalesce(?, started_at), "
        "ended_at = coalesce(?, ended_at) WHERE site_id = ? AND id = ?",
        [status, started_at, ended_at, site_id, id_],
    )


def start_pending(db: sqlite_utils.Database, started_at: str) -> int:
    return db.execute(
        "UPDATE syncs SET status = 'active', started_at = ? WHERE status = 'pending'", [started_at]
    ).rowcount


def active(db: sqlite_utils.Database) -> list[tuple[int, int]]:
    """``(site, id)`` of the syncs under way, in that order: the worker's rotation."""
    return [
        (int(r[0]), int(r[1]))
        for r in db.execute(
            "SELECT site_id, id FROM syncs WHERE status = 'active' ORDER BY site_id, id"
        )
    ]


def small_rotation(db: sqlite_utils.Database, syncs_at_most: int, rows_at_most: int) -> bool:
    """Whether the syncs pending or under way are at most ``syncs_at_most`` imports or
    sync actions that claimed at most ``rows_at_most`` staged rows in all: a turn of the
    worker that is over in well under a millisecond (``engine.worker``)."""
    count, exports, staged = db.execute(
        "SELECT count(*), coalesce(sum(s.kind = 'exports'), 0), coalesce(sum(("
        "SELECT sum(f.rows) FROM staged_files f WHERE f.site_id = s.site_id "
        "AND f.kind = s.kind AND f.definition_id = s.definition_id AND f.sync_id = s.id"
        ")), 0) FROM syncs s WHERE s.status IN ('pending', 'active')"
    ).fetchone()
    return bool(0 < count <= syncs_at_most and exports == 0 and staged <= rows_at_most)


def progress(db: sqlite_utils.Database, site_id: int, id_: int) -> dict[str, Any] | None:
    """What a sync under way has done so far (its last committed chunk), None before."""
    row = db.execute(
        "SELECT progress FROM syncs WHERE site_id = ? AND id = ?", [site_id, id_]
    ).fetchone()
    return None if row is None or row[0] is None else dict(orjson.loads(row[0]))


def set_progress(
    db: sqlite_utils.Database, site_id: int, id_: int, done: dict[str, Any] | None
) -> None:
    db.execute(
        "UPDATE syncs SET progress = ? WHERE site_id = ? AND id = ?",
        [None if done is None else orjson.dumps(done).decode(), site_id, id_],
    )


def advance(db: sqlite_utils.Database, site_id: int, id_: int) -> None:
    db.execute(
        "UPDATE syncs SET advanced = advanced + 1 WHERE site_id = ? AND id = ?", [site_id, id_]
    )


def busy(db: sqlite_utils.Database, site_id: int, kind: str, definition_id: int) -> bool:
    """Whether a sync of this definition is pending or running."""
    row = db.execute(
        "SELECT 1 FROM syncs WHERE site_id = ? AND kind = ? AND definition_id = ? "
        "AND status IN ('pending', 'active') LIMIT 1",
        [site_id, kind, definition_id],
    ).fetchone()
    return row is not None


def page_ids(
    db: sqlite_utils.Database,
    site_id: int,
    listing: Listing,
    query: ListQuery,
) -> tuple[list[int], int | None, bool]:
    """Ids of one page of syncs; properties map onto columns (status is the real one)."""
    columns = {
        "id": "syncs.id",
        "uri": "('/syncs/' || syncs.id)",
        "status": "syncs.status",
        "syncedInstanceUri": "syncs.synced_instance_uri",
        "createdAt": "syncs.created_at",
        "createdBy": "syncs.created_by",
        "syncStartedAt": "syncs.started_at",
        "syncEndedAt": "syncs.ended_at",
        "callbackUrl": "syncs.callback_url",
    }
    source = Source("syncs", "syncs.id", "site_id = ?", [site_id], columns)
    page: Page = select_page(db, source, listing, query)
    return [int(i) for i in page.items], page.total, page.has_more


def add_logs(
    db: sqlite_utils.Database,
    site_id: int,
    sync_id: int,
    entries: Iterable[tuple[int, str, str, str | None]],
    created_at: str,
) -> None:
    """``(count, severity, code, message)`` in the order written."""
    start = db.execute(
        "SELECT coalesce(max(seq), 0) FROM sync_logs WHERE site_id = ? AND sync_id = ?",
        [site_id, sync_id],
    ).fetchone()[0]
    db.conn.executemany(
        "INSERT INTO sync_logs (site_id, sync_id, seq, count, severity, status_code, message, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (site_id, sync_id, start + n, count, severity, code, message, created_at)
            for n, (count, severity, code, message) in enumerate(entries, 1)
        ],
    )


def page_logs(
    db: sqlite_utils.Database, site_id: int, sync_id: int, listing: Listing, query: ListQuery
) -> Page:
    item = (
        "json_object('syncUri', '/syncs/' || sync_id, 'count', count, 'severity', severity, "
        "'statusCode', status_code, 'message', message, 'createdAt', created_at)"
    )
    item = f"json_remove({item}, CASE WHEN message IS NULL THEN '$.message' ELSE '$.none' END)"
    columns = {
        "id": "sync_logs.seq",
        "count": "count",
        "severity": "severity",
        "statusCode": "status_code",
        "message": "message",
        "createdAt": "created_at",
    }
    source = Source("sync_logs", item, "site_id = ? AND sync_id = ?", [site_id, sync_id], columns)
    return select_page(db, source, listing, query, key="sync_logs.seq")


def add_rejects(
    db: sqlite_utils.Database,
    site_id: int,
    sync_id: int,
    rejects: Iterable[tuple[int, dict[str, object]]],
) -> None:
    db.conn.executemany(
        "INSERT INTO sync_rejects (site_id, sync_id, record_index, item) VALUES (?, ?, ?, ?)",
        [(site_id, sync_id, index, orjson.dumps(item).decode()) for index, item in rejects],
    )


def page_rejects(
    db: sqlite_utils.Database, site_id: int, sync_id: int, listing: Listing, query: ListQuery
) -> Page:
    columns = {"id": "record_index", "recordIndex": "record_index"}
    source = Source(
        "sync_rejects", "item", "site_id = ? AND sync_id = ?", [site_id, sync_id], columns
    )
    return select_page(db, source, listing, query, key="sync_rejects.record_index")
