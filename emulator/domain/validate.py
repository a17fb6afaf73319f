"""Small reusable validators. Each returns the cleaned value or appends a ``Failure``
and returns ``None``, so a caller can report every problem of a request at once."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from emulator.core import constraints as c
from emulator.core import redaction
from emulator.core.durations import parse_duration
from emulator.core.errors import Failure

Failures = list[Failure]


def text(
    value: Any, field: str, failures: Failures, *, low: int = 1, high: int = 100
) -> str | None:
    if isinstance(value, str) and low <= len(value) <= high:
        return value
    failures.append(Failure(field, c.STRING_LENGTH.format(low=low, high=high), value))
    return None


def boolean(value: Any, field: str, failures: Failures) -> bool | None:
    """Eloqua accepts ``"true"``/``"false"`` strings for booleans (reference §3.3)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    failures.append(Failure(field, c.BOOLEAN_PROPERTY, value))
    return None


def integer(value: Any, field: str, failures: Failures, *, low: int | None = None) -> int | None:
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and re.fullmatch(r"[+-]?\d{1,18}", value.strip()):
        number = int(value)
    if number is not None and (low is None or number >= low):
        return number
    failures.append(
        Failure(
            field, c.INTEGER_PROPERTY if low is None else c.INTEGER_AT_LEAST.format(low=low), value
        )
    )
    return None


def enum(value: Any, field: str, allowed: Iterable[str], failures: Failures) -> str | None:
    """Enum values match case-insensitively and are echoed in Eloqua's spelling."""
    options = {option.lower(): option for option in allowed}
    if isinstance(value, str) and value.strip().lower() in options:
        return options[value.strip().lower()]
    failures.append(Failure(field, c.ENUM_VALUE.format(values=", ".join(options.values())), value))
    return None


def duration(
    value: Any,
    field: str,
    failures: Failures,
    *,
    low: float,
    high: float | None,
    constraint: str,
) -> str | None:
    seconds = parse_duration(value) if isinstance(value, str) else None
    if seconds is not None and seconds >= low and (high is None or seconds <= high):
        return str(value).strip()
    failures.append(Failure(field, constraint, value))
    return None


def outbound_url(
    value: Any, field: str, failures: Failures, *, form: re.Pattern[str], constraint: str
) -> str | None:
    """A URL the emulator will call (a sync's ``callbackUrl``, an AppCloud notification
    URL). One carrying credentials (``user:password@``) is refused first, its ``value``
    shown with them masked, never echoed (``core.redaction``); then one not of ``form``."""
    if isinstance(value, str) and redaction.userinfo(value) is not None:
        failures.append(Failure(field, c.URL_CREDENTIALS, redaction.masked(value)))
        return None
    if isinstance(value, str) and form.match(value):
        return value
    failures.append(Failure(field, constraint, value))
    return None
