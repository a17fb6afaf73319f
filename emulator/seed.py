"""Load ``fixtures/`` into site 0, the template every new site is copied from.

Loading is idempotent: a digest of the fixture files is kept in ``meta``, so restarting
on an existing database file costs one hash; changed fixtures replace the template (sites
created earlier keep their data). Keys starting with ``_`` are fixture metadata (members,
nested fields, type tags) and are never served. A missing file means an empty catalog;
a malformed one stops start-up with its path and line.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import sqlite_utils

from emulator.core import timestamps
from emulator.core.types import JSONObject
from emulator.store import catalog, identity, records, rest_assets, sites

DIGEST_KEY = "fixtures_digest"

FIELD_FILES = {
    "contacts": "contacts/fields.json",
    "accounts": "accounts/fields.json",
    "activities": "activities/fields.json",
    "campaignResponses": "campaignResponses/fields.json",
    "opportunities": "opportunities/fields.json",
    "campaigns": "campaigns/fields.json",
}
TAG_KEYS = {"activities": "activityTypes", "campaigns": "_types"}
CONTAINER_FILES = {
    "contactLists": "contacts/lists.json",
    "contactSegments": "contacts/segments.json",
    "contactFilters": "contacts/filters.json",
    "scoringModels": "contacts/scoringModels.json",
    "accountLists": "accounts/lists.json",
    "emailGroups": "emailGroups.json",
    "opportunityStages": "opportunities/stages.json",
    "externalAssetTypes": "activities/externalAssetTypes.json",
}
OBJECT_INDEXES = {"customObjects": "customObjects/index.json", "events": "events/index.json"}
RECORD_FILES = {
    "contacts": "contacts/records.jsonl",
    "accounts": "accounts/records.jsonl",
    "activities": "activities/records.jsonl",
    "campaign_responses": "campaignResponses/records.jsonl",
    "campaigns": "campaigns/records.jsonl",
    "eloqua_users": "users/records.jsonl",
}
# REST 2.0 elements by kind, at complete depth (see emulator.domain.rest_assets)
REST_FILES = {
    "campaigns": "rest/campaigns.json",
    "emails": "rest/emails.json",
    "forms": "rest/forms.json",
    "externals": "rest/externals.json",
    "emailGroups": "rest/emailGroups.json",
    "visitors": "rest/visitors.json",
}


class FixtureError(ValueError):
    pass


def digest(directory: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.suffix in (".json", ".jsonl")):
        sha.update(path.relative_to(directory).as_posix().encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()


def ensure_loaded(db: sqlite_utils.Database, directory: Path, now: float) -> bool:
    """Load the template unless these exact fixtures are already in; True if it loaded."""
    if not directory.is_dir():
        raise FixtureError(f"fixtures directory {directory} does not exist")
    current = digest(directory)
    identity.ensure_template_site(db, timestamps.from_epoch(now))
    if sites.get_meta(db, DIGEST_KEY) == current:
        return False
    sites.clear_template(db)
    load(db, directory)
    sites.set_meta(db, DIGEST_KEY, current)
    return True


def load(db: sqlite_utils.Database, directory: Path, site: int = sites.TEMPLATE_SITE) -> None:
    """The directory's catalogs and records into ``site`` (the template, site 0, unless
    another is named), which holds none yet."""
    for family, name in FIELD_FILES.items():
        items = read_json(directory / name)
        catalog.insert_fields(db, site, family, 0, (_field_row(family, i) for i in items))
    for family, name in CONTAINER_FILES.items():
        for item in read_json(directory / name):
            container_id = _id_of(item)
            catalog.insert_container(db, site, family, container_id, _public(item))
            catalog.insert_members(db, site, family, container_id, item.get("_members", []))
            scores = item.get("_scores", {})
            records.insert_rows(
                db,
                "lead_scores",
                site,
                (
                    {"model_id": container_id, "contact_id": int(contact), "fields": values}
                    for contact, values in scores.items()
                ),
            )
    for family, name in OBJECT_INDEXES.items():
        for item in read_json(directory / name):
            parent_id = _id_of(item)
            catalog.insert_container(db, site, family, parent_id, _public(item))
            catalog.insert_fields(
                db,
                site,
                family,
                parent_id,
                (_field_row(family, f) for f in item.get("_fields", [])),
            )
            path = directory / family / f"{parent_id}.jsonl"
            records.insert_rows(
                db,
                "object_records",
                site,
                (
                    {**_columns(r), "family": family, "parent_id": parent_id}
                    for r in read_jsonl(path)
                ),
            )
    for table, name in RECORD_FILES.items():
        path = directory / name
        try:
            records.insert_rows(db, table, site, (_columns(r) for r in read_jsonl(path)))
        except sqlite3.IntegrityError as exc:
            raise FixtureError(f"{path}: {exc}") from exc
    for kind, name in REST_FILES.items():
        rest_assets.insert(db, site, kind, read_json(directory / name))


def load_set(db: sqlite_utils.Database, directory: Path, site: int) -> None:
    """A fixture set from a client (``POST /_emulator/seed``) into a site: whatever stops
    it (a malformed file, an item without its keys, two records with one id) is a
    :class:`FixtureError`, and the caller's transaction takes back what was written."""
    if not directory.is_dir():
        raise FixtureError(f"{directory} is not a directory")
    try:
        load(db, directory, site)
    except FixtureError:
        raise
    except (sqlite3.Error, KeyError, TypeError, ValueError, AttributeError, OSError) as exc:
        raise FixtureError(f"{directory}: {type(exc).__name__}: {exc}") from exc


def _field_row(family: str, item: JSONObject) -> tuple[int, JSONObject, list[str]]:
    tag_key = TAG_KEYS.get(family)
    tags = list(item.get(tag_key, [])) if tag_key else []
    return _id_of(item), _public(item), tags


def _id_of(item: JSONObject) -> int:
    if isinstance(item.get("id"), int):
        return int(item["id"])
    uri = item.get("uri", "")
    match = re.search(r"/(\d+)$", uri) if isinstance(uri, str) else None
    if match is None:
        raise FixtureError(f"item has neither an integer id nor a uri ending in one: {item!r:.200}")
    return int(match.group(1))


def _public(item: JSONObject) -> JSONObject:
    return {k: v for k, v in item.items() if not k.startswith("_")}


_SNAKE = re.compile(r"(?<!^)(?=[A-Z])")


def _columns(record: JSONObject) -> JSONObject:
    """Fixture records use the API's camelCase; columns are snake_case."""
    return {_SNAKE.sub("_", key).lower(): value for key, value in record.items()}


def read_json(path: Path) -> list[JSONObject]:
    """A fixture file's JSON array of objects; a missing file is an empty catalog."""
    if not path.exists():
        return []
    try:
        data: Any = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise FixtureError(f"{path}: {exc}") from exc
    if not isinstance(data, list) or not all(isinstance(i, dict) for i in data):
        raise FixtureError(f"{path}: expected a JSON array of objects")
    return data


def read_jsonl(path: Path) -> Iterator[JSONObject]:
    """A fixture file's objects, one a line, each error with its path and line."""
    if not path.exists():
        return
    with path.open("rb") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise FixtureError(f"{path}:{number}: {exc}") from exc
            if not isinstance(record, dict):
                raise FixtureError(f"{path}:{number}: expected a JSON object")
            yield record
