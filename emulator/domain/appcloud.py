"""Eloqua's side of AppCloud (reference §14), driven through the control plane: service
instances on a canvas, executions holding the records that entered a step (``pending``),
and the notification Eloqua sends the app for each execution.

Where we decide for Eloqua: instances are created by the control plane, not by the create
URL handshake; with *records per notification* 0 the envelope has ``totalResults`` (the
members), ``count`` 0 and no items; unknown URL template parameters are left as written.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import orjson
import sqlite_utils

from emulator.core import constraints as c
from emulator.core import filters, markup, redaction
from emulator.core.errors import Failure, NotFound, ValidationFailed
from emulator.core.timestamps import from_epoch
from emulator.core.types import JSONObject
from emulator.domain import exports, statements, validate
from emulator.store import appcloud as rows
from emulator.store import catalog as catalog_rows
from emulator.store import definitions as sequences
from emulator.store import identity

# Each type and how Bulk statements name its instances; content services have no Bulk
# statement (they serve e-mail and landing page content, not records in a step).
TYPES = {
    "action": "ActionInstance",
    "decision": "DecisionInstance",
    "feeder": "FeederInstance",
    "content": None,
}
ENTITY = re.compile(r"^(contacts|customObjects/([1-9]\d{0,17}))$")  # an id SQLite can hold
DASHED = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
NOTIFICATION_URL = re.compile(r"^https?://\S+$")
MAX_PER_NOTIFICATION = 5000
MAX_RECORDS = 100_000
MAX_ID = 2**63 - 1
DEFAULT_RECORD_DEFINITION = {
    "contacts": {
        "ContactID": "{{Contact.Id}}",
        "EmailAddress": "{{Contact.Field(C_EmailAddress)}}",
    },
}


def dashless(guid: str) -> str:
    return guid.replace("-", "").lower()


def create_instance(db: sqlite_utils.Database, body: Any, now: float) -> JSONObject:
    if not isinstance(body, dict):
        raise ValidationFailed([Failure("body", c.BODY_NOT_OBJECT, body)])
    failures: list[Failure] = []
    site = identity.find_site(db, str(body.get("site", "")))
    if site is None:
        failures.append(Failure("site", c.SITE_UNKNOWN, body.get("site")))
    kind = body.get("type")
    if not (isinstance(kind, str) and kind in TYPES):
        failures.append(Failure("type", c.APPCLOUD_TYPE, kind))
    entity = body.get("entity", "contacts")
    matched = ENTITY.match(entity) if isinstance(entity, str) else None
    if matched is None:
        failures.append(Failure("entity", c.APPCLOUD_ENTITY, entity))
    url = body.get("notificationUrl")
    if url is not None:
        validate.outbound_url(
            url, "notificationUrl", failures, form=NOTIFICATION_URL, constraint=c.APPCLOUD_URL
        )
    per = body.get("recordsPerNotification", 0)
    if not (
        isinstance(per, int) and not isinstance(per, bool) and 0 <= per <= MAX_PER_NOTIFICATION
    ):
        failures.append(Failure("recordsPerNotification", c.APPCLOUD_PER_NOTIFICATION, per))
    guid = body.get("instanceId") or str(uuid.uuid4())
    if not (isinstance(guid, str) and DASHED.match(guid)):
        failures.append(Failure("instanceId", c.APPCLOUD_INSTANCE_ID, guid))
    if failures or site is None or matched is None:
        raise ValidationFailed(failures)
    family = "contacts" if matched.group(2) is None else "customObjects"
    parent_id = int(matched.group(2) or 0)
    if parent_id and not catalog_rows.container_exists(db, site[0], "customObjects", parent_id):
        raise ValidationFailed([Failure("entity", c.APPCLOUD_ENTITY_UNKNOWN, entity)])
    definition = body.get("recordDefinition", DEFAULT_RECORD_DEFINITION.get(family, {}))
    _check_record_definition(db, site[0], family, parent_id, definition)
    if rows.find_instance(db, dashless(guid)) is not None:
        raise ValidationFailed([Failure("instanceId", c.APPCLOUD_INSTANCE_TAKEN, guid)])
    instance = rows.Instance(
        site[0],
        dashless(guid),
        guid.lower(),
        str(kind),
        family,
        parent_id,
        url,
        per,
        definition,
        from_epoch(now),
    )
    rows.insert_instance(db, instance)
    return describe(instance, site[1])


def _check_record_definition(
    db: sqlite_utils.Database, site_id: int, family: str, parent_id: int, definition: Any
) -> None:
    if not isinstance(definition, dict) or len(definition) > 249:
        raise ValidationFailed([Failure("recordDefinition", c.APPCLOUD_DEFINITION, definition)])
    catalog = statements.StoreCatalog(db, site_id)
    entity = statements.entity(family, parent_id or None)
    failures: list[Failure] = []
    for key, text in definition.items():
        if not isinstance(text, str):
            failures.append(Failure(f"recordDefinition.{key}", c.APPCLOUD_DEFINITION, text))
            continue
        statements.field(text, entity, catalog, failures, name=f"recordDefinition.{key}")
    if failures:
        raise ValidationFailed(failures)


def describe(instance: rows.Instance, site: str) -> JSONObject:
    kind = TYPES[instance.type]
    entity = "contacts" if instance.family == "contacts" else f"customObjects/{instance.parent_id}"
    statement = f"{{{{{kind}({instance.id})}}}}" if kind else None
    return {
        "instanceId": instance.guid,
        "site": site,
        "type": instance.type,
        "entity": entity,
        "notificationUrl": _shown(instance.notification_url),
        "recordsPerNotification": instance.records_per_notification,
        "recordDefinition": instance.record_definition,
        "statement": statement,
        "createdAt": instance.created_at,
    }


def _shown(url: str | None) -> str | None:
    """A notification URL as shown: credentials in one stored before they were refused
    are masked."""
    return None if url is None else redaction.masked(url)


def _instance(db: sqlite_utils.Database, guid: str) -> rows.Instance:
    found = rows.find_instance(db, dashless(guid)) if DASHED.match(guid) else None
    if found is None:
        raise NotFound([Failure("instanceId", c.APPCLOUD_INSTANCE_UNKNOWN, guid)])
    return found


def delete_instance(db: sqlite_utils.Database, guid: str) -> None:
    """The step leaves the canvas: its executions and members go with it, and exports that
    name it are refused from now on."""
    instance = _instance(db, guid)
    rows.delete_instance(db, instance.site_id, instance.id)


@dataclass(frozen=True)
class Notification:
    """One call to the app: where, the envelope, and where to record the answer."""

    site_id: int
    instance: str
    execution: int
    ordinal: int
    url: str
    body: JSONObject


def create_execution(
    db: sqlite_utils.Database, guid: str, body: Any, now: float
) -> tuple[JSONObject, list[Notification]]:
    """Records enter the step: a new execution with every record ``pending``, and the
    notifications to send (none without a notification URL)."""
    instance = _instance(db, guid)
    if not isinstance(body, dict):
        raise ValidationFailed([Failure("body", c.BODY_NOT_OBJECT, body)])
    ids = body.get("recordIds")
    if not (isinstance(ids, list) and 0 < len(ids) <= MAX_RECORDS and all(map(_id, ids))):
        shown = ids[:20] if isinstance(ids, list) else ids
        raise ValidationFailed([Failure("recordIds", c.APPCLOUD_RECORD_IDS, shown)])
    asset_id = body.get("assetId", 0)
    if not (_id(asset_id) or (asset_id == 0 and not isinstance(asset_id, bool))):
        raise ValidationFailed([Failure("assetId", c.APPCLOUD_ASSET_ID, asset_id)])
    for name in ("assetName", "assetType"):
        if not isinstance(body.get(name, ""), str):
            raise ValidationFailed([Failure(name, c.APPCLOUD_TEXT, body[name])])
    wanted = body.get("executionId")
    if wanted is not None and not _id(wanted):
        raise ValidationFailed([Failure("executionId", c.APPCLOUD_EXECUTION_ID, wanted)])
    if wanted is not None and rows.execution_taken(db, instance.site_id, wanted):
        raise ValidationFailed([Failure("executionId", c.APPCLOUD_EXECUTION_TAKEN, wanted)])
    record_ids = sorted(set(ids))
    found = rows.existing_records(db, instance, record_ids)
    missing = [i for i in record_ids if i not in found]
    if missing:
        raise ValidationFailed([Failure("recordIds", c.APPCLOUD_RECORD_UNKNOWN, missing[:20])])
    execution = wanted or sequences.next_id(db, instance.site_id, "executions")
    while wanted is None and rows.execution_taken(db, instance.site_id, execution):
        execution = sequences.next_id(db, instance.site_id, "executions")
    rows.insert_execution(db, instance, execution, asset_id, record_ids, from_epoch(now))
    site = identity.site_name(db, instance.site_id)
    notifications = _notifications(db, instance, execution, site, body, len(record_ids))
    for n in notifications:
        rows.insert_notification(
            db,
            n.site_id,
            n.instance,
            n.execution,
            n.ordinal,
            redaction.masked(n.url),
            len(n.body["items"]),
        )
    return _execution(db, instance, execution), notifications


def _id(value: Any) -> bool:
    """A positive integer SQLite can store."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def _notifications(
    db: sqlite_utils.Database,
    instance: rows.Instance,
    execution: int,
    site: str,
    body: JSONObject,
    total: int,
) -> list[Notification]:
    if not instance.notification_url:
        return []
    url = _url(instance, execution, site, body)
    per = instance.records_per_notification
    if per == 0:
        envelope: JSONObject = {
            "offset": 0,
            "limit": 0,
            "totalResults": total,
            "count": 0,
            "hasMore": False,
            "items": [],
        }
        return [Notification(instance.site_id, instance.id, execution, 1, url, envelope)]
    items = _items(db, instance, execution)
    pages = []
    for ordinal, offset in enumerate(range(0, len(items), per), 1):
        page = items[offset : offset + per]
        envelope = {
            "offset": offset,
            "limit": per,
            "totalResults": len(items),
            "count": len(page),
            "hasMore": offset + len(page) < len(items),
            "items": page,
        }
        pages.append(Notification(instance.site_id, instance.id, execution, ordinal, url, envelope))
    return pages


