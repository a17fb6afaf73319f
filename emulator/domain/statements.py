"""The bridge between definitions and the statement languages: a :class:`StoreCatalog`
over the site's catalog tables, and checks that turn markup and filter problems into
``failures`` entries on the definition property they came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlite_utils

from emulator.core import constraints as c
from emulator.core import filters, markup
from emulator.core.errors import Failure
from emulator.store import catalog as rows

Resolved = markup.ResolvedField


class StoreCatalog:
    """``markup.Catalog`` over one site's rows, memoising what one request asks twice."""

    def __init__(self, db: sqlite_utils.Database, site_id: int) -> None:
        self.db = db
        self.site_id = site_id
        self._fields: dict[tuple[str, int, str], markup.FieldInfo | None] = {}

    def field(self, family: str, parent_id: int, statement: str) -> markup.FieldInfo | None:
        key = (family, parent_id, statement.lower())
        if key not in self._fields:
            data_type = rows.field_type_by_statement(
                self.db, self.site_id, family, parent_id, statement
            )
            self._fields[key] = None if data_type is None else markup.FieldInfo(data_type)
        return self._fields[key]

    def container_exists(self, family: str, id: int) -> bool:
        return rows.container_exists(self.db, self.site_id, family, id)


def entity(family: str, parent_id: int | None) -> markup.EntityRef:
    return markup.EntityRef(family, parent_id)


def field(
    text: str,
    at: markup.EntityRef,
    catalog: StoreCatalog,
    failures: list[Failure],
    name: str = "fields",
    key: str | None = None,
) -> Resolved | None:
    """A statement used as a column of the definition; a failure on ``name`` if it is not
    one of the entity's fields. A column (``key``) naming a field the catalog lacks fails
    as a pod's does: on the key, inside ``name``."""
    try:
        return markup.resolve_field(text, at, catalog)
    except markup.MarkupError as exc:
        if isinstance(exc, markup.UnknownField) and key is not None:
            failures.append(Failure(key, c.FIELD_NOT_EXISTING, text, trace=(name,)))
        else:
            failures.append(Failure(name, exc.message, text))
        return None


IDENTITY = {
    "contacts": (
        "{{Contact.Id}}",
        "{{Contact.Field(C_EmailAddress)}}",
        "{{Contact.Field(ContactIDExt)}}",
    ),
    "accounts": (
        "{{Account.Id}}",
        "{{Account.Field(M_CompanyName)}}",
        "{{Account.Field(CompanyIDExt)}}",
    ),
    "customObjects": ("{{CustomObject[{parentId}].Id}}", "{{CustomObject[{parentId}].ExternalId}}"),
}


def require_identity(resolved: Resolved, at: markup.EntityRef, failures: list[Failure]) -> None:
    """A sync-action definition's one field must identify the record (reference §5.3)."""
    allowed = [s.replace("{parentId}", str(at.parent_id)) for s in IDENTITY.get(at.family, ())]
    if resolved.text.lower() not in {s.lower() for s in allowed}:
        failures.append(
            Failure(
                "fields", c.SYNC_ACTION_IDENTITY.format(allowed=", ".join(allowed)), resolved.text
            )
        )


@dataclass(frozen=True)
class CheckedFilter:
    expression: Any
    uses_service_instance: bool


def export_filter(
    text: str, at: markup.EntityRef, catalog: StoreCatalog, failures: list[Failure]
) -> CheckedFilter | None:
    """Parse and validate an export filter (reference §7); problems go on ``filter``."""
    expression, problems = filters.check_filter(text, at, catalog)
    for problem in problems:
        failures.append(Failure("filter", problem.message, text))
    if expression is None or problems:
        return None
    return CheckedFilter(expression, filters.uses_service_instance(expression))


def sync_actions(
    actions: list[Any], at: markup.EntityRef, catalog: StoreCatalog, failures: list[Failure]
) -> list[dict[str, Any]] | None:
    """Each action checked against reference §8's table; echoed in canonical form."""
    echoed: list[dict[str, Any]] = []
    ok = True
    for raw in actions:
        action, problems = markup.check_sync_action(raw, at, catalog)
        for problem in problems:
            failures.append(Failure("syncActions", problem.message, problem.value))
        if action is None:
            ok = False
            continue
        item: dict[str, Any] = {
            "action": action.action,
            "destination": markup.format_statement(action.destination),
        }
        if action.status is not None:
            item["status"] = action.status
        if isinstance(raw, dict) and any(k.lower() == "updateall" for k in raw):
            item["updateAll"] = action.update_all
        echoed.append(item)
    return echoed if ok else None
