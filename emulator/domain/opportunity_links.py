"""Opportunity-contact linkage imports (``/opportunities/contacts/imports``, reference §12.3,
Oracle's opportunity tutorial): each row names an opportunity by ``{{Opportunity.Id}}`` and,
in ``linkOpportunitiesSourceField``, a value that the field of
``linkOpportunitiesMatchFieldName`` (``{{Opportunity.Contact.Field(X)}}`` or
``{{Opportunity.Account.Field(X)}}``) must hold: the opportunity is linked to the contacts
with that value in field X, or to every contact of the accounts with it
(``linkOpportunitiesEntityType``). ``linkOpportunitiesMultipleSourceMatches`` links all of
the matches, else the first (lowest id).

A row naming no opportunity is rejected with ELQ-00084, one matching no contact with
ELQ-00085; an empty opportunity id or value with ELQ-00061. Oracle's list has no code for
the links made; the control plane shows them. Linkage imports are small and run in one
step.
"""

from __future__ import annotations

import sqlite_utils

from emulator.core import logs, markup, timestamps
from emulator.core import values as value_checks
from emulator.core.types import JSONObject
from emulator.domain import import_outcome, statements
from emulator.store import opportunity_links as rows
from emulator.store import staging
from emulator.store import syncs as sync_rows

FAMILY = "opportunityContacts"


def run(
    db: sqlite_utils.Database, site_id: int, sync_id: int, definition: JSONObject, now: float
) -> tuple[str, list[logs.Entry]]:
    """The sync of a linkage import: its status and log lines; rejects are written."""
    fields: dict[str, str] = definition["fields"]
    catalog = statements.StoreCatalog(db, site_id)
    entity = statements.entity(FAMILY, None)
    nodes = {key: markup.resolve_field(text, entity, catalog).node for key, text in fields.items()}
    opportunity_key = next(
        (k for k, n in nodes.items() if isinstance(n, markup.ast.OpportunityAttribute)), ""
    )
    source = str(definition.get("linkOpportunitiesSourceField", ""))
    matched_node = nodes.get(str(definition.get("linkOpportunitiesMatchFieldName", "")))
    field = getattr(matched_node, "name", "")
    kind = str(definition.get("linkOpportunitiesEntityType", "Contact"))
    every = definition.get("linkOpportunitiesMultipleSourceMatches") is True
    case_sensitive = definition.get("linkOpportunitiesCaseSensitiveMatchField") is True
    files = [file_id for file_id, _, _ in staging.files_of_sync(db, site_id, sync_id)]
    stamp = timestamps.from_epoch(now)
    counts = {"ELQ-00061": 0, "ELQ-00084": 0, "ELQ-00085": 0}
    rejects: list[tuple[int, JSONObject]] = []
    staged = 0
    for index, row in enumerate(staging.rows_of(db, files), 1):
        staged = index
        texts = {k: value_checks.text(v) for k, v in row.items()}
        code, invalid = _link(
            db,
            site_id,
            texts,
            opportunity_key,
            source,
            field,
            kind,
            stamp,
            every=every,
            case_sensitive=case_sensitive,
        )
        if code:
            counts[code] += 1
            values = {key: texts.get(key, "") for key in fields}
            rejects.append((index, import_outcome.reject_item(index, values, invalid, code)))
    sync_rows.add_rejects(db, site_id, sync_id, rejects)
    rejected = sum(counts.values())
    status = "warning" if rejected else "success"
    entries = [logs.entry("ELQ-00130", staged), logs.entry("ELQ-00137")]
    if staged == 0:
        entries.append(logs.entry("ELQ-00124"))
    entries += [logs.processed(status), logs.entry("ELQ-00001", staged)]
    entries += [logs.entry(c, n, logs.WARNING) for c, n in counts.items() if n]
    return status, entries


def _link(
    db: sqlite_utils.Database,
    site_id: int,
    texts: dict[str, str],
    opportunity_key: str,
    source: str,
    field: str,
    kind: str,
    stamp: str,
    *,
    every: bool,
    case_sensitive: bool,
) -> tuple[str, list[str]]:
    """Link one row; the reject code and invalid keys, or ``("", [])``."""
    missing = [k for k in (opportunity_key, source) if not texts.get(k)]
    if missing:
        return "ELQ-00061", missing
    opportunity = rows.opportunity_id(db, site_id, texts[opportunity_key])
    if opportunity is None:
        return "ELQ-00084", [opportunity_key]
    contacts = rows.matching_contacts(
        db, site_id, kind, field, texts[source], case_sensitive=case_sensitive
    )
    if not contacts:
        return "ELQ-00085", [source]
    rows.link(db, site_id, opportunity, contacts if every else contacts[:1], stamp)
    return "", []
