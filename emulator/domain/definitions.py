"""Import, export and sync-action definitions: validate like a pod, then store.

Every request is validated completely before anything is written, and all problems are
reported together (reference §13.2). What is stored is the public JSON exactly as later
served: defaults filled, unset properties left out, keys in a pod's order (reference §5).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
import sqlite_utils

from emulator.core import constraints as c
from emulator.core import timestamps
from emulator.core.durations import parse_duration
from emulator.core.errors import Failure, NotFound, ValidationFailed
from emulator.core.listing import Kind, Listing, ListQuery, parse_list_query
from emulator.core.types import JSONObject, Principal
from emulator.domain import appcloud, properties, statements, validate
from emulator.domain.entities import (
    BY_NAME,
    EXPORTS,
    IMPORTS,
    READ_ONLY,
    SYNC_ACTIONS,
    Family,
    writable,
)
from emulator.store import catalog as catalog_rows
from emulator.store import definitions as rows
from emulator.store import staging as staged
from emulator.store.pages import Page

LISTING = Listing(
    {
        "id": Kind.NUMBER,
        "name": Kind.TEXT,
        "uri": Kind.TEXT,
        "createdAt": Kind.TIMESTAMP,
        "updatedAt": Kind.TIMESTAMP,
        "createdBy": Kind.TEXT,
        "updatedBy": Kind.TEXT,
        "identifierFieldName": Kind.TEXT,
        "filter": Kind.TEXT,
        "isSyncTriggeredOnImport": Kind.BOOLEAN,
        "dataRetentionDuration": Kind.TEXT,
        "autoDeleteDuration": Kind.TEXT,
    }
)
IMPORT_RETENTION = "P7D"
MAX_FIELDS = {IMPORTS: 100, EXPORTS: 250, SYNC_ACTIONS: 1}
IDENTIFIER_REQUIRED = {"contacts", "accounts", "customObjects", "opportunities"}
BAD_IDENTIFIER_TYPES = {"largetext", "date", "boolean"}
OPPORTUNITY_REQUIRED = (
    "{{Opportunity.Id}}",
    "{{Opportunity.Field(Name)}}",
    "{{Opportunity.Field(Stage)}}",
    "{{Opportunity.Field(Amount)}}",
)


@dataclass(frozen=True)
class Where:
    """Which collection a request addresses: family, kind and the path's parent id."""

    family: Family
    kind: str
    parent_id: int | None = None

    @property
    def collection(self) -> str:
        return self.family.collection(self.kind, self.parent_id)

    def uri(self, id_: int) -> str:
        return f"{self.collection}/{id_}"


def where(family: str, kind: str, parent_id: int | None = None) -> Where:
    return Where(BY_NAME[family], kind, parent_id)


def create(
    db: sqlite_utils.Database,
    principal: Principal,
    at: Where,
    body: Any,
    now: float,
    export_retention: str,
) -> str:
    _require_parent(db, principal, at)
    values = _validated(db, principal, at, body, export_retention)
    rows.purge_expired(db, now)
    id_ = rows.next_id(db, principal.site_id, at.kind)
    stamp = timestamps.from_epoch(now)
    item = _render(at, id_, values, principal.username, stamp, principal.username, stamp)
    rows.save(db, _row(principal, at, id_, item, values, now))
    return item


def replace(
    db: sqlite_utils.Database,
    principal: Principal,
    at: Where,
    id_: int,
    body: Any,
    now: float,
    export_retention: str,
) -> str:
    """PUT replaces the whole definition: required properties must be sent again (§5.4)."""
    existing = _existing(db, principal, at, id_, now)
    old = orjson.loads(existing.item)
    values = _validated(db, principal, at, body, export_retention)
    item = _render(
        at,
        id_,
        values,
        old["createdBy"],
        old["createdAt"],
        principal.username,
        timestamps.from_epoch(now),
    )
    rows.save(db, _row(principal, at, id_, item, values, now))
    return item


def revalidate(db: sqlite_utils.Database, principal: Principal, at: Where, item: str) -> None:
    """Since 20D a definition is validated again when a sync is created (reference §5.4):
    a field, list or instance removed since it was saved is a 400 on ``POST /syncs``."""
    definition = orjson.loads(item)
    _validated(db, principal, at, definition, "PT6H")
    missing = appcloud.missing_instances(db, principal.site_id, definition)
    if missing:
        raise ValidationFailed(missing)


def get(db: sqlite_utils.Database, principal: Principal, at: Where, id_: int, now: float) -> str:
    return _existing(db, principal, at, id_, now).item