def _items(db: sqlite_utils.Database, instance: rows.Instance, execution: int) -> list[JSONObject]:
    """The members shaped by the record definition, as an export of those fields shows them."""
    catalog = statements.StoreCatalog(db, instance.site_id)
    entity = statements.entity(instance.family, instance.parent_id or None)
    shape = exports.projection(catalog, entity, instance.record_definition, utc=False)
    return [
        orjson.loads(item) for item in rows.member_items(db, instance, execution, shape.projection)
    ]


def _url(instance: rows.Instance, execution: int, site: str, body: JSONObject) -> str:
    """The notification URL template filled in (reference §14, AppCloud URL parameters)."""
    values: dict[str, Any] = {
        "InstanceId": instance.guid,
        "ExecutionId": execution,
        "AssetId": body.get("assetId", 0),
        "AssetName": body.get("assetName", ""),
        "AssetType": body.get("assetType", "Campaign"),
        "SiteName": site,
        "SiteId": instance.site_id,
        "EntityType": "Contacts" if instance.family == "contacts" else "CustomObjectRecords",
        "CustomObjectId": instance.parent_id or "",
    }
    url = str(instance.notification_url)
    for name, value in values.items():
        url = url.replace(f"{{{name}}}", quote(str(value), safe=""))
    return url


