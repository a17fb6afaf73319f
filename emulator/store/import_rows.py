"""The checked rows of an import chunk, in a temporary table, and the set-based statements
that apply them to records: one join finds the matches, one ``UPDATE … FROM`` writes the
matched records, one ``INSERT … SELECT`` creates the rest.

Python checks each staged row once (types, e-mail syntax, duplicates) and leaves the
writing to SQLite, so applying a chunk costs about what a raw upsert of it costs.

A row of ``import_rows``:

- ``key``: the identifier value (lower-cased for e-mail addresses), NULL when empty;
- ``patch``: the JSON object of field values a new record gets;
- ``upd``: the values an update writes, when they differ from ``patch`` (``ifNewIsNotNull``);
- ``flags``: ``{column: value}`` for the columns besides ``fields`` (subscription flags,
  external id), null values meaning "set to NULL";
- ``contact_value`` / ``card_value``: what to look a linked contact or account up by;
- ``missing``: ``[invalid keys, fieldValues]`` when a required field is empty, which
  rejects the row if it would create a record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
import sqlite_utils

from emulator.store.records import scope

Row = tuple[int, str | None, str, str | None, str | None, str | None, str | None, str | None]

# SQLite functions take at most 127 arguments; json_remove gets this many paths per call.
PATHS_PER_CALL = 100
NAME = re.compile(r"^[A-Za-z0-9_]+$")
NEVER = '$."#"'  # a path no record field has: json_remove(x, NEVER) is x

# Columns besides ``fields`` an import may write, per table.
FLAG_COLUMNS = {
    "contacts": ("is_subscribed", "is_bounced", "email_format"),
    "accounts": (),
    "object_records": ("external_id",),
}


@dataclass(frozen=True)
class Plan:
    """What the statements need to know about the definition."""

    family: str
    parent_id: int
    site_id: int
    match: str  # '' | id | external_id | email | field:<name>
    update_all: bool
    fill_fields: tuple[str, ...]  # fields written only where empty (ifExistingIsNull)
    fill_flags: tuple[str, ...]  # the same, for flag columns
    contact_lookup: str  # '' | email | field:<name>, for contact_value
    card: tuple[str, str, bool] | None  # (contacts|accounts, email|field:<name>, case-sensitive)


def create(db: sqlite_utils.Database, plan: Plan) -> None:
    """The temporary tables, in memory (a chunk is a few megabytes)."""
    db.execute("PRAGMA temp_store = MEMORY")
    db.execute("DROP TABLE IF EXISTS temp.import_rows")
    db.execute("DROP TABLE IF EXISTS temp.import_matches")
    db.execute(
        "CREATE TEMP TABLE import_rows (ordinal INTEGER PRIMARY KEY, key TEXT, patch TEXT "
        "NOT NULL, upd TEXT, flags TEXT, contact_value TEXT, card_value TEXT, missing TEXT, "
        "contact_ref INTEGER, account_ref INTEGER)"
    )
    if plan.match.startswith("field:") or plan.match == "external_id":
        db.execute("CREATE INDEX temp.import_rows_key ON import_rows (key)")
    db.execute("CREATE TEMP TABLE import_matches (ordinal INTEGER NOT NULL, record_id INTEGER)")


def drop(db: sqlite_utils.Database) -> None:
    db.execute("DROP TABLE IF EXISTS temp.import_rows")
    db.execute("DROP TABLE IF EXISTS temp.import_matches")


def fill(db: sqlite_utils.Database, rows: Iterable[Row]) -> None:
    db.execute("DELETE FROM import_rows")
    db.execute("DELETE FROM import_matches")
    db.conn.executemany(
        "INSERT INTO import_rows (ordinal, key, patch, upd, flags, contact_value, card_value, "
        "missing) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


@dataclass
class Applied:
    created: int = 0
    updated: int = 0
    linked: int = 0
    existing: int = 0
    unmatched: int = 0


def apply(
    db: sqlite_utils.Database,
    plan: Plan,
    *,
    import_rule: str,
    id_identifier: bool,
    next_id: int,
    stamp: str,
) -> tuple[Applied, list[tuple[int, Any]]]:
    """Apply the rows in ``import_rows``; what happened, and the rows rejected because a new
    record would lack a required field (``(ordinal, missing JSON)``)."""
    applied = Applied()
    table, where, params = scope(plan.family, plan.parent_id)
    _resolve_links(db, plan)
    if plan.match:
        _find_matches(db, plan, table, where, params)
        matched = "ordinal IN (SELECT ordinal FROM import_matches)"
        if import_rule == "createOnly":
            applied.existing = _delete_rows(db, matched)
        else:
            applied.linked += _count_links(db, plan, table, where, params)
            applied.updated = _update(db, plan, table, where, params, stamp)
            _delete_rows(db, matched)
    if import_rule == "updateOnly":
        applied.unmatched = _delete_rows(db, "1 = 1")
    elif id_identifier:
        applied.unmatched = _delete_rows(db, "key IS NOT NULL")
    missing = [
        (int(ordinal), orjson.loads(text))
        for ordinal, text in db.execute(
            "SELECT ordinal, missing FROM import_rows WHERE missing IS NOT NULL ORDER BY ordinal"
        )
    ]
    if missing:
        _delete_rows(db, "missing IS NOT NULL")
    applied.linked += int(
        db.execute(
            "SELECT count(*) FROM import_rows WHERE "
            + ("contact_ref IS NOT NULL OR account_ref IS NOT NULL")
        ).fetchone()[0]
    )
    applied.created = _insert(db, plan, table, next_id, stamp)
    return applied, missing


def _delete_rows(db: sqlite_utils.Database, condition: str) -> int:
    return db.execute(f"DELETE FROM import_rows WHERE {condition}").rowcount


def _find_matches(
    db: sqlite_utils.Database, plan: Plan, table: str, where: str, params: list[Any]
) -> None:
    """Fill ``import_matches`` with ``(ordinal, record id)``: the lowest matching id, or every
    match with ``isUpdatingMultipleMatchedRecords``. Indexed identifiers probe the record
    table once per row; the others scan it once and probe the rows' key index."""
    scoped = f"r.site_id = ? AND {_qualified(where, 'r')}"
    extra: list[Any] = []
    if plan.match == "email":
        source = "import_rows i CROSS JOIN contacts r INDEXED BY contacts_email"
        condition = "r.email_key = i.key"
    elif plan.match == "id":
        source = f"import_rows i CROSS JOIN {table} r"
        condition = "r.id = CAST(i.key AS INTEGER) AND CAST(r.id AS TEXT) = i.key"
    elif plan.match == "external_id":
        source = f"{table} r CROSS JOIN import_rows i"
        condition = "i.key = r.external_id"
    else:
        source = f"{table} r CROSS JOIN import_rows i"
        condition, extra = "i.key = CAST(json_extract(r.fields, ?) AS TEXT)", [_path(plan.match)]
    picked = "r.id" if plan.update_all else "min(r.id)"
    grouped = "" if plan.update_all else " GROUP BY i.ordinal"
    db.execute(
        f"INSERT INTO import_matches (ordinal, record_id) SELECT i.ordinal, {picked} "
        f"FROM {source} WHERE i.key IS NOT NULL AND {scoped} AND {condition}{grouped}",
        [plan.site_id, *params, *extra],
    )


