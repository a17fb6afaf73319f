"""Applying an import sync to contacts, accounts, custom object and event records
(reference §10, §12): match on the identifier, honour the update and import rules, check
each value against its field's type, reject bad rows and keep the rest.

Runs inside the sync's one write transaction, a chunk at a time: ``store.import_rows``
reads the staged rows into a temporary table, checking each value in SQL, and applies the
chunk with a few set-based statements; Python only describes the rows that failed. Memory
depends on the chunk size (plus the identifiers seen, kept in a temporary table to find
duplicates).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import orjson
import sqlite_utils

from emulator.core import markup, timestamps
from emulator.core import values as value_checks
from emulator.core.types import JSONObject
from emulator.domain import import_outcome, statements, sync_actions
from emulator.domain.import_outcome import Outcome
from emulator.store import catalog as catalog_rows
from emulator.store import import_rows, records, staging, tables
from emulator.store import sync_actions as action_rows
from emulator.store import syncs as sync_rows
from emulator.store.sync_actions import Targets

CHUNK = 25_000  # rows applied per set of statements


@dataclass(frozen=True)
class Target:
    """Where a column of staged data goes."""

    key: str
    kind: str  # id | external_id | field | flag | contact | ignored (``tables.Slot``)
    name: str
    data_type: str = "string"
    not_null: bool = False
    node: markup.FieldStatement | None = None


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
    slot = tables.slot_of(node)
    return Target(
        key,
        slot.kind,
        slot.name or resolved.text,
        slot.data_type or data_type,
        not_null and slot.kind in ("field", "external_id"),
        node,
    )


def step(
    db: sqlite_utils.Database,
    site_id: int,
    sync_id: int,
    family: str,
    parent_id: int,
    definition: JSONObject,
    now: float,
    chunk: int | None = None,
    *,
    forced_rejects: int | None = None,
) -> tuple[Outcome, bool]:
    """Apply the sync's next chunk (``chunk`` staged rows, ``CHUNK`` by default, across
    files) and keep its progress with it, in the caller's transaction: the outcome so far,
    and whether that was the last chunk. The chunk's rejects are written here;
    ``Outcome.rejects`` holds them. ``forced_rejects``: a warning forced through the
    control plane, rejecting the sync's first rows (``domain.outcomes``)."""
    fields = targets(db, site_id, family, parent_id, definition)
    run = _Run(db, site_id, family, parent_id, definition, fields, now)
    run.forced = forced_rejects or 0
    done = sync_rows.progress(db, site_id, sync_id) or {}
    outcome = run.outcome = Outcome.restore(done.get("outcome"))
    outcome.forced = outcome.forced or forced_rejects is not None
    at = Position(*done.get("at", (0, 0, 0)))
    files = staging.files_of_sync(db, site_id, sync_id)
    size = chunk or CHUNK
    seen = import_rows.open_seen(db, site_id, sync_id)
    if seen.new and at != Position():
        _remember(db, run.plan, seen, files, at, size)
    pending = 0
    while at.file < len(files) and pending < size:
        file_id, rows, keys = files[at.file]
        if at.after == 0:
            present = set(orjson.loads(keys))
            outcome.missing_keys += [(k, file_id) for k in fields if k not in present]
            for key in sorted(present - set(fields)):
                if key not in outcome.ignored_keys:
                    outcome.ignored_keys.append(key)
            outcome.staged += rows
        take = min(rows - at.after, size - pending)
        if take > 0:
            import_rows.append(db, run.plan, file_id, at.after, at.after + take, at.base)
            pending += take
        at = at.moved(take, rows)
    run.apply(seen, Targets(site_id, sync_id))
    outcome.rejects.sort(key=lambda reject: reject[0])
    sync_rows.add_rejects(db, site_id, sync_id, outcome.rejects)
    if at.file < len(files):
        sync_rows.set_progress(db, site_id, sync_id, {"at": list(at), "outcome": outcome.saved()})
        return outcome, False
    import_rows.close_seen(db, site_id, sync_id)
    if run.actions:
        outcome.actions = sync_actions.apply(
            db, Targets(site_id, sync_id), family, parent_id, run.actions
        )
    return outcome, True


def apply(
    db: sqlite_utils.Database,
    site_id: int,
    sync_id: int,
    family: str,
    parent_id: int,
    definition: JSONObject,
    now: float,
) -> Outcome:
    """Every chunk of the sync, in the caller's transaction (the worker takes one chunk a
    turn, ``step``); the outcome with all of its rejects."""
    rejects: list[tuple[int, JSONObject]] = []
    while True:
        outcome, finished = step(db, site_id, sync_id, family, parent_id, definition, now)
        rejects += outcome.rejects
        if finished:
            outcome.rejects = rejects
            return outcome


