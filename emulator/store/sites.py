"""Copying the fixture site into a new site, and forgetting a site or everything.

A site's rows are every row with its ``site_id``, in whatever table holds one (the list is
read from the schema, so a table added later is forgotten with its site too), staged rows
(through their files), and its users and their tokens.
"""

from __future__ import annotations

import sqlite_utils

from emulator.store.migrations import SEEDED_TABLES

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
    db.execute("DELETE FROM staged_rows")
    for table in (*_site_tables(db), "tokens", "users", "sites", "meta"):
        db.execute(f"DELETE FROM {table}")


def clear_site(db: sqlite_utils.Database, site_id: int) -> None:
    """One site's data, users, tokens and the site itself: at the next sign-in it is
    created again from the template, as a new site is."""
    db.execute(
        "DELETE FROM staged_rows WHERE file_id IN (SELECT id FROM staged_files WHERE site_id = ?)",
        [site_id],
    )
    db.execute(
        "DELETE FROM tokens WHERE user_id IN (SELECT id FROM users WHERE site_id = ?)", [site_id]
    )
    for table in _site_tables(db):
        db.execute(f"DELETE FROM {table} WHERE site_id = ?", [site_id])
    db.execute("DELETE FROM sites WHERE id = ?", [site_id])


# Rows that point at a site's records: they go when the records are replaced.
RECORD_LINKS = ("account_users", "opportunity_contacts")


def clear_records(db: sqlite_utils.Database, site_id: int) -> None:
    """A site's catalogs and records (what the fixtures give a site) and the links between
    its records; its definitions, staged data, syncs and users stay."""
    for table in (*SEEDED_TABLES, *RECORD_LINKS):
        db.execute(f"DELETE FROM {table} WHERE site_id = ?", [site_id])


def count_records(db: sqlite_utils.Database, site_id: int) -> dict[str, int]:
    """Rows of each seeded table in a site."""
    return {
        table: int(
            db.execute(f"SELECT count(*) FROM {table} WHERE site_id = ?", [site_id]).fetchone()[0]
        )
        for table in SEEDED_TABLES
    }


def _site_tables(db: sqlite_utils.Database) -> list[str]:
    """Every table of the main schema with a ``site_id`` column (users last, after the
    rows that may refer to them)."""
    names = [
        row[0]
        for row in db.execute(
            "SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND EXISTS "
            "(SELECT 1 FROM pragma_table_info(m.name) c WHERE c.name = 'site_id') ORDER BY m.name"
        ).fetchall()
    ]
    return sorted(names, key=lambda name: name == "users")


def get_meta(db: sqlite_utils.Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_meta(db: sqlite_utils.Database, key: str, value: str) -> None:
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])
