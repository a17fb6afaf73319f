"""The SQL of sync actions: the records a sync touched, gathered in the temporary table
``action_targets``, and the set-based statements each action runs over them."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from emulator.store import staging
from emulator.store.appcloud import Step
from emulator.store.filter_sql import Selection
from emulator.store.import_rows import Plan
from emulator.store.tables import CONTACTS, Match, RecordTable

TARGETS = "temp.action_targets"


def prepare(db: sqlite_utils.Database) -> None:
    db.execute("DROP TABLE IF EXISTS temp.action_targets")
    db.execute("CREATE TEMP TABLE action_targets (record_id INTEGER PRIMARY KEY)")


def drop(db: sqlite_utils.Database) -> None:
    db.execute("DROP TABLE IF EXISTS temp.action_targets")


def _target(db: sqlite_utils.Database, select: str, params: list[Any]) -> None:
    """Add the record ids ``select`` returns to the targets."""
    db.execute(f"INSERT OR IGNORE INTO {TARGETS} (record_id) {select}", params)


def target_selection(db: sqlite_utils.Database, selection: Selection) -> None:
    """The records an export selects."""
    _target(db, *selection.ids())


def target_import_chunk(
    db: sqlite_utils.Database, plan: Plan, first_new: int, created: int
) -> None:
    """An import chunk's matched records (``import_matches``) and the ones it created."""
    _target(db, "SELECT record_id FROM import_matches", [])
    scoped, params = plan.table.scope("r", plan.site_id, plan.parent_id)
    _target(
        db,
        f"SELECT r.id FROM {plan.table.name} r WHERE {scoped} AND r.id >= ? AND r.id < ?",
        [*params, first_new, first_new + created],
    )


def membership(
    db: sqlite_utils.Database, site_id: int, family: str, container_id: int, *, add: bool
) -> int:
    """Add the targets to a list or group, or remove them; how many changed."""
    if add:
        return db.execute(
            "INSERT OR IGNORE INTO memberships (site_id, family, container_id, member_id) "
            f"SELECT ?, ?, ?, record_id FROM {TARGETS}",
            [site_id, family, container_id],
        ).rowcount
    return db.execute(
        "DELETE FROM memberships WHERE site_id = ? AND family = ? AND container_id = ? "
        f"AND member_id IN (SELECT record_id FROM {TARGETS})",
        [site_id, family, container_id],
    ).rowcount


def contact_flag(db: sqlite_utils.Database, site_id: int, column: str, value: int) -> int:
    """Set ``is_subscribed`` or ``is_bounced`` on the target contacts."""
    if column not in ("is_subscribed", "is_bounced"):
        raise ValueError(f"not a contact flag: {column}")
    return db.execute(
        f"UPDATE {CONTACTS.name} SET {column} = ? WHERE site_id = ? "
        f"AND id IN (SELECT record_id FROM {TARGETS})",
        [value, site_id],
    ).rowcount


def member_status(
    db: sqlite_utils.Database, site_id: int, step: Step, status: str, *, every: bool
) -> int:
    """Set the status of the step's members that are targets, or of all of them."""
    members, params = step.members("execution_members")
    chosen = "" if every else f" AND record_id IN (SELECT record_id FROM {TARGETS})"
    return db.execute(
        f"UPDATE execution_members SET status = ? WHERE site_id = ? AND {members}{chosen}",
        [status, site_id, *params],
    ).rowcount


def target_staged(
    db: sqlite_utils.Database,
    site_id: int,
    file_ids: list[int],
    key: str,
    table: RecordTable,
    parent_id: int,
    match: Match,
) -> int:
    """Add the records that the staged rows of ``file_ids`` name by their value of ``key``
    to the targets; how many rows named none. The values go to an indexed temporary table
    first, so the lookup is one join whatever the identifier (``RecordTable.join``)."""
    db.execute("DROP TABLE IF EXISTS temp.action_keys")
    db.execute("CREATE TEMP TABLE action_keys (value TEXT, matched INTEGER NOT NULL DEFAULT 0)")
    function, argument = staging.value_of(key)
    for file_id in file_ids:
        db.execute(
            f"INSERT INTO action_keys (value) SELECT {function}(data, ?) FROM staged_rows "
            "WHERE file_id = ?",
            [argument, file_id],
        )
    db.execute("CREATE INDEX temp.action_keys_value ON action_keys (value)")
    join, params = table.join(match, "action_keys k", "k.value", site_id, parent_id)
    _target(db, f"SELECT r.id FROM {join}", params)
    db.execute(
        f"UPDATE action_keys SET matched = 1 WHERE value IN (SELECT k.value FROM {join})",
        params,
    )
    unmatched = db.execute("SELECT count(*) FROM action_keys WHERE matched = 0").fetchone()[0]
    db.execute("DROP TABLE temp.action_keys")
    return int(unmatched)
