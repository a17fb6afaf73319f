"""Applying an import sync to contacts, accounts, custom object and event records
(reference §10, §12): match on the identifier, honour the update and import rules, check
each value against its field's type, reject bad rows and keep the rest.

Runs inside the sync's one write transaction, batch by batch, so memory depends on the
batch size (plus the set of identifiers seen, needed to find duplicates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
import sqlite_utils

from emulator import markup, timestamps
from emulator.domain import statements
from emulator.domain.import_outcome import Outcome
from emulator.engine import logs
from emulator.store import catalog as catalog_rows
from emulator.store import records, staging
from emulator.types import JSONObject

EMAIL = re.compile(r"^[^@\s\"<>,;]+@[^@\s\"<>,;]+\.[^@\s\"<>,;]+$")
BOOLEANS = {"true": 1, "false": 0, "1": 1, "0": 0, "yes": 1, "no": 0}
DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d",
    "%Y-%m-%dT%H:%M:%S",
    "%m/%d/%Y",
    "%m/%d/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%SZ",
)
RECORD_FAMILIES = ("contacts", "accounts", "customObjects", "events")
BATCH = 1000


@dataclass(frozen=True)
class Target:
    """Where a column of staged data goes."""

    key: str
    kind: str  # id | external_id | field | flag | contact | ignored
    name: str
    data_type: str = "string"
    not_null: bool = False


def targets(
    db: sqlite_utils.Database, site_id: int, family: str, parent_id: int, definition: JSONObject
) -> dict[str, Target]:
    catalog = statements.StoreCatalog(db, site_id)
    entity = statements.entity(family, parent_id or None)
    found: dict[str, Target] = {}
    for key, text in definition["fields"].items():
        resolved = markup.resolve_field(text, entity, catalog)
        found[key] = _target(db, site_id, family, parent_id, key, resolved)
    return found


def _target(
    db: sqlite_utils.Database,
    site_id: int,
    family: str,
    parent_id: int,
    key: str,
    resolved: markup.ResolvedField,
) -> Target:
    node, data_type = resolved.node, resolved.data_type
    flags = catalog_rows.field_flags_by_statement(db, site_id, family, parent_id, resolved.text)
    not_null = bool(flags and flags[1])
    a = markup.ast
    if isinstance(node, a.ContactAttribute | a.AccountAttribute | a.CustomObjectAttribute):
        if node.attribute == "Id":
            return Target(key, "id", "id", "number")
        if node.attribute == "ExternalId":
            return Target(key, "external_id", "external_id")
        return Target(key, "ignored", node.attribute)
    if isinstance(node, a.ContactEmailAttribute):
        column = {
            "IsSubscribed": "is_subscribed",
            "IsBounced": "is_bounced",
            "Format": "email_format",
        }[node.attribute]
        return Target(key, "flag", column, "string" if column == "email_format" else "boolean")
    if isinstance(node, a.ContactField | a.AccountField):
        return Target(key, "field", node.name, data_type, not_null)
    if isinstance(node, a.CustomObjectField | a.EventField):
        return Target(key, "field", str(node.field_id), data_type, not_null)
    if isinstance(node, a.CustomObjectContactField):
        return Target(key, "contact", node.name, data_type)
    return Target(key, "ignored", resolved.text, data_type)


def apply(
    db: sqlite_utils.Database,
    site_id: int,
    sync_id: int,
    family: str,
    parent_id: int,
    definition: JSONObject,
    now: float,
) -> Outcome:
    fields = targets(db, site_id, family, parent_id, definition)
    identifier = fields.get(definition.get("identifierFieldName", ""))
    run = _Run(db, site_id, family, parent_id, definition, fields, identifier, now)
    outcome = run.outcome
    index = 0
    for file_id, rows, keys in staging.files_of_sync(db, site_id, sync_id):
        present = set(orjson.loads(keys))
        outcome.missing_keys += [(k, file_id) for k in fields if k not in present]
        for key in sorted(present - set(fields)):
            if key not in outcome.ignored_keys:
                outcome.ignored_keys.append(key)
        for batch in staging.rows_of_file(db, file_id, BATCH):
            run.batch([(index + n, orjson.loads(text)) for n, text in enumerate(batch, 1)])
            index += len(batch)
        outcome.staged += rows
    return outcome


class _Run:
    def __init__(
        self,
        db: sqlite_utils.Database,
        site_id: int,
        family: str,
        parent_id: int,
        definition: JSONObject,
        fields: dict[str, Target],
        identifier: Target | None,
        now: float,
    ) -> None:
        self.db, self.site_id, self.family, self.parent_id = db, site_id, family, parent_id
        self.fields, self.identifier = fields, identifier
        self.rule = definition.get("updateRule", "always")
        self.rules = definition.get("updateRuleByField", {})
        self.import_rule = definition.get("importRule", "createAndUpdate")
        self.update_all = bool(definition.get("isUpdatingMultipleMatchedRecords"))
        self.stamp = timestamps.from_epoch(now)
        self.seen: set[str] = set()
        self.next_id = records.next_record_id(db, family, parent_id, site_id)
        self.outcome = Outcome()
        self.column = self._match_column()
        self.cards = _data_cards(definition)

    def _match_column(self) -> str:
        target = self.identifier
        if target is None:
            return ""
        if target.kind in ("id", "external_id"):
            return target.kind
        if self.family == "contacts" and target.name.lower() == "c_emailaddress":
            return "email"
        return f"field:{target.name}"

    def _identity(self, value: str) -> str:
        return value.lower() if self.column == "email" else value

    def batch(self, rows: list[tuple[int, JSONObject]]) -> None:
        accepted: list[tuple[int, dict[str, str]]] = []
        for index, raw in rows:
            values = {k: _text(v) for k, v in raw.items()}
            if self._checked(index, values):
                accepted.append((index, values))
        wanted = [
            self._identity(v[self.identifier.key])
            for _, v in accepted
            if self.identifier and v.get(self.identifier.key)
        ]
        matches = (
            records.match(self.db, self.family, self.parent_id, self.site_id, self.column, wanted)
            if self.column
            else {}
        )
        existing = records.load(
            self.db,
            self.family,
            self.parent_id,
            self.site_id,
            sorted({i for ids in matches.values() for i in ids}),
        )
        creates: list[JSONObject] = []
        updates: list[JSONObject] = []
        for index, values in accepted:
            key = self._identity(values.get(self.identifier.key, "")) if self.identifier else ""
            ids = matches.get(key, []) if key else []
            if ids:
                if self.import_rule == "createOnly":
                    self.outcome.existing += 1
                    continue
                for record_id in ids if self.update_all else ids[:1]:
                    updates.append(self._update(existing[record_id], values))
            elif self.import_rule == "updateOnly" or (
                key and self.identifier and self.identifier.kind == "id"
            ):
                self.outcome.unmatched += 1
            elif (record := self._create(index, values)) is not None:
                creates.append(record)
        records.save(self.db, self.family, self.parent_id, self.site_id, updates, new=False)
        records.save(self.db, self.family, self.parent_id, self.site_id, creates, new=True)
        self.outcome.updated += len(updates)
        self.outcome.created += len(creates)

    def _checked(self, index: int, values: dict[str, str]) -> bool:
        """Type checks and duplicates; a failing row becomes a reject."""
        invalid_email = [
            t.key
            for t in self.fields.values()
            if t.data_type == "emailAddress"
            and values.get(t.key)
            and not EMAIL.match(values[t.key])
        ]
        if invalid_email:
            return self._reject(index, values, invalid_email, "ELQ-00002", "invalid_emails")
        invalid = [
            t.key
            for t in self.fields.values()
            if values.get(t.key) and not _valid(t.data_type, values[t.key])
        ]
        if invalid:
            return self._reject(index, values, invalid, "ELQ-00040", "invalid_values")
        if self.identifier is not None:
            value = values.get(self.identifier.key, "")
            if not value and self.identifier.kind not in ("id", "external_id"):
                return self._reject(index, values, [self.identifier.key], "ELQ-00061", "missing")
            if value:
                key = self._identity(value)
                if key in self.seen:
                    return self._reject(
                        index, values, [self.identifier.key], "ELQ-00026", "duplicates"
                    )
                self.seen.add(key)
        return True

    def _reject(
        self, index: int, values: dict[str, str], invalid: list[str], code: str, counter: str
    ) -> bool:
        setattr(self.outcome, counter, getattr(self.outcome, counter) + 1)
        self.outcome.rejects.append(
            (
                index,
                {
                    "fieldValues": {key: values.get(key, "") for key in self.fields},
                    "message": logs.REJECT_MESSAGES[code],
                    "statusCode": code,
                    "recordIndex": index,
                    "invalidFields": invalid,
                },
            )
        )
        return False

    def _create(self, index: int, values: dict[str, str]) -> JSONObject | None:
        missing = [
            t.key
            for t in self.fields.values()
            if t.kind == "field" and t.not_null and not values.get(t.key)
        ]
        if missing:
            self._reject(index, values, missing, "ELQ-00061", "missing")
            return None
        record: JSONObject = {
            "id": self.next_id,
            "created_at": self.stamp,
            "updated_at": self.stamp,
            "fields": {},
        }
        self.next_id += 1
        self._write(record, values, creating=True)
        return record

    def _update(self, record: JSONObject, values: dict[str, str]) -> JSONObject:
        self._write(record, values, creating=False)
        record["updated_at"] = self.stamp
        return record

    def _write(self, record: JSONObject, values: dict[str, str], *, creating: bool) -> None:
        if self.cards is not None:
            self._link(record, values, *self.cards)
        for target in self.fields.values():
            if target.key not in values or target.kind in ("ignored", "id"):
                continue
            new = values[target.key]
            if target.kind == "contact":
                contact = self._contact(target.name, new)
                if contact is not None and record.get("contact_id") != contact:
                    record["contact_id"] = contact
                    self.outcome.linked += 1
                continue
            old = _current(record, target)
            if not creating and not _replaces(self.rules.get(target.key, self.rule), old, new):
                continue
            if target.kind == "field":
                record["fields"][target.name] = new
            elif target.kind == "flag":
                record[target.name] = (
                    BOOLEANS.get(new.lower(), 0) if target.data_type == "boolean" else new
                )
            elif target.kind == "external_id":
                record["external_id"] = new or None

    def _link(
        self,
        record: JSONObject,
        values: dict[str, str],
        source: str,
        family: str,
        field: str,
        case_sensitive: bool,
    ) -> None:
        """``mapDataCards``: link the record to the contact or account whose ``field``
        holds the value of column ``source`` (reference §12.2)."""
        value = values.get(source, "")
        if not value:
            return
        column = (
            "email"
            if family == "contacts" and field.lower() == "c_emailaddress"
            else (f"field:{field}")
        )
        wanted = value.lower() if column == "email" and not case_sensitive else value
        ids = records.match(self.db, family, 0, self.site_id, column, [wanted])
        found = next(iter(ids.values()), [])
        if found:
            key = "contact_id" if family == "contacts" else "account_id"
            if record.get(key) != found[0]:
                record[key] = found[0]
                self.outcome.linked += 1

    def _contact(self, name: str, value: str) -> int | None:
        if not value:
            return None
        column = "email" if name.lower() == "c_emailaddress" else f"field:{name}"
        ids = records.match(
            self.db,
            "contacts",
            0,
            self.site_id,
            column,
            [value.lower() if column == "email" else value],
        )
        found = next(iter(ids.values()), [])
        return found[0] if found else None


def _data_cards(definition: JSONObject) -> tuple[str, str, str, bool] | None:
    """``(source column, contacts|accounts, field internal name, case sensitive)``."""
    if not definition.get("mapDataCards"):
        return None
    statement = str(definition.get("mapDataCardsEntityField", ""))
    match = re.match(r"^\{\{(Contact|Account)\.Field\(([A-Za-z0-9_]+)\)\}\}$", statement)
    if match is None:
        return None
    family = "accounts" if definition.get("mapDataCardsEntityType") == "Company" else "contacts"
    return (
        str(definition.get("mapDataCardsSourceField", "")),
        family,
        match.group(2),
        bool(definition.get("mapDataCardsCaseSensitiveMatch")),
    )


def _current(record: JSONObject, target: Target) -> str:
    if target.kind == "field":
        return str(record["fields"].get(target.name) or "")
    value = record.get(target.name if target.kind == "flag" else "external_id")
    return "" if value is None else str(value)


def _replaces(rule: str, old: str, new: str) -> bool:
    """``updateRule`` semantics; ``useFieldRule`` falls back to ``always`` since catalog
    fields carry no rule of their own here."""
    if rule == "ifNewIsNotNull":
        return new != ""
    if rule == "ifExistingIsNull":
        return old == ""
    return True


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _valid(data_type: str, value: str) -> bool:
    kind = data_type.lower()
    if kind == "number":
        try:
            float(value.replace(",", ""))
        except ValueError:
            return False
        return True
    if kind == "date":
        return any(_parses(value, f) for f in DATE_FORMATS)
    if kind == "boolean":
        return value.lower() in BOOLEANS
    return True


def _parses(value: str, pattern: str) -> bool:
    try:
        datetime.strptime(value, pattern)
    except ValueError:
        return False
    return True
