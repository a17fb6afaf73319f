"""The SQL of sync actions: the records a sync touched, gathered in ``sync_targets`` as its
chunks commit, and the set-based statements each action runs over them when the sync
ends."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlite_utils

from emulator.store import staging
from emulator.store.appcloud import Step
from emulator.store.import_rows import Plan
from emulator.store.tables import CONTACTS, Match, RecordTable


@dataclass(frozen=True)
class Targets:
    """The records one sync's actions act on."""

    site_id: int
    sync_id: int

    def ids(self) -> tuple[str, list[Any]]:
        return (
            "SELECT record_id FROM sync_targets WHERE site_id = ? AND sync_id = ?",
            [self.site_id, self.sync_id],
        )

    def add(self, db: sqlite_utils.Database, select: str, params: list[Any]) -> None:
        """Add the record ids ``select`` returns."""
        db.execute(
            f"INSERT OR IGNORE INTO sync_targets (site_id, sync_id, record_id) "
            f"SELECT ?, ?, id FROM ({select})",
            [self.site_id, self.sync_id, *params],
        )

    def forget(self, db: sqlite_utils.Database) -> None:
        db.execute(
            "DELETE FROM sync_targets WHERE site_id = ? AND sync_id = ?",
            [self.site_id, self.sync_id],
        )


def target_exported(db: sqlite_utils.Database, targets: Targets, after: int) -> None:
    """The records of the sync's export rows past ``after`` (the chunk just written)."""
    targets.add(
        db,
        "SELECT record_id AS id FROM export_rows WHERE site_id = ? AND sync_id = ? AND ordinal > ?",
        [targets.site_id, targets.sync_id, after],
    )


def target_import_chunk(
    db: sqlite_utils.Database, targets: Targets, plan: Plan, first_new: int, created: int
) -> None:
    """An import chunk's matched records (``import_matches``) and the ones it created."""
    targets.add(db, "SELECT record_id AS id FROM import_matches", [])
    scoped, params = plan.table.scope("r", plan.site_id, plan.parent_id)
    targets.add(
        db,
        f"SELECT r.id FROM {plan.table.name} r WHERE {scoped} AND r.id >= ? AND r.id < ?",
        [*params, first_new, first_new + created],
    )


def membership(
    db: sqlite_utils.Database, targets: Targets, family: str, container_id: int, *, add: bool
) -> int:
    """Add the targets to a list or group, or remove them; how many changed."""
    chosen, params = targets.ids()
    if add:
        return db.execute(
            "INSERT OR IGNORE INTO memberships (site_id, family, container_id, member_id) "
            f"SELECT ?, ?, ?, record_id FROM ({chosen})",
            [targets.site_id, family, container_id, *params],
        ).rowcount
    return db.execute(
        "DELETE FROM memberships WHERE site_id = ? AND family = ? AND container_id = ? "
        f"AND member_id IN ({chosen})",
        [targets.site_id, family, container_id, *params],
    ).rowcount


def contact_flag(db: sqlite_utils.Database, targets: Targets, column: str, value: int) -> int:
    """Set ``is_subscribed`` or ``is_bounced`` on the target contacts."""
    if column not in ("is_subscribed", "is_bounced"):
        raise ValueError(f"not a contact flag: {column}")
    chosen, params = targets.ids()
    return db.execute(
        f"UPDATE {CONTACTS.name} SET {column} = ? WHERE site_id = ? AND id IN ({chosen})",
        [value, targets.site_id, *params],
    ).rowcount


def member_status(
    db: sqlite_utils.Database, targets: Targets, step: Step, status: str, *, every: bool
) -> int:
    """Set the status of the step's members that are targets, or of all of them."""
    members, params = step.members("execution_members")
    chosen, chosen_params = targets.ids()
    if every:
        chosen, chosen_params = "", []
    else:
        chosen = f" AND record_id IN ({chosen})"
    return db.execute(
        f"UPDATE execution_members SET status = ? WHERE site_id = ? AND {members}{chosen}",
        [status, targets.site_id, *params, *chosen_params],
    ).rowcount


def target_staged(
    db: sqlite_utils.Database,
    targets: Targets,
    file_ids: list[int],
    key: str,
    table: RecordTable,
    parent_id: int,
    match: Match,
) -> int:
    """Add the records that the staged rows of ``file_ids`` name by their value of ``key``
    to the targets; how many rows named none. The values go to an indexed temporary table
    (``store.scratch``) first, so the lookup is one join whatever the identifier
    (``RecordTable.join``)."""
    function, argument = staging.value_of(key)
    for file_id in file_ids:
        db.execute(
            f"INSERT INTO action_keys (value) SELECT {function}(data, ?) FROM staged_rows "
            "WHERE file_id = ?",
            [argument, file_id],
        )
    join, params = table.join(match, "action_keys k", "k.value", targets.site_id, parent_id)
    targets.add(db, f"SELECT r.id FROM {join}", params)
    db.execute(
        f"UPDATE action_keys SET matched = 1 WHERE value IN (SELECT k.value FROM {join})",
        params,
    )
    unmatched = db.execute("SELECT count(*) FROM action_keys WHERE matched = 0").fetchone()[0]
    db.execute("DELETE FROM action_keys")
    return int(unmatched)
