"""Staged files and their rows. Each upload is one file; rows keep their order, so a
sync's ``recordIndex`` runs across its files in upload order."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import count as ordinals
from itertools import islice, repeat

import orjson
import sqlite_utils

from emulator.core.types import JSONObject

BATCH = 2000


def count_open_files(
    db: sqlite_utils.Database, site_id: int, kind: str, definition_id: int, now: float
) -> int:
    row = db.execute(
        "SELECT count(*) FROM staged_files WHERE site_id = ? AND kind = ? AND definition_id = ? "
        "AND sync_id IS NULL AND expires_at > ?",
        [site_id, kind, definition_id, now],
    ).fetchone()
    return int(row[0])


def insert_file(
    db: sqlite_utils.Database,
    site_id: int,
    kind: str,
    definition_id: int,
    now: float,
    expires_at: float,
    size: int,
) -> int:
    cursor = db.execute(
        "INSERT INTO staged_files (site_id, kind, definition_id, created_at, expires_at, rows, "
        "keys, bytes) VALUES (?, ?, ?, ?, ?, 0, '[]', ?)",
        [site_id, kind, definition_id, now, expires_at, size],
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def insert_rows(db: sqlite_utils.Database, file_id: int, rows: Iterable[str]) -> int:
    """Rows as JSON text, in batches; returns how many."""
    count = 0
    numbered = zip(repeat(file_id), ordinals(1), rows)
    while batch := list(islice(numbered, BATCH)):
        db.conn.executemany(
            "INSERT INTO staged_rows (file_id, ordinal, data) VALUES (?, ?, ?)", batch
        )
        count += len(batch)
    return count


def finish_file(db: sqlite_utils.Database, file_id: int, rows: int, keys: str) -> None:
    db.execute("UPDATE staged_files SET rows = ?, keys = ? WHERE id = ?", [rows, keys, file_id])


def claim(
    db: sqlite_utils.Database, site_id: int, kind: str, definition_id: int, sync_id: int, now: float
) -> int:
    """Give a new sync every unexpired, unclaimed file of its definition."""
    return db.execute(
        "UPDATE staged_files SET sync_id = ? WHERE site_id = ? AND kind = ? AND definition_id = ? "
        "AND sync_id IS NULL AND expires_at > ?",
        [sync_id, site_id, kind, definition_id, now],
    ).rowcount


def bytes_staged(db: sqlite_utils.Database, site_id: int) -> int:
    """The bytes of the uploads the site's staging area holds (consumed files go when the
    worker purges them)."""
    row = db.execute(
        "SELECT coalesce(sum(bytes), 0) FROM staged_files WHERE site_id = ?", [site_id]
    ).fetchone()
    return int(row[0])


def rows_of(db: sqlite_utils.Database, file_ids: list[int]) -> Iterator[JSONObject]:
    """The staged rows of the files, in upload order, for the syncs that read them one by
    one (linkage and external activity imports)."""
    for file_id in file_ids:
        for (data,) in db.execute(
            "SELECT data FROM staged_rows WHERE file_id = ? ORDER BY ordinal", [file_id]
        ):
            yield orjson.loads(data)


def files_of_sync(
    db: sqlite_utils.Database, site_id: int, sync_id: int
) -> list[tuple[int, int, str]]:
    """``(file id, rows, keys JSON)`` in upload order."""
    return [
        (int(r[0]), int(r[1]), str(r[2]))
        for r in db.execute(
            "SELECT id, rows, keys FROM staged_files WHERE site_id = ? AND sync_id = ? ORDER BY id",
            [site_id, sync_id],
        )
    ]


def delete_files(db: sqlite_utils.Database, file_ids: list[int]) -> None:
    for start in range(0, len(file_ids), 500):
        chunk = file_ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        db.execute(f"DELETE FROM staged_rows WHERE file_id IN ({marks})", chunk)
        db.execute(f"DELETE FROM staged_files WHERE id IN ({marks})", chunk)


def open_file_ids(
    db: sqlite_utils.Database, site_id: int, kind: str, definition_id: int
) -> list[int]:
    return [
        int(r[0])
        for r in db.execute(
            "SELECT id FROM staged_files WHERE site_id = ? AND kind = ? AND definition_id = ? "
            "AND sync_id IS NULL",
            [site_id, kind, definition_id],
        )
    ]


def delete_rows(db: sqlite_utils.Database, file_ids: list[int], limit: int) -> int:
    """Delete up to ``limit`` staged rows of the files, in file and row order, and each file
    left empty; how many rows went. A bounded amount of work per transaction."""
    deleted = 0
    for file_id in file_ids:
        first = db.execute(
            "SELECT min(ordinal) FROM staged_rows WHERE file_id = ?", [file_id]
        ).fetchone()[0]
        if first is not None:
            deleted += db.execute(
                "DELETE FROM staged_rows WHERE file_id = ? AND ordinal < ?",
                [file_id, first + limit - deleted],
            ).rowcount
            if deleted >= limit:
                break
        db.execute("DELETE FROM staged_files WHERE id = ?", [file_id])
    return deleted


def consumed_file_ids(db: sqlite_utils.Database) -> list[int]:
    """Files whose sync has ended."""
    return [
        int(r[0])
        for r in db.execute(
            "SELECT f.id FROM staged_files f JOIN syncs s ON s.site_id = f.site_id "
            "AND s.id = f.sync_id WHERE s.status IN ('success', 'warning', 'error')"
        )
    ]


def expired_file_ids(db: sqlite_utils.Database, now: float) -> list[int]:
    return [
        int(r[0])
        for r in db.execute(
            "SELECT id FROM staged_files WHERE sync_id IS NULL AND expires_at <= ?", [now]
        )
    ]


def value_of(key: str) -> tuple[str, str]:
    """How SQL reads ``key`` of a staged row's ``data`` (every value is stored as text):
    ``(function, argument)``, called as ``function(data, argument)``. A key that a JSON path
    cannot name goes through ``eloqua_staged``."""
    if '"' in key or "\\" in key:
        return "eloqua_staged", key
    return "json_extract", f'$."{key}"'
