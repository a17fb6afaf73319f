"""Outcomes on demand (``/_emulator/outcomes``): what a sync that a pod cannot be made to
produce at will ends with, forced through the control plane.

An outcome names a definition, and then applies to the next sync of it to start, or a
pending sync. It is taken when its sync starts (the worker's claim, :func:`start`) and goes
when that sync ends: one sync, once.

* ``error``: the sync ends ``error`` before applying anything (an import's staged rows are
  consumed and reach no record, an export has no data, a sync action acts on nothing); its
  log is the given ELQ line at ``error`` severity, then ELQ-00101, as every failed sync
  writes (``engine.runner.fail``).
* ``warning`` with N rejects (imports only): the sync's first N rows (by ``recordIndex``)
  are rejected with ELQ-00040 "Invalid field value." on the identifier field (the first
  field without one), counted in ELQ-00144; the other rows are applied as usual, and the
  sync ends ``warning`` even with no row rejected.
* ``active``: the sync starts and stays ``active`` (the worker leaves it alone) until
  released (:func:`release`, or deleting the outcome); then it runs as usual.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from emulator.core import constraints as c
from emulator.core import logs, timestamps
from emulator.core.errors import Conflict, Failure, NotFound, ValidationFailed
from emulator.core.lifecycle import SyncStatus
from emulator.core.types import JSONObject
from emulator.domain import external_activities, opportunity_links
from emulator.domain.entities import IMPORTS
from emulator.domain.syncs import parse_instance_uri
from emulator.store import definitions as definition_rows
from emulator.store import identity
from emulator.store import outcomes as rows
from emulator.store import syncs as sync_rows
from emulator.store.outcomes import OutcomeRow

ERROR, WARNING, ACTIVE = SyncStatus.ERROR.value, SyncStatus.WARNING.value, SyncStatus.ACTIVE.value
STATUSES = (ERROR, WARNING, ACTIVE)
KEYS = ("site", "definition", "sync", "status", "log", "rejects")
LOG_KEYS = ("statusCode", "message", "count")
CODE = re.compile(r"^ELQ-\d{5}$")
SYNC_URI = re.compile(r"^/syncs/([0-9]{1,18})/?$")
DEFAULT_CODE = "ELQ-00146"  # "The sync failed because of a temporary error."
MESSAGE_MAX = 1000
COUNT_MAX = 2**63 - 1
# Imports run by other means, whose rows cannot be forced to reject: e-mail address imports
# (sync actions), opportunity-contact linkage and external activities.
NO_REJECTS = {"emailAddresses", opportunity_links.FAMILY, external_activities.FAMILY}


@dataclass(frozen=True)
class Order:
    """A request to force an outcome, checked for form (not yet against the store)."""

    site: str
    definition: str | None
    sync: int | None
    status: str
    code: str | None = None
    message: str | None = None
    count: int | None = None
    rejects: int | None = None


def parse(body: Any) -> Order:
    """An order from a request body; every problem is a failure on its key."""
    if not isinstance(body, dict):
        raise ValidationFailed([Failure("body", c.BODY_NOT_OBJECT, None, has_value=False)])
    allowed = ", ".join(KEYS)
    failures = [
        Failure(key, c.OUTCOME_UNKNOWN_KEY.format(allowed=allowed), key)
        for key in body
        if key not in KEYS
    ]
    site = body.get("site")
    if not isinstance(site, str) or not site.strip():
        failures.append(Failure("site", c.OUTCOME_SITE, site))
    status = body.get("status")
    if status not in STATUSES:
        failures.append(Failure("status", c.OUTCOME_STATUS, status))
    definition, sync = body.get("definition"), body.get("sync")
    sync_id = None
    if (definition is None) == (sync is None):
        failures.append(Failure("definition", c.OUTCOME_TARGET, definition))
    elif definition is not None and not (
        isinstance(definition, str) and parse_instance_uri(definition) is not None
    ):
        failures.append(Failure("definition", c.OUTCOME_DEFINITION, definition))
    elif sync is not None:
        match = SYNC_URI.match(sync) if isinstance(sync, str) else None
        if match is None:
            failures.append(Failure("sync", c.OUTCOME_SYNC, sync))
        else:
            sync_id = int(match[1])
    code = message = count = None
    if "log" in body:
        if status != ERROR:
            failures.append(Failure("log", c.OUTCOME_LOG_ONLY_ERROR, body["log"]))
        else:
            code, message, count = _log(body["log"], failures)
    elif status == ERROR:
        code, count = DEFAULT_CODE, 0
    rejects = None
    if "rejects" in body:
        rejects = body["rejects"]
        if status != WARNING:
            failures.append(Failure("rejects", c.OUTCOME_REJECTS_ONLY_WARNING, rejects))
        elif not _count(rejects):
            failures.append(Failure("rejects", c.OUTCOME_REJECTS, rejects))
    elif status == WARNING:
        rejects = 0
    if failures:
        raise ValidationFailed(failures)
    assert isinstance(site, str)
    assert isinstance(status, str)
    return Order(
        site.strip(),
        definition if isinstance(definition, str) else None,
        sync_id,
        status,
        code,
        message,
        count,
        rejects,
    )


def _log(value: Any, failures: list[Failure]) -> tuple[str | None, str | None, int | None]:
    if not isinstance(value, dict):
        failures.append(Failure("log", c.OUTCOME_LOG, value))
        return None, None, None
    failures.extend(
        Failure(f"log.{key}", c.OUTCOME_LOG, key) for key in value if key not in LOG_KEYS
    )
    code = value.get("statusCode")
    if not (isinstance(code, str) and CODE.match(code)):
        failures.append(Failure("log.statusCode", c.OUTCOME_CODE, code))
    message = value.get("message")
    if message is not None and not (isinstance(message, str) and len(message) <= MESSAGE_MAX):
        failures.append(Failure("log.message", c.OUTCOME_MESSAGE, message))
    count = value.get("count", 0)
    if not _count(count):
        failures.append(Failure("log.count", c.OUTCOME_COUNT, count))
    return code, message, count


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= COUNT_MAX


def create(db: sqlite_utils.Database, order: Order, now: float) -> JSONObject:
    """Check the order against the store, then keep it; the outcome as listed."""
    site_id, site = _site(db, order.site)
    if order.sync is not None:
        sync = sync_rows.get(db, site_id, order.sync)
        if sync is None:
            raise NotFound([Failure("sync", c.RESOURCE_UNKNOWN, f"/syncs/{order.sync}")])
        if sync.status != SyncStatus.PENDING.value:
            raise Conflict([Failure("sync", c.OUTCOME_SYNC_STARTED, f"/syncs/{order.sync}")])
        if rows.of_sync(db, site_id, order.sync) is not None:
            raise Conflict([Failure("sync", c.OUTCOME_SYNC_TAKEN, f"/syncs/{order.sync}")])
        kind, family, parent_id = sync.kind, sync.family, sync.parent_id
        definition_id, uri = sync.definition_id, sync.synced_instance_uri
    else:
        assert order.definition is not None
        found = parse_instance_uri(order.definition)
        assert found is not None
        at, definition_id = found
        kind, family, parent_id = at.kind, at.family.name, at.parent_id or 0
        uri = at.uri(definition_id)
        if definition_rows.get(db, site_id, kind, family, parent_id, definition_id, now) is None:
            raise NotFound([Failure("definition", c.OUTCOME_DEFINITION_UNKNOWN, uri)])
    if order.status == WARNING and not takes_rejects(kind, family):
        raise ValidationFailed([Failure("status", c.OUTCOME_REJECTS_KIND, order.status)])
    row = OutcomeRow(
        site_id,
        0,
        kind,
        family,
        parent_id,
        definition_id,
        uri,
        order.sync,
        False,
        order.status,
        order.code,
        order.message if order.message is not None else _known_message(order.code),
        order.count,
        order.rejects,
        timestamps.from_epoch(now),
    )
    id_ = rows.insert(db, row)
    stored = rows.get(db, id_)
    assert stored is not None
    return render(stored, site)


def takes_rejects(kind: str, family: str) -> bool:
    """Whether the runner can force rejects on syncs of this definition (the rows of the
    generic import path, ``domain.imports``)."""
    return kind == IMPORTS and family not in NO_REJECTS


def _known_message(code: str | None) -> str | None:
    """Oracle's text for the code when it has no placeholders; else the log item has no
    message (as a pod's ELQ-00071 has none)."""
    text = logs.MESSAGES.get(code or "")
    return text if text is not None and "{" not in text else None


def render(row: OutcomeRow, site: str) -> JSONObject:
    item: JSONObject = {
        "id": row.id,
        "site": site,
        "definition": row.definition_uri,
        "sync": None if row.sync_id is None else f"/syncs/{row.sync_id}",
        "status": row.status,
        "state": "started" if row.started else "pending",
    }
    if row.status == ERROR:
        log: JSONObject = {"statusCode": row.code, "count": row.count or 0}
        if row.message is not None:
            log["message"] = row.message
        item["log"] = log
    if row.status == WARNING:
        item["rejects"] = row.rejects or 0
    item["createdAt"] = row.created_at
    return item


def listing(db: sqlite_utils.Database, site: str | None) -> JSONObject:
    """Every outcome not yet gone (of one site), oldest first."""
    site_id = _site(db, site)[0] if site is not None else None
    names: dict[int, str] = {}
    items = []
    for row in rows.every(db, site_id):
        if row.site_id not in names:
            names[row.site_id] = identity.site_name(db, row.site_id)
        items.append(render(row, names[row.site_id]))
    return {"items": items}


def remove(db: sqlite_utils.Database, id_: int) -> bool:
    """Delete an outcome before its sync starts, or release the sync it holds; whether a
    sync was released (the worker then has work)."""
    row = rows.get(db, id_)
    if row is None:
        raise NotFound([Failure("id", c.OUTCOME_ID_UNKNOWN, id_)])
    if row.started and row.status != ACTIVE:
        raise Conflict([Failure("id", c.OUTCOME_APPLIED, id_)])
    rows.delete(db, id_)
    return row.started


def release(db: sqlite_utils.Database, site: str, sync_id: int) -> JSONObject:
    """The sync an ``active`` outcome holds (or would hold) carries on."""
    site_id, name = _site(db, site)
    if sync_rows.get(db, site_id, sync_id) is None:
        raise NotFound.resource(f"/syncs/{sync_id}")
    row = rows.of_sync(db, site_id, sync_id)
    if row is None or row.status != ACTIVE:
        raise Conflict([Failure("uri", c.SYNC_NOT_HELD, f"/syncs/{sync_id}")])
    rows.delete(db, row.id)
    return {"site": name, "uri": f"/syncs/{sync_id}"}


def _site(db: sqlite_utils.Database, site: str) -> tuple[int, str]:
    found = identity.find_site(db, site)
    if found is None:
        raise NotFound([Failure("site", c.SITE_UNKNOWN, site)])
    return int(found[0]), str(found[1])


# What the runner asks.


def start(db: sqlite_utils.Database) -> None:
    """Before a claim starts the pending syncs: each outcome waiting for its definition's
    next sync takes the oldest pending sync of it that no other outcome names, and every
    outcome whose sync is about to start is started. Cheap when none waits (every turn of
    the worker asks)."""
    if not rows.any_waiting(db):
        return
    pending = rows.pending_syncs(db)
    if not pending:
        return
    waiting = rows.waiting(db)
    keys = {(s.site_id, s.id) for s in pending}
    taken = {(o.site_id, o.sync_id) for o in waiting if o.sync_id is not None}
    started = []
    for outcome in waiting:
        if outcome.sync_id is not None:
            if (outcome.site_id, outcome.sync_id) in keys:
                started.append(outcome.id)
            continue
        wanted = (
            outcome.site_id,
            outcome.kind,
            outcome.family,
            outcome.parent_id,
            outcome.definition_id,
        )
        match = next(
            (
                s
                for s in pending
                if (s.site_id, s.kind, s.family, s.parent_id, s.definition_id) == wanted
                and (s.site_id, s.id) not in taken
            ),
            None,
        )
        if match is not None:
            rows.bind(db, outcome.id, match.id)
            taken.add((match.site_id, match.id))
            started.append(outcome.id)
    rows.mark_started(db, started)


def applying(db: sqlite_utils.Database, site_id: int, sync_id: int) -> OutcomeRow | None:
    """The outcome forced on a sync under way, if any."""
    row = rows.of_sync(db, site_id, sync_id)
    return row if row is not None and row.started else None


def held(db: sqlite_utils.Database) -> set[tuple[int, int]]:
    """``(site, sync)`` of the syncs under way that wait for their release."""
    return rows.held(db)


def error_entries(row: OutcomeRow) -> list[logs.Entry]:
    """The log of a sync forced to ``error``: the given line, then ELQ-00101."""
    assert row.code is not None
    return [
        logs.Entry(row.code, row.count or 0, logs.ERROR, row.message),
        logs.processed(ERROR),
    ]


def finish(db: sqlite_utils.Database, site_id: int, sync_id: int) -> None:
    """The sync has ended: its outcome is used up."""
    rows.delete_of_sync(db, site_id, sync_id)
