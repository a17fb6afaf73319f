"""Export syncs and their data (reference §7, §11).

At sync time the filter is compiled to SQL and the result is materialised once, in record
id order, into ``export_rows``, a chunk per transaction: the sync's data is a snapshot
that later imports do not change (a record changed while the export runs shows as it was
when its chunk was written, as on a pod, whose syncs are not atomic either), and a page is
a range scan on ``ordinal`` whatever the offset.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import orjson
import sqlite_utils

from emulator.core import constraints as c
from emulator.core import filters, logs, markup
from emulator.core.durations import parse_duration
from emulator.core.errors import Conflict, Failure, Forbidden, NotFound, ValidationFailed
from emulator.core.types import JSONObject, Principal
from emulator.domain import statements, sync_actions
from emulator.store import definitions as definition_rows
from emulator.store import export_rows, tables
from emulator.store import sync_actions as action_rows
from emulator.store import syncs as sync_rows
from emulator.store.filter_sql import Selection
from emulator.store.sync_actions import Targets

CHUNK = 25_000  # rows a /data page reads at a time
SYNC_CHUNK = 25_000  # records an export sync writes per transaction


def step(
    db: sqlite_utils.Database,
    site_id: int,
    sync_id: int,
    family: str,
    parent_id: int,
    definition: JSONObject,
    now: float,
    size: int | None = None,
) -> list[logs.Entry] | None:
    """Materialise the export's next ``size`` records (``SYNC_CHUNK`` by default) and
    keep the progress with
    them; its log entries once the last chunk is written, else None. Rows are taken in
    record id order, each chunk after the last record of the one before, so a resumed or
    interleaved export never writes a record twice."""
    catalog = statements.StoreCatalog(db, site_id)
    entity = statements.entity(family, parent_id or None)
    utc = bool(definition.get("areSystemTimestampsInUTC"))
    shape = projection(catalog, entity, definition["fields"], utc)
    types = shape.types

    def data_type(node: markup.FieldStatement) -> str:
        found = types.get(node)
        if found is None:
            text = markup.format_statement(node)
            found = types[node] = markup.resolve_field(text, entity, catalog).data_type
        return found

    expression = filters.parse_filter(definition["filter"]) if definition.get("filter") else None
    selection = Selection(tables.table_of(family), site_id, parent_id, expression, data_type, utc)
    done = sync_rows.progress(db, site_id, sync_id) or {"rows": 0, "bytes": 0, "after": 0}
    most = int(definition.get("maxRecords", -1))
    size = size or SYNC_CHUNK
    room = size if most < 0 else min(size, most - done["rows"])
    actions = list(definition.get("syncActions") or [])
    targets = Targets(site_id, sync_id)
    chunk = export_rows.Chunk(0, 0, done["after"])
    if room > 0:
        chunk = export_rows.materialise(
            db,
            sync_id,
            selection,
            shape.projection,
            after_record=done["after"],
            done=done["rows"],
            limit=room,
        )
        if actions:
            action_rows.target_exported(db, targets, done["rows"])
    done = {
        "rows": done["rows"] + chunk.rows,
        "bytes": done["bytes"] + chunk.bytes,
        "after": chunk.last_record,
    }
    if room > 0 and chunk.rows == room:  # a full chunk: there may be more
        sync_rows.set_progress(db, site_id, sync_id, done)
        return None
    acted = sync_actions.apply(db, targets, family, parent_id, actions) if actions else []
    retention = parse_duration(definition.get("dataRetentionDuration", "PT6H")) or 6 * 3600.0
    export_rows.set_export(
        db, site_id, sync_id, done["rows"], list(definition["fields"]), now + retention
    )
    return [
        logs.entry("ELQ-00102", done["rows"]),
        logs.entry("ELQ-00131"),
        logs.entry("ELQ-00106", kb=done["bytes"] // 1024 + 1),
        *acted,
        logs.processed("success"),
    ]


@dataclass(frozen=True)
class Shape:
    """A ``fields`` map resolved against the catalog: the store's projection of it, and the
    data type of each statement."""

    projection: tables.Projection
    types: dict[markup.FieldStatement, str]


def projection(
    catalog: statements.StoreCatalog,
    entity: markup.EntityRef,
    fields: JSONObject,
    utc: bool,
) -> Shape:
    types: dict[markup.FieldStatement, str] = {}
    columns: list[tuple[str, markup.FieldStatement]] = []
    for key, text in fields.items():
        resolved = markup.resolve_field(text, entity, catalog)
        types[resolved.node] = resolved.data_type
        columns.append((key, resolved.node))
    return Shape(tables.projection(columns, lambda n: types.get(n, "string"), utc), types)


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
    info = export_rows.export_data(db, principal.site_id, sync_id)
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
    sync_id = export_rows.latest_export_sync(
        db, principal.site_id, definition_id, family, parent_id
    )
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
    return export_rows.export_rows(db, page.site_id, page.sync_id, first, end)


def joined_chunk(db: sqlite_utils.Database, page: DataPage, first: int) -> bytes:
    """Rows ``first+1 … first+CHUNK`` of the page as one comma-separated piece of JSON."""
    end = min(page.offset + page.count, first + CHUNK)
    return export_rows.joined_rows(db, page.site_id, page.sync_id, first, end)


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
    export_rows.drop_export_rows(db, principal.site_id, [sync_id])


def delete_definition_data(
    db: sqlite_utils.Database, principal: Principal, family: str, parent_id: int, definition_id: int
) -> None:
    """Drops the caller's synced data of the definition; other users' data stays theirs."""
    mine = [
        sync_id
        for sync_id in export_rows.export_syncs_of(
            db, principal.site_id, definition_id, family, parent_id
        )
        if (row := sync_rows.get(db, principal.site_id, sync_id)) is not None
        and row.user_id == principal.user_id
        and row.status not in ("pending", "active")
    ]
    export_rows.drop_export_rows(db, principal.site_id, mine)


def purge_expired(db: sqlite_utils.Database, now: float) -> None:
    export_rows.purge_expired(db, now)


def csv_line(data: bytes, columns: list[str]) -> list[str]:
    values = orjson.loads(data)
    return [str(values.get(name, "")) for name in columns]
