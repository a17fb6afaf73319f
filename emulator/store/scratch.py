"""The writer connection's temporary tables, in memory: a chunk of import rows, their
identifiers by value (for matches that scan the records), their matches, the identifiers
each running import has seen, the values a sync action looks up.

The ``Store`` makes them once per writer connection, and each use empties what it filled
(a rolled-back chunk takes its rows with it). Creating or dropping a table per sync would
change the schema, after which SQLite prepares every cached statement again: a one-row
sync paid more for that than for its work.
"""

from __future__ import annotations

import sqlite_utils

TABLES = (
    "CREATE TEMP TABLE IF NOT EXISTS import_rows (ordinal INTEGER PRIMARY KEY, file_id INTEGER "
    "NOT NULL, file_ordinal INTEGER NOT NULL, problem INTEGER NOT NULL, key TEXT, patch TEXT "
    "NOT NULL, upd TEXT, flags TEXT, contact_value TEXT, card_value TEXT, missing INTEGER NOT "
    "NULL, contact_ref INTEGER, account_ref INTEGER, user_value TEXT, email TEXT)",
    # the few rows that fail a check or lack a required value, found without a scan
    "CREATE INDEX IF NOT EXISTS temp.import_rows_problem ON import_rows (ordinal) "
    "WHERE problem = 1",
    "CREATE INDEX IF NOT EXISTS temp.import_rows_missing ON import_rows (ordinal) "
    "WHERE missing = 1",
    "CREATE TEMP TABLE IF NOT EXISTS import_keys (key TEXT NOT NULL, ordinal INTEGER NOT NULL, "
    "PRIMARY KEY (key, ordinal)) WITHOUT ROWID",
    "CREATE TEMP TABLE IF NOT EXISTS import_matches (ordinal INTEGER NOT NULL, record_id "
    "INTEGER NOT NULL, row INTEGER NOT NULL, PRIMARY KEY (ordinal, record_id)) WITHOUT ROWID",
    "CREATE TEMP TABLE IF NOT EXISTS import_seen (site_id INTEGER NOT NULL, sync_id INTEGER NOT "
    "NULL, key TEXT NOT NULL, ordinal INTEGER NOT NULL, PRIMARY KEY (site_id, sync_id, key)) "
    "WITHOUT ROWID",
    "CREATE TEMP TABLE IF NOT EXISTS import_seen_syncs (site_id INTEGER NOT NULL, sync_id "
    "INTEGER NOT NULL, PRIMARY KEY (site_id, sync_id)) WITHOUT ROWID",
    "CREATE TEMP TABLE IF NOT EXISTS action_keys (value TEXT, matched INTEGER NOT NULL DEFAULT 0)",
    "CREATE INDEX IF NOT EXISTS temp.action_keys_value ON action_keys (value)",
)


def create(db: sqlite_utils.Database) -> None:
    for statement in TABLES:
        db.execute(statement)


def forget(db: sqlite_utils.Database, site_id: int | None = None) -> None:
    """Forget what the temporary tables hold for a site's syncs (every site's when
    ``site_id`` is None), after a reset or a restore replaced the rows they describe. A sync
    still under way then reads its identifiers again from the rows it applied, as after a
    restart. The other tables are empty between writes; they are emptied all the same."""
    if site_id is None:
        for name in ("import_seen", "import_seen_syncs", *_PER_WRITE):
            db.execute(f"DELETE FROM temp.{name}")
        return
    for name in ("import_seen", "import_seen_syncs"):
        db.execute(f"DELETE FROM temp.{name} WHERE site_id = ?", [site_id])


_PER_WRITE = ("import_rows", "import_keys", "import_matches", "action_keys")