def abandon(db: sqlite_utils.Database, site_id: int, sync_id: int) -> None:
    """Forget what a sync that ends early kept between its chunks."""
    import_rows.close_seen(db, site_id, sync_id)
    Targets(site_id, sync_id).forget(db)


class Position(NamedTuple):
    """Where the next chunk starts: the file (in upload order), the rows of it done, and
    the ``recordIndex`` base of the file (the rows of the files before it)."""

    file: int = 0
    after: int = 0
    base: int = 0

    def moved(self, taken: int, rows: int) -> Position:
        after = self.after + taken
        if after >= rows:
            return Position(self.file + 1, 0, self.base + rows)
        return Position(self.file, after, self.base)


def _remember(
    db: sqlite_utils.Database,
    plan: import_rows.Plan,
    seen: import_rows.Seen,
    files: list[tuple[int, int, str]],
    at: Position,
    size: int,
) -> None:
    """The identifiers of the rows applied before ``at``, read again (after a restart: the
    table of identifiers seen lives in memory), so later duplicates are still found."""
    index = 0
    for number, (file_id, rows, _) in enumerate(files[: at.file + 1]):
        upto = rows if number < at.file else at.after
        for after in range(0, upto, size):
            import_rows.append(db, plan, file_id, after, min(upto, after + size), index)
            import_rows.remember(db, seen)
        index += rows


class _Run:
    """One import sync: its plan, its chunks applied, and the rejects of the rows SQLite
    flagged, described here in Python."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        site_id: int,
        family: str,
        parent_id: int,
        definition: JSONObject,
        fields: dict[str, Target],
        now: float,
    ) -> None:
        self.db, self.fields = db, fields
        self.identifier = fields.get(definition.get("identifierFieldName", ""))
        default = definition.get("updateRule", "always")
        by_field = definition.get("updateRuleByField") or {}
        # useFieldRule falls back to always: catalog fields carry no rule of their own here
        rules: dict[str, str] = {
            key: "always" if rule == "useFieldRule" else str(rule)
            for key, rule in ((k, by_field.get(k, default)) for k in fields)
        }
        self.import_rule = definition.get("importRule", "createAndUpdate")
        if family == "campaignResponses":
            self.import_rule = "updateOnly"  # responses come from Eloqua; an import updates them
        self.actions: list[JSONObject] = list(definition.get("syncActions") or [])
        self.stamp = timestamps.from_epoch(now)
        self.forced = 0  # rows up to this recordIndex are rejected (``step``)
        table = tables.table_of(family)
        self.next_id = records.next_record_id(db, table, site_id, parent_id)
        self.outcome = Outcome()
        contact = next((t for t in fields.values() if t.kind == "contact"), None)
        identifier = self.identifier
        self.plan = import_rows.Plan(
            table=table,
            parent_id=parent_id,
            site_id=site_id,
            columns=tuple(
                import_rows.Key(
                    t.key,
                    t.kind,
                    "external_id" if t.kind == "external_id" else t.name,
                    t.data_type,
                    rules[t.key],
                    t.kind == "field" and t.not_null,
                    _limit(t, family),
                )
                for t in fields.values()
            ),
            identifier=identifier.key if identifier else "",
            # a record's own id may be left empty to create one (an opportunity's may not);
            # with nullIdentifierFieldName, so may any identifier
            identifier_required=identifier is not None
            and (identifier.kind not in ("id", "external_id") or identifier.not_null)
            and definition.get("nullIdentifierFieldName") is not True,
            match=table.match_of(identifier.node) if identifier and identifier.node else None,
            update_all=bool(definition.get("isUpdatingMultipleMatchedRecords")),
            contact_lookup=(
                tables.CONTACTS.match_of(markup.ast.ContactField(contact.name)) if contact else None
            ),
            card=_data_cards(definition),
            user_key=_user_key(definition, fields),
            **_stages(db, site_id, fields),
        )

    def apply(self, seen: import_rows.Seen, targets: Targets) -> None:
        if self.forced:
            forced = import_rows.leading(self.db, self.forced)
            invalid = [self.plan.identifier or next(iter(self.fields))]
            for index, data in forced:
                self._add(index, data, invalid, import_outcome.FORCED_REJECT, "invalid_values")
            import_rows.discard(self.db, [index for index, _ in forced])
        earlier = len(self.outcome.rejects)
        for index, data in import_rows.problems(self.db):
            self._reject(index, data)
        import_rows.discard(self.db, [index for index, _ in self.outcome.rejects[earlier:]])
        for index, data in import_rows.take_duplicates(self.db, seen):
            self._add(index, data, [self.plan.identifier], "ELQ-00026", "duplicates")
        applied, missing = import_rows.apply(
            self.db,
            self.plan,
            import_rule=self.import_rule,
            id_identifier=self.identifier is not None and self.identifier.kind == "id",
            next_id=self.next_id,
            stamp=self.stamp,
        )
        if self.actions:
            action_rows.target_import_chunk(
                self.db, targets, self.plan, self.next_id, applied.created
            )
        if self.plan.user_key:
            links = import_rows.link_users(self.db, self.plan)
            self.outcome.duplicate_links += links.duplicates
            self.outcome.unknown_users += links.unknown
        import_rows.clear(self.db)
        self.next_id += applied.created
        outcome = self.outcome
        outcome.created += applied.created
        outcome.updated += applied.updated
        outcome.linked += applied.linked
        outcome.existing += applied.existing
        outcome.unmatched += applied.unmatched
        required = [c.key for c in self.plan.columns if c.required]
        for index, data in missing:
            values = _texts(data)
            empty = [key for key in required if not values.get(key)]
            self._add(index, data, empty, "ELQ-00061", "missing")

    def _reject(self, index: int, data: str) -> None:
        """The reject of a row SQLite flagged: the first check it fails, in a pod's order."""
        values = _texts(data)
        checked = [(t.key, t.data_type) for t in self.fields.values() if t.kind != "ignored"]
        invalid = [
            k
            for k, kind in checked
            if kind.lower() == "emailaddress"
            and values.get(k)
            and not value_checks.valid(kind, values[k])
        ]
        if invalid:
            self._add(index, data, invalid, "ELQ-00002", "invalid_emails")
            return
        limits = {c.key: c.max_length for c in self.plan.columns if c.max_length is not None}
        invalid = [
            k
            for k, kind in checked
            if values.get(k)
            and (
                not value_checks.valid(kind, values[k])
                or len(values[k]) > limits.get(k, len(values[k]))
            )
        ]
        if invalid:
            self._add(index, data, invalid, "ELQ-00040", "invalid_values")
            return
        if self.plan.identifier_required and not values.get(self.plan.identifier):
            self._add(index, data, [self.plan.identifier], "ELQ-00061", "missing")
            return
        stage = values.get(self.plan.stage_key, "") if self.plan.stage_key else ""
        if stage and stage.lower() not in self.plan.stages:
            self._add(index, data, [self.plan.stage_key], "ELQ-00039", "invalid_stages")

    def _add(self, index: int, data: str, invalid: list[str], code: str, counter: str) -> None:
        setattr(self.outcome, counter, getattr(self.outcome, counter) + 1)
        values = _texts(data)
        field_values = {key: values.get(key, "") for key in self.fields}
        self.outcome.rejects.append(
            (index, import_outcome.reject_item(index, field_values, invalid, code))
        )