def get_execution(db: sqlite_utils.Database, guid: str, execution: int) -> JSONObject:
    return _execution(db, _instance(db, guid), execution)


def _execution(db: sqlite_utils.Database, instance: rows.Instance, execution: int) -> JSONObject:
    found = (
        rows.get_execution(db, instance.site_id, instance.id, execution) if _id(execution) else None
    )
    if found is None:
        raise NotFound([Failure("executionId", c.APPCLOUD_EXECUTION_UNKNOWN, execution)])
    kind = TYPES[instance.type]
    statement = f"{{{{{kind}({instance.id}).Execution[{execution}]}}}}" if kind else None
    members = rows.members(db, instance.site_id, instance.id, execution)
    return {
        "instanceId": instance.guid,
        "executionId": execution,
        "assetId": found[0],
        "createdAt": found[1],
        "statement": statement,
        "members": [{"recordId": r, "status": s} for r, s in members],
        "notifications": [
            {**note, "url": _shown(note["url"])}
            for note in rows.notifications(db, instance.site_id, instance.id, execution)
        ],
    }


def record_answer(
    db: sqlite_utils.Database, note: Notification, status: int | None, error: str | None, now: float
) -> None:
    rows.record_answer(
        db,
        note.site_id,
        note.instance,
        note.execution,
        note.ordinal,
        status,
        error,
        from_epoch(now),
    )


def missing_instances(
    db: sqlite_utils.Database, site_id: int, definition: JSONObject
) -> list[Failure]:
    """Since 20D a sync refuses a definition whose filter or sync actions name a service
    instance no longer on a canvas (reference §13.2); one failure per property."""
    failures: list[Failure] = []
    text = definition.get("filter")
    if isinstance(text, str) and text:
        named = [
            leaf.instance.instance
            for leaf in filters.leaves(filters.parse_filter(text))
            if isinstance(leaf, filters.Status)
        ]
        if any(rows.get_instance(db, site_id, i) is None for i in named):
            failures.append(Failure("filter", c.SERVICE_INSTANCE_GONE, text))
    for action in definition.get("syncActions") or []:
        node = markup.parse_node(str(action.get("destination", "")))
        if isinstance(node, markup.ServiceInstance) and (
            rows.get_instance(db, site_id, node.instance) is None
        ):
            failures.append(Failure("syncActions", c.SERVICE_INSTANCE_GONE, action["destination"]))
    return failures
