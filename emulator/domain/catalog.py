"""Read-only catalogs: field metadata, lists, segments, filters, scoring models, custom
object and event types, email groups (reference §4, §12, §15).

Each collection is described once in :data:`FIELD_FAMILIES` / :data:`CONTAINER_FAMILIES`;
the routes are built from the same tables, so adding a family is one line here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sqlite_utils

from emulator.core import constraints
from emulator.core.errors import Failure, NotFound, ValidationFailed
from emulator.core.listing import Kind, Listing, ListQuery, parse_list_query
from emulator.core.types import Principal
from emulator.store import catalog as rows
from emulator.store.pages import Page

ACTIVITY_TYPES = (
    "EmailOpen",
    "EmailClickthrough",
    "EmailSend",
    "Subscribe",
    "Unsubscribe",
    "Bounceback",
    "WebVisit",
    "PageView",
    "FormSubmit",
    "SmsSend",
    "SmsReply",
    "SmsClickthrough",
    "ExternalActivity",
)
CAMPAIGN_FIELD_TYPES = ("sourceCampaign", "activity", "campaignResponse")

_AUDIT = {
    "createdAt": Kind.TIMESTAMP,
    "updatedAt": Kind.TIMESTAMP,
    "createdBy": Kind.TEXT,
    "updatedBy": Kind.TEXT,
}
FIELD_LISTING = Listing(
    {
        "id": Kind.NUMBER,
        "name": Kind.TEXT,
        "internalName": Kind.TEXT,
        "dataType": Kind.TEXT,
        "statement": Kind.TEXT,
        "uri": Kind.TEXT,
        "defaultValue": Kind.TEXT,
        "hasReadOnlyConstraint": Kind.BOOLEAN,
        "hasNotNullConstraint": Kind.BOOLEAN,
        "hasUniquenessConstraint": Kind.BOOLEAN,
        **_AUDIT,
    }
)


@dataclass(frozen=True)
class FieldFamily:
    """Fields of one entity: ``/{path}`` (``{parentId}`` for per-object fields)."""

    family: str
    path: str
    parent: str | None = None  # container family of the parent, when nested
    tag_param: str | None = None  # query parameter filtering on the field's tags
    tag_values: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContainerFamily:
    family: str
    path: str
    listing: Listing


FIELD_FAMILIES = (
    FieldFamily("contacts", "/contacts/fields"),
    FieldFamily("accounts", "/accounts/fields"),
    FieldFamily(
        "activities", "/activities/fields", tag_param="activityType", tag_values=ACTIVITY_TYPES
    ),
    FieldFamily("customObjects", "/customObjects/{parentId}/fields", parent="customObjects"),
    FieldFamily("events", "/events/{parentId}/fields", parent="events"),
    FieldFamily("campaignResponses", "/campaignResponses/fields"),
    FieldFamily("opportunities", "/opportunities/fields"),
    FieldFamily(
        "campaigns", "/campaigns/fields", tag_param="type", tag_values=CAMPAIGN_FIELD_TYPES
    ),
)

_NAMED = {"id": Kind.NUMBER, "name": Kind.TEXT, "uri": Kind.TEXT, **_AUDIT}
_MEMBERSHIP = {**_NAMED, "statement": Kind.TEXT, "count": Kind.NUMBER}
CONTAINER_FAMILIES = (
    ContainerFamily("contactLists", "/contacts/lists", Listing(_MEMBERSHIP)),
    ContainerFamily(
        "contactSegments",
        "/contacts/segments",
        Listing({**_MEMBERSHIP, "executedAt": Kind.TIMESTAMP}),
    ),
    ContainerFamily(
        "contactFilters",
        "/contacts/filters",
        Listing({**_MEMBERSHIP, "executedAt": Kind.TIMESTAMP}),
    ),
    ContainerFamily(
        "scoringModels", "/contacts/scoring/models", Listing({**_NAMED, "status": Kind.TEXT})
    ),
    ContainerFamily("accountLists", "/accounts/lists", Listing(_MEMBERSHIP)),
    ContainerFamily("emailGroups", "/emailGroups", Listing({**_NAMED, "statement": Kind.TEXT})),
    ContainerFamily(
        "customObjects", "/customObjects", Listing({**_NAMED, "description": Kind.TEXT})
    ),
    ContainerFamily("events", "/events", Listing({**_NAMED, "description": Kind.TEXT})),
)
FIELDS_BY_FAMILY = {f.family: f for f in FIELD_FAMILIES}
CONTAINERS_BY_FAMILY = {f.family: f for f in CONTAINER_FAMILIES}


def list_fields(
    db: sqlite_utils.Database,
    principal: Principal,
    family: str,
    params: Mapping[str, str],
    limit_max: int,
    parent_id: int = 0,
) -> tuple[Page, ListQuery]:
    spec = FIELDS_BY_FAMILY[family]
    failures: list[Failure] = []
    tag = _tag(spec, params, failures)
    try:
        query = parse_list_query(params, FIELD_LISTING, limit_max=limit_max)
    except ValidationFailed as exc:
        raise ValidationFailed(failures + exc.failures) from None
    if failures:
        raise ValidationFailed(failures)
    _require_parent(db, principal, spec, parent_id)
    return rows.page_fields(
        db, principal.site_id, family, parent_id, FIELD_LISTING, query, tag
    ), query


def get_field(
    db: sqlite_utils.Database, principal: Principal, family: str, id_: int, parent_id: int = 0
) -> str:
    spec = FIELDS_BY_FAMILY[family]
    _require_parent(db, principal, spec, parent_id)
    item = rows.get_field(db, principal.site_id, family, parent_id, id_)
    if item is None:
        raise NotFound.resource(f"{spec.path.format(parentId=parent_id)}/{id_}")
    return item


def list_containers(
    db: sqlite_utils.Database,
    principal: Principal,
    family: str,
    params: Mapping[str, str],
    limit_max: int,
) -> tuple[Page, ListQuery]:
    spec = CONTAINERS_BY_FAMILY[family]
    query = parse_list_query(params, spec.listing, limit_max=limit_max)
    return rows.page_containers(db, principal.site_id, family, spec.listing, query), query


def get_container(db: sqlite_utils.Database, principal: Principal, family: str, id_: int) -> str:
    item = rows.get_container(db, principal.site_id, family, id_)
    if item is None:
        raise NotFound.resource(f"{CONTAINERS_BY_FAMILY[family].path}/{id_}")
    return item


def _require_parent(
    db: sqlite_utils.Database, principal: Principal, spec: FieldFamily, parent_id: int
) -> None:
    if spec.parent is not None and not rows.container_exists(
        db, principal.site_id, spec.parent, parent_id
    ):
        raise NotFound.resource(f"{CONTAINERS_BY_FAMILY[spec.parent].path}/{parent_id}")


def _tag(spec: FieldFamily, params: Mapping[str, str], failures: list[Failure]) -> str | None:
    if spec.tag_param is None or spec.tag_param not in params:
        return None
    raw = params[spec.tag_param]
    folded = {v.lower(): v for v in spec.tag_values}
    value = folded.get(raw.strip().lower())
    if value is None:
        failures.append(
            Failure(
                spec.tag_param,
                constraints.ENUM_VALUE.format(values=", ".join(spec.tag_values)),
                raw,
            )
        )
    return value
