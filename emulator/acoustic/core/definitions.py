"""A BEX job definition: the request body's shape checked (reference §2.1), every problem
collected under its JSON path, and the definition as GET shows it.

Only what needs no data is checked here; that ``contactSourceId`` names a database of the
org, that ``ftpUserId`` is an Org Admin with an FTP folder and that the columns exist is
the domain's (``acoustic.domain``), which adds its findings to the same map.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from emulator.acoustic.core import messages as m
from emulator.acoustic.core import rules

FieldErrors = dict[str, str]

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_DIGITS = re.compile(r"[0-9]{1,18}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Column:
    name: str
    order: int


@dataclass(frozen=True)
class Channel:
    type: str
    job_frequency: int
    export_file_format: str
    export_file_name: str  # the term, defaulted
    event_types: tuple[str, ...]  # () means every type
    mailing_types: tuple[str, ...]  # () means every type
    columns: tuple[Column, ...]  # as posted

    @property
    def column_names(self) -> list[str]:
        """The custom columns in ``columnOrder``: the order they follow the standard ones."""
        return [c.name for c in sorted(self.columns, key=lambda c: c.order)]


@dataclass(frozen=True)
class Draft:
    """A body whose shape is right; ``id`` only on PUT."""

    contact_source_id: int
    ftp_user_id: str
    channels: tuple[Channel, ...]
    id: int | None = None

    @property
    def email(self) -> Channel:
        """The Email channel, the only type there is."""
        return self.channels[0]


def parse_id(text: str) -> int | None:
    """A path or body id: 1 to 18 digits (an Acoustic id fits in 64 bits)."""
    return int(text) if _DIGITS.fullmatch(text) and int(text) > 0 else None


@dataclass(frozen=True)
class Parsed:
    """What a body's shape check found: the draft when the shape is right, and in any case
    the values the domain checks against the data (so that every error of a request is
    reported at once): the contact source, the FTP user and each well-formed column name
    with its path."""

    draft: Draft | None
    errors: FieldErrors
    contact_source_id: int | None
    ftp_user_id: str | None
    column_names: list[tuple[str, str]]


def parse(body: dict[str, Any], *, path_id: int | None = None) -> Parsed:
    """``body`` is a JSON object (anything else is the caller's ``BadRequest``);
    ``path_id`` is given on PUT, where the body must carry the same ``id``."""
    errors: FieldErrors = {}
    names: list[tuple[str, str]] = []
    job_id = _body_id(body, path_id, errors) if path_id is not None else None
    source = _contact_source(body.get("contactSourceId"), errors)
    ftp_user = _ftp_user(body.get("ftpUserId"), errors)
    channels = _channels(body.get("channels"), errors, names)
    draft = None
    if not errors and source is not None and ftp_user is not None and channels is not None:
        draft = Draft(source, ftp_user, channels, job_id)
    return Parsed(draft, errors, source, ftp_user, names)


def public(draft: Draft, job_id: int, ftp_user_id: str) -> dict[str, Any]:
    """The definition as GET answers it: what was posted, normalised (formats in capitals,
    duplicates dropped, ``contactSourceId`` as text, ``ftpUserId`` as the user's login),
    with its ``id`` and the defaults filled in; unknown keys are not kept."""
    return {
        "id": job_id,
        "channels": [
            {
                "eventTypes": [{"eventType": t} for t in channel.event_types],
                "columnNames": [
                    {"columnName": c.name, "columnOrder": c.order} for c in channel.columns
                ],
                "mailingTypes": [{"mailingType": t} for t in channel.mailing_types],
                "exportFileName": channel.export_file_name,
                "exportFileFormat": channel.export_file_format,
                "jobFrequency": channel.job_frequency,
                "type": channel.type,
            }
            for channel in draft.channels
        ],
        "contactSourceId": str(draft.contact_source_id),
        "ftpUserId": ftp_user_id,
    }


def _missing(value: Any) -> bool:
    return value is None or value == ""


def _body_id(body: dict[str, Any], path_id: int, errors: FieldErrors) -> int | None:
    value = body.get("id")
    if _missing(value):
        errors["id"] = m.ID_REQUIRED
        return None
    number = _number(value)
    if number is None:
        errors["id"] = m.ID_FORMAT
    elif number != path_id:
        errors["id"] = m.ID_MISMATCH.format(value=value, path=path_id)
    return number


def _number(value: Any) -> int | None:
    """A JSON integer or a string of digits, as Acoustic's examples write ids both ways."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value < 2**63 else None
    return parse_id(value) if isinstance(value, str) else None


def _contact_source(value: Any, errors: FieldErrors) -> int | None:
    if _missing(value):
        errors["contactSourceId"] = m.REQUIRED
        return None
    number = _number(value)
    if number is None:
        errors["contactSourceId"] = m.CONTACT_SOURCE_FORMAT
    return number


def _ftp_user(value: Any, errors: FieldErrors) -> str | None:
    if _missing(value):
        errors["ftpUserId"] = m.REQUIRED
        return None
    if not isinstance(value, str) or not _EMAIL.fullmatch(value.strip()):
        errors["ftpUserId"] = m.NOT_AN_EMAIL
        return None
    return value.strip()


def _channels(
    value: Any, errors: FieldErrors, names: list[tuple[str, str]]
) -> tuple[Channel, ...] | None:
    if value is None:
        errors["channels"] = m.REQUIRED
        return None
    if not isinstance(value, list) or not value:
        errors["channels"] = m.CHANNELS_FORMAT
        return None
    found: list[Channel] = []
    seen: set[str] = set()
    ok = True
    for index, item in enumerate(value):
        path = f"channels[{index}]"
        if not isinstance(item, dict):
            errors[path] = m.NOT_OBJECT
            ok = False
            continue
        channel = _channel(item, path, errors, names)
        if channel is None:
            ok = False
        elif channel.type in seen:
            errors[f"{path}.type"] = m.CHANNEL_DUPLICATE
            ok = False
        else:
            seen.add(channel.type)
            found.append(channel)
    return tuple(found) if ok else None


def _channel(
    item: dict[str, Any], path: str, errors: FieldErrors, names: list[tuple[str, str]]
) -> Channel | None:
    before = len(errors)
    kind = item.get("type")
    if _missing(kind):
        errors[f"{path}.type"] = m.REQUIRED
    elif kind not in rules.CHANNEL_TYPES:
        errors[f"{path}.type"] = m.CHANNEL_TYPE.format(value=kind)
    frequency = item.get("jobFrequency")
    if frequency is None:
        errors[f"{path}.jobFrequency"] = m.REQUIRED
    elif (
        isinstance(frequency, bool)
        or not isinstance(frequency, int)
        or frequency not in rules.JOB_FREQUENCIES
    ):
        errors[f"{path}.jobFrequency"] = m.JOB_FREQUENCY.format(value=_shown(frequency))
    file_format = _file_format(item.get("exportFileFormat"), f"{path}.exportFileFormat", errors)
    file_name = _file_name(item.get("exportFileName"), f"{path}.exportFileName", errors)
    events = _named_list(
        item.get("eventTypes"), f"{path}.eventTypes", "eventType", rules.EVENT_TYPES, errors
    )
    mailings = _named_list(
        item.get("mailingTypes"), f"{path}.mailingTypes", "mailingType", rules.MAILING_TYPES, errors
    )
    columns = _columns(item.get("columnNames"), f"{path}.columnNames", errors, names)
    if len(errors) > before:
        return None
    assert isinstance(kind, str)
    assert isinstance(frequency, int)
    return Channel(
        kind, frequency, file_format, file_name, tuple(events), tuple(mailings), tuple(columns)
    )


def _shown(value: Any) -> str:
    """A rejected value as a message shows it: JSON's spelling for ``true``/``null``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


def _file_format(value: Any, path: str, errors: FieldErrors) -> str:
    if value is None:
        return rules.DEFAULT_FILE_FORMAT
    if isinstance(value, str) and value.upper() in rules.FILE_FORMATS:
        return value.upper()
    errors[path] = m.FILE_FORMAT.format(value=_shown(value))
    return rules.DEFAULT_FILE_FORMAT


def _file_name(value: Any, path: str, errors: FieldErrors) -> str:
    if _missing(value):
        return rules.DEFAULT_FILE_NAME
    if (
        not isinstance(value, str)
        or len(value) > rules.FILE_NAME_MAX
        or _CONTROL.search(value)
        or rules.FILE_NAME_FORBIDDEN.intersection(value)
    ):
        errors[path] = m.FILE_NAME
        return rules.DEFAULT_FILE_NAME
    return value


def _named_list(
    value: Any, path: str, key: str, allowed: tuple[str, ...], errors: FieldErrors
) -> list[str]:
    """``[{key: name}, …]`` → names, duplicates dropped; absent or ``[]`` is every type."""
    if value is None:
        return []
    if not isinstance(value, list):
        errors[path] = m.NOT_ARRAY
        return []
    names: list[str] = []
    for index, item in enumerate(value):
        name = item.get(key) if isinstance(item, dict) else None
        if not isinstance(item, dict) or _missing(name):
            errors[f"{path}[{index}]"] = m.ITEM_FORMAT.format(key=key)
        elif name not in allowed:
            message = m.EVENT_TYPE_INVALID if key == "eventType" else m.MAILING_TYPE_INVALID
            errors[f"{path}[{index}].{key}"] = message.format(value=_shown(name))
        elif name not in names:
            names.append(name)
    return names


def _columns(
    value: Any, path: str, errors: FieldErrors, found: list[tuple[str, str]]
) -> list[Column]:
    if value is None:
        return []
    if not isinstance(value, list):
        errors[path] = m.NOT_ARRAY
        return []
    if len(value) > rules.MAX_COLUMNS:
        errors[path] = m.TOO_MANY_COLUMNS
        return []
    columns: list[Column] = []
    names: set[str] = set()
    orders: set[int] = set()
    for index, item in enumerate(value):
        at = f"{path}[{index}]"
        if not isinstance(item, dict):
            errors[at] = m.NOT_OBJECT
            continue
        name, order = item.get("columnName"), item.get("columnOrder")
        if _missing(name):
            errors[f"{at}.columnName"] = m.REQUIRED
        elif not isinstance(name, str):
            errors[f"{at}.columnName"] = m.COLUMN_NAME
        elif name.casefold() in names:
            errors[f"{at}.columnName"] = m.COLUMN_DUPLICATE.format(value=name)
        else:
            names.add(name.casefold())
            found.append((f"{at}.columnName", name))
        if order is None:
            errors[f"{at}.columnOrder"] = m.REQUIRED
        elif isinstance(order, bool) or not isinstance(order, int) or not 0 <= order < len(value):
            errors[f"{at}.columnOrder"] = m.COLUMN_ORDER.format(last=len(value) - 1)
        elif order in orders:
            errors[f"{at}.columnOrder"] = m.COLUMN_ORDER_DUPLICATE.format(value=order)
        else:
            orders.add(order)
        if isinstance(name, str) and isinstance(order, int):
            columns.append(Column(name, order))
    return columns
