"""External activity imports (``/activities/imports``, reference §12.1): every row creates
an activity (activities are never updated, so an identifier is ignored with ELQ-00123).

A row names its contact (``{{Activity.Contact.Field(C_EmailAddress)}}`` or
``{{Activity.Contact.Id}}``), an external asset type of the site and one of the activity
types it allows (``{{Activity.Asset.Type}}``, ``{{Activity.Type}}``), an asset by name
(created the first time, counted under ELQ-00068 "Assets created."), optionally a campaign
(``{{Activity.Campaign.Id}}``) and a date (``{{Activity.CreatedAt}}``, else the sync's time).
Rejects: ELQ-00072 asset type not found, ELQ-00070 activity type not found, ELQ-00055
campaign not found, ELQ-00085 contact does not exist, ELQ-00061 a required value empty,
ELQ-00040 an invalid date. Oracle documents the codes, not their conditions; these are
ours. The emulator's campaigns carry no status, so ELQ-00132 "Campaign not active." is never
logged. The imported activities are read back by activity exports like any other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from emulator.core import logs, markup, timestamps
from emulator.core import values as value_checks
from emulator.core.markup import ast
from emulator.core.types import JSONObject
from emulator.domain import import_outcome, statements
from emulator.store import external_activities as store
from emulator.store import staging
from emulator.store import syncs as sync_rows

FAMILY = "activities"


@dataclass
class _Keys:
    """Which staged key holds what."""

    type: str = ""
    date: str = ""
    external_id: str = ""
    contact: str = ""
    contact_by_id: bool = False
    asset_type: str = ""
    asset_name: str = ""
    campaign: str = ""
    fields: dict[str, str] = field(default_factory=dict)  # key -> Activity.Field name


def run(
    db: sqlite_utils.Database, site_id: int, sync_id: int, definition: JSONObject, now: float
) -> tuple[str, list[logs.Entry]]:
    """The sync of an external activity import: status and log lines; rejects written."""
    keys = _keys(db, site_id, definition["fields"])
    types = store.asset_types(db, site_id)
    stamp = timestamps.from_epoch(now)
    files = [file_id for file_id, _, _ in staging.files_of_sync(db, site_id, sync_id)]
    counts = dict.fromkeys(("ELQ-00061", "ELQ-00072", "ELQ-00070", "ELQ-00055", "ELQ-00085"), 0)
    counts["ELQ-00040"] = 0
    rejects: list[tuple[int, JSONObject]] = []
    created = assets = staged = 0
    next_id = store.next_activity_id(db, site_id)
    for index, row in enumerate(staging.rows_of(db, files), 1):
        staged = index
        texts = {k: value_checks.text(v) for k, v in row.items()}
        activity, problem = _activity(db, site_id, keys, types, texts, stamp)
        if activity is None:
            code, invalid = problem
            counts[code] += 1
            values = {key: texts.get(key, "") for key in definition["fields"]}
            rejects.append((index, import_outcome.reject_item(index, values, invalid, code)))
            continue
        if activity["asset_id"] is None:
            activity["asset_id"] = store.create_asset(
                db, site_id, activity.pop("asset_type_id"), activity["asset_name"], stamp
            )
            assets += 1
        activity.pop("asset_type_id", None)
        activity["id"] = next_id
        store.insert_activity(db, site_id, activity)
        next_id += 1
        created += 1
    sync_rows.add_rejects(db, site_id, sync_id, rejects)
    status = "warning" if rejects else "success"
    entries = [logs.entry("ELQ-00130", staged), logs.entry("ELQ-00137")]
    if definition.get("identifierFieldName"):
        entries.append(logs.entry("ELQ-00123", severity=logs.WARNING))
    if staged == 0:
        entries.append(logs.entry("ELQ-00124"))
    entries += [logs.processed(status), logs.entry("ELQ-00001", staged)]
    entries += [logs.entry(c, n, logs.WARNING) for c, n in counts.items() if n]
    entries += [logs.entry("ELQ-00069", created), logs.entry("ELQ-00068", assets)]
    return status, entries


def _keys(db: sqlite_utils.Database, site_id: int, fields: dict[str, str]) -> _Keys:
    catalog = statements.StoreCatalog(db, site_id)
    entity = statements.entity(FAMILY, None)
    keys = _Keys()
    for key, text in fields.items():
        node = markup.resolve_field(text, entity, catalog).node
        match node:
            case ast.ActivityAttribute(attribute="Type"):
                keys.type = key
            case ast.ActivityAttribute(attribute="CreatedAt"):
                keys.date = key
            case ast.ActivityAttribute(attribute="ExternalId"):
                keys.external_id = key
            case ast.ActivityContactField(name=name) if name.lower() == "c_emailaddress":
                keys.contact = key
            case ast.ActivityContactId():
                keys.contact, keys.contact_by_id = key, True
            case ast.ActivityAssetAttribute(attribute="Type"):
                keys.asset_type = key
            case ast.ActivityAssetAttribute(attribute="Name"):
                keys.asset_name = key
            case ast.ActivityCampaignId():
                keys.campaign = key
            case ast.ActivityField(name=name):
                keys.fields[key] = name
    return keys


def _activity(
    db: sqlite_utils.Database,
    site_id: int,
    keys: _Keys,
    types: dict[str, JSONObject],
    texts: dict[str, str],
    stamp: str,
) -> tuple[dict[str, Any] | None, tuple[str, list[str]]]:
    """The activity a row describes, or ``None`` and why it is rejected."""
    required = [k for k in (keys.type, keys.asset_type, keys.asset_name, keys.contact) if k]
    empty = [k for k in required if not texts.get(k)]
    missing = [k for k in ("type", "asset_type", "asset_name", "contact") if not getattr(keys, k)]
    if empty or missing:
        return None, ("ELQ-00061", empty or [])
    asset_type = types.get(texts[keys.asset_type].lower())
    if asset_type is None:
        return None, ("ELQ-00072", [keys.asset_type])
    allowed = {str(t).lower(): str(t) for t in asset_type.get("activityTypes", [])}
    activity_type = allowed.get(texts[keys.type].lower())
    if activity_type is None:
        return None, ("ELQ-00070", [keys.type])
    campaign_id = None
    if keys.campaign and texts.get(keys.campaign):
        value = texts[keys.campaign]
        if not value.isdigit() or not store.campaign_exists(db, site_id, int(value)):
            return None, ("ELQ-00055", [keys.campaign])
        campaign_id = int(value)
    contact_value = texts[keys.contact]
    if keys.contact_by_id:
        contact = (
            store.contact_by_id(db, site_id, int(contact_value))
            if contact_value.isdigit()
            else None
        )
    else:
        contact = store.contact_by_email(db, site_id, contact_value)
    if contact is None:
        return None, ("ELQ-00085", [keys.contact])
    created_at = stamp
    if keys.date and texts.get(keys.date):
        parsed = timestamps.parse_loose(texts[keys.date])
        if parsed is None:
            return None, ("ELQ-00040", [keys.date])
        created_at = parsed
    type_id = int(asset_type["id"])
    name = texts[keys.asset_name]
    return {
        "type": activity_type,
        "created_at": created_at,
        "contact_id": contact,
        "asset_type": str(asset_type["name"]),
        "asset_type_id": type_id,
        "asset_name": name,
        "asset_id": store.asset_id(db, site_id, type_id, name),
        "campaign_id": campaign_id,
        "fields": {
            name: texts[key] for key, name in keys.fields.items() if texts.get(key) is not None
        },
    }, ("", [])