def _limit(target: Target, family: str) -> int | None:
    """How long a text field's value may be; ``None`` for other targets."""
    if target.kind == "field" and target.data_type.lower() == "string":
        return value_checks.text_limit(family)
    return None


def _user_key(definition: JSONObject, fields: dict[str, Target]) -> str:
    """The key of ``{{Account.User.Field(...)}}`` when the definition has ``linkUsers``
    (without it the users are not linked, as on a pod)."""
    if definition.get("linkUsers") is not True:
        return ""
    return next((t.key for t in fields.values() if t.kind == "user"), "")


def _stages(db: sqlite_utils.Database, site_id: int, fields: dict[str, Target]) -> dict[str, Any]:
    """The stage check of an opportunity import: the key mapped to
    ``{{Opportunity.Field(Stage)}}`` and the site's stages (``opportunityStages``
    containers, from the fixtures). Oracle documents ELQ-00039 "Invalid opportunity stage."
    but not which stages are valid; here, the names the site lists, ignoring case."""
    key = next(
        (
            t.key
            for t in fields.values()
            if isinstance(t.node, markup.ast.OpportunityField) and t.node.name.lower() == "stage"
        ),
        "",
    )
    if not key:
        return {}
    names = catalog_rows.container_names(db, site_id, "opportunityStages")
    return {"stage_key": key, "stages": tuple(name.lower() for name in names)}


def _texts(data: str) -> dict[str, str]:
    return {k: value_checks.text(v) for k, v in orjson.loads(data).items()}


def _data_cards(definition: JSONObject) -> import_rows.Card | None:
    """The contact or account a custom object record links to (``mapDataCards``)."""
    if not definition.get("mapDataCards"):
        return None
    try:
        node = markup.parse_node(str(definition.get("mapDataCardsEntityField", "")))
    except markup.MarkupError:
        return None
    if isinstance(node, markup.ast.ContactField):
        table = tables.CONTACTS
    elif isinstance(node, markup.ast.AccountField):
        table = tables.ACCOUNTS
    else:
        return None
    return import_rows.Card(
        table,
        table.match_of(node),
        bool(definition.get("mapDataCardsCaseSensitiveMatch")),
        str(definition.get("mapDataCardsSourceField", "")),
    )
