"""The data of export syncs: each sync's rows, materialised once in record id order as
JSON text (``export_rows``), and what the sync row records about them."""

from __future__ import annotations

from dataclasses import dataclass

import orjson
import sqlite_utils

from emulator.store.filter_sql import Selection
from emulator.store.tables import Projection


@dataclass(frozen=True)
class Chunk:
    rows: int
    bytes: int
    last_record: int  # the id of the last record written, where the next chunk starts


def materialise(
    db: sqlite_utils.Database,
    sync_id: int,
    selection: Selection,
    projection: Projection,
    *,
    after_record: int,
    done: int,
    limit: int,
) -> Chunk:
    """Write up to ``limit`` more of the selected records, those past ``after_record``,
    projected, as the sync's rows ``done + 1 …``. One ``INSERT … SELECT``: the data never
    passes through Python."""
    where, params = selection.where()
    count = db.execute(
        "INSERT INTO export_rows (site_id, sync_id, ordinal, record_id, data) "
        "SELECT ?, ?, ? + row_number() OVER (ORDER BY id), id, data FROM ("
        f"SELECT r.id AS id, {projection.sql} AS data FROM {selection.table.name} r "
        f"WHERE {where} AND r.id > ? ORDER BY r.id LIMIT ?)",
        [selection.site_id, sync_id, done, *projection.params, *params, after_record, limit],
    ).rowcount
    size, last = db.execute(
        "SELECT coalesce(sum(length(data)), 0), max(record_id) FROM export_rows "
        "WHERE site_id = ? AND sync_id = ? AND ordinal > ?",
        [selection.site_id, sync_id, done],
    ).fetchone()
    return Chunk(count, int(size), after_record if last is None else int(last))


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


def joined_rows(
    db: sqlite_utils.Database, site_id: int, sync_id: int, after: int, upto: int
) -> bytes:
    """Rows ``after < ordinal <= upto`` as one piece of UTF-8 JSON, the rows separated by
    commas: SQLite joins them as it scans the primary key in order, so a page costs no
    Python per row."""
    row = db.execute(
        "SELECT CAST(group_concat(data, ',') AS BLOB) FROM (SELECT data FROM export_rows "
        "WHERE site_id = ? AND sync_id = ? AND ordinal > ? AND ordinal <= ? ORDER BY ordinal)",
        [site_id, sync_id, after, upto],
    ).fetchone()
    return b"" if row is None or row[0] is None else bytes(row[0])


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


def purge_expired(db: sqlite_utils.Database, now: float) -> None:
    """Drop the rows of exports whose data retention has passed."""
    expired = db.execute(
        "SELECT site_id, id FROM syncs WHERE kind = 'exports' AND data_expires_at > 0 "
        "AND data_expires_at <= ?",
        [now],
    ).fetchall()
    for site_id, sync_id in expired:
        db.execute("DELETE FROM export_rows WHERE site_id = ? AND sync_id = ?", [site_id, sync_id])


def bytes_exported(db: sqlite_utils.Database, site_id: int) -> int:
    """The bytes of the exported rows the site's syncs hold (their JSON text)."""
    row = db.execute(
        "SELECT coalesce(sum(length(CAST(data AS BLOB))), 0) FROM export_rows WHERE site_id = ?",
        [site_id],
    ).fetchone()
    return int(row[0])
