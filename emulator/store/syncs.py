"""Sync rows, their logs and rejects."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import orjson
import sqlite_utils

from emulator.listing import Listing, ListQuery
from emulator.store.pages import Page, Source, select_page

_COLUMNS = (
    "site_id, id, kind, definition_id, family, parent_id, synced_instance_uri, user_id, "
    "created_by, status, callback_url, created_at, created_epoch, started_at, ended_at, reads, "
    "shown, advanced"
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
    reads: int
    shown: int
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
            row.reads,
            row.shown,
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


def next_pending(db: sqlite_utils.Database) -> SyncRow | None:
    row = db.execute(
        f"SELECT {_COLUMNS} FROM syncs WHERE status = 'pending' ORDER BY created_epoch, id LIMIT 1"
    ).fetchone()
    return SyncRow(*row) if row else None


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


def reset_orphans(db: sqlite_utils.Database) -> int:
    """``active`` syncs of a process that died go back to ``pending``."""
    return db.execute(
        "UPDATE syncs SET status = 'pending', started_at = NULL WHERE status = 'active'"
    ).rowcount


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


def delete_all(db: sqlite_utils.Database, site_id: int, sync_id: int) -> None:
    for table in ("sync_logs", "sync_rejects"):
        db.execute(f"DELETE FROM {table} WHERE site_id = ? AND sync_id = ?", [site_id, sync_id])


@dataclass(frozen=True)
class ExportData:
    row_count: int | None
    columns: list[str]
    expires_at: float | None


def set_export(
    db: sqlite_utils.Database,
    site_id: int,
    id_: int,
    row_count: int,
    columns: list[str],
    expires_at: float,
) -> None:
    db.execute(
        "UPDATE syncs SET row_count = ?, columns = ?, data_expires_at = ? "
        "WHERE site_id = ? AND id = ?",
        [row_count, orjson.dumps(columns).decode(), expires_at, site_id, id_],
    )


def export_data(db: sqlite_utils.Database, site_id: int, id_: int) -> ExportData:
    row = db.execute(
        "SELECT row_count, columns, data_expires_at FROM syncs WHERE site_id = ? AND id = ?",
        [site_id, id_],
    ).fetchone()
    columns = orjson.loads(row[1]) if row and row[1] else []
    return ExportData(row[0] if row else None, columns, row[2] if row else None)


def latest_export_sync(
    db: sqlite_utils.Database, site_id: int, definition_id: int, family: str, parent_id: int
) -> int | None:
    """The newest ended sync of an export definition: what ``…/exports/{id}/data`` serves."""
    row = db.execute(
        "SELECT id FROM syncs WHERE site_id = ? AND kind = 'exports' AND definition_id = ? "
        "AND family = ? AND parent_id = ? AND status IN ('success', 'warning') "
        "ORDER BY id DESC LIMIT 1",
        [site_id, definition_id, family, parent_id],
    ).fetchone()
    return None if row is None else int(row[0])


def export_rows(
    db: sqlite_utils.Database, site_id: int, sync_id: int, after: int, upto: int
) -> list[bytes]:
    """Rows ``after < ordinal <= upto`` as UTF-8 JSON bytes: an indexed range scan whatever
    the offset, and no decoding on the way out."""
    return [
        r[0]
        for r in db.execute(
            "SELECT CAST(data AS BLOB) FROM export_rows WHERE site_id = ? AND sync_id = ? "
            "AND ordinal > ? AND ordinal <= ? ORDER BY ordinal",
            [site_id, sync_id, after, upto],
        )
    ]


def drop_export_rows(db: sqlite_utils.Database, site_id: int, sync_ids: list[int]) -> None:
    for sync_id in sync_ids:
        db.execute("DELETE FROM export_rows WHERE site_id = ? AND sync_id = ?", [site_id, sync_id])
        db.execute(
            "UPDATE syncs SET data_expires_at = 0 WHERE site_id = ? AND id = ?", [site_id, sync_id]
        )


def export_syncs_of(
    db: sqlite_utils.Database, site_id: int, definition_id: int, family: str, parent_id: int
) -> list[int]:
    return [
        int(r[0])
        for r in db.execute(
            "SELECT id FROM syncs WHERE site_id = ? AND kind = 'exports' AND definition_id = ? "
            "AND family = ? AND parent_id = ?",
            [site_id, definition_id, family, parent_id],
        )
    ]


def expired_exports(db: sqlite_utils.Database, now: float) -> list[tuple[int, int]]:
    return [
        (int(r[0]), int(r[1]))
        for r in db.execute(
            "SELECT site_id, id FROM syncs WHERE kind = 'exports' AND data_expires_at > 0 "
            "AND data_expires_at <= ?",
            [now],
        )
    ]
