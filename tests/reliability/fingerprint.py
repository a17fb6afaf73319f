"""A fingerprint of everything the store holds, to prove a request changed nothing.

Every table's rows, in a fixed order, hashed together. The reliability tests take one
before and after a request that must be refused, and compare.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
import sqlite_utils

from emulator.store import Store


def tables(db: sqlite_utils.Database) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    return [row[0] for row in rows]


def digest(db: sqlite_utils.Database) -> dict[str, str]:
    """Each table's name with a hash of its rows, ordered by every column."""
    result: dict[str, str] = {}
    for name in tables(db):
        columns = [row[1] for row in db.execute(f'PRAGMA table_info("{name}")').fetchall()]
        order = ", ".join(f'"{column}"' for column in columns)
        hasher = hashlib.sha256()
        for row in db.execute(f'SELECT * FROM "{name}" ORDER BY {order}'):
            hasher.update(orjson.dumps(list(row), default=_bytes))
        result[name] = hasher.hexdigest()
    return result


def of_store(store: Store) -> dict[str, str]:
    return store.read_sync(digest)


def of_app(app: Any) -> dict[str, str]:
    """The fingerprint of a running app's store (``create_app`` inside its lifespan)."""
    store = app.state.emulator.store
    assert store is not None, "the app is not started"
    return of_store(store)


# Tables without a ``site_id`` whose rows belong to a site through another table.
SITE_LINKS = {
    "staged_rows": ("file_id", "staged_files"),
    "tokens": ("user_id", "users"),
    "sites": ("id", None),
}


def digest_by_site(db: sqlite_utils.Database) -> dict[str, str]:
    """Like :func:`digest`, with each site's rows hashed apart: keys are ``table@site`` for
    the rows of a site (its ``site_id``, or through :data:`SITE_LINKS`) and ``table`` for
    tables that belong to no site, so ``changed`` names the sites a request touched."""
    result: dict[str, str] = {}
    for name in tables(db):
        columns = [row[1] for row in db.execute(f'PRAGMA table_info("{name}")').fetchall()]
        order = ", ".join(f'"{column}"' for column in columns)
        if "site_id" in columns:
            query = f'SELECT site_id, * FROM "{name}" ORDER BY site_id, {order}'
        elif name in SITE_LINKS:
            key, parent = SITE_LINKS[name]
            site = f'(SELECT site_id FROM "{parent}" p WHERE p.id = t."{key}")' if parent else key
            query = f'SELECT {site} AS owner, * FROM "{name}" t ORDER BY owner, {order}'
        else:
            query = f'SELECT NULL, * FROM "{name}" ORDER BY {order}'
        hashers: dict[str, Any] = {}
        for row in db.execute(query):
            label = name if row[0] is None else f"{name}@{row[0]}"
            hasher = hashers.setdefault(label, hashlib.sha256())
            hasher.update(orjson.dumps(list(row[1:]), default=_bytes))
        result.update((label, hasher.hexdigest()) for label, hasher in hashers.items())
    return result


def of_app_by_site(app: Any) -> dict[str, str]:
    """:func:`digest_by_site` of a running app's store."""
    store = app.state.emulator.store
    assert store is not None, "the app is not started"
    return store.read_sync(digest_by_site)


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The tables whose rows differ."""
    return sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )


def _bytes(value: object) -> str:
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(type(value).__name__)
