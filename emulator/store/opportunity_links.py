"""The SQL of opportunity-contact linkage imports: the opportunity a row names, the
contacts (directly, or through accounts) its value matches, and the links."""

from __future__ import annotations

import sqlite_utils

from emulator.store.tables import ACCOUNTS, CONTACTS, OPPORTUNITIES, path


def opportunity_id(db: sqlite_utils.Database, site_id: int, external_id: str) -> int | None:
    row = db.execute(
        f"SELECT min(id) FROM {OPPORTUNITIES.name} WHERE site_id = ? AND external_id = ?",
        [site_id, external_id],
    ).fetchone()
    return None if row[0] is None else int(row[0])


def matching_contacts(
    db: sqlite_utils.Database,
    site_id: int,
    entity: str,
    field: str,
    value: str,
    *,
    case_sensitive: bool,
) -> list[int]:
    """The contacts whose ``field`` is ``value`` (``entity`` ``Contact``), or that belong to
    an account whose ``field`` is ``value`` (``Account``), in id order."""
    stored = "json_extract(r.fields, ?)"
    same = f"{stored} = ?" if case_sensitive else f"lower({stored}) = lower(?)"
    if entity == "Contact":
        sql = f"SELECT r.id FROM {CONTACTS.name} r WHERE r.site_id = ? AND {same} ORDER BY r.id"
    else:
        sql = (
            f"SELECT c.id FROM {ACCOUNTS.name} r JOIN {CONTACTS.name} c "
            "ON c.site_id = r.site_id AND c.account_id = r.id "
            f"WHERE r.site_id = ? AND {same} ORDER BY c.id"
        )
    return [int(r[0]) for r in db.execute(sql, [site_id, path(field), value])]


def link(
    db: sqlite_utils.Database, site_id: int, opportunity: int, contacts: list[int], stamp: str
) -> int:
    """Link the contacts to the opportunity; how many links are new."""
    added = 0
    for contact in contacts:
        added += db.execute(
            "INSERT OR IGNORE INTO opportunity_contacts (site_id, opportunity_id, contact_id, "
            "created_at) VALUES (?, ?, ?, ?)",
            [site_id, opportunity, contact, stamp],
        ).rowcount
    return added