def delete(
    db: sqlite_utils.Database, principal: Principal, at: Where, id_: int, now: float
) -> None:
    _existing(db, principal, at, id_, now)
    rows.delete(db, principal.site_id, at.kind, id_)
    staged.delete_files(db, staged.open_file_ids(db, principal.site_id, at.kind, id_))


def list_definitions(
    db: sqlite_utils.Database,
    principal: Principal,
    at: Where | None,
    kind: str,
    params: Mapping[str, str],
    limit_max: int,
    now: float,
) -> tuple[Page, ListQuery]:
    """One family's definitions of a kind, or (``at`` None) every family's: ``/imports``."""
    query = parse_list_query(params, LISTING, limit_max=limit_max)
    if at is not None:
        _require_parent(db, principal, at)
    family = at.family.name if at else None
    parent = at.parent_id if at else None
    return rows.page(db, principal.site_id, kind, family, parent, LISTING, query, now), query


def _existing(
    db: sqlite_utils.Database, principal: Principal, at: Where, id_: int, now: float
) -> rows.Row:
    _require_parent(db, principal, at)
    found = rows.get(db, principal.site_id, at.kind, at.family.name, at.parent_id or 0, id_, now)
    if found is None:
        raise NotFound.resource(at.uri(id_))
    return found


def _require_parent(db: sqlite_utils.Database, principal: Principal, at: Where) -> None:
    parent = at.family.parent
    if parent and not catalog_rows.container_exists(
        db, principal.site_id, parent, at.parent_id or 0
    ):
        raise NotFound.resource(at.collection)


def _row(
    principal: Principal, at: Where, id_: int, item: str, values: JSONObject, now: float
) -> rows.Row:
    auto_delete = values.get("autoDeleteDuration")
    seconds = parse_duration(auto_delete) if isinstance(auto_delete, str) else None
    delete_at = now + seconds if seconds is not None else None
    return rows.Row(
        principal.site_id, at.kind, id_, at.family.name, at.parent_id or 0, item, delete_at
    )


def _render(
    at: Where,
    id_: int,
    values: JSONObject,
    created_by: str,
    created_at: str,
    updated_by: str,
    updated_at: str,
) -> str:
    item = {key: values[key] for key in writable(at.family.name, at.kind) if key in values}
    item.update(
        {
            "uri": at.uri(id_),
            "createdBy": created_by,
            "createdAt": created_at,
            "updatedBy": updated_by,
            "updatedAt": updated_at,
        }
    )
    return orjson.dumps(item).decode()


def _bind(body: Any, at: Where) -> tuple[dict[str, Any], list[Failure]]:
    """Property names bind case-insensitively; read-only, inapplicable and unknown ones are
    dropped and ``null`` means absent, as on a pod (reference §3.3: an import carrying
    ``areSystemTimestampsInUTC`` gets 201; eloqua-python-sdk sends the misspelt
    ``mapDataCardsSensitiveMatch`` on every custom object import). Sync actions on a family
    that takes none are refused rather than dropped: dropping them would lose the client's
    intent silently.
    """
    if not isinstance(body, dict):
        return {}, [Failure("body", c.BODY_NOT_OBJECT, body)]
    accepted = {name.lower(): name for name in writable(at.family.name, at.kind)}
    read_only = {name.lower() for name in READ_ONLY}
    bound: dict[str, Any] = {}
    failures: list[Failure] = []
    for key, value in body.items():
        folded = key.lower()
        if folded == "syncactions" and folded not in accepted and value:
            failures.append(Failure(key, c.SYNC_ACTIONS_NONE, value))
        elif folded in accepted and folded not in read_only and value is not None:
            bound[accepted[folded]] = value
    return bound, failures


def _validated(
    db: sqlite_utils.Database, principal: Principal, at: Where, body: Any, export_retention: str
) -> JSONObject:
    raw, failures = _bind(body, at)
    if not isinstance(body, dict):
        raise ValidationFailed(failures)
    out: JSONObject = {}
    family, kind = at.family.name, at.kind
    catalog = statements.StoreCatalog(db, principal.site_id)
    entity = statements.entity(family, at.parent_id)

    if "name" not in raw:
        failures.append(_missing_string("name"))
    elif (name := validate.text(raw["name"], "name", failures)) is not None:
        out["name"] = name

    resolved = _fields(raw, at, entity, catalog, failures)
    if resolved is not None:
        out["fields"] = {key: r.text for key, r in resolved.items()}

    if kind == EXPORTS:
        properties.export_properties(raw, out, resolved, entity, catalog, family, failures)
        out.setdefault("dataRetentionDuration", export_retention)
    else:
        _identifier(raw, out, resolved, family, kind, failures)
        out["isSyncTriggeredOnImport"] = False
        if kind == IMPORTS:
            out["dataRetentionDuration"] = IMPORT_RETENTION
            out["isUpdatingMultipleMatchedRecords"] = False
            properties.import_properties(raw, out, resolved, family, catalog, failures)
        properties.booleans(raw, out, ("isSyncTriggeredOnImport",), failures)

    properties.durations(raw, out, kind, failures)
    _sync_actions(raw, out, at, entity, catalog, failures)
    if failures:
        raise ValidationFailed(failures)
    return out


