"""Definition rows: the public JSON as served, keyed by (site, kind, id).

Ids come from a per-site, per-kind sequence and are never reused, as on a pod. A
definition with an ``autoDeleteDuration`` carries ``delete_at``; past it, reads no longer
see it and the next write removes it.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from emulator.core.listing import Listing, ListQuery
from emulator.store.pages import Page, Source, select_page


@dataclass(frozen=True)
class Row:
    site_id: int
    kind: str
    id: int
    family: str
    parent_id: int
    item: str
    delete_at: float | None


def next_id(db: sqlite_utils.Database, site_id: int, name: str) -> int:
    db.execute(
        "INSERT INTO sequences (site_id, name, last) VALUES (?, ?, 1) "
        "ON CONFLICT (site_id, name) DO UPDATE SET last = last + 1",
        [site_id, name],
    )
    row = db.execute(
        "SELECT last FROM sequences WHERE site_id = ? AND name = ?", [site_id, name]
    ).fetchone()
    return int(row[0])


def save(db: sqlite_utils.Database, row: Row) -> None:
    db.execute(
        "INSERT OR REPLACE INTO definitions (site_id, kind, id, family, parent_id, item, "
        "delete_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [row.site_id, row.kind, row.id, row.family, row.parent_id, row.item, row.delete_at],
    )


_LIVE = "(delete_at IS NULL OR delete_at > ?)"


def get(
    db: sqlite_utils.Database,
    site_id: int,
    kind: str,
    family: str,
    parent_id: int,
    id_: int,
    now: float,
) -> Row | None:
    found = db.execute(
        "SELECT site_id, kind, id, family, parent_id, item, delete_at FROM definitions "
        f"WHERE site_id = ? AND kind = ? AND id = ? AND family = ? AND parent_id = ? AND {_LIVE}",
        [site_id, kind, id_, family, parent_id, now],
    ).fetchone()
    return Row(*found) if found else None


def delete(db: sqlite_utils.Database, site_id: int, kind: str, id_: int) -> None:
    db.execute(
        "DELETE FROM definitions WHERE site_id = ? AND kind = ? AND id = ?", [site_id, kind, id_]
    )


def purge_expired(db: sqlite_utils.Database, now: float) -> int:
    return db.execute(
        "DELETE FROM definitions WHERE delete_at IS NOT NULL AND delete_at <= ?", [now]
    ).rowcount


def page(
    db: sqlite_utils.Database,
    site_id: int,
    kind: str,
    family: str | None,
    parent_id: int | None,
    listing: Listing,
    query: ListQuery,
    now: float,
) -> Page:
    """One page of a kind's definitions: of one family (and parent), or of every family."""
    where = f"site_id = ? AND kind = ? AND {_LIVE}"
    params: list[object] = [site_id, kind, now]
    if family is not None:
        where += " AND family = ? AND parent_id = ?"
        params += [family, parent_id or 0]
    source = Source("definitions", "item", where, params, {"id": "definitions.id"})
    return select_page(db, source, listing, query)
