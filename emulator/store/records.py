"""Record rows (contacts, accounts, custom object and event records, activities, campaign
responses), inserted in batches from iterators so memory stays bounded."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

import orjson
import sqlite_utils

from emulator.core.types import JSONObject
from emulator.store import tables
from emulator.store.migrations import EMAIL_KEY

BATCH = 1000


def insert_rows(
    db: sqlite_utils.Database, table: str, site_id: int, rows: Iterable[JSONObject]
) -> int:
    """Insert dicts keyed by column name (``fields`` as a dict); returns the count."""
    columns = tables.STORED[table]
    names = ["site_id", *columns]
    values = [f"?{n}" for n in range(1, len(names) + 1)]
    if table == tables.CONTACTS.name:  # its e-mail key, as the schema keeps it
        names.append("email_key")
        values.append(EMAIL_KEY.format(f"?{names.index('fields') + 1}"))
    sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(values)})"
    count = 0
    for batch in _batches((_values(site_id, columns, row) for row in rows), BATCH):
        db.conn.executemany(sql, batch)
        count += len(batch)
    return count


# What a row that leaves a column out gets (the schema's defaults, applied before binding).
_DEFAULTS: dict[str, Any] = {"is_subscribed": True, "is_bounced": False, "email_format": ""}


def _values(site_id: int, columns: tuple[str, ...], row: JSONObject) -> tuple[Any, ...]:
    return (
        site_id,
        *(
            orjson.dumps(row.get(c) or {}).decode()
            if c == "fields"
            else row.get(c, _DEFAULTS.get(c))
            for c in columns
        ),
    )


def _batches(rows: Iterator[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    while batch := list(islice(rows, size)):
        yield batch


def count(db: sqlite_utils.Database, table: str, site_id: int) -> int:
    """Rows of an SQL table in a site."""
    if table not in tables.STORED:
        raise KeyError(table)
    return int(
        db.execute(f"SELECT count(*) FROM {table} WHERE site_id = ?", [site_id]).fetchone()[0]
    )


def next_record_id(
    db: sqlite_utils.Database, table: tables.RecordTable, site_id: int, parent_id: int
) -> int:
    where, params = table.scope("r", site_id, parent_id)
    row = db.execute(
        f"SELECT coalesce(max(r.id), 0) + 1 FROM {table.name} r WHERE {where}", params
    ).fetchone()
    return int(row[0])


def contact_state(
    db: sqlite_utils.Database, site_id: int, contact_id: int
) -> dict[str, Any] | None:
    """A contact's subscription flags and memberships, for the control plane."""
    row = db.execute(
        f"SELECT is_subscribed, is_bounced FROM {tables.CONTACTS.name} "
        "WHERE site_id = ? AND id = ?",
        [site_id, contact_id],
    ).fetchone()
    if row is None:
        return None
    kept: dict[str, list[int]] = {"contactLists": [], "emailGroups": []}
    for family, container in db.execute(
        "SELECT family, container_id FROM memberships WHERE site_id = ? AND member_id = ? "
        "AND family IN ('contactLists', 'emailGroups') ORDER BY container_id",
        [site_id, contact_id],
    ):
        kept[family].append(int(container))
    return {"isSubscribed": bool(row[0]), "isBounced": bool(row[1]), **kept}


def opportunity_state(
    db: sqlite_utils.Database, site_id: int, external_id: str
) -> dict[str, Any] | None:
    """An opportunity and the contacts linked to it, for the control plane (the Bulk API
    exports no opportunities)."""
    table = tables.OPPORTUNITIES.name
    row = db.execute(
        f"SELECT id, external_id, created_at, updated_at, fields FROM {table} "
        "WHERE site_id = ? AND external_id = ? ORDER BY id LIMIT 1",
        [site_id, external_id],
    ).fetchone()
    if row is None:
        return None
    contacts = [
        int(r[0])
        for r in db.execute(
            "SELECT contact_id FROM opportunity_contacts WHERE site_id = ? "
            "AND opportunity_id = ? ORDER BY contact_id",
            [site_id, row[0]],
        )
    ]
    return {
        "id": row[1],
        "createdAt": row[2],
        "updatedAt": row[3],
        "fields": orjson.loads(row[4]),
        "contacts": contacts,
    }


def account_state(
    db: sqlite_utils.Database, site_id: int, account_id: int
) -> dict[str, Any] | None:
    """An account's fields and the Eloqua users an import with ``linkUsers`` linked to it,
    for the control plane."""
    row = db.execute(
        f"SELECT fields FROM {tables.ACCOUNTS.name} WHERE site_id = ? AND id = ?",
        [site_id, account_id],
    ).fetchone()
    if row is None:
        return None
    users = [
        {"id": r[0], "name": r[1], "loginName": r[2], "crmUserId": r[3]}
        for r in db.execute(
            "SELECT u.id, u.name, u.login_name, u.crm_user_id FROM account_users a "
            f"JOIN {tables.ELOQUA_USERS.name} u ON u.site_id = a.site_id AND u.id = a.user_id "
            "WHERE a.site_id = ? AND a.account_id = ? ORDER BY u.id",
            [site_id, account_id],
        )
    ]
    return {"fields": orjson.loads(row[0]), "users": users}
