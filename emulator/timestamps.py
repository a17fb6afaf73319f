"""Eloqua's timestamp forms.

Resources carry ISO-8601 UTC with seven fractional digits and ``Z``
(``2017-02-13T16:38:13.3442894Z``, reference §3.3). Python keeps microseconds, so the
seventh digit is always ``0``, as in Oracle's own ``...9100000Z`` examples.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

_ISO = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2})?)(?:\.(?P<frac>\d{1,7}))?)?(?P<tz>Z|[+-]\d{2}:?\d{2})?$"
)


def format_resource(moment: datetime) -> str:
    """``datetime`` → ``YYYY-MM-DDTHH:MM:SS.fffffff0Z`` in UTC."""
    moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"


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
