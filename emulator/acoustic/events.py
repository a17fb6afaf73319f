"""E-mail events of the Acoustic databases' contacts: the ones the fixtures hold
(``fixtures/acoustic/events.jsonl``, loaded with the rest of the Acoustic seed) and the
ones a test adds through the control plane (``POST /_emulator/acoustic/events``). A
rotation (``acoustic.rotation``) exports them.

A real pod records events as mailings are sent and read; here they are given. Each is
checked as a whole request: the shape (``core.events``), then that its database is an
Acoustic database and its contact one of that database's. One wrong event refuses the
request and nothing is added.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import sqlite_utils

from emulator.acoustic import store
from emulator.acoustic.core import events as shapes
from emulator.acoustic.core import messages as m
from emulator.acoustic.core import rules
from emulator.core.errors import Failure, ValidationFailed
from emulator.seed import FixtureError

FIXTURE = "events.jsonl"


def add(db: sqlite_utils.Database, body: Any, now: float) -> dict[str, Any]:
    """Validate every event, then insert them all, in order; what the control plane
    answers: ``{"events": [<event with its eventId>, …]}``."""
    parsed, failures = shapes.parse_body(body, now)
    emails: list[str] = []
    kinds: dict[int, str | None] = {}
    for path, event in parsed:
        if event.database_id not in kinds:
            source = store.contact_source(db, event.database_id)
            kinds[event.database_id] = None if source is None else source.kind
        if kinds[event.database_id] != rules.DATABASE:
            failures.append(Failure(f"{path}.databaseId", m.EVENT_DATABASE, event.database_id))
            continue
        contact = store.contact(db, event.database_id, event.recipient_id)
        if contact is None:
            message = m.EVENT_CONTACT.format(database=event.database_id)
            failures.append(Failure(f"{path}.recipientId", message, event.recipient_id))
            continue
        emails.append(contact.email)
    if failures:
        raise ValidationFailed(sorted(failures, key=_order))
    added = []
    for (_, event), email in zip(parsed, emails, strict=True):
        event_id = store.insert_event(
            db,
            event.database_id,
            event.recipient_id,
            event.code,
            event.mailing_type,
            event.at,
            now,
            event.detail,
        )
        added.append(shapes.view(event_id, event, email))
    return {"events": added}


def _order(failure: Failure) -> int:
    """Failures in the order of the events (``events[10]`` after ``events[9]``); a sort
    that keeps each event's own in the order they were found."""
    index = failure.field.removeprefix("events[").partition("]")[0]
    return int(index) if index.isdigit() else -1


def load_seed(db: sqlite_utils.Database, directory: Path, now: float) -> int:
    """The fixtures' events (``events.jsonl``: one event a line, in the shape the control
    plane takes), checked as one request; none when the file is absent. How many."""
    path = directory / FIXTURE
    if not path.is_file():
        return 0
    items = []
    for number, line in enumerate(path.read_bytes().splitlines(), 1):
        if line.strip():
            try:
                items.append(orjson.loads(line))
            except orjson.JSONDecodeError as exc:
                raise FixtureError(f"{path}:{number}: {exc}") from None
    if not items:
        return 0
    try:
        return len(add(db, {"events": items}, now)["events"])
    except ValidationFailed as exc:
        raise FixtureError(f"{path}: {exc}") from None
