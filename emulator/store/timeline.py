"""What happened to a sync, for its timeline (``domain/timeline``): the events only the
worker sees (chunks committed, callbacks answered) in ``sync_events``, and the figures
read back from the sync's own rows."""

from __future__ import annotations

from typing import Any

import orjson
import sqlite_utils

from emulator.core.types import JSONObject


def add_event(
    db: sqlite_utils.Database,
    site_id: int,
    sync_id: int,
    kind: str,
    at: str,
    detail: JSONObject,
) -> None:
    db.execute(
        "INSERT INTO sync_events (site_id, sync_id, seq, kind, at, detail) "
        "SELECT ?, ?, coalesce(max(seq), 0) + 1, ?, ?, ? FROM sync_events "
        "WHERE site_id = ? AND sync_id = ?",
        [site_id, sync_id, kind, at, orjson.dumps(detail).decode(), site_id, sync_id],
    )


def events(db: sqlite_utils.Database, site_id: int, sync_id: int) -> list[tuple[str, str, Any]]:
    """``(kind, at, detail)`` in the order written."""
    return [
        (str(r[0]), str(r[1]), orjson.loads(r[2]))
        for r in db.execute(
            "SELECT kind, at, detail FROM sync_events WHERE site_id = ? AND sync_id = ? "
            "ORDER BY seq",
            [site_id, sync_id],
        )
    ]


def chunk_rows(db: sqlite_utils.Database, site_id: int, sync_id: int) -> int:
    """Rows of every chunk the sync committed."""
    row = db.execute(
        "SELECT coalesce(sum(json_extract(detail, '$.rows')), 0) FROM sync_events "
        "WHERE site_id = ? AND sync_id = ? AND kind = 'chunk'",
        [site_id, sync_id],
    ).fetchone()
    return int(row[0])


def staged_rows(db: sqlite_utils.Database, site_id: int, sync_id: int) -> int:
    """Rows of the staged files the sync claimed (they stay counted once purged: the
    count is taken while the sync runs)."""
    row = db.execute(
        "SELECT coalesce(sum(rows), 0) FROM staged_files WHERE site_id = ? AND sync_id = ?",
        [site_id, sync_id],
    ).fetchone()
    return int(row[0])


def exported_rows(db: sqlite_utils.Database, site_id: int, sync_id: int) -> int:
    row = db.execute(
        "SELECT coalesce(row_count, 0) FROM syncs WHERE site_id = ? AND id = ?",
        [site_id, sync_id],
    ).fetchone()
    return int(row[0]) if row else 0


def logs(db: sqlite_utils.Database, site_id: int, sync_id: int) -> list[JSONObject]:
    return [
        {"statusCode": r[0], "severity": r[1], "count": r[2], "message": r[3], "at": r[4]}
        for r in db.execute(
            "SELECT status_code, severity, count, message, created_at FROM sync_logs "
            "WHERE site_id = ? AND sync_id = ? ORDER BY seq",
            [site_id, sync_id],
        )
    ]


def reject_count(db: sqlite_utils.Database, site_id: int, sync_id: int) -> int:
    row = db.execute(
        "SELECT count(*) FROM sync_rejects WHERE site_id = ? AND sync_id = ?", [site_id, sync_id]
    ).fetchone()
    return int(row[0])


def definition_text(db: sqlite_utils.Database, site_id: int, kind: str, id_: int) -> str | None:
    """The definition's JSON as stored (its statements name AppCloud instances)."""
    row = db.execute(
        "SELECT item FROM definitions WHERE site_id = ? AND kind = ? AND id = ?",
        [site_id, kind, id_],
    ).fetchone()
    return str(row[0]) if row else None


def notifications(
    db: sqlite_utils.Database, site_id: int, instance: str, execution: int | None
) -> list[JSONObject]:
    """The notifications sent for an instance's execution (every execution: None)."""
    where = "site_id = ? AND instance = ?"
    params: list[Any] = [site_id, instance]
    if execution is not None:
        where += " AND execution = ?"
        params.append(execution)
    return [
        {
            "instance": r[0],
            "execution": r[1],
            "url": r[2],
            "items": r[3],
            "status": r[4],
            "error": r[5],
            "sentAt": r[6],
        }
        for r in db.execute(
            "SELECT instance, execution, url, items, status, error, sent_at FROM notifications "
            f"WHERE {where} ORDER BY execution, ordinal",
            params,
        )
    ]
