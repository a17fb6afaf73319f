"""Eloqua's timestamp forms.

Resources carry ISO-8601 UTC with seven fractional digits and ``Z``
(``2017-02-13T16:38:13.3442894Z``, reference §3.3). Python keeps microseconds, so the
seventh digit is always ``0``, as in Oracle's own ``...9100000Z`` examples.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_ISO = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2})?)(?:\.(?P<frac>\d{1,7}))?)?(?P<tz>Z|[+-]\d{2}:?\d{2})?$"
)


def format_resource(moment: datetime) -> str:
    """``datetime`` → ``YYYY-MM-DDTHH:MM:SS.fffffff0Z`` in UTC."""
    moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"


def to_millisecond(text: str) -> str:
    """A resource timestamp rounded to the millisecond, zero-padded to seven digits
    (``…:56.3467812Z`` → ``…:56.3470000Z``): how a pod shows a sync read back, though the
    answer that created it had the full precision (reference §18)."""
    head, dot, frac = text.removesuffix("Z").partition(".")
    if not dot or len(frac) != 7 or not frac.isdigit():
        return text
    millis = (int(frac) + 5_000) // 10_000
    if millis < 1000:
        return f"{head}.{millis:03d}0000Z"
    moment = datetime.fromisoformat(head) + timedelta(seconds=1)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.0000000Z"


def from_epoch(seconds: float) -> str:
    return format_resource(datetime.fromtimestamp(seconds, UTC))


def parse_loose(text: str) -> str | None:
    """A date or date-time as clients write it in ``q`` (``2025-07-01``,
    ``2025-07-01 10:00:00``, ISO with ``T``/``Z``) → the resource form, or ``None``.

    The result compares correctly as text against stored resource timestamps.
    """
    match = _ISO.match(text.strip())
    if match is None:
        return None
    time = match["time"] or "00:00:00"
    if len(time) == 5:
        time += ":00"
    frac = (match["frac"] or "").ljust(6, "0")[:6]
    try:
        moment = datetime.fromisoformat(f"{match['date']}T{time}.{frac}")
    except ValueError:
        return None
    tz = match["tz"]
    if tz and tz != "Z":
        offset = tz.replace(":", "")
        moment = datetime.strptime(
            f"{moment:%Y-%m-%dT%H:%M:%S.%f}{offset}", "%Y-%m-%dT%H:%M:%S.%f%z"
        )
    return format_resource(moment)


def _nth_sunday(year: int, month: int, n: int) -> datetime:
    first = datetime(year, month, 1)
    offset = (6 - first.weekday()) % 7
    return first.replace(day=1 + offset + 7 * (n - 1))


def eastern_offset_hours(local_or_utc: datetime, *, is_utc: bool) -> int:
    """US Eastern's UTC offset (-4 in daylight saving, -5 otherwise) under the rules in
    force since 2007: from the second Sunday of March, 02:00 local, to the first Sunday of
    November, 02:00 local. Eloqua time is Eastern (reference §5.2, §7)."""
    year = local_or_utc.year
    start = _nth_sunday(year, 3, 2).replace(hour=2)
    end = _nth_sunday(year, 11, 1).replace(hour=2)
    if is_utc:
        start, end = start.replace(hour=7), end.replace(hour=6)
    naive = local_or_utc.replace(tzinfo=None)
    return -4 if start <= naive < end else -5


def eastern_to_utc(local: datetime) -> datetime:
    from datetime import timedelta

    return local - timedelta(hours=eastern_offset_hours(local, is_utc=False))


def utc_to_eastern(moment: datetime) -> datetime:
    from datetime import timedelta

    return moment + timedelta(hours=eastern_offset_hours(moment, is_utc=True))


def parse_literal(text: str) -> datetime | None:
    """A filter's date literal (``'YYYY-MM-DD HH:MM:SS'``, a date, ISO) as a naive datetime."""
    match = _ISO.match(text.strip())
    if match is None:
        return None
    time = match["time"] or "00:00:00"
    if len(time) == 5:
        time += ":00"
    frac = (match["frac"] or "").ljust(6, "0")[:6]
    try:
        return datetime.fromisoformat(f"{match['date']}T{time}.{frac}")
    except ValueError:
        return None


def export_form(iso: str, *, utc: bool) -> str:
    """A stored resource timestamp as exports show it: ``YYYY-MM-DD HH:MM:SS.fff`` in UTC,
    or in Eloqua (Eastern) time when ``areSystemTimestampsInUTC`` is not set (§11)."""
    moment = datetime.strptime(iso[:26], "%Y-%m-%dT%H:%M:%S.%f")
    if not utc:
        moment = utc_to_eastern(moment)
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")[:23]
