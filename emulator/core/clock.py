"""The emulator's clock: real time plus an offset that only moves forward.

Every ``now`` the emulator uses (timestamps it shows, token expiry, ``dataRetentionDuration``
and ``autoDeleteDuration``, ``seconds:S`` progression) is read from one :class:`Clock` kept
for the app's lifetime, so a test can jump hours ahead through
``POST /_emulator/clock/advance`` instead of waiting. A pod's clock cannot be moved, so
neither can this one be moved back: what a client has seen (a token that expired, a sync
that ended) is never undone.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from emulator.core import constraints, timestamps
from emulator.core.errors import Conflict, Failure, ValidationFailed

# 9999-12-31T23:59:59Z: the last moment a timestamp can show
LAST_MOMENT = 253_402_300_799.0


class Clock:
    """``clock()`` is ``source() + offset``; ``source`` is the real clock (``time.time``),
    or a clock a test moves by hand. Thread-safe: requests, the worker and the control
    plane read it from several threads."""

    def __init__(self, source: Callable[[], float] = time.time) -> None:
        self._source = source
        self._offset = 0.0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._source() + self._offset

    @property
    def offset(self) -> float:
        """Seconds the clock is ahead of its source."""
        with self._lock:
            return self._offset

    def advance(self, seconds: float) -> float:
        """Move the clock ``seconds`` ahead (more than 0); the new time."""
        with self._lock:
            now = self._source() + self._offset
            if not (seconds > 0 and math.isfinite(seconds) and now + seconds <= LAST_MOMENT):
                raise ValueError(f"cannot advance the clock by {seconds!r} seconds")
            self._offset += seconds
            return now + seconds

    def set(self, moment: float) -> float:
        """Move the clock to ``moment`` (epoch seconds), which must not be before the time
        it shows now; the new time."""
        with self._lock:
            now = self._source() + self._offset
            if not (math.isfinite(moment) and now <= moment <= LAST_MOMENT):
                raise ValueError(f"cannot set the clock back, or past year 9999, to {moment!r}")
            self._offset = moment - self._source()
            return moment


def describe(clock: Clock) -> dict[str, Any]:
    """What ``GET /_emulator/clock`` answers: the time as resources show it, as epoch
    seconds, and how far it is ahead of its source."""
    now = clock()
    return {"now": timestamps.from_epoch(now), "epoch": now, "offsetSeconds": clock.offset}


def advance(clock: Clock, body: Any) -> float:
    """``{"seconds": N}``: N a number above 0; the new time."""
    _only(body, "seconds")
    seconds = body.get("seconds")
    refused = ValidationFailed([Failure("seconds", constraints.CLOCK_SECONDS, seconds)])
    if not isinstance(seconds, int | float) or isinstance(seconds, bool):
        raise refused
    try:
        return clock.advance(float(seconds))
    except (ValueError, OverflowError):
        raise refused from None


def set_to(clock: Clock, body: Any) -> float:
    """``{"now": "<ISO 8601>"}`` (UTC when it names no offset); a moment before the time the
    clock shows is a 409: the clock never goes back. The new time."""
    text = body.get("now") if isinstance(body, dict) else None
    _only(body, "now")
    moment = parse_moment(text)
    if moment is None:
        raise ValidationFailed([Failure("now", constraints.CLOCK_MOMENT, text)])
    try:
        return clock.set(moment)
    except ValueError:
        shown = timestamps.from_epoch(clock())
        raise Conflict(
            [Failure("now", constraints.CLOCK_BACKWARDS.format(now=shown), text)]
        ) from None


def parse_moment(text: Any) -> float | None:
    """An ISO 8601 date-time (``2027-01-15T08:00:00Z``, ``…+02:00``, up to seven fractional
    digits as Eloqua writes them; no offset means UTC) → epoch seconds, or ``None``."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        epoch = moment.timestamp()
    except (OverflowError, ValueError):
        return None
    return epoch if 0 <= epoch <= LAST_MOMENT else None


def _only(body: Any, key: str) -> None:
    """``body`` is an object with no key but ``key``."""
    if not isinstance(body, dict):
        raise ValidationFailed(
            [Failure("body", constraints.BODY_NOT_OBJECT, None, has_value=False)]
        )
    unknown = [k for k in body if k != key]
    if unknown:
        raise ValidationFailed(
            [Failure(k, constraints.CLOCK_KEY.format(key=key), k) for k in unknown]
        )
