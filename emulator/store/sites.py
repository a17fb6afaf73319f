"""Copying the fixture site into a new site, and wiping the store."""

from __future__ import annotations

import sqlite_utils

from emulator.store.migrations import SEEDED_TABLES, SITE_TABLES

TEMPLATE_SITE = 0


def copy_template(db: sqlite_utils.Database, site_id: int) -> None:
    """Every seeded row of site 0 becomes the new site's own row, in SQL, in one pass."""
    for table in SEEDED_TABLES:
        columns = [c.name for c in db[table].columns if c.name != "site_id"]
        names = ", ".join(columns)
        db.execute(
            f"INSERT INTO {table} (site_id, {names}) SELECT ?, {names} FROM {table} "
            "WHERE site_id = ?",
            [site_id, TEMPLATE_SITE],
        )


def clear_template(db: sqlite_utils.Database) -> None:
    for table in SEEDED_TABLES:
        db.execute(f"DELETE FROM {table} WHERE site_id = ?", [TEMPLATE_SITE])


def clear_everything(db: sqlite_utils.Database) -> None:
    """Every site's data, users and tokens; the schema stays."""
    for table in (*SEEDED_TABLES, *SITE_TABLES, "tokens", "users", "sites", "meta"):
        db.execute(f"DELETE FROM {table}")


def get_meta(db: sqlite_utils.Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_meta(db: sqlite_utils.Database, key: str, value: str) -> None:
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])
