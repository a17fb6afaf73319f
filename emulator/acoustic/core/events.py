"""An e-mail event as the control plane takes it (``POST /_emulator/acoustic/events``) and
the fixtures hold it (``fixtures/acoustic/events.jsonl``): its shape checked, every problem
collected under its path (``events[2].eventType``).

An event names its contact (``databaseId``, ``recipientId``), its ``eventType`` (the BEX
vocabulary, which is the ``code`` column) and ``mailingType`` (``sendType``), and may carry
any other column of the export file by that column's name; ``timestamp`` defaults to the
emulator's clock. That the database and the contact exist is the domain's to check
(``acoustic.events``). Which columns go with which event types is the emulator's reading
of the column meanings (reference §6): a bounce has a ``bounceType``, a click its URL, an
opt-out its details; opens and clicks a user agent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from emulator.acoustic.core import files, rules
from emulator.acoustic.core import messages as m
from emulator.core.clock import parse_moment
from emulator.core.errors import Failure

MAX_EVENTS = 10_000  # per request
TEXT_MAX = 2000
DEFAULT_MAILING_TYPE = "SendExperience"
DOC_TYPES = ("Text", "HTML")  # [DOC D9]
BOUNCE_TYPES = ("Hard", "Soft")  # [INF]
# column → the event types that carry it [INF, reference §6]
ONLY_ON = {
    "bounceType": ("emailBounce",),
    "clickUrl": ("emailClick",),
    "urlDescription": ("emailClick",),
    "optOutDetails": ("emailOptOut",),
    "userAgent": ("emailOpen", "emailClick"),
}
CHOICES = {"docType": DOC_TYPES, "bounceType": BOUNCE_TYPES}
KEYS = ("databaseId", "recipientId", "eventType", "mailingType", "timestamp", *files.EVENT_COLUMNS)

_DIGITS = re.compile(r"[0-9]{1,18}")


@dataclass(frozen=True)
class Event:
    """An event whose shape is right; ``detail`` holds its other columns as text."""

    database_id: int
    recipient_id: int
    code: str
    mailing_type: str
    at: float
    detail: dict[str, str]


def parse_body(body: Any, now: float) -> tuple[list[tuple[str, Event]], list[Failure]]:
    """``{"events": [...]}`` → each well-formed event with its path, and the failures of
    every one that is not."""
    if not isinstance(body, dict) or set(body) != {"events"}:
        return [], [Failure("body", m.EVENTS_BODY, has_value=False)]
    items = body["events"]
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_EVENTS:
        count = len(items) if isinstance(items, list) else items
        return [], [Failure("events", m.EVENTS_COUNT.format(limit=MAX_EVENTS), count)]
    events: list[tuple[str, Event]] = []
    failures: list[Failure] = []
    for index, item in enumerate(items):
        path = f"events[{index}]"
        event, wrong = parse_event(item, now, path)
        failures += wrong
        if event is not None:
            events.append((path, event))
    return events, failures


def parse_event(item: Any, now: float, path: str) -> tuple[Event | None, list[Failure]]:
    if not isinstance(item, dict):
        return None, [Failure(path, m.EVENT_NOT_OBJECT, has_value=False)]
    failures = [
        Failure(f"{path}.{key}", m.EVENT_KEY_UNKNOWN.format(keys=", ".join(KEYS)), key)
        for key in item
        if key not in KEYS
    ]
    database_id = _id(item, "databaseId", path, failures)
    recipient_id = _id(item, "recipientId", path, failures)
    code = _choice(item, "eventType", rules.EVENT_TYPES, m.EVENT_TYPE, path, failures)
    mailing_type = _choice(
        item, "mailingType", rules.MAILING_TYPES, m.EVENT_MAILING_TYPE, path, failures
    )
    at = _moment(item, now, path, failures)
    detail: dict[str, str] = {}
    for key in files.EVENT_COLUMNS:
        value = item.get(key)
        if value is None:
            continue
        field = f"{path}.{key}"
        if (
            isinstance(value, bool)
            or not isinstance(value, str | int)
            or len(str(value)) > TEXT_MAX
        ):
            failures.append(Failure(field, m.EVENT_TEXT.format(limit=TEXT_MAX), value))
            continue
        shown = str(value)
        if key in CHOICES and shown not in CHOICES[key]:
            choices = ", ".join(CHOICES[key])
            failures.append(Failure(field, m.EVENT_CHOICE.format(choices=choices), value))
        elif key in ONLY_ON and code is not None and code not in ONLY_ON[key]:
            types = " or ".join(ONLY_ON[key])
            failures.append(Failure(field, m.EVENT_ONLY_ON.format(types=types, key=key), value))
        elif shown:
            detail[key] = shown
    if failures or database_id is None or recipient_id is None or code is None:
        return None, failures
    if mailing_type is None or at is None:
        return None, failures
    return Event(database_id, recipient_id, code, mailing_type, at, detail), []


def _id(item: dict[str, Any], key: str, path: str, failures: list[Failure]) -> int | None:
    value = item.get(key)
    if value is None:
        failures.append(Failure(f"{path}.{key}", m.EVENT_REQUIRED, has_value=False))
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10**18:
        return value
    if isinstance(value, str) and _DIGITS.fullmatch(value) and int(value) > 0:
        return int(value)
    failures.append(Failure(f"{path}.{key}", m.EVENT_ID_FORMAT, value))
    return None


def _choice(
    item: dict[str, Any],
    key: str,
    allowed: tuple[str, ...],
    message: str,
    path: str,
    failures: list[Failure],
) -> str | None:
    value = item.get(key)
    if value is None and key == "mailingType":
        return DEFAULT_MAILING_TYPE
    if value is None:
        failures.append(Failure(f"{path}.{key}", m.EVENT_REQUIRED, has_value=False))
        return None
    if value not in allowed:
        failures.append(Failure(f"{path}.{key}", message, value))
        return None
    return str(value)


def _moment(item: dict[str, Any], now: float, path: str, failures: list[Failure]) -> float | None:
    value = item.get("timestamp")
    if value is None:
        return now
    moment = parse_moment(value)
    if moment is None or moment > now:
        failures.append(Failure(f"{path}.timestamp", m.EVENT_TIMESTAMP, value))
        return None
    return moment


def view(event_id: int, event: Event, email: str) -> dict[str, Any]:
    """An event as the control plane answers it: its columns by name."""
    return {
        "eventId": event_id,
        "databaseId": event.database_id,
        "recipientId": event.recipient_id,
        "email": email,
        "eventType": event.code,
        "mailingType": event.mailing_type,
        "timestamp": files.timestamp(event.at),
        **event.detail,
    }