def _fields(
    raw: JSONObject,
    at: Where,
    entity: Any,
    catalog: statements.StoreCatalog,
    failures: list[Failure],
) -> dict[str, statements.Resolved] | None:
    fields = raw.get("fields")
    if fields is None:
        failures.append(Failure("fields", c.PROPERTY_REQUIRED, None))
        return None
    high = MAX_FIELDS[at.kind]
    if not isinstance(fields, dict):
        failures.append(Failure("fields", c.FIELDS_OBJECT, fields))
        return None
    if at.kind == SYNC_ACTIONS and len(fields) != 1:
        failures.append(Failure("fields", c.SYNC_ACTION_FIELDS, fields))
        return None
    if not 1 <= len(fields) <= high:
        failures.append(Failure("fields", c.FIELDS_COUNT.format(high=high), fields))
        return None
    resolved: dict[str, statements.Resolved] = {}
    for key, statement in fields.items():
        if not 1 <= len(key) <= 100:
            failures.append(Failure("fields", c.FIELD_NAME, key))
        elif not isinstance(statement, str):
            failures.append(Failure("fields", c.FIELD_STATEMENT_TEXT, statement))
        elif (found := statements.field(statement, entity, catalog, failures, key=key)) is not None:
            resolved[key] = found
    if len(resolved) != len(fields):
        return None
    if at.kind == SYNC_ACTIONS:
        statements.require_identity(next(iter(resolved.values())), entity, failures)
    if at.family.name == "opportunities":
        present = {r.text.lower() for r in resolved.values()}
        missing = [s for s in OPPORTUNITY_REQUIRED if s.lower() not in present]
        if missing:
            failures.append(
                Failure(
                    "fields", c.OPPORTUNITY_REQUIRED.format(statements=", ".join(missing)), fields
                )
            )
    return resolved


def _missing_string(name: str) -> Failure:
    """A missing string property: a pod states the string's constraint and no value
    (recorded for identifierFieldName, reference §18)."""
    return Failure(name, c.STRING_LENGTH.format(low=1, high=100), has_value=False)


def _identifier(
    raw: JSONObject,
    out: JSONObject,
    resolved: dict[str, statements.Resolved] | None,
    family: str,
    kind: str,
    failures: list[Failure],
) -> None:
    value = raw.get("identifierFieldName")
    if value is None:
        if kind == SYNC_ACTIONS or (kind == IMPORTS and family in IDENTIFIER_REQUIRED):
            failures.append(_missing_string("identifierFieldName"))
        return
    name = validate.text(value, "identifierFieldName", failures)
    if name is None or resolved is None:
        return
    if name not in resolved:
        failures.append(
            Failure("identifierFieldName", c.IDENTIFIER_NOT_IN_FIELDS.format(name=name), name)
        )
    elif resolved[name].data_type.lower() in BAD_IDENTIFIER_TYPES:
        failures.append(Failure("identifierFieldName", c.IDENTIFIER_TYPE, name))
    elif family == "opportunities" and resolved[name].text.lower() != "{{opportunity.id}}":
        failures.append(Failure("identifierFieldName", c.IDENTIFIER_OPPORTUNITY, name))
    else:
        out["identifierFieldName"] = name


def _sync_actions(
    raw: JSONObject,
    out: JSONObject,
    at: Where,
    entity: Any,
    catalog: statements.StoreCatalog,
    failures: list[Failure],
) -> None:
    if "syncActions" not in raw:
        return
    actions = raw["syncActions"]
    if not isinstance(actions, list) or len(actions) > 10:
        failures.append(Failure("syncActions", c.SYNC_ACTIONS_LIST, actions))
        return
    checked = statements.sync_actions(actions, entity, catalog, failures)
    if checked is not None:
        out["syncActions"] = checked
