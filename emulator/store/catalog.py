"""Catalog rows: field metadata, containers (lists, segments, filters, custom object and
event types, email groups, scoring models) and container memberships."""

from __future__ import annotations

from collections.abc import Iterable

import orjson
import sqlite_utils

from emulator.core.listing import Listing, ListQuery
from emulator.core.types import JSONObject
from emulator.store.pages import Page, Source, select_page

# Families whose items carry a live ``count`` of their members.
COUNTED = frozenset({"contactLists", "contactSegments", "contactFilters", "accountLists"})


def _json(value: object) -> str:
    return orjson.dumps(value).decode()


def insert_fields(
    db: sqlite_utils.Database,
    site_id: int,
    family: str,
    parent_id: int,
    rows: Iterable[tuple[int, JSONObject, list[str]]],
) -> None:
    """``rows`` are ``(id, item, tags)``; tags drive ``activityType``/``type`` filters."""
    db.conn.executemany(
        "INSERT INTO fields (site_id, family, parent_id, id, internal_name, statement, "
        "data_type, tags, item) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                site_id,
                family,
                parent_id,
                id_,
                item.get("internalName"),
                item["statement"],
                item.get("dataType"),
                _json(tags),
                _json(item),
            )
            for id_, item, tags in rows
        ),
    )


def insert_container(
    db: sqlite_utils.Database, site_id: int, family: str, id_: int, item: JSONObject
) -> None:
    db.execute(
        "INSERT INTO containers (site_id, family, id, item) VALUES (?, ?, ?, ?)",
        [site_id, family, id_, _json(item)],
    )


def insert_members(
    db: sqlite_utils.Database, site_id: int, family: str, container_id: int, members: Iterable[int]
) -> None:
    db.conn.executemany(
        "INSERT OR IGNORE INTO memberships (site_id, family, container_id, member_id) "
        "VALUES (?, ?, ?, ?)",
        ((site_id, family, container_id, m) for m in members),
    )


def page_fields(
    db: sqlite_utils.Database,
    site_id: int,
    family: str,
    parent_id: int,
    listing: Listing,
    query: ListQuery,
    tag: str | None = None,
) -> Page:
    where = "site_id = ? AND family = ? AND parent_id = ?"
    params: list[object] = [site_id, family, parent_id]
    if tag is not None:
        where += " AND EXISTS (SELECT 1 FROM json_each(fields.tags) WHERE json_each.value = ?)"
        params.append(tag)
    source = Source("fields", "item", where, params, {"id": "fields.id"})
    return select_page(db, source, listing, query)


def get_field(
    db: sqlite_utils.Database, site_id: int, family: str, parent_id: int, id_: int
) -> str | None:
    row = db.execute(
        "SELECT item FROM fields WHERE site_id = ? AND family = ? AND parent_id = ? AND id = ?",
        [site_id, family, parent_id, id_],
    ).fetchone()
    return row[0] if row else None


_COUNT = (
    "(SELECT count(*) FROM memberships m WHERE m.site_id = containers.site_id "
    "AND m.family = containers.family AND m.container_id = containers.id)"
)


def _container_item(family: str) -> str:
    return f"json_set(item, '$.count', {_COUNT})" if family in COUNTED else "item"


def page_containers(
    db: sqlite_utils.Database, site_id: int, family: str, listing: Listing, query: ListQuery
) -> Page:
    columns = {"id": "containers.id"}
    if family in COUNTED:
        columns["count"] = _COUNT
    source = Source(
        "containers",
        _container_item(family),
        "site_id = ? AND family = ?",
        [site_id, family],
        columns,
    )
    return select_page(db, source, listing, query)


def get_container(db: sqlite_utils.Database, site_id: int, family: str, id_: int) -> str | None:
    row = db.execute(
        f"SELECT {_container_item(family)} FROM containers "
        "WHERE site_id = ? AND family = ? AND id = ?",
        [site_id, family, id_],
    ).fetchone()
    return row[0] if row else None


def container_names(db: sqlite_utils.Database, site_id: int, family: str) -> list[str]:
    """The ``name`` of each of the site's containers of ``family``, in id order."""
    return [
        str(row[0])
        for row in db.execute(
            "SELECT json_extract(item, '$.name') FROM containers WHERE site_id = ? "
            "AND family = ? ORDER BY id",
            [site_id, family],
        )
    ]


def container_exists(db: sqlite_utils.Database, site_id: int, family: str, id_: int) -> bool:
    row = db.execute(
        "SELECT 1 FROM containers WHERE site_id = ? AND family = ? AND id = ?",
        [site_id, family, id_],
    ).fetchone()
    return row is not None


def field_type_by_statement(
    db: sqlite_utils.Database, site_id: int, family: str, parent_id: int, statement: str
) -> str | None:
    """The ``dataType`` of the catalog field with this statement (case-insensitive)."""
    row = db.execute(
        "SELECT data_type FROM fields WHERE site_id = ? AND family = ? AND parent_id = ? "
        "AND statement = ? COLLATE NOCASE",
        [site_id, family, parent_id, statement],
    ).fetchone()
    return None if row is None else str(row[0] or "string")


def field_flags_by_statement(
    db: sqlite_utils.Database, site_id: int, family: str, parent_id: int, statement: str
) -> tuple[str, bool] | None:
    """``(dataType, hasNotNullConstraint)`` of the catalog field with this statement."""
    row = db.execute(
        "SELECT data_type, coalesce(json_extract(item, '$.hasNotNullConstraint'), 0) FROM fields "
        "WHERE site_id = ? AND family = ? AND parent_id = ? AND statement = ? COLLATE NOCASE",
        [site_id, family, parent_id, statement],
    ).fetchone()
    return None if row is None else (str(row[0] or "string"), bool(row[1]))
