"""Sync actions (reference §8), applied by a sync to the records it touched: an import's
created and updated records, an export's exported records, or the records a sync-action
definition's staged rows identify. ``updateAll: true`` on an AppCloud destination moves
every member of the execution instead.

The records are gathered in the temporary table ``action_targets`` inside the sync's
transaction, so the actions commit or roll back with the rest of the sync.

Where we decide for Eloqua [INF]: e-mail group subscriptions are memberships of the group
(unsubscribing removes it); each action logs the number of records it changed; a staged
row that names no record is counted unmatched (ELQ-00034) and ends the sync ``warning``.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from emulator import markup
from emulator.domain import statements
from emulator.engine import logs
from emulator.filters.columns import TABLES
from emulator.markup import ast
from emulator.store import staging
from emulator.types import JSONObject

TARGETS = "temp.action_targets"
LIST_CODES = {
    (ast.ContactList, "add"): "ELQ-00119",
    (ast.ContactList, "remove"): "ELQ-00118",
    (ast.AccountList, "add"): "ELQ-00114",
    (ast.AccountList, "remove"): "ELQ-00117",
}


def prepare(db: sqlite_utils.Database) -> None:
    db.execute("PRAGMA temp_store = MEMORY")
    db.execute("DROP TABLE IF EXISTS temp.action_targets")
    db.execute("CREATE TEMP TABLE action_targets (record_id INTEGER PRIMARY KEY)")


def drop(db: sqlite_utils.Database) -> None:
    db.execute("DROP TABLE IF EXISTS temp.action_targets")


def target(db: sqlite_utils.Database, select: str, params: list[Any]) -> None:
    """Add the record ids ``select`` returns to the targets."""
    db.execute(f"INSERT OR IGNORE INTO {TARGETS} (record_id) {select}", params)


def apply(
    db: sqlite_utils.Database, site_id: int, family: str, parent_id: int, actions: list[JSONObject]
) -> list[logs.Entry]:
    """Apply each action to the targets, in order; their log entries."""
    entries: list[logs.Entry] = []
    for action in actions:
        node = markup.parse_node(str(action["destination"]))
        verb, status = str(action["action"]), action.get("status")
        if isinstance(node, ast.ContactList | ast.AccountList):
            count = _membership(db, site_id, node.FAMILY, node.id, add=verb == "add")
            entries.append(logs.entry(LIST_CODES[(type(node), verb)], count, list_id=node.id))
        elif isinstance(node, ast.EmailGroup):
            subscribed = str(status) == "subscribed"
            count = _membership(db, site_id, node.FAMILY, node.id, add=subscribed)
            code = "ELQ-00115" if subscribed else "ELQ-00116"
            entries.append(logs.entry(code, count, group_id=node.id))
        elif isinstance(node, ast.GlobalSubscribe):
            count = _global(db, site_id, family, str(status))
            if status == "subscribed":
                entries.append(logs.entry("ELQ-00138", count))
        elif isinstance(node, markup.ServiceInstance):
            count = _member_status(
                db, site_id, family, parent_id, node, str(status), bool(action.get("updateAll"))
            )
            entries.append(
                logs.entry(
                    "ELQ-00128", count, status=status, instance=markup.format_statement(node)
                )
            )
    return entries


def _membership(
    db: sqlite_utils.Database, site_id: int, family: str, container_id: int, *, add: bool
) -> int:
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


def _global(db: sqlite_utils.Database, site_id: int, family: str, status: str) -> int:
    """Global subscription of contacts; e-mail address imports target contacts too."""
    column, value = ("is_bounced", 1) if status == "bounced" else ("is_subscribed", 0)
    if status == "subscribed":
        value = 1
    return db.execute(
        f"UPDATE contacts SET {column} = ? WHERE site_id = ? "
        f"AND id IN (SELECT record_id FROM {TARGETS})",
        [value, site_id],
    ).rowcount


def _member_status(
    db: sqlite_utils.Database,
    site_id: int,
    family: str,
    parent_id: int,
    node: markup.ServiceInstance,
    status: str,
    update_all: bool,
) -> int:
    """Members leave a step (``complete``, ``yes``, ``no``) or show its other statuses; with
    ``updateAll`` every member of the execution, else the targets."""
    chosen = "" if update_all else f" AND record_id IN (SELECT record_id FROM {TARGETS})"
    return db.execute(
        "UPDATE execution_members SET status = ? WHERE site_id = ? AND instance = ? "
        "AND (execution = ? OR ? IS NULL) AND family = ? AND parent_id = ?" + chosen,
        [status, site_id, node.instance, node.execution, node.execution, family, parent_id],
    ).rowcount


def run(
    db: sqlite_utils.Database,
    site_id: int,
    sync_id: int,
    family: str,
    parent_id: int,
    definition: JSONObject,
) -> tuple[str, list[logs.Entry]]:
    """A sync of a sync-action definition (or of an e-mail address import, whose rows name
    contacts by address): the status and log lines."""
    prepare(db)
    staged, unmatched = stage_targets(db, site_id, sync_id, family, parent_id, definition)
    actions = list(definition.get("syncActions") or [])
    entries = [logs.entry("ELQ-00140", staged)]
    if staged == 0 and not any(a.get("updateAll") for a in actions):
        entries.append(logs.entry("ELQ-00124"))
    entries += apply(
        db, site_id, "contacts" if family == "emailAddresses" else family, parent_id, actions
    )
    drop(db)
    status = "warning" if unmatched else "success"
    if unmatched:
        entries.append(logs.entry("ELQ-00034", unmatched, logs.WARNING))
    entries.append(logs.processed(status))
    return status, entries


def stage_targets(
    db: sqlite_utils.Database,
    site_id: int,
    sync_id: int,
    family: str,
    parent_id: int,
    definition: JSONObject,
) -> tuple[int, int]:
    """The records a sync-action definition's staged rows identify by its identifier field:
    ``(rows staged, rows naming no record)``. The staged values go to an indexed temporary
    table first, so each lookup is one join whatever the identifier (an id or e-mail
    address probes the record index; another field scans the records once)."""
    fields = definition["fields"]
    key = definition.get("identifierFieldName") or next(iter(fields))
    catalog = statements.StoreCatalog(db, site_id)
    at = statements.entity(family, parent_id or None)
    resolved = markup.resolve_field(fields[key], at, catalog)
    db.execute("DROP TABLE IF EXISTS temp.action_keys")
    db.execute("CREATE TEMP TABLE action_keys (value TEXT, matched INTEGER NOT NULL DEFAULT 0)")
    staged = 0
    for file_id, rows, _ in staging.files_of_sync(db, site_id, sync_id):
        staged += rows
        db.execute(
            "INSERT INTO action_keys (value) SELECT json_extract(data, ?) FROM staged_rows "
            "WHERE file_id = ?",
            [f'$."{key}"', file_id],
        )
    db.execute("CREATE INDEX temp.action_keys_value ON action_keys (value)")
    join, params = _join(family, parent_id, resolved.node)
    db.execute(
        f"INSERT OR IGNORE INTO {TARGETS} (record_id) SELECT r.id FROM {join}",
        [site_id, *params],
    )
    db.execute(
        f"UPDATE action_keys SET matched = 1 WHERE value IN (SELECT k.value FROM {join})",
        [site_id, *params],
    )
    unmatched = db.execute("SELECT count(*) FROM action_keys WHERE matched = 0").fetchone()[0]
    db.execute("DROP TABLE temp.action_keys")
    return staged, int(unmatched)


def record_table(family: str) -> str:
    """E-mail address imports act on the contacts with that address."""
    return TABLES["contacts" if family == "emailAddresses" else family]


def _join(family: str, parent_id: int, node: markup.Node) -> tuple[str, list[Any]]:
    """The staged keys ``k`` joined to the records ``r`` they name (first parameter: the
    site)."""
    table = record_table(family)
    scope, params = "", list[Any]()
    if family in ("customObjects", "events"):
        scope, params = " AND r.family = ? AND r.parent_id = ?", [family, parent_id]
    attribute = getattr(node, "attribute", None)
    name = getattr(node, "name", "")
    if attribute == "Id":
        probe = f"action_keys k JOIN {table} r ON r.site_id = ? AND r.id = CAST(k.value AS INTEGER)"
        return probe + scope, params
    if name == "C_EmailAddress" or isinstance(node, ast.EmailAddressField):
        return f"action_keys k JOIN {table} r ON r.site_id = ? AND r.email_key = lower(k.value)", []
    column = "r.external_id" if attribute == "ExternalId" else "json_extract(r.fields, ?)"
    if attribute != "ExternalId":
        params = [*params, f'$."{name}"']
    return f"{table} r JOIN action_keys k ON r.site_id = ?{scope} AND k.value = {column}", params
