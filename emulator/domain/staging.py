"""Staging data for import and sync-action definitions (reference §10).

Each POST is one staged file. The rows are checked (flat objects only) and written in
batches inside the request's transaction, so a rejected upload stores nothing and an
accepted one survives a restart. Values are stored as the text an import reads
(``emulator.core.values.text``: null is empty, booleans ``true``/``false``), so a sync reads
them with a plain JSON lookup.
"""

from __future__ import annotations

import csv
import io
from itertools import chain
from typing import Any

import orjson
import sqlite_utils

from emulator.core import constraints as c
from emulator.core import values
from emulator.core.durations import parse_duration
from emulator.core.errors import Conflict, Failure, StorageExceeded, ValidationFailed
from emulator.core.types import JSONObject, Principal
from emulator.domain import definitions, syncs
from emulator.store import export_rows
from emulator.store import staging as rows
from emulator.store import syncs as sync_rows

MAX_FILES = 500  # reference §10: the 501st upload before a sync is a 400
SCALARS = (str, int, float, bool, type(None))
PURGE_CHUNK = 25_000  # staged rows deleted per transaction (the worker uses --sync-chunk)


def parse_json_rows(text: str) -> list[JSONObject]:
    """The rows of a JSON upload (an array of objects, or one bare object as one row), each
    value as text. The usual upload (objects of strings)
    is recognised by two passes that run in C, so a million rows cost no Python per row;
    any other finds its first offending row, or its values made text, row by row."""
    try:
        data: Any = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise ValidationFailed([Failure("body", c.PARSING_ERROR, str(exc))]) from None
    if isinstance(data, dict):
        data = [data]  # a pod stages a bare object as one row (reference §18)
    if not isinstance(data, list):
        raise ValidationFailed([Failure("body", c.STAGED_ARRAY.format(type(data).__name__), None)])
    plain = set(map(type, data)) <= {dict}
    if plain and set(map(type, chain.from_iterable(map(dict.values, data)))) <= {str}:
        return data
    for index, row in enumerate(data, 1):
        if not isinstance(row, dict):
            raise ValidationFailed([Failure("body", c.STAGED_OBJECT.format(index=index), row)])
        for key, value in row.items():
            if value.__class__ is str:
                continue
            if not isinstance(value, SCALARS):
                raise ValidationFailed(
                    [Failure("body", c.STAGED_FLAT.format(index=index, key=key), value)]
                )
            row[key] = values.text(value)
    return data


def parse_csv_rows(text: str) -> list[JSONObject]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise ValidationFailed([Failure("body", c.STAGED_CSV_HEADER, None, has_value=False)])
        seen: set[str] = set()
        for name in header:
            if name in seen:
                raise ValidationFailed(
                    [Failure("body", c.STAGED_CSV_DUPLICATE.format(name=name), name)]
                )
            seen.add(name)
        found: list[JSONObject] = []
        for number, record in enumerate(reader, 2):
            if not record:
                continue
            if len(record) != len(header):
                raise ValidationFailed(
                    [
                        Failure(
                            "body",
                            c.STAGED_CSV_COLUMNS.format(line=number, expected=len(header)),
                            len(record),
                        )
                    ]
                )
            found.append(dict(zip(header, record, strict=True)))
    except csv.Error as exc:
        raise ValidationFailed([Failure("body", c.PARSING_ERROR, str(exc))]) from None
    return found


def stage(
    db: sqlite_utils.Database,
    principal: Principal,
    at: definitions.Where,
    id_: int,
    staged: list[JSONObject],
    size: int,
    now: float,
    quota_kb: int = 0,
) -> int:
    """Store one file; returns its id. With a ``quota_kb``, an upload that would take the
    site's staging area past it is refused with nothing stored."""
    item = orjson.loads(definitions.get(db, principal, at, id_, now))
    if rows.count_open_files(db, principal.site_id, at.kind, id_, now) >= MAX_FILES:
        raise ValidationFailed(
            [Failure("body", c.STAGED_FILES.format(limit=MAX_FILES), None, has_value=False)]
        )
    if quota_kb and _kb(rows.bytes_staged(db, principal.site_id) + size) > quota_kb:
        raise StorageExceeded([Failure("body", c.STORAGE_EXCEEDED, has_value=False)])
    retention = parse_duration(item.get("dataRetentionDuration", "P7D")) or 7 * 86400.0
    file_id = rows.insert_file(db, principal.site_id, at.kind, id_, now, now + retention, size)
    count = rows.insert_rows(db, file_id, map(bytes.decode, map(orjson.dumps, staged)))
    keys = list(dict.fromkeys(chain.from_iterable(staged)))  # in order of first use
    rows.finish_file(db, file_id, count, orjson.dumps(keys).decode())
    return file_id


def stage_and_maybe_sync(
    db: sqlite_utils.Database,
    principal: Principal,
    at: definitions.Where,
    id_: int,
    staged: list[JSONObject],
    size: int,
    now: float,
    quota_kb: int = 0,
) -> str | None:
    """Stage, then create the sync when the definition has ``isSyncTriggeredOnImport``."""
    stage(db, principal, at, id_, staged, size, now, quota_kb)
    item = orjson.loads(definitions.get(db, principal, at, id_, now))
    if not item.get("isSyncTriggeredOnImport"):
        return None
    return syncs.create(db, principal, {"syncedInstanceUri": at.uri(id_)}, now, triggered=True)


def clear(
    db: sqlite_utils.Database, principal: Principal, at: definitions.Where, id_: int, now: float
) -> None:
    """DELETE …/data: 409 while a sync of the definition is pending or running (24B)."""
    definitions.get(db, principal, at, id_, now)
    if sync_rows.busy(db, principal.site_id, at.kind, id_):
        raise Conflict([Failure("uri", c.CONFLICT, at.uri(id_) + "/data")])
    rows.delete_files(db, rows.open_file_ids(db, principal.site_id, at.kind, id_))


def purge_expired(db: sqlite_utils.Database, now: float) -> None:
    rows.delete_files(db, rows.expired_file_ids(db, now))


def purge_consumed(db: sqlite_utils.Database, limit: int = PURGE_CHUNK) -> int:
    """Up to ``limit`` staged rows of syncs that have ended, deleted; how many. The worker
    calls it between chunks of syncs until it returns 0, so a client sees a sync end
    without waiting for it and no write waits behind a long purge; no request reads
    these rows."""
    return rows.delete_rows(db, rows.consumed_file_ids(db), limit)


def space(
    db: sqlite_utils.Database, principal: Principal, kind: str, quota_kb: int
) -> dict[str, int]:
    """``GET /imports/data`` and ``/exports/data``: the site's staging space, in KB
    (``kbAllowed`` 0 means no limit, as a pod reports it)."""
    used = (
        export_rows.bytes_exported(db, principal.site_id)
        if kind == "exports"
        else rows.bytes_staged(db, principal.site_id)
    )
    return {"kbAllowed": quota_kb, "kbUsed": _kb(used)}


def _kb(size: int) -> int:
    return -(-size // 1024)
