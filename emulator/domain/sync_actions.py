"""Sync actions (reference §8), applied by a sync to the records it touched: an import's
created and updated records, an export's exported records, or the records a sync-action
definition's staged rows identify. ``updateAll: true`` on an AppCloud destination moves
every member of the execution instead.

The records are gathered in ``sync_targets`` (``store.sync_actions``) as the sync's chunks
commit, and the actions run in the transaction of its last chunk.

Where we decide for Eloqua [INF]: e-mail group subscriptions are memberships of the group
(unsubscribing removes it); each action logs the number of records it changed; a staged
row that names no record is counted unmatched (ELQ-00034) and ends the sync ``warning``.
"""

from __future__ import annotations

import sqlite_utils

from emulator.core import logs, markup
from emulator.core.markup import ast
from emulator.core.types import JSONObject
from emulator.domain import statements
from emulator.store import staging, tables
from emulator.store import sync_actions as rows
from emulator.store.appcloud import Step
from emulator.store.sync_actions import Targets

__all__ = ["Targets", "apply", "run"]

LIST_CODES = {
    (ast.ContactList, "add"): "ELQ-00119",
    (ast.ContactList, "remove"): "ELQ-00118",
    (ast.AccountList, "add"): "ELQ-00114",
    (ast.AccountList, "remove"): "ELQ-00117",
}
# {{GlobalSubscribe}} statuses; ``bounced`` only on e-mail address imports (checked when
# the definition is saved)
GLOBAL = {
    "subscribed": ("is_subscribed", 1),
    "unsubscribed": ("is_subscribed", 0),
    "bounced": ("is_bounced", 1),
}


def apply(
    db: sqlite_utils.Database,
    targets: Targets,
    family: str,
    parent_id: int,
    actions: list[JSONObject],
) -> list[logs.Entry]:
    """Apply each action to the targets, in order, then forget the targets; the actions'
    log entries. E-mail address imports act on contacts."""
    entries: list[logs.Entry] = []
    for action in actions:
        node = markup.parse_node(str(action["destination"]))
        verb, status = str(action["action"]), str(action.get("status"))
        if isinstance(node, ast.ContactList | ast.AccountList):
            count = rows.membership(db, targets, node.FAMILY, node.id, add=verb == "add")
            entries.append(logs.entry(LIST_CODES[(type(node), verb)], count, list_id=node.id))
        elif isinstance(node, ast.EmailGroup):
            subscribed = status == "subscribed"
            count = rows.membership(db, targets, node.FAMILY, node.id, add=subscribed)
            code = "ELQ-00115" if subscribed else "ELQ-00116"
            entries.append(logs.entry(code, count, group_id=node.id))
        elif isinstance(node, ast.GlobalSubscribe):
            column, value = GLOBAL[status]
            count = rows.contact_flag(db, targets, column, value)
            if status == "subscribed":
                entries.append(logs.entry("ELQ-00138", count))
        elif isinstance(node, markup.ServiceInstance):
            step = Step(node.instance, node.execution, family, parent_id)
            every = bool(action.get("updateAll"))
            count = rows.member_status(db, targets, step, status, every=every)
            statement = markup.format_statement(node)
            entries.append(logs.entry("ELQ-00128", count, status=status, instance=statement))
    targets.forget(db)
    return entries


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
    targets = Targets(site_id, sync_id)
    staged, unmatched = _target_staged(db, targets, family, parent_id, definition)
    actions = list(definition.get("syncActions") or [])
    entries = [logs.entry("ELQ-00140", staged)]
    if staged == 0 and not any(a.get("updateAll") for a in actions):
        entries.append(logs.entry("ELQ-00124"))
    acting = "contacts" if family == "emailAddresses" else family
    entries += apply(db, targets, acting, parent_id, actions)
    status = "warning" if unmatched else "success"
    if unmatched:
        entries.append(logs.entry("ELQ-00034", unmatched, logs.WARNING))
    entries.append(logs.processed(status))
    return status, entries


def _target_staged(
    db: sqlite_utils.Database,
    targets: Targets,
    family: str,
    parent_id: int,
    definition: JSONObject,
) -> tuple[int, int]:
    """The records the staged rows name by the identifier field: ``(rows staged, rows
    naming no record)``."""
    fields = definition["fields"]
    key = str(definition.get("identifierFieldName") or next(iter(fields)))
    catalog = statements.StoreCatalog(db, targets.site_id)
    at = statements.entity(family, parent_id or None)
    node = markup.resolve_field(fields[key], at, catalog).node
    files = list(staging.files_of_sync(db, targets.site_id, targets.sync_id))
    # e-mail address imports name contacts by address (sync-action definitions allow only
    # identity fields as identifiers, reference §5.3)
    table = tables.CONTACTS if family == "emailAddresses" else tables.table_of(family)
    match = tables.BY_EMAIL if family == "emailAddresses" else table.match_of(node)
    unmatched = rows.target_staged(
        db, targets, [file_id for file_id, _, _ in files], key, table, parent_id, match
    )
    return sum(count for _, count, _ in files), unmatched
