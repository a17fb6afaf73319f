"""Creating and reading syncs (reference §9): ``POST /syncs`` checks that the definition
exists and is still valid (since 20D), then queues a ``pending`` sync; reads show the
status the progression policy allows."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import orjson
import sqlite_utils

from emulator.core import constraints as c
from emulator.core import progression, redaction, timestamps
from emulator.core.errors import Conflict, Failure, NotFound, ValidationFailed
from emulator.core.lifecycle import SyncStatus, shown_status
from emulator.core.listing import Kind, Listing, ListQuery, parse_list_query
from emulator.core.types import JSONObject, Principal
from emulator.domain import definitions, validate
from emulator.domain.entities import FAMILIES, IMPORTS, SYNC_ACTIONS
from emulator.store import definitions as definition_rows
from emulator.store import staging as staged
from emulator.store import syncs as rows
from emulator.store.pages import Page

LISTING = Listing(
    {
        "id": Kind.NUMBER,
        "uri": Kind.TEXT,
        "status": Kind.TEXT,
        "syncedInstanceUri": Kind.TEXT,
        "createdAt": Kind.TIMESTAMP,
        "createdBy": Kind.TEXT,
        "syncStartedAt": Kind.TIMESTAMP,
        "syncEndedAt": Kind.TIMESTAMP,
        "callbackUrl": Kind.TEXT,
    }
)
LOG_LISTING = Listing(
    {
        "id": Kind.NUMBER,
        "count": Kind.NUMBER,
        "severity": Kind.TEXT,
        "statusCode": Kind.TEXT,
        "message": Kind.TEXT,
        "createdAt": Kind.TIMESTAMP,
    }
)
REJECT_LISTING = Listing({"id": Kind.NUMBER, "recordIndex": Kind.NUMBER})
URL = re.compile(r"^https?://[^\s/]+(/\S*)?$", re.IGNORECASE)


def _patterns() -> list[tuple[re.Pattern[str], str, str]]:
    found = []
    for family in FAMILIES:
        prefix = re.escape(family.path).replace(re.escape("{parentId}"), r"(?P<parent>[0-9]{1,18})")
        for kind in family.kinds:
            found.append(
                (
                    re.compile(f"^{prefix}/{kind}/(?P<id>[0-9]{{1,18}})/?$", re.IGNORECASE),
                    family.name,
                    kind,
                )
            )
    return found


PATTERNS = _patterns()


def parse_instance_uri(uri: str) -> tuple[definitions.Where, int] | None:
    for pattern, family, kind in PATTERNS:
        if match := pattern.match(uri.strip()):
            parent = int(match["parent"]) if "parent" in pattern.groupindex else None
            return definitions.where(family, kind, parent), int(match["id"])
    return None


def create(
    db: sqlite_utils.Database,
    principal: Principal,
    body: Any,
    now: float,
    *,
    triggered: bool = False,
) -> str:
    """``triggered``: created by a data upload (``isSyncTriggeredOnImport``), where every
    upload gets its sync even while an earlier one waits."""
    if not isinstance(body, dict):
        raise ValidationFailed([Failure("body", c.BODY_NOT_OBJECT, body)])
    bound = {k.lower(): v for k, v in body.items()}
    uri, callback = bound.get("syncedinstanceuri"), bound.get("callbackurl")
    failures: list[Failure] = []
    if callback is not None:
        validate.outbound_url(
            callback, "callbackUrl", failures, form=URL, constraint=c.CALLBACK_URL
        )
    target = parse_instance_uri(uri) if isinstance(uri, str) else None
    found = None
    if target is not None:
        found = definition_rows.get(
            db,
            principal.site_id,
            target[0].kind,
            target[0].family.name,
            target[0].parent_id or 0,
            target[1],
            now,
        )
    if found is None:
        failures.append(Failure("syncedInstanceUri", c.SYNCED_INSTANCE_URI, uri))
    if failures:
        raise ValidationFailed(failures)
    assert target is not None
    assert found is not None
    at, definition_id = target
    if not triggered and rows.busy(db, principal.site_id, at.kind, definition_id):
        raise Conflict([Failure("syncedInstanceUri", c.SYNC_RUNNING, uri)])
    definitions.revalidate(db, principal, at, found.item)
    sync_id = definition_rows.next_id(db, principal.site_id, "syncs")
    row = rows.SyncRow(
        principal.site_id,
        sync_id,
        at.kind,
        definition_id,
        at.family.name,
        at.parent_id or 0,
        at.uri(definition_id),
        principal.user_id,
        principal.username,
        SyncStatus.PENDING.value,
        callback,
        timestamps.from_epoch(now),
        now,
        None,
        None,
        0,
    )
    rows.insert(db, row)
    if at.kind in (IMPORTS, SYNC_ACTIONS):
        staged.claim(db, principal.site_id, at.kind, definition_id, sync_id, now)
    return orjson.dumps(render(row, 0, created=True)).decode()


def render(row: rows.SyncRow, stage: int, *, created: bool = False) -> JSONObject:
    """The sync as a client sees it at ``stage`` (key order of Oracle's examples). Read
    back, its timestamps are rounded to the millisecond; the answer that ``created`` it
    has their full precision, as a pod's has."""
    shown = (lambda text: text) if created else timestamps.to_millisecond
    status = shown_status(SyncStatus(row.status), stage)
    item: JSONObject = {"syncedInstanceUri": row.synced_instance_uri}
    if status.stage >= 1 and row.started_at:
        item["syncStartedAt"] = shown(row.started_at)
    if status.terminal and row.ended_at:
        item["syncEndedAt"] = shown(row.ended_at)
    item["status"] = status.value
    if row.callback_url:
        item["callbackUrl"] = redaction.masked(row.callback_url)  # stored before it was refused
    item.update(
        {
            "createdAt": shown(row.created_at),
            "createdBy": row.created_by,
            "uri": f"/syncs/{row.id}",
        }
    )
    return item


def read(
    db: sqlite_utils.Database,
    principal: Principal,
    id_: int,
    policy: str,
    now: float,
    polls: progression.Polls,
) -> str:
    """``GET /syncs/{id}``: a read that counts as a poll for ``polls:N``."""
    row = _existing(db, principal, id_)
    stage = polls.poll(
        (row.site_id, row.id),
        progression.Policy.parse(policy),
        age=now - row.created_epoch,
        advanced=row.advanced,
    )
    return orjson.dumps(render(row, stage)).decode()


def ended(item: str) -> bool:
    """Whether a sync as :func:`read` renders it has ended."""
    return bool(SyncStatus(orjson.loads(item)["status"]).terminal)


def list_syncs(
    db: sqlite_utils.Database,
    principal: Principal,
    params: Mapping[str, str],
    limit_max: int,
    policy: str,
    now: float,
    polls: progression.Polls,
    own: Mapping[int, str] | None = None,
) -> tuple[Page, ListQuery]:
    """``own``: the syncs whose policy is not ``policy`` (set at run time, by sync id)."""
    query = parse_list_query(params, LISTING, limit_max=limit_max)
    ids, total, more = rows.page_ids(db, principal.site_id, LISTING, query)
    own = own or {}
    items = [
        orjson.dumps(
            render(
                r,
                polls.peek(
                    (r.site_id, r.id),
                    progression.Policy.parse(own.get(r.id, policy)),
                    age=now - r.created_epoch,
                    advanced=r.advanced,
                ),
            )
        ).decode()
        for r in rows.rows(db, principal.site_id, ids)
    ]
    return Page(items, total, more), query


def logs(
    db: sqlite_utils.Database,
    principal: Principal,
    id_: int,
    params: Mapping[str, str],
    limit_max: int,
) -> tuple[Page, ListQuery]:
    _existing(db, principal, id_)
    query = parse_list_query(params, LOG_LISTING, limit_max=limit_max)
    return rows.page_logs(db, principal.site_id, id_, LOG_LISTING, query), query


def rejects(
    db: sqlite_utils.Database,
    principal: Principal,
    id_: int,
    params: Mapping[str, str],
    limit_max: int,
) -> tuple[Page, ListQuery]:
    _existing(db, principal, id_)
    query = parse_list_query(params, REJECT_LISTING, limit_max=limit_max)
    return rows.page_rejects(db, principal.site_id, id_, REJECT_LISTING, query), query


def advance(db: sqlite_utils.Database, site_id: int, id_: int) -> None:
    """Control plane: one more stage for ``manual`` progression."""
    if rows.get(db, site_id, id_) is None:
        raise NotFound.resource(f"/syncs/{id_}")
    rows.advance(db, site_id, id_)


def _existing(db: sqlite_utils.Database, principal: Principal, id_: int) -> rows.SyncRow:
    row = rows.get(db, principal.site_id, id_)
    if row is None:
        raise NotFound.resource(f"/syncs/{id_}")
    return row
