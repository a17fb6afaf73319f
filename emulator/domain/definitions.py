"""Import, export and sync-action definitions: validate like a pod, then store.

Every request is validated completely before anything is written, and all problems are
reported together (reference §13.2). What is stored is the public JSON exactly as later
served: defaults filled, unset properties left out, keys in a pod's order (reference §5).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
import sqlite_utils

from emulator import constraints as c
from emulator import timestamps
from emulator.domain import statements, validate
from emulator.domain.entities import (
    BY_NAME,
    EXPORTS,
    IMPORTS,
    KNOWN,
    READ_ONLY,
    SYNC_ACTIONS,
    Family,
    properties,
)
from emulator.durations import DAY, HOUR, parse_duration
from emulator.errors import Failure, NotFound, ValidationFailed
from emulator.listing import Kind, Listing, ListQuery, parse_list_query
from emulator.store import catalog as catalog_rows
from emulator.store import definitions as rows
from emulator.store.pages import Page
from emulator.types import JSONObject, Principal

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
UPDATE_RULES = ("always", "ifNewIsNotNull", "ifExistingIsNull", "useFieldRule")
IMPORT_RULES = ("createAndUpdate", "updateOnly", "createOnly")
IMPORT_RETENTION = "P7D"
PRIORITY_URI = re.compile(r"^/imports/priorities/\d+$")
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


def get(db: sqlite_utils.Database, principal: Principal, at: Where, id_: int, now: float) -> str:
    return _existing(db, principal, at, id_, now).item


def delete(
    db: sqlite_utils.Database, principal: Principal, at: Where, id_: int, now: float
) -> None:
    _existing(db, principal, at, id_, now)
    rows.delete(db, principal.site_id, at.kind, id_)


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
    item = {key: values[key] for key in properties(at.family.name, at.kind) if key in values}
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
    """Property names bind case-insensitively; read-only and inapplicable ones are dropped;
    ``null`` means absent (reference §3.3). Sync actions on a family that takes none are
    refused rather than dropped, since dropping them would silently lose the client's intent.
    """
    if not isinstance(body, dict):
        return {}, [Failure("body", c.BODY_NOT_OBJECT, body)]
    accepted = {name.lower(): name for name in properties(at.family.name, at.kind)}
    known = {name.lower() for name in KNOWN}
    read_only = {name.lower() for name in READ_ONLY}
    bound: dict[str, Any] = {}
    failures: list[Failure] = []
    for key, value in body.items():
        folded = key.lower()
        if folded not in known:
            failures.append(Failure(key, c.PROPERTY_UNKNOWN, value))
        elif folded == "syncactions" and folded not in accepted and value:
            failures.append(Failure(key, c.SYNC_ACTIONS_NONE, value))
        elif folded in accepted and folded not in read_only and value is not None:
            bound[accepted[folded]] = value
    return bound, failures


def _validated(
    db: sqlite_utils.Database, principal: Principal, at: Where, body: Any, export_retention: str
) -> JSONObject:
    raw, failures = _bind(body, at)
    out: JSONObject = {}
    family, kind = at.family.name, at.kind
    catalog = statements.StoreCatalog(db, principal.site_id)
    entity = statements.entity(family, at.parent_id)

    if "name" not in raw:
        failures.append(Failure("name", c.PROPERTY_REQUIRED, None))
    elif (name := validate.text(raw["name"], "name", failures)) is not None:
        out["name"] = name

    resolved = _fields(raw, at, entity, catalog, failures)
    if resolved is not None:
        out["fields"] = {key: r.text for key, r in resolved.items()}

    if kind == EXPORTS:
        _export_properties(raw, out, resolved, entity, catalog, family, failures)
        out.setdefault("dataRetentionDuration", export_retention)
    else:
        _identifier(raw, out, resolved, family, kind, failures)
        out["isSyncTriggeredOnImport"] = False
        if kind == IMPORTS:
            out["dataRetentionDuration"] = IMPORT_RETENTION
            out["isUpdatingMultipleMatchedRecords"] = False
            _import_properties(raw, out, resolved, at, catalog, failures)
        _booleans(raw, out, ("isSyncTriggeredOnImport",), failures)

    _durations(raw, out, kind, failures)
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
        elif (found := statements.field(statement, entity, catalog, failures)) is not None:
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
            failures.append(Failure("identifierFieldName", c.PROPERTY_REQUIRED, None))
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


def _import_properties(
    raw: JSONObject,
    out: JSONObject,
    resolved: dict[str, statements.Resolved] | None,
    at: Where,
    catalog: statements.StoreCatalog,
    failures: list[Failure],
) -> None:
    _booleans(
        raw,
        out,
        (
            "isUpdatingMultipleMatchedRecords",
            "nullIdentifierFieldName",
            "linkUsers",
            "mapDataCards",
            "mapDataCardsCaseSensitiveMatch",
            "isIdentifierFieldCaseSensitive",
            "linkOpportunitiesCaseSensitiveMatchField",
            "linkOpportunitiesCaseSensitiveSourceField",
            "linkOpportunitiesMultipleSourceMatches",
        ),
        failures,
    )
    _take(raw, out, "updateRule", lambda v, n, f: validate.enum(v, n, UPDATE_RULES, f), failures)
    if "updateRuleByField" in raw:
        _update_rule_by_field(raw["updateRuleByField"], out, resolved, failures)
    _take(raw, out, "importRule", lambda v, n, f: validate.enum(v, n, IMPORT_RULES, f), failures)
    _take(raw, out, "importPriorityUri", _priority_uri, failures)
    _take(raw, out, "externalSystemId", validate.integer, failures)
    _take(raw, out, "serviceInstanceId", validate.text, failures)
    if at.family.name in ("customObjects", "events"):
        _map_data_cards(raw, out, resolved, catalog, failures)
    if at.family.name == "opportunityContacts":
        _link_opportunities(raw, out, resolved, failures)


def _source_field(
    raw: JSONObject,
    out: JSONObject,
    name: str,
    resolved: dict[str, statements.Resolved] | None,
    failures: list[Failure],
) -> None:
    value = raw.get(name)
    if value is None:
        return
    if not isinstance(value, str) or (resolved is not None and value not in resolved):
        failures.append(Failure(name, c.SOURCE_FIELD, value))
    else:
        out[name] = value


def _map_data_cards(
    raw: JSONObject,
    out: JSONObject,
    resolved: dict[str, statements.Resolved] | None,
    catalog: statements.StoreCatalog,
    failures: list[Failure],
) -> None:
    """Linking custom object or event records to contacts or accounts (reference §12.2)."""
    entity_type = raw.get("mapDataCardsEntityType")
    if entity_type is not None:
        entity_type = validate.enum(
            entity_type, "mapDataCardsEntityType", ("Contact", "Company"), failures
        )
        if entity_type:
            out["mapDataCardsEntityType"] = entity_type
    if "mapDataCardsEntityField" in raw:
        field = raw["mapDataCardsEntityField"]
        target = statements.entity("accounts" if entity_type == "Company" else "contacts", None)
        if not isinstance(field, str):
            failures.append(Failure("mapDataCardsEntityField", c.FIELD_STATEMENT_TEXT, field))
        elif statements.field(field, target, catalog, failures, "mapDataCardsEntityField"):
            out["mapDataCardsEntityField"] = field
    _source_field(raw, out, "mapDataCardsSourceField", resolved, failures)
    if out.get("mapDataCards"):
        for name in (
            "mapDataCardsEntityType",
            "mapDataCardsEntityField",
            "mapDataCardsSourceField",
        ):
            if name not in raw:
                failures.append(Failure(name, c.PROPERTY_REQUIRED, None))


def _link_opportunities(
    raw: JSONObject,
    out: JSONObject,
    resolved: dict[str, statements.Resolved] | None,
    failures: list[Failure],
) -> None:
    """Opportunity-to-contact linkage imports (reference §12.3)."""
    for name in (
        "linkOpportunitiesEntityType",
        "linkOpportunitiesMatchFieldName",
        "linkOpportunitiesSourceField",
    ):
        if name not in raw:
            failures.append(Failure(name, c.PROPERTY_REQUIRED, None))
    if "linkOpportunitiesEntityType" in raw:
        kind = validate.enum(
            raw["linkOpportunitiesEntityType"],
            "linkOpportunitiesEntityType",
            ("Contact", "Account"),
            failures,
        )
        if kind:
            out["linkOpportunitiesEntityType"] = kind
    _source_field(raw, out, "linkOpportunitiesMatchFieldName", resolved, failures)
    _source_field(raw, out, "linkOpportunitiesSourceField", resolved, failures)


def _update_rule_by_field(
    value: Any,
    out: JSONObject,
    resolved: dict[str, statements.Resolved] | None,
    failures: list[Failure],
) -> None:
    if not isinstance(value, dict):
        failures.append(Failure("updateRuleByField", c.FIELDS_OBJECT, value))
        return
    rules: dict[str, str] = {}
    for key, rule in value.items():
        if resolved is not None and key not in resolved:
            failures.append(Failure("updateRuleByField", c.UPDATE_RULE_FIELD, key))
        elif checked := validate.enum(rule, "updateRuleByField", UPDATE_RULES, failures):
            rules[key] = checked
    out["updateRuleByField"] = rules


def _export_properties(
    raw: JSONObject,
    out: JSONObject,
    resolved: dict[str, statements.Resolved] | None,
    entity: Any,
    catalog: statements.StoreCatalog,
    family: str,
    failures: list[Failure],
) -> None:
    uses_instance = False
    if "filter" in raw:
        text = raw["filter"]
        if not isinstance(text, str):
            failures.append(Failure("filter", c.FILTER_TEXT, text))
        elif (checked := statements.export_filter(text, entity, catalog, failures)) is not None:
            out["filter"] = text
            uses_instance = checked.uses_service_instance
    if resolved is not None:
        high = 249 if uses_instance else 250
        if len(resolved) > high:
            failures.append(Failure("fields", c.FIELDS_COUNT.format(high=high), raw["fields"]))
        if family == "activities" and sum(r.is_contact_field for r in resolved.values()) > 10:
            failures.append(Failure("fields", c.ACTIVITY_CONTACT_FIELDS, raw["fields"]))
    _booleans(raw, out, ("areSystemTimestampsInUTC",), failures)
    _take(raw, out, "maxRecords", lambda v, n, f: validate.integer(v, n, f, low=1), failures)
    _take(raw, out, "crmAccountIdField", validate.text, failures)
    _take(raw, out, "productIdField", validate.text, failures)
    _take(raw, out, "externalSystemId", validate.integer, failures)


Check = Callable[[Any, str, list[Failure]], Any]


def _take(
    raw: JSONObject, out: JSONObject, name: str, check: Check, failures: list[Failure]
) -> None:
    """Copy ``raw[name]`` to ``out`` if it is present and passes ``check``."""
    if name in raw and (value := check(raw[name], name, failures)) is not None:
        out[name] = value


def _priority_uri(value: Any, name: str, failures: list[Failure]) -> str | None:
    if isinstance(value, str) and PRIORITY_URI.match(value):
        return value
    failures.append(Failure(name, c.IMPORT_PRIORITY_URI, value))
    return None


def _booleans(
    raw: JSONObject, out: JSONObject, names: tuple[str, ...], failures: list[Failure]
) -> None:
    for name in names:
        _take(raw, out, name, validate.boolean, failures)


def _durations(raw: JSONObject, out: JSONObject, kind: str, failures: list[Failure]) -> None:
    if "dataRetentionDuration" in raw and kind != SYNC_ACTIONS:
        value = validate.duration(
            raw["dataRetentionDuration"],
            "dataRetentionDuration",
            failures,
            low=HOUR,
            high=14 * DAY,
            constraint=c.RETENTION_RANGE,
        )
        if value is not None:
            out["dataRetentionDuration"] = value
    if "autoDeleteDuration" in raw:
        value = validate.duration(
            raw["autoDeleteDuration"],
            "autoDeleteDuration",
            failures,
            low=HOUR,
            high=None,
            constraint=c.AUTO_DELETE_RANGE,
        )
        if value is not None:
            out["autoDeleteDuration"] = value


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