def _resolve_links(db: sqlite_utils.Database, plan: Plan) -> None:
    """``contact_ref`` / ``account_ref``: the contact or account each row links to."""
    refs: list[str] = []
    args: list[Any] = []
    contact_parts: list[str] = []
    if plan.contact_lookup:
        sql, extra = _lookup("contacts", plan.contact_lookup, "contact_value", False, plan)
        contact_parts.append(sql)
        args += extra
    account_part, account_args = "", list[Any]()
    if plan.card is not None:
        family, lookup, case_sensitive = plan.card
        sql, extra = _lookup(family, lookup, "card_value", case_sensitive, plan)

        if family == "contacts":
            contact_parts.append(sql)
            args += extra
        else:
            account_part, account_args = sql, extra
    if contact_parts:
        joined = ", ".join(contact_parts)
        refs.append(
            f"contact_ref = coalesce({joined})"
            if len(contact_parts) > 1
            else f"contact_ref = {joined}"
        )
    if account_part:
        refs.append(f"account_ref = {account_part}")
        args += account_args
    if refs:
        db.execute(f"UPDATE import_rows SET {', '.join(refs)}", args)


def _lookup(
    family: str, lookup: str, column: str, case_sensitive: bool, plan: Plan
) -> tuple[str, list[Any]]:
    if lookup == "email" and not case_sensitive:
        return (
            f"(SELECT min(id) FROM contacts INDEXED BY contacts_email WHERE site_id = ? "
            f"AND email_key = lower({column}))",
            [plan.site_id],
        )
    path = _path("field:C_EmailAddress" if lookup == "email" else lookup)
    value = "json_extract(fields, ?)"
    compare = f"{value} = {column}" if case_sensitive else f"lower({value}) = lower({column})"
    return (
        f"(SELECT min(id) FROM {family} WHERE site_id = ? AND {column} IS NOT NULL AND {compare})",
        [plan.site_id, path],
    )


