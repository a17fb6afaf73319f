"""Rows of the AppCloud model: service instances, executions and their members, and the
notifications sent to apps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
import sqlite_utils

from emulator.core.types import JSONObject
from emulator.store.tables import Projection, table_of


@dataclass(frozen=True)
class Instance:
    site_id: int
    id: str  # dashless, lower case
    guid: str  # dashed, as Eloqua hands it to the app
    type: str
    family: str
    parent_id: int
    notification_url: str | None
    records_per_notification: int
    record_definition: JSONObject
    created_at: str


COLUMNS = (
    "site_id, id, guid, type, family, parent_id, notification_url, records_per_notification, "
    "record_definition, created_at"
)


def insert_instance(db: sqlite_utils.Database, instance: Instance) -> None:
    db.execute(
        f"INSERT INTO service_instances ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            instance.site_id,
            instance.id,
            instance.guid,
            instance.type,
            instance.family,
            instance.parent_id,
            instance.notification_url,
            instance.records_per_notification,
            orjson.dumps(instance.record_definition).decode(),
            instance.created_at,
        ],
    )


def get_instance(db: sqlite_utils.Database, site_id: int, id_: str) -> Instance | None:
    row = db.execute(
        f"SELECT {COLUMNS} FROM service_instances WHERE site_id = ? AND id = ?", [site_id, id_]
    ).fetchone()
    return _instance(row) if row else None


def find_instance(db: sqlite_utils.Database, id_: str) -> Instance | None:
    """By id alone: the control plane names instances by GUID, which no two sites share."""
    row = db.execute(f"SELECT {COLUMNS} FROM service_instances WHERE id = ?", [id_]).fetchone()
    return _instance(row) if row else None


def _instance(row: Sequence[Any]) -> Instance:
    values = list(row)
    values[8] = orjson.loads(values[8])
    return Instance(*values)


def delete_instance(db: sqlite_utils.Database, site_id: int, id_: str) -> None:
    """The instance, its executions, their members and notifications."""
    db.execute("DELETE FROM notifications WHERE site_id = ? AND instance = ?", [site_id, id_])
    db.execute("DELETE FROM executions WHERE site_id = ? AND instance = ?", [site_id, id_])
    db.execute("DELETE FROM execution_members WHERE site_id = ? AND instance = ?", [site_id, id_])
    db.execute("DELETE FROM service_instances WHERE site_id = ? AND id = ?", [site_id, id_])


def insert_execution(
    db: sqlite_utils.Database,
    instance: Instance,
    execution: int,
    asset_id: int,
    record_ids: Sequence[int],
    now: str,
) -> None:
    db.execute(
        "INSERT INTO executions (site_id, id, instance, asset_id, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        [instance.site_id, execution, instance.id, asset_id, now],
    )
    db.conn.executemany(
        "INSERT INTO execution_members (site_id, instance, execution, family, parent_id, "
        "record_id, status) VALUES (?, ?, ?, ?, ?, ?, 'pending')",
        [
            (instance.site_id, instance.id, execution, instance.family, instance.parent_id, r)
            for r in record_ids
        ],
    )


def execution_taken(db: sqlite_utils.Database, site_id: int, execution: int) -> bool:
    found = db.execute(
        "SELECT 1 FROM executions WHERE site_id = ? AND id = ?", [site_id, execution]
    ).fetchone()
    return found is not None


def get_execution(
    db: sqlite_utils.Database, site_id: int, instance: str, execution: int
) -> tuple[int, str] | None:
    """``(asset id, created at)``."""
    row = db.execute(
        "SELECT asset_id, created_at FROM executions WHERE site_id = ? AND id = ? AND instance = ?",
        [site_id, execution, instance],
    ).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def members(
    db: sqlite_utils.Database, site_id: int, instance: str, execution: int
) -> list[tuple[int, str]]:
    """``(record id, status)`` in record id order."""
    return [
        (int(r[0]), str(r[1]))
        for r in db.execute(
            "SELECT record_id, status FROM execution_members WHERE site_id = ? AND instance = ? "
            "AND execution = ? ORDER BY record_id",
            [site_id, instance, execution],
        )
    ]


@dataclass(frozen=True)
class Step:
    """An AppCloud step as a statement names it (``STATUS('{{ActionInstance(…)
    .Execution[…]}}')``, a ``setStatus`` destination): the members of an instance's
    execution, or of every execution when ``execution`` is None, that are records of the
    family (and custom object)."""

    instance: str
    execution: int | None
    family: str
    parent_id: int

    def members(self, alias: str) -> tuple[str, list[Any]]:
        """The condition on ``alias`` (an ``execution_members`` row of the site)."""
        return (
            f"{alias}.instance = ? AND ({alias}.execution = ? OR ? IS NULL) "
            f"AND {alias}.family = ? AND {alias}.parent_id = ?",
            [self.instance, self.execution, self.execution, self.family, self.parent_id],
        )


def existing_records(db: sqlite_utils.Database, instance: Instance, ids: list[int]) -> set[int]:
    """Which of ``ids`` are records of the instance's entity."""
    table = table_of(instance.family)
    scoped, params = table.scope("r", instance.site_id, instance.parent_id)
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        found.update(
            int(r[0])
            for r in db.execute(
                f"SELECT r.id FROM {table.name} r WHERE {scoped} AND r.id IN ({marks})",
                [*params, *chunk],
            )
        )
    return found


def member_items(
    db: sqlite_utils.Database, instance: Instance, execution: int, projection: Projection
) -> list[str]:
    """Each member's record as ``projection`` shows it, in id order."""
    table = table_of(instance.family)
    scoped, scope_params = table.scope("r", instance.site_id, instance.parent_id)
    return [
        str(row[0])
        for row in db.execute(
            f"SELECT {projection.sql} FROM execution_members x JOIN {table.name} r "
            f"ON r.id = x.record_id AND {scoped} WHERE x.site_id = ? AND x.instance = ? "
            "AND x.execution = ? ORDER BY r.id",
            [*projection.params, *scope_params, instance.site_id, instance.id, execution],
        )
    ]


def insert_notification(
    db: sqlite_utils.Database,
    site_id: int,
    instance: str,
    execution: int,
    ordinal: int,
    url: str,
    items: int,
) -> None:
    db.execute(
        "INSERT INTO notifications (site_id, instance, execution, ordinal, url, items) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [site_id, instance, execution, ordinal, url, items],
    )


def record_answer(
    db: sqlite_utils.Database,
    site_id: int,
    instance: str,
    execution: int,
    ordinal: int,
    status: int | None,
    error: str | None,
    sent_at: str,
) -> None:
    db.execute(
        "UPDATE notifications SET status = ?, error = ?, sent_at = ? WHERE site_id = ? "
        "AND instance = ? AND execution = ? AND ordinal = ?",
        [status, error, sent_at, site_id, instance, execution, ordinal],
    )


def notifications(
    db: sqlite_utils.Database, site_id: int, instance: str, execution: int
) -> list[JSONObject]:
    return [
        {"url": r[0], "items": r[1], "status": r[2], "error": r[3], "sentAt": r[4]}
        for r in db.execute(
            "SELECT url, items, status, error, sent_at FROM notifications WHERE site_id = ? "
            "AND instance = ? AND execution = ? ORDER BY ordinal",
            [site_id, instance, execution],
        )
    ]
