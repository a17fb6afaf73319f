"""Forced outcomes (``forced_outcomes``): rows in, rows out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlite_utils

_COLUMNS = (
    "site_id, id, kind, family, parent_id, definition_id, definition_uri, sync_id, started, "
    "status, code, message, count, rejects, created_at"
)


@dataclass(frozen=True)
class OutcomeRow:
    site_id: int
    id: int
    kind: str
    family: str
    parent_id: int
    definition_id: int
    definition_uri: str
    sync_id: int | None  # None until its definition's next sync starts
    started: bool
    status: str  # error | warning | active
    code: str | None  # the log line of an error
    message: str | None
    count: int | None
    rejects: int | None  # of a warning
    created_at: str


@dataclass(frozen=True)
class PendingSync:
    site_id: int
    id: int
    kind: str
    family: str
    parent_id: int
    definition_id: int


def insert(db: sqlite_utils.Database, row: OutcomeRow) -> int:
    """The new row's id (``row.id`` is ignored)."""
    names = [c.strip() for c in _COLUMNS.split(",") if c.strip() != "id"]
    values = {name: getattr(row, name) for name in names}
    values["started"] = int(row.started)
    cursor = db.execute(
        f"INSERT INTO forced_outcomes ({', '.join(names)}) "
        f"VALUES ({', '.join(':' + n for n in names)})",
        values,
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _row(found: tuple[object, ...]) -> OutcomeRow:
    values = list(found)
    values[8] = bool(values[8])
    return OutcomeRow(*values)  # type: ignore[arg-type]


def get(db: sqlite_utils.Database, id_: int) -> OutcomeRow | None:
    found = db.execute(f"SELECT {_COLUMNS} FROM forced_outcomes WHERE id = ?", [id_]).fetchone()
    return _row(found) if found else None


def every(db: sqlite_utils.Database, site_id: int | None = None) -> list[OutcomeRow]:
    """Every row (of one site), oldest first."""
    if site_id is None:
        found = db.execute(f"SELECT {_COLUMNS} FROM forced_outcomes ORDER BY id")
    else:
        found = db.execute(
            f"SELECT {_COLUMNS} FROM forced_outcomes WHERE site_id = ? ORDER BY id", [site_id]
        )
    return [_row(r) for r in found]


def of_sync(db: sqlite_utils.Database, site_id: int, sync_id: int) -> OutcomeRow | None:
    found = db.execute(
        f"SELECT {_COLUMNS} FROM forced_outcomes WHERE site_id = ? AND sync_id = ? "
        "ORDER BY id LIMIT 1",
        [site_id, sync_id],
    ).fetchone()
    return _row(found) if found else None


def any_waiting(db: sqlite_utils.Database) -> bool:
    """Whether any row waits for its sync to start (the worker asks at every turn)."""
    return (
        db.execute("SELECT 1 FROM forced_outcomes WHERE started = 0 LIMIT 1").fetchone() is not None
    )


def waiting(db: sqlite_utils.Database) -> list[OutcomeRow]:
    return [
        _row(r)
        for r in db.execute(f"SELECT {_COLUMNS} FROM forced_outcomes WHERE started = 0 ORDER BY id")
    ]


def pending_syncs(db: sqlite_utils.Database) -> list[PendingSync]:
    """The syncs a claim is about to start, by site and id."""
    return [
        PendingSync(*r)
        for r in db.execute(
            "SELECT site_id, id, kind, family, parent_id, definition_id FROM syncs "
            "WHERE status = 'pending' ORDER BY site_id, id"
        )
    ]


def bind(db: sqlite_utils.Database, id_: int, sync_id: int) -> None:
    db.execute("UPDATE forced_outcomes SET sync_id = ? WHERE id = ?", [sync_id, id_])


def mark_started(db: sqlite_utils.Database, ids: Iterable[int]) -> None:
    db.conn.executemany(
        "UPDATE forced_outcomes SET started = 1 WHERE id = ?", [(id_,) for id_ in ids]
    )


def held(db: sqlite_utils.Database) -> set[tuple[int, int]]:
    """``(site, sync)`` of the started syncs an ``active`` outcome holds."""
    return {
        (int(site), int(sync))
        for site, sync in db.execute(
            "SELECT site_id, sync_id FROM forced_outcomes WHERE status = 'active' AND started = 1"
        )
    }


def delete(db: sqlite_utils.Database, id_: int) -> None:
    db.execute("DELETE FROM forced_outcomes WHERE id = ?", [id_])


def delete_of_sync(db: sqlite_utils.Database, site_id: int, sync_id: int) -> None:
    db.execute("DELETE FROM forced_outcomes WHERE site_id = ? AND sync_id = ?", [site_id, sync_id])
