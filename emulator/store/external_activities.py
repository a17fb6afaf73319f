"""The SQL of external activity imports: the site's external asset types (with the
activity types each allows), its external assets (an import creates the ones it names
first), campaigns and contacts looked up, and the activities written."""

from __future__ import annotations

from typing import Any

import orjson
import sqlite_utils

from emulator.core.types import JSONObject
from emulator.store.tables import ACTIVITIES, CAMPAIGNS, CONTACTS

ASSET_TYPES = "externalAssetTypes"
ASSETS = "externalAssets"


def asset_types(db: sqlite_utils.Database, site_id: int) -> dict[str, JSONObject]:
    """The site's external asset types by lower-cased name."""
    found: dict[str, JSONObject] = {}
    for (item,) in db.execute(
        "SELECT item FROM containers WHERE site_id = ? AND family = ? ORDER BY id",
        [site_id, ASSET_TYPES],
    ):
        loaded = orjson.loads(item)
        found.setdefault(str(loaded["name"]).lower(), loaded)
    return found


def asset_id(db: sqlite_utils.Database, site_id: int, type_id: int, name: str) -> int | None:
    """The external asset of that type and name (ignoring case), if there is one."""
    row = db.execute(
        "SELECT min(id) FROM containers WHERE site_id = ? AND family = ? "
        "AND json_extract(item, '$.externalAssetTypeId') = ? "
        "AND lower(json_extract(item, '$.name')) = lower(?)",
        [site_id, ASSETS, type_id, name],
    ).fetchone()
    return None if row[0] is None else int(row[0])


def create_asset(
    db: sqlite_utils.Database, site_id: int, type_id: int, name: str, stamp: str
) -> int:
    """A new external asset; its id."""
    new_id = int(
        db.execute(
            "SELECT coalesce(max(id), 0) + 1 FROM containers WHERE site_id = ? AND family = ?",
            [site_id, ASSETS],
        ).fetchone()[0]
    )
    item = {
        "type": "ExternalAsset",
        "id": new_id,
        "name": name,
        "externalAssetTypeId": type_id,
        "createdAt": stamp,
    }
    db.execute(
        "INSERT INTO containers (site_id, family, id, item) VALUES (?, ?, ?, ?)",
        [site_id, ASSETS, new_id, orjson.dumps(item).decode()],
    )
    return new_id


def campaign_exists(db: sqlite_utils.Database, site_id: int, campaign_id: int) -> bool:
    row = db.execute(
        f"SELECT 1 FROM {CAMPAIGNS.name} WHERE site_id = ? AND id = ?", [site_id, campaign_id]
    ).fetchone()
    return row is not None


def contact_by_email(db: sqlite_utils.Database, site_id: int, address: str) -> int | None:
    row = db.execute(
        f"SELECT min(id) FROM {CONTACTS.name} INDEXED BY contacts_email "
        "WHERE site_id = ? AND email_key = lower(?)",
        [site_id, address],
    ).fetchone()
    return None if row[0] is None else int(row[0])


def contact_by_id(db: sqlite_utils.Database, site_id: int, contact_id: int) -> int | None:
    row = db.execute(
        f"SELECT id FROM {CONTACTS.name} WHERE site_id = ? AND id = ?", [site_id, contact_id]
    ).fetchone()
    return None if row is None else int(row[0])


def next_activity_id(db: sqlite_utils.Database, site_id: int) -> int:
    row = db.execute(
        f"SELECT coalesce(max(id), 0) + 1 FROM {ACTIVITIES.name} WHERE site_id = ?", [site_id]
    ).fetchone()
    return int(row[0])


def insert_activity(db: sqlite_utils.Database, site_id: int, activity: dict[str, Any]) -> None:
    db.execute(
        f"INSERT INTO {ACTIVITIES.name} (site_id, id, type, created_at, contact_id, "
        "asset_type, asset_name, asset_id, campaign_id, fields) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            site_id,
            activity["id"],
            activity["type"],
            activity["created_at"],
            activity["contact_id"],
            activity["asset_type"],
            activity["asset_name"],
            activity["asset_id"],
            activity["campaign_id"],
            orjson.dumps(activity["fields"]).decode(),
        ],
    )
