"""Applying an import sync to contacts, accounts, custom object and event records
(reference §10, §12): match on the identifier, honour the update and import rules, check
each value against its field's type, reject bad rows and keep the rest.

Runs inside the sync's one write transaction. Python reads the staged rows in order and
checks each once; the accepted rows go, a chunk at a time, into a temporary table that
``store.import_rows`` applies with a few set-based statements. Memory depends on the chunk
size (plus the set of identifiers seen, needed to find duplicates).
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
from emulator.store import import_rows, records, staging
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
BATCH = 2000
CHUNK = 25_000  # rows applied per set of statements


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
    import_rows.create(db, run.plan)
    chunk: list[import_rows.Row] = []
    for file_id, rows, keys in staging.files_of_sync(db, site_id, sync_id):
        present = set(orjson.loads(keys))
        outcome.missing_keys += [(k, file_id) for k in fields if k not in present]
        for key in sorted(present - set(fields)):
            if key not in outcome.ignored_keys:
                outcome.ignored_keys.append(key)
        for batch in staging.rows_of_file(db, file_id, BATCH):
            for text in batch:
                index += 1
                row = run.checked(index, orjson.loads(text))
                if row is not None:
                    chunk.append(row)
            if len(chunk) >= CHUNK:
                run.apply(chunk)
                chunk = []
        outcome.staged += rows
    run.apply(chunk)
    import_rows.drop(db)
    outcome.rejects.sort(key=lambda reject: reject[0])
    return outcome


class _Run:
    """One import sync: the checks of each row, and its chunks applied in SQL."""

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
        self.db, self.fields, self.identifier = db, fields, identifier
        rule = definition.get("updateRule", "always")
        rules = {
            k: r if r != "useFieldRule" else "always"
            for k, r in definition.get("updateRuleByField", {}).items()
        }
        self.rule_of = {
            key: rules.get(key, rule if rule != "useFieldRule" else "always") for key in fields
        }
        self.import_rule = definition.get("importRule", "createAndUpdate")
        self.stamp = timestamps.from_epoch(now)
        self.seen: set[str] = set()
        self.next_id = records.next_record_id(db, family, parent_id, site_id)
        self.outcome = Outcome()
        self.match = self._match_column(family)
        self.writes = [t for t in fields.values() if t.kind in ("field", "flag", "external_id")]
        self.emails = [t.key for t in fields.values() if t.data_type == "emailAddress"]
        self.typed = [
            (t.key, t.data_type.lower())
            for t in fields.values()
            if t.data_type.lower() in ("number", "date", "boolean")
        ]
        self.required = [t.key for t in fields.values() if t.kind == "field" and t.not_null]
        contact = next((t for t in fields.values() if t.kind == "contact"), None)
        self.contact_key = contact.key if contact else ""
        cards = _data_cards(definition)
        self.card_source = cards[0] if cards else ""
        self.plan = import_rows.Plan(
            family=family,
            parent_id=parent_id,
            site_id=site_id,
            match=self.match,
            update_all=bool(definition.get("isUpdatingMultipleMatchedRecords")),
            fill_fields=tuple(
                t.name
                for t in self.writes
                if t.kind == "field" and self.rule_of[t.key] == "ifExistingIsNull"
            ),
            fill_flags=tuple(
                _column(t)
                for t in self.writes
                if t.kind != "field" and self.rule_of[t.key] == "ifExistingIsNull"
            ),
            contact_lookup=_lookup(contact.name, False) if contact else "",
            card=(cards[1], _lookup(cards[2], cards[3]), cards[3]) if cards else None,
        )

    def _match_column(self, family: str) -> str:
        target = self.identifier
        if target is None:
            return ""
        if target.kind in ("id", "external_id"):
            return target.kind
        if family == "contacts" and target.name.lower() == "c_emailaddress":
            return "email"
        return f"field:{target.name}"

    def checked(self, index: int, raw: JSONObject) -> import_rows.Row | None:
        """The row as ``import_rows`` holds it, or None when it is rejected."""
        values = {k: v if v.__class__ is str else _text(v) for k, v in raw.items()}
        invalid = [k for k in self.emails if values.get(k) and not EMAIL.match(values[k])]
        if invalid:
            self._reject(index, values, invalid, "ELQ-00002", "invalid_emails")
            return None
        invalid = [k for k, kind in self.typed if values.get(k) and not _valid(kind, values[k])]
        if invalid:
            self._reject(index, values, invalid, "ELQ-00040", "invalid_values")
            return None
        key: str | None = None
        if self.identifier is not None:
            value = values.get(self.identifier.key, "")
            if not value and self.identifier.kind not in ("id", "external_id"):
                self._reject(index, values, [self.identifier.key], "ELQ-00061", "missing")
                return None
            if value:
                key = value.lower() if self.match == "email" else value
                if key in self.seen:
                    self._reject(index, values, [self.identifier.key], "ELQ-00026", "duplicates")
                    return None
                self.seen.add(key)
        # a new record gets every value; an update skips the empty ones under ifNewIsNotNull
        patch: dict[str, str] = {}
        upd: dict[str, str] = {}
        flags: dict[str, Any] = {}
        for t in self.writes:
            if t.key not in values:
                continue
            new = values[t.key]
            kept = bool(new) or self.rule_of[t.key] != "ifNewIsNotNull"
            if t.kind == "field":
                patch[t.name] = new
                if kept:
                    upd[t.name] = new
            elif kept:
                flags[_column(t)] = (
                    BOOLEANS.get(new.lower(), 0)
                    if t.data_type == "boolean"
                    else new or None
                    if t.kind == "external_id"
                    else new
                )
        missing = [k for k in self.required if not values.get(k)]
        return (
            index,
            key,
            orjson.dumps(patch).decode(),
            None if len(upd) == len(patch) else orjson.dumps(upd).decode(),
            orjson.dumps(flags).decode() if flags else None,
            values.get(self.contact_key) or None if self.contact_key else None,
            values.get(self.card_source) or None if self.card_source else None,
            orjson.dumps([missing, self._field_values(values)]).decode() if missing else None,
        )

    def _field_values(self, values: dict[str, str]) -> dict[str, str]:
        return {key: values.get(key, "") for key in self.fields}

    def _reject(
        self, index: int, values: dict[str, str], invalid: list[str], code: str, counter: str
    ) -> None:
        setattr(self.outcome, counter, getattr(self.outcome, counter) + 1)
        self.outcome.rejects.append(
            (index, _reject_item(index, self._field_values(values), invalid, code))
        )

    def apply(self, rows: list[import_rows.Row]) -> None:
        if not rows:
            return
        import_rows.fill(self.db, rows)
        applied, missing = import_rows.apply(
            self.db,
            self.plan,
            import_rule=self.import_rule,
            id_identifier=self.identifier is not None and self.identifier.kind == "id",
            next_id=self.next_id,
            stamp=self.stamp,
        )
        self.next_id += applied.created
        outcome = self.outcome
        outcome.created += applied.created
        outcome.updated += applied.updated
        outcome.linked += applied.linked
        outcome.existing += applied.existing
        outcome.unmatched += applied.unmatched
        outcome.missing += len(missing)
        for index, (invalid, field_values) in missing:
            outcome.rejects.append((index, _reject_item(index, field_values, invalid, "ELQ-00061")))


def _reject_item(
    index: int, field_values: dict[str, str], invalid: list[str], code: str
) -> JSONObject:
    return {
        "fieldValues": field_values,
        "message": logs.REJECT_MESSAGES[code],
        "statusCode": code,
        "recordIndex": index,
        "invalidFields": invalid,
    }


def _column(target: Target) -> str:
    """The record column a flag or external-id target writes."""
    return "external_id" if target.kind == "external_id" else target.name


def _lookup(field: str, case_sensitive: bool) -> str:
    """How a contact is looked up by ``field``: the indexed e-mail key, or the field."""
    if field.lower() == "c_emailaddress" and not case_sensitive:
        return "email"
    return f"field:{field}"


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
