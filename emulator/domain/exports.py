"""Export syncs and their data (reference §7, §11).

At sync time the filter is compiled to SQL and the result is materialised once, in record
id order, into ``export_rows``: the sync's data is a fixed snapshot that later imports do
not change, and a page is a range scan on ``ordinal`` whatever the offset.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson
import sqlite_utils

from emulator import constraints as c
from emulator import filters, markup
from emulator.domain import statements, sync_actions
from emulator.durations import parse_duration
from emulator.engine import logs
from emulator.errors import Conflict, Failure, Forbidden, NotFound, ValidationFailed
from emulator.filters.columns import BOOLEAN, SYSTEM_TIME, TABLES, Column, column
from emulator.store import definitions as definition_rows
from emulator.store import syncs as sync_rows
from emulator.types import JSONObject, Principal

FAMILIES = frozenset(TABLES)
CHUNK = 10000


def _scope(family: str, parent_id: int) -> tuple[str, list[Any]]:
    if family in ("customObjects", "events"):
        return "r.family = ? AND r.parent_id = ?", [family, parent_id]
    return "1 = 1", []


def _value(col: Column, utc: bool) -> tuple[str, list[Any]]:
    """The column as export text: system times formatted, flags as true/false."""
    if col.kind == SYSTEM_TIME:
        return f"eloqua_time({col.sql}, ?)", [*col.params, 1 if utc else 0]
    if col.kind == BOOLEAN:
        return f"CASE WHEN coalesce({col.sql}, 0) THEN 'true' ELSE 'false' END", list(col.params)
    return f"coalesce(CAST({col.sql} AS TEXT), '')", list(col.params)


PAIRS_PER_CALL = 50  # SQLite allows 127 arguments per function call


def _object(pairs: list[str]) -> str:
    """``json_object`` of every pair; beyond one call's argument limit the pieces are merged
    with ``json_patch``, which keeps key order (values are never null)."""
    pieces = [
        f"json_object({', '.join(pairs[i : i + PAIRS_PER_CALL])})"
        for i in range(0, len(pairs), PAIRS_PER_CALL)
    ]
    merged = pieces[0]
    for piece in pieces[1:]:
        merged = f"json_patch({merged}, {piece})"
    return merged


def snapshot(
    db: sqlite_utils.Database,
    site_id: int,
    sync_id: int,
    family: str,
    parent_id: int,
    definition: JSONObject,
    now: float,
) -> list[logs.Entry]:
    """Materialise the export; returns its log entries."""
    catalog = statements.StoreCatalog(db, site_id)
    entity = statements.entity(family, parent_id or None)
    utc = bool(definition.get("areSystemTimestampsInUTC"))
    shape = projection(catalog, entity, definition["fields"], utc)
    types, pairs_sql, params = shape.types, shape.sql, shape.params
    where, scope_params = _scope(family, parent_id)
    filter_sql, filter_params = "1 = 1", list[Any]()
    if definition.get("filter"):
        expression = filters.parse_filter(definition["filter"])

        def column_of(node: markup.FieldStatement) -> Column:
            data_type = (
                types.get(node)
                or markup.resolve_field(markup.format_statement(node), entity, catalog).data_type
            )
            return column(node, lambda _: data_type)

        filter_sql, filter_params = filters.compile_filter(
            expression, column_of, family=family, parent_id=parent_id, utc=utc
        )
    limit = int(definition.get("maxRecords", -1))
    cursor = db.execute(
        f"INSERT INTO export_rows (site_id, sync_id, ordinal, data) "
        f"SELECT ?, ?, row_number() OVER (ORDER BY r.id), {pairs_sql} "
        f"FROM {TABLES[family]} r WHERE r.site_id = ? AND {where} AND ({filter_sql}) "
        f"ORDER BY r.id LIMIT ?",
        [site_id, sync_id, *params, site_id, *scope_params, *filter_params, limit],
    )
    count = cursor.rowcount
    actions = list(definition.get("syncActions") or [])
    acted: list[logs.Entry] = []
    if actions:
        sync_actions.prepare(db)
        sync_actions.target(
            db,
            f"SELECT r.id FROM {TABLES[family]} r WHERE r.site_id = ? AND {where} "
            f"AND ({filter_sql}) ORDER BY r.id LIMIT ?",
            [site_id, *scope_params, *filter_params, limit],
        )
        acted = sync_actions.apply(db, site_id, family, parent_id, actions)
    retention = parse_duration(definition.get("dataRetentionDuration", "PT6H")) or 6 * 3600.0
    sync_rows.set_export(db, site_id, sync_id, count, list(definition["fields"]), now + retention)
    size = db.execute(
        "SELECT coalesce(sum(length(data)), 0) FROM export_rows WHERE site_id = ? AND sync_id = ?",
        [site_id, sync_id],
    ).fetchone()[0]
    return [
        logs.entry("ELQ-00102", count),
        logs.entry("ELQ-00131"),
        logs.entry("ELQ-00106", kb=int(size) // 1024 + 1),
        *acted,
        logs.processed("success"),
    ]


@dataclass(frozen=True)
class Projection:
    """A ``fields`` map as one SQL expression over a record row ``r``: the JSON object of
    its values as exports show them."""

    sql: str
    params: list[Any]
    types: dict[markup.FieldStatement, str]


def projection(
    catalog: statements.StoreCatalog,
    entity: markup.EntityRef,
    fields: JSONObject,
    utc: bool,
) -> Projection:
    types: dict[markup.FieldStatement, str] = {}
    pairs: list[str] = []
    params: list[Any] = []
    for key, text in fields.items():
        resolved = markup.resolve_field(text, entity, catalog)
        types[resolved.node] = resolved.data_type
        sql, values = _value(column(resolved.node, lambda n: types.get(n, "string")), utc)
        pairs.append(f"?, {sql}")
        params += [key, *values]
    return Projection(_object(pairs), params, types)


@dataclass(frozen=True)
class DataPage:
    """What one ``/data`` request serves; rows are fetched lazily, ``CHUNK`` at a time."""

    site_id: int
    sync_id: int
    offset: int
    count: int
    total: int
    columns: list[str]

    @property
    def has_more(self) -> bool:
        return self.offset + self.count < self.total


def data_page(
    db: sqlite_utils.Database,
    principal: Principal,
    sync_id: int,
    offset: int,
    limit: int,
    now: float,
) -> DataPage:
    row = sync_rows.get(db, principal.site_id, sync_id)
    if row is None:
        raise NotFound.resource(f"/syncs/{sync_id}/data")
    if row.kind != "exports":
        raise ValidationFailed([Failure("uri", c.DATA_OF_IMPORT, f"/syncs/{sync_id}/data")])
    if row.user_id != principal.user_id:
        raise Forbidden([Failure("uri", c.DATA_OTHER_USER, f"/syncs/{sync_id}/data")])
    info = sync_rows.export_data(db, principal.site_id, sync_id)
    if info.row_count is None:
        raise NotFound([Failure("uri", c.DATA_NOT_READY, f"/syncs/{sync_id}/data")])
    if (info.expires_at or 0) <= now:
        raise NotFound([Failure("uri", c.DATA_EXPIRED, f"/syncs/{sync_id}/data")])
    total = info.row_count or 0
    count = max(0, min(limit, total - offset))
    return DataPage(principal.site_id, sync_id, offset, count, total, info.columns)


def definition_page(
    db: sqlite_utils.Database,
    principal: Principal,
    family: str,
    parent_id: int,
    definition_id: int,
    offset: int,
    limit: int,
    now: float,
) -> DataPage:
    """``GET …/exports/{id}/data``: the definition's latest synced data (pyeloqua's way)."""
    sync_id = sync_rows.latest_export_sync(db, principal.site_id, definition_id, family, parent_id)
    if sync_id is None:
        found = definition_rows.get(
            db, principal.site_id, "exports", family, parent_id, definition_id, now
        )
        columns = list(orjson.loads(found.item)["fields"]) if found else []
        return DataPage(principal.site_id, 0, offset, 0, 0, columns)
    return data_page(db, principal, sync_id, offset, limit, now)


def chunks(db: sqlite_utils.Database, page: DataPage, first: int) -> list[bytes]:
    """Rows ``first+1 … first+CHUNK`` of the page (read on a reader thread)."""
    end = min(page.offset + page.count, first + CHUNK)
    return sync_rows.export_rows(db, page.site_id, page.sync_id, first, end)


def chunk_starts(page: DataPage) -> Iterator[int]:
    return iter(range(page.offset, page.offset + page.count, CHUNK))


def _own_export(db: sqlite_utils.Database, principal: Principal, sync_id: int) -> None:
    """The checks reading applies hold for deleting too: an export, of this user, ended."""
    row = sync_rows.get(db, principal.site_id, sync_id)
    uri = f"/syncs/{sync_id}/data"
    if row is None:
        raise NotFound.resource(uri)
    if row.kind != "exports":
        raise ValidationFailed([Failure("uri", c.DATA_OF_IMPORT, uri)])
    if row.user_id != principal.user_id:
        raise Forbidden([Failure("uri", c.DATA_OTHER_USER, uri)])
    if row.status in ("pending", "active"):
        raise Conflict([Failure("uri", c.CONFLICT, uri)])


def delete_sync_data(db: sqlite_utils.Database, principal: Principal, sync_id: int) -> None:
    _own_export(db, principal, sync_id)
    sync_rows.drop_export_rows(db, principal.site_id, [sync_id])


def delete_definition_data(
    db: sqlite_utils.Database, principal: Principal, family: str, parent_id: int, definition_id: int
) -> None:
    """Drops the caller's synced data of the definition; other users' data stays theirs."""
    mine = [
        sync_id
        for sync_id in sync_rows.export_syncs_of(
            db, principal.site_id, definition_id, family, parent_id
        )
        if (row := sync_rows.get(db, principal.site_id, sync_id)) is not None
        and row.user_id == principal.user_id
        and row.status not in ("pending", "active")
    ]
    sync_rows.drop_export_rows(db, principal.site_id, mine)


def purge_expired(db: sqlite_utils.Database, now: float) -> None:
    for site_id, sync_id in sync_rows.expired_exports(db, now):
        db.execute("DELETE FROM export_rows WHERE site_id = ? AND sync_id = ?", [site_id, sync_id])


def csv_line(data: bytes, columns: list[str]) -> list[str]:
    values = orjson.loads(data)
    return [str(values.get(name, "")) for name in columns]