def _count_links(
    db: sqlite_utils.Database, plan: Plan, table: str, where: str, params: list[Any]
) -> int:
    """Matched records whose linked contact or account the update changes."""
    changes = []
    if table == "object_records":
        changes = [
            "(i.contact_ref IS NOT NULL AND i.contact_ref IS NOT r.contact_id)",
            "(i.account_ref IS NOT NULL AND i.account_ref IS NOT r.account_id)",
        ]
    if not changes:
        return 0
    return int(
        db.execute(
            f"SELECT count(*) FROM import_matches m JOIN import_rows i USING (ordinal) "
            f"CROSS JOIN {table} r WHERE r.site_id = ? AND r.id = m.record_id AND "
            f"{_qualified(where, 'r')} AND ({' OR '.join(changes)})",
            [plan.site_id, *params],
        ).fetchone()[0]
    )


def _update(
    db: sqlite_utils.Database,
    plan: Plan,
    table: str,
    where: str,
    params: list[Any],
    stamp: str,
) -> int:
    """One ``UPDATE … FROM`` over the matches; fields written only where empty are
    removed from each row's values where the record already has a value."""
    values = _without_filled(table, "coalesce(i.upd, i.patch)", plan.fill_fields)
    assignments = [f"fields = json_patch({table}.fields, {values})", "updated_at = ?"]
    for column in FLAG_COLUMNS[table]:
        given = f"json_type(i.flags, '$.{column}') IS NOT NULL"
        if column in plan.fill_flags:
            given += f" AND coalesce({table}.{column}, '') = ''"
        assignments.append(
            f"{column} = CASE WHEN {given} THEN json_extract(i.flags, '$.{column}') "
            f"ELSE {table}.{column} END"
        )
    if table == "object_records":
        assignments += [
            "contact_id = coalesce(i.contact_ref, object_records.contact_id)",
            "account_id = coalesce(i.account_ref, object_records.account_id)",
        ]
    return db.execute(
        f"UPDATE {table} SET {', '.join(assignments)} FROM import_matches m "
        f"JOIN import_rows i ON i.ordinal = m.ordinal "
        f"WHERE {table}.site_id = ? AND {_qualified(where, table)} AND {table}.id = m.record_id",
        [stamp, plan.site_id, *params],
    ).rowcount


def _without_filled(table: str, values: str, fields: Sequence[str]) -> str:
    for start in range(0, len(fields), PATHS_PER_CALL):
        paths = ", ".join(
            f"CASE WHEN coalesce(json_extract({table}.fields, '{_path('field:' + name)}'), '') "
            f"<> '' "
            f"THEN '{_path('field:' + name)}' ELSE '{NEVER}' END"
            for name in fields[start : start + PATHS_PER_CALL]
        )
        values = f"json_remove({values}, {paths})"
    return values


def _insert(db: sqlite_utils.Database, plan: Plan, table: str, next_id: int, stamp: str) -> int:
    """New records for the rows left, ids in staged order."""
    numbered = "? + row_number() OVER (ORDER BY ordinal) - 1"
    if table == "contacts":
        columns = "site_id, id, created_at, updated_at, is_subscribed, is_bounced, email_format"
        values = (
            f"?, {numbered}, ?, ?, "
            "coalesce(json_extract(flags, '$.is_subscribed'), 1), "
            "coalesce(json_extract(flags, '$.is_bounced'), 0), "
            "coalesce(json_extract(flags, '$.email_format'), '')"
        )
        args: list[Any] = [plan.site_id, next_id, stamp, stamp]
    elif table == "accounts":
        columns, values = "site_id, id, created_at, updated_at", f"?, {numbered}, ?, ?"
        args = [plan.site_id, next_id, stamp, stamp]
    else:
        columns = (
            "site_id, family, parent_id, id, created_at, updated_at, external_id, contact_id, "
            "account_id"
        )
        values = (
            f"?, ?, ?, {numbered}, ?, ?, json_extract(flags, '$.external_id'), contact_ref, "
            "account_ref"
        )
        args = [plan.site_id, plan.family, plan.parent_id, next_id, stamp, stamp]
    return db.execute(
        f"INSERT INTO {table} ({columns}, fields) SELECT {values}, patch FROM import_rows "
        "WHERE true ORDER BY ordinal",
        args,
    ).rowcount


def _qualified(where: str, alias: str) -> str:
    """``scope``'s condition on the columns of ``alias``."""
    return where.replace("family", f"{alias}.family").replace("parent_id", f"{alias}.parent_id")


def _path(match: str) -> str:
    """The JSON path of ``field:<name>``; names are catalog internal names or ids."""
    name = match.removeprefix("field:")
    if not NAME.match(name):
        raise ValueError(f"not a field name: {name!r}")
    return f'$."{name}"'
